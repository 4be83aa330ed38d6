#!/usr/bin/env bash
# The systemd watchdog is fed during every long step (SPEC 8), measured at a
# stand-in notification socket with WATCHDOG_USEC=2 s: the pings must never
# be further apart than WATCHDOG_USEC/2 while vigied imports a file with a
# header of a million columns (checked for duplicates in one pass, its
# empty columns left out), and while three HTTP sources accept connections
# and never answer (pulled side by side: one timeout, not three). A
# notification already pending goes out before the pulls, at once, not
# after them; the sources' failures are recorded, and the token in one
# source's query string appears nowhere (logs, vigie status, database).
# And while it makes the scheduled works council report of 400 teams.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1
source "$VIGIE_SRC/tests/integration/notify_lib.sh"
command -v sqlite3 >/dev/null || { echo "sqlite3 missing"; exit 77; }

WD=2000000	# WATCHDOG_USEC
LIMIT=1.0	# seconds: WATCHDOG_USEC / 2
slow=1
# Under valgrind (make memcheck) times mean nothing: only the rest is checked.
[ "${VIGIE_VALGRIND:-0}" = 1 ] && slow=10 LIMIT=1000
# Under ASan, two or three times slower and beside other tests, three
# quarters of WATCHDOG_USEC: still short of the gap at which systemd kills.
[ "$(basename "$VIGIE_BIN")" = build-san ] && LIMIT=1.5

cat >"$T/rules.d.yaml" <<'YAML'
rules:
  - id: conflicts-high
    title: "Many conflicts"
    value: conflicts
    above: { warning: 2, critical: 5 }
    notify: [hr]
YAML
mkdir -p "$T/rules.d" "$T/inbox"
mv "$T/rules.d.yaml" "$T/rules.d/r.yaml"

# start_daemon CONFIG: vigied under a stand-in systemd with a watchdog.
start_daemon() {
	rm -f "$T/notify.log" "$T/pings" "$T/notify.sock"
	$PY "$SRC/tests/integration/daemon_notify.py" "$T/notify.sock" "$T/notify.log" \
		"$T/pings" &
	NPID=$!
	PIDS+=($NPID)
	wait_for test -S "$T/notify.sock" || fail "notification socket not created"
	touch "$T/notify.log" "$T/pings"
	NOTIFY_SOCKET="$T/notify.sock" WATCHDOG_USEC=$WD \
		"$VIGIED" -c "$1" 2>>"$T/vigied.err" &
	VPID=$!
	PIDS+=($VPID)
	wait_for grep -qx 'READY=1' "$T/notify.log" || { cat "$T/vigied.err"; fail "no READY=1"; }
}
stop_daemon() {
	kill -TERM "$VPID"
	wait "$VPID"
	local rc=$?
	[ $rc = 0 ] || { cat "$T/vigied.err"; fail "vigied exited $rc on SIGTERM"; }
	kill "$NPID" 2>/dev/null
	wait "$NPID" 2>/dev/null
}
gaps() {
	$PY "$SRC/tests/integration/watchdog_gaps.py" "$T/pings" "$LIMIT" ||
		{ tail -n 20 "$T/vigied.err"; fail "watchdog pings more than $LIMIT s apart ($1)"; }
}

# --- 1. A header of a million columns ---
cat >"$T/a.yaml" <<YAML
database: $T/vigie.db
rules: $T/rules.d
inbox: $T/inbox
YAML
start_daemon "$T/a.yaml"
$PY - "$T/.wide.csv" <<'PY'
import sys
n = 1000000
with open(sys.argv[1], "w") as f:
    f.write("unit,period," + ",".join("i%d" % k for k in range(n)) + "\n")
    f.write("acme/a,2026-01,1,2,3" + "," * (n - 3) + "\n")
PY
mv "$T/.wide.csv" "$T/inbox/wide.csv"
for i in $(seq 1 $((200 * slow))); do
	[ -e "$T/inbox/processed/wide.csv" ] && break
	sleep 0.1
done
# (A daemon stuck in a long step does not read its SIGTERM: killed.)
[ -e "$T/inbox/processed/wide.csv" ] || { kill -KILL "$VPID"; tail "$T/vigied.err"; fail "the wide file was not imported within $((20 * slow)) s"; }
# Its three values, and three indicators, not a million.
expect_eq "$(sqlite3 "$T/vigie.db" "SELECT count(*) FROM indicator")" 3
gaps "importing a million columns"
stop_daemon

# --- 2. Hung sources, and a notification already pending ---
HPORT_FILE=$T/hung.port
$PY "$SRC/tests/integration/hung_server.py" http "$HPORT_FILE" &
PIDS+=($!)
wait_for test -s "$HPORT_FILE" || fail "the hung server did not start"
HPORT=$(cat "$HPORT_FILE")
WPORT=$(free_port)
cat >"$T/data.csv" <<'CSV'
unit,period,headcount,conflicts
acme/b,2026-01,12,6
CSV
hooks="webhooks:
  hook:
    url: http://127.0.0.1:$WPORT/hook
    timeout: 5s
recipients:
  hr:
    - webhook: [hook]"
# First run without sources and with the receiver down: one message
# pending, due again at once.
cat >"$T/b.yaml" <<YAML
database: $T/vigie.db
rules: $T/rules.d
$hooks
YAML
expect_exit 0 "$VIGIE" -c "$T/b.yaml" import "$T/data.csv"
expect_exit 0 "$VIGIED" -c "$T/b.yaml" --once
expect_eq "$(sqlite3 "$T/vigie.db" "SELECT status FROM message")" pending
sqlite3 "$T/vigie.db" "UPDATE message SET next_at = 0"
$PY "$SRC/tests/integration/notify_webhook.py" --port "$WPORT" --log "$T/hook.log" \
	>>"$T/webhook.log" 2>&1 &
PIDS+=($!)
wait_for test -e "$T/hook.log.ready" || fail "webhook receiver did not start"
cat >"$T/c.yaml" <<YAML
database: $T/vigie.db
rules: $T/rules.d
$hooks
sources:
  - name: one
    type: http
    url: http://127.0.0.1:$HPORT/one.csv?api_key=SeKrEt-one
    timeout: 6s
  - name: two
    type: http
    url: http://127.0.0.1:$HPORT/two.csv
    timeout: 6s
  - name: three
    type: http
    url: http://127.0.0.1:$HPORT/three.csv
    timeout: 6s
YAML
t0=$(date +%s.%N)
start_daemon "$T/c.yaml"
# Delivered while the sources still hang (they time out after 6 s).
wait_for test -s "$T/hook.log" || fail "the pending webhook was not delivered while the sources hang"
t1=$(date +%s.%N)
$PY -c "import sys; d = float(sys.argv[2]) - float(sys.argv[1]); sys.exit(0 if d < 4 * $slow else 1)" "$t0" "$t1" ||
	fail "the pending webhook waited for the sources"
# The three sources fail together, after one timeout.
for i in $(seq 1 $((150 * slow))); do
	[ "$(sqlite3 "$T/vigie.db" "SELECT count(*) FROM source_state WHERE last_error IS NOT NULL")" = 3 ] && break
	sleep 0.1
done
expect_eq "$(sqlite3 "$T/vigie.db" "SELECT count(*) FROM source_state WHERE last_error IS NOT NULL")" 3
kill -0 "$VPID" 2>/dev/null || fail "vigied died"
gaps "pulling from hung sources"
expect_eq "$(grep -c . "$T/hook.log")" 1 "one POST"
# No token anywhere: the query string is shown as ?…
expect_exit 0 "$VIGIE" -c "$T/c.yaml" status
expect_grep "one.csv?…" "$T/out"
expect_no_grep "SeKrEt" "$T/out"
expect_grep "one.csv?…" "$T/vigied.err"
expect_no_grep "SeKrEt" "$T/vigied.err"
sqlite3 "$T/vigie.db" .dump >"$T/dump.sql"
expect_no_grep "SeKrEt" "$T/dump.sql"
stop_daemon

# --- 3. The scheduled works council report of 400 teams, made when its
# email goes ---
$PY "$SRC/tests/integration/teams_csv.py" "$T/teams.csv" 400 5 >/dev/null
SPORT=$(free_port)
notify_smtpd "$T/mail" "$SPORT"
report_config "$T/d.yaml" "$T/report.db" "$SPORT"
expect_exit 0 "$VIGIE" -c "$T/d.yaml" import "$T/teams.csv"
start_daemon "$T/d.yaml"
report_msg() {
	sqlite3 "$T/report.db" "SELECT m.status || ' ' || m.attempts FROM message m
		JOIN message_item i ON i.message = m.id JOIN event e ON e.id = i.event
		WHERE e.kind = 'report'" 2>/dev/null
}
for i in $(seq 1 $((300 * slow))); do
	[ "$(report_msg)" = "sent 1" ] && break
	sleep 0.1
done
expect_eq "$(report_msg)" "sent 1" "the report's email"
gaps "making the works council report of 400 teams"
stop_daemon
exit 0
