#!/usr/bin/env bash
# vigie eval on a database with no data (a new install, or every value
# deleted): no row, exit 0, and a warning on stderr that says why and what
# to do, stdout keeping its format (SPEC 10: every message says what to do).
source "$VIGIE_SRC/tests/integration/lib.sh"

make_config
cp "$SRC/tests/rules/fixtures/conflicts.yaml" "$T/rules.d/"
want="vigie eval: warning: no data stored yet: nothing to evaluate (vigie import FILE stores some)"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" eval
expect_eq "$(cat "$T/out")" ""
expect_eq "$(cat "$T/err")" "$want"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" eval --format json
expect_eq "$(cat "$T/out")" "[]"
expect_eq "$(cat "$T/err")" "$want"
# Data, then every value deleted: the same.
printf 'unit,period,headcount,conflicts\nacme/a,2025-01,20,5\n' >"$T/d.csv"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/d.csv"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" eval
expect_eq "$(cat "$T/err")" ""
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" delete --period 2025-01
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" eval
expect_eq "$(cat "$T/err")" "$want"
exit 0
