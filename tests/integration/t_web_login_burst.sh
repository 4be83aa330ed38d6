#!/usr/bin/env bash
# The login rate limiter against attempts sent at once (vigie-web(8)): the
# console checks several requests in parallel, and each attempt used to be
# counted, then its password checked, then its failure recorded -- so
# attempts checked at once all passed on the same count (seven of forty
# wrong passwords checked instead of five). Each attempt is now recorded
# before its password is checked, in the transaction that counts: of forty
# sent at once, five are checked. A right password is not left counted as
# a failure of its address.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1
command -v curl >/dev/null || { echo "curl missing"; exit 77; }

web_demo_setup
web_user zoe hr
web_user rh hr
web_start

# A right password leaves no failure behind, for the account or the address.
expect_eq "$(login "$T/jar.rh" rh "$PW" -H "X-Forwarded-For: 192.0.2.9")" 303 "rh logs in"
expect_eq "$(db "SELECT count(*) FROM login_failure")" 0 "failures after a right password"

# Forty wrong passwords for zoe at once, each from its own address (the
# per-address limit stays out of the way): five are checked, the others
# are refused without looking at the password.
J=$T/jar.burst
req "$J" GET /login >/dev/null
tok=$(sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' "$T/b")
[ -n "$tok" ] || fail "no login token"
pids=()
for i in $(seq 1 40); do
	curl -s -o /dev/null -w '%{http_code}\n' -b "$J" -X POST \
		--data "csrf=$tok&user=zoe&password=wrong-$i&next=/" \
		-H "X-Forwarded-For: 198.51.100.$i" "$BASE/login" >"$T/code.$i" &
	pids+=("$!")
done
for p in "${pids[@]}"; do wait "$p"; done
checked=$(cat "$T"/code.* | grep -c '^401$')
refused=$(cat "$T"/code.* | grep -c '^429$')
expect_eq "$checked $refused" "5 35" "of forty wrong passwords sent at once, checked and refused"
expect_eq "$(db "SELECT count(*) FROM login_failure WHERE account = 'zoe'")" 5 "zoe's failures recorded"
exit 0
