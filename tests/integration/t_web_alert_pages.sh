#!/usr/bin/env bash
# The alerts list in pages of 25 units (SPEC 14): 31 units with an alert
# make two pages; each page names itself in its title (WCAG 2.4.2: the
# browser's tabs and history tell them apart) and its summary, links to the
# other, and every unit is on exactly one page; a page number past the
# last shows the last.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1
command -v curl >/dev/null || { echo "curl missing"; exit 77; }

mkdir -p "$T/rules.d"
cat >"$T/rules.d/a.yaml" <<'YAML'
rules:
  - id: staffed
    title: Effectif présent
    value: headcount
    above: { warning: 1 }
    notify: [hr]
YAML
{
	echo "unit,period,indicator,value"
	for i in $(seq -w 1 30); do echo "acme/t$i,2026-01,headcount,10"; done
} >"$T/d.csv"
PORT=$(free_port)
BASE="http://127.0.0.1:$PORT"
web_demo_config "$T/vigie.yaml"
printf 'web:\n  listen: 127.0.0.1:%s\n' "$PORT" >>"$T/vigie.yaml"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/d.csv"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
web_user rh hr
web_start
J=$T/jar
expect_eq "$(login "$J" rh)" 303 "rh logs in"

units() { grep -o '<h2 id="u[0-9]*"><a href="/units/[^"]*"' "$T/b" | sed 's/.*href="\/units\///; s/"$//'; }

expect_eq "$(req "$J" GET /)" 200 "page 1"
expect_grep "<title>Mes alertes — page 1 sur 2 — Vigie</title>" "$T/b"
expect_grep "31 alertes actives dans 31 unités, aucune critique. Page 1 sur 2." "$T/b"
expect_grep '<a rel="next" href="/?page=2">' "$T/b"
expect_no_grep 'rel="prev"' "$T/b"
units >"$T/p1"
expect_eq "$(wc -l <"$T/p1")" 25 "units on page 1"

expect_eq "$(req "$J" GET '/?page=2')" 200 "page 2"
expect_grep "<title>Mes alertes — page 2 sur 2 — Vigie</title>" "$T/b"
expect_grep '<a rel="prev" href="/?page=1">' "$T/b"
expect_no_grep 'rel="next"' "$T/b"
units >"$T/p2"
expect_eq "$(cat "$T/p1" "$T/p2" | sort -u | wc -l)" 31 "each unit once"
expect_eq "$(cat "$T/p1" "$T/p2" | wc -l)" 31 "no unit twice"

expect_eq "$(req "$J" GET '/?page=9')" 200 "past the last page"
expect_grep "<title>Mes alertes — page 2 sur 2 — Vigie</title>" "$T/b"
units >"$T/p9"
cmp -s "$T/p2" "$T/p9" || fail "page 9 is not the last page"

# One page: the title says nothing of pages; filtered, it says so, and the
# page leads back to the whole list.
expect_eq "$(req "$J" GET '/?severity=critical')" 200 "filtered"
expect_grep "<title>Mes alertes (filtrées) — Vigie</title>" "$T/b"
expect_grep "<p class=\"hint\">Liste filtrée (gravité critique)"$'\u202f'"; voir <a href=\"/\">toutes vos alertes</a></p>" "$T/b"
exit 0
