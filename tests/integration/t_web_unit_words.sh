#!/usr/bin/env bash
# The console writes a rule's unit of measure after its numbers agreed with
# them (vigie-web(8)): the unit comes from the summary's word after
# {{value}}, written in the plural (« conflits »), and French reads « 0
# conflit », « 1 conflit », « 2 conflits »; an English console « 1 day », «
# 0 days ». The axis keeps the word as the rule writes it.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1
command -v curl >/dev/null || { echo "curl missing"; exit 77; }

for loc in fr en; do
PORT=$(free_port)
rm -f "$T/vigie.db"
web_hr_config "locale: $loc"
if [ $loc = fr ]; then unit=conflits; else unit=days; fi
cat >"$T/rules.d/r.yaml" <<YAML
rules:
  - id: conflicts-high
    title: "Conflits répétés"
    value: conflicts
    above: { warning: 5, critical: 9 }
    scope: "acme/*/*"
    notify: [hr]
    summary: "{{value}} $unit sur le mois ({{unit}})"
YAML
{
	echo "unit,period,headcount,conflicts"
	echo "acme/s/t,2026-07,30,0"
	echo "acme/s/t,2026-08,30,2"
	echo "acme/s/t,2026-09,30,3"
	echo "acme/s/t,2026-10,30,1"
} >"$T/data.csv"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/data.csv"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
web_user rh$loc hr
web_start
J=$T/jar$loc
expect_eq "$(login "$J" rh$loc)" 303 "rh logs in ($loc)"
expect_eq "$(req "$J" GET /units/acme/s/t)" 200 "the unit's page ($loc)"
web_stop

$PY - "$T/b" "$loc" <<'PY' || fail "the unit's page ($loc)"
import re, sys
page, loc = open(sys.argv[1], encoding="utf-8").read(), sys.argv[2]
rows = dict(re.findall(r'<tr><th scope="row"><time datetime="(\d{4}-\d{2})">[^<]*</time></th>'
                       r'<td data-label="(?:Valeur|Value)">([^<]*)</td>', page))
if loc == "fr":
    want = {"2026-07": "0\u00a0conflit", "2026-08": "2\u00a0conflits",
            "2026-09": "3\u00a0conflits", "2026-10": "1\u00a0conflit"}
    last = "Dernière valeur affichable\u202f: 1 conflit (octobre\u00a02026)"
    axis = ">conflits</text>"
else:
    want = {"2026-07": "0\u00a0days", "2026-08": "2\u00a0days",
            "2026-09": "3\u00a0days", "2026-10": "1\u00a0day"}
    last = "Latest value shown: 1 day ("
    axis = ">days</text>"
for p, w in want.items():
    assert rows.get(p) == w, (p, rows.get(p), rows)
assert last in page, re.findall(r"<desc[^>]*>.*?</desc>", page, re.S)
assert axis in page
PY
done
exit 0
