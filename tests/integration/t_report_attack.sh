#!/usr/bin/env bash
# vigie report read as an attacker would (SPEC 3, 15): what the report and
# its refusals print gives no hidden cell away.
#
# --unit on a hidden team: in March team a has 1 person and team b, the
# smallest of its siblings (5), is withheld with it; the site (26) minus
# its visible team c (20) gives the pair's total, 6. A refusal that told
# "a is under the floor" from "b reaches the floor" would leave a = 1 (or
# 0) and b = 5 (or 6): both refusals say the same, the period and not why.
#
# Dominance behind a site's own total: the site exports 200 days of
# absence and its most absent employee's 90, beside two teams of 55 days
# (most absent: 5). Its rate and headcount less its teams' give the 90
# days of its own 10 people, one person's: the smaller team is withheld
# with them.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1

printf 'database: %s/vigie.db\nrules: %s/etc/rules.d\n' "$T" "$SRC" >"$T/vigie.yaml"
{
	echo "unit,period,headcount,departures"
	for p in 2026-01 2026-02 2026-03 2026-04; do
		a=8
		[ $p = 2026-03 ] && a=1
		echo "co/s/a,$p,$a,0"
		echo "co/s/b,$p,5,1"
		echo "co/s/c,$p,20,0"
		echo "co/t/d,$p,20,1"
		echo "co/t/e,$p,20,0"
	done
} >"$T/d.csv"
R=("$VIGIE" -c "$T/vigie.yaml" report --from 2026-03 --to 2026-03)
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/d.csv"
expect_exit 0 "${R[@]}" --format json
# what the attacker reads: the pair's total headcount
expect_eq "$($PY -c 'import json,sys
u = {x["unit"]: x["figures"][0]["value"] for x in json.load(open(sys.argv[1]))["units"]}
print(sorted(u), u["co/s"] - u["co/s/c"])' "$T/out")" \
	"['co', 'co/s', 'co/s/c', 'co/t', 'co/t/d', 'co/t/e'] 6.0" "the pair a + b"
expect_exit 65 "${R[@]}" --unit co/s/a
cp "$T/err" "$T/err.a"
expect_exit 65 "${R[@]}" --unit co/s/b
expect_eq "$(sed 's#co/s/b#co/s/UNIT#' "$T/err")" "$(sed 's#co/s/a#co/s/UNIT#' "$T/err.a")" \
	"the refusals for the small team and for the team withheld with it differ"
expect_eq "$(cat "$T/err.a")" "vigie report: no report for co/s/a: it is hidden in 2026-03, the span's first period where it is (SPEC 3: a headcount unknown or under the floor of 5, figures withheld with a smaller team's, or a figure mostly one person's; which is not said, as it would tell a team's size), and a unit hidden at any period of the span appears in no report: a span without 2026-03 may show it"

mkdir -p "$T/dom"
printf 'database: %s/dom/vigie.db\nrules: %s/etc/rules.d\n' "$T" "$SRC" >"$T/dom/vigie.yaml"
{
	echo "unit,period,headcount,workable_days,absence_days,absence_days_max"
	for p in 2026-01 2026-02 2026-03; do
		echo "co/s,$p,40,800,200,90"
		echo "co/s/a,$p,15,300,55,5"
		echo "co/s/b,$p,15,300,55,5"
		echo "co/u,$p,20,400,30,4"
	done
} >"$T/dom/d.csv"
expect_exit 0 "$VIGIE" -c "$T/dom/vigie.yaml" import "$T/dom/d.csv"
expect_exit 0 "$VIGIE" -c "$T/dom/vigie.yaml" report --from 2026-01 --to 2026-03 --format json
# the attacker's days: rate x headcount x 20 workable days a month
expect_eq "$($PY -c 'import json,sys
u = {x["unit"]: x["figures"] for x in json.load(open(sys.argv[1]))["units"]}
days = lambda k: round(u[k][1]["value"] * u[k][0]["value"] * 20 * 3 / 100)
print(sorted(u), days("co/s") - sum(days(k) for k in u if k.startswith("co/s/")))' "$T/out")" \
	"['co', 'co/s', 'co/s/b', 'co/u'] 435" "the site's own staff's days, alone"
exit 0
