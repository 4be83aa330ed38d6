#!/usr/bin/env bash
# One message per recipient address and one POST per webhook per cycle
# (SPEC 9), however many alerts the cycle has: 600 teams firing at once
# reach one address as a single digest naming every team, and a generic
# webhook as a single POST carrying the 600 alerts, each once.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1
source "$VIGIE_SRC/tests/integration/notify_lib.sh"

sp=$(free_port)
notify_smtpd "$T/mail" "$sp"
hp=$(free_port)
notify_webhook "$T/hook.log" "$hp"
make_config "locale: en
smtp:
  url: smtp://127.0.0.1:$sp
  starttls: none
  from: vigie@example.org
  timeout: 30s
webhooks:
  hook:
    url: http://127.0.0.1:$hp/hook
    timeout: 30s
recipients:
  hr:
    - email: [drh@example.org]
      webhook: [hook]"
cat >"$T/rules.d/conflicts.yaml" <<'YAML'
rules:
  - id: conflicts-high
    title: "Many conflicts"
    value: conflicts
    above: { warning: 2, critical: 5 }
    scope: "acme/*/*"
    notify: [hr]
YAML
$PY - "$T/data.csv" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    f.write("unit,period,headcount,conflicts\n")
    for i in range(600):
        f.write("acme/s%d/t%03d,2026-10,10,%d\n" % (i // 100, i, 3 + i % 5))
PY
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/data.csv"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_eq "$(notify_sql "SELECT count(*) || ' ' || group_concat(DISTINCT status) FROM message")" \
	"2 sent" "outbox messages"
expect_eq "$(notify_count "$T/mail")" 1 "emails to drh@example.org"
$PY - "$T/mail" "$T/hook.log" <<'PY' || fail "600 alerts in one email and one POST"
import email, glob, json, re, sys
want = {"acme/s%d/t%03d" % (i // 100, i) for i in range(600)}
[f] = glob.glob(sys.argv[1] + "/*-drh@example.org.eml")
m = email.message_from_binary_file(open(f, "rb"))
text = m.get_payload()[0].get_payload(decode=True).decode("utf-8")
got = set(re.findall(r"acme/s\d/t\d{3}", text))
assert got == want, (len(got), sorted(want - got)[:5])
reqs = [json.loads(l) for l in open(sys.argv[2])]
assert len(reqs) == 1, [len(json.loads(r["body"])["alerts"]) for r in reqs]
ids = [a["id"] for a in json.loads(reqs[0]["body"])["alerts"]]
assert len(ids) == 600 and {i.split("@")[1] for i in ids} == want, len(ids)
PY
exit 0
