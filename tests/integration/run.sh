#!/usr/bin/env bash
# Runs every tests/integration/t_*.sh against the binaries in $1 (build dir),
# or those whose name matches $2 (a glob: "disclosure", "notify_*").
# A test exits 0 (pass), 77 (skip) or anything else (fail).
set -u
here=$(cd "$(dirname "$0")" && pwd)
B=$(cd "${1:-build}" && pwd)
export VIGIE_BIN="$B" VIGIE_SRC=$(cd "$here/../.." && pwd)
pass=0 fail=0 skip=0 failed=()
for t in "$here"/t_${2:-*}.sh; do
	[ -e "$t" ] || continue
	name=$(basename "$t" .sh)
	log=$(mktemp)
	start=$(date +%s)
	timeout 300 bash "$t" >"$log" 2>&1
	rc=$?
	secs=$(( $(date +%s) - start ))
	case $rc in
	0) pass=$((pass + 1)); echo "PASS $name (${secs}s)";;
	77) skip=$((skip + 1)); echo "SKIP $name: $(tail -n 1 "$log")";;
	*) fail=$((fail + 1)); failed+=("$name"); echo "FAIL $name (exit $rc, ${secs}s)"; sed 's/^/    /' "$log" | tail -n 40;;
	esac
	rm -f "$log"
done
echo "integration: $pass passed, $fail failed, $skip skipped"
[ $fail -eq 0 ]
