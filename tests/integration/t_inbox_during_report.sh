#!/usr/bin/env bash
# SPEC 8: a file renamed into the inbox is ingested within 2 s, also while
# vigied makes the scheduled works council report of a large company (here
# 500 teams, some seconds of rendering before the email can go). The
# file is imported while the report is still being made (its unnamed file
# open beside the database, no email at the server yet), and the cycle
# that follows the delivery evaluates it.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1
source "$VIGIE_SRC/tests/integration/notify_lib.sh"
command -v sqlite3 >/dev/null || { echo "sqlite3 missing"; exit 77; }

# Tenths of a second the import may take (SPEC: 2 s).
LIMIT=20
slow=1
[ "${VIGIE_VALGRIND:-0}" = 1 ] && LIMIT=100 slow=10

mkdir -p "$T/rules.d" "$T/inbox" "$T/db"
cat >"$T/rules.d/r.yaml" <<'YAML'
rules:
  - id: conflicts-high
    title: "Many conflicts"
    value: conflicts
    scope: "acme/*/*"
    above: { warning: 2, critical: 5 }
    notify: [hr]
YAML
# 500 teams up to the last complete quarter (LAST): no conflicts above
# 1, so nothing fires before the late file.
LAST=$($PY "$SRC/tests/integration/teams_csv.py" "$T/teams.csv" 500 7)
SPORT=$(free_port)
notify_smtpd "$T/mail" "$SPORT"
report_config "$T/vigie.yaml" "$T/db/vigie.db" "$SPORT" "inbox: $T/inbox"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/teams.csv"

"$VIGIED" -c "$T/vigie.yaml" 2>"$T/vigied.err" &
VPID=$!
PIDS+=("$VPID")
# The report is being made: vigied holds its unnamed file (O_TMPFILE, seen
# as "#NUMBER (deleted)") in the database's folder.
rendering() {
	ls -l "/proc/$VPID/fd" 2>/dev/null | grep -q "$T/db/#[0-9]* (deleted)"
}
for _ in $(seq 1 $((300 * slow))); do
	rendering && break
	sleep 0.05
done
rendering || { cat "$T/vigied.err"; fail "vigied did not start making the report"; }

inbox_drop late.csv "$(printf 'unit,period,headcount,conflicts\nacme/s1/t5,%s,13,7\n' "$LAST")" $LIMIT
rendering || fail "the report was no longer being made when the file was ingested: make it larger"
expect_eq "$(notify_count "$T/mail")" 0 "emails at the server when the file was ingested"
expect_eq "$($PY "$SRC/tests/integration/dbvalues.py" "$T/db/vigie.db" | grep "^acme/s1/t5,$LAST,conflicts")" \
	"acme/s1/t5,$LAST,conflicts,7.0" "the value imported"

# The report goes out, then the next cycle evaluates the new month.
fired() {
	[ "$(sqlite3 "$T/db/vigie.db" "SELECT count(*) FROM event WHERE kind = 'firing'" 2>/dev/null)" = 1 ]
}
for _ in $(seq 1 $((600 * slow))); do
	fired && break
	sleep 0.1
done
fired || { cat "$T/vigied.err"; sqlite3 "$T/db/vigie.db" "SELECT kind FROM event"; fail "the new data was not evaluated after the report"; }
expect_eq "$(sqlite3 "$T/db/vigie.db" "SELECT unit || ' ' || severity FROM event WHERE kind = 'firing'")" \
	"acme/s1/t5 critical" "the alert the late file raised"
kill "$VPID"
wait "$VPID"
expect_eq "$?" 0 "vigied's exit status"
exit 0
