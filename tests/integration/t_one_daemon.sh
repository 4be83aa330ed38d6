#!/usr/bin/env bash
# One daemon per database (SPEC 8). A second vigied on the same database
# (through the same configuration or another, or a symbolic link to the
# database) exits 75 and names the pid that holds DATABASE.lock (mode
# 0600); a hard link, which SQLite cannot see through, is warned about. `vigied --once` waits for the lock
# (at most an interval): while the service runs, it gives up with 75 and
# sends nothing; after another --once, it runs. Each pending webhook is
# received exactly once. A writer that holds the database for longer than
# 3 x the busy timeout while a webhook is being sent does not make it go
# twice: the success is recorded once the writer lets go. A database file
# deleted or replaced while the daemon runs stops it with exit 74.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1
command -v sqlite3 >/dev/null || { echo "sqlite3 missing"; exit 77; }
source "$VIGIE_SRC/tests/integration/notify_lib.sh"

HOLD=${T_ONE_DAEMON_HOLD:-1.5}	# seconds the writer holds the database
cat >"$T/data.csv" <<'CSV'
unit,period,headcount,conflicts
acme/a,2026-01,10,6
CSV
mkdir -p "$T/rules.d"
cat >"$T/rules.d/r.yaml" <<'YAML'
rules:
  - id: conflicts-high
    title: "Many conflicts"
    value: conflicts
    above: { warning: 2 }
    notify: [hr]
YAML
# conf NAME PORT INTERVAL: a configuration NAME.yaml on the one database.
conf() {
	cat >"$T/$1.yaml" <<YAML
database: $T/vigie.db
rules: $T/rules.d
interval: $3
webhooks:
  hook:
    url: http://127.0.0.1:$2/hook
    timeout: 10s
recipients:
  hr:
    - webhook: [hook]
YAML
}
posts() { grep -c . "$1" 2>/dev/null || echo 0; }
has_message() { [ "$(db "SELECT count(*) FROM message" 2>/dev/null)" = 1 ]; }
is_sent() { [ "$(db "SELECT status FROM message" 2>/dev/null)" = sent ]; }

# --- 1. A second daemon, --once while the service sends ---
P=$(free_port)
notify_webhook "$T/hook.log" "$P" --sleep 2
conf svc "$P" 1h
conf once "$P" 1s
expect_exit 0 "$VIGIE" -c "$T/svc.yaml" import "$T/data.csv"
"$VIGIED" -c "$T/svc.yaml" 2>"$T/svc.err" &
VPID=$!
PIDS+=($VPID)
wait_for grep -q "started:" "$T/svc.err" || { cat "$T/svc.err"; fail "vigied did not start"; }
expect_eq "$(stat -c %a "$T/vigie.db.lock")" 600
expect_exit 75 "$VIGIED" -c "$T/svc.yaml"
expect_grep "another vigied (pid $VPID) is running on the database $T/vigie.db" "$T/err"
# vigie status says which process runs on the database, read from the
# kernel's table of locks (no lock taken: a daemon starting meanwhile
# would find it free).
expect_exit 0 "$VIGIE" -c "$T/svc.yaml" status
expect_grep "daemon:       running (pid $VPID)" "$T/out"
expect_exit 0 "$VIGIE" -c "$T/svc.yaml" status --format json
expect_eq "$($PY -c 'import json,sys; d=json.load(open(sys.argv[1]))["daemon"]; print(d["running"], d["pid"])' "$T/out")" "True $VPID" "status JSON"
# Through a symbolic link to the database: the same lock, beside the file.
mkdir "$T/other"
ln -s "$T/vigie.db" "$T/other/vigie.db"
sed "s|^database: .*|database: $T/other/vigie.db|" "$T/svc.yaml" >"$T/link.yaml"
expect_exit 75 "$VIGIED" -c "$T/link.yaml"
expect_grep "another vigied (pid $VPID) is running" "$T/err"
[ -e "$T/other/vigie.db.lock" ] && fail "a lock beside the link"
# A hard link cannot be seen through: --check and a daemon on either name
# refuse it.
ln "$T/vigie.db" "$T/other/hard.db"
expect_exit 78 "$VIGIED" -c "$T/svc.yaml" --check
expect_grep "error: the database $T/vigie.db has 2 names (hard links): a vigied started on another name would not see this one" "$T/err"
sed "s|^database: .*|database: $T/other/hard.db|" "$T/svc.yaml" >"$T/hard.yaml"
expect_exit 78 "$VIGIED" -c "$T/hard.yaml"
expect_grep "the database $T/other/hard.db has 2 names (hard links)" "$T/err"
# The running daemon says it at its next reload, which keeps what runs.
kill -HUP "$VPID"
refused() { grep -q "the database $T/vigie.db has 2 names (hard links)" "$T/svc.err"; }
wait_for refused || { cat "$T/svc.err"; fail "a hard link made since the start, at a reload"; }
expect_grep "reload failed; still running with the previous configuration and rules" "$T/svc.err"
rm "$T/other/hard.db"
expect_exit 75 "$VIGIED" -c "$T/once.yaml"
# The service is sending (the receiver answers after 2 s): --once now.
wait_for has_message || fail "no message"
expect_exit 75 "$VIGIED" -c "$T/once.yaml" --once
expect_grep "waiting up to 1 s" "$T/err"
expect_grep "gave up waiting" "$T/err"
wait_for is_sent || { cat "$T/svc.err"; fail "the service did not send"; }
expect_eq "$(posts "$T/hook.log")" 1 "one POST while the service and --once ran"
kill -TERM "$VPID"
wait "$VPID" || fail "vigied did not stop with 0"
expect_exit 0 "$VIGIE" -c "$T/svc.yaml" status
expect_grep "daemon:       not running: no vigied holds $T/vigie.db.lock" "$T/out"
# Two --once at a time: the second waits for the first, then sends nothing
# again.
db "UPDATE message SET status = 'pending', next_at = 0"
: >"$T/hook.log"
conf once30 "$P" 30s
"$VIGIED" -c "$T/once30.yaml" --once 2>"$T/o1.err" &
O1=$!
wait_for grep -q . "$T/o1.err" || true
"$VIGIED" -c "$T/once30.yaml" --once 2>"$T/o2.err" &
O2=$!
wait "$O1" || { cat "$T/o1.err"; fail "first --once failed"; }
wait "$O2" || { cat "$T/o2.err"; fail "second --once failed"; }
expect_eq "$(posts "$T/hook.log")" 1 "one POST for two --once"
notify_stop "$HOOK_PID"

# --- 2. Another writer holds the database while a webhook is sent ---
rm -f "$T/vigie.db"* "$T/lock.log"
P=$(free_port)
conf lock "$P" 1h
expect_exit 0 "$VIGIE" -c "$T/lock.yaml" import "$T/data.csv"
$PY "$SRC/tests/integration/locking_webhook.py" "$P" "$T/lock.log" "$T/vigie.db" "$HOLD" \
	>>"$T/webhook.log" 2>&1 &
LPID=$!
PIDS+=($LPID)
wait_for test -e "$T/lock.log.ready" || fail "locking receiver did not start"
VIGIE_BUSY_TIMEOUT_MS=300 "$VIGIED" -c "$T/lock.yaml" --once 2>"$T/lock.err" ||
	{ cat "$T/lock.err"; fail "--once failed while the database was held"; }
expect_eq "$(db "SELECT status || ' ' || attempts FROM message")" "sent 1"
expect_grep "delivered but cannot be recorded yet" "$T/lock.err"
VIGIE_BUSY_TIMEOUT_MS=300 "$VIGIED" -c "$T/lock.yaml" --once 2>>"$T/lock.err" ||
	{ cat "$T/lock.err"; fail "second --once failed"; }
sleep "$HOLD"
expect_eq "$(posts "$T/lock.log")" 1 "sent once, whatever the busy database"
# The locking receiver opens the database by its path when a POST comes:
# stopped here, or it would create a new file where section 3 deletes one.
kill "$LPID" 2>/dev/null
wait "$LPID" 2>/dev/null

# --- 3. The database deleted, or replaced, under the daemon ---
for how in deleted replaced; do
	rm -f "$T/vigie.db"*
	expect_exit 0 "$VIGIE" -c "$T/lock.yaml" import "$T/data.csv"
	"$VIGIED" -c "$T/lock.yaml" 2>"$T/gone.err" &
	VPID=$!
	PIDS+=($VPID)
	wait_for grep -q "started:" "$T/gone.err" || { cat "$T/gone.err"; fail "vigied did not start"; }
	if [ $how = deleted ]; then
		rm -f "$T/vigie.db"
	else
		# A backup from before the daemon's first cycle, restored over
		# the file it writes: its write-ahead log holds that cycle.
		sqlite3 "$T/vigie.db" ".backup '$T/old.db'"
		wait_for grep -q "transitions" "$T/gone.err" || { cat "$T/gone.err"; fail "no cycle"; }
		expect_eq "$(($(stat -c %s "$T/vigie.db-wal") > 0))" 1 "a write-ahead log in use"
		cp "$T/old.db" "$T/other.db"
		mv "$T/other.db" "$T/vigie.db"
	fi
	kill -HUP "$VPID"	# a cycle
	for i in $(seq 1 50); do kill -0 "$VPID" 2>/dev/null || break; sleep 0.1; done
	kill -0 "$VPID" 2>/dev/null && { kill -KILL "$VPID"; cat "$T/gone.err"; fail "vigied kept running on a $how database"; }
	wait "$VPID"
	rc=$?
	[ $rc = 74 ] || { cat "$T/gone.err"; fail "vigied exited $rc on a $how database, expected 74"; }
	expect_grep "the database file $T/vigie.db $( [ $how = deleted ] && echo "was deleted" || echo "was replaced")" "$T/gone.err"
done
# The replaced file's log was emptied into the file it belonged to: left
# beside the restored one, SQLite would apply it there (a corrupt file).
expect_eq "$(stat -c %s "$T/vigie.db-wal" 2>/dev/null || echo 0)" 0 "the old write-ahead log"
expect_eq "$(sqlite3 "$T/vigie.db" "PRAGMA integrity_check")" ok "the restored file"
expect_eq "$(sqlite3 "$T/vigie.db" "SELECT count(*) FROM cycle")" "$(sqlite3 "$T/old.db" "SELECT count(*) FROM cycle")" \
	"the restored file holds the backup's cycles, not the daemon's"
exit 0
