#!/usr/bin/env bash
# Benchmark of `vigie eval`: TEAMS teams (default 10,000) in a 3-level
# hierarchy x 60 months x 12 indicators, 100 rules. Compares a full
# `vigie eval --format json` with one `SELECT sum(value)` scan of the same
# values in a plain SQLite table, and reports peak RSS. Target: ratio <= 3,
# peak RSS < 256 MiB.
# usage: tests/bench/bench_eval.sh BUILD_DIR [TEAMS]
set -eu
B=$(cd "${1:-build}" && pwd)
TEAMS=${2:-10000}
here=$(cd "$(dirname "$0")" && pwd)
W=$(mktemp -d /tmp/vigie-bench-eval.XXXXXX)
trap 'rm -rf "$W"' EXIT

/usr/bin/python3 "$here/bench_eval_gen.py" "$W" "$TEAMS" 60
cat >"$W/vigie.yaml" <<EOF
database: $W/vigie.db
rules: $W/rules.d
max_import_size: 4G
EOF
t0=$(date +%s.%N)
"$B/vigie" -c "$W/vigie.yaml" import "$W/data.csv" >/dev/null
t1=$(date +%s.%N)
printf 'import: %d teams x 60 months x 12 indicators in %.2f s\n' "$TEAMS" \
    "$(echo "$t1 - $t0" | bc)"

# The same values in a plain SQLite table (no index, no WITHOUT ROWID), made
# from the file itself, not from Vigie's tables: the wide CSV turned into
# long form and loaded with the sqlite3 shell's .import. Warm cache.
awk -F, 'NR == 1 { for (i = 3; i <= NF; i++) h[i] = $i; next }
	{ for (i = 3; i <= NF; i++) print $1 "," $2 "," h[i] "," $i }' \
    "$W/data.csv" >"$W/long.csv"
sqlite3 "$W/plain.db" <<SQL
CREATE TABLE value(unit TEXT, period TEXT, indicator TEXT, value REAL);
.mode csv
.import $W/long.csv value
SQL
rm "$W/long.csv"
sqlite3 "$W/plain.db" 'SELECT sum(value) FROM value' >/dev/null
"$B/vigie" -c "$W/vigie.yaml" eval --format json >/dev/null

# Best of 3 for each, to smooth out the other tenants of the machine.
best() {
	local b=999999 i s e d
	for i in 1 2 3; do
		s=$(date +%s%N); "$@" >/dev/null; e=$(date +%s%N)
		d=$(( (e - s) / 1000000 ))
		[ "$d" -lt "$b" ] && b=$d
	done
	echo "$b"
}
scan_ms=$(best sqlite3 "$W/plain.db" 'SELECT sum(value) FROM value')
eval_ms=$(best "$B/vigie" -c "$W/vigie.yaml" eval --format json)
rows=$(sqlite3 "$W/plain.db" 'SELECT count(*) FROM value')
/usr/bin/time -f '%M' -o "$W/rss" "$B/vigie" -c "$W/vigie.yaml" eval --format json >"$W/eval.json"
rss_kb=$(tail -n 1 "$W/rss")
nrows=$(grep -c '"rule"' "$W/eval.json" || true)
echo "values: $rows; eval rows: $nrows"
echo "sqlite SELECT sum(value): ${scan_ms} ms"
echo "vigie eval --format json: ${eval_ms} ms"
echo "ratio: $(echo "scale=2; $eval_ms / ($scan_ms + 0.001)" | bc) (target <= 3)"
echo "eval peak RSS: $((rss_kb / 1024)) MiB (target < 256)"
