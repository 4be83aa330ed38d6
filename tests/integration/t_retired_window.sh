#!/usr/bin/env bash
# A retired alert (its rule left the rule set) keeps the value it recorded,
# and Vigie cannot evaluate that rule again to see what it read: a window
# or a lag reaches back to earlier months (SPEC 3: "against time"). Once a
# late import hides one of those months, the recorded value must not be
# shown: beside today's figures it gives the hidden month away.
#   sum3 = sum(conflicts, 3) fires on co/s/t (10 people) in March: 12
#   (3 + 4 + 5). The rule is moved aside; then a file brings co/s/w (3
#   people, 1 conflict) for February: t is hidden with w in February. The
#   rule pt still shows t's January (3) and March (5), and the site's
#   February (5); u (12 people) shows 0. 12 - 3 - 5 = 4, t's February, and
#   5 - 4 - 0 = 1, the conflict of the team of 3.
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
  - id: sum3
    title: "Conflicts in 3 months"
    value: sum(conflicts, 3)
    above: { warning: 5 }
YAML
C=(-c "$T/vigie.yaml")
printf 'unit,period,headcount,conflicts\nco/s/t,2026-01,10,3\nco/s/t,2026-02,10,4\nco/s/t,2026-03,10,5\nco/s/u,2026-01,12,0\nco/s/u,2026-02,12,0\nco/s/u,2026-03,12,0\n' >"$T/d.csv"
expect_exit 0 "$VIGIE" "${C[@]}" import "$T/d.csv"
expect_exit 0 "$VIGIED" "${C[@]}" --once
expect_grep "sum3@co/s/t firing warning at 2026-03" "$T/err"
mv "$T/rules.d/b.yaml" "$T/b.yaml.off"
expect_exit 0 "$VIGIED" "${C[@]}" --once
expect_grep "3 alerts retired" "$T/err"
# Retired, nothing revised yet: the value it recorded.
expect_exit 0 "$VIGIE" "${C[@]}" history sum3@co/s/t
expect_grep "firing  2026-03  warning      12  threshold 5" "$T/out"

printf 'unit,period,headcount,conflicts\nco/s/w,2026-02,3,1\n' >"$T/late.csv"
expect_exit 0 "$VIGIE" "${C[@]}" import "$T/late.csv"
# What today's data shows: t's January and March, the site's February.
expect_exit 0 "$VIGIE" "${C[@]}" eval --at 2026-02 --rule pt --format json
expect_grep '"unit":"co/s","period":"2026-02","value":5.0' "$T/out"
expect_grep '"unit":"co/s/t","period":"2026-02","value":null' "$T/out"
expect_exit 0 "$VIGIE" "${C[@]}" eval --at 2026-01 --unit co/s/t --format json
expect_grep '"value":3.0' "$T/out"
expect_exit 0 "$VIGIE" "${C[@]}" eval --at 2026-03 --unit co/s/t --format json
expect_grep '"value":5.0' "$T/out"
# The retired window's 12 is not shown any more, in history or alerts.
expect_exit 0 "$VIGIE" "${C[@]}" history sum3@co/s/t
expect_grep "firing  2026-03  warning   hidden  threshold 5" "$T/out"
expect_exit 0 "$VIGIE" "${C[@]}" history sum3@co/s/t --format json
expect_grep '"value": null' "$T/out"
expect_no_grep '12.0' "$T/out"
expect_exit 0 "$VIGIE" "${C[@]}" alerts --all --format json
expect_eq "$($PY -c 'import json, sys
print([a["value"] for a in json.load(open(sys.argv[1])) if a["id"] == "sum3@co/s/t"])' "$T/out")" \
	"[None]" "the retired alert's value in vigie alerts --all"
# The site was never hidden: its retired value stays.
expect_exit 0 "$VIGIE" "${C[@]}" history sum3@co/s
expect_grep "firing  2026-03  warning      12  threshold 5" "$T/out"
exit 0
