#!/usr/bin/env bash
# A value that is undefined for want of data is "missing", not "hidden":
# hidden (SPEC 3) is for disclosure control only, as `vigie alerts` already
# says. vigie eval's text at a period never imported, before the data or
# after it says "missing" for every unit, with one warning on stderr that
# no data is stored there; a team below the floor at a period with data
# stays "hidden". The JSON keeps SPEC 10's keys and values: null, and
# "suppressed": true (SPEC 3: an undefined headcount suppresses). vigie
# test says "missing" for an alert carried past the data, and "hidden"
# for one carried over a period where its team is below the floor.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1

make_config
cat >"$T/rules.d/conflicts.yaml" <<'YAML'
rules:
  - id: conflicts-high
    title: "Conflicts"
    value: conflicts
    above: { warning: 2, critical: 5 }
YAML
# 2026-03 is never imported; acme/b (4 people) is below the floor.
cat >"$T/data.csv" <<'CSV'
unit,period,headcount,conflicts
acme/a,2026-01,20,3
acme/a,2026-02,20,1
acme/a,2026-04,20,1
acme/b,2026-01,4,1
acme/b,2026-02,4,1
acme/b,2026-04,4,1
acme/c,2026-01,6,1
acme/c,2026-02,6,1
acme/c,2026-04,6,1
CSV
C=(-c "$T/vigie.yaml")
expect_exit 0 "$VIGIE" "${C[@]}" import "$T/data.csv"

# A period with data: hidden where disclosure control says so, no warning.
expect_exit 0 "$VIGIE" "${C[@]}" eval --at 2026-04
diff -u - "$T/out" <<'EOF' || fail "eval at a period with data differs"
RULE            UNIT    PERIOD   SCORE   LEVEL    STATE
conflicts-high  acme    2026-04       3  warning  warning since 2026-01
conflicts-high  acme/a  2026-04       1  -        -
conflicts-high  acme/b  2026-04  hidden  -        -
conflicts-high  acme/c  2026-04  hidden  -        -
EOF
expect_eq "$(cat "$T/err")" "" "no warning at a period with data"
expect_exit 0 "$VIGIE" "${C[@]}" eval
expect_eq "$(cat "$T/err")" "" "no warning without --at"

# A month never imported: missing, not hidden.
expect_exit 0 "$VIGIE" "${C[@]}" eval --at 2026-03
diff -u - "$T/out" <<'EOF' || fail "eval at a month never imported differs"
RULE            UNIT    PERIOD   SCORE    LEVEL  STATE
conflicts-high  acme    2026-03  missing  -      warning since 2026-01
conflicts-high  acme/a  2026-03  missing  -      -
conflicts-high  acme/b  2026-03  missing  -      -
conflicts-high  acme/c  2026-03  missing  -      -
EOF
expect_eq "$(cat "$T/err")" "vigie eval: warning: no data stored for 2026-03" "gap warning"

# Before the data and after it.
expect_exit 0 "$VIGIE" "${C[@]}" eval --at 2025-12 --unit acme/a
expect_eq "$(tail -n 1 "$T/out")" "conflicts-high  acme/a  2025-12  missing  -      -" "before the data"
expect_eq "$(cat "$T/err")" "vigie eval: warning: no data stored for 2025-12 (first: 2026-01)" "before warning"
expect_exit 0 "$VIGIE" "${C[@]}" eval --at 2027-01 --unit acme/a
expect_eq "$(tail -n 1 "$T/out")" "conflicts-high  acme/a  2027-01  missing  -      -" "after the data"
expect_eq "$(cat "$T/err")" "vigie eval: warning: no data stored for 2027-01 (last: 2026-04)" "after warning"

# JSON: SPEC 10's keys and values, unchanged.
expect_exit 0 "$VIGIE" "${C[@]}" eval --at 2026-03 --unit acme/a --format json
diff -u - "$T/out" <<'EOF' || fail "eval JSON at a month never imported differs"
[
{"rule":"conflicts-high","unit":"acme/a","period":"2026-03","value":null,"level":null,"active":false,"severity":null,"suppressed":true}
]
EOF

# vigie test: at past the data, the team of 20 carried over is missing; the
# team that fell below the floor is hidden, in the summary too.
cat >"$T/r.yaml" <<'YAML'
rules:
  - id: conflicts-high
    title: "Conflicts"
    value: conflicts
    above: { warning: 2, critical: 5 }
    summary: "{{value}} ({{unit}})"
YAML
cat >"$T/t.test.yaml" <<'YAML'
rule_files: [r.yaml]
tests:
  - name: after the data
    data:
      - unit: acme/a
        from: 2025-01
        values: { headcount: "20 20", conflicts: "3 3" }
    at: 2025-04
    expect:
      - alert: conflicts-high@acme/a
        severity: warning
        value: 3
        summary: "données manquantes (acme/a)"
  - name: below the floor
    data:
      - unit: acme/a
        from: 2025-01
        values: { headcount: "20 4", conflicts: "3 3" }
    expect:
      - alert: conflicts-high@acme/a
        severity: warning
        value: 3
        summary: "valeur masquée (acme/a)"
  - name: not named
    data:
      - unit: acme/a
        from: 2025-01
        values: { headcount: "20 20", conflicts: "3 3" }
    at: 2025-04
    expect: []
YAML
expect_exit 1 "$VIGIE" test "$T/t.test.yaml"
diff -u - "$T/out" <<EOF || fail "vigie test output differs"
FAIL  $T/t.test.yaml:3: after the data (at 2025-04)
    ~ different: conflicts-high@acme/a value missing (no headcount at 2025-04), expected 3
FAIL  $T/t.test.yaml:14: below the floor (at 2025-02)
    ~ different: conflicts-high@acme/a value hidden (below the anonymity floor), expected 3
FAIL  $T/t.test.yaml:24: not named (at 2025-04)
    + unexpected: conflicts-high@acme/a warning (value missing)
0 passed, 3 failed
EOF
exit 0
