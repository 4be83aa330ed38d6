#!/usr/bin/env bash
# A deployment with little history (README "Following alerts"; vigie(1)
# status; vigie-web(8)): the shipped rules read up to 32 months of data,
# and until a unit has them they are undefined there and fire nothing.
# With 2 months of the demo, every channel a reader looks at says so, not
# only the works council report: the daemon's cycle line, `vigie status`
# (text and JSON, each rule by the period it can judge at the latest),
# « Mes alertes » (the rules of the reader's role, over their units) and a
# unit's page, under each such rule, instead of « Pas d'alerte active »;
# in English too. With the whole demo imported, all of it is gone.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1
command -v curl >/dev/null || { echo "curl missing"; exit 77; }

mkdir -p "$T/rules.d"
cp "$SRC"/etc/rules.d/*.yaml "$T/rules.d/"
PORT=$(free_port)
web_demo_config "$T/vigie.yaml"
printf 'web:\n  listen: 127.0.0.1:%s\n' "$PORT" >>"$T/vigie.yaml"
awk -F';' 'NR == 1 || $2 == "2023-11" || $2 == "2023-12"' \
	"$SRC"/contrib/demo/valdis-2023-11-2024-10.csv >"$T/two.csv"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/two.csv"

# text FILE: the page's text, tags and its own line breaks gone, one
# paragraph a line.
text() {
	$PY - "$1" <<'PY'
import html, re, sys
page = open(sys.argv[1], encoding="utf-8").read()
for p in re.findall(r"<p[ >].*?</p>", page, re.S):
    print(html.unescape(re.sub(r"<[^>]*>", "", p)).replace("\n", " "))
PY
}
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
NB=$'\u202f' NBSP=$'\u00a0'

# The daemon's cycle line.
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_grep "vigied: 2023-12: 19 units, 14 rules, 0 active (0 critical), 0 pending, 14 of 14 rules cannot judge yet for lack of history (all will by 2026-06 at the latest)" "$T/err"

# vigie status: the line under the alerts, and each rule in JSON.
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" status
expect_eq "$(sed -n '/^alerts:/{n;p}' "$T/out")" "history:      14 of 14 rules cannot judge yet for lack of history (all will by 2026-06 at the latest): no alert does not mean no signal" "status, under the alerts"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" status --format json
expect_eq "$($PY -c 'import json,sys; h = json.load(open(sys.argv[1]))["history"]; print(h["rules"], " ".join(x["rule"] + "=" + x["by"] for x in h["lacking"]))' "$T/out")" \
	"14 absenteeism-level=2024-10 absences-unusual=2026-02 departures-wave=2026-02 accidents-unusual=2026-01 conflicts=2026-04 disciplinary-actions=2026-01 violence=2026-01 harassment=2026-01 overtime-drift=2026-06 burnout=2026-06 overtime-level=2024-01 weak-signals=2026-02 weak-signals-social=2026-02 departures-and-requests=2026-03" \
	"status JSON: the rules that lack history, by when each can judge"

# The console: marie follows Nancy (her role receives 13 of the rules).
web_user marie social-worker --scope valdis/nancy --scope 'valdis/nancy/**'
web_start
M=$T/jar.marie
expect_eq "$(login "$M" marie)" 303 "marie logs in"
expect_eq "$(req "$M" GET /)" 200 "Mes alertes"
text "$T/b" >"$T/page"
# No filter is on: the empty list says none is active, not that none
# « correspond » (which reads as a filter hiding them); a filtered one does.
expect_grep "Aucune alerte active dans votre périmètre." "$T/page"
expect_no_grep "ne correspond" "$T/page"
expect_eq "$(req "$M" GET "/?severity=critical")" 200 "Mes alertes, filtered"
text "$T/b" >"$T/filtered"
expect_grep "Aucune alerte active ne correspond dans votre périmètre." "$T/filtered"
expect_eq "$(req "$M" GET /)" 200 "Mes alertes, again"
expect_eq "$(sed -n '/^Aucune alerte active/{n;p}' "$T/page")" "13 règles sur 13 ne peuvent pas encore se prononcer sur vos unités faute d'historique$NB: l'absence d'alerte ne veut pas dire l'absence de signal. Toutes le pourront au plus tard en juin${NBSP}2026." "Mes alertes, under the empty list"
expect_eq "$(req "$M" GET /units/valdis/nancy/production-nuit)" 200 "a unit's page"
expect_eq "$(state "$T/b" "Conflits et réclamations plus nombreux qu'attendu")" "Pas encore calculable$NB: la règle lit jusqu'à 30 mois d'historique$NB; elle le sera au plus tard en avril${NBSP}2026." "conflicts on the unit's page"
expect_eq "$(state "$T/b" "Heures supplémentaires au-delà du rythme du contingent")" "Pas encore calculable$NB: la règle lit jusqu'à 3 mois d'historique$NB; elle le sera au plus tard en janvier${NBSP}2024." "overtime-level on the unit's page"
expect_no_grep "Pas d'alerte active" "$T/b"
web_stop

# The same in English.
sed -i 's/^database:/locale: en\ndatabase:/' "$T/vigie.yaml"
web_start
E=$T/jar.en
expect_eq "$(login "$E" marie)" 303 "marie logs in (en)"
expect_eq "$(req "$E" GET /)" 200 "My alerts"
text "$T/b" >"$T/page"
expect_eq "$(sed -n '/^No active alert in your scope\./{n;p}' "$T/page")" "13 rules of 13 cannot judge your units yet for lack of history: no alert does not mean no signal. All of them will by June${NBSP}2026 at the latest." "My alerts, under the empty list"
expect_eq "$(req "$E" GET /units/valdis/nancy/production-nuit)" 200 "a unit's page (en)"
expect_eq "$(state "$T/b" "More conflicts and grievances than expected")" "Not computable yet: the rule reads up to 30 months of history; it will be by April${NBSP}2026 at the latest." "conflicts on the unit's page (en)"

# The whole demo: every rule can judge; nothing of it is said any more.
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$SRC"/contrib/demo/valdis-*.csv
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_grep "vigied: 2026-10: 19 units, 14 rules, " "$T/err"
expect_no_grep "history" "$T/err"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" status
expect_no_grep "history:" "$T/out"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" status --format json
expect_eq "$($PY -c 'import json,sys; h = json.load(open(sys.argv[1]))["history"]; print(h["rules"], h["lacking"])' "$T/out")" "14 []" "status JSON, the whole demo"
expect_eq "$(req "$E" GET /)" 200 "My alerts, the whole demo"
expect_no_grep "history" "$T/b"
expect_eq "$(req "$E" GET /units/valdis/nancy/production-nuit)" 200 "the unit's page, the whole demo"
expect_no_grep "Not computable yet" "$T/b"
expect_grep "No active alert." "$T/b"
web_stop

# A site that joins with six months of data beside the demo's three years
# (an acquisition): Metz's last six months as valdis/toul, its planted
# conflicts in restauration included. The rules compute at the old sites
# and not at Toul's units: those are named, in status, the cycle line, HR's
# « Mes alertes » and a social worker's who follows Metz and Toul; one who
# follows Toul alone reads the whole-scope sentence; marie (Nancy) nothing.
awk -F';' 'NR == 1 { print; next } $2 >= "2026-05" && $1 ~ /^"valdis\/metz\// {
	sub(/^"valdis\/metz\//, "\"valdis/toul/"); print }' \
	"$SRC"/contrib/demo/valdis-2025-11-2026-10.csv >"$T/toul.csv"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/toul.csv"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
TOUL="11 rules cannot judge 6 of the 24 units the rules apply to yet for lack of history (valdis/toul and 5 under it; by 2028-12 at the latest)"
expect_grep "vigied: 2026-10: 25 units, 14 rules, 14 active (4 critical), " "$T/err"
expect_grep " pending, $TOUL" "$T/err"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" status
expect_eq "$(sed -n '/^alerts:/{n;p}' "$T/out")" "history:      $TOUL: no alert does not mean no signal" "status names the new site"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" status --format json
expect_eq "$($PY -c 'import json,sys; h = json.load(open(sys.argv[1]))["history"]; print(h["units"], h["applying_units"], h["lacking_units"], " ".join("%s=%d@%s" % (x["rule"], x["units"], x["by"]) for x in h["lacking"] if x["rule"] in ("conflicts", "burnout", "absenteeism-level")))' "$T/out")" \
	"22 24 6 absenteeism-level=6@2027-04 conflicts=5@2028-10 burnout=5@2028-12" \
	"status JSON: each rule's units and date"
# The history and hidden lines count of one total, the units the rules
# apply to (with data), the history's added in JSON beside its units.
expect_eq "$($PY -c 'import json,sys; j = json.load(open(sys.argv[1])); print(j["history"]["applying_units"] == j["hidden"]["units"] if j["hidden"] else "no hidden")' "$T/out")" True "one total for both lines"
sed -i '/^locale: en$/d' "$T/vigie.yaml"
web_user rh hr
web_user mt social-worker --scope valdis/metz --scope 'valdis/metz/**' --scope valdis/toul --scope 'valdis/toul/**'
web_user st social-worker --scope valdis/toul --scope 'valdis/toul/**'
web_start
for u in rh mt st marie; do expect_eq "$(login "$T/jar.$u" $u)" 303 "$u logs in"; done
expect_eq "$(req "$T/jar.rh" GET /)" 200 "HR's Mes alertes"
text "$T/b" >"$T/page"
expect_eq "$(grep "faute d'historique" "$T/page")" "8 règles ne peuvent pas encore se prononcer sur 6 de vos 22 unités (valdis/toul et 5 en dessous) faute d'historique$NB: l'absence d'alerte n'y veut pas dire l'absence de signal. Toutes le pourront au plus tard en décembre${NBSP}2028." "HR is told of Toul"
expect_grep '(<a href="/units/valdis/toul">valdis/toul</a> et 5 en dessous)' "$T/b"
expect_eq "$(req "$T/jar.mt" GET /)" 200 "Metz and Toul's Mes alertes"
text "$T/b" >"$T/page"
expect_eq "$(grep "faute d'historique" "$T/page")" "10 règles ne peuvent pas encore se prononcer sur 6 de vos 12 unités (valdis/toul et 5 en dessous) faute d'historique$NB: l'absence d'alerte n'y veut pas dire l'absence de signal. Toutes le pourront au plus tard en décembre${NBSP}2028." "the social worker of Metz and Toul is told of Toul"
expect_eq "$(req "$T/jar.st" GET /)" 200 "Toul's Mes alertes"
text "$T/b" >"$T/page"
expect_eq "$(grep "faute d'historique" "$T/page")" "10 règles sur 13 ne peuvent pas encore se prononcer sur vos unités faute d'historique$NB: l'absence d'alerte ne veut pas dire l'absence de signal. Toutes le pourront au plus tard en décembre${NBSP}2028." "Toul alone: the whole-scope sentence"
expect_eq "$(req "$T/jar.marie" GET /)" 200 "Nancy's Mes alertes"
expect_no_grep "faute d'historique" "$T/b"
expect_eq "$(req "$T/jar.rh" GET /units/valdis/toul/restauration)" 200 "Toul's restauration"
expect_eq "$(state "$T/b" "Conflits et réclamations plus nombreux qu'attendu")" "Pas encore calculable$NB: la règle lit jusqu'à 30 mois d'historique$NB; elle le sera au plus tard en octobre${NBSP}2028." "conflicts at Toul"
web_stop

# A weekly deployment with the default retention.data (60 periods): 7 of
# the shipped rules read more than 60 weeks and never judge once the daemon
# has deleted the older ones. Every channel says never with this
# configuration, not a date that moves back a week each week, and
# `status --check` calls it a problem. 70 weeks of two teams. The shipped
# rules are written for months (period: month) and not evaluated on weeks:
# here they stand for weekly rules as long, with period: week.
sed -i 's/^    period: month$/    period: week/' "$T"/rules.d/*.yaml
{
	head -1 "$SRC"/contrib/demo/valdis-2023-11-2024-10.csv
	for i in $(seq 0 69); do
		w=$(date -u -d "2025-01-06 + $((7 * i)) days" +%G-W%V)
		for u in atelier bureau; do
			echo "\"valdis/nancy/$u\";$w;40;200;$((8 + i % 3));2;1;$((i % 5 == 0));0;1400;$((30 + i % 4));0;0;0;0;0;0;0;0;0"
		done
	done
} >"$T/weeks.csv"
sed -i "s#^database: .*#period: week\ndatabase: $T/w.db#" "$T/vigie.yaml"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/weeks.csv"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
NEVER="7 of 14 rules cannot judge yet for lack of history (never with this configuration: retention.data 60 < 111)"
expect_grep "vigied: 2026-W19: 4 units, 14 rules, 0 active (0 critical), 0 pending, $NEVER" "$T/err"
expect_exit 1 "$VIGIE" -c "$T/vigie.yaml" status --check
expect_eq "$(sed -n '/^alerts:/{n;p}' "$T/out")" "history:      $NEVER: no alert does not mean no signal" "status: never, not a date"
expect_grep "problem:      7 rules can never judge with this configuration: retention.data keeps 60 periods of values, they read up to 111; set retention.data to 111 or more in $T/vigie.yaml" "$T/out"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" status --format json
expect_eq "$($PY -c 'import json,sys; h = json.load(open(sys.argv[1]))["history"]; print(" ".join("%s=%s/%d" % (x["rule"], x["by"], x["reads"]) for x in h["lacking"]))' "$T/out")" \
	"absences-unusual=None/110 departures-wave=None/110 conflicts=None/110 burnout=None/110 weak-signals=None/111 weak-signals-social=None/110 departures-and-requests=None/111" \
	"status JSON: no date for the rules that never judge"
web_user marie social-worker --scope valdis/nancy --scope 'valdis/nancy/**'
web_start
expect_eq "$(login "$M" marie)" 303 "marie logs in (weekly)"
expect_eq "$(req "$M" GET /)" 200 "Mes alertes, weekly"
text "$T/b" >"$T/page"
expect_eq "$(grep "faute d'historique" "$T/page")" "7 règles sur 13 ne peuvent pas encore se prononcer sur vos unités faute d'historique$NB: l'absence d'alerte ne veut pas dire l'absence de signal. Elles ne le pourront jamais avec cette configuration (retention.data 60 < 111)." "Mes alertes: never, not a date"
expect_eq "$(req "$M" GET /units/valdis/nancy/atelier)" 200 "a weekly unit's page"
expect_eq "$(state "$T/b" "Signaux faibles convergents")" "Pas encore calculable$NB: la règle lit 111 semaines de valeurs pour décider, retention.data n'en garde que 60$NB: elle ne le sera jamais avec cette configuration." "weak-signals on the unit's page"
web_stop
