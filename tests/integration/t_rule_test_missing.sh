#!/usr/bin/env bash
# vigie test (SPEC 11) says why an expected alert is missing, from what
# the rule saw at the evaluated period: a unit outside the rule's scope, a
# team under the anonymity floor, a value missing for want of headcount,
# a value that crosses no threshold, a unit no data names. Before, each
# was a bare "- missing:" line, and HR had to guess.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1

cat >"$T/r.yaml" <<'YAML'
rules:
  - id: c
    title: C
    scope: "*/*"
    value: conflicts
    above: { warning: 2 }
YAML
cat >"$T/t.test.yaml" <<'YAML'
rule_files: [r.yaml]
tests:
  - name: out of scope
    data:
      - unit: acme/a/b
        from: 2025-01
        values: { headcount: "20 20", conflicts: "5 5" }
    expect:
      - alert: c@acme/a/b
        severity: warning
      - alert: c@acme/a
  - name: small team
    data:
      - unit: acme/s
        from: 2025-01
        values: { headcount: "4 4", conflicts: "5 5" }
    expect:
      - alert: c@acme/s
  - name: calm, then no headcount
    data:
      - unit: acme/t
        from: 2025-01
        values: { headcount: "20 _", conflicts: "1 1" }
    at: 2025-01
    expect:
      - alert: c@acme/t
      - alert: c@acme/nobody
YAML
cat >"$T/u.test.yaml" <<'YAML'
rule_files: [r.yaml]
tests:
  - name: no headcount
    data:
      - unit: acme/t
        from: 2025-01
        values: { headcount: "20 _", conflicts: "1 5" }
    expect:
      - alert: c@acme/t
YAML
expect_exit 1 "$VIGIE" test "$T/t.test.yaml" "$T/u.test.yaml"
diff -u - "$T/out" <<EOF || fail "vigie test output differs"
FAIL  $T/t.test.yaml:3: out of scope (at 2025-02)
    - missing:  c@acme/a/b warning (outside the rule's scope "*/*")
FAIL  $T/t.test.yaml:12: small team (at 2025-02)
    - missing:  c@acme/s (value hidden at 2025-02: below the anonymity floor, or hidden with a smaller sibling)
FAIL  $T/t.test.yaml:19: calm, then no headcount (at 2025-01)
    - missing:  c@acme/t (value 1 at 2025-01: no threshold crossed)
    - missing:  c@acme/nobody (no data names this unit)
FAIL  $T/u.test.yaml:3: no headcount (at 2025-02)
    - missing:  c@acme/t (value missing: no headcount at 2025-02)
0 passed, 4 failed
EOF

# The same for "expect: []": a quiet team's test passes whatever its data
# hold when no rule reads it; said on stderr, the test still passes.
cat >"$T/q.test.yaml" <<'YAML'
rule_files: [r.yaml]
tests:
  - name: quiet, out of scope
    data:
      - unit: acme
        from: 2025-01
        values: { headcount: "20 20", conflicts: "5 5" }
    expect: []
  - name: quiet, in scope
    data:
      - unit: acme/q
        from: 2025-01
        values: { headcount: "20 20", conflicts: "0 0" }
    expect: []
YAML
expect_exit 0 "$VIGIE" test "$T/q.test.yaml"
expect_eq "$(cat "$T/err")" "vigie test: warning: $T/q.test.yaml:3: no rule's scope holds acme: \"expect: []\" passes whatever its data hold"
expect_grep "2 passed, 0 failed" "$T/out"
exit 0
