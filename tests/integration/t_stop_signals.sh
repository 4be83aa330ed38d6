#!/usr/bin/env bash
# SIGTERM and SIGINT stop vigied after the current transaction, with exit 0
# (SPEC 8), for `vigied --once` (what `systemctl stop` sends to a
# timer-driven unit) as for the daemon: while a webhook that never answers
# holds the delivery (its timeout 20 s away), and while --once waits for the
# database's lock, and while an SMTP server holds the answer to a message's
# end. The transfer in flight is abandoned, its claim released, nothing
# recorded against it; a later run delivers it.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1
source "$VIGIE_SRC/tests/integration/notify_lib.sh"
command -v sqlite3 >/dev/null || { echo "sqlite3 missing"; exit 77; }

# Seconds a stopped vigied may take to exit (the webhook's timeout is 20 s).
LIMIT=5
[ "${VIGIE_VALGRIND:-0}" = 1 ] && LIMIT=15

# A shell script's background jobs ignore SIGINT: start vigied with the
# default disposition, as systemd does.
vigied_bg() {
	$PY -c 'import os, signal, sys
signal.signal(signal.SIGINT, signal.SIG_DFL)
os.execv(sys.argv[1], sys.argv[1:])' "$VIGIED" "$@" &
	VPID=$!
	PIDS+=("$VPID")
}

# stop_within SIGNAL WHAT: sends SIGNAL to $VPID, expects exit 0 within LIMIT s.
stop_within() {
	local sig=$1 what=$2 t0 t1 rc
	t0=$(date +%s.%N)
	kill -"$sig" "$VPID"
	for _ in $(seq 1 $((LIMIT * 10))); do
		kill -0 "$VPID" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$VPID" 2>/dev/null; then
		kill -KILL "$VPID"
		wait "$VPID" 2>/dev/null
		cat "$T/vigied.err"
		fail "$what: still running $LIMIT s after SIG$sig"
	fi
	wait "$VPID"
	rc=$?
	t1=$(date +%s.%N)
	[ "$rc" = 0 ] || { cat "$T/vigied.err"; fail "$what: exit $rc after SIG$sig, expected 0"; }
	echo "$what: SIG$sig, exit 0 after $(awk "BEGIN { printf \"%.1f\", $t1 - $t0 }") s"
}

notify_data
secret=$(notify_secret)
printf '%s\n' "$secret" >"$T/hook.secret"
chmod 600 "$T/hook.secret"
$PY "$SRC/tests/integration/hung_server.py" http "$T/hung.port" &
HUNG=$!
PIDS+=("$HUNG")
wait_for test -e "$T/hung.port" || fail "hung server did not start"
port=$(cat "$T/hung.port")
make_config "webhooks:
  hook:
    url: http://127.0.0.1:$port/hook
    secret_file: $T/hook.secret
    timeout: 20s
recipients:
  hr:
    - webhook: [hook]"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/data.csv"

in_flight() {
	[ "$(notify_sql "SELECT count(*) FROM message WHERE claimed_by IS NOT NULL" \
	    2>/dev/null)" = 1 ]
}
# released: the message is pending, unclaimed, with no attempt recorded.
released() {
	expect_eq "$(notify_sql "SELECT status, attempts, claimed_by IS NULL FROM message")" \
	    "pending|0|1" "$1: the message after the stop"
	expect_eq "$(notify_sql "SELECT count(*) FROM attempt")" 0 "$1: attempts recorded"
}

# --- 1. vigied --once waiting for a hung webhook: SIGTERM, then SIGINT ---
for sig in TERM INT; do
	vigied_bg -c "$T/vigie.yaml" --once 2>"$T/vigied.err"
	wait_for in_flight || { cat "$T/vigied.err"; fail "--once: no delivery in flight"; }
	sleep 1.5
	stop_within "$sig" "--once during delivery"
	released "--once, SIG$sig"
	expect_eq "$(notify_sql "SELECT count(*) FROM event WHERE kind = 'firing'")" 2 \
	    "transitions kept"
done

# --- 2. the daemon, in the same place ---
for sig in TERM INT; do
	vigied_bg -c "$T/vigie.yaml" 2>"$T/vigied.err"
	wait_for in_flight || { cat "$T/vigied.err"; fail "daemon: no delivery in flight"; }
	sleep 1.5
	stop_within "$sig" "daemon during delivery"
	released "daemon, SIG$sig"
done

# --- 3. vigied --once waiting for the lock another process holds ---
$PY -c 'import fcntl, sys, time
f = open(sys.argv[1], "a")
fcntl.flock(f, fcntl.LOCK_EX)
open(sys.argv[2], "w").close()
time.sleep(60)' "$T/vigie.db.lock" "$T/held" &
HOLDER=$!
PIDS+=("$HOLDER")
wait_for test -e "$T/held" || fail "the lock holder did not start"
for sig in TERM INT; do
	vigied_bg -c "$T/vigie.yaml" --once 2>"$T/vigied.err"
	wait_for grep -q 'waiting up to' "$T/vigied.err" || { cat "$T/vigied.err"; fail "--once does not wait for the lock"; }
	sleep 1.5
	stop_within "$sig" "--once waiting for the lock"
done
kill "$HOLDER" 2>/dev/null
wait "$HOLDER" 2>/dev/null
released "after the lock wait"

# --- 4. a later run delivers what is owed, once ---
notify_stop "$HUNG"
notify_webhook "$T/hook.log" "$port" --secret "$secret"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_eq "$(notify_sql "SELECT status, attempts FROM message")" "sent|1" "after a later run"
expect_eq "$(wc -l <"$T/hook.log")" 1 "requests received"
$PY - "$T/hook.log" <<'PY' || fail "the delivered message differs"
import json, sys
reqs = [json.loads(l) for l in open(sys.argv[1])]
assert all(r["verified"] for r in reqs), reqs
ids = sorted(a["id"] for a in json.loads(reqs[0]["body"])["alerts"])
assert ids == ["conflicts-high@acme/metz/accueil", "conflicts-high@acme/nancy/logistique"], ids
PY
# --- 5. an SMTP server that takes a message and never answers its end:
# curl waits inside one call for that answer, where the loop cannot see
# the signal; the transfer is abandoned all the same, after a grace of 2 s
# for a server that answers (vigied(8)), not after its 20 s timeout.
$PY "$SRC/tests/integration/hung_server.py" smtp "$T/smtp.port" >"$T/smtp.log" &
SMTP=$!
PIDS+=("$SMTP")
wait_for test -e "$T/smtp.port" || fail "hung SMTP server did not start"
make_config "smtp:
  url: smtp://127.0.0.1:$(cat "$T/smtp.port")
  starttls: none
  from: vigie@example.org
  timeout: 20s
recipients:
  hr:
    - email: [rh@example.org]"
rm -f "$T"/vigie.db*	# a new database: alerts never notified
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/data.csv"
vigied_bg -c "$T/vigie.yaml" --once 2>"$T/vigied.err"
wait_for grep -q 'message swallowed' "$T/smtp.log" || { cat "$T/vigied.err"; fail "no message sent"; }
stop_within TERM "--once waiting for the end of DATA"
expect_grep "abandoned: stopping" "$T/vigied.err"
expect_eq "$(notify_sql "SELECT status, attempts, claimed_by IS NULL FROM message WHERE channel = 'email'")" \
    "pending|0|1" "the mail after the stop"
notify_stop "$SMTP"

exit 0
