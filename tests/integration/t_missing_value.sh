#!/usr/bin/env bash
# An active alert whose value is undefined for want of data (an empty cell,
# a month not yet exported) carries over (SPEC 5) and says "missing", not
# "hidden": only a value hidden by the anonymity floor is "hidden" (SPEC 3).
# Both cases through the real daemon and a real SMTP server, in vigie
# alerts, vigie history, the summary and the value line of the email.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1
source "$VIGIE_SRC/tests/integration/notify_lib.sh"

sp=$(free_port)
make_config "locale: en
$(smtp_plain "$sp")
recipients:
  hr:
    - email: [hr@example.org]
default_notify: [hr]"
cat >"$T/rules.d/r.yaml" <<'YAML'
rules:
  - id: conflict-rate
    title: Conflicts per 100 employees
    scope: "*/*"
    value: 100 * conflicts / headcount
    above: { warning: 10, critical: 50 }
    repeat_every: 1
    summary: "{{severity}}: {{value}} conflicts per 100 ({{unit}})"
YAML
mkdir -p "$T/mail"
notify_smtpd "$T/mail" "$sp"
C=(-c "$T/vigie.yaml")
# x/a fires in January and exports no conflicts in February: missing.
# y/b fires in January and has 3 people in February: hidden (and y/c, its
# only sibling, with it). z/d fires in January and sends nothing at all in
# February, not even its headcount: missing, not hidden.
cat >"$T/jan.csv" <<'CSV'
unit,period,headcount,conflicts
x/a,2026-01,20,5
y/b,2026-01,20,5
y/c,2026-01,30,0
z/d,2026-01,20,5
z/e,2026-01,30,0
CSV
cat >"$T/feb.csv" <<'CSV'
unit,period,headcount,conflicts
x/a,2026-02,20,
y/b,2026-02,3,0
y/c,2026-02,30,0
z/e,2026-02,30,0
CSV
for f in jan feb; do
	expect_exit 0 "$VIGIE" "${C[@]}" import "$T/$f.csv"
	expect_exit 0 "$VIGIED" "${C[@]}" --once
done

expect_exit 0 "$VIGIE" "${C[@]}" alerts
grep -E '^conflict-rate@x/a ' "$T/out" >"$T/a" || fail "no alert x/a: $(cat "$T/out")"
grep -E '^conflict-rate@y/b ' "$T/out" >"$T/b" || fail "no alert y/b: $(cat "$T/out")"
expect_grep " missing " "$T/a"
expect_no_grep "hidden" "$T/a"
expect_grep " hidden " "$T/b"
grep -E '^conflict-rate@z/d ' "$T/out" >"$T/d" || fail "no alert z/d: $(cat "$T/out")"
expect_grep " missing " "$T/d"
# JSON: null either way (SPEC 10)
expect_exit 0 "$VIGIE" "${C[@]}" alerts --format json
$PY -c '
import json, sys
v = {a["id"]: a for a in json.load(open(sys.argv[1]))}
assert v["conflict-rate@x/a"]["value"] is None, v
assert v["conflict-rate@y/b"]["value"] is None, v' "$T/out" || fail "alerts --format json: $(cat "$T/out")"

expect_exit 0 "$VIGIE" "${C[@]}" history conflict-rate@x/a
grep -E 'Z  reminder ' "$T/out" >"$T/h" || fail "no reminder in the history: $(cat "$T/out")"
expect_grep "missing" "$T/h"
expect_no_grep "hidden" "$T/h"
expect_exit 0 "$VIGIE" "${C[@]}" history conflict-rate@y/b
grep -E 'Z  reminder ' "$T/out" >"$T/h" || fail "no reminder in the history: $(cat "$T/out")"
expect_grep "hidden" "$T/h"
expect_exit 0 "$VIGIE" "${C[@]}" history conflict-rate@z/d
grep -E 'Z  reminder ' "$T/out" >"$T/h" || fail "no reminder in the history: $(cat "$T/out")"
expect_grep "missing" "$T/h"
expect_no_grep "hidden" "$T/h"

# The February email: x/a's reminder says missing data, y/b's hidden value,
# neither with a summary.
feb=$(grep -l "2026-02" "$T"/mail/*.eml | tail -n 1)
[ -n "$feb" ] || fail "no February email"
$PY - "$feb" <<'PY' || fail "the February email mixes up missing and hidden"
import email, sys
m = email.message_from_bytes(open(sys.argv[1], "rb").read())
text = m.get_payload()[0].get_payload(decode=True).decode("utf-8")
blocks = text.split("== ")
a = next(b for b in blocks if b.startswith("x/a"))
b = next(b for b in blocks if b.startswith("y/b"))
assert "Value: missing (no data for this period: the alert holds)" in a, a
assert "hidden" not in a, a
assert "Value: hidden value (headcount below the anonymity floor)" in b, b
# No summary without a value: it would quote the value line's words
# (« warning: hidden value conflicts per 100 »).
assert "Summary" not in a and "Summary" not in b, (a, b)
d = next(b for b in blocks if b.startswith("z/d"))
assert "Value: missing (no data for this period: the alert holds)" in d, d
assert "hidden" not in d, d
PY
