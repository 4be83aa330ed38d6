#!/usr/bin/env bash
# vigie import against the sqlite3 shell's .import of the same long-form
# file: BENCH_UNITS teams (default 10,000) x 60 months x 12 indicators,
# 7.2M values. Prints both times and the ratio (target <= 1.0).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
B=$(cd "${1:-build}" && pwd)
units=${BENCH_UNITS:-10000}
months=60
inds=12
tmp=$(mktemp -d /tmp/vigie-bench.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

now() { date +%s.%N; }
cc -O2 -o "$tmp/gen" "$here/gen.c"
"$tmp/gen" "$units" "$months" "$inds" >"$tmp/data.csv"
mkdir "$tmp/rules.d"
# The 30,000-team file is about a gigabyte: past the default max_import_size.
printf 'database: %s\nrules: %s\nmax_import_size: 4G\n' "$tmp/vigie.db" "$tmp/rules.d" >"$tmp/vigie.yaml"
echo "data: $units units x $months months x $inds indicators = $((units * months * inds)) values, $(du -h "$tmp/data.csv" | cut -f1)"

t0=$(now)
"$B/vigie" -c "$tmp/vigie.yaml" import "$tmp/data.csv" >"$tmp/out"
t1=$(now)
sqlite3 "$tmp/ref.db" <<SQL
CREATE TABLE v(unit TEXT, period TEXT, indicator TEXT, value REAL, PRIMARY KEY(unit, period, indicator));
.mode csv
.import --skip 1 $tmp/data.csv v
SQL
t2=$(now)

got=$(/usr/bin/python3 "$here/../integration/dbvalues.py" --count "$tmp/vigie.db")
want=$(sqlite3 "$tmp/ref.db" "SELECT count(*) FROM v")
[ "$got" = "$want" ] || { echo "vigie stored $got values, sqlite3 $want"; exit 1; }
awk -v a="$t0" -v b="$t1" -v c="$t2" 'BEGIN {
	v = b - a; s = c - b;
	printf "vigie import:    %7.2f s\n", v;
	printf "sqlite3 .import: %7.2f s\n", s;
	printf "ratio:           %7.2f (target <= 1.0)\n", v / s;
}'
