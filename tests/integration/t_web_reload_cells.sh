#!/usr/bin/env bash
# vigie-web computes which cells are hidden (SPEC 3) with the floor and the
# dominance of its configuration; a reload (SIGHUP) that changes them must
# hide at once what they now hide, as vigie eval does, not at the next
# import or restart. acme/a's absence days are 6 of 10 on one person: shown
# at dominance 0.85, hidden at 0.5; then hidden again by a floor of 25.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1
command -v curl >/dev/null || { echo "curl missing"; exit 77; }
PORT=$(free_port)
BASE="http://127.0.0.1:$PORT"
config() {
	web_hr_config "dominance: $1
min_headcount: $2"
}
config 0.85 5
cat >"$T/rules.d/r.yaml" <<'YAML'
rules:
  - id: absences
    title: Absence days
    value: absence_days
    above: { warning: 30 }
    notify: [hr]
YAML
printf 'unit,period,headcount,absence_days,absence_days_max\nacme/a,2026-05,20,10,6\nacme/b,2026-05,20,10,2\nacme/c,2026-05,20,10,2\n' >"$T/may.csv"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/may.csv"
web_user rh hr
web_start
J=$T/jar
expect_eq "$(login "$J" rh)" 303 "login"
# reloads N: vigie-web has logged at least N reloads.
reloads() { [ "$(grep -c reloaded "$T/web.log")" -ge "$1" ]; }
# cell: the May cell of acme/a's chart table.
cell() {
	curl -s -b "$J" "$BASE/units/acme/a" | grep -o '<th scope="row"><time datetime="2026-05">[^<]*</time></th><td[^>]*>[^<]*' |
		sed 's/.*<td[^>]*>//'
}
expect_eq "$(cell)" "10" "dominance 0.85"
config 0.5 5
kill -HUP "$WEB"
wait_for reloads 1 || { cat "$T/web.log"; fail "no reload logged"; }
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" eval --unit acme/a --format json
expect_grep '"suppressed":true' "$T/out"
[ "$(cell)" != "10" ] || fail "dominance 0.5 after SIGHUP: the cell is still shown"
config 0.85 25
kill -HUP "$WEB"
wait_for reloads 2 || { cat "$T/web.log"; fail "no second reload logged"; }
[ "$(cell)" != "10" ] || fail "min_headcount 25 after SIGHUP: the cell is still shown"
exit 0
