#!/usr/bin/env bash
# Runs each libFuzzer harness for $2 seconds (default 60) on a corpus seeded
# from the test fixtures, with a memory cap and a per-input time limit.
# A crash leaves its input in build-fuzz/crashes/; make it a regression test.
set -euo pipefail
B=${1:-build-fuzz}
secs=${2:-60}
top=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p "$B/crashes"
status=0
for h in fuzz_csv fuzz_rules fuzz_expr fuzz_config; do
	corpus="$B/corpus/$h"
	mkdir -p "$corpus"
	case $h in
	fuzz_csv) seeds=$(ls "$top"/tests/data/*.csv "$top"/contrib/demo/*.csv 2>/dev/null || true);;
	fuzz_rules) seeds=$(ls "$top"/etc/rules.d/*.yaml "$top"/tests/golden/rules/*.yaml "$top"/tests/rules/fixtures/*.yaml 2>/dev/null || true);;
	fuzz_config) seeds=$(ls "$top"/etc/vigie.yaml "$top"/tests/data/config/*.yaml 2>/dev/null || true);;
	fuzz_expr) seeds=$(ls "$top"/tests/fuzz/seeds/expr/* 2>/dev/null || true);;
	esac
	for s in $seeds; do cp -f "$s" "$corpus/seed-$(basename "$s")"; done
	echo "== $h for ${secs}s"
	if ! "$B/$h" -max_total_time="$secs" -rss_limit_mb=1024 -malloc_limit_mb=512 \
	    -timeout=5 -max_len=65536 -artifact_prefix="$B/crashes/$h-" \
	    -print_final_stats=1 "$corpus" 2>"$B/$h.log"; then
		tail -n 40 "$B/$h.log"
		status=1
	else
		grep -E 'stat::number_of_executed_units|Done' "$B/$h.log" | tail -n 2 || true
	fi
done
exit $status
