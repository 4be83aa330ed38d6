#!/usr/bin/env bash
# A parent's alert whose rule is still active, unchanged, on a descendant
# (SPEC 16) is shown inside that descendant's block, not in a block of its
# own, also when the descendant's alert is not news in this digest: the
# descendant's signal comes back as already reported, hosting the parent,
# and counts for nothing. Only for an address that receives the
# descendant's alert: the routing of the rule (SPEC 9) decides, and a
# silence that holds the descendant's alert keeps it out.
#   January: acme/a fires (15 %); acme (7.5 %) does not.
#   February: acme/a unchanged (15 %), acme fires (12.25 %), acme/b does not
#   (9.5 %). drh@ (role hr, every unit) gets acme inside acme/a's block;
#   direction@ (role direction, acme/a goes to manager-a@) gets acme alone.
#   absence-rate does the same on the same figures, but a silence holds
#   acme/a's alert: drh@ gets acme's alone.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1
source "$VIGIE_SRC/tests/integration/notify_lib.sh"
$PY -c 'import aiosmtpd' 2>/dev/null || { echo "python3-aiosmtpd missing"; exit 77; }

sp=$(free_port)
mkdir -p "$T/mail"
notify_smtpd "$T/mail" "$sp"
make_config "locale: en
$(smtp_plain "$sp")
web:
  url: https://vigie.example.org
recipients:
  hr:
    - email: [drh@example.org]
  direction:
    - scope: \"acme/a\"
      email: [manager-a@example.org]
    - email: [direction@example.org]"
cat >"$T/rules.d/r.yaml" <<'YAML'
rules:
  - id: conflict-rate
    title: "Conflict rate"
    value: 100 * conflicts / headcount
    above: { warning: 10, critical: 20 }
    notify: [hr, direction]
  - id: absence-rate
    title: "Absence rate"
    value: 100 * conflicts / headcount
    above: { warning: 10, critical: 20 }
    notify: [hr]
YAML
printf 'unit,period,headcount,conflicts\nacme/a,2025-01,20,3\nacme/b,2025-01,20,0\n' \
	>"$T/jan.csv"
printf 'unit,period,headcount,conflicts\nacme/a,2025-02,20,3\nacme/b,2025-02,20,1.9\n' \
	>"$T/feb.csv"

expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" silence --rule absence-rate --unit acme/a \
	--until 2025-12 --reason "known, followed up"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/jan.csv"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_eq "$(notify_count "$T/mail")" 2 "the January digests (drh@, manager-a@)"
mkdir -p "$T/jan"
mv "$T/mail"/*.eml "$T/jan/"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/feb.csv"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_eq "$(notify_count "$T/mail")" 2 "the February digests (drh@, direction@)"
expect_eq "$(notify_sql "SELECT rule, kind, period, silenced FROM event WHERE unit = 'acme/a'
	ORDER BY id")" "conflict-rate|firing|24300|0
absence-rate|firing|24300|1" "acme/a fired in January only, absence-rate silenced"

$PY - "$T/jan" "$T/mail" <<'PY' || fail "the parent folded into an unchanged descendant"
import email, email.policy, glob, html.parser, sys
import os; sys.path.insert(0, os.environ["VIGIE_SRC"] + "/tests/integration")
import mailtext

def parts(d, rcpt):
    [path] = glob.glob(d + "/*-" + rcpt + ".eml")
    msg = email.message_from_binary_file(open(path, "rb"), policy=email.policy.default)
    text = msg.get_body(preferencelist=("plain",)).get_content().replace("\r\n", "\n")
    text = mailtext.shown(text)
    page = msg.get_body(preferencelist=("html",)).get_content()
    return msg["Subject"], text, page

class Seen(html.parser.HTMLParser):
    """The text a reader sees, and the links."""
    def __init__(self):
        super().__init__()
        self.text, self.links = [], []
    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.links.append(dict(attrs)["href"])
        if tag in ("br", "tr", "p", "div", "li", "h2", "h3"):
            self.text.append("\n")
    def handle_data(self, data):
        self.text.append(data)

url = "https://vigie.example.org/alerts/conflict-rate@"
nb = "\u00a0"

# January: drh@ has acme/a, a new alert.
subject, text, page = parts(sys.argv[1], "drh@example.org")
assert subject == "[Vigie] warning: Conflict rate — acme/a", subject
assert "  New alert in January" + nb + "2025\n" in text, text

# February, drh@: acme/a's block, its alert already reported, acme in it;
# acme's absence-rate alone, acme/a's being silenced.
subject, text, page = parts(sys.argv[2], "drh@example.org")
assert subject == "[Vigie] 2 notifications: warning — acme", subject
# What changed: acme's two new alerts, one in acme/a's block; acme/a has
# nothing new.
assert "\nSince the last digest:\n  - acme [warning]: 1" + nb + "new alert\n" \
    "  - acme [warning]: 1" + nb + "new alert (in the block of acme/a)\n\n" in text, text
blocks = text.split("\n== ")
assert len(blocks) == 3 and blocks[1].startswith("acme ==\n") and \
    blocks[2].startswith("acme/a ==\n"), text
assert "* [warning] Absence rate\n  New alert in February" + nb + "2025\n" in blocks[1] \
    and "Conflict rate" not in blocks[1] and "acme/a" not in blocks[1], blocks[1]
block = blocks[2]
want = ("acme/a ==\n"
        "\n* [warning] Conflict rate\n"
        "  Still active since January" + nb + "2025, already reported\n"
        "  Value: 15 (warning threshold: 10)\n"
        "  Also active at the level above: acme [warning]: 12.3 (warning threshold: 10)\n"
        "    New alert in February" + nb + "2025\n")
assert block.startswith(want), block
assert "    Follow up in the console: " + url + "acme\n" in block, block
assert "  Follow up in the console: " + url + "acme/a\n" in block, block
assert "vigie ack" not in text and "To acknowledge" not in text, text
assert text.count("* [warning] Conflict rate") == 1, text
assert text.count("already reported") == 1 and text.count("* [warning] Absence rate") == 1, text

s = Seen()
s.feed(page)
seen = "".join(s.text)
assert "\nStill active since January" + nb + "2025, already reported\n" in seen, seen
assert "acme [warning]: 12.3 (warning threshold: 10)\nNew alert in February" + nb + \
    "2025\n" in seen, seen
assert seen.count("already reported") == 1, seen
# The team's, from its title and the line under it; the parent's, once.
assert s.links.count(url + "acme") == 1 and s.links.count(url + "acme/a") == 2, s.links
assert "vigie ack" not in seen and "To acknowledge" not in seen, seen

# February, direction@: acme/a's alert goes to manager-a@, not here, so
# acme is a block of its own and nothing is said of acme/a.
subject, text, page = parts(sys.argv[2], "direction@example.org")
assert "Absence rate" not in text, text
assert subject == "[Vigie] warning: Conflict rate — acme", subject
assert "\n== acme ==\n\n* [warning] Conflict rate\n  New alert in February" + nb + \
    "2025\n  Value: 12.3 (warning threshold: 10)\n" in text, text
assert "acme/a" not in text and "already reported" not in text, text
assert "acme/a" not in page and "already reported" not in page, page
PY
exit 0
