#!/usr/bin/env bash
# A retired alert (its rule left the rule set) keeps the value it recorded;
# Vigie cannot evaluate that rule again to see which units it read. A
# peer_avg reads the siblings (SPEC 3: the siblings whose value would read
# a hidden cell are left out, when it is evaluated): once a late import
# hides a sibling, the recorded mean gives it away beside today's figures.
#   peer = peer_avg(conflicts) fires on co/s/t in January: 3, the mean of
#   u (12 people, 1 conflict) and v (10 people, 5). The rule is moved
#   aside; then a file brings co/s/w (3 people, 1 conflict) for January:
#   v is hidden with w. Today pt shows u's 1 and the site's 7, t's 0:
#   2 * 3 - 1 = 5, v's, and 7 - 0 - 1 - 5 = 1, the team of 3's.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1

make_config "locale: en"
cat >"$T/rules.d/a.yaml" <<'YAML'
rules:
  - id: pt
    title: "Conflicts"
    value: conflicts
    above: { warning: 100 }
YAML
cat >"$T/rules.d/b.yaml" <<'YAML'
rules:
  - id: peer
    title: "Conflicts of the other teams"
    value: peer_avg(conflicts)
    above: { warning: 1 }
YAML
C=(-c "$T/vigie.yaml")
printf 'unit,period,headcount,conflicts\nco/s/t,2026-01,20,0\nco/s/u,2026-01,12,1\nco/s/v,2026-01,10,5\nco/r/x,2026-01,20,2\nco/r/y,2026-01,20,0\n' >"$T/d.csv"
expect_exit 0 "$VIGIE" "${C[@]}" import "$T/d.csv"
expect_exit 0 "$VIGIED" "${C[@]}" --once
expect_grep "peer@co/s/t firing warning at 2026-01" "$T/err"
expect_grep "peer@co/r/y firing warning at 2026-01" "$T/err"
mv "$T/rules.d/b.yaml" "$T/b.yaml.off"
expect_exit 0 "$VIGIED" "${C[@]}" --once
expect_grep "alerts retired" "$T/err"
expect_exit 0 "$VIGIE" "${C[@]}" history peer@co/s/t
expect_grep "firing  2026-01  warning       3  threshold 1" "$T/out"

printf 'unit,period,headcount,conflicts\nco/s/w,2026-01,3,1\n' >"$T/late.csv"
expect_exit 0 "$VIGIE" "${C[@]}" import "$T/late.csv"
expect_exit 0 "$VIGIE" "${C[@]}" eval --rule pt --format json
expect_grep '"unit":"co/s","period":"2026-01","value":7.0' "$T/out"
expect_grep '"unit":"co/s/t","period":"2026-01","value":0.0' "$T/out"
expect_grep '"unit":"co/s/u","period":"2026-01","value":1.0' "$T/out"
expect_grep '"unit":"co/s/v","period":"2026-01","value":null' "$T/out"
# The retired mean is not shown any more, in history or alerts.
expect_exit 0 "$VIGIE" "${C[@]}" history peer@co/s/t
expect_grep "firing  2026-01  warning   hidden  threshold 1" "$T/out"
expect_exit 0 "$VIGIE" "${C[@]}" alerts --all --format json
expect_eq "$($PY -c 'import json, sys
print([a["value"] for a in json.load(open(sys.argv[1])) if a["id"] == "peer@co/s/t"])' "$T/out")" \
	"[None]" "the retired alert's value in vigie alerts --all"
# Another site, nothing hidden there: its retired value stays.
expect_exit 0 "$VIGIE" "${C[@]}" history peer@co/r/y
expect_grep "firing  2026-01  warning       2  threshold 1" "$T/out"
exit 0
