#!/usr/bin/env bash
# The database's folder is checked with the configuration: vigied --check
# (78) and vigie check (1) report a folder that is missing, not a folder,
# or not writable by the user who runs them, at `database:`'s
# file:line:col, rather than passing a configuration that vigied then
# cannot start with (it creates the database, its lock and its journal
# there). The default database's folder, which systemd creates when
# vigied.service starts (StateDirectory=), is no error while missing
# (t_install.sh checks the installed configuration).
source "$VIGIE_SRC/tests/integration/lib.sh"

make_config ""
printf 'rules:\n  - id: c\n    title: C\n    value: conflicts\n    above: { warning: 2 }\n' \
    >"$T/rules.d/r.yaml"
# checks_fail LINE [RUN...]: both checks, run through RUN, print LINE.
checks_fail() {
	local want=$1
	shift
	expect_exit 78 "$@" "$VIGIED" -c "$T/vigie.yaml" --check
	expect_grep "$want" "$T/err"
	[ -s "$T/out" ] && fail "vigied --check printed on stdout: $(cat "$T/out")"
	expect_exit 1 "$@" "$VIGIE" -c "$T/vigie.yaml" check
	expect_grep "$want" "$T/err"
}

# A valid folder: both pass.
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --check
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" check

# A missing folder, at the value of `database:` (line 1, column 11).
sed -i "s|^database: .*|database: $T/nope/vigie.db|" "$T/vigie.yaml"
checks_fail "$T/vigie.yaml:1:11: error: the database's folder $T/nope does not exist"
# ... and vigied indeed cannot start with it.
expect_exit 1 "$VIGIED" -c "$T/vigie.yaml" --once

# A file where the folder should be.
: >"$T/file"
sed -i "s|^database: .*|database: $T/file/vigie.db|" "$T/vigie.yaml"
checks_fail "$T/vigie.yaml:1:11: error: the database's folder $T/file is not a folder"

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
checks_fail "$T/vigie.yaml:1:11: error: the database's folder $T/ro is not writable by this user" "${as[@]}"
expect_exit 1 "${as[@]}" "$VIGIED" -c "$T/vigie.yaml" --once
chmod 0755 "$T/ro"

# vigie check reports it beside the configuration's other errors.
sed -i "s|^database: .*|database: $T/nope/vigie.db|" "$T/vigie.yaml"
printf 'intervall: 1h\n' >>"$T/vigie.yaml"
expect_exit 1 "$VIGIE" -c "$T/vigie.yaml" check
expect_grep "$T/vigie.yaml:1:11: error: the database's folder $T/nope does not exist" "$T/err"
expect_grep "$T/vigie.yaml:6:1: error: unknown key \"intervall\"" "$T/err"
