#!/usr/bin/env bash
# Files moved into the inbox one after the other, as a script's loop moves
# a backlog of months (each written as a dot-file, then renamed), come
# milliseconds apart: one cycle ingests and evaluates them together, so
# that a month already superseded is not notified (vigied(8)): August's
# conflicts, gone in September, fire nothing and resolve nothing. A file
# that comes alone is still evaluated within 2 s (SPEC 8). The journal
# says how many warnings a file had and where they are, not what they
# say: they name units and what is odd in their figures (SPEC 3: logs).
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1
source "$VIGIE_SRC/tests/integration/notify_lib.sh"
command -v sqlite3 >/dev/null || { echo "sqlite3 missing"; exit 77; }

port=$(free_port)
notify_webhook "$T/hook.log" "$port"
make_config "webhooks:
  ops:
    url: http://127.0.0.1:$port
    timeout: 5s
recipients:
  hr:
    - webhook: [ops]"
conflicts_rule
"$VIGIED" -c "$T/vigie.yaml" 2>"$T/vigied.err" &
VPID=$!
PIDS+=("$VPID")
wait_for grep -q started "$T/vigied.err" || { cat "$T/vigied.err"; fail "vigied did not start"; }
# at_least N SQL: the count SQL gives is N or more (wait_for runs it anew).
at_least() { [ "$(db "$2")" -ge "$1" ]; }
wait_for at_least 1 "SELECT count(*) FROM cycle" || fail "no first cycle"

# The last three months, by the clock (older ones would be warned of as a
# history sent month by month, which is not what this test looks at).
month() { date -u -d "$(date -u +%Y-%m-15) -$1 months" +%Y-%m; }
printf 'unit,period,headcount,conflicts\nacme/a,%s,20,5\n' "$(month 3)" >aug.csv
printf 'unit,period,headcount,conflicts\nacme/a,%s,20,0\n' "$(month 2)" >sep.csv
for f in aug sep; do
	cp "$f.csv" "$T/inbox/.$f.csv"
	mv "$T/inbox/.$f.csv" "$T/inbox/$f.csv"
done
wait_for [ -e "$T/inbox/processed/sep.csv" ] || { cat "$T/vigied.err"; fail "not ingested"; }
wait_for at_least 2 "SELECT count(*) FROM cycle" || fail "no cycle after the files"
sleep 1
expect_eq "$(db "SELECT count(*) FROM cycle")" 2 "one cycle for both files"
expect_eq "$(db "SELECT count(*) FROM event")" 0 "August, superseded, is not notified"
posts() { [ -e "$T/hook.log" ] && wc -l <"$T/hook.log" || echo 0; }
expect_eq "$(posts)" 0 "no POST"

# Alone, a file is evaluated at once; its warnings are beside it, and the
# journal says only how many and where.
printf 'unit,period,headcount,conflicts,workable_days,absence_days\nacme/a,%s,20,5,400,12\nacme/b,%s,6,0,120,130\n' "$(month 1)" "$(month 1)" >oct.csv
cp oct.csv "$T/inbox/.oct.csv"
mv "$T/inbox/.oct.csv" "$T/inbox/oct.csv"
wait_for at_least 1 "SELECT count(*) FROM event" || fail "October's alert not recorded"
posted() { [ "$(posts)" -ge 1 ]; }
wait_for posted || fail "October's alert not posted"
expect_grep "oct.csv:3:" "$T/inbox/processed/oct.csv.warnings.txt"
expect_grep "acme/b" "$T/inbox/processed/oct.csv.warnings.txt"
expect_grep "oct.csv: imported with 1 warning, the first at line 3, column " "$T/vigied.err"
expect_grep "; they are in $T/inbox/processed/oct.csv.warnings.txt" "$T/vigied.err"
expect_no_grep "acme/b" "$T/vigied.err"
