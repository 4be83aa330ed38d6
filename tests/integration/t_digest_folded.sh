#!/usr/bin/env bash
# A parent's alert folded into a descendant's block (SPEC 16) carries what
# a signal of its own would: its severity and what changed (better,
# critical → warning), its value against its threshold, that hysteresis
# holds it with its clear level, its last 12 periods and how to act on it:
# with web.url, its console page (SPEC 14), where it is taken in charge,
# and not the shell command (SPEC 9), in the text and the HTML part; the descendant's own signal is unchanged. Its guidance, the
# same rule's, is printed once: the parent's says « the same as below ».
# The footer links to the console's help page, which explains « Held by
# hysteresis » and the digest's other words.
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
    - email: [drh@example.org]"
cat >"$T/rules.d/r.yaml" <<'YAML'
rules:
  - id: conflict-rate
    title: "Conflict rate"
    value: 100 * conflicts / headcount
    above: { warning: 10, critical: 20, clear: 5 }
    notify: [hr]
    guidance: "Meet the team's manager."
YAML
printf 'unit,period,headcount,conflicts\nacme/a,2025-01,20,10\nacme/b,2025-01,20,0\n' \
	>"$T/jan.csv"
printf 'unit,period,headcount,conflicts\nacme/a,2025-02,20,1.5\nacme/b,2025-02,20,1.5\n' \
	>"$T/feb.csv"

expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/jan.csv"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_eq "$(notify_count "$T/mail")" 1 "the January digest"
mkdir -p "$T/jan"
mv "$T/mail"/*.eml "$T/jan/"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/feb.csv"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_eq "$(notify_count "$T/mail")" 1 "the February digest"

$PY - "$T/jan" "$T/mail" <<'PY' || fail "the folded parent in the digests"
import email, email.policy, glob, html.parser, sys
import os; sys.path.insert(0, os.environ["VIGIE_SRC"] + "/tests/integration")
import mailtext

def parts(d):
    [path] = glob.glob(d + "/*.eml")
    msg = email.message_from_binary_file(open(path, "rb"), policy=email.policy.default)
    text = msg.get_body(preferencelist=("plain",)).get_content().replace("\r\n", "\n")
    text = mailtext.shown(text)
    page = msg.get_body(preferencelist=("html",)).get_content()
    return text, page

class Seen(html.parser.HTMLParser):
    """The text a reader sees, and the links."""
    def __init__(self):
        super().__init__()
        self.text, self.links = [], []
    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.links.append(dict(attrs)["href"])
        elif tag in ("br", "tr", "p", "div", "li"):
            self.text.append("\n")
    def handle_data(self, data):
        self.text.append(data)

url = "https://vigie.example.org/alerts/conflict-rate@"
held = ("Still active: the rule's value (7.5) no longer reaches the warning "
        "threshold (10); the alert ends when it falls to 5 or less (clear level)")

# January: acme/a is critical (50), acme critical (25) is folded into it.
text, page = parts(sys.argv[1])
assert "== acme ==" not in text, text
assert "Also active at the level above: acme [critical]: 25 (critical threshold: 20)\n" \
    in text, text
assert "    New alert in January\u00a02025\n" in text, text
assert "    Follow up in the console: %sacme\n" % url in text, text
assert "vigie ack" not in text and "To acknowledge" not in text, text
# The footer leads to the console's help page, which explains the digest's
# words ("Still active"), in both parts.
assert text.rstrip("\n").endswith("\nWhat the words of this message mean: "
                                  "https://vigie.example.org/help"), repr(text[-120:])

# February: both are held by hysteresis at 7.5, acme/a and acme better.
text, page = parts(sys.argv[2])
assert "== acme ==" not in text, text
[block] = [b for b in text.split("\n== ") if b.startswith("acme/a ==")]
item = ("\n* [warning] Conflict rate\n"
        "  Improved (critical → warning) in February\u00a02025, active since January\u00a02025\n"
        "  Value: 7.5 (warning threshold: 10)\n"
        "  " + held + "\n")
assert item in block, block
parent = ("  Also active at the level above: acme [warning]: 7.5 (warning threshold: 10)\n"
          "    Improved (critical → warning) in February\u00a02025, active since January\u00a02025\n"
          "    " + held + "\n"
          "    Last periods: ··········█▁\n"
          "        2024-03 no data   2024-04 no data   2024-05 no data\n"
          "        2024-06 no data   2024-07 no data   2024-08 no data\n"
          "        2024-09 no data   2024-10 no data   2024-11 no data\n"
          "        2024-12 no data   2025-01 25   2025-02 7.5\n"
          "    Guidance: the same as below\n"
          "    Follow up in the console: " + url + "acme\n")
assert parent in block, block
assert block.count(held) == 2 and block.count("Follow up in the console") == 2, block
assert "  Follow up in the console: %sacme/a\n" % url in block, block
assert block.count("Meet the team's manager.") == 1, block
assert "\n  Guidance: Meet the team's manager.\n" in block, block

s = Seen()
s.feed(page)
seen = "".join(s.text)
assert url + "acme" in s.links and url + "acme/a" in s.links, s.links
assert s.links[-1] == "https://vigie.example.org/help", s.links
assert "What the words of this message mean" in seen, seen
assert s.links.count(url + "acme") == 1, s.links
assert seen.count(held[len("Still active: "):]) == 2, seen
assert seen.count("Still active") == 2, seen
assert seen.count("Improved (critical → warning) in February\u00a02025, active since "
                  "January\u00a02025") == 2, seen
assert "acme [warning]: 7.5 (warning threshold: 10)" in seen, seen
assert "\nLast periods: Jan\u00a02025 25 · Feb\u00a02025 7.5\n" in seen.replace(
    "Mar\u00a02024 no data · Apr\u00a02024 no data · May\u00a02024 no data · "
    "Jun\u00a02024 no data · Jul\u00a02024 no data · Aug\u00a02024 no data · "
    "Sep\u00a02024 no data · Oct\u00a02024 no data · Nov\u00a02024 no data · "
    "Dec\u00a02024 no data · ", ""), seen
assert "vigie ack" not in seen and "To acknowledge" not in seen, seen
assert "\nGuidance: the same as below\n" in seen, seen
assert seen.count("Meet the team") == 1, seen
# The team's title and the line under it.
assert s.links.count(url + "acme/a") == 2, s.links
PY
exit 0
