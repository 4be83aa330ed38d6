#!/usr/bin/env bash
# HR removes a period imported by mistake from the console (vigie-web(8),
# « Retirer les valeurs d'une période »), as `vigie delete` does: only the
# roles of web.import_roles (404 for the others); a first POST counts and
# writes nothing, a second carries the count and removes, in one
# transaction, the values of the units of the user's scope only; recorded
# in the import log (actor, via web) and the audit log (`delete`); a count
# made stale by another import removes nothing; a period or an indicator
# that is not in the list is refused; the form needs the CSRF token.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1
command -v curl >/dev/null || { echo "curl missing"; exit 77; }
command -v sqlite3 >/dev/null || { echo "sqlite3 missing"; exit 77; }
NNBSP=$'\u202f'
NBSP=$'\u00a0'

# November sent as December: the demo's October, then a file of three
# teams of two sites under a period that should not be there.
cat >"$T/dec.csv" <<'CSV'
unit;period;headcount;conflicts
valdis/nancy/qualite;2026-11;12;1
valdis/nancy/logistique;2026-11;20;3
valdis/epinal/atelier;2026-11;43;0
CSV
web_demo_setup "$T/dec.csv"
web_user marie social-worker
web_user rh hr
web_user rhnancy hr --scope 'valdis/nancy/**'
web_start
values() { db "SELECT unit, indicator, p0, hex(vals) FROM series ORDER BY 1, 2" | md5sum; }
nov() { db "SELECT count(*) FROM series WHERE p0 + length(vals) / 8 - 1 = 2026 * 12 + 10"; }
# ask JAR [FIELDS...]: the status of a POST of the deletion form, with the
# CSRF token of the import page.
ask() {
	local jar=$1 tok; shift
	tok=$(csrf "$jar" /import)
	req "$jar" POST /import/delete --data-urlencode "csrf=$tok" "$@"
}

expect_eq "$(login "$T/jar.rh" rh)" 303 "rh logs in"
expect_eq "$(login "$T/jar.marie" marie)" 303 "marie logs in"
expect_eq "$(login "$T/jar.nancy" rhnancy)" 303 "rhnancy logs in"
expect_eq "$(req "$T/jar.rh" GET /import)" 200 "the import page"
expect_grep "<h2 id=\"delete\">Retirer les valeurs d&#39;une période</h2>" "$T/b"
expect_grep '<form method="post" action="/import/delete" class="paths">' "$T/b"
# The latest period first, and chosen: the mistake is nearly always there.
expect_eq "$(sed -n '/id="delete-period"/,/<\/select>/p' "$T/b" | sed -n 2,3p)" \
	"<option value=\"2026-11\">novembre${NBSP}2026</option>
<option value=\"2026-10\">octobre${NBSP}2026</option>" "the periods offered"
expect_grep '<option value="">Tous les indicateurs</option>' "$T/b"
expect_eq "$(sed -n '/id="delete-indicator"/,/<\/select>/p' "$T/b" | sed -n 3,4p)" "<option>absence_days</option>
<option>absence_episodes</option>" "the indicators, sorted"
expect_grep '<option>conflicts</option>' "$T/b"
expect_grep '<button type="submit" class="secondary">Compter les valeurs à retirer</button>' "$T/b"
v0=$(values)
i0=$(db "SELECT count(*) FROM import_log")

# Not for a social worker, not without the token, not a period or an
# indicator of another list.
expect_eq "$(ask "$T/jar.marie" --data-urlencode period=2026-11)" 404 "a social worker's form"
tok=$(csrf "$T/jar.rh" /import)
expect_eq "$(req "$T/jar.rh" POST /import/delete --data-urlencode period=2026-11 \
	--data-urlencode confirm=1 --data-urlencode expect=6)" 403 "a form without its token"
expect_eq "$(req "$T/jar.rh" GET /import/delete)" 404 "the form's address read"
for bad in period=2026-13 period=2026-W47 period= "period=2026-11&indicator=conflits" \
	"period=2026-11&confirm=1&expect=six" "period=2026-11&confirm=1"; do
	expect_eq "$(ask "$T/jar.rh" -d "$bad")" 400 "the form $bad"
	expect_grep 'Choisissez une période et un indicateur de la liste.' "$T/b"
done
expect_eq "$(values)" "$v0" "values after refused forms"

# Counting writes nothing; Nancy's HR counts Nancy's values only.
expect_eq "$(ask "$T/jar.nancy" --data-urlencode period=2026-11)" 200 "Nancy's count"
expect_grep "<p>4 valeurs de <time datetime=\"2026-11\">novembre${NBSP}2026</time> seront retirées, pour 2 unités de votre périmètre. Les règles" "$T/b"
expect_grep '<input type="hidden" name="expect" value="4">' "$T/b"
expect_grep '<button type="submit">Retirer ces 4 valeurs</button>' "$T/b"
expect_eq "$(ask "$T/jar.rh" --data-urlencode period=2026-11 --data-urlencode indicator=conflicts)" 200 "HR's count of one indicator"
expect_grep "<p>3 valeurs de <time datetime=\"2026-11\">novembre${NBSP}2026</time> (conflicts) seront retirées, pour 3 unités de votre périmètre." "$T/b"
expect_eq "$(values)" "$v0" "values after counting"
expect_eq "$(db "SELECT count(*) FROM import_log")" "$i0" "imports after counting"

# A count that is no longer right removes nothing and says the new one.
expect_eq "$(ask "$T/jar.nancy" -d period=2026-11 -d confirm=1 -d expect=5)" 200 "a stale count"
expect_grep "Les données ont changé depuis le décompte${NNBSP}: rien n&#39;a été retiré." "$T/b"
expect_grep '<input type="hidden" name="expect" value="4">' "$T/b"
expect_eq "$(values)" "$v0" "values after a stale count"

# Removed: Nancy's November, not Épinal's; recorded.
expect_eq "$(ask "$T/jar.nancy" -d period=2026-11 -d confirm=1 -d expect=4)" 200 "Nancy's removal"
expect_grep "<p class=\"message ok\" role=\"status\">4 valeurs de <time datetime=\"2026-11\">novembre${NBSP}2026</time> retirées. Vigie évalue à nouveau les règles dans quelques secondes.</p>" "$T/b"
expect_eq "$(nov)" 2 "Épinal's November kept"
expect_eq "$(db "SELECT u.path FROM series s JOIN unit u ON u.id = s.unit WHERE s.p0 + length(s.vals) / 8 - 1 = 2026 * 12 + 10 GROUP BY 1")" "valdis/epinal/atelier" "the unit left in November"
expect_eq "$(db "SELECT source, vals, actor, via FROM import_log ORDER BY id DESC LIMIT 1")" \
	"vigie delete --period 2026-11 --unit valdis/nancy/**|4|rhnancy|web" "the removal in the import log"
expect_eq "$(db "SELECT actor, via, action, object, detail FROM audit WHERE action = 'delete'")" \
	"rhnancy|web|delete|--period 2026-11 --unit valdis/nancy/**|4 values" "the removal audited"
# Sent again (the browser's reload): the count is no longer 4, nothing goes.
expect_eq "$(ask "$T/jar.nancy" -d period=2026-11 -d confirm=1 -d expect=4)" 200 "the removal sent again"
expect_grep 'Les données ont changé depuis le décompte' "$T/b"
expect_grep "Aucune valeur enregistrée pour les unités de votre périmètre ne correspond à <time datetime=\"2026-11\">novembre${NBSP}2026</time>${NNBSP}: il n&#39;y a rien à retirer." "$T/b"
expect_eq "$(nov)" 2 "Épinal's November still kept"

# HR of the company removes the rest: October is the latest period again.
expect_eq "$(ask "$T/jar.rh" -d period=2026-11)" 200 "HR's count of the rest"
expect_grep "<p>2 valeurs de <time datetime=\"2026-11\">novembre${NBSP}2026</time> seront retirées, pour 1 unité de votre périmètre." "$T/b"
expect_eq "$(ask "$T/jar.rh" -d period=2026-11 -d confirm=1 -d expect=2)" 200 "HR's removal"
expect_eq "$(nov)" 0 "November gone"
expect_eq "$(db "SELECT value FROM meta WHERE key = 'pmax'")" $((2026 * 12 + 9)) "the latest period"
expect_eq "$(req "$T/jar.rh" GET /import)" 200 "the import page after the removals"
expect_eq "$(sed -n '/id="delete-period"/,/<\/select>/p' "$T/b" | sed -n 2p)" \
	"<option value=\"2026-10\">octobre${NBSP}2026</option>" "October first"
expect_grep '<td data-label="Valeurs">2 supprimées</td>' "$T/b"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" audit
grep -qE '^[0-9TZ:-]+ +rh +web +delete +--period 2026-11 --unit \*\* +2 values$' "$T/out" || fail "HR's removal not in vigie audit: $(cat "$T/out")"

# A unit that a file misspelt (valdis/nancy/qualte, a team of its own
# since): its values alone, by its name, and the unit is gone; a unit or a
# glob outside the user's scope removes nothing; a name that is no unit
# nor glob is refused.
v1=$(values)
printf 'unit;period;headcount;conflicts\nvaldis/nancy/qualte;2026-10;12;1\n' >"$T/typo.csv"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/typo.csv"
expect_grep '"valdis/nancy/qualte" is a new unit' "$T/err"
v2=$(values)
expect_eq "$(req "$T/jar.nancy" GET /import)" 200 "the import page with the unit field"
expect_grep '<input id="delete-unit" name="unit" maxlength="255" autocomplete="off" spellcheck="false" aria-describedby="delete-unit-hint">' "$T/b"
expect_eq "$(ask "$T/jar.nancy" -d period=2026-10 --data-urlencode 'unit=valdis/epinal/**')" 200 "Nancy's count of Épinal"
expect_grep "Aucune valeur enregistrée pour les unités de votre périmètre ne correspond à <time datetime=\"2026-10\">octobre${NBSP}2026</time> pour <code>valdis/epinal/**</code>${NNBSP}: il n&#39;y a rien à retirer." "$T/b"
for bad in 'valdis//x' 'valdis/nan*' ' valdis/nancy'; do
	expect_eq "$(ask "$T/jar.nancy" -d period=2026-10 --data-urlencode "unit=$bad")" 400 "the unit '$bad'"
	expect_grep "L&#39;unité s&#39;écrit comme dans les fichiers (valdis/nancy/qualite), ou avec * ou ** pour un segment entier (valdis/nancy/**)${NNBSP}: rien n&#39;a été retiré." "$T/b"
done
expect_eq "$(values)" "$v2" "values after counting and refusing"
expect_eq "$(ask "$T/jar.nancy" -d period=2026-10 --data-urlencode unit=valdis/nancy/qualte)" 200 "the misspelt unit counted"
expect_grep "<p>2 valeurs d'<time datetime=\"2026-10\">octobre${NBSP}2026</time> pour <code>valdis/nancy/qualte</code> seront retirées, pour 1 unité de votre périmètre." "$T/b"
expect_grep '<input type="hidden" name="unit" value="valdis&#x2F;nancy&#x2F;qualte">' "$T/b"
expect_eq "$(ask "$T/jar.nancy" -d period=2026-10 -d unit=valdis/nancy/qualte -d confirm=1 -d expect=2)" 200 "the misspelt unit removed"
expect_grep "<p class=\"message ok\" role=\"status\">2 valeurs d'<time datetime=\"2026-10\">octobre${NBSP}2026</time> pour <code>valdis/nancy/qualte</code> retirées." "$T/b"
expect_eq "$(values)" "$v1" "the values as before the misspelt file"
expect_eq "$(db "SELECT count(*) FROM unit WHERE path = 'valdis/nancy/qualte'")" 0 "the misspelt unit gone"
expect_eq "$(db "SELECT source FROM import_log ORDER BY id DESC LIMIT 1")" \
	"vigie delete --period 2026-10 --unit valdis/nancy/qualte (within valdis/nancy/**)" "the removal in the import log"

# Prevention: October's export sent again as November is said before it
# is imported (« Vérifier sans importer »), in the page's language. The
# values compared are those rh may see: not the small teams' nor those
# hidden beside them, nor the confidential indicators (`vigie import
# --dry-run` compares 114).
{ head -n 1 "$SRC"/contrib/demo/valdis-2025-11-2026-10.csv
  grep ';2026-10;' "$SRC"/contrib/demo/valdis-2025-11-2026-10.csv | sed 's/;2026-10;/;2026-11;/'; } >"$T/again.csv"
tok=$(csrf "$T/jar.rh" /import)
expect_eq "$(req "$T/jar.rh" POST /import -F "csrf=$tok" -F "file=@$T/again.csv;type=text/csv" -F dry=1)" 200 "October again as November, checked"
expect_grep "en-tête${NNBSP}: 98 des 98 valeurs comparées (zéros à part) sont celles de 2026-10 dans la base${NNBSP}: l&#39;export de 2026-10 envoyé à nouveau pour 2026-11${NNBSP}? Les règles y liraient une période où rien n&#39;a changé${NNBSP}; si c&#39;est le cas, retirez-la (vigie delete --period 2026-11, ou la page d&#39;import de la console) et importez le bon fichier" "$T/b"
expect_eq "$(nov)" 0 "nothing imported by the check"
# A team renamed by `vigie rename` (vigie(1)): among the imports, with
# the values it moved.
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" rename valdis/nancy/qualite valdis/nancy/qualite-methodes
moved=$(sed -n 's/^renamed [^:]*: 1 unit, \([0-9]*\) values,.*/\1/p' "$T/out")
[ -n "$moved" ] || fail "vigie rename said: $(cat "$T/out")"
expect_eq "$(req "$T/jar.rh" GET /import)" 200 "the import page after a rename"
expect_grep "<td data-label=\"Fichier\">vigie rename valdis/nancy/qualite valdis/nancy/qualite-methodes</td><td data-label=\"Origine\">commande, $(id -un)</td><td data-label=\"Lignes\">–</td><td data-label=\"Valeurs\">$moved déplacées</td>" "$T/b"
web_stop
exit 0
