#!/usr/bin/env bash
# vigie report (SPEC 15) for a reader who cannot see its charts or its
# colours, on the demo company: in the HTML, each chart's text alternative
# gives every figure its curves show (the span and the year before, as the
# JSON has them, a dash where the chart has no point) and its reference;
# every table cell has its headers: column headers with scope="col", each
# row headed by a <th scope="row">; after the cover's <header>, all is in
# one <main> landmark; the curves, reference lines and axes
# of the charts (HTML and PDF) have a contrast of 3:1 at least on white
# (WCAG 1.4.11), only the grid and the tables' rules being fainter; the
# PDF, whose charts have no text alternative, says the same figures in its
# « Valeurs des graphiques » pages, listed in its contents, as text that
# pdftotext extracts; the PDF is tagged (pdfinfo: "Tagged: yes"): one
# Document of headings (the title H1, each unit and section H2, in page
# order), paragraphs, a Figure per chart and tables whose rows begin with
# a TH, its text with its spaces.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1
command -v pdftocairo >/dev/null && command -v pdftotext >/dev/null || { echo "poppler-utils (pdftocairo) missing"; exit 77; }

cat >"$T/vigie.yaml" <<YAML
database: $T/vigie.db
rules: $SRC/etc/rules.d
YAML
CFG=$T/vigie.yaml
expect_exit 0 "$VIGIE" -c "$CFG" import "$SRC"/contrib/demo/valdis-*.csv
expect_exit 0 "$VIGIED" -c "$CFG" --once
R="$VIGIE -c $CFG report --from 2025-11 --to 2026-10"
expect_exit 0 $R --format json -o "$T/r.json"
expect_exit 0 $R --format html -o "$T/r.html"
expect_exit 0 $R --format pdf -o "$T/r.pdf"
# The method says the span's alerts are replayed over the data, and what
# the console's « Règles » page counts instead (only those notified).
expect_grep "Les alertes de la période sont ainsi retrouvées en rejouant les règles sur les données, notifiées ou non" "$T/r.html"
expect_grep "de la console compte seulement celles que Vigie a notifiées" "$T/r.html"
# the first year of data: no year before to draw, nor to say
R0="$VIGIE -c $CFG report --from 2023-11 --to 2024-10"
expect_exit 0 $R0 --format json -o "$T/first.json"
expect_exit 0 $R0 --format html -o "$T/first.html"

for span in r first; do
$PY - "$T/$span.html" "$T/$span.json" <<'PY' || fail "the HTML report's charts in words ($span)"
import html.parser, json, re, sys

page, rep = open(sys.argv[1]).read(), json.load(open(sys.argv[2]))
NNBSP = "\u202f"


class Charts(html.parser.HTMLParser):
    """Each chart's caption and text alternative, in page order."""
    def __init__(self):
        super().__init__()
        self.charts, self.cap, self.in_cap = [], "", False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "figcaption":
            self.cap, self.in_cap = "", True
        elif tag == "svg" and a.get("role") == "img":
            self.charts.append((self.cap.strip(), a.get("aria-label", "")))

    def handle_endtag(self, tag):
        if tag == "figcaption":
            self.in_cap = False

    def handle_data(self, data):
        if self.in_cap:
            self.cap += data


h = Charts()
h.feed(page)
want = [(u["unit"], f) for u in rep["units"] for f in u["figures"]]
assert len(h.charts) == len(want), (len(h.charts), len(want))


def number(s):
    """A figure as the report writes it: "4,3 %", "1 234", "—"."""
    if s == "\u2014":
        return None
    s = s.replace(NNBSP, "").replace("\u00a0", "").replace(",", ".").replace("%", "")
    return float(s.replace("\u2212", "-"))


def check(label, unit, name, values):
    """The 12 "period figure" of one curve, as in the JSON."""
    got = label.split(NNBSP + "; ")
    assert len(got) == len(values), (unit, name, label)
    for g, v in zip(got, values):
        m = re.fullmatch(r"\S+\.? \d{4} (\S+(?:" + NNBSP + r"%)?)", g)
        assert m, (unit, name, g)
        x = number(m.group(1))
        if v is None:
            assert x is None, (unit, name, g, "a point the chart does not draw")
        else:
            dec = len(m.group(1).split(",")[1].rstrip(NNBSP + "%")) if "," in m.group(1) else 0
            assert x is not None and abs(x - v) <= 0.5 * 10 ** -dec + 1e-9, (unit, name, g, v)


defs = {d["id"]: d for d in rep["indicators"]}
for (cap, label), (unit, f) in zip(h.charts, want):
    # the name of the chart, then its figures
    title = re.sub(r" \([^)]*\)$", "", cap)
    assert label.startswith(title + ", "), (unit, cap, label[:80])
    m = re.fullmatch(r".*?, \S+\.? \d{4} \u2013 \S+\.? \d{4}" + NNBSP + r": (.*?)\."
                     r"(?: Un an avant \(.*?\)" + NNBSP + r": (.*?)\.)?"
                     r"(?: Référence" + NNBSP + r": (.*)\.)?", label)
    assert m, (unit, label)
    check(m.group(1), unit, f["indicator"], f["trend"])
    if any(v is not None for v in f["trend_year_earlier"]):
        assert m.group(2), (unit, f["indicator"], "the year before is drawn, not said")
        check(m.group(2), unit, f["indicator"], f["trend_year_earlier"])
    else:
        assert not m.group(2), (unit, label)
    d = defs.get(f["indicator"], {})
    assert bool(m.group(3)) == (d.get("reference") is not None), (unit, label, d)
print("%d charts said in words" % len(h.charts))
PY
done

$PY - "$T/r.html" <<'PY' || fail "the HTML report's tables and their headers"
import html.parser, sys


class Tables(html.parser.HTMLParser):
    """Each table's rows: [(tag, scope, in thead)] per row."""
    def __init__(self):
        super().__init__()
        self.tables, self.head = [], False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "table":
            self.tables.append([])
        elif tag == "thead":
            self.head = True
        elif tag == "tr":
            self.tables[-1].append([])
        elif tag in ("th", "td"):
            self.tables[-1][-1].append((tag, a.get("scope"), self.head))

    def handle_endtag(self, tag):
        if tag == "thead":
            self.head = False


t = Tables()
page = open(sys.argv[1]).read()
t.feed(page)
# landmarks: the cover a <header>, everything after it in the one <main>
body = page.split("<body>\n", 1)[1]
assert body.startswith("<header>") and body.count("<main>") == 1, body[:200]
assert body.split("</header>\n", 1)[1].startswith("<main>"), "content before <main>"
assert body.endswith("</main>\n</body>\n</html>\n"), body[-200:]
assert len(t.tables) > 30, len(t.tables)
for n, rows in enumerate(t.tables):
    for row in rows:
        if row[0][2]:
            assert all(c[:2] == ("th", "col") for c in row), (n, row)
        else:
            # a row's first cell heads it, the others are data
            assert row[0][:2] == ("th", "row"), (n, row)
            assert all(c[0] == "td" for c in row[1:]), (n, row)
print("%d tables with their headers" % len(t.tables))
PY

# The PDF says what the HTML's text alternatives say, unit by unit.
pdftotext "$T/r.pdf" "$T/r.txt" || fail "pdftotext"
$PY - "$T/r.html" "$T/r.json" "$T/r.txt" <<'PY' || fail "the PDF's charts in words"
import html.parser, json, re, sys

page, rep, text = open(sys.argv[1]).read(), json.load(open(sys.argv[2])), open(sys.argv[3]).read()
labels = re.findall(r'<svg viewBox="0 0 240 120" role="img" aria-label="([^"]*)"', page)
labels = [html.unescape(l) for l in labels]
level = {"company": "Entreprise", "site": "Site", "team": "Équipe"}


def flat(s):
    return re.sub(r"[ \n\f\u202f\u00a0]+", " ", s).strip()


# the contents list the pages; the pages come after the units', before
# the method; their footers are not part of the text
assert re.search(r"\nValeurs des graphiques \.+ \d+\n", text), "not in the contents"
i = re.search(r"[\n\f]Valeurs des graphiques\n", text).end()
j = re.search(r"[\n\f]Méthode\n", text[i:]).start() + i
annex = "\n".join(l for l in text[i:j].split("\n")
                  if not re.fullmatch(r"page \d+ / \d+|Rapport au comité social et économique|"
                                      r"De novembre 2025 à octobre 2026", l.strip()))
annex = flat(annex)
want = []
k = 0
for u in rep["units"]:
    want.append("%s %s" % (level[u["level"]], u["unit"]))
    for f in u["figures"]:
        title, rest = re.fullmatch(r"(.*?), (\S+\.? \d{4} \u2013 .*)", labels[k]).groups()
        want.append(title + " " + rest)
        k += 1
assert k == len(labels), (k, len(labels))
pos = 0
for w in want:
    w = flat(w)
    at = annex.find(w, pos)
    assert at >= 0, ("not in the PDF's text, in order", w[:200], annex[pos:pos + 300])
    pos = at + len(w)
print("%d charts said in the PDF" % k)
PY

# The PDF's structure, as pdfinfo -struct-text prints it (two spaces a
# level, text in quotes).
pdfinfo "$T/r.pdf" | grep -q '^Tagged: *yes$' || fail "the PDF is not tagged"
pdfinfo -struct-text "$T/r.pdf" >"$T/struct.txt" || fail "pdfinfo -struct-text"
$PY - "$T/struct.txt" "$T/r.json" <<'PY' || fail "the PDF's structure"
import json, re, sys

rep = json.load(open(sys.argv[2]))
root = {"tag": None, "kids": [], "text": []}
stack = [(-1, root)]
for line in open(sys.argv[1]).read().split("\n"):
    if not line.strip():
        continue
    depth = (len(line) - len(line.lstrip(" "))) // 2
    body = line.strip()
    while stack[-1][0] >= depth:
        stack.pop()
    if body.startswith('"'):
        stack[-1][1]["text"].append(body[1:-1])
        continue
    node = {"tag": body.split(" ")[0], "kids": [], "text": []}
    stack[-1][1]["kids"].append(node)
    stack.append((depth, node))


def text(n):
    return "".join(n["text"]) + "".join(text(k) for k in n["kids"])


def walk(n):
    yield n
    for k in n["kids"]:
        yield from walk(k)


assert [k["tag"] for k in root["kids"]] == ["Document"], [k["tag"] for k in root["kids"]]
doc = root["kids"][0]
nodes = list(walk(doc))
h1 = [text(n) for n in nodes if n["tag"] == "H1"]
assert h1 == ["Rapport au comité social et économique"], h1
level = {"company": "Entreprise", "site": "Site", "team": "Équipe"}
h2 = [text(n) for n in nodes if n["tag"] == "H2"]
want = ["Sommaire", "Unités ayant eu des alertes"] + ["%s %s" % (level[u["level"]], u["unit"]) for u in rep["units"]] + \
    ["Valeurs des graphiques", "Méthode"]
assert h2 == want, (h2, want)
figures = sum(n["tag"] == "Figure" for n in nodes)
assert figures == len(rep["units"]) * len(rep["indicators"]), figures
tables = [n for n in nodes if n["tag"] == "Table"]
assert len(tables) >= 2 * len(rep["units"]), len(tables)
for t in tables:
    for tr in t["kids"]:
        assert tr["tag"] == "TR", tr["tag"]
        cells = [c["tag"] for c in tr["kids"]]
        assert cells and cells[0] == "TH" and set(cells) <= {"TH", "TD"}, cells
# a wrapped paragraph keeps the spaces of its breaks
assert any("Aucune équipe de moins de 5 salariés n'y figure" in text(n)
           for n in nodes if n["tag"] == "P"), "the cover's paragraph"
print("tagged: %d H2, %d figures, %d tables" % (len(h2), figures, len(tables)))
PY

# The company's page of the PDF (page 4: cover, contents, the index of the
# units with alerts) as SVG: the colours of its strokes.
pdftocairo -svg -f 4 -l 4 "$T/r.pdf" "$T/p4.svg" || fail "pdftocairo"
$PY - "$T/r.html" "$T/p4.svg" <<'PY' || fail "the contrast of the charts' marks"
import os, re, sys
sys.path.insert(0, os.environ["VIGIE_SRC"] + "/tests/integration")
import contrast

# decoration: the grid of the charts and the rules of the tables
faint = {"#e3e7ec", "#dde3ea"}
page = open(sys.argv[1]).read()
svgs = re.findall(r"<svg.*?</svg>", page, re.S)
html = {c.lower() for svg in svgs for c in re.findall(r'(?:stroke|fill)="(#[0-9a-fA-F]{6})"', svg)}
assert len(html) >= 4, html


def hexa(rgb):
    return "#" + "".join("%02x" % round(float(x) * 255 / 100) for x in rgb)


pdf = {hexa(m) for m in re.findall(r"stroke:rgb\(([\d.]+)%,([\d.]+)%,([\d.]+)%\)",
                                    open(sys.argv[2]).read())}
assert len(pdf) >= 4, pdf
for where, colours in (("html", html), ("pdf", pdf)):
    for c in colours - faint:
        assert contrast.ratio(c) >= 3, (where, c, round(contrast.ratio(c), 2))
print("chart marks:", sorted(html), sorted(pdf))
PY
echo "PASS t_report_a11y"
