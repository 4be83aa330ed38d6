#!/usr/bin/env bash
# The database's folder is checked with the configuration, at `database:`'s
# file:line:col: a "folder" that is a file can never work, so vigied
# --check (78) and vigie check (1) refuse it, as they refuse a database
# that is a folder, no SQLite file or of a newer schema (the daemon would
# not start); a folder that is missing or
# that the user who runs the check cannot write in is a warning (exit 0):
# systemd creates the state directory when vigied.service starts
# (StateDirectory=), after the README's vigied --check, and whoever runs
# the check (root, HR checking rules) need not be the daemon's user.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1

make_config ""
printf 'rules:\n  - id: c\n    title: C\n    value: conflicts\n    above: { warning: 2 }\n' \
    >"$T/rules.d/r.yaml"
# checks_fail LINE [RUN...]: both checks, run through RUN, refuse with LINE.
checks_fail() {
	local want=$1
	shift
	expect_exit 78 "$@" "$VIGIED" -c "$T/vigie.yaml" --check
	expect_grep "$want" "$T/err"
	[ -s "$T/out" ] && fail "vigied --check printed on stdout: $(cat "$T/out")"
	expect_exit 1 "$@" "$VIGIE" -c "$T/vigie.yaml" check
	expect_grep "$want" "$T/err"
}
# checks_warn LINE [RUN...]: both checks, run through RUN, pass and say LINE.
checks_warn() {
	local want=$1
	shift
	expect_exit 0 "$@" "$VIGIED" -c "$T/vigie.yaml" --check
	expect_grep "$want" "$T/err"
	expect_grep "configuration and 1 rule are valid" "$T/out"
	expect_exit 0 "$@" "$VIGIE" -c "$T/vigie.yaml" check
	expect_grep "$want" "$T/err"
}

# A valid folder: both pass, silently.
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --check
[ -s "$T/err" ] && fail "unexpected stderr: $(cat "$T/err")"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" check
[ -s "$T/err" ] && fail "unexpected stderr: $(cat "$T/err")"

# A missing folder, at the value of `database:` (line 1, column 11).
sed -i "s|^database: .*|database: $T/nope/vigie.db|" "$T/vigie.yaml"
checks_warn "$T/vigie.yaml:1:11: warning: the database's folder $T/nope does not exist: vigied cannot start until it exists (systemd's StateDirectory= creates it when the service starts)"
# ... and vigied indeed cannot start without it.
expect_exit 1 "$VIGIED" -c "$T/vigie.yaml" --once

# A file where the folder should be.
: >"$T/file"
sed -i "s|^database: .*|database: $T/file/vigie.db|" "$T/vigie.yaml"
checks_fail "$T/vigie.yaml:1:11: error: the database's folder $T/file is not a folder"

# What the daemon would refuse in the database's own place: a folder, a
# file that is no SQLite database, a schema newer than the binary's.
mkdir "$T/adir.db"
sed -i "s|^database: .*|database: $T/adir.db|" "$T/vigie.yaml"
checks_fail "$T/vigie.yaml:1:11: error: the database $T/adir.db is a folder: database: names its file ($T/adir.db/vigie.db, say)"
echo notes >"$T/junk.db"
chmod 600 "$T/junk.db"
sed -i "s|^database: .*|database: $T/junk.db|" "$T/vigie.yaml"
checks_fail "$T/vigie.yaml:1:11: error: $T/junk.db is not a SQLite database (a file copied in its place?): restore the database there, or name another file"
sed -i "s|^database: .*|database: $T/new.db|" "$T/vigie.yaml"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" status
sqlite3 "$T/new.db" 'PRAGMA user_version = 999' || fail "cannot make a newer database"
checks_fail "$T/vigie.yaml:1:11: error: database $T/new.db has schema version 999, newer than this vigie understands"

# A folder this user cannot write in: root may write anywhere, so the
# checks run as nobody then (who can read the configuration).
mkdir "$T/ro"
sed -i "s|^database: .*|database: $T/ro/vigie.db|" "$T/vigie.yaml"
as=()
if [ "$(id -u)" = 0 ]; then
	command -v setpriv >/dev/null || { echo "setpriv missing: unwritable folder not checked"; exit 77; }
	chmod 0711 "$T"
	chown nobody "$T/ro"
	as=(setpriv --reuid=nobody --regid=nogroup --clear-groups)
fi
chmod 0555 "$T/ro"
checks_warn "$T/vigie.yaml:1:11: warning: the database's folder $T/ro is not writable by this user" "${as[@]}"
expect_exit 1 "${as[@]}" "$VIGIED" -c "$T/vigie.yaml" --once
chmod 0755 "$T/ro"

# vigie check reports the file beside the configuration's other errors.
sed -i "s|^database: .*|database: $T/file/vigie.db|" "$T/vigie.yaml"
printf 'intervall: 1h\n' >>"$T/vigie.yaml"
expect_exit 1 "$VIGIE" -c "$T/vigie.yaml" check
expect_grep "$T/vigie.yaml:1:11: error: the database's folder $T/file is not a folder" "$T/err"
expect_grep "$T/vigie.yaml:6:1: error: unknown key \"intervall\"" "$T/err"
exit 0
