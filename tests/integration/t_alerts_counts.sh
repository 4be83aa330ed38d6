#!/usr/bin/env bash
# `vigie alerts` shows what a statistical rule saw against what it expected
# (SPEC 16: observed against expected, never an opaque score alone), in its
# last two columns, so that the columns before keep their places; today's
# data decide them as they decide the value (SPEC 3): a team below the
# floor since shows « - », as does a rule that states no expected value.
# Observed and expected are written with the rule's decimals, as digests
# and the console write them: 0.44 expected at one decimal is 0.4 in
# alerts, eval and backtest, as « attendu : 0,4 » in the email (the
# two-significant-digit exception is for values and thresholds).
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1

make_config ""
cat >"$T/rules.d/r.yaml" <<'YAML'
rules:
  - id: odds
    title: Conflicts against the usual
    observed: conflicts
    expected: 0.25 * headcount / 10
    value: poisson_tail(conflicts, 0.25 * headcount / 10)
    below: { warning: 0.001 }
  - id: near
    title: Conflicts against a small baseline
    observed: conflicts
    expected: 0.22 * headcount / 10
    value: poisson_tail(conflicts, 0.22 * headcount / 10)
    below: { warning: 0.001 }
  - id: plain
    title: Conflicts
    value: conflicts
    above: { warning: 3 }
YAML
printf 'unit,period,headcount,conflicts\nacme/a,2026-11,20,6\nacme/b,2026-11,30,0\n' >"$T/d.csv"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/d.csv"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once

# row ID: the columns of ID's line, one space between them.
row() { grep "^$1 " "$T/out" | tr -s ' '; }
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" alerts
expect_eq "$(head -n 1 "$T/out" | tr -s ' ')" \
	"ALERT SEVERITY SCORE THRESHOLD SINCE PERIOD ACKED-BY ACKED-AT SILENCED OBSERVED EXPECTED" \
	"the header"
expect_eq "$(row odds@acme/a)" "odds@acme/a warning 1.4e-05 <0.001 2026-11 2026-11 - - no 6 0.5" \
	"the statistical rule's counts"
expect_eq "$(row plain@acme/a)" "plain@acme/a warning 6 >3 2026-11 2026-11 - - no - -" \
	"a rule with nothing it expects"
expect_eq "$(row near@acme/a)" "near@acme/a warning 6.9e-06 <0.001 2026-11 2026-11 - - no 6 0.4" \
	"an expected of 0.44 at the rule's one decimal"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" eval --rule near --unit acme/a
expect_eq "$(row near | cut -d' ' -f4-6)" "6.9e-06 6 0.4" "eval's value, observed and expected"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" backtest --rule near --from 2026-11 --to 2026-11
expect_grep "acme/a  firing  warning   6.9e-06         6       0.4" "$T/out"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" alerts --all
expect_eq "$(row odds@acme/a)" "odds@acme/a warning 1.4e-05 <0.001 2026-11 2026-11 - - no active 6 0.5" \
	"with --all, after STATE"

# THRESHOLD carries the rule's direction, as an alert expression reads
# ("<0.001": fires below); a rule that left the rule set keeps its number.
grep -v -e '- id: plain' -e 'title: Conflicts$' -e 'value: conflicts$' -e 'above: { warning: 3 }' \
	"$T/rules.d/r.yaml" >"$T/r2" && mv "$T/r2" "$T/rules.d/r.yaml"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" alerts --all
expect_eq "$(row plain@acme/a | cut -d' ' -f1-4)" "plain@acme/a warning 6 3" "a retired rule's threshold"

# The team falls below the floor: nothing of it is shown.
printf 'unit,period,headcount\nacme/a,2026-11,4\n' >"$T/h.csv"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/h.csv"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" alerts
expect_eq "$(row odds@acme/a)" "odds@acme/a warning hidden <0.001 2026-11 2026-11 - - no - -" \
	"hidden since"
exit 0
