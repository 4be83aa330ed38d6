#!/usr/bin/env bash
# A history imported at once: the first cycle records, at the latest
# period, an alert the data showed months before. The journal and vigie
# history say since when (as vigie alerts' SINCE and the emails do), not
# only the month of the cycle; a firing of its own month says nothing more.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1

make_config
conflicts_rule
printf 'unit,period,headcount,conflicts\nacme/a,2026-01,20,5\nacme/a,2026-02,20,6\nacme/a,2026-03,20,7\nacme/b,2026-01,20,0\nacme/b,2026-02,20,0\nacme/b,2026-03,20,0\n' >q1.csv
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import q1.csv
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_grep "<4>vigied: conflicts-high@acme/a firing warning at 2026-03 (active since 2026-01)" "$T/err"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" history conflicts-high@acme/a
expect_grep "firing  2026-03  warning       7  active since 2026-01, threshold 3" "$T/out"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" history conflicts-high@acme/a --format json
expect_grep '"since": "2026-01"' "$T/out"

# Month by month: acme/b fires in April, its own month.
printf 'unit,period,headcount,conflicts\nacme/a,2026-04,20,7\nacme/b,2026-04,20,4\n' >apr.csv
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import apr.csv
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_grep "<4>vigied: conflicts-high@acme/b firing warning at 2026-04" "$T/err"
expect_no_grep "since" "$T/err"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" history conflicts-high@acme/b
expect_grep "firing  2026-04  warning       4  threshold 3" "$T/out"
exit 0
