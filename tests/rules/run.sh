#!/usr/bin/env bash
# Runs the rule unit tests with `vigie test`: every *.test.yaml must pass,
# and every *.fails.yaml must fail with exit 1 (to prove a failing test fails).
set -u
here=$(cd "$(dirname "$0")" && pwd)
vigie="${1:-build}/vigie"
pass=0 fail=0
for t in "$here"/*.test.yaml; do
	[ -e "$t" ] || continue
	if "$vigie" test "$t" >/tmp/vigie-rules-test.$$ 2>&1; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1)); echo "FAIL $(basename "$t")"; cat /tmp/vigie-rules-test.$$
	fi
done
for t in "$here"/*.fails.yaml; do
	[ -e "$t" ] || continue
	"$vigie" test "$t" >/tmp/vigie-rules-test.$$ 2>&1
	rc=$?
	if [ $rc -eq 1 ]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1)); echo "FAIL $(basename "$t"): expected exit 1, got $rc"; cat /tmp/vigie-rules-test.$$
	fi
done
rm -f /tmp/vigie-rules-test.$$
echo "rule tests: $pass passed, $fail failed"
[ $fail -eq 0 ]
