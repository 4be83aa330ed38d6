#!/usr/bin/env bash
# vigie import on a weekly database (SPEC 4, SPEC 10: every error says what
# was wrong): a week 53 in a year that has 52 is well formed, so the error
# says that the year has none, and where its days are; exit 65. A week typed
# otherwise (its zero, its case or dash, the French S) gets « did you mean »,
# at its cell, from --dry-run too, and from --at; a suggestion after the
# current period says so.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1

make_config "period: week"
printf 'unit,period,headcount\nacme/a,2025-W53,20\nacme/a,2020-W53,20\n' >"$T/w.csv"
cd "$T" || exit 1
expect_exit 65 "$VIGIE" -c "$T/vigie.yaml" import w.csv
expect_eq "$(cat "$T/err")" 'w.csv:2:8: error: bad period "2025-W53": 2025 has 52 ISO weeks, its last is 2025-W52 (the days after it are in 2026-W01)
vigie import: nothing was imported'
[ -s "$T/out" ] && fail "unexpected stdout: $(cat "$T/out")"

now=$($PY -c 'import datetime; y,w,_=datetime.datetime.now(datetime.timezone.utc).date().isocalendar(); print("%04d-W%02d"%(y,w))')
printf 'unit,period,headcount\nacme/a,2024-W5,20\nacme/a,2024w48,20\nacme/a,2024-S48,20\nacme/a,S48 2024,20\nacme/a,2026-W54,20\nacme/a,2099-w5,20\n' >"$T/typos.csv"
expect_exit 65 "$VIGIE" -c "$T/vigie.yaml" import --dry-run typos.csv
expect_eq "$(cat "$T/err")" "typos.csv:2:8: error: bad period \"2024-W5\": expected an ISO week YYYY-Www (2025-W03); did you mean 2024-W05?
typos.csv:3:8: error: bad period \"2024w48\": expected an ISO week YYYY-Www (2025-W03); did you mean 2024-W48?
typos.csv:4:8: error: bad period \"2024-S48\": expected an ISO week YYYY-Www (2025-W03); did you mean 2024-W48?
typos.csv:5:8: error: bad period \"S48 2024\": expected an ISO week YYYY-Www (2025-W03); did you mean 2024-W48?
typos.csv:6:8: error: bad period \"2026-W54\": 2026 has 53 ISO weeks, its last is 2026-W53 (the days after it are in 2027-W01)
typos.csv:7:8: error: bad period \"2099-w5\": expected an ISO week YYYY-Www (2025-W03); did you mean 2099-W05 (after the current period $now)?
vigie import: nothing was imported" "week typos"

# The command line's periods: the same suggestions.
printf 'unit,period,headcount\nacme/a,2024-W05,20\n' >"$T/ok.csv"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import ok.csv
expect_exit 64 "$VIGIE" -c "$T/vigie.yaml" eval --at 2024-S5
expect_eq "$(cat "$T/err")" "vigie eval: --at '2024-S5' is not a period: use YYYY-MM or YYYY-Www (did you mean 2024-W05?) (see vigie eval --help)"
expect_exit 64 "$VIGIE" -c "$T/vigie.yaml" eval --at 2026-W54
expect_eq "$(cat "$T/err")" "vigie eval: --at '2026-W54' is not a period: 2026 has 53 ISO weeks, its last is 2026-W53 (the days after it are in 2027-W01) (see vigie eval --help)"
exit 0
