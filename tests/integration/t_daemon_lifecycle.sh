#!/usr/bin/env bash
# vigied as systemd runs it: READY/STATUS/WATCHDOG on the notification
# socket, SIGHUP reloads (a broken rule file keeps the old set running, a
# fixed one brings its alerts), the inbox is ingested within 2 s of a rename
# (a malformed file goes to rejected/ with its errors), no CPU between
# cycles, SIGTERM stops cleanly with exit 0.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1

make_config "locale: en
metrics_file: $T/vigie.prom"
cat >"$T/rules.d/10-conflicts.yaml" <<'YAML'
rules:
  - id: conflicts-high
    title: "Many conflicts"
    value: conflicts
    above: { warning: 2, critical: 5 }
YAML
cat >"$T/inbox/2026-01.csv" <<'CSV'
unit,period,headcount,conflicts
acme/a,2026-01,10,1
acme/b,2026-01,8,3
CSV

$PY "$SRC/tests/integration/daemon_notify.py" "$T/notify.sock" "$T/notify.log" &
PIDS+=($!)
wait_for test -S "$T/notify.sock" || fail "notification socket not created"
touch "$T/notify.log"

NOTIFY_SOCKET="$T/notify.sock" WATCHDOG_USEC=400000 \
	"$VIGIED" -c "$T/vigie.yaml" 2>"$T/vigied.err" &
VPID=$!
PIDS+=($VPID)

wait_for grep -qx 'READY=1' "$T/notify.log" || { cat "$T/vigied.err"; fail "no READY=1"; }
wait_for grep -q '^STATUS=' "$T/notify.log" || fail "no STATUS="
expect_grep 'STATUS=2026-01: 3 units, 1 rules, 2 active (0 critical), 0 pending' "$T/notify.log"
wait_for grep -qx 'WATCHDOG=1' "$T/notify.log" || fail "no WATCHDOG=1 with WATCHDOG_USEC set"
# Pings keep coming every 200 ms (5 a second; 2 is enough on a busy machine).
n1=$(grep -cx 'WATCHDOG=1' "$T/notify.log")
sleep 1
n2=$(grep -cx 'WATCHDOG=1' "$T/notify.log")
[ "$n2" -ge $((n1 + 2)) ] || fail "watchdog pings stopped ($n1 then $n2)"
[ -f "$T/inbox/processed/2026-01.csv" ] || fail "first file not processed at start"

# Idle: apart from watchdog pings, no CPU (no busy loop).
t0=$(awk '{print $14 + $15}' /proc/$VPID/stat)
sleep 1
t1=$(awk '{print $14 + $15}' /proc/$VPID/stat)
[ $((t1 - t0)) -le 5 ] || fail "vigied used $((t1 - t0)) ticks of CPU in 1 s while idle"

# A file renamed into the inbox is imported within 2 s.
cat >"$T/.stage.csv" <<'CSV'
unit,period,headcount,conflicts
acme/a,2026-02,10,6
acme/b,2026-02,8,1
CSV
mv "$T/.stage.csv" "$T/inbox/2026-02.csv"
# (Under valgrind everything is ~20 times slower: allow 20 s there.)
limit=20; [ "${VIGIE_VALGRIND:-0}" = 1 ] && limit=200
for i in $(seq 1 $limit); do [ -f "$T/inbox/processed/2026-02.csv" ] && break; sleep 0.1; done
[ -f "$T/inbox/processed/2026-02.csv" ] || fail "renamed file not ingested within $((limit / 10)) s"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" alerts --format json
$PY - "$T/out" <<'PY' || fail "alerts after the second file"
import json, sys
got = sorted((a["id"], a["severity"], a["value"]) for a in json.load(open(sys.argv[1])))
want = [("conflicts-high@acme", "critical", 7.0), ("conflicts-high@acme/a", "critical", 6.0)]
assert got == want, got
PY

# A malformed file lands in rejected/ with NAME.errors.txt; nothing else moves.
printf 'unit,period,headcount,conflicts\nacme/a,2026-03,10,-2\n' >"$T/.bad"
mv "$T/.bad" "$T/inbox/bad.csv"
wait_for test -f "$T/inbox/rejected/bad.csv.errors.txt" || fail "malformed file not rejected"
[ -f "$T/inbox/rejected/bad.csv" ] || fail "rejected file not kept"
expect_grep 'bad.csv:2:' "$T/inbox/rejected/bad.csv.errors.txt"
expect_grep 'bad.csv:2:' "$T/vigied.err"
expect_eq "$(sqlite3 "$T/vigie.db" "SELECT count(*) FROM import_log WHERE source = 'bad.csv'")" 0
# (and 2026-02.csv.warnings.txt: a month long ended after one evaluated,
# t_import_backfill)
expect_eq "$(ls "$T/inbox/processed" | grep -v '\.warnings\.txt$')" "$(printf '2026-01.csv\n2026-02.csv')"
expect_eq "$(ls "$T/inbox/rejected")" "$(printf 'bad.csv\nbad.csv.errors.txt')"

# SIGHUP: RELOADING=1 then READY=1 again.
kill -HUP $VPID
wait_for grep -qx 'RELOADING=1' "$T/notify.log" || fail "no RELOADING=1"
wait_for count_at_least 2 'READY=1' "$T/notify.log" || fail "no READY=1 after reload"

# A broken rule file: still running, error with file:line:col, old rules kept.
cat >"$T/rules.d/20-small.yaml" <<'YAML'
rules:
  - id: small-team
    title: "Small team"
    value: headcount
    below: { warning: 9 }
    treshold: 3
YAML
kill -HUP $VPID
wait_for grep -q "20-small.yaml:6:5: error: unknown key \"treshold\"" "$T/vigied.err" ||
	{ cat "$T/vigied.err"; fail "reload error not logged with file:line:col"; }
wait_for count_at_least 3 'READY=1' "$T/notify.log" || fail "no READY=1 after the failed reload"
kill -0 $VPID || fail "vigied died on a broken rule file"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" alerts --format json
expect_no_grep 'small-team' "$T/out"
expect_grep '"conflicts-high@acme/a"' "$T/out"
# Seen outside the log too: vigie status and the metrics say the reload
# failed (what systemctl reload does not).
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" status
expect_grep "reload:       failed at " "$T/out"
expect_grep ": vigied runs the configuration and rules it had before (its log says why); fix them and reload again" "$T/out"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" status --format json
$PY -c 'import json,sys; assert json.load(open(sys.argv[1]))["reload_failed_at"].endswith("Z")' "$T/out" ||
	fail "reload_failed_at in the JSON: $(cat "$T/out")"
wait_for grep -qx 'vigie_config_last_reload_successful 0' "$T/vigie.prom" || fail "the metric after the failed reload"
# and systemctl status, whose line is the daemon's STATUS=.
wait_for grep -q '^STATUS=reload failed (the previous configuration runs, see the log); 2026-0' "$T/notify.log" ||
	{ cat "$T/notify.log"; fail "STATUS= after the failed reload"; }

# Fixed: the new rule's alert appears (acme/b has 8 people, below 9).
sed -i '/treshold/d' "$T/rules.d/20-small.yaml"
kill -HUP $VPID
wait_for sh -c "'$VIGIE' -c '$T/vigie.yaml' alerts --format json | grep -q 'small-team@acme/b'" ||
	fail "the fixed rule's alert did not appear"
kill -0 $VPID || fail "vigied died"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" status
expect_no_grep "reload:" "$T/out"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" status --format json
$PY -c 'import json,sys; assert json.load(open(sys.argv[1]))["reload_failed_at"] is None' "$T/out" ||
	fail "reload_failed_at after the fix: $(cat "$T/out")"
wait_for grep -qx 'vigie_config_last_reload_successful 1' "$T/vigie.prom" || fail "the metric after the fixed reload"

# SIGTERM: STOPPING=1 and exit 0.
kill -TERM $VPID
wait $VPID
rc=$?
expect_eq "$rc" 0 "vigied exit status after SIGTERM"
expect_grep 'STOPPING=1' "$T/notify.log"
PIDS=("${PIDS[0]}")
exit 0
