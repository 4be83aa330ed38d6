#!/usr/bin/env bash
# A note corrected or deleted by its author, over HTTP (SPEC 3, 14): only
# the author sees the link and the forms, another user of the role reads
# the note without them and is refused, HR does not even learn that it
# exists (404); a GET changes nothing, a POST needs its CSRF token, a
# deletion its confirmation box; a corrected note says « modifiée le … »
# on its page, on its alert's page and in vigie history; the audit log
# records note-edit and note-delete with the note's id and never its text;
# and a text replaced or deleted is gone from the database files (a note
# that named someone leaves no copy, not in the write-ahead log either).
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1
command -v curl >/dev/null || { echo "curl missing"; exit 77; }

# in_files WORD: how many of the database's files hold WORD, byte for byte.
in_files() { cat "$T"/vigie.db "$T"/vigie.db-wal 2>/dev/null | grep -a -c -- "$1"; }

web_nancy_console

# --- Marie's notes, one naming someone ------------------------------------
A=/alerts/absenteeism-rate@valdis/nancy/production-nuit
U=/units/valdis/nancy
tok=$(csrf "$M" "$A")
expect_eq "$(req "$M" POST "$A" --data "action=note&csrf=$tok&body=Entretien+avec+Zorglubovitch+mardi&anyway=1")" 303 "a note naming someone, saved anyway"
expect_eq "$(req "$M" POST "$U" --data "action=note&csrf=$tok&body=Permanence+Quetzalcoatlus+jeudi")" 303 "a note on a unit"
nid=$(db "SELECT id FROM note WHERE body LIKE 'Entretien%'")
uid=$(db "SELECT id FROM note WHERE body LIKE 'Permanence%'")
[ -n "$nid" ] && [ -n "$uid" ] || fail "the notes were not saved"
NNBSP=$'\u202f'
# A note that names a person or speaks of health is asked about before it
# is saved: the form again (400), the text kept, the word said, a box to
# save it anyway; ticked, it is saved as written.
n0=$(db "SELECT count(*) FROM note")
expect_eq "$(req "$M" POST "$A" --data "action=note&csrf=$tok&body=Vu+Mme+Martin,+en+arr%C3%AAt+maladie")" 400 "a note with a name and a health word"
expect_grep "Cette note semble nommer une personne ou parler de sa santé («${NNBSP}Mme Martin${NNBSP}»)${NNBSP}: relisez-la." "$T/b"
expect_grep '>Vu Mme Martin, en arrêt maladie</textarea>' "$T/b"
expect_grep '<input type="checkbox" id="anyway" name="anyway" value="1">' "$T/b"
expect_eq "$(db "SELECT count(*) FROM note")" "$n0" "nothing saved"
# The team's page lists the notes on its alerts after its own, each saying
# which alert, linked: a colleague covering a leave finds them there.
expect_eq "$(req "$M" GET /units/valdis/nancy/production-nuit)" 200 "the team's page"
expect_grep "<p>Aucune note sur l'unité elle-même.</p>" "$T/b"
expect_grep "<h3>Sur ses alertes</h3>" "$T/b"
expect_grep " — sur l'alerte <a href=\"$A\">" "$T/b"
expect_grep '<div class="note-body">Entretien avec Zorglubovitch mardi</div>' "$T/b"
expect_eq "$(req "$M" GET "$U")" 200 "the site's page"
expect_no_grep "Sur ses alertes" "$T/b"

# The author has a link to the note's page, with labelled forms.
expect_eq "$(req "$M" GET "$A")" 200 "marie's alert page"
expect_grep "<p><a href=\"/notes/$nid\">Corriger ou supprimer cette note</a></p>" "$T/b"
expect_no_grep "modifiée le" "$T/b"
expect_eq "$(req "$M" GET "/notes/$nid")" 200 "the note's page for its author"
expect_grep "<form method=\"post\" action=\"/notes/$nid\">" "$T/b"
expect_grep '<label for="body">Texte de la note (8000 caractères au plus)</label>' "$T/b"
expect_grep '<textarea id="body" name="body" rows="6" required aria-describedby="edit-hint">Entretien avec Zorglubovitch mardi</textarea>' "$T/b"
expect_grep '<input type="checkbox" id="confirm" name="confirm" value="yes" required>' "$T/b"
expect_grep '<label for="confirm">Je supprime cette note définitivement' "$T/b"
expect_grep '<button type="submit">Enregistrer la correction</button>' "$T/b"
expect_grep '<button type="submit">Supprimer la note</button>' "$T/b"
# Another social worker reads it, without the link or the forms.
expect_eq "$(req "$C" GET "$A")" 200 "claire's alert page"
expect_grep "Zorglubovitch" "$T/b"
expect_no_grep "Corriger ou supprimer" "$T/b"
expect_eq "$(req "$C" GET "/notes/$nid")" 200 "the note's page for claire"
expect_no_grep "<form method=\"post\" action=\"/notes/" "$T/b"
expect_no_grep "<textarea" "$T/b"

# --- What changes nothing -------------------------------------------------
before=$(db "SELECT (SELECT group_concat(id || ':' || body || ':' || coalesce(edited_at, ''), '|') FROM note) || ' ' || (SELECT count(*) FROM audit)")
tok_c=$(csrf "$C" "$A")
tok_r=$(csrf "$R" /)
expect_eq "$(req "$C" POST "/notes/$nid" --data "action=edit&csrf=$tok_c&body=autre")" 403 "claire corrects marie's note"
expect_grep "Seul l&#39;auteur d&#39;une note peut la corriger ou la supprimer." "$T/b"
expect_eq "$(req "$C" POST "/notes/$nid" --data "action=delete&csrf=$tok_c&confirm=yes")" 403 "claire deletes marie's note"
expect_eq "$(req "$R" GET "/notes/$nid")" 404 "the note's page for HR"
expect_eq "$(req "$R" POST "/notes/$nid" --data "action=delete&csrf=$tok_r&confirm=yes")" 404 "HR deletes a social worker's note"
expect_eq "$(req "$M" POST "/notes/$nid" --data "action=delete&confirm=yes")" 403 "a deletion without its CSRF token"
expect_eq "$(req "$M" POST "/notes/$nid" --data "action=delete&csrf=$tok_c&confirm=yes")" 403 "another session's token"
expect_eq "$(req "$M" GET "/notes/$nid?action=delete&confirm=yes&csrf=$tok")" 200 "a GET with a deletion's fields"
expect_eq "$(req "$M" GET "/notes/$nid?action=edit&body=x&csrf=$tok")" 200 "a GET with a correction's fields"
expect_eq "$(req "$M" POST "/notes/$nid" --data "action=delete&csrf=$tok")" 400 "a deletion without its box ticked"
expect_grep "Cochez la case pour confirmer la suppression." "$T/b"
expect_eq "$(req "$M" POST "/notes/$nid" --data "action=edit&csrf=$tok&body=%20%0A")" 400 "an empty correction"
expect_eq "$(req "$M" POST "/notes/$nid" --data "action=bogus&csrf=$tok")" 400 "an unknown action"
expect_eq "$(req "$M" POST "/notes/99999" --data "action=delete&csrf=$tok&confirm=yes")" 404 "a note that does not exist"
after=$(db "SELECT (SELECT group_concat(id || ':' || body || ':' || coalesce(edited_at, ''), '|') FROM note) || ' ' || (SELECT count(*) FROM audit)")
expect_eq "$after" "$before" "refused POSTs and GETs wrote nothing"

# --- Correcting -----------------------------------------------------------
expect_eq "$(req "$M" POST "/notes/$nid" --data "action=edit&csrf=$tok&body=Entretien+avec+la+responsable+mardi")" 303 "marie corrects her note"
expect_grep "Location: /notes/$nid?done=edit"$'\r' "$T/h"
expect_eq "$(req "$M" GET "/notes/$nid?done=edit")" 200 "the corrected note"
expect_grep '<p class="message ok" role="status">Note corrigée.</p>' "$T/b"
expect_grep '<title>Note corrigée. Note du ' "$T/b"
expect_grep '<div class="note-body">Entretien avec la responsable mardi</div>' "$T/b"
grep -E '<p class="meta">[0-9/]+ [0-9:]+ — marie — modifiée le [0-9/]+ [0-9:]+, sur <a href="/alerts/absenteeism-rate@valdis/nancy/production-nuit">' "$T/b" >/dev/null ||
	{ cat "$T/b"; fail "the note's page does not say when it was corrected"; }
expect_no_grep "Zorglubovitch" "$T/b"
expect_eq "$(req "$C" GET "$A")" 200 "claire's alert page after the correction"
grep -E "— marie — modifiée le [0-9/]+ [0-9:]+</p>" "$T/b" >/dev/null ||
	{ cat "$T/b"; fail "the alert page does not say the note was corrected"; }
expect_no_grep "Zorglubovitch" "$T/b"
expect_eq "$(db "SELECT edited_at >= at FROM note WHERE id = $nid")" 1 "the time of the correction"
# vigie history says it too, and shows the corrected text only.
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" history absenteeism-rate@valdis/nancy/production-nuit --role social-worker
grep -E 'by marie \(social-worker\), edited [0-9T:Z-]+: Entretien avec la responsable mardi$' "$T/out" >/dev/null ||
	{ cat "$T/out"; fail "vigie history does not say the note was corrected"; }
expect_no_grep "Zorglubovitch" "$T/out"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" history absenteeism-rate@valdis/nancy/production-nuit --role social-worker --format json
$PY -c 'import json,sys
n=[x for x in json.load(open(sys.argv[1])) if x["kind"] == "note"]
assert len(n)==1 and n[0]["edited"] and n[0]["note"]=="Entretien avec la responsable mardi", n' "$T/out" ||
	{ cat "$T/out"; fail "vigie history --format json: the note's edited"; }
# The name it held is in no file of the database any more.
expect_eq "$(in_files Zorglubovitch)" 0 "the replaced text in the database files"

# --- Deleting -------------------------------------------------------------
expect_eq "$(in_files Quetzalcoatlus)" 1 "the unit's note is in the database"
expect_eq "$(req "$M" POST "/notes/$uid" --data "action=delete&csrf=$tok&confirm=yes")" 303 "marie deletes her note on the unit"
expect_grep "Location: /units/valdis/nancy?done=note-deleted&note=$uid#notes"$'\r' "$T/h"
expect_eq "$(req "$M" GET "/units/valdis/nancy?done=note-deleted&note=$uid")" 200 "the unit page after the deletion"
expect_grep '<p class="message ok" role="status">Note supprimée.</p>' "$T/b"
# Said under the notes' heading, where the redirect lands (#notes), not
# under the page's title, a screen above.
expect_eq "$(grep -A1 '<h2 id="notes">' "$T/b" | tail -1)" '<p class="message ok" role="status">Note supprimée.</p>' \
	"the message under the notes' heading"
expect_no_grep "Quetzalcoatlus" "$T/b"
expect_eq "$(req "$M" GET "/notes/$uid")" 404 "the deleted note's page"
expect_eq "$(db "SELECT count(*) FROM note WHERE id = $uid")" 0 "the note's row"
expect_eq "$(in_files Quetzalcoatlus)" 0 "the deleted text in the database files"
expect_eq "$(req "$M" POST "/notes/$nid" --data "action=delete&csrf=$tok&confirm=yes")" 303 "marie deletes her note on the alert"
expect_grep "Location: $A?done=note-deleted&note=$nid#notes"$'\r' "$T/h"
expect_eq "$(req "$M" GET "$A?done=note-deleted&note=$nid")" 200 "the alert page after the deletion"
expect_eq "$(grep -A1 '<h2 id="notes">' "$T/b" | tail -1)" '<p class="message ok" role="status">Note supprimée.</p>' \
	"the message under the notes' heading"
expect_grep '<p>Aucune note.</p>' "$T/b"
expect_eq "$(in_files "Entretien avec la responsable")" 0 "the corrected text, deleted, in the database files"
# An id that is still a note is no deletion to announce.
expect_eq "$(req "$M" POST "$U" --data "action=note&csrf=$tok&body=Suite+prevue")" 303 "another note"
kid=$(db "SELECT id FROM note WHERE body = 'Suite prevue'")
expect_eq "$(req "$M" GET "$U?done=note-deleted&note=$kid")" 200 "a deletion message for a note still there"
expect_no_grep "Note supprimée." "$T/b"
# Nor is a number that no deletion of the user's left in the audit log:
# any link may carry one (a mail, a page of another site).
expect_eq "$(req "$M" GET "$U?done=note-deleted&note=99999")" 200 "a deletion message for a note that never was"
expect_no_grep "Note supprimée." "$T/b"
expect_eq "$(req "$M" GET "$U?done=note-deleted&note=$nid")" 200 "the alert's note deleted, said on the unit's page"
expect_no_grep "Note supprimée." "$T/b"
expect_eq "$(req "$C" GET "$U?done=note-deleted&note=$uid")" 200 "marie's deletion, on claire's page"
expect_no_grep "Note supprimée." "$T/b"
expect_eq "$(req "$R" GET "$A?done=note-deleted&note=$nid")" 200 "marie's deletion, on HR's page"
expect_no_grep "Note supprimée." "$T/b"
expect_eq "$(req "$M" GET "$A?done=note-deleted&note=$nid")" 200 "marie's own deletion, still said on her page"
expect_grep '<p class="message ok" role="status">Note supprimée.</p>' "$T/b"

# --- The audit log: who did what to which note, never the text -------------
expect_eq "$(db "SELECT actor || ' ' || action || ' ' || object || ' ' || detail FROM audit WHERE via = 'web' AND action LIKE 'note%' ORDER BY id")" \
"marie note absenteeism-rate@valdis/nancy/production-nuit note $nid
marie note valdis/nancy note $uid
marie note-edit absenteeism-rate@valdis/nancy/production-nuit note $nid
marie note-delete valdis/nancy note $uid
marie note-delete absenteeism-rate@valdis/nancy/production-nuit note $nid
marie note valdis/nancy note $kid" "the audit rows of the notes"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" audit
expect_grep "note-edit" "$T/out"
for w in Zorglubovitch Quetzalcoatlus responsable; do
	expect_no_grep "$w" "$T/out"
done

# --- A name is not a person -------------------------------------------------
# Marie leaves (vigie user del: her notes stay, signed with her name); a new
# marie of the same role, later, is not their author: she reads them, as any
# social worker, without the link or the forms, and may correct or delete
# her own notes only.
expect_eq "$(req "$M" POST "$U" --data "action=note&csrf=$tok&body=Note+de+la+premiere+Marie")" 303 "the first marie's note"
oid=$(db "SELECT id FROM note WHERE body = 'Note de la premiere Marie'")
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" user del marie
sleep 1	# the new account is created a second after the note, at least
web_user marie social-worker --scope valdis/nancy --scope 'valdis/nancy/**'
M2=$T/jar.marie2
expect_eq "$(login "$M2" marie)" 303 "the new marie logs in"
tok2=$(csrf "$M2" "$U")
expect_eq "$(req "$M2" GET "$U")" 200 "the unit page for the new marie"
expect_grep "Note de la premiere Marie" "$T/b"
expect_no_grep "Corriger ou supprimer" "$T/b"
expect_eq "$(req "$M2" GET "/notes/$oid")" 200 "the first marie's note for the new marie"
expect_no_grep "<textarea" "$T/b"
before=$(db "SELECT id || ':' || body || ':' || coalesce(edited_at, '') FROM note WHERE id = $oid")
expect_eq "$(req "$M2" POST "/notes/$oid" --data "action=edit&csrf=$tok2&body=Reecrite")" 403 "the new marie corrects the first marie's note"
expect_grep "Seul l&#39;auteur d&#39;une note peut la corriger ou la supprimer." "$T/b"
expect_eq "$(req "$M2" POST "/notes/$oid" --data "action=delete&csrf=$tok2&confirm=yes")" 403 "the new marie deletes the first marie's note"
expect_eq "$(db "SELECT id || ':' || body || ':' || coalesce(edited_at, '') FROM note WHERE id = $oid")" "$before" "the first marie's note is as it was"
expect_eq "$(req "$M2" POST "$U" --data "action=note&csrf=$tok2&body=Note+de+la+nouvelle+Marie")" 303 "the new marie's own note"
pid=$(db "SELECT id FROM note WHERE body = 'Note de la nouvelle Marie'")
expect_eq "$(req "$M2" GET "$U")" 200 "the unit page with both notes"
expect_grep "<a href=\"/notes/$pid\">Corriger ou supprimer cette note</a>" "$T/b"
expect_eq "$(req "$M2" POST "/notes/$pid" --data "action=delete&csrf=$tok2&confirm=yes")" 303 "the new marie deletes her own note"
# Confirmed, the note is saved as written.
n0=$(db "SELECT count(*) FROM note")
expect_eq "$(req "$M2" POST "$U" --data "action=note&csrf=$tok2&body=Point+avec+Sandrine+Morel+jeudi")" 400 "asked first"
expect_eq "$(req "$M2" POST "$U" --data "action=note&csrf=$tok2&body=Point+avec+Sandrine+Morel+jeudi&anyway=1")" 303 "saved when confirmed"
# Health words typed without accents, as on a phone, are asked about too.
expect_eq "$(req "$M2" POST "$U" --data "action=note&csrf=$tok2&body=salarie+en+depression%2C+rdv+medecin")" 400 "unaccented health words"
# The words of the job are not asked about.
expect_eq "$(req "$M2" POST "$U" --data "action=note&csrf=$tok2&body=Diagnostic+RPS+avec+la+r%C3%A9f%C3%A9rente+handicap+%3B+burn-out+collectif+%C3%A9voqu%C3%A9")" 303 "a note in the job's words"
expect_eq "$(db "SELECT count(*) FROM note")" "$((n0 + 2))" "saved once confirmed"
exit 0
