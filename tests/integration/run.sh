#!/usr/bin/env bash
# Runs every tests/integration/t_*.sh against the binaries in $1 (build dir),
# or those whose name matches $2 (a glob: "disclosure", "notify_*").
# A test exits 0 (pass), 77 (skip) or anything else (fail).
# Tests run $JOBS at a time (default: the number of CPUs): each has its own
# folder (lib.sh's mktemp -d) and free ports, and most of their time is
# spent waiting for a daemon's cycle or a server. JOBS=1 runs them one by
# one, in order.
set -u
here=$(cd "$(dirname "$0")" && pwd)
B=$(cd "${1:-build}" && pwd)
export VIGIE_BIN="$B" VIGIE_SRC=$(cd "$here/../.." && pwd)
jobs=${JOBS:-$(nproc 2>/dev/null || echo 1)}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# One test, its log, exit code and seconds in $out/NAME.*.
one() {
	local t=$1 name start
	name=$(basename "$t" .sh)
	start=$(date +%s)
	timeout 300 bash "$t" >"$out/$name.log" 2>&1
	echo $? >"$out/$name.rc.tmp"
	echo $(( $(date +%s) - start )) >"$out/$name.secs"
	mv "$out/$name.rc.tmp" "$out/$name.rc"
}

# Says how NAME ended, as soon as it has.
report() {
	local name=$1 rc secs
	rc=$(cat "$out/$name.rc") secs=$(cat "$out/$name.secs")
	case $rc in
	0) pass=$((pass + 1)); echo "PASS $name (${secs}s)";;
	77) skip=$((skip + 1)); echo "SKIP $name: $(tail -n 1 "$out/$name.log")";;
	*) fail=$((fail + 1)); failed+=("$name"); echo "FAIL $name (exit $rc, ${secs}s)"; sed 's/^/    /' "$out/$name.log" | tail -n 40;;
	esac
}

pass=0 fail=0 skip=0 failed=() running=()
# Reports the tests of running[] that have ended, and keeps the others.
reap() {
	local left=() name
	for name in "${running[@]}"; do
		if [ -e "$out/$name.rc" ]; then report "$name"; else left+=("$name"); fi
	done
	running=("${left[@]+"${left[@]}"}")
}

for t in "$here"/t_${2:-*}.sh; do
	[ -e "$t" ] || continue
	while [ ${#running[@]} -ge "$jobs" ]; do
		wait -n 2>/dev/null || true
		reap
	done
	one "$t" &
	running+=("$(basename "$t" .sh)")
done
wait
reap
echo "integration: $pass passed, $fail failed, $skip skipped${failed[*]:+ (failed: ${failed[*]})}"
[ $fail -eq 0 ]
