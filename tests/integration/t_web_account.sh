#!/usr/bin/env bash
# A user changes their own password in the console (vigie-web(8)), so that
# the one an administrator typed with `vigie user add` does not stay theirs:
# the account page, reached from the header (« Mon compte »); the current
# password checked through the login's rate limiter (a wrong one is
# recorded as a failed login, and the sixth within the window is refused
# without being checked); the new one at least 12 characters, typed twice;
# each refusal said with its field, the form answered again (no password
# given back in it); a change ends every session of the account, this one
# included, is audited as `vigie user passwd` is, and the login page says it
# is done; the old password no longer opens a session, the new one does.
# An account of single sign-on only has no form.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1
command -v curl >/dev/null || { echo "curl missing"; exit 77; }
command -v sqlite3 >/dev/null || { echo "sqlite3 missing"; exit 77; }

web_demo_setup
web_user marie social-worker
web_user rh hr
web_start
NEW="lune claire sur la Moselle 7"
NNBSP=$'\u202f'
# change JAR CURRENT NEW CONFIRM: the status of the account form's POST.
change() {
	local tok
	tok=$(csrf "$1" /account)
	req "$1" POST /account --data-urlencode "csrf=$tok" --data-urlencode "current=$2" \
		--data-urlencode "new=$3" --data-urlencode "confirm=$4"
}

J=$T/jar.marie
expect_eq "$(login "$J" marie)" 303 "marie logs in"
expect_eq "$(login "$T/jar.other" marie)" 303 "marie logs in from another browser"
expect_eq "$(req "$J" GET /)" 200 "the alerts page"
expect_grep '<div class="who"><span>marie (service social)</span>' "$T/b"
expect_grep '<a href="/account">Mon compte</a>' "$T/b"
expect_eq "$(req "$J" GET /account)" 200 "the account page"
expect_grep '<title>Mon compte — Vigie</title>' "$T/b"
expect_grep '<a href="/account" aria-current="page">' "$T/b"
expect_grep '<input id="current" name="current" type="password" autocomplete="current-password" required' "$T/b"
expect_grep '<input id="new" name="new" type="password" autocomplete="new-password" required maxlength="1024" aria-describedby="new-hint">' "$T/b"
expect_grep '<input id="confirm" name="confirm" type="password" autocomplete="new-password"' "$T/b"
hash0=$(db "SELECT hash FROM account WHERE name = 'marie'")

# Refusals: each with its field, nothing written, no password in the page.
expect_eq "$(change "$J" "$PW" "court" "court")" 400 "a short new password"
expect_grep 'Le nouveau mot de passe est trop court' "$T/b"
expect_grep '<title>Erreur' "$T/b"
expect_grep 'id="new" name="new" type="password" autocomplete="new-password" required maxlength="1024" aria-invalid="true" aria-describedby="account-error new-hint"' "$T/b"
expect_eq "$(change "$J" "$PW" "$NEW" "$NEW.")" 400 "two different entries"
expect_grep 'Les deux saisies du nouveau mot de passe diffèrent' "$T/b"
expect_grep 'id="confirm" name="confirm" type="password" autocomplete="new-password" required maxlength="1024" aria-invalid="true" aria-describedby="account-error"' "$T/b"
grep -qF "$NEW" "$T/b" && fail "a password is given back in the page"
expect_eq "$(db "SELECT count(*) FROM login_failure")" 0 "failures after right current passwords"
# Failures count from the account's last login on; this one was a while ago.
db "UPDATE account SET last_login = last_login - 60 WHERE name = 'marie'"
expect_eq "$(change "$J" "wrong password" "$NEW" "$NEW")" 403 "a wrong current password"
expect_grep 'Le mot de passe actuel est incorrect' "$T/b"
expect_grep 'id="current" name="current" type="password" autocomplete="current-password" required maxlength="1024" aria-invalid="true" aria-describedby="account-error"' "$T/b"
expect_grep "wrong current password in a password change for marie from 127.0.0.1" "$T/web.log"
expect_eq "$(db "SELECT count(*) FROM login_failure WHERE account = 'marie'")" 1 "the wrong password counts as a failed login"
expect_eq "$(db "SELECT hash FROM account WHERE name = 'marie'")" "$hash0" "the hash after the refusals"
# The login's limiter: five failures, then refused without a check.
for i in 2 3 4 5; do
	expect_eq "$(change "$J" "wrong $i" "$NEW" "$NEW")" 403 "wrong current password $i"
done
expect_eq "$(change "$J" "$PW" "$NEW" "$NEW")" 429 "a sixth attempt, even right, within the window"
expect_grep 'Trop de tentatives de connexion échouées' "$T/b"
grep -qi '^Retry-After: [0-9]' "$T/h" || fail "no Retry-After: $(cat "$T/h")"
expect_eq "$(db "SELECT hash FROM account WHERE name = 'marie'")" "$hash0" "the hash after the limiter"
db "DELETE FROM login_failure"

# The change: every session ended, audited, said on the login page.
expect_eq "$(change "$J" "$PW" "$NEW" "$NEW")" 303 "the change"
expect_grep 'Location: /login?changed=1' "$T/h"
grep -q '^Set-Cookie: vigie=;' "$T/h" || fail "the session cookie is not cleared: $(grep Set-Cookie "$T/h")"
[ "$(db "SELECT hash FROM account WHERE name = 'marie'")" != "$hash0" ] || fail "the hash did not change"
expect_eq "$(db "SELECT substr(hash, 1, 3) FROM account WHERE name = 'marie'")" '$y$' "a yescrypt hash"
expect_eq "$(db "SELECT count(*) FROM session WHERE account = 'marie'")" 0 "marie's sessions"
expect_eq "$(db "SELECT count(*) FROM session WHERE account = 'rh'")" 0 "rh never logged in"
expect_eq "$(db "SELECT actor, via, action, object FROM audit ORDER BY id DESC LIMIT 1")" \
	"marie|web|user-passwd|marie" "the audit entry"
expect_grep "marie changed their console password (from 127.0.0.1)" "$T/web.log"
expect_eq "$(req "$T/jar.other" GET /)" 303 "the other browser's session is over"
expect_eq "$(req "$J" GET '/login?changed=1')" 200 "the login page after the change"
expect_grep '<p class="message ok" role="status">Votre mot de passe est changé' "$T/b"
# Who gives a forgotten password, and where it is changed, said at the login.
expect_grep "<p class=\"hint\">Mot de passe oublié$NNBSP? Demandez-en un nouveau au service informatique qui a créé votre compte, puis changez-le dans «${NNBSP}Mon compte$NNBSP».</p>" "$T/b"
expect_eq "$(login "$T/jar.old" marie)" 401 "the old password"
expect_eq "$(login "$T/jar.new" marie "$NEW")" 303 "the new password"

# GET changes nothing; a form without its token is refused.
h1=$(db "SELECT hash FROM account WHERE name = 'marie'")
expect_eq "$(req "$T/jar.new" GET "/account?current=x&new=abcdefghijklm&confirm=abcdefghijklm")" 200 "GET with fields"
expect_eq "$(req "$T/jar.new" POST /account --data-urlencode "current=$NEW" \
	--data-urlencode "new=$NEW.x" --data-urlencode "confirm=$NEW.x")" 403 "no CSRF token"
expect_eq "$(db "SELECT hash FROM account WHERE name = 'marie'")" "$h1" "the hash after GET and a forged form"

# An account of single sign-on only: said, no form, a POST refused.
db "UPDATE account SET hash = '' WHERE name = 'marie'"
expect_eq "$(req "$T/jar.new" GET /account)" 200 "the page of an account without a password"
expect_grep "il n'a pas de mot de passe dans Vigie" "$T/b"
grep -q 'action="/account"' "$T/b" && fail "a password form for an account without a password"
tok=$(sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' "$T/b" | head -n 1)
expect_eq "$(req "$T/jar.new" POST /account --data-urlencode "csrf=$tok" --data-urlencode "current=" \
	--data-urlencode "new=$NEW" --data-urlencode "confirm=$NEW")" 403 "a POST for it"
expect_eq "$(db "SELECT hash FROM account WHERE name = 'marie'")" "" "still no password"
web_stop
exit 0
