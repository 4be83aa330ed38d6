#!/usr/bin/env bash
# A silence that matches nothing is made, as amtool makes one (the rule or
# the unit may come later): exit 0 and its id on stdout. But a --rule that
# is not in the rule set, or a --unit that no stored unit matches, is most
# often a typo that would hold nothing without a word: each gets a warning
# on stderr, with the closest rule id, or the closest stored unit for a
# plain path. Nothing is said about rules when the rule set cannot be
# loaded.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1

make_config
cat >"$T/rules.d/hours.yaml" <<'YAML'
rules:
  - id: heures-supp
    title: "Overtime"
    value: overtime_hours
    above: { warning: 10 }
YAML
cat >"$T/data.csv" <<'CSV'
unit,period,headcount,overtime_hours
acme/usine/logistique,2026-10,20,3
acme/siege,2026-10,20,1
CSV
C=(-c "$T/vigie.yaml")
expect_exit 0 "$VIGIE" "${C[@]}" import "$T/data.csv"

# Everything known: no warning.
expect_exit 0 "$VIGIE" "${C[@]}" silence --rule heures-supp --unit 'acme/**' \
	--until 2026-12 --reason "audit"
expect_eq "$(cat "$T/out")" "1" "silence id"
expect_eq "$(cat "$T/err")" "" "no warning when rule and unit exist"
expect_exit 0 "$VIGIE" "${C[@]}" silence --rule '*' --unit acme \
	--until 2026-12 --reason "audit"
expect_eq "$(cat "$T/err")" "" "no warning for * and an ancestor"

# An unknown rule: made, with the closest id.
expect_exit 0 "$VIGIE" "${C[@]}" silence --rule heures-sup --unit 'acme/**' \
	--until 2026-12 --reason "audit"
expect_eq "$(cat "$T/out")" "3" "silence id, unknown rule"
expect_eq "$(cat "$T/err")" "vigie silence: warning: no rule \"heures-sup\" in $T/rules.d (did you mean \"heures-supp\"?); this silence holds nothing until there is one" "unknown rule"
expect_exit 0 "$VIGIE" "${C[@]}" silence --rule absenteeism --unit 'acme/**' \
	--until 2026-12 --reason "audit"
expect_eq "$(cat "$T/err")" "vigie silence: warning: no rule \"absenteeism\" in $T/rules.d; this silence holds nothing until there is one" "unknown rule, nothing close"

# A unit path that is not stored: made, with the closest stored unit.
expect_exit 0 "$VIGIE" "${C[@]}" silence --rule heures-supp \
	--unit acme/usine/logistic --until 2026-12 --reason "audit"
expect_eq "$(cat "$T/out")" "5" "silence id, unknown unit"
expect_eq "$(cat "$T/err")" "vigie silence: warning: no unit in the database matches \"acme/usine/logistic\" (did you mean \"acme/usine/logistique\"?)" "unknown unit"
# A glob that matches no stored unit: no suggestion.
expect_exit 0 "$VIGIE" "${C[@]}" silence --rule heures-supp \
	--unit 'globex/**' --until 2026-12 --reason "audit"
expect_eq "$(cat "$T/err")" "vigie silence: warning: no unit in the database matches \"globex/**\"" "glob matching nothing"

# Both wrong: both warnings, rule first.
expect_exit 0 "$VIGIE" "${C[@]}" silence --rule heures-sup \
	--unit acme/usine/logistic --until 2026-12 --reason "audit"
expect_eq "$(wc -l <"$T/err")" "2" "two warnings"
expect_grep 'no rule "heures-sup"' "$T/err"
expect_grep 'no unit in the database matches "acme/usine/logistic"' "$T/err"

# The rule set does not load: nothing about rules, the silence still made.
printf 'rules:\n  - id: [broken\n' >"$T/rules.d/zz-broken.yaml"
expect_exit 0 "$VIGIE" "${C[@]}" silence --rule heures-sup --unit 'acme/**' \
	--until 2026-12 --reason "audit"
expect_eq "$(cat "$T/out")" "8" "silence id, rule set invalid"
expect_eq "$(cat "$T/err")" "" "nothing said about rules when the set does not load"

expect_exit 0 "$VIGIE" "${C[@]}" silences --format json
expect_eq "$($PY -c 'import json,sys; print(len(json.load(open(sys.argv[1]))))' "$T/out")" "8" "every silence made"
