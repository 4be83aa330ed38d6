#!/usr/bin/env bash
# An alert's history keeps the values its events had when they were
# recorded; once the data of their period changed, no output may show them
# where today's data hides the unit, nor beside today's figure where the
# two would give away by subtraction what the change took out (SPEC 3).
# vigie history (text, JSON) and the console's history then say "hidden"
# or "revised" (with today's value), and the console drops the summary
# that carried the old value.
#   1. acme/s/a (10 people) fires at 2026-02 with 6 conflicts; HR corrects
#      its February headcount to 4: February is hidden now.
#   2. acme/s2 fires at 2026-01 with 6 conflicts, 3 of them of a team of 4
#      (hidden, its sibling withheld with it); that team's month is deleted:
#      acme/s2 has 3 now, and its siblings are shown. 6 beside 3 would give
#      the hidden team's 3.
#   3. acme/t/a fires at 2026-01 (6) and stays critical at 2026-02 (7); its
#      January headcount is corrected to 3: its alert page must not show
#      the summary of January's firing.
#   4. Its February headcount is corrected to 3 after the daemon's last
#      cycle: the console's list and alert page show no 7.
#   site-odds, a probability shown with one decimal, fires on the sites in
#   January: at acme/s2 it printed 0.0 with 6 conflicts and prints 0.0 with
#   3 after step 2; its history must say revised all the same.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1
command -v curl >/dev/null || { echo "curl missing"; exit 77; }

PORT=$(free_port)
make_config "locale: en
smtp:
  url: smtp://127.0.0.1:9
  from: vigie@example.org
  timeout: 1s
recipients:
  social-worker:
    - email: [sw@example.org]
web:
  listen: 127.0.0.1:$PORT
  url: http://vigie.example.org"
cat >"$T/rules.d/r.yaml" <<'YAML'
rules:
  - id: conf
    title: Team conflicts
    value: conflicts
    above: { warning: 2, critical: 5 }
    scope: "acme/*/*"
    notify: [social-worker]
    decimals: 0
    summary: "{{value}} conflicts in {{unit}}"
  - id: site-conflicts
    title: Site conflicts
    value: conflicts
    above: { warning: 5 }
    scope: "acme/*"
    notify: [social-worker]
    decimals: 0
    summary: "{{value}} conflicts in {{unit}}"
  - id: site-odds
    title: Site conflict odds
    value: 1 / (1000 * conflicts)
    observed: conflicts
    expected: 1
    below: { warning: 0.001 }
    scope: "acme/*"
    notify: [social-worker]
    decimals: 1
    summary: "{{observed}} conflicts against {{expected}} in {{unit}}"
YAML
cat >"$T/jan.csv" <<'CSV'
unit,period,headcount,conflicts
acme/s/a,2026-01,10,1
acme/s/b,2026-01,20,0
acme/s/c,2026-01,20,1
acme/s2/a,2026-01,4,3
acme/s2/b,2026-01,20,2
acme/s2/c,2026-01,20,1
acme/t/a,2026-01,20,6
acme/t/b,2026-01,20,0
acme/t/c,2026-01,20,0
CSV
cat >"$T/feb.csv" <<'CSV'
unit,period,headcount,conflicts
acme/s/a,2026-02,10,6
acme/s/b,2026-02,20,0
acme/s/c,2026-02,20,1
acme/t/a,2026-02,20,7
acme/t/b,2026-02,20,0
acme/t/c,2026-02,20,0
CSV
printf 'unit,period,headcount\nacme/s/a,2026-02,4\nacme/t/a,2026-01,3\n' >"$T/fix.csv"
V() { "$VIGIE" -c "$T/vigie.yaml" "$@"; }
# row TEXT: a row of the last table printed, spaces squeezed.
row() { tr -s ' ' <"$T/out" >"$T/rows"; expect_grep "$1" "$T/rows"; }

expect_exit 0 V import "$T/jan.csv"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_exit 0 V import "$T/feb.csv"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
# Before any change the recorded values show.
expect_exit 0 V history conf@acme/s/a
row "firing 2026-02 critical 6 threshold 5"
expect_exit 0 V history site-conflicts@acme/s2
row "firing 2026-01 warning 6 threshold 5"

# 1. February's headcount corrected below the floor.
expect_exit 0 V import "$T/fix.csv"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_exit 0 V eval --at 2026-02 --rule conf --unit acme/s/a
expect_grep "hidden" "$T/out"
expect_exit 0 V history conf@acme/s/a
row "firing 2026-02 critical hidden threshold 5"
expect_exit 0 V history --format json conf@acme/s/a
$PY - "$T/out" <<'PY' || fail "history JSON of acme/s/a"
import json, sys
h = json.load(open(sys.argv[1]))
f = [e for e in h if e["kind"] == "firing"][0]
assert f["value"] is None and f["revised"] is True, f
PY

# 2. The hidden team's month deleted.
expect_exit 0 V delete --period 2026-01 --unit acme/s2/a
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_exit 0 V history site-conflicts@acme/s2
row "firing 2026-01 warning revised, now 3 threshold 5"
expect_no_grep " 6 " "$T/rows"
expect_exit 0 V history --format json site-conflicts@acme/s2
$PY - "$T/out" <<'PY' || fail "history JSON of acme/s2"
import json, sys
h = json.load(open(sys.argv[1]))
f = [e for e in h if e["kind"] == "firing"][0]
assert f["value"] is None and f["revised"] is True, f
assert all(e.get("value") != 6 for e in h), h
PY
# 2b. A rule whose value is a probability (site-odds, one decimal) prints
# 0.0 before and after the deletion, but its summary said 6 conflicts where
# there are 3 now: revised too, in JSON where the value has every digit,
# and without the counts its messages compared.
expect_exit 0 V history --format json site-odds@acme/s2
$PY - "$T/out" <<'PY' || fail "history JSON of site-odds@acme/s2"
import json, sys
h = json.load(open(sys.argv[1]))
f = [e for e in h if e["kind"] == "firing"][0]
assert f["value"] is None and f["revised"] is True, f
assert f["observed"] is None and f["expected"] is None, f
PY
expect_exit 0 V history site-odds@acme/s2
expect_no_grep "observed" "$T/out"
# Where nothing changed, history gives them (SPEC 16: what the messages
# compared, not only the probability).
expect_exit 0 V history site-odds@acme/s
row "firing 2026-01 warning 0.0005 observed 2, expected 1, threshold 0.001"
expect_exit 0 V history --format json site-odds@acme/s
$PY - "$T/out" <<'PY' || fail "history JSON of site-odds@acme/s"
import json, sys
h = json.load(open(sys.argv[1]))
f = [e for e in h if e["kind"] == "firing"][0]
assert (f["observed"], f["expected"], f["revised"]) == (2, 1, False), f
PY

# The console's history says the same, without the old summaries.
web_user marie social-worker
web_start
J=$T/jar
expect_eq "$(login "$J" marie)" 303 "login"
expect_eq "$(curl -s -c "$J" -b "$J" -o "$T/b" -w '%{http_code}' "$BASE/units/acme/s2")" 200 "acme/s2"
expect_grep "revised, now 3" "$T/b"
expect_no_grep "6 conflicts in acme/s2" "$T/b"
# site-odds printed 0.0 then and prints 0.0 now; its counts changed.
expect_grep "revised, now 3 (expected 1)" "$T/b"
expect_no_grep "6 conflicts against 1 in acme/s2" "$T/b"
expect_grep "The data of this period changed since" "$T/b"
# Where nothing changed, the history shows the counts, as messages do,
# not the probability (0 at one decimal).
expect_eq "$(curl -s -c "$J" -b "$J" -o "$T/b" -w '%{http_code}' "$BASE/units/acme/s")" 200 "acme/s"
expect_grep '<td data-label="Observed">2 (expected 1)</td>' "$T/b"
expect_grep "2 conflicts against 1 in acme/s" "$T/b"
expect_eq "$(curl -s -c "$J" -b "$J" -o "$T/b" -w '%{http_code}' "$BASE/units/acme/s/a")" 200 "acme/s/a"
expect_no_grep "6 conflicts in acme/s/a" "$T/b"
expect_grep "The data of this period changed since" "$T/b"
# The alert page shows no summary whose value today's data hides.
expect_eq "$(curl -s -c "$J" -b "$J" -o "$T/b" -w '%{http_code}' "$BASE/alerts/conf@acme/s/a")" 200 \
	"the alert page of acme/s/a"
expect_no_grep "6 conflicts in acme/s/a" "$T/b"
expect_eq "$(curl -s -c "$J" -b "$J" -o "$T/b" -w '%{http_code}' "$BASE/alerts/conf@acme/t/a")" 200 \
	"the alert page of acme/t/a"
expect_grep "Team conflicts" "$T/b"
expect_no_grep "6 conflicts in acme/t/a" "$T/b"

# 4. A correction after the daemon's last cycle: acme/t/a is 3 people in
# February now. Until the next cycle the alert still holds 7, but the
# console shows the value of today's data: hidden (SPEC 3, 14).
# value_cell PAGE: the text of the Value cell/fact of conf@acme/t/a.
value_of() {
	$PY - "$T/b" <<'PY'
import re, sys
page = open(sys.argv[1]).read()
m = re.search(r'conf@acme/t/a">[^<]*</a></td><td data-label="(?:Observed|Value)">(.*?)</td>', page) or \
    re.search(r'<dt>(?:Observed|Value)</dt><dd>(.*?)</dd>', page)
print(re.sub(r"<[^>]*>", "", m.group(1)).replace("\u00a0", " ") if m else "none")
PY
}
expect_eq "$(req "$J" GET /)" 200 "the alert list"
expect_eq "$(value_of)" "7 conflicts (threshold 5)" "before the correction"
printf 'unit,period,headcount\nacme/t/a,2026-02,3\n' >"$T/fix2.csv"
expect_exit 0 V import "$T/fix2.csv"
expect_eq "$(req "$J" GET /)" 200 "the alert list"
expect_eq "$(value_of)" "hidden value (threshold 5)" "the list after the correction"
expect_eq "$(req "$J" GET /alerts/conf@acme/t/a)" 200 "the alert page"
expect_eq "$(value_of)" "hidden value (February 2026), threshold 5 conflicts" "the alert page after the correction"

# history reads the rules to say what holds: an invalid rule set is a
# configuration error (78), as for vigie eval, not a history shown as is.
echo "  - id: broken" >>"$T/rules.d/r.yaml"
expect_exit 78 V history conf@acme/s/a
expect_grep "vigie history: the rule set is invalid" "$T/err"
exit 0
