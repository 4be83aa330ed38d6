#!/usr/bin/env bash
# SPEC 10: every command takes -c CONFIG as vigied does; the man page's
# default is $VIGIE_CONFIG, else /etc/vigie/vigie.yaml. -c wins over
# $VIGIE_CONFIG, for vigie and vigied alike, and a configuration that
# cannot be read exits 78 naming the file tried.
source "$VIGIE_SRC/tests/integration/lib.sh"

make_config
printf 'unit,period,headcount\nacme/a,2025-01,20\n' >"$T/d.csv"
export VIGIE_CONFIG="$T/missing.yaml"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/d.csv"
expect_exit 0 "$VIGIE" status -c "$T/vigie.yaml" --format json
expect_grep '"latest_period": "2025-01"' "$T/out"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --check
# Without -c, $VIGIE_CONFIG is read.
expect_exit 78 "$VIGIE" status
expect_eq "$(cat "$T/err")" "vigie: cannot read configuration $T/missing.yaml: No such file or directory (use -c CONFIG or set VIGIE_CONFIG)"
VIGIE_CONFIG="$T/vigie.yaml" expect_exit 0 "$VIGIE" status --format json
expect_grep '"latest_period": "2025-01"' "$T/out"
exit 0
