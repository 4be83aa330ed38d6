#!/usr/bin/env bash
# SPEC 16: a descendant's alert that hosts its parent's in a digest is shown
# as it is now, not with the figures of the notification that reported it.
#   January: acme/a fires (12 > 10); acme (12) too, at the same time.
#   February: acme/a 9, below 10 but above clear (5): held by hysteresis,
#   no event; acme (27) escalates to critical and comes inside acme/a's
#   block, which shows 9 and the hysteresis, not January's 12, and
#   February's summary and last periods, read from today's data, not
#   January's.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1
source "$VIGIE_SRC/tests/integration/notify_lib.sh"
$PY -c 'import aiosmtpd' 2>/dev/null || { echo "python3-aiosmtpd missing"; exit 77; }

sp=$(free_port)
mkdir -p "$T/mail"
notify_smtpd "$T/mail" "$sp"
make_config "locale: en
$(smtp_plain "$sp")
recipients:
  social-worker:
    - email: [sw@example.org]"
cat >"$T/rules.d/r.yaml" <<'YAML'
rules:
  - id: cnt
    title: Count
    value: x
    above: { warning: 10, critical: 20, clear: 5 }
    notify: [social-worker]
YAML
printf 'unit,period,headcount,x\nacme/a,2025-01,20,12\nacme/b,2025-01,20,0\nacme/c,2025-01,20,0\n' >"$T/1.csv"
printf 'unit,period,headcount,x\nacme/a,2025-02,20,9\nacme/b,2025-02,20,9\nacme/c,2025-02,20,9\n' >"$T/2.csv"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/1.csv"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
mkdir -p "$T/jan"
mv "$T/mail"/*.eml "$T/jan/"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/2.csv"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_eq "$(notify_count "$T/mail")" 1 "the February digest"
$PY - "$T/mail" <<'PY' || fail "the hosting alert is shown as it is now"
import email, email.policy, glob, sys
import os; sys.path.insert(0, os.environ["VIGIE_SRC"] + "/tests/integration")
import mailtext
[path] = glob.glob(sys.argv[1] + "/*-sw@example.org.eml")
msg = email.message_from_binary_file(open(path, "rb"), policy=email.policy.default)
text = msg.get_body(preferencelist=("plain",)).get_content().replace("\r\n", "\n")
text = mailtext.shown(text)
nb = "\u00a0"
block = text.split("\n== acme/a ==\n")[1]
want = ("\n* [warning] Count\n"
        "  Still active since January" + nb + "2025, already reported\n"
        "  Value: 9 (warning threshold: 10)\n"
        "  Still active: the rule's value (9) no longer reaches the warning "
        "threshold (10); the alert ends when it falls to 5 or less (clear level)\n"
        "  Also active at the level above: acme [critical]: 27 (critical threshold: 20)\n")
assert block.startswith(want), block
own = block.split("Also active")[0]
assert "12" not in own and "2025-01" not in own and "Last periods" not in own, own
# its summary and last periods are February's, read from today's data
tail = block.split("vigie ack cnt@acme --by NAME\n")[1]
assert tail.startswith("  Summary: Count: 9 (threshold 10) \u2014 acme/a, 2025-02\n"
                       "  Last periods: "), tail
assert "2025-02 9\n" in tail, tail
PY
exit 0
