#!/usr/bin/env bash
# SPEC 6, load-time errors as vigie check shows them (exit 1), each as
# FILE:LINE:COLUMN: error: MESSAGE at the offending character: chained
# comparisons (non-associative), the integer-literal arguments of window
# and point functions (n >= 1, k >= 0; 0, 1.5, 1e1, 1+1 and -1 refused),
# wrong arity and unknown functions. SPEC 5: one bad rule makes the whole
# rule set invalid, even beside a valid file; '#' comments are ignored.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1

make_config
cat >"$T/rules.d/a-good.yaml" <<'YAML'
rules:
  - id: good
    title: "Good"
    value: sum(conflicts, 3, 1) + lag(conflicts, 0) # a comment
    above: { warning: 2, critical: 5 }
YAML
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" check
expect_grep "ok: 1 rule in 1 file" "$T/out"

# bad VALUE COLUMN MESSAGE: a second file whose rule has VALUE fails the
# whole check with MESSAGE at line 4, COLUMN.
bad() {
	cat >"$T/rules.d/b-bad.yaml" <<YAML
rules:
  - id: bad
    title: "Bad"
    value: $1
    above: { warning: 2 }
YAML
	expect_exit 1 "$VIGIE" -c "$T/vigie.yaml" check
	expect_eq "$(cat "$T/err")" "$T/rules.d/b-bad.yaml:4:$2: error: $3
vigie check: 1 error in $T/rules.d/b-bad.yaml; fix it, then run vigie check again: warnings are looked for in a rule set that loads" "value: $1"
	expect_eq "$(cat "$T/out")" "" "value: $1"
}
bad "conflicts < 1 < 2" 26 'comparisons cannot be chained: combine them with "and" (a < b and b < c)'
bad "sum(conflicts, 0)" 27 "the window size of sum() must be an integer literal >= 1"
bad "avg(conflicts, 1.5)" 27 "the window size of avg() must be an integer literal >= 1"
bad "max(conflicts, 1e1)" 27 "the window size of max() must be an integer literal >= 1 (for the greater of two values, write greatest(a, b))"
bad "min(conflicts, 1+1)" 27 "the window size of min() must be an integer literal >= 1 (for the lesser of two values, write least(a, b))"
bad "sum(conflicts, 3, -1)" 30 "the offset of sum() must be an integer literal >= 0"
bad "lag(conflicts, -1)" 27 "the offset of lag() must be an integer literal >= 0"
bad "delta(conflicts, 0)" 29 "the offset of delta() must be an integer literal >= 1"
bad "rises(conflicts, 0)" 29 "the number of periods of rises() must be an integer literal >= 1"
bad "abs(conflicts, 2)" 12 "abs() takes 1 argument, got 2"
bad "conflicts )" 22 'unexpected ")"'
