#!/usr/bin/env bash
# vigie test (SPEC 11, 10): one run reports every error of a test file, in
# line and column order, the alerts of expect that name no rule included,
# then those of its rule files, and exits 1. An alert's rule is checked
# only against rule files that load: a broken rule file would make every
# rule look missing, so the run says it did not check them instead. The
# warnings of rule files that load come before the tests' results.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1

cat >"$T/r.yaml" <<'YAML'
rules:
  - id: conflicts
    title: Conflicts
    value: conflicts
    above: { warning: 10 }
YAML
cat >"$T/bad.yaml" <<'YAML'
rules:
  - id: conflicts
    title: Conflicts
    value: conflicts +
    above: { warning: 10 }
YAML

# A misspelt rule id between two other errors: all three, in line order.
cat >"$T/a.test.yaml" <<'YAML'
rule_files: [r.yaml]
min_headcount: 2
tests:
  - name: a misspelt rule
    data:
      - unit: acme/a
        from: 2025-01
        values: { headcount: "20", conflicts: "70" }
    expect:
      - alert: conflict@acme/a
        severity: warning
  - name: a bad value
    data:
      - unit: acme/a
        from: 2025-01
        values: { headcount: "20", conflicts: "7y" }
    expect: []
YAML
expect_exit 1 "$VIGIE" test "$T/a.test.yaml"
expect_eq "$(cat "$T/err")" "$T/a.test.yaml:2:16: error: min_headcount must be a whole number, at least 3
$T/a.test.yaml:10:16: error: no rule \"conflict\" in the rule files
$T/a.test.yaml:16:48: error: \"7y\" is not a value: write a non-negative number, _ for a missing value, or VALUExN to repeat one
$T/a.test.yaml: the test file could not be run; fix the errors above"
expect_eq "$(cat "$T/out")" "0 passed, 0 failed, 1 file with errors"

# A test without expect: said, and its other errors too; a date for a
# period gets the period it stands for, as vigie import says.
cat >"$T/n.test.yaml" <<'YAML'
rule_files: [r.yaml]
tests:
  - name: no expect
    data:
      - unit: acme/a
        from: 01/01/2025
        values: { headcount: "20x6 abc", conflicts: "70" }
YAML
expect_exit 1 "$VIGIE" test "$T/n.test.yaml"
expect_eq "$(cat "$T/err")" "$T/n.test.yaml:3:5: error: a test needs name, data and expect (expect: [] when nothing may be active)
$T/n.test.yaml:6:15: error: from \"01/01/2025\" is not a period: use YYYY-MM or YYYY-Www (did you mean 2025-01?)
$T/n.test.yaml:7:36: error: \"abc\" is not a value: write a non-negative number, _ for a missing value, or VALUExN to repeat one
$T/n.test.yaml: the test file could not be run; fix the errors above"

# The misspelt rule id alone, as before.
sed -i 's/^min_headcount: 2$/min_headcount: 3/; s/"7y"/"7"/' "$T/a.test.yaml"
expect_exit 1 "$VIGIE" test "$T/a.test.yaml"
expect_eq "$(cat "$T/err")" "$T/a.test.yaml:10:16: error: no rule \"conflict\" in the rule files
$T/a.test.yaml: the test file could not be run; fix the errors above"

# A broken rule file: its error, after the test file's, and no false
# "no rule" for the rule it would define; the alerts are said unchecked.
cat >"$T/b.test.yaml" <<'YAML'
rule_files: [bad.yaml]
tests:
  - name: a broken rule file
    data:
      - unit: acme/a
        from: 2025-01
        values: { headcount: "20", conflicts: "70" }
    expect:
      - alert: conflicts@acme/a
        severity: warned
      - alert: conflict@acme/a
YAML
expect_exit 1 "$VIGIE" test "$T/b.test.yaml"
expect_eq "$(cat "$T/err")" "$T/b.test.yaml:10:19: error: severity must be warning or critical, not \"warned\"
$T/bad.yaml:4:23: error: expected an expression after \"+\"
$T/b.test.yaml: the rules named in expect were not checked; they will be once every rule file loads
$T/b.test.yaml: the test file could not be run; fix the errors above"
expect_eq "$(cat "$T/out")" "0 passed, 0 failed, 1 file with errors"

# Run from the test file's folder, the rule file is named as written.
(cd "$T" && "$VIGIE" test b.test.yaml >"$T/out" 2>"$T/err")
expect_grep "bad.yaml:4:23: error: expected an expression after" "$T/err"
expect_no_grep "./bad.yaml" "$T/err"

# A rule_files entry that names no file: the rules of the others load, but
# an alert's rule may be in the one missing, so none is checked.
cat >"$T/c.test.yaml" <<'YAML'
rule_files: [r.yaml, [other.yaml]]
tests:
  - name: a rule file not named
    data:
      - unit: acme/a
        from: 2025-01
        values: { headcount: "20", other: "70" }
    expect:
      - alert: other@acme/a
YAML
expect_exit 1 "$VIGIE" test "$T/c.test.yaml"
expect_eq "$(cat "$T/err")" "$T/c.test.yaml:1:22: error: a rule file must be a string, not a list
$T/c.test.yaml: the rules named in expect were not checked; they will be once every rule file loads
$T/c.test.yaml: the test file could not be run; fix the errors above"

# Once the rule file is fixed, the misspelt id is the one error left.
cp "$T/r.yaml" "$T/bad.yaml"
sed -i 's/warned/warning/' "$T/b.test.yaml"
expect_exit 1 "$VIGIE" test "$T/b.test.yaml"
expect_eq "$(cat "$T/err")" "$T/b.test.yaml:11:16: error: no rule \"conflict\" in the rule files
$T/b.test.yaml: the test file could not be run; fix the errors above"

# A rule file that loads with a warning runs its tests, and the warning,
# which says why this one fails, comes first on stderr; the status is the
# tests' own.
cat >"$T/w.yaml" <<'YAML'
rules:
  - id: spread
    title: Spread
    value: stddev(conflicts, 1)
    above: { warning: 1 }
YAML
cat >"$T/w.test.yaml" <<'YAML'
rule_files: [w.yaml]
tests:
  - name: a jump
    data:
      - unit: acme/a
        from: 2025-01
        values: { headcount: "20x3", conflicts: "0 0 9" }
    expect:
      - alert: spread@acme/a
        severity: warning
YAML
expect_exit 1 "$VIGIE" test "$T/w.test.yaml"
expect_eq "$(cat "$T/err")" "$T/w.yaml:4:30: warning: stddev() over a window of 1 period is undefined at every period (it needs 2 values or more); use a window of 2 periods or more"
expect_grep "FAIL  $T/w.test.yaml:3: a jump" "$T/out"
sed -i 's/conflicts, 1)/conflicts, 3)/' "$T/w.yaml"
expect_exit 0 "$VIGIE" test "$T/w.test.yaml"
[ -s "$T/err" ] && fail "unexpected stderr: $(cat "$T/err")"
exit 0
