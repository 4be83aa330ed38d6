#!/usr/bin/env bash
# Benchmark of the daemon at the rules engine's benchmark size: the data
# and 100 rules of bench_eval_gen.py (BENCH_UNITS teams, default 10,000, in
# a 3-level hierarchy x 60 months x 12 indicators), imported with
# `vigie import`, then vigied started on that fresh database with one signed
# webhook for every role (a local receiver that answers 200). Measures:
#  (a) the full first cycle: evaluation, then transitions and outbox in one
#      transaction (the cycle table's duration_ms), and the same plus the
#      delivery of its messages (vigie_cycle_duration_seconds of the
#      metrics file);
#  (b) an idle cycle, no new data (SIGHUP with unchanged configuration and
#      rules: no evaluation, and only the one idle row of the cycle table
#      updated; the median of 3): target <= 5% of (a) without delivery;
#  (c) the CPU the daemon uses while waiting, over 10 s (utime + stime
#      from /proc/PID/stat): target 0 ticks;
# and the daemon's peak RSS (VmHWM) after (a), target <= 256 MiB at 10,000
# teams. Since one webhook message carries every alert of a cycle, a copy
# of the database also goes through `vigied --once` with no recipients, to
# tell the memory of the evaluation from that of the delivery.
# Prints "name: value" lines that tests/bench/report.sh reads.
# usage: tests/bench/bench_daemon.sh BUILD_DIR   (BENCH_UNITS=1000 for a quick run;
# BENCH_FORMAT=alertmanager for an Alertmanager webhook, which also gets
# every active alert again at each run, idle ones included)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
B=$(cd "${1:-build}" && pwd)
units=${BENCH_UNITS:-10000}
PY=/usr/bin/python3
W=$(mktemp -d /tmp/vigie-bench-daemon.XXXXXX)
VPID='' HPID=''
cleanup() {
	local p
	for p in "$VPID" "$HPID"; do
		[ -n "$p" ] && kill "$p" 2>/dev/null && wait "$p" 2>/dev/null
	done
	rm -rf "$W"
}
trap cleanup EXIT
fail() { echo "bench_daemon: $*" >&2; tail -n 20 "$W/vigied.err" >&2 2>/dev/null; exit 1; }
now_ns() { date +%s%N; }
metric() { awk -v k="$1" '$1 == k {print $2}' "$W/metrics.prom"; }
# wait_metrics SECONDS: until the daemon writes the metrics file (end of a cycle).
wait_metrics() {
	local _
	for _ in $(seq 1 $(($1 * 10))); do
		[ -e "$W/metrics.prom" ] && return 0
		[ -d "/proc/$VPID" ] && [ "$(awk '/^State:/ {print $2}' "/proc/$VPID/status")" != Z ] ||
			fail "vigied died"
		sleep 0.1
	done
	fail "no cycle finished within $1 s"
}
cpu_ticks() { awk '{print $14 + $15}' "/proc/$VPID/stat"; }

$PY "$here/bench_eval_gen.py" "$W" "$units" 60
port=$($PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
printf 'whsec_%s\n' "$(head -c 32 /dev/urandom | base64)" >"$W/hook.secret"
chmod 600 "$W/hook.secret"
mkdir "$W/inbox"
cat >"$W/vigie.yaml" <<YAML
database: $W/vigie.db
rules: $W/rules.d
max_import_size: 4G
inbox: $W/inbox
interval: 1h
metrics_file: $W/metrics.prom
webhooks:
  hook:
    url: http://127.0.0.1:$port/hook
    format: ${BENCH_FORMAT:-generic}
    secret_file: $W/hook.secret
    timeout: 60s
recipients:
  social-worker:
    - webhook: [hook]
  hr:
    - webhook: [hook]
  ops:
    - webhook: [hook]
YAML

t0=$(now_ns)
"$B/vigie" -c "$W/vigie.yaml" import "$W/data.csv" >/dev/null
t1=$(now_ns)

# The first cycle with nobody to notify, on a copy: memory of evaluation
# and transitions alone.
sqlite3 "$W/vigie.db" ".backup '$W/quiet.db'"
printf 'database: %s\nrules: %s\ninterval: 1h\n' "$W/quiet.db" "$W/rules.d" >"$W/quiet.yaml"
/usr/bin/time -f '%M' -o "$W/quiet.rss" "$B/vigied" -c "$W/quiet.yaml" --once 2>"$W/quiet.err" ||
	{ cat "$W/quiet.err" >&2; fail "vigied --once without recipients failed"; }
quiet_kb=$(tail -n 1 "$W/quiet.rss")
quiet_ms=$(sqlite3 "$W/quiet.db" "SELECT duration_ms FROM cycle")
rm -f "$W/quiet.db"*

$PY "$here/bench_daemon_hook.py" "$port" "$W/hook.log" 2>"$W/hook.err" &
HPID=$!
for _ in $(seq 1 100); do [ -e "$W/hook.log.ready" ] && break; sleep 0.1; done
[ -e "$W/hook.log.ready" ] || fail "webhook receiver did not start"

# (a) the first cycle on the fresh database
"$B/vigied" -c "$W/vigie.yaml" 2>"$W/vigied.err" &
VPID=$!
wait_metrics 1800
full=$(metric vigie_cycle_duration_seconds)
hwm=$(awk '/^VmHWM:/ {print $2}' "/proc/$VPID/status")
read -r cycles full_ms transitions <<<"$(sqlite3 -separator ' ' "$W/vigie.db" \
	"SELECT count(*), max(duration_ms), sum(transitions) FROM cycle")"
[ "$cycles" = 1 ] || fail "expected 1 recorded cycle after the first, got $cycles"
sent=$(sqlite3 "$W/vigie.db" "SELECT count(*) FROM message WHERE status = 'sent'")
[ "$sent" -ge 1 ] || fail "the first cycle delivered no message"
body=$(awk '{b += $1} END {printf "%d", b}' "$W/hook.log")

# (b) idle cycles: the configuration is unchanged, so a SIGHUP cycle only
# looks at the inbox, the sources and the outbox.
idles=()
for _ in 1 2 3; do
	rm -f "$W/metrics.prom"
	kill -HUP "$VPID"
	wait_metrics 600
	idles+=("$(metric vigie_cycle_duration_seconds)")
done
idle=$(printf '%s\n' "${idles[@]}" | sort -g | sed -n 2p)
# An idle cycle updates the one idle row `vigie status` reads; it writes
# no busy row of its own.
[ "$(sqlite3 "$W/vigie.db" "SELECT sum(idle = 0) || ' ' || sum(idle) FROM cycle")" = "1 1" ] ||
	fail "an idle cycle evaluated, or wrote more than the one idle row"

# (c) CPU while waiting for the next cycle
sleep 1
c0=$(cpu_ticks)
sleep 10
c1=$(cpu_ticks)
kill -TERM "$VPID"
wait "$VPID" || fail "vigied exited $? after SIGTERM"
VPID=''

awk -v units="$units" -v imp="$(( (t1 - t0) / 1000000 ))" -v full="$full" \
    -v full_ms="$full_ms" -v tr="$transitions" -v sent="$sent" -v body="$body" \
    -v quiet_ms="$quiet_ms" -v quiet_kb="$quiet_kb" \
    -v idle="$idle" -v idles="${idles[*]}" -v ticks="$((c1 - c0))" -v hwm="$hwm" 'BEGIN {
	printf "daemon: %d teams x 60 months x 12 indicators, 100 rules\n", units;
	printf "import: %.2f s\n", imp / 1000;
	printf "full cycle: %.3f s (evaluation, transitions and outbox)\n", full_ms / 1000;
	printf "transitions: %d, in %d webhook message(s) of %.1f MB in all\n", tr, sent, body / 1e6;
	printf "full cycle with delivery: %.3f s\n", full;
	printf "idle cycle: %.2f ms (median of %s s)\n", idle * 1000, idles;
	printf "idle/full: %.3f %% (target <= 5 %%)\n", 100 * idle / (full_ms / 1000);
	printf "idle CPU: %d ticks in 10 s (target 0)\n", ticks;
	printf "daemon peak RSS: %d MiB (target <= 256 at 10,000 teams)\n", hwm / 1024;
	printf "daemon peak RSS without recipients: %d MiB (first cycle %.3f s)\n", quiet_kb / 1024, quiet_ms / 1000;
}'
