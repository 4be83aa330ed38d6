#!/usr/bin/env bash
# HR imports the month's file from the console (vigie-web(8), « Importer des
# données »): the page and its link only for the roles of web.import_roles
# (default hr), 404 for the others; the form is a POST with the session's
# CSRF token, as every form; a file with errors is refused whole with each
# error at its line and column, nothing written; a file naming a unit
# outside the user's scope is refused whole; a good one is imported as
# `vigie import` does (the same figures, the same record), its warnings
# said, audited as `import` via web; `web.import_roles: []` closes the page.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1
command -v curl >/dev/null || { echo "curl missing"; exit 77; }
command -v sqlite3 >/dev/null || { echo "sqlite3 missing"; exit 77; }
NNBSP=$'\u202f'
NBSP=$'\u00a0'

web_demo_setup
web_user marie social-worker
web_user rh hr
web_user rhnancy hr --scope 'valdis/nancy/**'
sed -i '1i max_import_size: 1K' "$T/vigie.yaml"
web_start
# The stored figures, as one line, and the imports recorded.
values() { db "SELECT unit, indicator, p0, hex(vals) FROM series ORDER BY 1, 2" | md5sum; }
imports() { db "SELECT count(*) FROM import_log"; }
# send JAR FILE [CURL-ARGS...]: the status of the import form's POST of FILE.
send() {
	local jar=$1 file=$2 tok; shift 2
	tok=$(csrf "$jar" /)
	req "$jar" POST /import -F "csrf=$tok" -F "file=@$file;type=text/csv" "$@"
}

expect_eq "$(login "$T/jar.rh" rh)" 303 "rh logs in"
expect_eq "$(login "$T/jar.marie" marie)" 303 "marie logs in"
expect_eq "$(login "$T/jar.nancy" rhnancy)" 303 "rhnancy logs in"
expect_eq "$(req "$T/jar.rh" GET /)" 200 "HR's alerts"
expect_grep '<li><a href="/import">Importer des données</a></li>' "$T/b"
expect_eq "$(req "$T/jar.marie" GET /)" 200 "the social worker's alerts"
grep -qF 'href="/import"' "$T/b" && fail "the import link shown to a social worker"
expect_eq "$(req "$T/jar.marie" GET /import)" 404 "the import page for a social worker"
expect_eq "$(req "$T/jar.rh" GET /import)" 200 "the import page"
expect_grep '<title>Importer des données — Vigie</title>' "$T/b"
expect_grep '<a href="/import" aria-current="page">' "$T/b"
expect_grep '<form method="post" action="/import" enctype="multipart/form-data">' "$T/b"
expect_grep '<input id="file" name="file" type="file" accept=".csv,.txt,text/csv" multiple required aria-describedby="file-hint">' "$T/b"
expect_grep '<button type="submit" name="dry" value="1" class="secondary">Vérifier sans importer</button>' "$T/b"
expect_grep "ou des tabulations), 1${NBSP}ko au plus par fichier. Un historique exporté mois par mois s'importe en une fois${NNBSP}: choisissez tous ses fichiers ensemble." "$T/b"
expect_eq "$(sed -n '/<h2>Données reçues/,/<h2>Derniers/p' "$T/b")" "<h2>Données reçues</h2>
<p>Dernière période${NNBSP}: <time datetime=\"2026-10\">octobre${NBSP}2026</time>.</p>
<p>Toutes les unités de votre périmètre ont cette période.</p>
<h2>Derniers imports</h2>" "the data received"
expect_grep '<h2>Derniers imports</h2>' "$T/b"
expect_grep '/contrib/demo/valdis-2025-11-2026-10.csv</td><td data-label="Origine">commande, ' "$T/b"
expect_grep '</td><td data-label="Lignes">180</td>' "$T/b"
v0=$(values)
i0=$(imports)
# A unit whose latest period has everything: nothing said on its page.
expect_eq "$(req "$T/jar.rh" GET /units/valdis/epinal/atelier)" 200 "the page of Épinal's team"
expect_no_grep 'class="gaps"' "$T/b"
# Larger than the console keeps (8 MB): read to its end unkept, and the
# page says so with its form (a browser answered before it has sent the
# form shows "connection reset"); here the smaller max_import_size is the
# limit said. Over 32 MB, refused before it is read.
head -c 9000000 /dev/zero | tr '\0' '1' >"$T/big.csv"
expect_eq "$(send "$T/jar.rh" "$T/big.csv")" 413 "a file over 8 MB"
expect_grep "<div class=\"message error\" id=\"file-error\" role=\"alert\"><p>Le fichier dépasse 1${NBSP}ko${NNBSP}: rien n&#39;a été importé. Envoyez-le en plusieurs fichiers (un par mois, ou par site), ou demandez à l&#39;exploitation de le déposer dans le dossier d&#39;import de Vigie.</p>" "$T/b"
expect_grep 'required aria-invalid="true" aria-describedby="file-error file-hint">' "$T/b"
expect_eq "$(send "$T/jar.marie" "$T/big.csv")" 404 "a social worker's file over 8 MB"
head -c 34000000 /dev/zero | tr '\0' '1' >"$T/huge.csv"
expect_eq "$(send "$T/jar.rh" "$T/huge.csv")" 413 "a file over 32 MB"
expect_eq "$(cat "$T/b")" "request body too large" "a file over 32 MB, refused unread"
rm -f "$T/huge.csv"
{ echo 'unit;period;headcount'; for i in $(seq 1 60); do echo "valdis/nancy/qualite;2026-11;$i"; done; } >"$T/long.csv"
expect_eq "$(send "$T/jar.rh" "$T/long.csv")" 413 "a file over max_import_size"
expect_grep "Le fichier dépasse 1${NBSP}ko${NNBSP}: rien n&#39;a été importé." "$T/b"

cat >"$T/nov.csv" <<'CSV'
unit;period;headcount;conflicts
valdis/nancy/qualite;2026-11;12;1
valdis/nancy/logistique;2026-11;20;3
CSV
# Refusals: nothing written.
refused() { expect_eq "$(values)" "$v0" "values after $1"; expect_eq "$(imports)" "$i0" "imports after $1"; }
expect_eq "$(send "$T/jar.marie" "$T/nov.csv")" 404 "a social worker's import"
expect_eq "$(req "$T/jar.rh" POST /import -F "file=@$T/nov.csv")" 403 "an import without the CSRF token"
expect_eq "$(req "$T/jar.rh" POST /import -F "csrf=x" -F "file=@$T/nov.csv")" 403 "an import with a wrong token"
printf 'unit;period;headcount;conflicts\nvaldis/nancy/qualite;2026-11;12;1\nvaldis/nancy/logistique;01/11/2026;20;3\nvaldis/nancy/maintenance;2026-11;;x\n' >"$T/bad.csv"
expect_eq "$(send "$T/jar.rh" "$T/bad.csv")" 400 "a file with errors"
expect_grep "<title>Erreur${NNBSP}: importer des données — Vigie</title>" "$T/b"
expect_grep "Le fichier a des erreurs${NNBSP}: rien n&#39;a été importé." "$T/b"
# The reader's errors, at their places, in the page's language.
sed -n '/<ul class="diags">/,/<\/ul>/p' "$T/b" >"$T/diags"
expect_eq "$(cat "$T/diags")" "<ul class=\"diags\">
<li>cellule B3${NNBSP}: période incorrecte «${NNBSP}01/11/2026${NNBSP}»${NNBSP}: il faut un mois AAAA-MM (2025-01)${NNBSP}; vouliez-vous dire 2026-11${NNBSP}? (un tableur écrit les périodes comme des dates, sauf dans une colonne au format texte)</li>
<li>cellule D4${NNBSP}: valeur incorrecte «${NNBSP}x${NNBSP}» dans la colonne «${NNBSP}conflicts${NNBSP}»${NNBSP}: il faut un nombre positif ou nul, comme 12 ou 12,5</li>
</ul>" "the file's errors in French"
expect_grep 'aria-invalid="true" aria-describedby="file-error file-hint"' "$T/b"
refused "the refusals"
# The workbook itself, not its sheet saved as CSV.
printf 'PK\003\004\024\000\006\000' >"$T/octobre.xlsx"
expect_eq "$(send "$T/jar.rh" "$T/octobre.xlsx")" 400 "a workbook"
expect_grep "<li>cellule A1${NNBSP}: le fichier est un classeur de tableur (.xlsx ou .ods), pas du texte CSV${NNBSP}: enregistrez la feuille en «${NNBSP}CSV UTF-8${NNBSP}» (Excel${NNBSP}: Fichier &gt; Enregistrer sous${NNBSP}; LibreOffice${NNBSP}: Fichier &gt; Enregistrer sous &gt; Texte CSV)</li>" "$T/b"
refused "a workbook"
expect_eq "$(send "$T/jar.nancy" "$T/nov.csv")" 200 "Nancy's HR imports Nancy's file"
expect_eq "$(db "SELECT source, rows, vals, added FROM import_log ORDER BY id DESC LIMIT 1")" "nov.csv|2|4|4" "Nancy's file recorded"
# November now, for two of Nancy's five teams: the three others are said,
# and none of another site.
expect_eq "$(req "$T/jar.nancy" GET /import)" 200 "Nancy's HR's import page"
sed -n '/<ul class="lagging">/,/<\/ul>/p' "$T/b" >"$T/lagging"
expect_eq "$(cat "$T/lagging")" "<ul class=\"lagging\">
<li>valdis/nancy/maintenance, dernière période${NNBSP}: <time datetime=\"2026-10\">octobre${NBSP}2026</time></li>
<li>valdis/nancy/production-jour, dernière période${NNBSP}: <time datetime=\"2026-10\">octobre${NBSP}2026</time></li>
<li>valdis/nancy/production-nuit, dernière période${NNBSP}: <time datetime=\"2026-10\">octobre${NBSP}2026</time></li>
</ul>" "the units of Nancy without November"
expect_grep "Unités de votre périmètre sans cette période (une ligne manque au fichier, ou l'équipe n'existe plus)${NNBSP}:" "$T/b"
# The two teams' November has only these two indicators: the sixteen others
# of their October are said missing, in one line for the two.
others=$(head -n 1 "$VIGIE_SRC/contrib/demo/valdis-2025-11-2026-10.csv" | tr -d '\r' | tr ';' '\n' |
	tail -n +3 | grep -vx 'headcount\|conflicts' | LC_ALL=C sort | sed 's#.*#<code>&</code>#' | paste -sd, | sed 's/,/, /g')
gaps() {
	expect_eq "$(sed -n '/<ul class="gaps">/,/<\/ul>/p' "$T/b")" "<ul class=\"gaps\">
<li>$others (dernière valeur${NNBSP}: <time datetime=\"2026-10\">octobre${NBSP}2026</time>) pour $1</li>
</ul>" "$2"
}
gaps "2 unités${NNBSP}: valdis/nancy/logistique, valdis/nancy/qualite" "the indicators missing from Nancy's November"
expect_grep "Indicateurs que des unités de votre périmètre avaient et qui manquent à cette période (une colonne ou des cellules absentes du fichier)${NNBSP}: les signaux qui les lisent ne sont pas calculés pour ces unités, ou le sont sans cette période, et les totaux des unités qui les contiennent les omettent." "$T/b"
# Each unit's page says it too: what its November lacks, or that it has
# none, where its signals say « non calculée ».
expect_eq "$(req "$T/jar.nancy" GET /units/valdis/nancy/qualite)" 200 "a team's page"
missing=$(echo "$others" | sed "s#</code>#</code> (dernière valeur${NNBSP}: <time datetime=\"2026-10\">octobre${NBSP}2026</time>)#g")
expect_eq "$(grep '<p class="gaps">' "$T/b")" "<p class=\"gaps\">Il manque à <time datetime=\"2026-11\">novembre${NBSP}2026</time>${NNBSP}: $missing${NNBSP}; les signaux qui les lisent ne sont pas calculés à cette période, ou le sont sans elle.</p>" "what the team's November lacks"
expect_eq "$(req "$T/jar.rh" GET /units/valdis/nancy)" 200 "the site's page, for HR of the company"
expect_grep "<p class=\"gaps\">Il manque à <time datetime=\"2026-11\">novembre${NBSP}2026</time>${NNBSP}: $missing${NNBSP}; les" "$T/b"
expect_eq "$(req "$T/jar.nancy" GET /units/valdis/nancy/maintenance)" 200 "the page of a team without November"
expect_eq "$(grep '<p class="gaps">' "$T/b")" "<p class=\"gaps\">Cette unité n'a pas de données pour <time datetime=\"2026-11\">novembre${NBSP}2026</time> (les dernières${NNBSP}: <time datetime=\"2026-10\">octobre${NBSP}2026</time>)${NNBSP}: ses signaux n'y sont pas calculés.</p>" "a team without November"
v1=$(values)
[ "$v1" != "$v0" ] || fail "Nancy's file wrote nothing"
printf 'unit;period;headcount;conflicts\nvaldis/nancy/qualite;2026-11;12;1\nvaldis/epinal/atelier;2026-11;46;2\n' >"$T/two.csv"
expect_eq "$(send "$T/jar.nancy" "$T/two.csv")" 403 "a file naming a unit outside the scope"
expect_grep "Le fichier nomme des unités hors de votre périmètre${NNBSP}: rien n&#39;a été importé." "$T/b"
expect_grep "<li>cellule A3${NNBSP}: l&#39;unité «${NNBSP}valdis/epinal/atelier${NNBSP}» n&#39;est pas de votre périmètre</li>" "$T/b"
expect_eq "$(values)" "$v1" "values after the refusals"
expect_eq "$(imports)" "$((i0 + 1))" "imports after the refusals"

# HR of the whole company: the same file again changes nothing, a new one
# is imported, its warnings said.
expect_eq "$(send "$T/jar.rh" "$T/nov.csv")" 200 "the same file again"
expect_grep "nov.csv${NNBSP}: 2 lignes, 4 valeurs importées (0 ajoutée, 0 remplacée, 4 inchangées)." "$T/b"
printf 'unit;period;headcount;conflicts;conflics\nvaldis/epinal/atelier;2026-11;46;2;1\nvaldis/metz/commercial;2026-11;30;0;0\n' >"$T/dec.csv"
# « Vérifier sans importer »: the figures and the warnings, nothing written.
v2=$(values)
i2=$(imports)
expect_eq "$(send "$T/jar.rh" "$T/dec.csv" -F dry=1)" 200 "a file checked without importing"
expect_grep "dec.csv${NNBSP}: 2 lignes, 6 valeurs, sans erreur, 3 points à vérifier ci-dessous${NNBSP}; l'import en ajouterait 6, en remplacerait 0, 0 inchangée. Rien n'a été importé${NNBSP}: choisissez-le à nouveau" "$T/b"
expect_grep "À vérifier avant d'importer${NNBSP}:" "$T/b"
# The title says what became of the file and how many warnings to read
# (what a screen reader says first), the warnings describe the field.
expect_grep "<title>Vérifié sans importer${NNBSP}: dec.csv, 3 points à vérifier. Importer des données — Vigie</title>" "$T/b"
expect_grep '<div class="message warn" id="file-warn">' "$T/b"
expect_grep 'required aria-describedby="file-warn file-hint">' "$T/b"
# The month's other indicators, which Épinal's and Metz's teams had for
# October: in French too.
expect_grep "<li>en-tête${NNBSP}: ce fichier n&#39;a aucun des indicateurs absence_days, absence_episodes, accident_days_lost, " "$T/b"
expect_grep " pour 2026-11, et la base n&#39;en a pas (unités du fichier qui les avaient pour 2026-10${NNBSP}: 2)${NNBSP}: si un autre fichier les apporte, importez-le aussi${NNBSP}; sinon, les règles qui les lisent ne peuvent évaluer 2026-11</li>" "$T/b"
expect_grep "<li>en-tête${NNBSP}: «${NNBSP}conflics${NNBSP}» est un nouvel indicateur, absent du vocabulaire recommandé (vouliez-vous dire «${NNBSP}conflicts${NNBSP}»${NNBSP}?)</li>" "$T/b"
# The teams of the two sites the file leaves out of the month.
expect_grep "<li>en-tête${NNBSP}: 8 unités qui ont envoyé 2026-10 n&#39;ont rien pour 2026-11, ni dans ce fichier ni dans la base, alors que le fichier apporte leurs voisines (la première${NNBSP}: valdis/epinal/entretien)${NNBSP}: oubliées dans l&#39;export${NNBSP}? Jusqu&#39;à l&#39;import de leurs chiffres, les totaux de 2026-11 de leurs unités parentes ne les comptent pas et leurs règles ne peuvent évaluer 2026-11</li>" "$T/b"
expect_eq "$(values)" "$v2" "values after a check"
expect_eq "$(imports)" "$i2" "imports after a check"
expect_eq "$(send "$T/jar.rh" "$T/dec.csv")" 200 "a file for two sites"
expect_grep "dec.csv${NNBSP}: 2 lignes, 6 valeurs importées (6 ajoutées, 0 remplacée, 0 inchangée)." "$T/b"
expect_grep "<title>Importé${NNBSP}: dec.csv, 3 points à vérifier. Importer des données — Vigie</title>" "$T/b"
expect_grep "Vigie évalue les règles sur ces données dans les secondes qui suivent${NNBSP}: les alertes qu'elles déclenchent apparaissent alors dans <a href=\"/\">Mes alertes</a>." "$T/b"
expect_grep "À vérifier (le fichier est importé)${NNBSP}:" "$T/b"
expect_grep "<li>en-tête${NNBSP}: «${NNBSP}conflics${NNBSP}» est un nouvel indicateur, absent du vocabulaire recommandé (vouliez-vous dire «${NNBSP}conflicts${NNBSP}»${NNBSP}?)</li>" "$T/b"
expect_eq "$(db "SELECT source, rows, vals, added, replaced, unchanged FROM import_log ORDER BY id DESC LIMIT 1")" "dec.csv|2|6|6|0|0" "the import recorded"
# Checked again once imported, corrected: what the import would change.
sed 's/;46;2;1$/;46;3;1/' "$T/dec.csv" >"$T/dec2.csv"
expect_eq "$(send "$T/jar.rh" "$T/dec2.csv" -F dry=1)" 200 "a correction checked"
expect_grep "dec2.csv${NNBSP}: 2 lignes, 6 valeurs, sans erreur, 2 points à vérifier ci-dessous${NNBSP}; l'import en ajouterait 0, en remplacerait 1, 5 inchangées. Rien n'a été importé" "$T/b"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" audit
grep -qE '^[0-9TZ:-]+ +rh +web +import +dec\.csv +6 values$' "$T/out" || fail "the import not in the audit log: $(cat "$T/out")"
expect_grep 'rh imported dec.csv: 6 values (6 added, 0 replaced, 0 unchanged)' "$T/web.log"
# The latest imports, newest first, and a deletion among them.
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" delete --period 2026-11 --unit valdis/metz/commercial
expect_eq "$(req "$T/jar.rh" GET /import)" 200 "the import page after a deletion"
sed -n '/<h2>Derniers imports/,/<\/table>/p' "$T/b" | grep '<tr><td' | sed 's/<td data-label="Date">[^<]*<\/td>//' | head -n 3 >"$T/rows"
# Who: the console's account, the operating-system user of the command
# (as the audit log names it).
me=$(db "SELECT actor FROM audit WHERE action = 'delete'")
[ -n "$me" ] || fail "the deletion not in the audit log"
expect_eq "$(cat "$T/rows")" "<tr><td data-label=\"Fichier\">vigie delete --period 2026-11 --unit valdis/metz/commercial</td><td data-label=\"Origine\">commande, $me</td><td data-label=\"Lignes\">–</td><td data-label=\"Valeurs\">3 supprimées</td><td data-label=\"À vérifier\">–</td></tr>
<tr><td data-label=\"Fichier\">dec.csv</td><td data-label=\"Origine\">console, rh</td><td data-label=\"Lignes\">2</td><td data-label=\"Valeurs\">6 (6 ajoutées, 0 remplacée, 0 inchangée)</td><td data-label=\"À vérifier\"><details><summary>3 avertissements</summary>
<tr><td data-label=\"Fichier\">nov.csv</td><td data-label=\"Origine\">console, rh</td><td data-label=\"Lignes\">2</td><td data-label=\"Valeurs\">4 (0 ajoutée, 0 remplacée, 4 inchangées)</td><td data-label=\"À vérifier\"><details><summary>2 avertissements</summary>" "the latest imports"
# Each import's warnings, folded under their number, as the page said
# them when the file was sent.
sed -n '/<td data-label="Fichier">dec.csv/,/<\/details>/p' "$T/b" >"$T/warned"
expect_grep "<li>ligne 1, caractère 33${NNBSP}: «${NNBSP}conflics${NNBSP}» est un nouvel indicateur, absent du vocabulaire recommandé (vouliez-vous dire «${NNBSP}conflicts${NNBSP}»${NNBSP}?)</li>" "$T/warned"
expect_eq "$(grep -c '^<li>' "$T/warned")" 3 "dec.csv's warnings on the import page"
# A file HR drops in the inbox: the daemon writes its warnings in English
# beside it, for ops; the import page shows them to HR, in French.
mkdir -p "$T/inbox"
sed -i "1i inbox: $T/inbox" "$T/vigie.yaml"
printf 'unit;period;headcount;conflicts;grievence\nvaldis/epinal/atelier;2026-11;46;2;1\n' >"$T/inbox/.griefs.csv"
touch -d '-10 seconds' "$T/inbox/.griefs.csv"
mv "$T/inbox/.griefs.csv" "$T/inbox/griefs.csv"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_grep 'griefs.csv:1:33: warning: "grievence" is a new indicator, not in the recommended vocabulary (did you mean "grievances"?)' "$T/inbox/processed/griefs.csv.warnings.txt"
expect_eq "$(req "$T/jar.rh" GET /import)" 200 "the import page after the inbox's file"
sed -n '/<td data-label="Fichier">griefs.csv/,/<\/details>/p' "$T/b" >"$T/warned"
expect_grep "<td data-label=\"Origine\">dépôt, $me</td>" "$T/warned"
expect_grep "<li>ligne 1, caractère 33${NNBSP}: «${NNBSP}grievence${NNBSP}» est un nouvel indicateur, absent du vocabulaire recommandé (vouliez-vous dire «${NNBSP}grievances${NNBSP}»${NNBSP}?)</li>" "$T/warned"
# The one found at the end of the daemon's pass (no other file brought
# the month's indicators) too.
expect_grep "<li>ligne 1, caractère 13${NNBSP}: ce fichier n&#39;a aucun des indicateurs absence_days, " "$T/warned"
expect_grep "<summary>3 avertissements</summary>" "$T/warned"
expect_eq "$(db "SELECT actor || ' ' || via FROM import_log WHERE source = 'nov.csv' ORDER BY id LIMIT 1")" "rhnancy web" "Nancy's HR's import"
# Épinal's team now lacks them too (Metz's November was deleted): HR of
# the company sees the three teams, Nancy's HR its two.
gaps "3 unités${NNBSP}: valdis/epinal/atelier, valdis/nancy/logistique, valdis/nancy/qualite" "the indicators missing, for HR of the company"
expect_eq "$(req "$T/jar.nancy" GET /import)" 200 "Nancy's HR's import page again"
gaps "2 unités${NNBSP}: valdis/nancy/logistique, valdis/nancy/qualite" "the indicators missing, for Nancy's HR"
# HR of one site: the number of another site's file's warnings, not
# their text, which names units it does not see; the warnings of a file
# it sent itself.
sed -n '/<td data-label="Fichier">griefs.csv/,/<\/tr>/p' "$T/b" >"$T/warned"
expect_grep "<td data-label=\"À vérifier\">3 avertissements, détaillés aux comptes qui voient toute l'entreprise</td>" "$T/warned"
expect_no_grep "grievence" "$T/warned"
expect_no_grep "<summary>3 avertissements</summary>" "$T/b"
sed -n '/<td data-label="Origine">console, rhnancy/,/<\/tr>/p' "$T/b" >"$T/warned"
expect_grep "<summary>2 avertissements</summary>" "$T/warned"

# The name recorded: the browser's, cut at 100 bytes on a character's
# boundary; bytes that are no UTF-8 become '_'.
long="ab$(printf '€%.0s' $(seq 1 40)).csv"
tok=$(csrf "$T/jar.rh" /)
expect_eq "$(req "$T/jar.rh" POST /import -F "csrf=$tok" -F "file=@$T/nov.csv;filename=$long")" 200 "a long accented name"
expect_eq "$(db "SELECT source FROM import_log ORDER BY id DESC LIMIT 1")" "ab$(printf '€%.0s' $(seq 1 32))" "the long name recorded"
expect_eq "$(req "$T/jar.rh" POST /import -F "csrf=$tok" -F "file=@$T/nov.csv;filename=$(printf 'f\xe9vrier.csv')")" 200 "a Latin-1 name"
expect_eq "$(db "SELECT source FROM import_log ORDER BY id DESC LIMIT 1")" "f_vrier.csv" "the Latin-1 name recorded"
# A right-to-left override (and the other marks of direction) would show
# the name reversed in the import and audit logs: '_' for each.
expect_eq "$(req "$T/jar.rh" POST /import -F "csrf=$tok" -F "file=@$T/nov.csv;filename=$(printf 'releve\u202evsc.exe\u200f.csv')")" 200 "a name with a right-to-left override"
expect_eq "$(db "SELECT source FROM import_log ORDER BY id DESC LIMIT 1")" "releve_vsc.exe_.csv" "the name recorded without its marks of direction"

# Slow uploads without a session (no cookie, or one of no session) take
# no slot: an import of HR goes on while they trickle, and they get the
# answer of a form whose session has ended.
head -c 1000000 /dev/zero | tr '\0' '1' >"$T/slow.csv"
tok=$(csrf "$T/jar.rh" /)
SLOW=()
curl -s -o /dev/null --limit-rate 50K -F "csrf=$tok" -F "file=@$T/slow.csv" "$BASE/import" &
SLOW+=($!)
PIDS+=($!)
curl -s -o /dev/null --limit-rate 50K -b "vigie=$(printf "a%.0s" $(seq 1 43))" -F "csrf=$tok" -F "file=@$T/slow.csv" "$BASE/import" &
SLOW+=($!)
PIDS+=($!)
sleep 1
expect_eq "$(send "$T/jar.rh" "$T/nov.csv")" 200 "an import beside two anonymous slow uploads"
kill "${SLOW[@]}"
wait "${SLOW[@]}" 2>/dev/null
expect_eq "$(req "$T/jar.none" POST /import -F "csrf=$tok" -F "file=@$T/nov.csv")" 303 "an import without a session"

# Two imports being read hold the console's two slots: a third is refused
# (503) before its body is read, whoever sends it; a slot comes back when
# its upload ends, even cut short.
SLOW=()
for i in 1 2; do
	curl -s -o /dev/null --limit-rate 50K -b "$T/jar.rh" -F "csrf=$tok" -F "file=@$T/slow.csv" "$BASE/import" &
	SLOW+=($!)
	PIDS+=($!)
done
sleep 1
expect_eq "$(send "$T/jar.rh" "$T/nov.csv")" 503 "a third import at once"
expect_grep 'too many imports at once: try again in a moment' "$T/b"
kill "${SLOW[@]}"
wait "${SLOW[@]}" 2>/dev/null
for _ in $(seq 1 50); do
	[ "$(send "$T/jar.rh" "$T/nov.csv")" = 200 ] && break
	sleep 0.1
done
expect_eq "$(send "$T/jar.rh" "$T/nov.csv")" 200 "an import once the others ended"

# import_roles: [] closes the page (on reload).
printf '  import_roles: []\n' >>"$T/vigie.yaml"
kill -HUP "$WEB"
for _ in $(seq 1 50); do
	[ "$(req "$T/jar.rh" GET /import)" = 404 ] && break
	sleep 0.1
done
expect_eq "$(req "$T/jar.rh" GET /import)" 404 "the import page without import roles"
grep -qF 'href="/import"' "$T/b" && fail "the import link without import roles"
printf '  import_roles: hr\n' >"$T/bad.yaml"
sed '/import_roles/d' "$T/vigie.yaml" >"$T/v2.yaml"
cat "$T/bad.yaml" >>"$T/v2.yaml"
expect_exit 78 "$VIGIE_BIN/vigie-web" --check -c "$T/v2.yaml"
expect_grep "v2.yaml:$(wc -l <"$T/v2.yaml"):17: error:" "$T/err"
sed -i '$d' "$T/v2.yaml"
printf '  import_roles: [hr, rhh]\n' >>"$T/v2.yaml"
expect_exit 0 "$VIGIE_BIN/vigie-web" --check -c "$T/v2.yaml"
expect_grep "v2.yaml:$(wc -l <"$T/v2.yaml"):22: warning: web.import_roles: \"rhh\" is not a role of recipients, so no account has it" "$T/err"
web_stop
exit 0
