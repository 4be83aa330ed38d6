#!/usr/bin/env bash
# HR renames a team after a reorganisation from the console (vigie-web(8),
# « Renommer ou déplacer une unité »), as `vigie rename` does: only the
# roles of web.import_roles (404 for the others); a first POST counts the
# units and values that would move and writes nothing, a second carries
# the count and moves them; every unit, at the old path and the new,
# within the user's scopes, and an old path outside them answered as one
# where nothing is stored; a value at both paths moves nothing; recorded
# in the import log and the audit log (`rename`, via web); a file that
# still writes a merged team at a month the new path has is refused.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1
command -v curl >/dev/null || { echo "curl missing"; exit 77; }
command -v sqlite3 >/dev/null || { echo "sqlite3 missing"; exit 77; }
NNBSP=$'\u202f'

# November, the quality team of Nancy under its new name.
cat >"$T/nov.csv" <<'CSV'
unit;period;headcount;conflicts
valdis/nancy/qualite-methodes;2026-11;12;1
valdis/nancy/logistique;2026-11;20;3
valdis/nancy/logistique-2;2026-11;8;1
CSV
web_demo_setup "$T/nov.csv"
web_user marie social-worker
web_user rhnancy hr --scope 'valdis/nancy/**'
web_start
values() { db "SELECT unit, indicator, p0, hex(vals) FROM series ORDER BY 1, 2" | md5sum; }
# ask JAR [FIELDS...]: the status of a POST of the rename form.
ask() {
	local jar=$1 tok; shift
	tok=$(csrf "$jar" /import)
	req "$jar" POST /import/rename --data-urlencode "csrf=$tok" "$@"
}
expect_eq "$(login "$T/jar.marie" marie)" 303 "marie logs in"
expect_eq "$(login "$T/jar.nancy" rhnancy)" 303 "rhnancy logs in"
expect_eq "$(req "$T/jar.nancy" GET /import)" 200 "the import page"
expect_grep '<h2 id="rename">Renommer ou déplacer une unité</h2>' "$T/b"
expect_grep '<form method="post" action="/import/rename" class="paths">' "$T/b"
expect_grep '<label for="rename-from">Ancien chemin</label>' "$T/b"
expect_grep '<label for="rename-to">Nouveau chemin</label>' "$T/b"
v0=$(values)
i0=$(db "SELECT count(*) FROM import_log")
expect_eq "$(ask "$T/jar.marie" -d from=valdis/nancy/qualite -d to=valdis/nancy/x)" 404 "a social worker's form"

# Refused: no paths, a path within the other, units outside the scope; an
# old path outside the scope is one where nothing is stored.
expect_eq "$(ask "$T/jar.nancy" --data-urlencode 'from=valdis/nancy/*' -d to=valdis/nancy/x)" 400 "a glob"
expect_grep "Écrivez les deux chemins comme dans les fichiers (valdis/nancy/qualite)${NNBSP}: rien n&#39;a été déplacé." "$T/b"
expect_eq "$(ask "$T/jar.nancy" -d from=valdis/nancy -d to=valdis/nancy/lorraine)" 400 "within"
expect_grep "L&#39;un des chemins est dans l&#39;autre" "$T/b"
expect_eq "$(ask "$T/jar.nancy" -d from=valdis/nancy/qualite -d to=valdis/metz/qualite)" 400 "a new path outside the scope"
expect_grep "Ces unités ne sont pas toutes de votre périmètre, à l&#39;ancien chemin ou au nouveau${NNBSP}: rien n&#39;a été déplacé." "$T/b"
expect_eq "$(ask "$T/jar.nancy" -d from=valdis/metz/commercial -d to=valdis/nancy/commercial)" 409 "an old path outside the scope"
expect_grep "Aucune unité n&#39;est enregistrée à ce chemin${NNBSP}: <code>valdis/metz/commercial</code>." "$T/b"
sed 's/metz\/commercial/nancy\/nowhere/g' "$T/b" >"$T/b.outside"
expect_eq "$(ask "$T/jar.nancy" -d from=valdis/nancy/nowhere -d to=valdis/nancy/commercial)" 409 "a path where nothing is stored"
cmp -s "$T/b" "$T/b.outside" || fail "an old path outside the scope is answered otherwise than one where nothing is stored"
expect_eq "$(values)" "$v0" "values after refused forms"

# Counted, then moved, with the social worker's silence on the team.
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" silence --rule '*' --unit valdis/nancy/qualite \
	--until 2027-03 --reason "médiation en cours" --by marie
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" rename --dry-run valdis/nancy/qualite valdis/nancy/qualite-methodes
n=$(sed -n 's/^would rename [^:]*: 1 unit, \([0-9]*\) values,.*/\1/p' "$T/out")
[ -n "$n" ] || fail "vigie rename --dry-run said: $(cat "$T/out")"
expect_eq "$(ask "$T/jar.nancy" -d from=valdis/nancy/qualite -d to=valdis/nancy/qualite-methodes)" 200 "the count"
expect_grep "<p><code>valdis/nancy/qualite</code> devient <code>valdis/nancy/qualite-methodes</code>${NNBSP}: 1 unité et $n valeurs passeront au nouveau chemin, avec les alertes et les notes de ces unités (une alerte d&#39;une règle que le nouveau chemin a déjà reste à l&#39;ancien et s&#39;y résout) et les suspensions posées sur elles." "$T/b"
expect_grep "<input type=\"hidden\" name=\"expect\" value=\"$n\">" "$T/b"
expect_grep '<button type="submit">Déplacer</button>' "$T/b"
expect_eq "$(values)" "$v0" "values after the count"
expect_eq "$(db "SELECT count(*) FROM import_log")" "$i0" "imports after the count"
expect_eq "$(ask "$T/jar.nancy" -d from=valdis/nancy/qualite -d to=valdis/nancy/qualite-methodes -d confirm=1 -d expect=$((n + 1)))" 200 "a stale count"
expect_grep "Les données ont changé depuis le décompte${NNBSP}: rien n&#39;a été déplacé." "$T/b"
expect_eq "$(values)" "$v0" "values after a stale count"
expect_eq "$(ask "$T/jar.nancy" -d from=valdis/nancy/qualite -d to=valdis/nancy/qualite-methodes -d confirm=1 -d expect=$n)" 200 "the rename"
expect_grep "<p class=\"message ok\" role=\"status\"><code>valdis/nancy/qualite</code> devient <code>valdis/nancy/qualite-methodes</code>${NNBSP}: 1 unité et $n valeurs déplacées." "$T/b"
expect_eq "$(db "SELECT count(*) FROM unit WHERE path = 'valdis/nancy/qualite'")" 0 "the old path"
expect_eq "$(db "SELECT unit_glob, author FROM silence")" "valdis/nancy/qualite-methodes|marie" "the silence"
expect_eq "$(db "SELECT source, sha256, vals, actor, via FROM import_log ORDER BY id DESC LIMIT 1")" \
	"vigie rename valdis/nancy/qualite valdis/nancy/qualite-methodes|=|$n|rhnancy|web" "the import log"
expect_eq "$(db "SELECT actor, via, action, object, detail FROM audit WHERE action = 'rename'")" \
	"rhnancy|web|rename|valdis/nancy/qualite valdis/nancy/qualite-methodes|$n values" "the audit log"

# A value at both paths: nothing moves.
v1=$(values)
expect_eq "$(ask "$T/jar.nancy" -d from=valdis/nancy/logistique -d to=valdis/nancy/logistique-2)" 409 "a value at both paths"
expect_grep "Rien n&#39;a été déplacé${NNBSP}: <code>valdis/nancy/logistique</code> et <code>valdis/nancy/logistique-2</code> ont chacune une valeur de <code>headcount</code> pour <time datetime=\"2026-11\">" "$T/b"
expect_grep "Si les deux équipes ont été fusionnées en une, cochez «${NNBSP}Deux équipes fusionnées en une${NNBSP}» pour additionner leurs valeurs${NNBSP}; sinon retirez l&#39;une des deux" "$T/b"
expect_eq "$(values)" "$v1" "values after a clash"
# Onto the path of a unit whose teams have values at the same periods:
# its figures would be the team's, not their sum; nothing moves.
printf 'unit;period;headcount;conflicts\nvaldis/nancy/atelier/a;2026-11;6;0\nvaldis/nancy/atelier/b;2026-11;7;1\n' >"$T/atelier.csv"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/atelier.csv"
v2=$(values)
expect_eq "$(ask "$T/jar.nancy" -d from=valdis/nancy/logistique-2 -d to=valdis/nancy/atelier)" 409 "onto a parent"
expect_grep "Rien n&#39;a été déplacé${NNBSP}: <code>valdis/nancy/atelier</code> a des unités rattachées qui ont des valeurs aux mêmes périodes que <code>valdis/nancy/logistique-2</code>${NNBSP}: ses chiffres y seraient ceux de l&#39;unité déplacée, et non plus leur somme." "$T/b"
expect_eq "$(values)" "$v2" "values after a rename onto a parent"

# Two teams merged into one: their values of the same month added up,
# counted first, the choice carried by the confirmation.
expect_eq "$(req "$T/jar.nancy" GET /import)" 200 "the import page"
expect_grep '<p class="check"><input type="checkbox" id="rename-merge" name="merge" value="1"> <label for="rename-merge">Deux équipes fusionnées en une'"${NNBSP}"': additionner leurs valeurs des mêmes mois</label></p>' "$T/b"
v3=$(values)
expect_eq "$(ask "$T/jar.nancy" -d from=valdis/nancy/logistique-2 -d to=valdis/nancy/logistique -d merge=1)" 200 "a merge's count"
expect_grep "1 unité et 2 valeurs (dont 2 additionnées à celles du nouveau chemin) passeront au nouveau chemin" "$T/b"
expect_grep '<input type="hidden" name="merge" value="1">' "$T/b"
expect_eq "$(values)" "$v3" "values after a merge's count"
expect_eq "$(ask "$T/jar.nancy" -d from=valdis/nancy/logistique-2 -d to=valdis/nancy/logistique -d merge=1 -d confirm=1 -d expect=2)" 200 "the merge"
expect_grep "1 unité et 2 valeurs (dont 2 additionnées à celles du nouveau chemin) déplacées." "$T/b"
expect_eq "$(db "SELECT count(*) FROM unit WHERE path = 'valdis/nancy/logistique-2'")" 0 "the team merged"
expect_eq "$(db "SELECT detail FROM audit WHERE action = 'rename' ORDER BY id DESC LIMIT 1")" \
	"2 values, 2 added to the new path's" "the audit log"
expect_eq "$($PY "$SRC/tests/integration/dbvalues.py" "$T/vigie.db" | grep '^valdis/nancy/logistique,2026-11,')" \
	"valdis/nancy/logistique,2026-11,conflicts,4.0
valdis/nancy/logistique,2026-11,headcount,28.0" "20 and 8 people, 3 and 1 conflicts"
# A team below the anonymity floor: merged, its hidden figures could be
# worked out from those shown before; nothing moves (SPEC 3).
printf 'unit;period;headcount;conflicts\nvaldis/nancy/petite;2026-11;3;1\n' >"$T/petite.csv"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/petite.csv"
v4=$(values)
expect_eq "$(ask "$T/jar.nancy" -d from=valdis/nancy/petite -d to=valdis/nancy/logistique -d merge=1)" 409 "a hidden team's merge"
expect_grep "Rien n&#39;a été déplacé${NNBSP}: <code>valdis/nancy/petite</code> a une valeur masquée (sous le seuil d&#39;anonymat, ou avec une équipe plus petite) de <code>headcount</code> pour <time datetime=\"2026-11\">" "$T/b"
expect_grep "${NNBSP}; additionnée à celles du nouveau chemin, elle se déduirait des chiffres déjà montrés." "$T/b"
expect_eq "$(values)" "$v4" "values after a refused merge"
# Imported, a file that still writes the merged team at a month the new
# path has would count it twice: refused, as by vigie import, in French.
printf 'unit;period;headcount;conflicts\nvaldis/nancy/logistique-2;2026-11;8;1\n' >"$T/vieux.csv"
tok=$(csrf "$T/jar.nancy" /import)
expect_eq "$(req "$T/jar.nancy" POST /import -F "csrf=$tok" -F "file=@$T/vieux.csv;type=text/csv")" 400 "an old path"
expect_grep "Le fichier a des erreurs${NNBSP}: rien n&#39;a été importé." "$T/b"
expect_eq "$(sed -n '/<ul class="diags">/,/<\/ul>/p' "$T/b")" "<ul class=\"diags\">
<li>cellule A2${NNBSP}: «${NNBSP}valdis/nancy/logistique-2${NNBSP}» a été renommée «${NNBSP}valdis/nancy/logistique${NNBSP}» (vigie rename, $(date -u +%F))${NNBSP}: écrivez le nouveau chemin dans l&#39;export (sous son ancien chemin, l&#39;équipe redeviendrait une unité à part, sans son historique, et serait comptée deux fois dans les chiffres des unités au-dessus d&#39;elle pour tout mois qu&#39;ont les deux${NNBSP}; équipes fusionnées${NNBSP}: une seule ligne, avec leurs sommes)</li>
</ul>" "the error"
expect_eq "$(values)" "$v4" "values after an old path"
web_stop
exit 0
