#!/usr/bin/env bash
# A message that waited in the outbox shows nothing that today's data hides
# (SPEC 3): a team of 6 fires with 987 absence days while the mail server
# and the webhook are down; HR then corrects its headcount to 3, under the
# floor. When the message finally goes, the team's figure is withheld
# («valeur masquée», value null, no summary that quotes it), in the email
# and in the webhook, while the site's alert keeps its own figure.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1
source "$VIGIE_SRC/tests/integration/notify_lib.sh"
$PY -c 'import aiosmtpd' 2>/dev/null || { echo "python3-aiosmtpd missing"; exit 77; }

sp=$(free_port)
hp=$(free_port)
make_config "$(smtp_plain "$sp")
webhooks:
  hook:
    url: http://127.0.0.1:$hp/hook
    timeout: 5s
recipients:
  hr:
    - email: [drh@example.org]
      webhook: [hook]"
cat >"$T/rules.d/abs.yaml" <<'YAML'
rules:
  - id: abs
    title: "Absences"
    value: absence_days
    above: { warning: 50 }
    notify: [hr]
    summary: "{{value}} jours d'absence ({{unit}})"
YAML
cat >"$T/d.csv" <<'CSV'
unit,period,headcount,absence_days
acme/site/a,2026-10,20,20
acme/site/b,2026-10,12,12
acme/site/tiny,2026-10,6,987
CSV
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/d.csv"
# Both receivers down: the message waits.
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_eq "$(notify_sql "SELECT group_concat(status) FROM message")" "pending,pending"
expect_eq "$(notify_sql "SELECT e.value FROM event e JOIN alert a ON a.id = e.alert WHERE a.unit = 'acme/site/tiny'")" 987.0

printf 'unit,period,headcount\nacme/site/tiny,2026-10,3\n' >"$T/fix.csv"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/fix.csv"
mkdir -p "$T/mail"
notify_smtpd "$T/mail" "$sp"
notify_webhook "$T/hook.log" "$hp"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_eq "$(notify_sql "SELECT group_concat(status) FROM message WHERE cycle = 1")" "sent,sent"

# The emails (the waiting one, then the resolution the correction made):
# the team's block says the value is hidden, and 987 is nowhere.
$PY - "$T/mail" <<'PY' || fail "the emails"
import email, glob, re, sys
from email import policy
paths = sorted(glob.glob(sys.argv[1] + "/*.eml"))
assert len(paths) == 2, paths
for i, path in enumerate(paths):
    m = email.message_from_bytes(open(path, "rb").read(), policy=policy.default)
    text = m.get_body(("plain",)).get_content()
    html = m.get_body(("html",)).get_content()
    for part in (text, html):
        assert not re.search(r"\b987\b", part), part
    if i == 0:
        assert "acme/site/tiny" in text and "valeur masquée" in text, text
        assert re.search(r"\b1[\u202f\u00a0 ]?019\b", text), text   # the site's own value
PY
# The webhook: value null and no summary for the team, in the waiting
# message as in the resolution.
$PY - "$T/hook.log" <<'PY' || fail "the webhook"
import json, sys
posts = [json.loads(l) for l in open(sys.argv[1])]
assert len(posts) == 2, posts
assert "987" not in json.dumps(posts), posts
body = posts[0]["body"]
body = json.loads(body) if isinstance(body, str) else body
tiny = [a for a in body["alerts"] if a["unit"] == "acme/site/tiny"]
assert len(tiny) == 1 and tiny[0]["value"] is None, tiny
assert not tiny[0].get("summary"), tiny
assert tiny[0]["history"] and all(p["value"] is None for p in tiny[0]["history"]), tiny
site = [a for a in body["alerts"] if a["unit"] == "acme/site"]
assert site and site[0]["value"] == 1019, site
PY
exit 0
