#!/usr/bin/env bash
# Benchmark of the web console (SPEC 14): BENCH_UNITS teams (default
# 10,000) with the data of bench_eval_gen.py (a 3-level hierarchy x 60
# months x 12 indicators) and the shipped rule library (etc/rules.d, what a
# console shows in production), after one vigied cycle. vigie-web on
# loopback answers 50 concurrent clients (wrk: 2 threads, 50 connections,
# 10 s after a 2 s warm-up, each logged in with its session cookie) for
#  (a) HR's first page of alerts (every unit of the company in scope),
#  (b) a social worker's first page of alerts (one site of 500 teams),
#  (c) the page of the team of that site with the most alerts (every signal
#      with its chart of 24 periods),
#  (d) one of its alerts' page,
#  (e) the social worker's list of units (« Mes unités », one site);
# target: the 99th percentile of each within 50 ms. HR's list of units
# (every team of the company, about 0.8 MB at 10,000 teams) is measured
# with no target. Then (f) the works council report of every unit as a
# PDF from the console (POST /report as HR), against the same report as
# HTML written by vigie report: target, the PDF within 10 times the HTML's
# time (it draws what the HTML writes). Then, for scale, the
# same unit page with the 100 rules of bench_eval_gen.py (100 charts; no
# target), and the console's peak RSS, before the report and with it, and
# its peak anonymous memory while it makes the report. wrk shares the 2 cores with the
# console. Prints "name: value" lines.
# usage: tests/bench/bench_web.sh BUILD_DIR   (BENCH_UNITS=1000 for a quick run)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
B=$(cd "${1:-build}" && pwd)
units=${BENCH_UNITS:-10000}
PY=/usr/bin/python3
PW="bench password 2026"
W=$(mktemp -d /tmp/vigie-bench-web.XXXXXX)
WPID=''
cleanup() {
	[ -n "$WPID" ] && kill "$WPID" 2>/dev/null && wait "$WPID" 2>/dev/null
	rm -rf "$W"
}
trap cleanup EXIT
fail() { echo "bench_web: $*" >&2; tail -n 20 "$W/web.log" >&2 2>/dev/null; exit 1; }
command -v wrk >/dev/null || fail "wrk is not installed (apt-get install wrk)"

$PY "$here/bench_eval_gen.py" "$W" "$units" 60
port=$($PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
cat >"$W/vigie.yaml" <<YAML
database: $W/vigie.db
rules: $here/../../etc/rules.d
max_import_size: 4G
recipients:
  social-worker:
    - scope: "**"
  hr:
    - scope: "**"
web:
  listen: 127.0.0.1:$port
YAML
"$B/vigie" -c "$W/vigie.yaml" import "$W/data.csv" >/dev/null
"$B/vigied" -c "$W/vigie.yaml" --once 2>"$W/vigied.log" || fail "vigied --once failed"
echo "$PW" | "$B/vigie" -c "$W/vigie.yaml" user add rh --role hr --password-stdin >/dev/null
echo "$PW" | "$B/vigie" -c "$W/vigie.yaml" user add marie --role social-worker \
	--scope 'corp0/**' --scope corp0 --password-stdin >/dev/null
alerts=$(sqlite3 "$W/vigie.db" "SELECT count(*) FROM alert WHERE active")
# The team with the most active alerts, and one of its alerts.
team=$(sqlite3 "$W/vigie.db" "SELECT unit FROM alert WHERE active AND unit LIKE 'corp0/%/%'
	GROUP BY unit ORDER BY count(*) DESC, unit LIMIT 1")
alert=$(sqlite3 "$W/vigie.db" "SELECT rule || '@' || unit FROM alert WHERE active AND unit = '$team'
	ORDER BY rule LIMIT 1")
[ -n "$team" ] && [ -n "$alert" ] || fail "no active alert in corp0"

"$B/vigie-web" -c "$W/vigie.yaml" 2>"$W/web.log" &
WPID=$!
base="http://127.0.0.1:$port"
for _ in $(seq 1 600); do curl -fs -o /dev/null "$base/login" && break; sleep 0.1; done
login() {	# USER: the session cookie's value
	local jar=$W/jar.$1 tok
	tok=$(curl -s -c "$jar" "$base/login" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p')
	curl -s -b "$jar" -c "$jar" -o /dev/null --data-urlencode "csrf=$tok" \
		--data-urlencode "user=$1" --data-urlencode "password=$PW" "$base/login"
	awk '$6 == "vigie" { print $7 }' "$jar"
}
cat >"$W/cookie.lua" <<'LUA'
wrk.headers["Cookie"] = "vigie=" .. os.getenv("VIGIE_COOKIE")
done = function(summary, latency, requests)
	io.write(string.format("non-2xx: %d\n", summary.errors.status))
end
LUA
# run NAME USER PATH: wrk's 50th and 99th percentiles and requests/s.
run() {
	local name=$1 cookie path=$3 size out
	cookie=$(login "$2")
	[ -n "$cookie" ] || fail "$2 cannot log in"
	size=$(curl -s -o /dev/null -w '%{http_code} %{size_download}' -H "Cookie: vigie=$cookie" "$base$path")
	[ "${size%% *}" = 200 ] || fail "$path answers ${size%% *}"
	# Warm-up (the series is read at start, pages run once).
	VIGIE_COOKIE=$cookie wrk -t2 -c10 -d2s -s "$W/cookie.lua" "$base$path" >/dev/null
	out=$(VIGIE_COOKIE=$cookie wrk -t2 -c50 -d10s --latency -s "$W/cookie.lua" "$base$path")
	echo "$out" >"$W/wrk.$name"
	grep -q '^non-2xx: 0$' <<<"$out" || fail "$path: answers other than 2xx under load: $out"
	p50=$(awk '$1 == "50%" { print $2 }' <<<"$out")
	p99=$(awk '$1 == "99%" { print $2 }' <<<"$out")
	rps=$(awk '$1 == "Requests/sec:" { print $2 }' <<<"$out")
	echo "$name p50: $p50"
	echo "$name p99: $p99"
	echo "$name requests/s: $rps"
	echo "$name page size: ${size#* } bytes"
}
echo "web: $units teams, $(ls "$here"/../../etc/rules.d/*.yaml | wc -l) files of shipped rules, $alerts active alerts; team $team; alert $alert"
run "alerts (hr, all units)" rh /
run "alerts (social worker, one site)" marie /
run "unit page" marie "/units/$team"
run "alert page" marie "/alerts/$alert"
run "units (social worker, one site)" marie /units
run "units (hr, all units)" rh /units
rss=$(awk '/^VmHWM:/ { printf "%.0f MiB", $2 / 1024 }' "/proc/$WPID/status")
# (f) The works council report of every unit as a PDF, downloaded from the
# console by HR (one render at a time), against the same report as HTML by
# vigie report, the baseline: the same figures, written without drawing.
to=2025-12 from=2025-01
t0=$(date +%s%N)
"$B/vigie" -c "$W/vigie.yaml" report --from $from --to $to -o "$W/report.html" ||
	fail "vigie report --format html failed"
t1=$(date +%s%N)
cookie=$(login rh)
tok=$(curl -s -H "Cookie: vigie=$cookie" "$base/report" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -n 1)
t2=$(date +%s%N)
# Its anonymous memory sampled meanwhile (VmHWM also counts the pages of
# the report's temporary file that the console reads back, which the
# kernel reclaims at will).
curl -s -o "$W/report.pdf" -w '%{http_code}' -H "Cookie: vigie=$cookie" \
	--data "csrf=$tok&from=$from&to=$to&unit=&format=pdf" "$base/report" >"$W/code" &
cpid=$!
anon=0
while kill -0 "$cpid" 2>/dev/null; do
	a=$(awk '/^RssAnon:/ { print $2 }' "/proc/$WPID/status")
	[ "${a:-0}" -gt "$anon" ] && anon=$a
	sleep 0.2
done
wait "$cpid"
t3=$(date +%s%N)
code=$(cat "$W/code")
[ "$code" = 200 ] || fail "the console's PDF report answers $code"
echo "report html (vigie report, every unit): $(( (t1 - t0) / 1000000 )) ms, $(stat -c %s "$W/report.html") bytes"
echo "report pdf (console, every unit): $(( (t3 - t2) / 1000000 )) ms, $(stat -c %s "$W/report.pdf") bytes"
echo "console peak RSS with the report: $(awk '/^VmHWM:/ { printf "%.0f MiB", $2 / 1024 }' "/proc/$WPID/status")"
echo "console peak anonymous memory with the report: $((anon / 1024)) MiB"
# The same console with the 100 rules of bench_eval_gen.py (SIGHUP).
sed -i "s|^rules: .*|rules: $W/rules.d|" "$W/vigie.yaml"
kill -HUP "$WPID"
for _ in $(seq 1 100); do grep -q "reloaded" "$W/web.log" && break; sleep 0.1; done
grep -q "reloaded" "$W/web.log" || fail "no reload"
run "unit page, 100 rules" marie "/units/$team"
echo "console peak RSS: $rss"
