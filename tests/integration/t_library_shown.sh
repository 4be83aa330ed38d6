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

# The value webhooks send and vigie alerts shows as SCORE is, for a rule
# built on tails, a probability: the conflicts rule's gate (conflicts not
# unusual by themselves) makes it 1, not 1 plus the product (it was 1.089
# for valdis/metz/restauration in 2026-04, the month before it fired).
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" eval --rule conflicts --unit valdis/metz/restauration --at 2026-04 --format json
expect_grep '"value":1.0,' "$T/out"
for p in 2025-10 2026-01 2026-04 2026-07 2026-10; do
	expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" eval --at "$p" --format json
	$PY -c 'import json, sys
bad = [(r["rule"], r["unit"], r["value"]) for r in json.load(open(sys.argv[1]))
       if r["value"] is not None and r["rule"] not in ("overtime-drift", "absenteeism-level", "overtime-level", "harassment")
       and not 0 <= r["value"] <= 1]
assert not bad, bad' "$T/out" || fail "a probability out of [0, 1] at $p"
done
