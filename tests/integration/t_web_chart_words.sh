#!/usr/bin/env bash
# The console's chart table says, month by month, why a month has no value,
# as digests do (vigie-web(8)): « masquée » where the team was under the
# anonymity floor (3 people in June), « pas de données » where it sent
# nothing (July, March) or before its data (the 24 months reach back before
# May), « non calculée » where the rule's guard fails (September, 8
# people). The alert, carried over into March when the team sent nothing,
# has « données manquantes » as its value, as the digest says « manquante
# », not « valeur masquée ». The hidden month's 97 conflicts show nowhere.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1
command -v curl >/dev/null || { echo "curl missing"; exit 77; }

PORT=$(free_port)
web_hr_config
cat >"$T/rules.d/r.yaml" <<'YAML'
rules:
  - id: conflicts-high
    title: "Conflits répétés"
    value: conflicts
    when: headcount > 8
    above: { warning: 2, critical: 5, clear: 1 }
    scope: "acme/*/*"
    notify: [hr]
YAML
{
	echo "unit,period,headcount,conflicts"
	for m in 2025-05 2025-06 2025-07 2025-08 2025-09 2025-10 2025-11 2025-12 \
		2026-01 2026-02 2026-03; do
		echo "acme/s/u,$m,30,1"
		echo "acme/s/v,$m,30,1"
		case $m in
		2025-06) echo "acme/s/t,$m,3,97";;
		2025-07|2026-03) ;;
		2025-09) echo "acme/s/t,$m,8,1";;
		2026-02) echo "acme/s/t,$m,14,6";;
		*) echo "acme/s/t,$m,14,1";;
		esac
	done
} >"$T/data.csv"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/data.csv"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_eq "$(sqlite3 "$T/vigie.db" "SELECT period || ' ' || active || ' ' || absent FROM alert WHERE unit = 'acme/s/t'")" \
	"$(sqlite3 "$T/vigie.db" "SELECT max(p0 + length(vals) / 8 - 1) FROM series") 1 1" "carried over, for want of data"
web_user rh hr
web_start
J=$T/jar
expect_eq "$(login "$J" rh)" 303 "rh logs in"
expect_eq "$(req "$J" GET /alerts/conflicts-high@acme/s/t)" 200 "the alert's page"
web_stop

$PY - "$T/b" <<'PY' || fail "the alert's page"
import re, sys
page = open(sys.argv[1], encoding="utf-8").read()
assert not re.search(r"\b97\b", page), page
# the value line: missing data, not a hidden value
m = re.search(r"<dt>Valeur</dt><dd>(.*?)</dd>", page, re.S)
assert m and "données manquantes" in m.group(1) and "masquée" not in m.group(1), m and m.group(1)
rows = dict(re.findall(r'<tr><th scope="row"><time datetime="(\d{4}-\d{2})">[^<]*</time></th>'
                       r'<td data-label="Valeur">([^<]*)</td>', page))
want = {"2025-04": "pas de données", "2025-05": "1", "2025-06": "masquée",
        "2025-07": "pas de données", "2025-08": "1", "2025-09": "non calculée",
        "2025-10": "1", "2026-01": "1", "2026-02": "6", "2026-03": "pas de données"}
for p, w in want.items():
    assert rows.get(p) == w, (p, rows.get(p), rows)
assert len(rows) == 24 and list(rows.values()).count("pas de données") == 15, rows
PY
exit 0
