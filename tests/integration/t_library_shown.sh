#!/usr/bin/env bash
# The figures an alert shows are those it fired on (vigie-rules(5),
# observed and expected): on the demo company with the shipped rules, every
# active alert whose value is built from count tails shows, as observed and
# expected, the count and the mean of a tail of its value, and a rule that
# chooses between two windows (departures-and-requests, accidents-unusual)
# shows the window that decided, on every unit it gives a value. The check
# asks the engine itself (tests/integration/shown.py). In the demo, the 4
# months decided every departures-and-requests alert: valdis/nancy shows
# 15 against 5.7, not the 3 months' 7 against 4.4.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1

cat >"$T/vigie.yaml" <<YAML
database: $T/vigie.db
rules: $SRC/etc/rules.d
locale: fr
YAML
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$SRC"/contrib/demo/valdis-*.csv
$PY "$SRC/tests/integration/shown.py" "$VIGIE" "$T/vigie.yaml" "$SRC/etc/rules.d" "$T/derived" >"$T/shown" 2>&1 ||
	{ cat "$T/shown"; fail "an alert shows figures that did not decide it"; }
cat "$T/shown"
expect_grep "departures-and-requests@valdis/nancy: shown 15.0 against 5.66" "$T/shown"

# What a reader sees: the same figures in vigie alerts' columns.
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" eval --rule departures-and-requests --unit valdis/nancy
expect_grep "valdis/nancy  2026-10   0.05        15       5.7" "$T/out"
