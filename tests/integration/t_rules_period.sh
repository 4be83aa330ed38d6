#!/usr/bin/env bash
# A rule states the granularity it is written for (period:, vigie-rules(5)):
# on a weekly database the shipped library, written for months, is not
# evaluated, and every command says so: vigie check and vigied --check
# warn at each rule's period:, the daemon logs it at start, vigie status
# counts them (text and JSON), vigie eval leaves them out with a word on
# standard error; a monthly rule that the weekly data crosses fires
# nothing, where the same rule written for weeks fires. vigie test on a
# rule of the other granularity fails and says why.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1

make_config "period: week
retention: { data: 200 }"
cp "$SRC"/etc/rules.d/*.yaml "$T/rules.d/"
cat >"$T/rules.d/95-local.yaml" <<'YAML'
rules:
  - id: conflicts-month
    title: Conflits
    period: month
    value: conflicts
    above: { warning: 2 }
  - id: conflicts-week
    title: Conflits
    period: week
    value: conflicts
    above: { warning: 2 }
YAML
$PY - "$T/w.csv" <<'PY'
import datetime, sys
rows = ["unit,period,headcount,workable_days,absence_days,conflicts"]
d = datetime.date(2024, 1, 1)
for i in range(60):
    y, w, _ = (d + datetime.timedelta(weeks=i)).isocalendar()
    for u in ("acme/a", "acme/b"):
        rows.append(f"{u},{y}-W{w:02d},20,100,4,{5 if u == 'acme/a' and i >= 58 else 0}")
open(sys.argv[1], "w").write("\n".join(rows) + "\n")
PY
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/w.csv"

w() { echo "$T/rules.d/$1: warning: rule \"$2\" is written for months (period: month): on this weekly database its windows would count weeks and its texts say months; it is not evaluated — copy it, rewrite its windows and texts for weeks, and set period: week"; }
first=$(w 10-absences.yaml:132:13 absenteeism-level)
local=$(w 95-local.yaml:4:13 conflicts-month)

expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" check
expect_grep "$first" "$T/err"
expect_grep "$local" "$T/err"
expect_eq "$(grep -c 'is written for months (period: month)' "$T/err")" 15
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --check
expect_grep "$first" "$T/err"
expect_eq "$(grep -c 'is written for months (period: month)' "$T/err")" 15

# The daemon: the warnings in its log at start, and one rule evaluated.
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_grep "$local" "$T/err"
expect_grep "vigied: 2025-W08: 3 units, 1 rules, 2 active (0 critical)" "$T/err"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" alerts
expect_grep "conflicts-week" "$T/out"
expect_no_grep "conflicts-month" "$T/out"
expect_eq "$(db "SELECT group_concat(DISTINCT rule) FROM alert")" "conflicts-week"

expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" status
expect_grep "rules:        15 of 16 written for months (period: month): not evaluated on this weekly database; vigie check says which and what to do" "$T/out"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" status --format json
expect_eq "$($PY -c 'import json,sys; r=json.load(open(sys.argv[1]))["other_period_rules"]; print(len(r), r[0], r[-1])' "$T/out")" \
	"15 absenteeism-level conflicts-month"
"$VIGIE" -c "$T/vigie.yaml" status --check >"$T/out" 2>&1
expect_eq "$?" 1 "status --check's exit status with rules left out"
expect_grep "problem:      15 of 16 rules are written for months (period: month) and not evaluated on this weekly database: vigie check says which and what to do" "$T/out"

# eval: the monthly rules left out, said once.
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" eval
expect_eq "$(cat "$T/err")" "vigie eval: 15 rules written for months (period: month) left out: this database holds weeks (vigie check says which)"
expect_eq "$(awk 'NR > 1 { print $1 }' "$T/out" | sort -u)" "conflicts-week"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" eval --rule conflicts-month
expect_eq "$(cat "$T/err")" "vigie eval: rule 'conflicts-month' is written for months (period: month), and this database holds weeks: it is not evaluated; nothing to evaluate"

# vigie test: a monthly rule on weekly test data fails, and says why.
cat >"$T/t.yaml" <<YAML
rule_files: [rules.d/95-local.yaml]
period: week
tests:
  - name: nothing
    data:
      - unit: acme/a
        from: 2025-W01
        values: { headcount: "20x3", conflicts: "0 0 0" }
    expect: []
YAML
expect_exit 1 "$VIGIE" test "$T/t.yaml"
expect_grep "$T/rules.d/95-local.yaml:4:13: error: rule \"conflicts-month\" is written for months (period: month) and the data of $T/t.yaml is in weeks: it would not be evaluated; test it in a file with period: month" "$T/err"
