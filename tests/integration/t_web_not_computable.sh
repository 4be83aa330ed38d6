#!/usr/bin/env bash
# A rule that reads a hidden month cannot judge the team while that month
# is in its window (SPEC 3), and a month where one person makes most of
# the team's absence days is hidden (dominance: absence_days_max, README
# "The most absent employee"). Its silence says nothing, and every channel
# a reader looks at says so instead of « Pas d'alerte active »: the unit's
# page under the rule (« Non calculable », why in plain words and until
# when it can judge again at the earliest), its explanation of « masquée »,
# « Mes alertes » (how many units, which rules) and `vigie status` (a line,
# and the JSON; not a problem for --check); in English too.
# co/s/a (10 people): one person's 19 of 20 absence days in May. co/s/b
# (12): retained with it in May, so that co/s minus the others does not
# give a's figure. co/t/d (3): under the floor, and co/t/e beside it,
# every month. co/s/c is judged.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1
command -v curl >/dev/null || { echo "curl missing"; exit 77; }
PORT=$(free_port)
web_hr_config "min_headcount: 5"
cat >"$T/rules.d/r.yaml" <<'YAML'
rules:
  - id: absences-3m
    title: "Absences sur trois mois"
    value: sum(absence_days, 3)
    above: { warning: 1000 }
    scope: "co/*/*"
    notify: [hr]
YAML
{
	echo "unit,period,headcount,absence_days,absence_days_max"
	for m in 01 02 03 04 05 06; do
		if [ $m = 05 ]; then echo "co/s/a,2026-$m,10,20,19"; else echo "co/s/a,2026-$m,10,8,2"; fi
		echo "co/s/b,2026-$m,12,30,5"
		echo "co/s/c,2026-$m,20,40,6"
		echo "co/t/d,2026-$m,3,4,2"
		echo "co/t/e,2026-$m,30,50,7"
	done
} >"$T/abs.csv"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/abs.csv"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once

# vigie status: a line under the alerts; its JSON; --check calls it no problem.
HID="hidden:       1 rule cannot judge 4 of the 5 units the rules apply to (absences-3m 4 of 5): a month it reads is hidden (under the floor, beside a smaller team, or one person's)"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" status
expect_eq "$(sed -n '/^alerts:/{n;p}' "$T/out")" "$HID" "status, under the alerts"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" status --check
expect_grep "$HID" "$T/out"
expect_no_grep "problem:" "$T/out"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" status --format json
expect_eq "$($PY -c 'import json,sys; h = json.load(open(sys.argv[1]))["hidden"]; print(h["units"], h["hidden_units"], " ".join("%s=%d/%d" % (x["rule"], x["units"], x["of"]) for x in h["rules"]))' "$T/out")" \
	"5 4 absences-3m=4/5" "status JSON"

# state FILE TITLE: the state line under the rule of that title.
state() {
	$PY - "$1" "$2" <<'PY'
import html, re, sys
page = open(sys.argv[1], encoding="utf-8").read()
for a in re.findall(r'<article class="signal".*?</article>', page, re.S):
    if html.unescape(re.sub(r"<[^>]*>", "", re.search(r"<h3.*?</h3>", a, re.S).group(0))) == sys.argv[2]:
        print(html.unescape(re.sub(r"<[^>]*>", "", re.search(r'<p class="state">(.*?)</p>', a, re.S).group(1))))
PY
}
# text FILE: the page's paragraphs, tags gone, one a line.
text() {
	$PY - "$1" <<'PY'
import html, re, sys
page = open(sys.argv[1], encoding="utf-8").read()
for p in re.findall(r"<p[ >].*?</p>", page, re.S):
    print(html.unescape(re.sub(r"<[^>]*>", "", p)).replace("\n", " "))
PY
}
NB=$'\u202f' NBSP=$'\u00a0'
R="Absences sur trois mois"

web_user rh hr
web_start
expect_eq "$(login "$T/jar" rh)" 303 "rh logs in"
expect_eq "$(req "$T/jar" GET /units/co/s/a)" 200 "the team with one person's month"
expect_eq "$(state "$T/b" "$R")" "Non calculable$NB: un des 3 mois qu'elle lit est masqué (trop peu de personnes, une équipe voisine trop petite, ou une seule personne qui fait l'essentiel du chiffre, comme un long arrêt). Elle le sera au plus tôt en août${NBSP}2026, quand ce mois sortira de ce qu'elle lit, si aucun autre ne l'est d'ici là." "co/s/a"
expect_no_grep "Pas d'alerte active" "$T/b"
text "$T/b" >"$T/page"
expect_grep "Une période sans valeur est masquée (un mois que la règle y lit l'est$NB: trop peu de personnes, une équipe voisine trop petite, ou une seule personne qui fait l'essentiel du chiffre, comme un long arrêt)" "$T/page"
expect_eq "$(req "$T/jar" GET /units/co/s/b)" 200 "the team retained with it"
expect_eq "$(state "$T/b" "$R")" "Non calculable$NB: un des 3 mois qu'elle lit est masqué (trop peu de personnes, une équipe voisine trop petite, ou une seule personne qui fait l'essentiel du chiffre, comme un long arrêt). Elle le sera au plus tôt en août${NBSP}2026, quand ce mois sortira de ce qu'elle lit, si aucun autre ne l'est d'ici là." "co/s/b"
# Under the floor, or beside such a team: which is not said (it would
# tell d's size), nor when.
for u in co/t/d co/t/e; do
	expect_eq "$(req "$T/jar" GET /units/$u)" 200 "$u"
	expect_eq "$(state "$T/b" "$R")" "Non calculable$NB: les chiffres de l'équipe sont masqués (trop peu de personnes, ou une équipe voisine trop petite), et la règle ne peut pas s'y prononcer tant qu'ils le sont." "$u"
done
expect_eq "$(req "$T/jar" GET /units/co/s/c)" 200 "the team judged"
expect_eq "$(state "$T/b" "$R")" "Pas d'alerte active." "co/s/c"
expect_eq "$(req "$T/jar" GET /)" 200 "Mes alertes"
text "$T/b" >"$T/page"
expect_grep "1 règle ne peut pas se prononcer sur 4 de vos 5 unités, car un mois qu'elle lit y est masqué (trop peu de personnes, une équipe voisine trop petite, ou une seule personne qui fait l'essentiel du chiffre, comme un long arrêt)$NB: «${NB}Absences sur trois mois${NB}» sur 4${NBSP}unités. L'absence d'alerte n'y veut pas dire l'absence de signal$NB; la page de chaque unité dit pourquoi et jusqu'à quand." "$T/page"
web_stop

# In English.
sed -i 's/^database:/locale: en\ndatabase:/' "$T/vigie.yaml"
web_start
expect_eq "$(login "$T/jar.en" rh)" 303 "rh logs in (en)"
expect_eq "$(req "$T/jar.en" GET /units/co/s/a)" 200 "co/s/a (en)"
expect_eq "$(state "$T/b" "$R")" "Not computable: one of the 3 months it reads is hidden (too few people, a neighbouring team too small, or one person making most of the figure, such as a long leave). It will be by August${NBSP}2026 at the earliest, when that month leaves what it reads, if no later one is hidden." "co/s/a (en)"
expect_eq "$(req "$T/jar.en" GET /)" 200 "My alerts"
text "$T/b" >"$T/page"
expect_grep "1 rule cannot judge 4 of your 5 units, as a month it reads there is hidden (too few people, a neighbouring team too small, or one person making most of the figure, such as a long leave): “Absences sur trois mois” on 4 units. No alert there does not mean no signal; each unit's page says why and until when." "$T/page"
web_stop

# Once May has left the window (and no month since is hidden), a's rule
# judges again, and nothing of it is said.
{
	echo "unit,period,headcount,absence_days,absence_days_max"
	for m in 07 08; do
		for u in s/a:10:8:2 s/b:12:30:5 s/c:20:40:6 t/d:3:4:2 t/e:30:50:7; do
			IFS=: read -r n h v x <<<"$u"
			echo "co/$n,2026-$m,$h,$v,$x"
		done
	done
} >"$T/later.csv"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/later.csv"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" status
expect_eq "$(sed -n '/^alerts:/{n;p}' "$T/out")" "hidden:       1 rule cannot judge 2 of the 5 units the rules apply to (absences-3m 2 of 5): a month it reads is hidden (under the floor, beside a smaller team, or one person's)" "status in August"
web_start
expect_eq "$(req "$T/jar.en" GET /units/co/s/a)" 200 "co/s/a in August"
expect_eq "$(state "$T/b" "$R")" "No active alert." "co/s/a in August"
web_stop
