#!/usr/bin/env bash
# SPEC 5 and 16 with the real binaries: the configuration's carry_over
# (an alert resolves after that many periods without a value, with a null
# value, in vigie eval, vigie backtest and the daemon's cycle), full
# windows, and a rule's observed and expected in the text of vigie eval and
# in vigie backtest's JSON, while vigie eval's JSON keeps exactly its keys.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1

make_config "carry_over: 1"
cat >"$T/rules.d/r.yaml" <<'YAML'
rules:
  - id: conflicts-high
    title: Conflicts
    value: conflicts
    observed: conflicts
    expected: 0.1 * headcount
    above: { warning: 2 }
    summary: "{{observed}} conflicts, {{expected}} expected ({{ratio}} times)"
  - id: plain
    title: Plain
    value: sum(conflicts, 2)
    above: { warning: 4 }
YAML
# acme/a stops sending data after 2025-02; acme/b goes on to 2025-04.
cat >"$T/data.csv" <<'CSV'
unit,period,headcount,conflicts
acme/a,2025-01,20,5
acme/a,2025-02,20,4
acme/b,2025-01,10,0
acme/b,2025-02,10,0
acme/b,2025-03,10,0
acme/b,2025-04,10,0
CSV
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/data.csv"
C=(-c "$T/vigie.yaml")

# One period without data (no headcount: suppressed, but missing rather
# than hidden: nothing was sent) is carried over (carry_over: 1), the
# second resolves: the row says why.
expect_exit 0 "$VIGIE" "${C[@]}" eval --rule conflicts-high --unit acme/a --at 2025-03
diff -u "$T/out" - <<'EOF' || fail "eval text at 2025-03"
RULE            UNIT    PERIOD   SCORE    OBSERVED  EXPECTED  LEVEL  STATE
conflicts-high  acme/a  2025-03  missing  missing   missing   -      warning since 2025-01
EOF
expect_exit 0 "$VIGIE" "${C[@]}" eval --rule conflicts-high
diff -u "$T/out" - <<'EOF' || fail "eval text at 2025-04"
RULE            UNIT    PERIOD   SCORE    OBSERVED  EXPECTED  LEVEL  STATE
conflicts-high  acme    2025-04        0         0         1  -      -
conflicts-high  acme/a  2025-04  missing  missing   missing   -      - (data missing)
conflicts-high  acme/b  2025-04        0         0         1  -      -
EOF

# A rule without expected keeps the usual columns; its 2-month window is
# undefined in the first month of data.
expect_exit 0 "$VIGIE" "${C[@]}" eval --rule plain --unit acme/a --at 2025-01
diff -u "$T/out" - <<'EOF' || fail "eval text of a rule without expected"
RULE   UNIT    PERIOD   SCORE  LEVEL  STATE
plain  acme/a  2025-01  -      -      -
EOF

# vigie eval's JSON has exactly the keys of SPEC 10, expected or not.
expect_exit 0 "$VIGIE" "${C[@]}" eval --format json
$PY - "$T/out" <<'PY' || fail "eval JSON keys"
import json, sys
a = json.load(open(sys.argv[1]))
keys = ["rule", "unit", "period", "value", "level", "active", "severity", "suppressed"]
assert a and all(list(x) == keys for x in a), [list(x) for x in a]
PY

# backtest: the resolution for missing data has a null value; observed
# and expected come only with the rule that states them.
expect_exit 0 "$VIGIE" "${C[@]}" backtest --from 2025-01 --to 2025-04 --format json
diff -u "$T/out" - <<'EOF' || fail "backtest JSON"
{"transitions":[
{"period":"2025-01","rule":"conflicts-high","unit":"acme","event":"firing","severity":"warning","previous":null,"value":5.0,"observed":5.0,"expected":3.0},
{"period":"2025-01","rule":"conflicts-high","unit":"acme/a","event":"firing","severity":"warning","previous":null,"value":5.0,"observed":5.0,"expected":2.0},
{"period":"2025-02","rule":"plain","unit":"acme","event":"firing","severity":"warning","previous":null,"value":9.0},
{"period":"2025-02","rule":"plain","unit":"acme/a","event":"firing","severity":"warning","previous":null,"value":9.0},
{"period":"2025-03","rule":"conflicts-high","unit":"acme","event":"resolved","severity":null,"previous":"warning","value":0.0,"observed":0.0,"expected":1.0},
{"period":"2025-03","rule":"plain","unit":"acme","event":"resolved","severity":null,"previous":"warning","value":4.0},
{"period":"2025-04","rule":"conflicts-high","unit":"acme/a","event":"resolved","severity":null,"previous":"warning","value":null,"observed":null,"expected":null},
{"period":"2025-04","rule":"plain","unit":"acme/a","event":"resolved","severity":null,"previous":"warning","value":null}
],"rules":[
{"rule":"conflicts-high","alerts":2,"units":2},
{"rule":"plain","alerts":2,"units":2}
]}
EOF
expect_exit 0 "$VIGIE" "${C[@]}" backtest --from 2025-04 --to 2025-04 --rule conflicts-high
expect_grep "2025-04  conflicts-high  acme/a  resolved  -         data missing  -         -" "$T/out"
# The text form: the value, then what was observed against what was expected.
expect_exit 0 "$VIGIE" "${C[@]}" backtest --from 2025-01 --to 2025-01 --rule conflicts-high
diff -u <(sed -n 1,3p "$T/out") - <<'EOF' || fail "backtest text"
PERIOD   RULE            UNIT    EVENT   SEVERITY  SCORE  OBSERVED  EXPECTED
2025-01  conflicts-high  acme    firing  warning       5         5         3
2025-01  conflicts-high  acme/a  firing  warning       5         5         2
EOF

# The daemon reads carry_over from the configuration too: a cycle at
# 2025-02 records the alert of acme/a, the cycle after the next imports
# resolves it for missing data, with a null value.
sed "s|^database: .*|database: $T/d2.db|" "$T/vigie.yaml" >"$T/d2.yaml"
head -n 4 "$T/data.csv" >"$T/jan-feb.csv"
{ head -n 1 "$T/data.csv"; tail -n 2 "$T/data.csv"; } >"$T/mar-apr.csv"
expect_exit 0 "$VIGIE" -c "$T/d2.yaml" import "$T/jan-feb.csv"
expect_exit 0 "$VIGIED" -c "$T/d2.yaml" --once
expect_exit 0 "$VIGIE" -c "$T/d2.yaml" import "$T/mar-apr.csv"
expect_exit 0 "$VIGIED" -c "$T/d2.yaml" --once
expect_eq "$(sqlite3 "$T/d2.db" "SELECT group_concat(kind || ' ' || rule || '@' || unit || ' ' || ifnull(value, 'null'), ', ') FROM (SELECT * FROM event WHERE unit = 'acme/a' ORDER BY id)")" \
	"firing conflicts-high@acme/a 4.0, firing plain@acme/a 9.0, resolved conflicts-high@acme/a null, resolved plain@acme/a null" \
	"events of acme/a"
expect_exit 0 "$VIGIE" -c "$T/d2.yaml" alerts --format json
expect_eq "$(cat "$T/out")" "[]" "no active alert after carry_over"
# With the default (6), the same data keeps it active.
sed -i '/^carry_over:/d' "$T/vigie.yaml"
expect_exit 0 "$VIGIE" "${C[@]}" eval --rule conflicts-high --unit acme/a
expect_grep "warning since 2025-01" "$T/out"

# vigie alerts shows a probability that rounds to 0 at its rule's decimals
# with its significant digits, not as a 0 that says nothing.
mkdir -p "$T/p/rules.d"
printf 'database: %s\nrules: %s\n' "$T/p/p.db" "$T/p/rules.d" >"$T/p/vigie.yaml"
cat >"$T/p/rules.d/p.yaml" <<'YAML'
rules:
  - id: rare
    title: Rare
    value: poisson_tail(conflicts, 0.01)
    below: { warning: 0.001 }
    decimals: 1
YAML
printf 'unit,period,headcount,conflicts\nacme/x,2025-01,10,4\n' >"$T/p/x.csv"
expect_exit 0 "$VIGIE" -c "$T/p/vigie.yaml" import "$T/p/x.csv"
expect_exit 0 "$VIGIED" -c "$T/p/vigie.yaml" --once
expect_exit 0 "$VIGIE" -c "$T/p/vigie.yaml" alerts
grep -E '^rare@acme/x ' "$T/out" >"$T/p/a" || fail "no rare@acme/x: $(cat "$T/out")"
expect_grep " 4.1e-10 " "$T/p/a"
expect_grep " <0.001 " "$T/p/a"

# A draft is tried on the stored data before it joins the rules folder:
# --rules reads it instead of the configuration's rules.
cat >"$T/draft.yaml" <<'YAML'
rules:
  - id: draft-conflicts
    title: Draft
    value: conflicts
    above: { warning: 3 }
YAML
expect_exit 0 "$VIGIE" "${C[@]}" eval --rules "$T/draft.yaml" --at 2025-01
diff -u "$T/out" - <<'EOF' || fail "eval of a draft"
RULE             UNIT    PERIOD   SCORE  LEVEL    STATE
draft-conflicts  acme    2025-01      5  warning  warning since 2025-01
draft-conflicts  acme/a  2025-01      5  warning  warning since 2025-01
draft-conflicts  acme/b  2025-01      0  -        -
EOF
expect_exit 0 "$VIGIE" "${C[@]}" backtest --rules "$T/draft.yaml" --from 2025-01 --to 2025-04
expect_grep "2025-01  draft-conflicts  acme/a  firing" "$T/out"
# A draft that reads an indicator the database lacks is warned about, as
# vigie check does: its "0 alerts" are no quiet rule's.
sed 's/value: conflicts/value: conflict/' "$T/draft.yaml" >"$T/typo.yaml"
expect_exit 0 "$VIGIE" "${C[@]}" backtest --rules "$T/typo.yaml" --from 2025-01 --to 2025-04
expect_grep "$T/typo.yaml:4:12: warning: the indicator \"conflict\" is neither in the recommended vocabulary nor in the database" "$T/err"
expect_exit 64 "$VIGIE" "${C[@]}" eval --rules "$T/draft.yaml" --rule conflicts-high
expect_grep "no rule with id 'conflicts-high' in $T/draft.yaml" "$T/err"
printf '    for: 2 mois\n' >>"$T/draft.yaml"
expect_exit 78 "$VIGIE" "${C[@]}" backtest --rules "$T/draft.yaml" --from 2025-01 --to 2025-04
expect_grep "$T/draft.yaml:6:10: error: " "$T/err"

# A bad carry_over is a configuration error at its place.
printf 'carry_over: -1\n' >>"$T/vigie.yaml"
expect_exit 78 "$VIGIE" "${C[@]}" eval
expect_grep "vigie.yaml:5:13: error: carry_over must be a whole number of periods, from 0 to 1000000" "$T/err"
exit 0
