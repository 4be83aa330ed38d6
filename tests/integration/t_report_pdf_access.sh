#!/usr/bin/env bash
# The PDF report says what cairo leaves out for a reader who listens to it:
# its language, so that a screen reader reads it with the right voice (the
# catalog qpdf reads, its last revision as every reader does, has /Lang
# fr-FR, or en with locale: en), and each chart's text alternative (every
# Figure of the structure tree, in reading order, has for /Alt the
# aria-label of the same chart in the HTML report). The file passes qpdf
# --check, and poppler reads it as before (tagged, its text) without a
# warning. Vigie adds both as an incremental update
# (daemon/report/pdf_access.c).
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1
command -v qpdf >/dev/null || { echo "qpdf missing"; exit 77; }
command -v pdfinfo >/dev/null || { echo "pdfinfo missing"; exit 77; }

mkdir -p "$T/rules.d"
cat >"$T/rules.d/r.yaml" <<'YAML'
rules:
  - id: conflicts-high
    title: "Conflits"
    value: conflicts
    above: { critical: 1000 }
    labels: { theme: climat }
YAML
{
	echo "unit,period,headcount,workable_days,absence_days,conflicts"
	for m in 01 02 03 04 05 06; do
		echo "acme/a/x,2026-$m,12,240,9,1"
		echo "acme/a/y,2026-$m,9,180,4,0"
	done
} >"$T/data.csv"
make_config
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/data.csv"

lang() {	# the /Lang of the catalog of PDF $1, as qpdf reads it
	qpdf --json=2 --json-key=qpdf "$1" | $PY -c '
import json, sys
d = json.load(sys.stdin)["qpdf"][1]
root = d["trailer"]["value"]["/Root"]
print(d["obj:" + root]["value"].get("/Lang", "none"))'
}

viewer() {	# the /ViewerPreferences of the catalog of PDF $1, as qpdf reads it
	qpdf --json=2 --json-key=qpdf "$1" | $PY -c '
import json, sys
d = json.load(sys.stdin)["qpdf"][1]
root = d["trailer"]["value"]["/Root"]
print(d["obj:" + root]["value"].get("/ViewerPreferences", "none"))'
}

alts() {	# PDF $1's figures' /Alt in reading order against HTML $2's charts
	qpdf --json=2 --json-key=qpdf "$1" >"$T/q.json"
	$PY - "$T/q.json" "$2" <<'PY'
import html, json, re, sys
d = json.load(open(sys.argv[1]))["qpdf"][1]
obj = lambda ref: d["obj:" + ref]["value"]
got = []
def walk(k):
    for x in (k if isinstance(k, list) else [k]):
        if isinstance(x, str) and x.endswith(" R"):
            e = obj(x)
            if isinstance(e, dict) and e.get("/Type") == "/StructElem":
                if e.get("/S") == "/Figure":
                    got.append(e.get("/Alt", "none"))
                walk(e.get("/K", []))
root = obj(d["trailer"]["value"]["/Root"])
walk(obj(root["/StructTreeRoot"])["/K"])
want = ["u:" + html.unescape(a) for a in
        re.findall(r'role="img" aria-label="([^"]*)"', open(sys.argv[2], encoding="utf-8").read())]
assert got and got == want, (len(got), len(want), got[:2], want[:2])
PY
}

for loc in fr en; do
	[ $loc = en ] && printf 'locale: en\n' >>"$T/vigie.yaml"
	expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" report --from 2026-01 --to 2026-06 --format pdf -o "$T/$loc.pdf"
	expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" report --from 2026-01 --to 2026-06 -o "$T/$loc.html"
	alts "$T/$loc.pdf" "$T/$loc.html" || fail "the charts' text alternatives ($loc)"
	want=$([ $loc = en ] && echo u:en || echo u:fr-FR)
	expect_eq "$(lang "$T/$loc.pdf")" "$want" "the catalog's language ($loc)"
	expect_eq "$(viewer "$T/$loc.pdf")" "{'/DisplayDocTitle': True}" \
		"a viewer shows the title, not the file's name ($loc)"
	qpdf --check "$T/$loc.pdf" >"$T/check" 2>&1 || { cat "$T/check"; fail "qpdf --check ($loc)"; }
	pdfinfo "$T/$loc.pdf" >"$T/info" 2>"$T/err" || { cat "$T/err"; fail "pdfinfo ($loc)"; }
	[ ! -s "$T/err" ] || { cat "$T/err"; fail "poppler warns on the updated file ($loc)"; }
	grep -q "^Tagged: *yes" "$T/info" || fail "not tagged any more ($loc)"
	pdftotext "$T/$loc.pdf" - 2>"$T/err" | grep -q "acme/a" || fail "pdftotext ($loc)"
	[ ! -s "$T/err" ] || { cat "$T/err"; fail "pdftotext warns ($loc)"; }
done
