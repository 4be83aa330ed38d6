#!/usr/bin/env bash
# vigie test (SPEC 11): "expect" is the exact set of active alerts, and
# "expect: []" asserts that nothing is active. An ancestor that the test
# does not name is forgiven only when its alert is that of a named unit
# seen from above (the SPEC's example: acme fires with acme/a); an
# ancestor's alert of its own is unexpected. Two data entries that give
# one period twice are an error of the file.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1

cat >"$T/r.yaml" <<'YAML'
rules:
  - id: site-conflicts
    title: Site conflicts
    value: conflicts
    scope: "*"
    above: { warning: 60 }
  - id: conflicts
    title: Conflicts
    value: conflicts
    above: { warning: 10 }
YAML
cat >"$T/t.test.yaml" <<'YAML'
rule_files: [r.yaml]
tests:
  - name: a rule on sites only
    data:
      - unit: acme/a
        from: 2025-01
        values: { headcount: "20", conflicts: "70" }
    expect:
      - alert: conflicts@acme/a
        severity: warning
  - name: two calm teams whose sum crosses
    data:
      - unit: acme/a
        from: 2025-01
        values: { headcount: "20", conflicts: "6" }
      - unit: acme/b
        from: 2025-01
        values: { headcount: "20", conflicts: "6" }
    expect: []
  - name: the team seen from above
    data:
      - unit: acme/a
        from: 2025-01
        values: { headcount: "20", conflicts: "50" }
      - unit: acme/b
        from: 2025-01
        values: { headcount: "20", conflicts: "0" }
    expect:
      - alert: conflicts@acme/a
        severity: warning
YAML
expect_exit 1 "$VIGIE" test "$T/t.test.yaml"
expect_grep "FAIL  $T/t.test.yaml:3: a rule on sites only (at 2025-01)" "$T/out"
expect_grep "    + unexpected: site-conflicts@acme warning (value 70)" "$T/out"
expect_grep "FAIL  $T/t.test.yaml:11: two calm teams whose sum crosses (at 2025-01)" "$T/out"
expect_grep "    + unexpected: conflicts@acme warning (value 12)" "$T/out"
expect_grep "PASS  $T/t.test.yaml:20: the team seen from above" "$T/out"
expect_grep "1 passed, 2 failed" "$T/out"

# One period of a unit's indicator given by two data entries is an error
# of the test file, as a duplicate is in an import (SPEC 4), not one value
# silently winning.
cat >"$T/dup.test.yaml" <<'YAML'
rule_files: [r.yaml]
tests:
  - name: twice
    data:
      - unit: acme/a
        from: 2025-01
        values: { headcount: "20 20 20", conflicts: "1 2 3" }
      - unit: acme/a
        from: 2025-03
        values: { conflicts: "9 9" }
      - unit: acme/b
        from: 2025-01
        values: { conflicts: "9 9" }
    expect: []
YAML
expect_exit 1 "$VIGIE" test "$T/dup.test.yaml"
expect_eq "$(head -n 1 "$T/err")" "$T/dup.test.yaml:10:19: error: conflicts of acme/a at 2025-03 is given twice (first at line 7): give each period once"
expect_grep "1 file with errors" "$T/out"
exit 0
