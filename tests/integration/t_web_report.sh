#!/usr/bin/env bash
# The works council report from the console (vigie-web(8), SPEC 15): the
# form at /report, in the navigation, with its labels and the last 12
# periods with data; its download, a POST with the CSRF token, is the very
# file of `vigie report` for the same span, unit and format (HTML and JSON
# byte for byte, the PDF's text), with its type, its name and no-store; a
# social worker scoped to one site gets that site's report and nothing
# outside it (404, as other pages out of scope: no other site, not the
# company); a form without its token is refused (403) and exports nothing;
# a span outside the data, a hidden team and a team without data answer
# 400 with the reason in the console's words and the form again; every download is in the audit
# log under the web user's name before the file leaves.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1
command -v curl >/dev/null || { echo "curl missing"; exit 77; }
command -v pdftotext >/dev/null || { echo "poppler-utils (pdftotext) missing"; exit 77; }

PORT=$(free_port)
NNB=$'\xe2\x80\xaf'	# U+202F, before a colon
NBSP=$'\xc2\xa0'	# between a month and its year
make_config "smtp:
  url: smtp://127.0.0.1:9
  from: vigie@example.org
  timeout: 1s
recipients:
  social-worker:
    - scope: [\"acme/lyon\", \"acme/lyon/**\"]
      email: [as@example.org]
  hr:
    - email: [drh@example.org]
web:
  listen: 127.0.0.1:$PORT"
web_conflicts_rule	# warning 2, critical 5, clear 1, HR
# Two sites of two teams, 18 months; acme/paris/d has 3 people in March 2026.
{
	echo "unit,period,headcount,workable_days,absence_days,departures,resignations,hours_worked,overtime_hours,work_accidents,accident_days_lost,conflicts"
	i=0
	for y in 2025 2026; do for m in 01 02 03 04 05 06 07 08 09 10 11 12; do
		[ $y$m -gt 202606 ] && break
		i=$((i + 1))
		for t in lyon/a:30 lyon/b:22 paris/c:26 paris/d:12; do
			u=${t%%:*} h=${t##*:}
			[ "$u$y$m" = paris/d202603 ] && h=3
			echo "acme/$u,$y-$m,$h,$((h * 21)),$((h + i % 7)),$((i % 3)),$((i % 2)),$((h * 150)),$((h * 3 + i)),$((i % 4 == 0)),$((i % 5)),$(( (i * 7 + h) % 4 ))"
		done
	done; done
} >"$T/data.csv"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/data.csv"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
audit_web() { sqlite3 "$T/vigie.db" "SELECT count(*) FROM audit WHERE via = 'web' AND action = 'export'"; }
web_user rh hr
web_user as social-worker	# its role's scopes: acme/lyon and below
web_start
J=$T/jar
expect_eq "$(login "$J" rh)" 303 "rh logs in"

# ---- the form: in the navigation, labelled, the last 12 months by default
expect_eq "$(req "$J" GET /report)" 200 "the form"
expect_grep '<li><a href="/report" aria-current="page">Rapport au CSE</a></li>' "$T/b"
NNBSP=$'\u202f'
# What it leaves out, said before it is downloaded: the social service's
# own alerts, kept to the roles bound by secrecy.
expect_grep "Les alertes des règles réservées aux rôles tenus au secret (le service social${NNBSP}: secret professionnel et médical) n'y sont pas comptées, ni leur suivi${NNBSP}: la page Règles compte leur suivi." "$T/b"
expect_grep '<h1>Rapport au CSE</h1>' "$T/b"
expect_grep '<form class="report" method="post" action="/report">' "$T/b"
expect_grep '<p><label for="from">Première période</label>' "$T/b"
expect_grep '<p><label for="to">Dernière période</label>' "$T/b"
expect_grep '<p><label for="unit">Unité</label>' "$T/b"
expect_grep '<p><label for="format">Format</label>' "$T/b"
expect_grep "<option value=\"2025-07\" selected>juillet${NBSP}2025</option>" "$T/b"
expect_grep "<option value=\"2026-06\" selected>juin${NBSP}2026</option>" "$T/b"
expect_grep "<option value=\"\" selected>Toute l'entreprise</option>" "$T/b"
expect_grep '<option value="acme&#x2F;paris">acme/paris</option>' "$T/b"
expect_grep '<option value="pdf" selected>PDF, à imprimer</option>' "$T/b"
expect_grep '<button type="submit">Télécharger le rapport</button>' "$T/b"
# every other page leads there
expect_eq "$(req "$J" GET /units)" 200 "the units page"
expect_grep '<li><a href="/report">Rapport au CSE</a></li>' "$T/b"

# ---- each format: vigie report's bytes, with the file's type and name
tok=$(csrf "$J" /report)
SPAN="from=2025-07&to=2026-06"
cli() { "$VIGIE" -c "$T/vigie.yaml" report --from 2025-07 --to 2026-06 "$@"; }
header() { tr -d '\r' <"$T/h" | sed -n "s/^$1: //p"; }
n0=$(audit_web)
expect_eq "$(req "$J" POST /report --data "csrf=$tok&$SPAN&unit=&format=html")" 200 "the HTML report"
expect_eq "$(header Content-Type)" "text/html; charset=utf-8" "the HTML's type"
expect_eq "$(header Content-Disposition)" 'attachment; filename="rapport-cse-2025-07-2026-06.html"' "the HTML's name"
expect_eq "$(header Cache-Control)" "no-store" "the report is not cached"
expect_exit 0 cli -o "$T/cli.html"
cmp "$T/cli.html" "$T/b" || fail "the console's HTML report differs from vigie report's"
expect_eq "$(audit_web)" $((n0 + 1)) "the HTML download's audit entry"

expect_eq "$(req "$J" POST /report --data "csrf=$tok&$SPAN&unit=&format=json")" 200 "the JSON report"
expect_eq "$(header Content-Type)" "application/json" "the JSON's type"
expect_eq "$(header Content-Disposition)" 'attachment; filename="rapport-cse-2025-07-2026-06.json"' "the JSON's name"
expect_exit 0 cli --format json -o "$T/cli.json"
# the same but for the second it was made at (and its follow-up counted to)
gen='s/^( *"(generated_at|to)": *)"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z"/\1"-"/'
grep -q '"generated_at": *"20' "$T/b" || fail "the JSON report has no generated_at"
cmp <(sed -E "$gen" "$T/cli.json") <(sed -E "$gen" "$T/b") ||
	fail "the console's JSON report differs from vigie report's"

expect_eq "$(req "$J" POST /report --data "csrf=$tok&$SPAN&unit=acme/paris&format=pdf")" 200 "the PDF report of a site"
expect_eq "$(header Content-Type)" "application/pdf" "the PDF's type"
expect_eq "$(header Content-Disposition)" 'attachment; filename="rapport-cse-acme-paris-2025-07-2026-06.pdf"' "the PDF's name, the site's"
expect_eq "$(head -c 5 "$T/b")" "%PDF-" "a PDF"
cp "$T/b" "$T/web.pdf"
expect_exit 0 cli --unit acme/paris --format pdf -o "$T/cli.pdf"
pdftotext -layout "$T/web.pdf" "$T/web.txt" && pdftotext -layout "$T/cli.pdf" "$T/cli.txt" ||
	fail "pdftotext"
grep -q "Site acme/paris" "$T/web.txt" || fail "the site's PDF has no page of the site"
cmp "$T/cli.txt" "$T/web.txt" || fail "the console's PDF report differs from vigie report's"
# the format by default is PDF
expect_eq "$(req "$J" POST /report --data "csrf=$tok&$SPAN&unit=acme/lyon")" 200 "no format"
expect_eq "$(header Content-Type)" "application/pdf" "PDF by default"

# ---- the audit log: who downloaded what, under the web user's name
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" audit
expect_grep "rh     web  export    report 2025-07..2026-06  pdf, unit acme/paris, to the console" "$T/out"
expect_eq "$(sqlite3 "$T/vigie.db" "SELECT group_concat(actor || ' ' || detail, '; ') FROM audit WHERE via = 'web' AND action = 'export'")" \
	"rh html, every unit, to the console; rh json, every unit, to the console; rh pdf, unit acme/paris, to the console; rh pdf, unit acme/lyon, to the console" \
	"the console's exports"

# ---- no token, a wrong one, another site's form: nothing exported
n0=$(audit_web)
expect_eq "$(req "$J" POST /report --data "$SPAN&unit=&format=html")" 403 "no CSRF token"
expect_grep "Le formulaire a expiré ou ne vient pas de Vigie${NNB}: rechargez la page et recommencez." "$T/b"
expect_no_grep "attachment" "$T/h"
expect_eq "$(req "$J" POST /report --data "csrf=nope&$SPAN&unit=&format=html")" 403 "a wrong CSRF token"
expect_eq "$(req "$J" POST /report -H 'Sec-Fetch-Site: cross-site' --data "csrf=$tok&$SPAN&unit=&format=html")" 403 "another site's form"
expect_eq "$(audit_web)" "$n0" "a refused form exports nothing"
# GET changes nothing: the form, never a file
expect_eq "$(req "$J" GET "/report?$SPAN&unit=&format=html&csrf=$tok")" 200 "a GET with the fields"
expect_grep '<form class="report"' "$T/b"
expect_eq "$(audit_web)" "$n0" "a GET exports nothing"

# ---- refusals in the console's words, the form kept
expect_eq "$(req "$J" POST /report --data "csrf=$tok&from=2024-07&to=2025-06&unit=&format=html")" 400 "a span outside the data"
expect_grep "<title>Erreur${NNB}: Rapport au CSE — Vigie</title>" "$T/b"
expect_grep "<p class=\"message error\" id=\"report-error\" role=\"alert\">La base contient des données de janvier${NBSP}2025 à juin${NBSP}2026${NNB}: la période du rapport doit s&#39;y trouver.</p>" "$T/b"
expect_grep '<select id="from" name="from" aria-invalid="true" aria-describedby="report-error">' "$T/b"
expect_grep '<button type="submit">Télécharger le rapport</button>' "$T/b"
expect_eq "$(req "$J" POST /report --data "csrf=$tok&from=2026-06&to=2026-01&unit=&format=html")" 400 "a span backwards"
expect_grep "La période se termine (janvier${NBSP}2026) avant de commencer (juin${NBSP}2026)." "$T/b"
# a team hidden in March 2026 (SPEC 3): vigie report's exit 65, here 400
expect_exit 65 cli --unit acme/paris/d
expect_grep "no report for acme/paris/d: it is hidden in 2026-03, the span's first period where it is" "$T/err"
expect_eq "$(req "$J" POST /report --data "csrf=$tok&$SPAN&unit=acme/paris/d&format=json")" 400 "a hidden team"
expect_grep "<p class=\"message error\" id=\"report-error\" role=\"alert\">Pas de rapport pour l&#39;unité acme/paris/d${NNB}: elle est masquée en mars${NBSP}2026, la première période du rapport où elle l&#39;est (un effectif inconnu ou sous le seuil de 5, des chiffres retenus avec ceux d&#39;une équipe plus petite, ou un chiffre qui est surtout celui d&#39;une personne${NNB}; lequel n&#39;est pas dit, car cela dirait la taille d&#39;une équipe), et une unité masquée à une période du rapport ne figure dans aucun rapport${NNB}: un rapport qui ne couvre pas mars${NBSP}2026 peut la montrer.</p>" "$T/b"
# the form as it was posted
expect_grep '<select id="unit" name="unit" aria-invalid="true" aria-describedby="report-error">' "$T/b"
expect_grep '<option value="acme&#x2F;paris&#x2F;d" selected>acme/paris/d</option>' "$T/b"
expect_grep '<option value="json" selected>JSON, pour les scripts</option>' "$T/b"
expect_grep "<option value=\"2025-07\" selected>juillet${NBSP}2025</option>" "$T/b"
# without March 2026 it has its report
expect_eq "$(req "$J" POST /report --data "csrf=$tok&from=2025-07&to=2026-02&unit=acme/paris/d&format=json")" 200 "the team before March"
expect_eq "$(audit_web)" $((n0 + 1)) "only the report made is exported"
expect_eq "$(req "$J" POST /report --data "csrf=$tok&$SPAN&unit=acme/nowhere&format=html")" 404 "a unit that does not exist"

# ---- a social worker of one site: its report, nothing outside it
J2=$T/jar2
expect_eq "$(login "$J2" as)" 303 "as logs in"
expect_eq "$(req "$J2" GET /report)" 200 "the social worker's form"
expect_grep '<option value="acme&#x2F;lyon" selected>acme/lyon</option>' "$T/b"
expect_no_grep 'entreprise</option>' "$T/b"
expect_no_grep 'acme&#x2F;paris' "$T/b"
tok2=$(csrf "$J2" /report)
n0=$(audit_web)
expect_eq "$(req "$J2" POST /report --data "csrf=$tok2&$SPAN&unit=acme/lyon&format=json")" 200 "the site's report"
expect_exit 0 cli --unit acme/lyon --format json -o "$T/lyon.json"
cmp <(sed -E "$gen" "$T/lyon.json") <(sed -E "$gen" "$T/b") ||
	fail "the console's report of acme/lyon differs from vigie report's"
expect_eq "$(req "$J2" POST /report --data "csrf=$tok2&$SPAN&unit=acme/lyon/a&format=html")" 200 "a team of the site"
for u in acme/paris acme/paris/c acme/paris/d acme ""; do
	expect_eq "$(req "$J2" POST /report --data "csrf=$tok2&$SPAN&unit=$u&format=html")" 404 "'$u' out of scope"
	expect_grep "Cette page n&#39;existe pas, ou elle ne fait pas partie de votre périmètre." "$T/b"
done
expect_eq "$(req "$J2" POST /report --data "csrf=$tok2&$SPAN&format=html")" 404 "no unit: the company's report"
expect_eq "$(audit_web)" $((n0 + 2)) "the social worker's two reports"
expect_eq "$(sqlite3 "$T/vigie.db" "SELECT actor || ' ' || detail FROM audit WHERE via = 'web' AND action = 'export' ORDER BY id DESC LIMIT 1")" \
	"as html, unit acme/lyon/a, to the console" "exported as the social worker"

# ---- a team left out only for want of data is told so, as the report on
# its site names it: no anonymity floor to blame, nothing to hide
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" delete --period 2026-04 --unit acme/lyon/b
expect_exit 65 cli --unit acme/lyon/b
expect_grep "no report for acme/lyon/b: it has no data for 2026-04, the span's first period without any (vigie import its file)" "$T/err"
expect_no_grep "hidden" "$T/err"
expect_exit 0 cli --unit acme/lyon --format html -o "$T/lyon.html"
expect_grep "acme/lyon/b (pas de données pour avril" "$T/lyon.html"
expect_eq "$(req "$J2" POST /report --data "csrf=$tok2&$SPAN&unit=acme/lyon/b&format=html")" 400 "a team without data in April"
expect_grep "<p class=\"message error\" id=\"report-error\" role=\"alert\">Pas de rapport pour l&#39;unité acme/lyon/b${NNB}: elle n&#39;a pas de données pour avril${NBSP}2026, la première période du rapport sans données (importez son fichier), et une unité sans données à une période du rapport ne figure dans aucun rapport.</p>" "$T/b"
web_stop
