#!/usr/bin/env bash
# Soak test of vigied (not part of make check): the daemon runs for SECONDS
# (default 600) with an inbox, `interval: 5s`, the shipped rule library and
# one signed webhook for every role, while CSV files of new months and new
# teams are renamed into the inbox every 3 s, SIGHUP arrives every 30 s, and
# the webhook receiver is stopped for 5-12 s every 20-40 s so deliveries
# fail and are retried with backoff. VmRSS is sampled every 2 s, with the
# database's size and the number of values imported. At the end
# the files stop, the receiver stays up, the daemon is stopped with SIGTERM
# (exit 0 expected; under ASan this is also the leak check) and
# `vigied --once`, which attempts every pending message, is run until the
# outbox is empty (at most 5 runs). tests/soak/soak_check.py then asserts a
# flat RSS, every message delivered exactly once by webhook-id, every
# transition received once, nothing pending, every file imported; see it
# for the exact bounds.
# usage: tests/soak/soak.sh BUILD_DIR [SECONDS]   (SOAK_KEEP=1 keeps the folder)
set -u
here=$(cd "$(dirname "$0")" && pwd)
SRC=$(cd "$here/../.." && pwd)
B=$(cd "${1:-build}" && pwd) || exit 2
DURATION=${2:-600}
PY=/usr/bin/python3
VIGIED="$B/vigied"
W=$(mktemp -d /tmp/vigie-soak.XXXXXX)
VPID='' HPID=''
# Under AddressSanitizer the daemon's exit status reports leaks; the
# suppressions are those of make check.
ASAN=0
if ldd "$VIGIED" 2>/dev/null | grep -q libasan; then
	ASAN=1
	export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
	export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$SRC/tests/lsan.supp:print_suppressions=0}
fi

cleanup() {
	local p
	for p in "$VPID" "$HPID"; do
		[ -n "$p" ] && kill "$p" 2>/dev/null && wait "$p" 2>/dev/null
	done
	if [ "${SOAK_KEEP:-0}" = 1 ]; then echo "soak: kept $W"; else rm -rf "$W"; fi
}
trap cleanup EXIT
fail() {
	echo "soak: FAIL: $*" >&2
	echo "--- last lines of the daemon's log" >&2
	tail -n 20 "$W/vigied.err" >&2 2>/dev/null
	exit 1
}

# --- receiver
port=$($PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
secret="whsec_$(head -c 32 /dev/urandom | base64)"
printf '%s\n' "$secret" >"$W/hook.secret"
chmod 600 "$W/hook.secret"
hook_up=0 restarts=0
start_hook() {
	local _
	rm -f "$W/hook.log.ready"
	$PY "$here/soak_webhook.py" --port "$port" --log "$W/hook.log" --secret "$secret" \
		>>"$W/hook.err" 2>&1 &
	HPID=$!
	for _ in $(seq 1 100); do [ -e "$W/hook.log.ready" ] && break; sleep 0.1; done
	[ -e "$W/hook.log.ready" ] || { cat "$W/hook.err"; fail "webhook receiver did not start"; }
	hook_up=1
}
stop_hook() {
	kill -TERM "$HPID" 2>/dev/null
	wait "$HPID" 2>/dev/null
	HPID='' hook_up=0
}

# --- configuration, with the history already in the inbox
mkdir -p "$W/inbox" "$W/stage"
cat >"$W/vigie.yaml" <<YAML
database: $W/vigie.db
rules: $SRC/etc/rules.d
inbox: $W/inbox
interval: 5s
locale: en
metrics_file: $W/metrics.prom
webhooks:
  hook:
    url: http://127.0.0.1:$port/hook
    secret_file: $W/hook.secret
    timeout: 5s
recipients:
  social-worker:
    - webhook: [hook]
  hr:
    - webhook: [hook]
  ops:
    - webhook: [hook]
YAML
"$VIGIED" -c "$W/vigie.yaml" --check >"$W/check.out" 2>&1 ||
	{ cat "$W/check.out"; fail "vigied --check refused the soak configuration"; }
step=0
drop() {	# writes step $step elsewhere, then renames it into the inbox
	local name
	name=$(printf 'soak-%04d.csv' "$step")
	$PY "$here/soak_gen.py" "$W/stage/.$name" "$step" || fail "soak_gen.py step $step"
	mv "$W/stage/.$name" "$W/inbox/$name"
	echo "$name" >>"$W/files"
	step=$((step + 1))
}
drop

start_hook
"$VIGIED" -c "$W/vigie.yaml" 2>"$W/vigied.err" &
VPID=$!
rss() {	# appends "ELAPSED RSS_KIB DB_KIB VALUES" (DB: pages in use, WAL included)
	local kb db
	kb=$(awk '/^VmRSS:/ {print $2}' "/proc/$VPID/status" 2>/dev/null) || return 0
	db=$(sqlite3 -separator ' ' "file:$W/vigie.db?mode=ro" \
		"SELECT page_count * page_size / 1024, (SELECT coalesce(sum(added), 0) FROM import_log)
		 FROM pragma_page_count, pragma_page_size" 2>/dev/null)
	[ -n "$kb" ] && echo "$(( $(date +%s) - t0 )) $kb ${db:-0 0}" >>"$W/rss"
}

echo "soak: $DURATION s, build $B$([ $ASAN = 1 ] && echo ' (ASan)'), folder $W"
t0=$(date +%s)
end=$((t0 + DURATION))
next_file=$((t0 + 3)) next_hup=$((t0 + 30)) next_rss=$t0
next_toggle=$((t0 + 20 + RANDOM % 21))
hups=0
while :; do
	now=$(date +%s)
	[ "$now" -lt "$end" ] || break
	# kill -0 succeeds on a zombie: read the state instead.
	state=$(awk '/^State:/ {print $2}' "/proc/$VPID/status" 2>/dev/null)
	[ -n "$state" ] && [ "$state" != Z ] ||
		{ wait "$VPID"; fail "vigied died (exit $?) after $((now - t0)) s"; }
	if [ "$now" -ge "$next_rss" ]; then rss; next_rss=$((now + 2)); fi
	if [ "$now" -ge "$next_file" ]; then drop; next_file=$((now + 3)); fi
	if [ "$now" -ge "$next_hup" ]; then
		kill -HUP "$VPID"; hups=$((hups + 1)); next_hup=$((now + 30))
	fi
	if [ "$now" -ge "$next_toggle" ]; then
		if [ $hook_up = 1 ]; then
			stop_hook; next_toggle=$((now + 5 + RANDOM % 8))
		else
			start_hook; restarts=$((restarts + 1)); next_toggle=$((now + 20 + RANDOM % 21))
		fi
	fi
	sleep 1
done

# --- drain: no more files, receiver up, every file processed
[ $hook_up = 1 ] || { start_hook; restarts=$((restarts + 1)); }
last=$(tail -n 1 "$W/files")
for _ in $(seq 1 300); do [ -e "$W/inbox/processed/$last" ] && break; sleep 0.1; done
[ -e "$W/inbox/processed/$last" ] || fail "the last file $last was not processed within 30 s"
sleep 1
rss
pending_at_end=$(sqlite3 "$W/vigie.db" "SELECT count(*) FROM message WHERE status = 'pending'")
kill -TERM "$VPID"
wait "$VPID"
rc=$?
VPID=''
[ $rc = 0 ] || fail "vigied exited $rc after SIGTERM$([ $ASAN = 1 ] && echo ' (leaks or sanitizer errors?)')"
runs=0
for _ in 1 2 3 4 5; do
	n=$(sqlite3 "$W/vigie.db" "SELECT count(*) FROM message WHERE status = 'pending'")
	[ "$n" = 0 ] && break
	runs=$((runs + 1))
	timeout 120 "$VIGIED" -c "$W/vigie.yaml" --once 2>>"$W/once.err" ||
		{ cat "$W/once.err"; fail "vigied --once exited $?"; }
done
stop_hook

failed_tries=$(grep -c 'not delivered, retry' "$W/vigied.err")
echo "soak: ran $((end - t0)) s: $step files, $hups SIGHUP, receiver restarted $restarts times," \
	"$pending_at_end messages pending when the files stopped, drained by $runs vigied --once"
echo "daemon log: $(wc -l <"$W/vigied.err") lines, $failed_tries failed delivery attempts" \
	"(retried), $(grep -c '^<[0-3]>' "$W/vigied.err") at level error or above"
errors=$(grep '^<[0-3]>' "$W/vigied.err" "$W/once.err" 2>/dev/null | head -n 5)
[ -z "$errors" ] || { echo "$errors"; fail "the daemon logged errors"; }
$PY "$here/soak_check.py" "$W/vigie.db" "$W/hook.log" "$W/rss" "$W/files" "$W/inbox" "$ASAN"
