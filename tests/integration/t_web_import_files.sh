#!/usr/bin/env bash
# A history exported month by month is imported from the console in one
# upload (vigie-web(8), « Importer des données », its input `multiple`):
# every file read before any is written, one refused refuses them all;
# then each imported as `vigie import A.csv B.csv` imports them, a row of
# the import log each, and vigied evaluates them in one cycle, not month
# by month. « Vérifier sans importer » checks them all, writing nothing.
# The file that brings the upload's latest month, once the latest stored
# was evaluated, is warned when that month ended long ago: a history sent
# one file per upload is notified month by month (t_import_backfill).
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1
command -v curl >/dev/null || { echo "curl missing"; exit 77; }
command -v sqlite3 >/dev/null || { echo "sqlite3 missing"; exit 77; }
NNBSP=$'\u202f'
PORT=$(free_port)
web_hr_config
conflicts_rule
web_user rh hr
web_start
expect_eq "$(login "$T/jar" rh)" 303 "rh logs in"

# month N: the month N months before the current one (UTC), as YYYY-MM.
month() { date -u -d "$(date -u +%Y-%m-15) -$1 months" +%Y-%m; }
# file NAME MONTH...: two teams' figures for those months.
file() {
	local name=$1 m; shift
	{ echo 'unit,period,headcount,conflicts'
	  for m in "$@"; do echo "acme/a,$m,20,1"; echo "acme/b,$m,12,0"; done; } >"$T/$name"
}
# send FILE... [-F dry=1]: the status of one upload of the files.
send() {
	local tok args=() a
	tok=$(csrf "$T/jar" /import)
	for a in "$@"; do
		case $a in -F|dry=1) args+=("$a");; *) args+=(-F "file=@$T/$a;type=text/csv");; esac
	done
	req "$T/jar" POST /import -F "csrf=$tok" "${args[@]}"
}
imports() { db "SELECT count(*) FROM import_log"; }
cycles() { db "SELECT count(*) FROM cycle" 2>/dev/null || echo 0; }
at_least() { [ "$(cycles)" -ge "$1" ]; }
outcome() { sed -n '/<div class="message/,/<form method="post" action="\/import"/p' "$T/b" | sed '$d'; }

# The form takes several files.
expect_eq "$(req "$T/jar" GET /import)" 200 "the import page"
expect_grep '<label for="file">Fichiers CSV des indicateurs (un ou plusieurs)</label>' "$T/b"
expect_grep 'type="file" accept=".csv,.txt,text/csv" multiple required' "$T/b"

# The first months of the history, and vigied running.
file m30.csv "$(month 32)" "$(month 31)" "$(month 30)"
expect_eq "$(send m30.csv)" 200 "the first file"
"$VIGIED" -c "$T/vigie.yaml" 2>"$T/vigied.err" &
PIDS+=("$!")
wait_for grep -q started "$T/vigied.err" || { cat "$T/vigied.err"; fail "vigied did not start"; }
wait_for at_least 1 || fail "no first cycle"
c0=$(cycles)
i0=$(imports)

# The next month alone, after that cycle: a history sent an upload at a
# time is notified month by month; said on the page.
file m29.csv "$(month 29)"
expect_eq "$(send m29.csv)" 200 "the next month alone"
expect_grep "<title>Importé${NNBSP}: m29.csv, 1 point à vérifier. Importer des données — Vigie</title>" "$T/b"
expect_eq "$(sed -n '/<div class="message warn"/,/<\/div>/p' "$T/b")" "<div class=\"message warn\" id=\"file-warn\"><p>À vérifier (le fichier est importé)${NNBSP}:</p>
<ul class=\"diags\">
<li>en-tête${NNBSP}: $(month 29) s&#39;est terminé il y a 28 mois${NNBSP}: un historique importé mois par mois est notifié mois par mois, les alertes de chaque mois comme nouvelles${NNBSP}; importez les mois qui restent en une fois (vigie import FICHIER..., un seul mv dans le dossier d&#39;import, ou tous les fichiers dans un même envoi de la console)</li>
</ul>
</div>" "the warning of a month sent alone"
wait_for at_least $((c0 + 1)) || fail "no cycle after the upload"
c0=$(cycles)
i0=$(imports)

# The rest of the history up to last month: months 28 to 3 in one file,
# then 2 and 1 in a file each. A file with errors refuses the upload: each
# refused file said, nothing written.
months=()
for n in $(seq 28 -1 3); do months+=("$(month "$n")"); done
file rest.csv "${months[@]}"
file m2.csv "$(month 2)"
file m1.csv "$(month 1)"
printf 'unit,period,headcount,conflicts\nacme/a,01/2025,20,1\n' >"$T/bad.csv"
: >"$T/empty.csv"
expect_eq "$(send rest.csv bad.csv m2.csv empty.csv)" 400 "an upload with a bad file"
expect_grep "<title>Erreur${NNBSP}: importer des données — Vigie</title>" "$T/b"
expect_eq "$(outcome)" "<div class=\"message error\" id=\"file-error\" role=\"alert\"><p>2 fichiers sur 4 refusés ci-dessous${NNBSP}: rien n&#39;a été importé. Corrigez et envoyez à nouveau tous les fichiers.</p>
<p>bad.csv${NNBSP}:</p>
<ul class=\"diags\">
<li>cellule B2${NNBSP}: période incorrecte «${NNBSP}01/2025${NNBSP}»${NNBSP}: il faut un mois AAAA-MM (2025-01)${NNBSP}; vouliez-vous dire 2025-01${NNBSP}?</li>
</ul>
<p>empty.csv${NNBSP}: Choisissez un fichier, non vide.</p>
</div>" "the refusal"
expect_eq "$(imports)" "$i0" "imports after the refusal"

# Checked without importing: each file's line, nothing written.
expect_eq "$(send rest.csv m2.csv m1.csv -F dry=1)" 200 "the check of three files"
expect_grep "<title>Vérifié sans importer${NNBSP}: 3 fichiers. Importer des données — Vigie</title>" "$T/b"
expect_eq "$(outcome)" "<div class=\"message ok\" role=\"status\"><p>3 fichiers vérifiés, sans erreur${NNBSP}: rien n'a été importé. Choisissez-les à nouveau et cliquez sur «${NNBSP}Importer${NNBSP}» quand ils sont prêts.</p>
<ul class=\"files\">
<li>rest.csv${NNBSP}: 52 lignes, 104 valeurs${NNBSP}; l'import en ajouterait 104, en remplacerait 0, 0 inchangée.</li>
<li>m2.csv${NNBSP}: 2 lignes, 4 valeurs${NNBSP}; l'import en ajouterait 4, en remplacerait 0, 0 inchangée.</li>
<li>m1.csv${NNBSP}: 2 lignes, 4 valeurs${NNBSP}; l'import en ajouterait 4, en remplacerait 0, 0 inchangée.</li>
</ul>
</div>" "the check"
expect_eq "$(imports)" "$i0" "imports after the check"

# Imported: a row of the import log each, one cycle for them all, at the
# latest month; nothing to check (the history reaches last month).
expect_eq "$(send rest.csv m2.csv m1.csv)" 200 "three files in one upload"
expect_grep "<title>Importé${NNBSP}: 3 fichiers. Importer des données — Vigie</title>" "$T/b"
expect_eq "$(outcome)" "<div class=\"message ok\" role=\"status\"><p>3 fichiers importés. Vigie évalue les règles sur ces données dans les secondes qui suivent, tous les fichiers ensemble${NNBSP}: les alertes qu'elles déclenchent apparaissent alors dans <a href=\"/\">Mes alertes</a>.</p>
<ul class=\"files\">
<li>rest.csv${NNBSP}: 52 lignes, 104 valeurs importées (104 ajoutées, 0 remplacée, 0 inchangée).</li>
<li>m2.csv${NNBSP}: 2 lignes, 4 valeurs importées (4 ajoutées, 0 remplacée, 0 inchangée).</li>
<li>m1.csv${NNBSP}: 2 lignes, 4 valeurs importées (4 ajoutées, 0 remplacée, 0 inchangée).</li>
</ul>
</div>" "three files imported"
expect_eq "$(db "SELECT source || ' ' || via || ' ' || vals FROM import_log WHERE id > $i0 ORDER BY id")" "rest.csv web 104
m2.csv web 4
m1.csv web 4" "the import log"
wait_for at_least $((c0 + 1)) || fail "no cycle after the upload"
sleep 11	# DATA_POLL_S twice: a second cycle would have come by now
expect_eq "$(cycles)" "$((c0 + 1))" "one cycle for the three files"
expect_eq "$(db "SELECT period FROM cycle ORDER BY id DESC LIMIT 1")" \
	"$(db "SELECT max(p0 + length(vals) / 8 - 1) FROM series")" "the cycle evaluated the latest month"
web_stop
exit 0
