#!/usr/bin/env bash
# One works council report renders at a time in the console (vigie-web(8)):
# while a company's PDF is being made, another report asked answers at once
# 503 with Retry-After: 60, the form kept and the reason in words, and
# exports nothing; the console's pages still answer meanwhile; the first
# report arrives whole, and once it has, the next one is made.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1
command -v curl >/dev/null || { echo "curl missing"; exit 77; }

PORT=$(free_port)
NNB=$'\xe2\x80\xaf'	# U+202F, before a colon
make_config "recipients:
  hr:
    - scope: \"**\"
web:
  listen: 127.0.0.1:$PORT"
web_conflicts_rule	# warning 2, critical 5, clear 1, HR
# A company of 6 sites of 25 teams, 24 months: its PDF takes a few seconds.
awk 'BEGIN {
	print "unit,period,headcount,workable_days,absence_days,departures,resignations,hours_worked,overtime_hours,work_accidents,accident_days_lost,conflicts"
	for (y = 2025; y <= 2026; y++) for (m = 1; m <= 12; m++) {
		i++
		for (s = 1; s <= 6; s++) for (t = 1; t <= 25; t++) {
			h = 10 + (s * 7 + t * 3) % 30
			printf "acme/s%d/t%d,%d-%02d,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d\n", s, t, y, m, h, h * 21,
			    h + (i + t) % 7, (i + t) % 3 == 0, (i + s) % 5 == 0, h * 150, h * 3 + i % 4,
			    (i + t) % 9 == 0, (i + t) % 9 == 0 ? 12 : 0, (i * 7 + t) % 4
		}
	}
}' >"$T/data.csv"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/data.csv"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
exports() { sqlite3 "$T/vigie.db" "SELECT count(*) FROM audit WHERE via = 'web' AND action = 'export'"; }
web_user rh hr
web_start
J=$T/jar
expect_eq "$(login "$J" rh)" 303 "rh logs in"
tok=$(csrf "$J" /report)
SPAN="from=2025-01&to=2026-12"

# The company's PDF, in the background.
n0=$(exports)
busy='' made=0 pdfs=0
for attempt in 1 2 3 4 5; do
	curl -s -b "$J" -o "$T/a.pdf" -w '%{http_code}' --data "csrf=$tok&$SPAN&unit=&format=pdf" \
		"$BASE/report" >"$T/a.code" &
	A=$!
	# Another report, asked until the first holds the renderer (a site's
	# HTML: answered at once when the renderer is free).
	for _ in $(seq 1 400); do
		code=$(req "$J" POST /report --data "csrf=$tok&$SPAN&unit=acme/s1&format=html")
		[ "$code" = 503 ] && { busy=1; break; }
		[ "$code" = 200 ] || fail "another report while the first renders: $code"
		made=$((made + 1))
		kill -0 "$A" 2>/dev/null || break
	done
	[ -n "$busy" ] && break
	# A site's report reached the renderer first and the PDF was the one
	# refused (exporting nothing), or the PDF was made between two of
	# them: ask again for the case the rest of this test reads.
	wait "$A"
	[ "$(cat "$T/a.code")" = 200 ] && pdfs=$((pdfs + 1))
done
[ -n "$busy" ] || fail "no 503 while the company's PDF was being made (PDF: $(cat "$T/a.code"), attempt $attempt)"
expect_eq "$(tr -d '\r' <"$T/h" | sed -n 's/^Retry-After: //p')" 60 "Retry-After"
expect_no_grep "attachment" "$T/h"
expect_grep "<title>Erreur${NNB}: Rapport au CSE — Vigie</title>" "$T/b"
expect_grep "<p class=\"message error\" id=\"report-error\" role=\"alert\">Un autre rapport est en préparation${NNB}: réessayez dans une minute.</p>" "$T/b"
expect_grep '<option value="acme&#x2F;s1" selected>acme/s1</option>' "$T/b"
expect_grep '<option value="html" selected>HTML, une page web</option>' "$T/b"
# the console still answers its pages
expect_eq "$(req "$J" GET /units)" 200 "a page while the report renders"

wait "$A"
expect_eq "$(cat "$T/a.code")" 200 "the company's PDF"
expect_eq "$(head -c 5 "$T/a.pdf")" "%PDF-" "a PDF"
tail -c 7 "$T/a.pdf" | grep -q '%%EOF' || fail "the company's PDF is cut short"
# the refused one exported nothing: the reports made, and the PDF
expect_eq "$(exports)" $((n0 + made + pdfs + 1)) "the PDF's export, none for the refused report"
expect_eq "$(req "$J" POST /report --data "csrf=$tok&$SPAN&unit=acme/s1&format=html")" 200 "the next report"
expect_eq "$(exports)" $((n0 + made + pdfs + 2)) "the next report's export"
web_stop
