#!/usr/bin/env bash
# vigie eval on a database with no data (a new install, or every value
# deleted): no row, exit 0, and a warning on stderr that says why and what
# to do, stdout keeping its format (SPEC 10: every message says what to do);
# vigie backtest too, and over a span without data.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1

make_config
cp "$SRC/tests/rules/fixtures/conflicts.yaml" "$T/rules.d/"
want="vigie eval: warning: no data stored yet: nothing to evaluate (vigie import FILE stores some)"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" eval
expect_eq "$(cat "$T/out")" ""
# The first command on no database at all says that it created it.
expect_eq "$(cat "$T/err")" "vigie eval: warning: there was no database at $T/vigie.db: an empty one was created (vigied creates it when it first starts; is this the configuration it runs with?)
$want"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" eval --format json
expect_eq "$(cat "$T/out")" "[]"
expect_eq "$(cat "$T/err")" "$want"
# vigie backtest likewise: "0 alerts" would read as rules that never fire.
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" backtest --from 2025-01 --to 2025-03
expect_eq "$(cat "$T/err")" "vigie backtest: warning: no data stored yet: nothing to replay (vigie import FILE stores some)"
# Data, then every value deleted: the same.
printf 'unit,period,headcount,conflicts\nacme/a,2025-01,20,5\n' >"$T/d.csv"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/d.csv"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" eval
expect_eq "$(cat "$T/err")" ""
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" backtest --from 2025-01 --to 2025-01
expect_eq "$(cat "$T/err")" "" "a span of the data"
# A span that reaches past the data: said, as the rates count 1 month.
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" backtest --from 2025-01 --to 2025-03
expect_eq "$(cat "$T/err")" "vigie backtest: warning: the data spans 2025-01 to 2025-01: the periods of 2025-01 to 2025-03 outside it replay nothing, and the rates count those with data only" "a span that holds the data and more"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" backtest --from 2020-01 --to 2021-01
expect_eq "$(cat "$T/err")" "vigie backtest: warning: no data stored from 2020-01 to 2021-01 (the data spans 2025-01 to 2025-01): nothing to replay"
expect_grep "0 alerts over 13 months" "$T/out"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" delete --period 2025-01
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" eval
expect_eq "$(cat "$T/err")" "$want"
exit 0
