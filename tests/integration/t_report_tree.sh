#!/usr/bin/env bash
# vigie report (SPEC 15) on a 4-level company, company -> site -> department
# -> team, where two departments of each site hold teams of the same names
# (the demo's teams, each under valdis/SITE/pole-a and valdis/SITE/pole-b):
# the contents of the PDF and the HTML nest each unit under its parent,
# indented by depth, call a unit with teams below a site « Service », never
# « Équipe », and name a unit under a site by its path below the site
# (« Équipe pole-a/atelier », « Équipe pole-b/atelier »: never the same
# label twice in a site); the PDF's bookmarks nest the same way, each to
# its unit's page; near the start, an index lists the units with alerts,
# each with the totals by severity its own page's alert box gives (the
# JSON's), linked to its page, and no other unit.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1
command -v pdftotext >/dev/null && command -v qpdf >/dev/null ||
	{ echo "poppler-utils (pdftotext) or qpdf missing"; exit 77; }

# The demo's files, each team twice, one level down.
$PY - "$T" "$SRC"/contrib/demo/valdis-*.csv <<'PY'
import sys, os
out = sys.argv[1]
for f in sys.argv[2:]:
    rows = open(f, encoding="utf-8-sig", newline="").read().split("\r\n")
    new = [rows[0]]
    for r in rows[1:]:
        if not r:
            continue
        path, rest = r.split(";", 1)
        seg = path.strip('"').split("/")
        if len(seg) == 3:
            for pole in ("pole-a", "pole-b"):
                new.append('"%s/%s/%s/%s";%s' % (seg[0], seg[1], pole, seg[2], rest))
        else:
            new.append(r)
    open(os.path.join(out, "tree-" + os.path.basename(f)), "w", encoding="utf-8-sig",
         newline="").write("\r\n".join(new) + "\r\n")
PY
cat >"$T/vigie.yaml" <<YAML
database: $T/vigie.db
rules: $SRC/etc/rules.d
YAML
CFG=$T/vigie.yaml
expect_exit 0 "$VIGIE" -c "$CFG" import "$T"/tree-valdis-*.csv
R="$VIGIE -c $CFG report --from 2025-11 --to 2026-10"
expect_exit 0 $R --format json -o "$T/r.json"
expect_exit 0 $R --format pdf -o "$T/r.pdf"
expect_exit 0 $R --format html -o "$T/r.html"
qpdf --json=2 --json-key=outlines "$T/r.pdf" >"$T/outlines.json" ||
	fail "qpdf cannot read the outlines"

$PY - "$T/r.json" "$T/r.pdf" "$T/r.html" "$T/outlines.json" >"$T/check.out" 2>&1 <<'PY' ||
import json, re, subprocess, sys
from html.parser import HTMLParser
d = json.load(open(sys.argv[1]))
pdf = sys.argv[2]
units = d["units"]
paths = [u["unit"] for u in units]
word = {"company": "Entreprise", "site": "Site", "department": "Service", "team": "Équipe"}
def depth(p): return p.count("/")
def parent(p): return p.rsplit("/", 1)[0] if "/" in p else None
def label(u):
    seg = u["unit"].split("/")
    return word[u["level"]] + " " + "/".join(seg[min(len(seg) - 1, 2):])
def txt(a, b):
    return subprocess.run(["pdftotext", "-layout", "-f", str(a), "-l", str(b), pdf, "-"],
                          capture_output=True, text=True, check=True).stdout
def alerts(u):
    a = u["alerts"]
    return a["warning"] + a["ongoing"]["warning"], a["critical"] + a["ongoing"]["critical"]

# the fixture: departments with teams of the same names, alerts in both
lv = {u["unit"]: u["level"] for u in units}
assert lv["valdis/epinal/pole-a"] == "department", lv
assert lv["valdis/epinal/pole-a/atelier"] == "team", lv
assert "valdis/epinal/pole-b/atelier" in lv, lv
# every unit shown has its parent shown: the nesting below can be exact
assert all(parent(p) is None or parent(p) in lv for p in paths)
with_alerts = [u for u in units if sum(alerts(u))]
assert len(with_alerts) >= 4 and len(with_alerts) < len(units), len(with_alerts)

# ---- PDF contents: nested, indented by depth, distinct labels
pages = int(re.search(r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", pdf], capture_output=True,
                                                         text=True).stdout).group(1))
entry = re.compile(r"^( *)((?:Entreprise|Site|Service|Équipe) \S+) ?\.+ *(\d+)\s*$", re.M)
toc, first = [], None
for pg in range(2, pages):
    t = txt(pg, pg)
    if not re.search(r"^\s*Sommaire", t, re.M) and pg > 2:
        break
    toc += entry.findall(t)
if len(toc) != len(units):
    sys.exit("%d contents entries for %d units:\n%s" % (len(toc), len(units), toc))
indent = {}
for u, (sp, lab, pg) in zip(units, toc):
    if lab != label(u):
        sys.exit("contents entry %r for %s, not %r" % (lab, u["unit"], label(u)))
    indent.setdefault(depth(u["unit"]), []).append(len(sp))
for k in range(3):
    if not max(indent[k]) < min(indent[k + 1]):
        sys.exit("contents: depth %d indented %s, depth %d %s" % (k, indent[k], k + 1, indent[k + 1]))
# no two entries of a site alike
for site in [p for p in paths if depth(p) == 1]:
    labs = [lab for u, (_, lab, _) in zip(units, toc) if u["unit"].startswith(site + "/")]
    dup = {x for x in labs if labs.count(x) > 1}
    if dup:
        sys.exit("contents of %s: %s twice" % (site, dup))
unit_page = {u["unit"]: int(pg) for u, (_, _, pg) in zip(units, toc)}
for p, pg in unit_page.items():
    u = next(x for x in units if x["unit"] == p)
    if not re.search(re.escape(word[u["level"]]) + r"\s+" + re.escape(p) + r"\s*$", txt(pg, pg), re.M):
        sys.exit("page %d is not %s" % (pg, p))

# ---- PDF bookmarks: nested as the contents, each to its unit's page
o = json.load(open(sys.argv[4]))["outlines"]
seen = {}
def walk(items, up, lvl):
    for it in items:
        m = re.match(r"(Entreprise|Site|Service|Équipe) (\S+)$", it["title"])
        if m:
            seen[it["title"]] = (up, lvl, it.get("destpageposfrom1"))
            walk(it.get("kids", []), it["title"], lvl + 1)
        else:
            walk(it.get("kids", []), up, lvl)
walk(o, None, 0)
for u in units:
    p = u["unit"]
    cands = [k for k in seen if k == label(u)]
    if not cands:
        sys.exit("no bookmark %r for %s (%s)" % (label(u), p, sorted(seen)[:8]))
# walk the outline as a tree of units: each bookmark of a unit holds its
# children's, at depth = its path's
def check(items, up_path, lvl):
    n = 0
    for it in items:
        m = re.match(r"(Entreprise|Site|Service|Équipe) (\S+)$", it["title"])
        if not m:
            continue
        kids = [u for u in units if parent(u["unit"]) == up_path] if up_path else \
               [u for u in units if depth(u["unit"]) == 0]
        u = next((k for k in kids if label(k) == it["title"]), None)
        if u is None:
            sys.exit("bookmark %r at depth %d is no child of %s" % (it["title"], lvl, up_path))
        if it.get("destpageposfrom1") != unit_page[u["unit"]]:
            sys.exit("bookmark %r leads to page %s, not %d" % (it["title"],
                     it.get("destpageposfrom1"), unit_page[u["unit"]]))
        n += 1 + check(it.get("kids", []), u["unit"], lvl + 1)
    return n
if check(o, None, 0) != len(units):
    sys.exit("the bookmarks do not hold every unit once, nested")

# ---- the alerts index, after the contents, before the first unit page
idx_page = None
for pg in range(2, min(unit_page.values())):
    if re.search(r"^\s*Unités ayant eu des alertes\s*$", txt(pg, pg), re.M):
        idx_page = pg
        break
if idx_page is None:
    sys.exit("no index of the units with alerts before the first unit page")
if not re.search(r"^\s*Unités ayant eu des alertes\s*\.+\s*%d\s*$" % idx_page, txt(2, 2), re.M):
    sys.exit("the contents do not open with the index's page %d" % idx_page)
rows = re.findall(r"^\s*(?:Entreprise|Site|Service|Équipe) (\S+)\s+(\d+)\s+(\d+)\s+(\d+)\s*$",
                  txt(idx_page, min(unit_page.values()) - 1), re.M)
want = [(u["unit"],) + tuple(str(x) for x in alerts(u)) + (str(unit_page[u["unit"]]),)
        for u in with_alerts]
if rows != want:
    sys.exit("index rows:\n%s\nwant:\n%s" % ("\n".join(map(str, rows)), "\n".join(map(str, want))))

# ---- HTML: nested lists, the same labels, and the same index
class P(HTMLParser):
    def __init__(s):
        super().__init__()
        s.where = None; s.ol = 0; s.stack = []; s.toc = []; s.ids = {}; s.h2 = None
        s.idx = []; s.cell = None; s.row = None; s.text = ""
    def handle_starttag(s, tag, a):
        a = dict(a)
        if tag == "section":
            s.where = a.get("id")
            s.h2 = None
        if s.where == "contents":
            if tag == "ol": s.ol += 1
            if tag == "li": s.stack.append(None)
            if tag == "a" and a.get("href", "").startswith("#u"):
                s.cur = [a["href"][1:], s.ol, s.stack[-2] if len(s.stack) > 1 else None, ""]
                s.stack[-1] = a["href"][1:]
        if s.where == "alerts-index":
            if tag == "tr": s.row = []
            if tag in ("td", "th") and s.row is not None: s.cell = ""
            if tag == "a" and s.row is not None: s.row.append(a.get("href"))
        if tag == "h2" and s.where and s.where.startswith("u"):
            s.h2 = ""
    def handle_endtag(s, tag):
        if s.where == "contents":
            if tag == "ol": s.ol -= 1
            if tag == "li": s.stack.pop()
            if tag == "a" and getattr(s, "cur", None):
                s.toc.append(s.cur); s.cur = None
        if s.where == "alerts-index":
            if tag in ("td", "th") and s.cell is not None:
                s.row.append(s.cell.strip()); s.cell = None
            if tag == "tr" and s.row:
                s.idx.append(s.row); s.row = None
        if tag == "h2" and s.h2 is not None:
            s.ids[s.where] = s.h2.split()[-1]; s.h2 = None
    def handle_data(s, t):
        if s.where == "contents" and getattr(s, "cur", None): s.cur[3] += t
        if s.cell is not None: s.cell += t
        if s.h2 is not None: s.h2 += t
h = P(); h.feed(open(sys.argv[3], encoding="utf-8").read())
if [h.ids[x[0]] for x in h.toc] != paths:
    sys.exit("HTML contents: %s" % [h.ids.get(x[0]) for x in h.toc][:10])
for (uid, ol, up, text), u in zip(h.toc, units):
    p = u["unit"]
    if " ".join(text.split()) != label(u):
        sys.exit("HTML contents: %r for %s" % (text, p))
    if ol != depth(p) + 1:
        sys.exit("HTML contents: %s in a list %d deep" % (p, ol))
    if (h.ids[up] if up else None) != parent(p):
        sys.exit("HTML contents: %s under %s" % (p, h.ids.get(up)))
got = [(h.ids[r[0][1:]], r[2], r[3]) for r in h.idx if r and r[0] and r[0].startswith("#u")]
want = [(u["unit"],) + tuple(str(x) for x in alerts(u)) for u in with_alerts]
if got != want:
    sys.exit("HTML index:\n%s\nwant:\n%s" % (got, want))
PY
	{ cat "$T/check.out"; fail "the 4-level report's contents, bookmarks or alerts index"; }

# The 3-level demo: its contents still name a team by its last segment,
# under « Site », and its bookmarks nest company -> site -> team.
cat >"$T/demo.yaml" <<YAML
database: $T/demo.db
rules: $SRC/etc/rules.d
YAML
expect_exit 0 "$VIGIE" -c "$T/demo.yaml" import "$SRC"/contrib/demo/valdis-*.csv
expect_exit 0 "$VIGIE" -c "$T/demo.yaml" report --from 2025-11 --to 2026-10 --format pdf \
	-o "$T/demo.pdf"
pdftotext -layout -f 2 -l 2 "$T/demo.pdf" "$T/demo-toc.txt"
grep -qE "^ +Équipe production-nuit \.+ *[0-9]+$" "$T/demo-toc.txt" ||
	{ cat "$T/demo-toc.txt"; fail "the demo's contents changed their team labels"; }
expect_no_grep "Service" "$T/demo-toc.txt"
qpdf --json=2 --json-key=outlines "$T/demo.pdf" | $PY -c '
import json, sys
o = json.load(sys.stdin)["outlines"]
c = [x for x in o if x["title"] == "Entreprise valdis"][0]
s = [x for x in c["kids"] if x["title"] == "Site nancy"][0]
assert any(k["title"] == "Équipe production-nuit" for k in s["kids"]), s
' || fail "the demo's bookmarks are not nested company -> site -> team"
exit 0
