#!/usr/bin/env bash
# vigie eval and vigie backtest against a real database: exact text and JSON
# output, the anonymity floor and complementary suppression in both (SPEC
# 3: acme/b, 4 people, is hidden, and so is acme/d, the smallest team
# beside it, or acme minus the others would give b away; harassment's own
# floor of 12 hides acme/a too, since b and d are 10 people together), and
# the usage and configuration errors.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1

make_config
cp "$SRC/tests/rules/fixtures/conflicts.yaml" "$T/rules.d/"
C=(-c "$T/vigie.yaml")

# An empty database evaluates to nothing.
expect_exit 0 "$VIGIE" "${C[@]}" eval --format json
expect_eq "$(cat "$T/out")" "[]" "empty database, JSON"
expect_exit 0 "$VIGIE" "${C[@]}" eval
expect_eq "$(cat "$T/out")" "" "empty database, text"

cat >"$T/data.csv" <<'EOF'
unit,period,headcount,conflicts,hours_worked,harassment_reports
acme/a,2025-01,20,5,3000,0
acme/a,2025-02,20,1.5,2800,0
acme/b,2025-01,4,1,600,0
acme/b,2025-02,4,3,500,1
acme/c,2025-02,30,0,4500,1
acme/d,2025-01,6,0,900,0
acme/d,2025-02,6,0,900,0
EOF
expect_exit 0 "$VIGIE" "${C[@]}" import "$T/data.csv"

expect_exit 0 "$VIGIE" "${C[@]}" eval --rule conflict-rate
diff -u "$T/out" - <<'EOF' || fail "eval text output differs"
RULE           UNIT    PERIOD   SCORE   LEVEL  STATE
conflict-rate  acme    2025-02     7.5  -      warning since 2025-01
conflict-rate  acme/a  2025-02     7.5  -      warning since 2025-01
conflict-rate  acme/b  2025-02  hidden  -      -
conflict-rate  acme/c  2025-02       0  -      -
conflict-rate  acme/d  2025-02  hidden  -      -
EOF

expect_exit 0 "$VIGIE" "${C[@]}" eval --unit 'acme/*' --rule harassment --format json
diff -u "$T/out" - <<'EOF' || fail "eval JSON output differs"
[
{"rule":"harassment","unit":"acme/a","period":"2025-02","value":null,"level":null,"active":false,"severity":null,"suppressed":true},
{"rule":"harassment","unit":"acme/b","period":"2025-02","value":null,"level":null,"active":false,"severity":null,"suppressed":true},
{"rule":"harassment","unit":"acme/c","period":"2025-02","value":1.0,"level":"critical","active":true,"severity":"critical","suppressed":false},
{"rule":"harassment","unit":"acme/d","period":"2025-02","value":null,"level":null,"active":false,"severity":null,"suppressed":true}
]
EOF
# The JSON is valid and its values are full-precision doubles.
expect_exit 0 "$VIGIE" "${C[@]}" eval --format json
$PY -c 'import json,sys; a=json.load(open(sys.argv[1])); r=[x for x in a if x["rule"]=="conflict-rate" and x["unit"]=="acme"][0]; assert r["value"]==100*4.5/60 and r["severity"]=="warning" and len(a)==15, r' "$T/out" \
	|| fail "eval JSON does not parse or has a wrong value"

# --firing: only the rows with a level or an active alert (what the data
# says would alert now), the same objects in JSON; the others are left out.
expect_exit 0 "$VIGIE" "${C[@]}" eval --firing
diff -u "$T/out" - <<'EOF' || fail "eval --firing text output differs"
RULE           UNIT    PERIOD   SCORE  LEVEL     STATE
conflict-rate  acme    2025-02    7.5  -         warning since 2025-01
conflict-rate  acme/a  2025-02    7.5  -         warning since 2025-01
harassment     acme    2025-02      2  critical  critical since 2025-02
harassment     acme/c  2025-02      1  critical  critical since 2025-02
EOF
expect_exit 0 "$VIGIE" "${C[@]}" eval --format json
$PY -c 'import json,sys; print(json.dumps([x for x in json.load(open(sys.argv[1])) if x["level"] or x["active"]]))' "$T/out" >"$T/want.json"
expect_exit 0 "$VIGIE" "${C[@]}" eval --firing --format json
expect_eq "$($PY -c 'import json,sys; print(json.dumps(json.load(open(sys.argv[1]))))' "$T/out")" "$(cat "$T/want.json")" "eval --firing JSON: the full JSON's rows with a level or an active state"
expect_eq "$(grep -c '^{' "$T/out")" 4 "four rows fire"
# With --unit and --rule: the rows that pass all three; none firing is the
# empty answer, not an error.
expect_exit 0 "$VIGIE" "${C[@]}" eval --firing --rule harassment --unit 'acme/*'
expect_eq "$(tail -n +2 "$T/out")" "harassment  acme/c  2025-02      1  critical  critical since 2025-02"
expect_exit 0 "$VIGIE" "${C[@]}" eval --firing --rule low-presence --format json
expect_eq "$(cat "$T/out")" "[]" "nothing firing, JSON"
expect_exit 0 "$VIGIE" "${C[@]}" eval --firing --rule low-presence
expect_eq "$(cat "$T/out")" "" "nothing firing, text"
no_err "nothing firing"
expect_exit 0 "$VIGIE" "${C[@]}" audit
expect_grep "eval    --rule low-presence --firing --format text: 0 rows" "$T/out"

# --at goes back in time: at 2025-01 the team was critical.
expect_exit 0 "$VIGIE" "${C[@]}" eval --at 2025-01 --rule conflict-rate --unit acme/a
expect_grep "conflict-rate  acme/a  2025-01     25  critical  critical since 2025-01" "$T/out"

expect_exit 0 "$VIGIE" "${C[@]}" backtest --from 2025-02 --to 2025-06 --format json
diff -u "$T/out" - <<'EOF' || fail "backtest JSON output differs"
{"transitions":[
{"period":"2025-02","rule":"conflict-rate","unit":"acme/a","event":"deescalated","severity":"warning","previous":"critical","value":7.5},
{"period":"2025-02","rule":"harassment","unit":"acme","event":"firing","severity":"critical","previous":null,"value":2.0},
{"period":"2025-02","rule":"harassment","unit":"acme/c","event":"firing","severity":"critical","previous":null,"value":1.0}
],"rules":[
{"rule":"conflict-rate","alerts":0,"units":1},
{"rule":"low-presence","alerts":0,"units":0},
{"rule":"harassment","alerts":2,"units":2}
]}
EOF
expect_exit 0 "$VIGIE" "${C[@]}" backtest --from 2025-01 --to 2025-02
expect_grep "2025-01  conflict-rate  acme/a  firing       critical     25" "$T/out"
expect_grep "conflict-rate       2      2" "$T/out"
# What a reader of the digests would have received, in the budget's unit:
# 4 alerts on 4 teams in 2 months is 2 a month, 600 per 100 teams a year.
expect_eq "$(tail -1 "$T/out")" "4 alerts over 2 months (2025-01 to 2025-02): 2.0 a month, or 600.0 per 100 teams a year (4 teams; the alerts of the units above them counted too)"
expect_exit 0 "$VIGIE" "${C[@]}" backtest --from 2025-02 --to 2025-02 --rule harassment
expect_eq "$(tail -1 "$T/out")" "2 alerts over 1 month (2025-02): 2.0 a month, or 600.0 per 100 teams a year (4 teams; the alerts of the units above them counted too)"
# A span that reaches past the data (a year mistyped): the rates count the
# months with data, and the command says so.
expect_exit 0 "$VIGIE" "${C[@]}" backtest --from 2025-01 --to 2026-02
expect_eq "$(tail -1 "$T/out")" "4 alerts over 2 months (2025-01 to 2025-02): 2.0 a month, or 600.0 per 100 teams a year (4 teams; the alerts of the units above them counted too)"
expect_eq "$(cat "$T/err")" "vigie backtest: warning: the data spans 2025-01 to 2025-02: the periods of 2025-01 to 2026-02 outside it replay nothing, and the rates count those with data only"

# Usage errors: 64, with a message that says what was wrong.
expect_exit 64 "$VIGIE" "${C[@]}" eval --rule no-such-rule
expect_grep "no rule with id 'no-such-rule'" "$T/err"
expect_exit 64 "$VIGIE" "${C[@]}" eval --at 2025-13
expect_grep "--at '2025-13' is not a period" "$T/err"
# A period written as a date or a month's name: the one it stands for, of
# the database's kind when the command knows it, else of both.
expect_exit 64 "$VIGIE" "${C[@]}" eval --at 01/10/2025
expect_eq "$(cat "$T/err")" "vigie eval: --at '01/10/2025' is not a period: use YYYY-MM or YYYY-Www (did you mean 2025-10?) (see vigie eval --help)"
expect_exit 64 "$VIGIE" "${C[@]}" delete --period 2025-10-06
expect_eq "$(cat "$T/err")" "vigie delete: --period '2025-10-06' is not a period: use YYYY-MM or YYYY-Www (did you mean 2025-10, or the week 2025-W41?) (see vigie delete --help)"
expect_exit 64 "$VIGIE" "${C[@]}" backtest --from oct-25 --to 2025-12
expect_grep "(did you mean 2025-10?)" "$T/err"
expect_exit 64 "$VIGIE" "${C[@]}" eval --at 2025-W03
expect_grep "is a week but the database holds months" "$T/err"
expect_exit 64 "$VIGIE" "${C[@]}" eval --unit 'acme//x'
expect_grep "--unit 'acme//x' is not a unit glob" "$T/err"
# A glob that matches no unit (a unit's last name alone) says so, and
# names a unit to copy from; the output stays the empty answer.
expect_exit 0 "$VIGIE" "${C[@]}" eval --unit 'a' --rule harassment --format json
expect_eq "$(cat "$T/out")" "[]"
expect_eq "$(cat "$T/err")" "vigie eval: warning: --unit 'a' matches none of the 5 units evaluated, such as 'acme/d' (a glob names whole paths; 'acme/**' names the units under acme)"
expect_exit 0 "$VIGIE" "${C[@]}" eval --unit 'acme/a'
expect_eq "$(cat "$T/err")" "" "a glob that matches"
expect_exit 64 "$VIGIE" "${C[@]}" eval --format yaml
expect_exit 64 "$VIGIE" "${C[@]}" backtest --from 2025-01
expect_exit 64 "$VIGIE" "${C[@]}" backtest --from 2025-03 --to 2025-01
expect_grep "--from 2025-03 is after --to 2025-01" "$T/err"

# An invalid rule set: its diagnostics, exit 78.
printf 'rules:\n  - id: bad\n    title: t\n    value: x +\n    above: {warning: 1}\n' >"$T/rules.d/zz.yaml"
expect_exit 78 "$VIGIE" "${C[@]}" eval
expect_grep "$T/rules.d/zz.yaml:4:" "$T/err"
exit 0
