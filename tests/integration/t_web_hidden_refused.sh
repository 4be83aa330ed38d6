#!/usr/bin/env bash
# The console changes no hidden figure of a month already shown (SPEC 3,
# vigie-web(8)): a site manager with the import page (role hr, scoped to
# the site) who removes a small team's month, compares the site's figures
# and puts it back would read it. So the import page refuses a file that
# gives values only to hidden cells (under the floor, beside such a team,
# one person's) of periods already stored, evaluated or not (a stored month
# is shown before the daemon evaluates it): nothing written, the check
# without importing says the same, whatever the value (a guess right or
# wrong reads alike), and the attempt is in the audit log. A file that
# brings something else too (an export that sends the months before again
# with a new month, a correction of a team shown) is imported without those
# values, which stay as stored, whatever they are. The month's new values
# import as they come. « Retirer les valeurs d'une période » refuses a
# removal that would move a shown figure by a hidden one, at any stored
# period. The command line keeps its warnings (its user reads the database
# anyway).
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1
command -v curl >/dev/null || { echo "curl missing"; exit 77; }
PORT=$(free_port)
NNBSP=$'\u202f'
NBSP=$'\u00a0'
web_hr_config "min_headcount: 5"
absence_rule
cd "$T"
values() { $PY "$SRC/tests/integration/dbvalues.py" "$T/vigie.db"; }
# August and September: acme/s/b (4 people) under the floor, hidden with
# acme/s/c (6) beside it; in August, acme/s/e's days are one person's.
cat >months.csv <<'CSV'
unit,period,headcount,absence_days,absence_days_max
acme/s/a,2026-08,20,30,5
acme/s/b,2026-08,4,12,11
acme/s/c,2026-08,6,7,3
acme/s/e,2026-08,10,10,9
acme/s/a,2026-09,20,31,5
acme/s/b,2026-09,4,3,2
acme/s/c,2026-09,6,6,2
acme/s/e,2026-09,10,8,3
CSV
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import months.csv
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_eq "$(absence_at acme/s/b 2026-09)" hidden "b under the floor"
expect_eq "$(absence_at acme/s/c 2026-09)" hidden "c beside it"
expect_eq "$(absence_at acme/s/e 2026-08)" hidden "e's August, one person's"
expect_eq "$(absence_at acme/s/a 2026-09)" 31 "a shown"
values >before.txt

web_user nancy hr --scope acme/s --scope 'acme/s/**'
web_start
J=$T/jar
expect_eq "$(login "$J" nancy)" 303 "nancy logs in"
send() {	# FILE [dry]: the status of the import form's POST
	local tok
	tok=$(csrf "$J" /import)
	req "$J" POST /import -F "csrf=$tok" -F "file=@$1;type=text/csv" ${2:+-F dry=1}
}
refusal() {	# the refusal's paragraph of $T/b
	sed -n 's/.*<div class="message error" id="file-error" role="alert"><p>\([^<]*\)<\/p>.*/\1/p' "$T/b"
}
said="Rien n&#39;a été importé$NNBSP: ce fichier ne donne de valeurs qu&#39;à des chiffres masqués de périodes déjà enregistrées (1 valeur, la première$NNBSP: absence_days de acme/s/b en septembre${NBSP}2026)."
way="Une telle correction se fait par l&#39;exploitation, sur le serveur, avec vigie import (vigie delete pour retirer une valeur).</p>"

# A guess at b's September, wrong or right: the check refuses it alike.
printf 'unit,period,absence_days\nacme/s/b,2026-09,5\n' >wrong.csv
printf 'unit,period,absence_days\nacme/s/b,2026-09,3\n' >right.csv
expect_eq "$(send wrong.csv dry)" 409 "the check of a wrong guess"
expect_grep "$said" "$T/b"
expect_grep "$way" "$T/b"
refusal >wrong.txt
expect_eq "$(send right.csv dry)" 409 "the check of the right guess"
refusal >right.txt
expect_eq "$(cat right.txt)" "$(cat wrong.txt)" "a right guess reads as a wrong one"
[ -s right.txt ] || fail "no refusal read"
# The import itself: refused, nothing written.
expect_eq "$(send wrong.csv)" 409 "the import of a hidden value"
expect_grep "$said" "$T/b"
expect_grep "<title>Erreur$NNBSP: importer des données" "$T/b"
expect_eq "$(send right.csv)" 409 "the import of the stored value"
# A complement, and a value that is one person's: the same.
printf 'unit,period,absence_days\nacme/s/c,2026-09,6\n' >c.csv
expect_eq "$(send c.csv)" 409 "c's September"
expect_grep "(1 valeur, la première$NNBSP: absence_days de acme/s/c en septembre${NBSP}2026)" "$T/b"
printf 'unit,period,absence_days,absence_days_max\nacme/s/e,2026-08,10,9\n' >e.csv
expect_eq "$(send e.csv)" 409 "e's August"
expect_grep "ce fichier ne donne de valeurs qu&#39;à des chiffres masqués de périodes déjà enregistrées (2 valeurs, la première" "$T/b"
values >after.txt
expect_eq "$(cat after.txt)" "$(cat before.txt)" "nothing written"
# Two files, one refused: neither imported.
printf 'unit,period,absence_days\nacme/s/a,2026-09,41\n' >a.csv
tok=$(csrf "$J" /import)
expect_eq "$(req "$J" POST /import -F "csrf=$tok" -F "file=@a.csv;type=text/csv" \
	-F "file=@wrong.csv;type=text/csv")" 409 "two files, one refused"
expect_grep "1 fichier sur 2 refusé ci-dessous$NNBSP: rien n&#39;a été importé." "$T/b"
values >after.txt
expect_eq "$(cat after.txt)" "$(cat before.txt)" "nothing written of either"
# The attempts are in the audit log.
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" audit
audited() { grep -qE "$1" "$T/out" || { cat "$T/out"; fail "'$1' not audited"; }; }
audited "nancy +web +import-refused +wrong.csv +checked: 1 hidden values of stored periods \(acme/s/b absence_days 2026-09\)$"
audited "nancy +web +import-refused +wrong.csv +1 hidden values of stored periods \(acme/s/b absence_days 2026-09\)$"

# The months sent again, the same, with October: imported, the hidden
# values left as stored, and said.
{ cat months.csv; cat <<'CSV'
acme/s/a,2026-10,20,29,5
acme/s/b,2026-10,4,2,1
acme/s/c,2026-10,6,5,2
acme/s/e,2026-10,10,9,3
CSV
} >rolling.csv
expect_eq "$(send rolling.csv dry)" 200 "the check of a rolling export"
# The values left as stored are counted on their own, neither replaced nor
# unchanged: the four figures add up to the file's 36.
expect_grep "36 valeurs, sans erreur, 1 point à vérifier ci-dessous$NNBSP; l'import en ajouterait 12, en remplacerait 8, 8 inchangées, 8 laissées telles qu&#39;enregistrées." "$T/b"
expect_grep "8 valeurs de chiffres masqués de périodes déjà enregistrées (la première$NNBSP: absence_days de acme/s/b en août${NBSP}2026) sont laissées telles qu&#39;enregistrées" "$T/b"
expect_eq "$(send rolling.csv)" 200 "the import of a rolling export"
expect_grep "36 valeurs importées (12 ajoutées, 8 remplacées, 8 inchangées, 8 laissées telles qu&#39;enregistrées)." "$T/b"
# The list of imports says the same of it.
expect_grep "<td data-label=\"Valeurs\">36 (12 ajoutées, 8 remplacées, 8 inchangées, 8 laissées telles qu&#39;enregistrées)</td>" "$T/b"
values >after.txt
expect_eq "$(grep -v ',2026-10,' after.txt)" "$(cat before.txt)" "the months before as they were"
expect_eq "$(grep -c ',2026-10,' after.txt)" 12 "October imported"

# The removal of a hidden figure: refused at the count and at the
# confirmation, nothing removed.
ask() {	# FIELDS...: the status of the removal form's POST
	local tok
	tok=$(csrf "$J" /import)
	req "$J" POST /import/delete --data-urlencode "csrf=$tok" "$@"
}
expect_eq "$(ask --data-urlencode period=2026-09 --data-urlencode unit=acme/s/b)" 409 \
	"the count of b's September"
expect_grep "<p class=\"message error\" role=\"alert\">Rien n'a été retiré$NNBSP: le retrait ôterait absence_days de <code>acme/s/b</code> en <time datetime=\"2026-09\">septembre${NBSP}2026</time>, un chiffre masqué d&#39;une période déjà enregistrée." "$T/b"
expect_grep "Un tel retrait se fait par l&#39;exploitation, sur le serveur, avec vigie delete (vigie import pour corriger une valeur).</p>" "$T/b"
expect_no_grep "Retirer ces" "$T/b"
expect_eq "$(ask --data-urlencode period=2026-09 --data-urlencode unit=acme/s/b \
	--data-urlencode confirm=1 --data-urlencode expect=3)" 409 "its confirmation"
expect_eq "$(ask --data-urlencode period=2026-08 --data-urlencode unit=acme/s/e \
	--data-urlencode indicator=absence_days)" 409 "e's August, one person's"
expect_eq "$(ask --data-urlencode period=2026-09 --data-urlencode unit=acme/s/c \
	--data-urlencode confirm=1 --data-urlencode expect=3)" 409 "c's September"
values >after.txt
expect_eq "$(grep -v ',2026-10,' after.txt)" "$(cat before.txt)" "nothing removed"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" audit
audited "nancy +web +delete-refused +--period 2026-09 --unit acme/s/b \(within acme/s, acme/s/\*\*\) +hidden value of a stored period \(acme/s/b absence_days\)$"
# A team shown, the site's whole month: counted as before.
expect_eq "$(ask --data-urlencode period=2026-09 --data-urlencode unit=acme/s/a)" 200 "a's September"
expect_grep "Retirer ces 3 valeurs" "$T/b"
expect_eq "$(ask --data-urlencode period=2026-09)" 200 "the scope's September"
expect_grep "Retirer ces 12 valeurs" "$T/b"

# October is stored, not evaluated yet, and shown already (the works
# council report, the console): its hidden figures are refused alike.
expect_eq "$(ask --data-urlencode period=2026-10 --data-urlencode unit=acme/s/b \
	--data-urlencode indicator=absence_days)" 409 "b's October, not evaluated"
expect_grep "un chiffre masqué d&#39;une période déjà enregistrée." "$T/b"
expect_eq "$(ask --data-urlencode period=2026-10 --data-urlencode unit=acme/s/b \
	--data-urlencode confirm=1 --data-urlencode expect=3)" 409 "its confirmation"
printf 'unit,period,absence_days\nacme/s/b,2026-10,7\n' >oct.csv
expect_eq "$(send oct.csv)" 409 "a value for b's October, not evaluated"
expect_grep "(1 valeur, la première$NNBSP: absence_days de acme/s/b en octobre${NBSP}2026)" "$T/b"
values >oct.txt
expect_eq "$(grep -c ',2026-10,' oct.txt)" 12 "October as it was"
# The same rolling export again: imported, its hidden values as stored.
top() { sed '/<h2>Données reçues/q' "$T/b"; }	# the answer, not the list
expect_eq "$(send rolling.csv)" 200 "the rolling export sent twice"
top >top.html
expect_grep "36 valeurs importées (0 ajoutée, 12 remplacées, 12 inchangées, 12 laissées telles qu&#39;enregistrées)." top.html
expect_grep "12 valeurs de chiffres masqués de périodes déjà enregistrées" top.html
# A plain new month: imported as it comes, no warning; twice, the same.
cat >nov.csv <<'CSV'
unit,period,headcount,absence_days,absence_days_max
acme/s/a,2026-11,20,28,5
acme/s/b,2026-11,4,1,1
acme/s/c,2026-11,6,4,2
acme/s/e,2026-11,10,7,3
CSV
expect_eq "$(send nov.csv)" 200 "a new month"
top >top.html
expect_grep "12 valeurs importées (12 ajoutées, 0 remplacée, 0 inchangée)" top.html
expect_no_grep "chiffres masqués" top.html
expect_eq "$(send nov.csv)" 200 "the new month sent twice"
top >top.html
expect_grep "12 valeurs importées (0 ajoutée, 4 remplacées, 4 inchangées, 4 laissées telles qu&#39;enregistrées)." top.html
expect_grep "4 valeurs de chiffres masqués de périodes déjà enregistrées" top.html
values >nov.txt
expect_eq "$(grep ',2026-11,' nov.txt | wc -l)" 12 "November stored"

# A correction of a team shown with the hidden values of the months sent
# again: imported, those left as stored whatever they are (a right and a
# wrong guess read alike).
printf 'unit,period,absence_days\nacme/s/a,2026-09,40\nacme/s/b,2026-09,3\n' >mixed.csv
printf 'unit,period,absence_days\nacme/s/a,2026-09,40\nacme/s/b,2026-09,9\n' >mixwrong.csv
page() { sed 's/name="csrf" value="[^"]*"//g; s/mix\(ed\|wrong\)\.csv//g' "$T/b"; }
expect_eq "$(send mixed.csv dry)" 200 "the check of a correction with a right guess"
page >mixed.txt
expect_eq "$(send mixwrong.csv dry)" 200 "the check of a correction with a wrong guess"
page >mixwrong.txt
expect_eq "$(cat mixwrong.txt)" "$(cat mixed.txt)" "a right guess reads as a wrong one"
expect_grep "1 valeur de chiffres masqués de périodes déjà enregistrées (la première$NNBSP: absence_days de acme/s/b en septembre${NBSP}2026) est laissée telle qu&#39;enregistrée" "$T/b"
expect_grep "l'import en ajouterait 0, en remplacerait 1, 0 inchangée, 1 laissée telle qu&#39;enregistrée." "$T/b"
values >before.txt
expect_eq "$(send mixwrong.csv)" 200 "a correction with a hidden value"
values >after.txt
expect_eq "$(diff before.txt after.txt | grep '^[<>]')" "< acme/s/a,2026-09,absence_days,31.0
> acme/s/a,2026-09,absence_days,40.0" "a's September corrected, b's as stored"
web_stop

# The command line warns and imports: its user reads the database.
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import wrong.csv
expect_grep "wrong.csv:2:1: warning: acme/s/b is under the anonymity floor at 2026-09" "$T/err"
expect_eq "$(cat "$T/out")" "wrong.csv: 1 row, 1 value (0 added, 1 replaced, 0 unchanged)"
