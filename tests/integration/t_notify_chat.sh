#!/usr/bin/env bash
# Chat receivers and detail (SPEC 9), against the real HTTP receiver:
# - minimal detail, the default for Slack, Teams, Mattermost and
#   Alertmanager, carries no figure of the data, no summary and no guidance;
#   generic is full by default;
# - Slack's top-level text is escaped like its blocks (&, <, >);
# - Mattermost gets its own format (text + attachments with fallback, color,
#   title and fields), not Block Kit;
# - a message over its receiver's limit is split in order, each part a
#   complete message: Teams at 28 KB, Slack at 50 blocks, Mattermost at 16 KB;
#   a part refused then accepted is resumed where it stopped, the parts
#   already delivered are not sent again; signed, part 1 keeps the
#   message's webhook-id and part k has ID_k, on every try.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1
source "$VIGIE_SRC/tests/integration/notify_lib.sh"

mkdir -p "$T/rules.d"
cat >"$T/rules.d/conflicts.yaml" <<'YAML'
rules:
  - id: conflicts-high
    title: "Conflits & tensions <équipe>"
    value: conflicts
    above: { warning: 2, critical: 5 }
    scope: "acme/*/*"
    notify: [hr]
    summary: "{{value}} conflits signalés en {{period}} ({{unit}})"
    guidance: "Proposer une médiation ; rencontrer le manager."
YAML
# data FILE N: N teams named with letters only (no digit of the data can
# hide in a name), 47 conflicts each at 2026-02.
data() {
	$PY - "$1" "$2" <<'PY'
import itertools, string, sys
names = ["".join(p) for p in itertools.product(string.ascii_lowercase, repeat=2)][:int(sys.argv[2])]
with open(sys.argv[1], "w") as f:
    f.write("unit,period,headcount,conflicts\n")
    for n in names:
        f.write("acme/site/equipe-%s,2026-01,20,1\nacme/site/equipe-%s,2026-02,20,47\n" % (n, n))
PY
}
hp=$(free_port)
tp=$(free_port)
secret=$(notify_secret)
printf '%s\n' "$secret" >"$T/hook.secret"
chmod 600 "$T/hook.secret"
# setup PORT_OF_TEAMS_FULL: a fresh database, and one webhook per format.
setup() {
	rm -f "$T/vigie.db"*
	make_config "webhooks:
  slack: { url: http://127.0.0.1:$hp/slack, format: slack }
  teams: { url: http://127.0.0.1:$hp/teams, format: teams }
  mattermost: { url: http://127.0.0.1:$hp/mattermost, format: mattermost }
  generic: { url: http://127.0.0.1:$hp/generic }
  teams-full: { url: http://127.0.0.1:$1/teams-full, format: teams, detail: full,
                secret_file: $T/hook.secret }
recipients:
  hr:
    - webhook: [slack, teams, mattermost, generic, teams-full]"
}
# bodies LOG PATH: the JSON bodies posted to PATH, one per line, in order.
bodies() { $PY -c 'import json,sys
for l in open(sys.argv[1]):
    r = json.loads(l)
    if r["path"] == sys.argv[2]: print(r["body"])' "$1" "$2"; }

# --- One alert: minimal payloads, Slack's text, Mattermost's format ---
notify_webhook "$T/hook.log" "$hp"
data "$T/one.csv" 1
setup "$hp"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/one.csv"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_eq "$(notify_sql "SELECT group_concat(status) FROM message")" "sent,sent,sent,sent,sent"
for p in slack teams mattermost; do
	bodies "$T/hook.log" "/$p" >"$T/$p.json"
	expect_eq "$(wc -l <"$T/$p.json")" 1 "posts to $p"
	expect_no_grep "47" "$T/$p.json"
	expect_no_grep "médiation" "$T/$p.json"
	expect_no_grep "conflits signalés" "$T/$p.json"
	expect_grep "acme/site/equipe-aa" "$T/$p.json"
done
bodies "$T/hook.log" /generic >"$T/generic.json"
expect_grep '"value":47' "$T/generic.json"
expect_grep 'médiation' "$T/generic.json"
$PY - "$T/slack.json" "$T/mattermost.json" <<'PY' || fail "slack or mattermost payload"
import json, sys
s = json.loads(open(sys.argv[1]).read())
want = "[Vigie] critique\u202f: Conflits &amp; tensions &lt;équipe&gt; — acme/site/equipe-aa"
assert s["text"] == want, s["text"]
assert "&lt;équipe&gt;" in s["blocks"][1]["text"]["text"], s["blocks"]
m = json.loads(open(sys.argv[2]).read())
assert list(m) == ["text", "attachments"], list(m)
[a] = m["attachments"]
assert set(a) == {"fallback", "color", "title", "fields"}, a
assert a["color"] == "#b3261e" and a["title"] == "[critique] Conflits & tensions <équipe>", a
assert a["fallback"].startswith("[critique] Conflits & tensions <équipe> — nouvelle alerte"), a
assert [f["title"] for f in a["fields"]] == ["Évènement", "Unité", "Période", "Gravité"], a
assert a["fields"][1]["value"] == "acme/site/equipe-aa", a
PY
notify_stop "$HOOK_PID"

# --- 120 alerts: every receiver's limit ---
notify_webhook "$T/many.log" "$hp"
data "$T/many.csv" 120
setup "$hp"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/many.csv"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_eq "$(notify_sql "SELECT group_concat(status) FROM message")" "sent,sent,sent,sent,sent"
for p in slack teams mattermost teams-full generic; do bodies "$T/many.log" "/$p" >"$T/$p.json"; done
$PY - "$T" <<'PY' || fail "split messages"
import json, sys
d = sys.argv[1]
load = lambda p: [json.loads(l) for l in open("%s/%s.json" % (d, p))]
# the bytes of each body as the receiver got it
raw = lambda p: [len(l.rstrip("\n").encode()) for l in open("%s/%s.json" % (d, p))]
order = [a["unit"] for a in load("generic")[0]["alerts"]]
assert len(order) == 120 and len(set(order)) == 120, len(order)
def units_teams(card):
    out = []
    for c in card["attachments"][0]["content"]["body"][1:]:
        facts = [i for i in c["items"] if i["type"] == "FactSet"][0]["facts"]
        out += [f["value"] for f in facts if f["title"] == "Unité"]
    return out
for name in ("teams", "teams-full"):
    parts = load(name)
    sizes = raw(name)
    assert all(s <= 28000 for s in sizes), (name, sizes)
    assert name == "teams" or len(parts) >= 3, (name, sizes)
    got = sum((units_teams(p) for p in parts), [])
    assert got == order, (name, got[:3])
    n = len(parts)
    for k, p in enumerate(parts, 1):
        c = p["attachments"][0]["content"]
        assert c["type"] == "AdaptiveCard" and c["version"] == "1.4"
        if n > 1:
            assert c["body"][0]["text"].endswith(" (%d/%d)" % (k, n)), c["body"][0]["text"]
slack = load("slack")
assert [len(p["blocks"]) for p in slack] == [50, 50, 23], [len(p["blocks"]) for p in slack]
got = [b["text"]["text"].split("`")[1] for p in slack for b in p["blocks"][1:]]
assert got == order, got[:3]
mm = load("mattermost")
msz = raw("mattermost")
assert len(mm) >= 2 and all(s <= 16000 for s in msz), msz
got = [a["fields"][1]["value"].replace("\\", "") for p in mm for a in p["attachments"]]
assert got == order, got[:3]
PY
notify_stop "$HOOK_PID"

# --- A part refused, then accepted: resumed where it stopped ---
notify_webhook "$T/other.log" "$hp"
notify_webhook "$T/parts.log" "$tp" --script 200,503,200 --secret "$secret"
setup "$tp"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/many.csv"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_eq "$(notify_sql "SELECT status || ' ' || parts_sent FROM message WHERE target = 'teams-full'")" "pending 1"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_eq "$(notify_sql "SELECT status FROM message WHERE target = 'teams-full'")" sent
$PY - "$T/parts.log" "$(notify_sql "SELECT uid FROM message WHERE target = 'teams-full'")" <<'PY' || fail "resumed parts"
import json, sys
reqs = [json.loads(l) for l in open(sys.argv[1])]
ok = [r for r in reqs if r["status"] == 200]
titles = [json.loads(r["body"])["attachments"][0]["content"]["body"][0]["text"] for r in ok]
n = len(ok)
assert len(reqs) == n + 1 and n >= 3, [r["status"] for r in reqs]
assert [t[t.rindex("("):] for t in titles] == ["(%d/%d)" % (k, n) for k in range(1, n + 1)], titles
assert json.loads(reqs[1]["body"]) == json.loads(reqs[2]["body"]), "part 2 changed between tries"
uid = sys.argv[2]
assert all(r["verified"] for r in reqs), [r["verified"] for r in reqs]
want = [uid] + ["%s_%d" % (uid, k) for k in range(2, n + 1)]
assert [r["webhook_id"] for r in ok] == want, [r["webhook_id"] for r in ok]
assert reqs[1]["webhook_id"] == uid + "_2", reqs[1]["webhook_id"]
PY
exit 0
