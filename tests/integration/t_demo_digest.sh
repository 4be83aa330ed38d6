#!/usr/bin/env bash
# The demo's digests (SPEC 9, 16) as their readers get them, through the
# real demo (contrib/demo/demo.sh: vigied, a local SMTP server): the text
# part of each email is byte for byte its golden file
# (contrib/demo/golden/digest-ROLE.txt; VIGIE_UPDATE_GOLDEN=1 rewrites them);
# every alert, folded ones too, shows its guidance and how to acknowledge
# it in both parts; what changed says each line's severity in words, as
# its bullet's colour does, in both parts; every text colour of the HTML
# part has a contrast of 4.5:1 on white; a chart's caption says that
# the figure in brackets is the expected one; the HTML part has one block per
# unit as the text does,
# a chart per signal with a zero line and a labelled axis, and French
# typography (no plain
# space before : ; % or between the groups of a number); the HR digest has
# at most as many blocks as there are units with an active alert, and no
# unit both as a block and folded into a descendant's.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1

VIGIE_DEMO_OUT="$T/received" "$SRC/contrib/demo/demo.sh" "$VIGIE_BIN" >"$T/demo.log" 2>&1 ||
	{ cat "$T/demo.log" >&2; fail "make demo failed"; }

# The units with an active alert, as the rules see them.
cat >"$T/eval.yaml" <<YAML
database: $T/eval.db
rules: $SRC/etc/rules.d
YAML
expect_exit 0 "$VIGIE" -c "$T/eval.yaml" import "$SRC"/contrib/demo/valdis-*.csv
expect_exit 0 "$VIGIE" -c "$T/eval.yaml" eval --format json
cp "$T/out" "$T/eval.json"

$PY - "$T/received" "$T/eval.json" "$SRC/contrib/demo/golden" "${VIGIE_UPDATE_GOLDEN:-}" \
    <<'PY' || fail "the demo's digests"
import email, email.policy, glob, html.parser, json, os, re, sys
sys.path.insert(0, os.environ["VIGIE_SRC"] + "/tests/integration")
import contrast, mailtext

out, evalf, golden, update = sys.argv[1:5]
names = {"drh@valdis.example": "hr", "service-social@valdis.example": "social-service",
         "assistante.sociale.nancy@valdis.example": "social-worker-nancy"}
active_units = {r["unit"] for r in json.load(open(evalf)) if r["active"]}
assert active_units, "the demo has no active alert"


class Html(html.parser.HTMLParser):
    """Blocks, signals, charts, and the text a reader sees."""
    def __init__(self):
        super().__init__()
        self.blocks, self.signals, self.charts, self.zero_rows, self.rows = 0, 0, 0, 0, 0
        self.axes, self.text, self.h2 = 0, [], []
        self.in_h2 = False
        self.changes, self.li = [], None  # (bullet colour, text) of each change
        self.colours = set()  # of text, on the white of the page


    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        cls, style = a.get("class", ""), a.get("style", "")
        self.blocks += cls == "block"
        self.signals += cls == "signal"
        self.charts += cls == "chart"
        self.axes += cls == "axis"
        self.zero_rows += "background:#222" in style
        self.in_h2 = tag == "h2"
        self.colours.update(re.findall(r"(?<![-\w])color:\s*(#[0-9a-fA-F]{3,6})", style))
        if tag == "li":
            self.li = [None, ""]
        elif tag == "span" and self.li is not None and self.li[0] is None:
            self.li[0] = re.search(r"color:(#\w+)", style).group(1)

    def handle_endtag(self, tag):
        if tag == "h2":
            self.in_h2 = False
        if tag == "li" and self.li is not None:
            self.changes.append(tuple(self.li))
            self.li = None

    def handle_data(self, data):
        self.text.append(data)
        if self.li is not None:
            self.li[1] += data
        if self.in_h2:
            self.h2.append(data)


def seen_count(page, needle):
    h = Html()
    h.feed(page)
    return "".join(h.text).count(needle)


seen = set()
words = {}  # one bullet colour, one severity word, in every digest
for path in sorted(glob.glob(os.path.join(out, "mail-*.eml"))):
    msg = email.message_from_binary_file(open(path, "rb"), policy=email.policy.default)
    name = names[",".join(msg.get_all("X-Demo-Rcpt", []))]
    seen.add(name)
    text = msg.get_body(preferencelist=("plain",)).get_content().replace("\r\n", "\n")
    # the golden files hold the text as a mail client shows it, wrapped
    text = mailtext.checked(text)
    page = msg.get_body(preferencelist=("html",)).get_content()
    gold = os.path.join(golden, "digest-%s.txt" % name)
    if update:
        open(gold, "w", encoding="utf-8").write(text)
    want = open(gold, encoding="utf-8").read()
    assert text == want, "%s: the text part differs from %s:\n%s" % (name, gold, text)
    text = mailtext.unwrap(text)

    units = re.findall(r"^== (.+) ==$", text, re.M)
    signals = len(re.findall(r"^\* ", text, re.M))
    h = Html()
    h.feed(page)
    # landmarks: the heading and every block in the one <main>, the
    # footer after it in a <footer> (WCAG 1.3.1)
    body = page.replace("\r\n", "\n").split("<body", 1)[1].split(">\n", 1)[1]
    assert body.startswith("<main>\n<h1 ") and body.count("<main>") == 1, (name, body[:200])
    inside, after = body.split("</main>\n", 1)
    assert inside.count('class="block"') == h.blocks and "<footer>" not in inside, name
    assert re.fullmatch(r'<footer><p style="[^"]*">[^<]*</p></footer>\n</body>\n</html>\n?',
                        after), (name, after)
    # what changed: the severity its bullet's colour shows is said in
    # words (WCAG 1.4.1), and the text part says it too
    assert h.changes, name
    for colour, line in h.changes:
        assert line.startswith("\u25cf "), line
        sev = re.search(r" \[(critique|vigilance)\]\u202f: ", line)
        assert sev, (name, colour, line)
        assert words.setdefault(colour, sev.group(1)) == sev.group(1), (name, words, line)
    lines = re.findall(r"^  - (.+)$", text.split("\n\n== ")[0], re.M)
    assert [l[2:] for c, l in h.changes] == lines, (name, h.changes, lines)
    # a chart whose rows give an expected figure (in brackets, in blue)
    # says so in words in its caption
    for chart in page.split('class="chart"')[1:]:
        chart = chart.split("</table>\n<p")[0]
        if '<span style="color:#1565c0' in chart:
            cap = re.search(r"<caption[^>]*>(.*?)</caption>", chart).group(1)
            assert "attendu entre parenthèses" in cap, (name, cap)
    # every text colour reads on white (WCAG 1.4.3: 4.5:1, the digest's
    # text is small), the severity labels and the faint notes too
    for c in h.colours:
        assert contrast.ratio(c) >= 4.5, (name, c, round(contrast.ratio(c), 2))
    assert h.blocks == len(units) and h.h2 == units, (name, h.blocks, h.h2, units)
    assert h.signals == signals and h.charts == signals and h.axes == signals, \
        (name, h.signals, h.charts, signals)
    assert h.zero_rows == 12 * signals, (name, h.zero_rows)
    # one block per unit, each unit once, and only units with an alert
    assert len(set(units)) == len(units), units
    assert set(units) <= active_units, (units, active_units)
    folded = re.findall(r"Aussi en alerte au niveau supérieur\u202f: (\S+) ", text)
    assert not set(folded) & set(units), (folded, units)
    # every alert, a folded parent too, shows its guidance (every shipped
    # rule has one) and how to acknowledge it (SPEC 9): as many of each as
    # there are active alerts shown, the folded ones included
    acks = len(re.findall(r"Pour en accuser réception\u202f: vigie ack \S+@\S+ --by NOM\n", text))
    assert acks == signals + len(folded), (name, acks, signals, len(folded))
    assert text.count("Conseil\u202f: ") == acks, (name, text.count("Conseil\u202f: "), acks)
    assert seen_count(page, "vigie ack ") == acks, name
    # French typography in both parts, the subject they open with too: no
    # plain or no-break space before : ; % ? !, no ungrouped number of five
    # digits or more
    seen_text = "\n".join(h.text)
    for part, s in (("text", text), ("html", seen_text)):
        body = s
        bad = re.findall(r".{0,20}[ \u00a0][:;%?!].{0,10}", body)
        assert not bad, (name, part, bad[:5])
        m = re.search(r"(?<![\w/.,-])\d{5,}(?![\w/-])", body)
        assert not m, (name, part, body[max(0, m.start() - 30):m.end() + 10])
    if name == "hr":
        assert len(units) <= len(active_units), (units, active_units)
        print("hr: %d blocks, %d units with an active alert" % (len(units), len(active_units)))
assert seen == set(names.values()), seen
assert len(set(words.values())) == len(words) == 2, words
PY
echo "PASS t_demo_digest"
