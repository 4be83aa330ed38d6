#!/usr/bin/env bash
# A note being written when the session ends is not lost (WCAG 2.2.1), over
# HTTP: the form posted without a session writes nothing and is answered by
# the login page, which carries the text in a hidden field — escaped, never
# in a URL, a header or the log, not cached —, through a wrong password
# and a restart of vigie-web too; the login then answers with the page, the
# text back in its field (a new note, a correction), unsaved, with a
# message read with the field (role="status"); only the user's own post
# after that saves it, once. A note whose page went (deleted meanwhile)
# comes back to copy; a form with a token of an earlier session (a login in
# another tab) gives its page again with the text, a login form whose
# cookie is gone the login form again with it; a form from another page
# of the site (Sec-Fetch-Site: same-site) has its text dropped; a login
# form may be 4 KiB over the 64 KiB of the form whose note it carries.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1
command -v curl >/dev/null || { echo "curl missing"; exit 77; }
command -v sqlite3 >/dev/null || { echo "sqlite3 missing"; exit 77; }
notes() { db "SELECT count(*) || ' ' || group_concat(length(body) || ':' || substr(body, 1, 20), '|') FROM note"; }
# form ACTION: the fields of the form posted to ACTION in $T/b, one file
# each as the browser would send them ($T/f.NAME: inputs and textareas,
# unescaped), the others removed; 1 when there is no such form.
form() {
	rm -f "$T"/f.*
	$PY - "$T/b" "$1" "$T/f." <<'PY'
import html.parser, sys
page, action, out = sys.argv[1], sys.argv[2], sys.argv[3]
class P(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.inform = self.found = False
        self.area = None
        self.fields = {}
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.inform = a.get("action") == action
            self.found |= self.inform
        elif self.inform and tag == "input" and "name" in a:
            self.fields[a["name"]] = a.get("value", "")
        elif self.inform and tag == "textarea":
            self.area = a["name"]
            self.fields[self.area] = ""
    def handle_endtag(self, tag):
        if tag == "form":
            self.inform = False
        elif tag == "textarea":
            self.area = None
    def handle_data(self, d):
        if self.area:
            self.fields[self.area] += d
p = P()
p.feed(open(page, encoding="utf-8").read())
if not p.found:
    sys.exit(1)
for k, v in p.fields.items():
    open(out + k, "w", encoding="utf-8", newline="").write(v)
PY
}
# no_text WHAT: the note's words are nowhere but in the page's body.
no_text() {
	! grep -q "Zorglub" "$T/h" || { cat "$T/h"; fail "the note's text in the headers ($1)"; }
	! grep -q "Zorglub" "$T/web.log" || { cat "$T/web.log"; fail "the note's text in the log ($1)"; }
	grep -q $'^Cache-Control: no-store\r$' "$T/h" || { cat "$T/h"; fail "the answer may be cached ($1)"; }
	! grep -q '^Location:' "$T/h" || { cat "$T/h"; fail "a redirect ($1)"; }
}
# login_kept JAR USER PASSWORD: posts the login form in $T/b as a browser
# would (every field it holds, the user's name and password filled in).
login_kept() {
	local jar=$1 user=$2 pw=$3
	form /login#body || { cat "$T/b"; fail "no login form keeping the note"; }
	req "$jar" POST /login --data-urlencode "csrf@$T/f.csrf" --data-urlencode "body@$T/f.body" \
		--data-urlencode "next@$T/f.next" --data-urlencode "user=$user" --data-urlencode "password=$pw"
}

web_demo_setup
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
web_user marie social-worker --scope valdis/nancy --scope 'valdis/nancy/**'
web_start
M=$T/jar.marie
A=/alerts/absenteeism-rate@valdis/nancy/production-nuit
NN=$'\xe2\x80\xaf'
expect_eq "$(login "$M" marie)" 303 "marie logs in"

# --- A new note on an alert ------------------------------------------------
expect_eq "$(req "$M" GET "$A")" 200 "the alert's page"
form "$A#notes" || fail "no note form on the alert's page"
# Ten minutes of writing, markup and all; then the session ends.
printf 'Entretien, dossier Zorglub </textarea><script>alert(1)</script> & « suite »\n2e ligne : revoir le planning' >"$T/text"
cp "$T/text" "$T/f.body"
db "UPDATE session SET expires_at = 1 WHERE account = 'marie'"
before=$(notes)
expect_eq "$(req "$M" POST "$A" --data-urlencode "csrf@$T/f.csrf" --data-urlencode "action@$T/f.action" \
	--data-urlencode "body@$T/f.body")" 200 "the note posted after the session ended"
no_text "the login page answering the form"
expect_eq "$(notes)" "$before" "nothing written without a session"
expect_grep "<p class=\"message error\" id=\"login-message\" role=\"alert\">Votre session a expiré${NN}: reconnectez-vous.</p>" "$T/b"
expect_grep "<title>Session expirée${NN}: connexion — Vigie</title>" "$T/b"
expect_grep "<p class=\"hint\" id=\"login-kept\">Votre note n'est pas perdue${NN}: après la connexion, vous la retrouverez dans son champ, pas encore enregistrée.</p>" "$T/b"
expect_grep '<form class="login" method="post" action="/login#body">' "$T/b"
expect_grep '<input type="hidden" name="next" value="&#x2F;alerts&#x2F;absenteeism-rate&#x40;valdis&#x2F;nancy&#x2F;production-nuit">' "$T/b"
expect_grep '<input type="hidden" name="body" value="Entretien&#x2C;&#x20;dossier&#x20;Zorglub&#x20;&#x3C;&#x2F;textarea&#x3E;&#x3C;script&#x3E;alert&#x28;1&#x29;&#x3C;&#x2F;script&#x3E;&#x20;&#x26;&#x20;«&#x20;suite&#x20;»&#x0A;2e' "$T/b"
expect_no_grep '<script>' "$T/b"
expect_no_grep 'name="csrf" value="'"$(cat "$T/f.csrf")"'"' "$T/b"
form /login#body || fail "no login form"
cmp -s "$T/f.body" "$T/text" || { diff "$T/text" "$T/f.body"; fail "the login form does not carry the note as written"; }

# vigie-web restarts meanwhile: the text is in the page, not in the server.
web_stop
web_start
# A wrong password: refused, the text still there.
expect_eq "$(login_kept "$M" marie "wrong password")" 401 "a wrong password"
no_text "a wrong password"
expect_grep 'Nom d&#39;utilisateur ou mot de passe incorrect.' "$T/b"
expect_grep '<p class="hint" id="login-kept">' "$T/b"
form /login#body || fail "no login form after a wrong password"
cmp -s "$T/f.body" "$T/text" || { diff "$T/text" "$T/f.body"; fail "a wrong password lost the note"; }
expect_eq "$(notes)" "$before" "nothing written by a failed login"

# The right one: the alert's page answers, the text in its field, unsaved.
expect_eq "$(login_kept "$M" marie "$PW")" 200 "marie logs in again"
no_text "the page after the login"
grep -q '^Set-Cookie: vigie=' "$T/h" || { cat "$T/h"; fail "no session"; }
# Its title says first that the note is not saved (WCAG 2.4.2, 4.1.3).
expect_grep "<title>Note non enregistrée${NN}: Taux d&#39;absentéisme élevé — valdis/nancy/production-nuit — Vigie</title>" "$T/b"
expect_grep "<span class=\"message warn field-error\" id=\"body-kept\" role=\"status\">Votre session avait expiré${NN}: votre note n'est pas encore enregistrée, relisez-la puis enregistrez-la.</span>" "$T/b"
expect_grep '<textarea id="body" name="body" rows="4" required aria-describedby="body-kept notes-hint">Entretien, dossier Zorglub &lt;/textarea&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; « suite »' "$T/b"
expect_no_grep '<script>' "$T/b"
form "$A#notes" || fail "no note form on the page after the login"
cmp -s "$T/f.body" "$T/text" || { diff "$T/text" "$T/f.body"; fail "the note is not back as written"; }
expect_eq "$(notes)" "$before" "nothing written by the login"
# Read, then saved by marie's own post (the page's form, its new token):
# once, as written.
expect_eq "$(req "$M" POST "$A" --data-urlencode "csrf@$T/f.csrf" --data-urlencode "action@$T/f.action" \
	--data-urlencode "body@$T/f.body")" 303 "marie saves her note"
expect_eq "$(db "SELECT count(*) FROM note")" "$(( ${before%% *} + 1 ))" "one note more"
db "SELECT body FROM note ORDER BY id DESC LIMIT 1" >"$T/saved"
printf '\n' >>"$T/text"
cmp -s "$T/saved" "$T/text" || { diff "$T/text" "$T/saved"; fail "the note saved is not the one written"; }
expect_grep "Location: $A?done=note#notes" "$T/h"
expect_eq "$(req "$M" GET "$A?done=note")" 200 "the alert's page after saving"
expect_grep '<p class="message ok" role="status">Note enregistrée.</p>' "$T/b"
expect_no_grep 'body-kept' "$T/b"
nid=$(db "SELECT id FROM note ORDER BY id DESC LIMIT 1")

# --- A correction, then a note on a unit -----------------------------------
expect_eq "$(req "$M" GET "/notes/$nid")" 200 "the note's page"
form "/notes/$nid" || fail "no correction form"
printf 'Entretien, dossier Zorglub reporté' >"$T/f.body"
db "UPDATE session SET expires_at = 1 WHERE account = 'marie'"
before=$(notes)
expect_eq "$(req "$M" POST "/notes/$nid" --data-urlencode "csrf@$T/f.csrf" --data-urlencode "action@$T/f.action" \
	--data-urlencode "body@$T/f.body")" 200 "a correction posted after the session ended"
no_text "the login page answering a correction"
expect_eq "$(login_kept "$M" marie "$PW")" 200 "marie logs in again"
no_text "the note's page after the login"
expect_grep "<span class=\"message warn field-error\" id=\"body-kept\" role=\"status\">Votre session avait expiré${NN}: votre correction n'est pas encore enregistrée, relisez-la puis enregistrez-la.</span>" "$T/b"
expect_grep '<textarea id="body" name="body" rows="6" required aria-describedby="body-kept edit-hint">Entretien, dossier Zorglub reporté</textarea>' "$T/b"
expect_eq "$(notes)" "$before" "the note unchanged"
U=/units/valdis/nancy
expect_eq "$(req "$M" GET "$U")" 200 "the unit's page"
form "$U#notes" || fail "no note form on the unit's page"
printf 'Permanence Zorglub jeudi' >"$T/f.body"
db "UPDATE session SET expires_at = 1 WHERE account = 'marie'"
expect_eq "$(req "$M" POST "$U" --data-urlencode "csrf@$T/f.csrf" --data-urlencode "action@$T/f.action" \
	--data-urlencode "body@$T/f.body")" 200 "a unit's note posted after the session ended"
expect_eq "$(login_kept "$M" marie "$PW")" 200 "marie logs in again"
no_text "the unit's page after the login"
expect_grep '<h1>valdis/nancy</h1>' "$T/b"
expect_grep '<textarea id="body" name="body" rows="4" required aria-describedby="body-kept notes-hint">Permanence Zorglub jeudi</textarea>' "$T/b"
expect_eq "$(notes)" "$before" "no note written"

# --- A note whose page went meanwhile: there to copy ------------------------
expect_eq "$(req "$M" GET "/notes/$nid")" 200 "the note's page"
form "/notes/$nid" || fail "no correction form"
printf 'Zorglub, dernière version' >"$T/f.body"
db "UPDATE session SET expires_at = 1 WHERE account = 'marie'"
expect_eq "$(req "$M" POST "/notes/$nid" --data-urlencode "csrf@$T/f.csrf" --data-urlencode "action@$T/f.action" \
	--data-urlencode "body@$T/f.body")" 200 "a correction posted after the session ended"
db "DELETE FROM note WHERE id = $nid"
expect_eq "$(login_kept "$M" marie "$PW")" 404 "the note is gone"
no_text "the note gone"
expect_grep "<p><label for=\"body\">Votre note, qui n'est pas enregistrée${NN}: copiez-la pour la garder.</label>" "$T/b"
expect_grep '<textarea id="body" rows="6" readonly>Zorglub, dernière version</textarea>' "$T/b"

# --- Tokens that outlived their session or their cookie ---------------------
# The session ended and marie logged in again in another tab: the note's
# form still holds the old session's token. Refused (403), nothing saved,
# the page again with the text in its field.
expect_eq "$(req "$M" GET "$A")" 200 "the alert's page"
form "$A#notes" || fail "no note form"
printf 'Zorglub, écrit dans le premier onglet' >"$T/f.body"
db "UPDATE session SET expires_at = 1 WHERE account = 'marie'"
expect_eq "$(login "$M" marie)" 303 "marie logs in in another tab"
before=$(notes)
expect_eq "$(req "$M" POST "$A" --data-urlencode "csrf@$T/f.csrf" --data-urlencode "action@$T/f.action" \
	--data-urlencode "body@$T/f.body")" 403 "the first tab's note, with the old session's token"
no_text "a token of an earlier session"
expect_grep '<textarea id="body" name="body" rows="4" required aria-describedby="body-kept notes-hint">Zorglub, écrit dans le premier onglet</textarea>' "$T/b"
expect_eq "$(notes)" "$before" "nothing written with the old token"
# A login page left open longer than its cookie (an hour): the login form
# again, the text still in it.
expect_eq "$(req "$M" GET "$A")" 200 "the alert's page"
form "$A#notes" || fail "no note form"
printf 'Zorglub, après le café' >"$T/f.body"
db "UPDATE session SET expires_at = 1 WHERE account = 'marie'"
expect_eq "$(req "$M" POST "$A" --data-urlencode "csrf@$T/f.csrf" --data-urlencode "action@$T/f.action" \
	--data-urlencode "body@$T/f.body")" 200 "a note after the session ended"
sed -i '/vigie_login/d' "$M"
expect_eq "$(login_kept "$M" marie "$PW")" 200 "the login form without its cookie"
no_text "a login form without its cookie"
form /login#body || { cat "$T/b"; fail "the login form is not given again with the note"; }
expect_eq "$(cat "$T/f.body")" "Zorglub, après le café" "the note kept by the new login form"
expect_eq "$(login_kept "$M" marie "$PW")" 200 "marie logs in"
expect_grep 'aria-describedby="body-kept notes-hint">Zorglub, après le café</textarea>' "$T/b"
expect_eq "$(notes)" "$before" "nothing written"
# A form from another page of the site (a sibling subdomain, say): its
# text is not carried (it would put words in marie's field).
expect_eq "$(req "$M" GET "$A")" 200 "the alert's page"
form "$A#notes" || fail "no note form"
db "UPDATE session SET expires_at = 1 WHERE account = 'marie'"
expect_eq "$(req "$M" POST "$A" -H 'Sec-Fetch-Site: same-site' --data-urlencode "csrf@$T/f.csrf" \
	--data-urlencode "action@$T/f.action" --data-urlencode "body=Zorglub d'ailleurs")" 303 "a same-site form after the session ended"
expect_grep "Location: /login?next=$A&expired=1" "$T/h"
expect_eq "$(login "$M" marie)" 303 "marie logs in"
expect_eq "$(req "$M" POST "$A" -H 'Sec-Fetch-Site: same-origin' --data-urlencode "csrf@$T/f.csrf" \
	--data-urlencode "action@$T/f.action" --data-urlencode "body=Zorglub du premier onglet")" 403 "a same-origin form of an earlier session"
expect_grep '>Zorglub du premier onglet</textarea>' "$T/b"
expect_eq "$(req "$M" POST "$A" -H 'Sec-Fetch-Site: same-site' --data-urlencode "csrf@$T/f.csrf" \
	--data-urlencode "action@$T/f.action" --data-urlencode "body=Zorglub d'ailleurs")" 403 "a same-site form of an earlier session"
expect_no_grep 'Zorglub' "$T/b"
# Nor is the text of a form without any token (no form of a session).
expect_eq "$(req "$M" POST "$A" --data-urlencode "action@$T/f.action" \
	--data-urlencode "body=Zorglub sans jeton")" 403 "a form without a token"
expect_grep '<h1>Action refusée</h1>' "$T/b"
expect_no_grep 'Zorglub' "$T/b"
expect_eq "$(notes)" "$before" "nothing written"

# --- A closing after the session ended ------------------------------------
# Not carried through the login as a note is; the alert's page after it
# says that the closing was not recorded, the outcome to choose again.
tok=$(csrf "$M" "$A")
db "UPDATE session SET expires_at = 1 WHERE account = 'marie'"
expect_eq "$(req "$M" POST "$A" --data "csrf=$tok&action=close&outcome=no_action_needed")" 303 \
	"a closing posted after the session ended"
loc=$(sed -n 's/^Location: \([^\r]*\)\r$/\1/p' "$T/h")
expect_eq "$loc" "/login?next=$A%3Fdone%3Dunclosed&expired=1" "to the login, then back to the alert"
expect_eq "$(req "$M" GET "$loc")" 200 "the login page"
expect_grep "Votre session a expiré${NN}: reconnectez-vous." "$T/b"
form /login || fail "no login form"
expect_eq "$(req "$M" POST /login --data-urlencode "csrf@$T/f.csrf" --data-urlencode "next@$T/f.next" \
	--data-urlencode "user=marie" --data-urlencode "password=$PW")" 303 "marie logs in"
expect_grep "Location: $A?done=unclosed"$'\r' "$T/h"
expect_eq "$(req "$M" GET "$A?done=unclosed")" 200 "the alert's page after the login"
expect_grep "<p class=\"message warn\" role=\"alert\">Votre clôture n'a pas été enregistrée${NN}: choisissez à nouveau l'issue.</p>" "$T/b"
expect_grep 'name="action" value="close"' "$T/b"
expect_eq "$(db "SELECT ifnull(closed_by, '-') FROM alert WHERE rule = 'absenteeism-rate' AND unit = 'valdis/nancy/production-nuit'")" \
	"-" "not closed"
# Closed meanwhile (another tab): who closed it, not a choice to make again.
tok=$(csrf "$M" "$A")
expect_eq "$(req "$M" POST "$A" --data "csrf=$tok&action=close&outcome=action_taken")" 303 "marie closes it"
expect_eq "$(req "$M" GET "$A?done=unclosed")" 200 "the page, closed"
expect_no_grep "Votre clôture n'a pas été enregistrée" "$T/b"
expect_grep "Déjà clôturée par marie le " "$T/b"

# --- The largest form: its login may be a little larger ----------------------
# A note of 8,000 characters in a form just under 64 KiB: its login form,
# which also carries the name, the password and the page, still passes.
expect_eq "$(req "$M" GET "$A")" 200 "the alert's page"
form "$A#notes" || fail "no note form"
$PY -c 'import sys; open(sys.argv[1], "w", encoding="utf-8").write("€" * 7180 + "Zorglub" + "a" * 813)' "$T/f.body"
db "UPDATE session SET expires_at = 1 WHERE account = 'marie'"
before=$(notes)
# up JAR PATH ARGS...: "STATUS BYTES-SENT" of a POST.
up() {
	local jar=$1 p=$2; shift 2
	curl -s -b "$jar" -c "$jar" -X POST -D "$T/h" -o "$T/b" -w '%{http_code} %{size_upload}' "$@" "$BASE$p"
}
expect_eq "$(up "$M" "$A" --data-urlencode "csrf@$T/f.csrf" --data-urlencode "action@$T/f.action" \
	--data-urlencode "body@$T/f.body")" "200 65506" "a note of 8,000 characters (65,506 bytes) posted after the session ended"
form /login#body || fail "no login form"
size=$(up "$M" /login --data-urlencode "csrf@$T/f.csrf" --data-urlencode "body@$T/f.body" \
	--data-urlencode "next@$T/f.next" --data-urlencode "user=marie" --data-urlencode "password=$PW")
expect_eq "${size% *}" 200 "its login"
size=${size#* }
[ "$size" -gt 65536 ] || fail "the login form is not over 64 KiB: $size bytes"
expect_grep 'aria-describedby="body-kept notes-hint">€€€' "$T/b"
expect_eq "$(notes)" "$before" "no note written"
web_stop
exit 0
