#!/usr/bin/env bash
# Runs every tests/bench/bench_*.sh with the build folder ($1, default build).
# Each prints its own figures; a failing benchmark makes this exit 1.
set -u
here=$(cd "$(dirname "$0")" && pwd)
B=$(cd "${1:-build}" && pwd)
rc=0
for b in "$here"/bench_*.sh; do
	[ -e "$b" ] || continue
	echo "== $(basename "$b" .sh)"
	bash "$b" "$B" || { echo "FAILED: $(basename "$b")"; rc=1; }
done
exit $rc
