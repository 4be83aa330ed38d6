#!/usr/bin/env bash
# Two months imported between two cycles, the latest without the rule's
# value (a column left out, a team that sent nothing): the state is
# decided by the month before and carried over (SPEC 5), and the change is
# recorded at that month, with its figures. An alert that resolved in
# February says the value that resolved it (SPEC 9), not "the rule no
# longer applies to this unit"; one that fired in February says what it
# saw, not "missing". An active alert's state is March's, a resolved one's
# February's (a resolved alert keeps the period that resolved it), and the
# silences are read at March, when the change is notified. A period the
# alert's last evaluation saw decides nothing new (a deletion). Through the
# real daemon and a real SMTP server: vigie history, the log and the email.
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
    summary: "{{value}} conflicts per 100 ({{unit}})"
YAML
mkdir -p "$T/mail"
notify_smtpd "$T/mail" "$sp"
C=(-c "$T/vigie.yaml")
# January: x/a fires. February: x/a back to normal, x/b fires. March: no
# conflicts column for either, and x/c sends nothing at all.
cat >"$T/jan.csv" <<'CSV'
unit,period,headcount,conflicts
x/a,2026-01,20,5
x/b,2026-01,20,0
x/c,2026-01,20,4
CSV
cat >"$T/feb.csv" <<'CSV'
unit,period,headcount,conflicts
x/a,2026-02,20,1
x/b,2026-02,20,3
x/c,2026-02,20,1
CSV
cat >"$T/mar.csv" <<'CSV'
unit,period,headcount
x/a,2026-03,20
x/b,2026-03,20
CSV
expect_exit 0 "$VIGIE" "${C[@]}" import "$T/jan.csv"
expect_exit 0 "$VIGIED" "${C[@]}" --once
expect_exit 0 "$VIGIE" "${C[@]}" import "$T/feb.csv" "$T/mar.csv"
# A silence that ended with February does not hold a change notified with
# March's evaluation.
expect_exit 0 "$VIGIE" "${C[@]}" silence --rule conflict-rate --unit x/b --until 2026-02 \
	--reason "until February"
expect_exit 0 "$VIGIED" "${C[@]}" --once
expect_grep "conflict-rate@x/a resolved at 2026-02" "$T/err"
expect_grep "conflict-rate@x/b firing warning at 2026-02" "$T/err"
expect_grep "conflict-rate@x/c resolved at 2026-02" "$T/err"

# event: the alert's last event (not a notification), "EVENT PERIOD SEVERITY SCORE".
event() {
	expect_exit 0 "$VIGIE" "${C[@]}" history "conflict-rate@$1"
	awk 'NR > 1 && $2 != "notification" { e = $2 " " $3 " " $4 " " $5 } END { print e }' "$T/out"
}
expect_eq "$(event x/a)" "resolved 2026-02 - 5" "x/a's resolution"
expect_eq "$(event x/b)" "firing 2026-02 warning 15" "x/b's firing"
expect_no_grep "silenced" "$T/out"
expect_eq "$(event x/c)" "resolved 2026-02 - 5" "x/c's resolution"
# The state: March's, x/b active and carried over with no value there.
expect_exit 0 "$VIGIE" "${C[@]}" alerts
expect_eq "$(awk '$1 == "conflict-rate@x/b" { print $2, $3, $5, $6 }' "$T/out")" \
	"warning missing 2026-02 2026-03" "x/b's state"
# x/a's, resolved: the period that resolved it, and its value there.
expect_exit 0 "$VIGIE" "${C[@]}" alerts --all
expect_eq "$(awk '$1 == "conflict-rate@x/a" { print $3, $6, $10 }' "$T/out")" \
	"5 2026-02 resolved" "x/a's state"

# The second email: each alert with the figures of February.
mail=$(ls "$T"/mail/*.eml | tail -n 1)
[ "$(ls "$T"/mail/*.eml | wc -l)" = 2 ] || fail "$(ls "$T"/mail/*.eml | wc -l) emails, 2 expected"
$PY - "$mail" <<'PY' || fail "the email"
import email, sys
m = email.message_from_bytes(open(sys.argv[1], "rb").read())
text = m.get_payload()[0].get_payload(decode=True).decode("utf-8")
blocks = {b.split(" ==")[0]: b for b in text.split("== ")[1:]}
for u in ("x/a", "x/c"):
    b = blocks[u]
    assert "Value: 5 (" in b, b
    assert "no longer applies" not in b and "missing" not in b, b
b = blocks["x/b"]
assert "Value: 15 (" in b, b
assert "Summary: 15 conflicts per 100 (x/b)" in b, b
assert "missing" not in b, b
PY

# A deciding period the alert's last evaluation saw is no new decision:
# x/b resolved in March, then March's conflicts deleted, fires again with
# March's missing value (at March, after its resolution there), not « in
# February » before it.
printf 'unit,period,conflicts\nx/b,2026-03,0\n' >"$T/mar2.csv"
expect_exit 0 "$VIGIE" "${C[@]}" import "$T/mar2.csv"
expect_exit 0 "$VIGIED" "${C[@]}" --once
expect_eq "$(event x/b)" "resolved 2026-03 - 0" "x/b resolved in March"
expect_exit 0 "$VIGIE" "${C[@]}" delete --period 2026-03 --unit x/b --indicator conflicts
expect_exit 0 "$VIGIED" "${C[@]}" --once
expect_eq "$(event x/b)" "firing 2026-03 warning missing" "x/b firing again, March deleted"
exit 0
