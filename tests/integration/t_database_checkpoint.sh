#!/usr/bin/env bash
# After a cycle that wrote, vigied copies its write-ahead log into the
# database file (a passive checkpoint): a file-level copy of vigie.db
# alone (cp, rsync, a backup tool that leaves out vigie.db-wal) already
# holds the cycle's alerts and notifications, even while another program
# (the console, a reader) keeps the database open, which stops SQLite's
# own checkpoint when the last connection closes.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1
hr_config
cp "$SRC"/tests/integration/web-rules.yaml "$T/rules.d/10-web.yaml"
C=(-c "$T/vigie.yaml")

expect_exit 0 "$VIGIE" "${C[@]}" import "$SRC"/contrib/demo/valdis-*.csv
# A reader that keeps the database open, out of any transaction, as the
# console does between requests.
mkfifo "$T/hold"
$PY -c 'import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
c.execute("SELECT count(*) FROM unit").fetchall()
print("open", flush=True)
open(sys.argv[2]).read()' "$T/vigie.db" "$T/hold" >"$T/holder.out" &
PIDS+=($!)
wait_for grep -q open "$T/holder.out" || fail "the reader did not open the database"

expect_exit 0 "$VIGIED" "${C[@]}" --once
active=$(db "SELECT count(*) FROM alert WHERE active")
[ "$active" -ge 4 ] || fail "the demo should have several active alerts, not $active"
[ -s "$T/vigie.db-wal" ] || fail "the reader should keep the write-ahead log there"
cp "$T/vigie.db" "$T/copy.db"
expect_eq "$(sqlite3 "$T/copy.db" "PRAGMA integrity_check")" "ok" "the copy of the file alone"
expect_eq "$(sqlite3 "$T/copy.db" "SELECT count(*) FROM alert WHERE active")" "$active" \
	"the active alerts in a copy of vigie.db without its -wal"
expect_eq "$(sqlite3 "$T/copy.db" "SELECT count(*) FROM message")" "$(db "SELECT count(*) FROM message")" \
	"the notifications in the copy"
echo >"$T/hold"
exit 0
