#!/usr/bin/env bash
# vigie import on a weekly database (SPEC 4, SPEC 10: every error says what
# was wrong): a week 53 in a year that has 52 is well formed, so the error
# says that the year has none, and where its days are; exit 65.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1

make_config "period: week"
printf 'unit,period,headcount\nacme/a,2025-W53,20\nacme/a,2020-W53,20\n' >"$T/w.csv"
cd "$T" || exit 1
expect_exit 65 "$VIGIE" -c "$T/vigie.yaml" import w.csv
expect_eq "$(cat "$T/err")" 'w.csv:2:8: error: bad period "2025-W53": 2025 has 52 ISO weeks, its last is 2025-W52 (the days after it are in 2026-W01)
vigie import: nothing was imported'
[ -s "$T/out" ] && fail "unexpected stdout: $(cat "$T/out")"
exit 0
