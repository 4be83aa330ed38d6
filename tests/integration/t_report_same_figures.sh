#!/usr/bin/env bash
# vigie report (SPEC 15: "JSON gives the same figures for scripts") on the
# demo company, whose restaurant team has about 12 employees: every figure
# of the JSON is the one the HTML shows, with the HTML's precision and
# nothing more (a rate per employee of a unit under 100 employees is a
# whole number in both: « 40 » is 40.0, never 40.26845637583893, which
# would help find the number of people), a dash of the HTML a null of the
# JSON and back: each unit's figure over the span, the year before and the
# company's, every point of its curves as their text alternative says it,
# each reference, its alerts by theme and its follow-up counts, and the
# count of units left out; each figure's decimals are given; the charts draw the figures shown, not more
# precise ones (a point's height read back against the axis is the shown
# figure, within a tenth of a pixel); and the PDF's table of the small team
# has the HTML's figures.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1
command -v pdftotext >/dev/null || { echo "pdftotext missing"; exit 77; }

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
# the restaurant team is small (about 12 employees): what the test is about
expect_grep '<tr><th scope="row">Effectif moyen</th><td class="num"><strong>12</strong></td>' "$T/r.html"
expect_grep '<tr><th scope="row">Départs pour 100 salariés, sur un an</th><td class="num"><strong>40</strong></td>' "$T/r.html"

cat >"$T/same.py" <<'PY'
import html as H, json, re, sys
from decimal import Decimal

page = open(sys.argv[1], encoding="utf-8").read()
# parse_float=str: the numbers as written, not as read back
rep = json.load(open(sys.argv[2]), parse_float=str)
NNBSP = "\u202f"
ids = [i["id"] for i in rep["indicators"]]
bad = n = 0


def shown(s):
    """A figure as the HTML writes it, as a decimal: "4,8 %" 4.8, "1 234"
    1234, "−2" -2, "—" None."""
    s = H.unescape(s).strip()
    if s == "\u2014":
        return None
    m = re.match(r"^(\u2212?[0-9" + NNBSP + r"]+(?:,[0-9]+)?)", s)
    assert m, s
    return Decimal(m.group(1).replace(NNBSP, "").replace(",", ".").replace("\u2212", "-"))


def same(where, html, js):
    """The HTML's figure (text) and the JSON's (as written, or None)."""
    global bad, n
    n += 1
    want = shown(html)
    got = None if js is None else Decimal(js)
    if want != got:
        print("%s: HTML %r, JSON %s" % (where, html, js))
        bad += 1


def decimals(s):
    s = H.unescape(s)
    m = re.match(r"^\u2212?[0-9" + NNBSP + r"]+(?:,([0-9]+))?", s)
    return len(m.group(1) or "") if m else None


def points(label):
    """The "period figure" items of a curve said in words."""
    return [re.fullmatch(r"\S+\.? \d{4} (.+)", p).group(1)
            for p in label.split(NNBSP + "; ")]


def axis(svg):
    """y -> value of a chart, from its first and last tick."""
    ticks = re.findall(r'<line x1="[^"]*" x2="[^"]*" y1="([^"]*)" y2="[^"]*" stroke="#[0-9a-f]+" '
                       r'stroke-width="0.6"/><text [^>]*>([^<]*)</text>', svg)
    (y0, v0), (y1, v1) = ticks[0], ticks[-1]
    y0, y1, v0, v1 = float(y0), float(y1), float(shown(v0)), float(shown(v1))
    return lambda y: v0 + (y0 - y) * (v1 - v0) / (y0 - y1), abs(v1 - v0) / abs(y0 - y1)


def drawn(svg, colour, nper):
    """The points of the curve of that colour: {index: y}."""
    pts = {}
    for m in re.finditer(r'<polyline fill="none" points="([^"]*)" stroke="' + colour, svg):
        for xy in m.group(1).split():
            x, y = map(float, xy.split(","))
            pts[round((x - 34.0) * (nper - 1) / (232.0 - 34.0))] = y
    for m in re.finditer(r'<circle cx="([^"]*)" cy="([^"]*)" r="1.6" stroke="' + colour, svg):
        x, y = float(m.group(1)), float(m.group(2))
        pts[round((x - 34.0) * (nper - 1) / (232.0 - 34.0)) if nper > 1 else 0] = y
    return pts


# each reference as the tables and the method give it
for ind in rep["indicators"]:
    r = ind["reference"]
    if r is None:
        continue
    m = re.search(r"<li>[^<]*" + re.escape(H.escape(ind["title"], quote=False)) +
                  NNBSP + r": ([^<(]*?)(?: \(\d{4}\))?(?:, |\.</li>)", page)
    assert m, ind["id"]
    same("reference of " + ind["id"], m.group(1), r["value"])

sections = dict(re.findall(r'</span> ([^<]*)</h2>(.*?)</section>', page, re.S))
assert len(sections) == len(rep["units"]), (len(sections), len(rep["units"]))
for u in rep["units"]:
    sec = sections[u["unit"]]
    rows = re.findall(r'<tr><th scope="row">[^<]*</th><td class="num"><strong>([^<]*)</strong></td>'
                      r'((?:<td class="num">[^<]*</td>)+)</tr>', sec)
    charts = re.findall(r'<svg viewBox="0 0 240 120" role="img" aria-label="([^"]*)">(.*?)</svg>',
                        sec, re.S)
    assert len(rows) == len(ids) == len(charts), (u["unit"], len(rows), len(charts))
    for k, f in enumerate(u["figures"]):
        where = "%s %s" % (u["unit"], f["indicator"])
        cells = re.findall(r'<td class="num">([^<]*)</td>', rows[k][1])
        same(where + " span", rows[k][0], f["value"])
        same(where + " year before", cells[0], f["year_earlier"])
        if u["level"] != "company":
            same(where + " company", cells[1], f["company"])
        # the precision the JSON says is the HTML's
        for cell, dec in ((rows[k][0], f.get("decimals")), (cells[0], f.get("decimals"))) + \
                (((cells[1], f.get("company_decimals")),) if u["level"] != "company" else ()):
            if decimals(cell) is not None and decimals(cell) != dec:
                print("%s: %r has %d decimals, the JSON says %s" % (where, cell, decimals(cell), dec))
                bad += 1
        label, svg = charts[k]
        label = H.unescape(label)
        m = re.fullmatch(r".*?, \S+\.? \d{4} \u2013 \S+\.? \d{4}" + NNBSP + r": (.*?)\."
                         r"(?: Un an avant \(.*?\)" + NNBSP + r": (.*?)\.)?"
                         r"(?: Référence" + NNBSP + r": (.*)\.)?", label)
        assert m, (where, label)
        curves = [("trend", m.group(1), "#1f5f99")]
        if m.group(2):
            curves.append(("trend_year_earlier", m.group(2), "#7b8794"))
        elif any(v is not None for v in f["trend_year_earlier"]):
            print(where, "the JSON has a year before the chart does not say"); bad += 1
        for key, said, colour in curves:
            said = points(said)
            assert len(said) == len(f[key]), (where, key)
            for i, (s, v) in enumerate(zip(said, f[key])):
                same("%s %s[%d]" % (where, key, i), s, v)
            # the curve's points are at the heights of the figures said
            value, per_px = axis(svg)
            for i, y in drawn(svg, colour, len(said)).items():
                want = shown(said[i])
                if want is None or abs(value(y) - float(want)) > 0.1 * per_px + 1e-9:
                    print("%s %s[%d]: drawn at %g, said %s" % (where, key, i, value(y), said[i]))
                    bad += 1
    # the alerts: each theme's row is those that fired in the span and
    # those still active when it began; the last line, the latter
    if "alerts" in u:
        a = u["alerts"]
        box = sec[sec.find("<h3>Alertes de la période</h3>"):]
        box = box[:box.find("</div>")]
        rows = dict((H.unescape(t), (int(w), int(c))) for t, w, c in re.findall(
            r'<tr(?: class="total")?><th scope="row">(?:&nbsp;)*([^<]*)</th><td class="num">(\d+)</td>'
            r'<td class="num">(\d+)</td></tr>', box))
        themes = {}
        for kind in (a["by_theme"], a["ongoing"]["by_theme"]):
            for t in kind:
                w, c = themes.get(t["title"], (0, 0))
                themes[t["title"]] = (w + int(t["warning"]), c + int(t["critical"]))
        total = (int(a["warning"]) + int(a["ongoing"]["warning"]),
                 int(a["critical"]) + int(a["ongoing"]["critical"]))
        want = dict(themes)
        if total != (0, 0):
            want["Total"] = total
        if (int(a["ongoing"]["warning"]), int(a["ongoing"]["critical"])) != (0, 0):
            want["dont déjà actives au début"] = (int(a["ongoing"]["warning"]),
                                                  int(a["ongoing"]["critical"]))
        n += 1
        if rows != want:
            print(u["unit"], "alerts: HTML", rows, "JSON", want); bad += 1
        fu = u["followup"]
        box = sec[sec.find("<h3>Suivi des alertes</h3>"):]
        rows = [int(x) for x in re.findall(r'<td class="num">(\d+)</td>', box)]
        want = [int(fu["notified"])] + ([int(fu["notified_before"])] if int(fu["notified_before"]) else []) + \
            [int(fu["taken"]), sum(int(v) for v in fu["closed"].values()),
             int(fu["closed"]["action_taken"]), int(fu["closed"]["false_alarm"]),
             int(fu["closed"]["no_action_needed"])]
        n += 1
        if rows != want:
            print(u["unit"], "follow-up: HTML", rows, "JSON", want); bad += 1
# the units left out: counted on the method page, those left out only for
# want of data named apart
m = re.search(r"pour ces raisons" + NNBSP + r": (\d+)\.", page)
n += 1
if int(m.group(1)) != int(rep["hidden_units"]) - len(rep["missing_data_units"]):
    print("hidden units: HTML", m.group(1), "JSON", rep["hidden_units"], rep["missing_data_units"])
    bad += 1
print(n, "figures compared,", bad, "differ")
sys.exit(1 if bad or n < 1000 else 0)
PY
$PY "$T/same.py" "$T/r.html" "$T/r.json" >"$T/same.out" 2>&1 ||
	{ grep -E "restauration (departures|headcount) (span|trend\[0\])|reference|alerts|follow|drawn|decimals" "$T/same.out" | head -20; grep "restauration departures" "$T/same.out" | head -3; tail -1 "$T/same.out"; fail "the JSON's figures are not the HTML's"; }

# In particular the small team's departures: a whole number, as shown.
$PY - "$T/r.json" <<'PY' || fail "the small team's rates per employee are not whole numbers in the JSON"
import json, sys
d = json.load(open(sys.argv[1]), parse_float=str)
ids = [i["id"] for i in d["indicators"]]
u = [u for u in d["units"] if u["unit"] == "valdis/metz/restauration"][0]
for ind in ("departures", "resignations", "conflicts", "accident-frequency"):
    f = u["figures"][ids.index(ind)]
    assert f["decimals"] == 0, (ind, f["decimals"])
    for v in [f["value"], f["year_earlier"]] + f["trend"] + f["trend_year_earlier"]:
        assert v is None or v.endswith(".0"), (ind, v)
# absenteeism is no rate per employee: its decimal stays
assert u["figures"][ids.index("absenteeism")]["decimals"] == 1
PY

# The PDF's table of the small team gives the HTML's figures (pdftotext
# gives the narrow no-break space back as a space).
pdftotext -layout "$T/r.pdf" "$T/r.txt"
$PY - "$T/r.html" "$T/r.txt" <<'PY' || fail "the PDF's figures of the small team are not the HTML's"
import html as H, re, sys
page, txt = open(sys.argv[1]).read(), open(sys.argv[2]).read()
sec = re.search(r'</span> valdis/metz/restauration</h2>(.*?)</section>', page, re.S).group(1)
start = txt.index("Équipe valdis/metz/restauration\n")
pdf = txt[start:start + 4000].replace("\u202f", " ")
for title, span, rest in re.findall(r'<tr><th scope="row">([^<]*)</th><td class="num"><strong>([^<]*)'
                                    r'</strong></td>((?:<td class="num">[^<]*</td>)+)</tr>', sec):
    cells = [span] + re.findall(r'<td class="num">([^<]*)</td>', rest)[:2]
    cells = [H.unescape(c).replace("\u202f", " ") for c in cells]
    line = [l for l in pdf.split("\n") if re.search(r"\s" + r"\s+".join(map(re.escape, cells)) + r"(\s|$)", l)]
    assert line, (H.unescape(title), cells)
PY
exit 0
