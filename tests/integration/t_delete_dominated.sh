#!/usr/bin/env bash
# `vigie delete` names why a hidden figure it would give away is hidden
# (SPEC 3): a team under the anonymity floor, a value that is one person's
# (X_max over dominance times X), or a unit hidden beside one of those,
# and which one; and says that the removal gives the removed value itself
# away (its parent's figures move by it), and beside the figures shown
# before, the one hidden with it. With --indicator as without. The removal
# is done all the same (exit 0): its user reads the database anyway.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1
make_config "min_headcount: 5"
cd "$T"
del() { expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" delete --dry-run --period "$@"; }
tail_='(SPEC 3); remove values of a period already evaluated only when they are wrong'
# July: b's and c's days are one person's, no team under the floor;
# August: b's, c hidden beside it; September: d (4 people) under the
# floor, c hidden beside it.
cat >months.csv <<'CSV'
unit,period,headcount,absence_days,absence_days_max
acme/s/a,2026-07,20,30,5
acme/s/b,2026-07,6,9,9
acme/s/c,2026-07,7,5,5
acme/s/e,2026-07,10,8,3
acme/s/a,2026-08,20,30,5
acme/s/b,2026-08,6,9,9
acme/s/c,2026-08,7,7,2
acme/s/e,2026-08,10,8,3
acme/s/a,2026-09,20,30,5
acme/s/c,2026-09,7,7,2
acme/s/d,2026-09,4,3,1
acme/s/e,2026-09,10,8,3
CSV
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import months.csv
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once

del 2026-07 --unit acme/s/b
expect_eq "$(cat "$T/err")" "vigie delete: warning: acme/s/b's absence_days is hidden at 2026-07 as one person's (its absence_days_max over 0.85 times it), and the removal moves its parent's figures by its own: that gives it away to whoever compares them before and after, and beside the figures shown before, acme/s/c's too $tail_" \
	"two values of one person's, no team under the floor"
expect_eq "$(cat "$T/out")" "would delete 3 values of 2026-07 for units acme/s/b"
del 2026-07 --unit acme/s/b --indicator absence_days
expect_eq "$(cat "$T/err")" "vigie delete: warning: acme/s/b's absence_days is hidden at 2026-07 as one person's (its absence_days_max over 0.85 times it), and the removal moves its parent's figures by its own: that gives it away to whoever compares them before and after, and beside the figures shown before, acme/s/c's too $tail_" \
	"the same with --indicator"
# August: b alone is one person's; removed, c would follow.
del 2026-08 --unit acme/s/b --indicator absence_days
expect_eq "$(cat "$T/err")" "vigie delete: warning: acme/s/b's absence_days is hidden at 2026-08 as one person's (its absence_days_max over 0.85 times it), and the removal moves its parent's figures by its own: that gives it away to whoever compares them before and after, and beside the figures shown before, acme/s/c's too $tail_" \
	"one person's, c beside it"
del 2026-08 --unit acme/s/c
expect_eq "$(cat "$T/err")" "vigie delete: warning: acme/s/c's absence_days is hidden at 2026-08 beside acme/s/b, hidden as one person's, and the removal moves its parent's figures by its own: that gives it away to whoever compares them before and after, and beside the figures shown before, acme/s/b's too $tail_" \
	"hidden beside one person's"
# September: c is hidden beside a team under the floor.
del 2026-09 --unit acme/s/c
expect_eq "$(cat "$T/err")" "vigie delete: warning: acme/s/c's absence_days is hidden at 2026-09 beside acme/s/d, a team under the anonymity floor, and the removal moves its parent's figures by its own: that gives it away to whoever compares them before and after, and beside the figures shown before, acme/s/d's too $tail_" \
	"hidden beside a small team"
# Nothing said: a team shown, the site's whole month.
for args in "--unit acme/s/a" "--unit acme/s/**" ""; do
	# shellcheck disable=SC2086
	del 2026-08 $args
	no_err "$args"
done
# The removal is done (exit 0), said on stderr.
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" delete --period 2026-08 --unit acme/s/b
expect_grep "vigie delete: warning: acme/s/b's absence_days is hidden at 2026-08 as one person's" "$T/err"
expect_eq "$(cat "$T/out")" "deleted 3 values of 2026-08 for units acme/s/b"
