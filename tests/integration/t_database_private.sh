#!/usr/bin/env bash
# The database is created 0600 (SPEC 13), but a copy restored from a
# backup keeps the backup's mode, and a backup made under the usual umask
# is 0644: every team's figures readable by anyone on the machine. vigied
# --check and vigie check warn at database: (exit 0), the daemon logs the
# warning at start; the README's backup command makes a 0600 copy.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1

make_config ""
printf 'rules:\n  - id: c\n    title: C\n    value: conflicts\n    above: { warning: 2 }\n' \
    >"$T/rules.d/r.yaml"
printf 'unit,period,indicator,value\nacme/a,2026-01,headcount,20\nacme/a,2026-01,conflicts,1\n' \
    >"$T/d.csv"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/d.csv"
expect_eq "$(stat -c %a "$T/vigie.db")" 600 "a new database's mode"

# Private: nothing said.
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --check
expect_no_grep "readable by group or others" "$T/err"

# The README's backup command, as written, with this test's paths; then
# the same backup under the usual umask, restored with cp.
cmd=$(grep -x '(umask 077; sqlite3 .*\.backup .*)' "$SRC/README.md") ||
	fail "no backup command with umask 077 in README.md"
cmd=${cmd//\/var\/lib\/vigie\/vigie.db/$T/vigie.db}
cmd=${cmd//\/var\/backups\//$T/}
(umask 022; eval "$cmd") || fail "the README's backup command failed: $cmd"
b=$(ls "$T"/vigie-*.db) || fail "no backup made by: $cmd"
expect_eq "$(stat -c %a "$b")" 600 "the backup's mode"
(umask 022; sqlite3 "$T/vigie.db" ".backup $T/plain.db")
rm -f "$T/vigie.db" "$T/vigie.db-wal" "$T/vigie.db-shm"
cp "$T/plain.db" "$T/vigie.db"
expect_eq "$(stat -c %a "$T/vigie.db")" 644 "the restored copy's mode"

want="$T/vigie.yaml:1:11: warning: the database $T/vigie.db is readable by group or others (mode 0644)"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --check
expect_grep "$want" "$T/err"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" check
expect_grep "$want" "$T/err"

# The daemon logs it at start.
"$VIGIED" -c "$T/vigie.yaml" 2>"$T/log" &
PIDS+=($!)
wait_for grep -qF "started:" "$T/log" || fail "vigied did not start: $(cat "$T/log")"
wait_for grep -qF "warning: the database $T/vigie.db is readable by group or others" "$T/log" ||
	fail "no warning at start: $(cat "$T/log")"
kill "${PIDS[-1]}"
wait "${PIDS[-1]}"
expect_eq "$?" 0 "vigied's exit after SIGTERM"

chmod 600 "$T/vigie.db"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --check
expect_no_grep "readable by group or others" "$T/err"
exit 0
