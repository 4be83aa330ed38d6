#!/usr/bin/env bash
# The console when the database's disk is full: a note that cannot be
# saved is not lost. Its page comes back (503, "Erreur : " in its title)
# with the text in its field and a message saying it is not saved; the
# console's log says why; nothing is stored. Once there is room again, the
# same form saves it. The same for a note on a unit and for a correction;
# what has no text to keep (taking an alert in charge) is a 500 whose
# reason is in the log, as the error page says.
# The database lives on a small file system of its own, mounted in a mount
# namespace, filled by a ballast file.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1
command -v curl >/dev/null || { echo "curl missing"; exit 77; }
command -v sqlite3 >/dev/null || { echo "sqlite3 missing"; exit 77; }
unshare -m true 2>/dev/null || { echo "no mount namespace (unshare -m)"; exit 77; }

mkdir -p "$T/rules.d" "$T/db"
cp "$SRC"/tests/integration/web-rules.yaml "$T/rules.d/10-web.yaml"
PORT=$(free_port)
BASE="http://127.0.0.1:$PORT"
web_demo_config "$T/vigie.yaml"
sed -i "s|^database: .*|database: $T/db/vigie.db|" "$T/vigie.yaml"
printf 'web:\n  listen: 127.0.0.1:%s\n' "$PORT" >>"$T/vigie.yaml"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$SRC"/contrib/demo/valdis-*.csv
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
web_user marie social-worker --scope valdis/nancy --scope 'valdis/nancy/**'
web_user rh hr

cp -rp "$T/db" "$T/db.copy"
(exec unshare -m sh -c 'mount -t tmpfs -o size=32m,mode=0700 tmpfs "$0" &&
	cp -p "$0.copy"/vigie.db "$0"/ && exec "$@"' "$T/db" \
	"$VIGIE_BIN/vigie-web" -c "$T/vigie.yaml") 2>>"$T/web.log" &
WEB=$!
PIDS+=("$WEB")
wait_for curl -s -o /dev/null "$BASE/login" || { cat "$T/web.log"; fail "vigie-web did not start"; }
ns() { nsenter -t "$WEB" -m "$@"; }	# CMD...: in the console's mount namespace
notes() { ns sqlite3 "$T/db/vigie.db" "SELECT group_concat(body, '|') FROM note"; }

M=$T/jar
expect_eq "$(login "$M" marie)" 303 "marie logs in"
H=$T/jar.rh
expect_eq "$(login "$H" rh)" 303 "rh logs in"
tokh=$(csrf "$H" /import)
A=/alerts/absenteeism-rate@valdis/nancy/production-nuit
U=/units/valdis/nancy
tok=$(csrf "$M" "$A")
expect_eq "$(req "$M" POST "$U" --data "action=note&csrf=$tok&body=Premiere+note")" 303 "a note, with room"
nid=$(ns sqlite3 "$T/db/vigie.db" "SELECT id FROM note")

ns dd if=/dev/zero of="$T/db/ballast" bs=4k 2>/dev/null
expect_eq "$(ns stat -f -c %a "$T/db")" 0 "room left on the database's disk"
NNBSP=$'\u202f'
# unsaved PATH DATA TEXT: the form's page again, 503, TEXT in its field.
unsaved() {
	expect_eq "$(req "$M" POST "$1" --data "csrf=$tok&$2")" 503 "a note posted to $1 on a full disk"
	expect_grep "<title>Erreur" "$T/b"
	expect_grep "role=\"alert\">La note n'a pas pu être enregistrée (une erreur du serveur, consignée dans son journal)$NNBSP: son texte est ci-dessous, réessayez plus tard.</span>" "$T/b"
	expect_grep "aria-describedby=\"body-error " "$T/b"
	expect_grep ">$3</textarea>" "$T/b"
}
unsaved "$A" "action=note&body=Visite+de+l%27equipe+lundi" "Visite de l&#39;equipe lundi"
unsaved "$U" "action=note&body=Permanence+jeudi" "Permanence jeudi"
unsaved "/notes/$nid" "action=edit&body=Premiere+note+corrigee" "Premiere note corrigee"
expect_grep "cannot save a note on absenteeism-rate@valdis/nancy/production-nuit: database or disk is full" "$T/web.log"
expect_grep "cannot save a note on valdis/nancy: database or disk is full" "$T/web.log"
expect_grep "cannot correct note $nid: database or disk is full" "$T/web.log"
expect_eq "$(notes)" "Premiere note" "the notes stored"
# Taking an alert in charge has no text to keep: 500, and why in the log
# (as the page says).
expect_eq "$(req "$M" POST "$A" --data "csrf=$tok&action=take")" 500 "taken in charge on a full disk"
expect_grep "consignée dans le journal du service" "$T/b"
expect_grep "cannot record that absenteeism-rate@valdis/nancy/production-nuit is acknowledged: database or disk is full" "$T/web.log"
# An import from the console: its page again, 503, nothing imported.
printf 'unit;period;headcount;conflicts\nvaldis/nancy/qualite;2026-11;12;1\n' >"$T/nov.csv"
expect_eq "$(req "$H" POST /import -F "csrf=$tokh" -F "file=@$T/nov.csv")" 503 "an import on a full disk"
expect_grep "La base de données n&#39;a pas pu enregistrer le fichier${NNBSP}: rien n&#39;a été importé." "$T/b"
expect_grep '<form method="post" action="/import" enctype="multipart/form-data">' "$T/b"
expect_grep "cannot import nov.csv for rh: database or disk is full" "$T/web.log"
expect_eq "$(ns sqlite3 "$T/db/vigie.db" "SELECT count(*) FROM import_log WHERE source = 'nov.csv'")" 0 "nov.csv recorded on a full disk"

# Room again: the same forms save them.
ns rm "$T/db/ballast"
expect_eq "$(req "$M" POST "$A" --data "csrf=$tok&action=note&body=Visite+de+l%27equipe+lundi")" 303 "the note on the alert, with room"
expect_eq "$(req "$M" POST "$U" --data "csrf=$tok&action=note&body=Permanence+jeudi")" 303 "the note on the unit, with room"
expect_eq "$(req "$M" POST "/notes/$nid" --data "csrf=$tok&action=edit&body=Premiere+note+corrigee")" 303 "the correction, with room"
expect_eq "$(notes)" "Premiere note corrigee|Visite de l'equipe lundi|Permanence jeudi" "the notes stored"
expect_eq "$(req "$M" POST "$A" --data "csrf=$tok&action=take")" 303 "taken in charge, with room"
expect_eq "$(req "$H" POST /import -F "csrf=$tokh" -F "file=@$T/nov.csv")" 200 "the import, with room"
web_stop
exit 0
