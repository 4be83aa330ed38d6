#!/usr/bin/env bash
# vigie-web over HTTP, as curl sees it (SPEC 14; the browser's view is
# t_web_browser.sh): the security headers and cookies; a page outside the
# user's scope is 404 like a page that does not exist; every POST needs its
# session's CSRF token, and none from another site; GET changes nothing;
# take in charge / close / note write the same records as the CLI and the
# audit log, and vigie history says who closed an alert and how; ten quick
# wrong passwords: five checked, five refused with Retry-After, per account
# and per address; logout and `vigie user passwd` end sessions; a TLS
# listener with an openssl-made certificate (Secure __Host- cookies, HSTS,
# a report downloaded whole); a plain listener that is not loopback is
# refused, from the configuration and under socket activation; socket
# activation on loopback; a unix socket with single sign-on by a trusted
# header, which a peer off the machine cannot use.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1
command -v curl >/dev/null || { echo "curl missing"; exit 77; }
WEBBIN="$VIGIE_BIN/vigie-web"
PW="correct horse battery staple"

setup_db() {
	mkdir -p "$T/rules.d"
	cp "$SRC"/tests/integration/web-rules.yaml "$T/rules.d/10-web.yaml"
	cat >"$T/rules.d/99-markup.yaml" <<'YAML'
rules:
  - id: markup-title
    title: "Équipe <script>alert('titre')</script> & co"
    value: headcount
    above: { warning: 1 }
    scope: "valdis/nancy/production-nuit"
    notify: [social-worker]
YAML
	web_demo_config "$T/base.yaml"
	cp "$T/base.yaml" "$T/vigie.yaml"
	expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$SRC"/contrib/demo/valdis-*.csv
	expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
	adduser marie social-worker --scope valdis/nancy --scope 'valdis/nancy/**'
	adduser rh hr
	adduser zoe social-worker
}
adduser() {
	local name=$1 role=$2; shift 2
	echo "$PW" | "$VIGIE" -c "$T/vigie.yaml" user add "$name" --role "$role" "$@" \
		--password-stdin >"$T/out" 2>&1 || { cat "$T/out"; fail "user add $name"; }
}
# web CONFIG-LINES...: writes $T/web.yaml from the base and web: lines.
web_config() {
	{ cat "$T/base.yaml"; echo "web:"; for l in "$@"; do echo "  $l"; done; } >"$T/web.yaml"
}
start_web() {
	"$WEBBIN" -c "$T/web.yaml" 2>>"$T/web.log" &
	WEB=$!
	PIDS+=("$WEB")
	wait_for curl -s -o /dev/null ${CURLOPT:-} "$BASE/login" ||
		{ cat "$T/web.log"; fail "vigie-web did not start"; }
}
stop_web() {
	kill -TERM "$WEB"
	wait "$WEB"
	local rc=$?
	PIDS=()
	[ $rc = 0 ] || { cat "$T/web.log"; fail "vigie-web exited $rc on SIGTERM"; }
}

setup_db
PORT=$(free_port)
BASE="http://127.0.0.1:$PORT"
web_config "listen: 127.0.0.1:$PORT" "url: http://vigie.example.org"
start_web

# --- Headers and cookies on plain loopback -------------------------------
J=$T/jar.marie
expect_eq "$(req "$J" GET /)" 303 "GET / without a session"
expect_grep "Location: /login?next=/" "$T/h"
expect_eq "$(req "$J" GET /login)" 200 "the login page"
for h in "Content-Security-Policy: default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'" \
	"X-Content-Type-Options: nosniff" "Referrer-Policy: no-referrer" "Cache-Control: no-store"; do
	expect_grep "$h" "$T/h"
done
expect_no_grep "<script" "$T/b"
expect_no_grep "style=" "$T/b"
expect_grep 'Set-Cookie: vigie_login=' "$T/h"
grep 'Set-Cookie: vigie_login=' "$T/h" | grep -q 'HttpOnly; SameSite=Strict' || fail "login cookie attributes"
expect_no_grep "Secure" "$T/h"
expect_eq "$(req "$J" GET /static/vigie.css)" 200 "the stylesheet"
expect_grep "Content-Type: text/css" "$T/h"
expect_eq "$(curl -s -o /dev/null -w '%{http_code}' -X PUT "$BASE/")" 405 "PUT"
# A probe's check: 200 with no session and no cookie set.
expect_eq "$(curl -s -D "$T/hh" -o "$T/hb" -w '%{http_code}' "$BASE/-/healthy")" 200 "/-/healthy"
expect_eq "$(cat "$T/hb")" "vigie-web is healthy"
expect_no_grep "Set-Cookie" "$T/hh"
expect_eq "$(curl -s -o /dev/null -w '%{http_code}' -I "$BASE/login")" 200 "HEAD"

expect_eq "$(login "$J" marie)" 303 "marie logs in"
cookie=$(sed -n 's/^Set-Cookie: vigie=\([^;]*\);.*/\1/p' "$T/h" | tr -d '\r')
[ ${#cookie} = 43 ] || fail "a session token of 43 characters, got '$cookie'"
grep '^Set-Cookie: vigie=' "$T/h" | grep -q 'Max-Age=28800; HttpOnly; SameSite=Strict' ||
	fail "session cookie attributes: $(grep Set-Cookie "$T/h")"
# The store keeps the token's SHA-256, never the token.
hash=$(printf '%s' "$cookie" | sha256sum | cut -d' ' -f1)
expect_eq "$(db "SELECT count(*) FROM session WHERE token = '$hash' AND account = 'marie'")" 1 "hashed session"
expect_eq "$(db "SELECT count(*) FROM session WHERE token = '$cookie'")" 0 "no clear token"
expect_eq "$(db "SELECT action || ' ' || actor || ' ' || via FROM audit WHERE action = 'login'")" "login marie web" "audit of the login"

# --- Scopes: 404, never 403, and the same page as for nothing ------------
expect_eq "$(req "$J" GET /)" 200 "marie's alerts"
expect_grep 'valdis/nancy/production-nuit' "$T/b"
expect_no_grep 'valdis/metz' "$T/b"
# A rule with observed: and expected: shows them, not its ratio (SPEC 16).
$PY - "$T/b" <<'PY' || fail "overtime-vs-usual does not show observed against expected"
import re, sys
page = open(sys.argv[1], encoding="utf-8").read()
row = re.search(r'overtime-vs-usual@valdis/nancy/production-nuit">[^<]*</a></td>'
                r'<td data-label="Observé">(.*?)</td>', page)
assert row, "no overtime-vs-usual row"
assert re.fullmatch(r'[0-9]+,[0-9] <span class="thr">\(attendu [0-9]+,[0-9]\)</span>',
                    row.group(1)), row.group(1)
PY
expect_grep '&lt;script&gt;alert(&#39;titre&#39;)&lt;/script&gt; &amp; co' "$T/b"
expect_eq "$(req "$J" GET /alerts/overtime-vs-usual@valdis/nancy/production-nuit)" 200 "an alert with observed and expected"
# « Observé », as the email and vigie alerts' OBSERVED: « Valeur » is the
# rule's value (a probability, a score) everywhere else.
grep -qE '<dt>Observé</dt><dd>[0-9]+,[0-9], attendu [0-9]+,[0-9] \(<time datetime="2026-10">octobre.2026</time>\)</dd>' "$T/b" ||
	fail "the alert page does not give observed against expected"
expect_grep '<th scope="col">Observé</th><th scope="col">Attendu</th>' "$T/b"
expect_grep '<td data-label="Observé">' "$T/b"
expect_no_grep '<td data-label="Valeur">' "$T/b"
expect_grep 'class="key-value">observé<' "$T/b"
# Its chart draws the observed measure: its axis names its unit, the word
# after {{observed}} in the summary.
expect_grep '<text class="axis unit"' "$T/b"
grep -q '<text class="axis unit"[^>]*>h</text>' "$T/b" || fail "the observed chart's axis has no unit"
grep -q '<dt>Indicateurs qui ont bougé</dt><dd>heures supplémentaires</dd>' "$T/b" ||
	fail "the alert page does not name the components that moved (only those)"
expect_eq "$(req "$J" GET /units/valdis/metz/restauration)" 404 "a unit outside the scope"
cp "$T/b" "$T/out-of-scope"
expect_eq "$(req "$J" GET /units/valdis/nancy/nowhere)" 404 "a unit that does not exist"
cmp -s "$T/b" "$T/out-of-scope" || fail "an out-of-scope unit and a missing one answer differently"
expect_eq "$(req "$J" GET /alerts/conflicts@valdis/metz/restauration)" 404 "an alert outside the scope"
expect_eq "$(req "$J" GET /alerts/absenteeism-rate@valdis/nancy/production-nuit)" 200 "an alert in scope"
expect_eq "$(req "$J" GET '/units/valdis/nancy/production-nuit/../../metz')" 404 "no path tricks"
J2=$T/jar.rh
expect_eq "$(login "$J2" rh)" 303 "rh logs in"
# After a login, only a path of this site: no open redirect.
for next in //evil.example $'/\t/evil.example' '/\evil.example' https://evil.example; do
	expect_eq "$(req "$J2" GET "/login?next=$(printf %s "$next" | $PY -c 'import sys,urllib.parse; print(urllib.parse.quote(sys.stdin.read(), safe=""))')")" 303 "login page with next=$next"
	grep -q $'^Location: /\r$' "$T/h" || { cat "$T/h"; fail "next=$next leads elsewhere than /"; }
done
expect_eq "$(req "$J2" GET /alerts/markup-title@valdis/nancy/production-nuit)" 404 \
	"a rule that does not notify HR is out of HR's sight"

# --- CSRF, cross-site POSTs, GET that changes nothing --------------------
A=/alerts/absenteeism-rate@valdis/nancy/production-nuit
before=$(db "SELECT (SELECT count(*) FROM event) || ' ' || (SELECT count(*) FROM note) || ' ' || (SELECT count(*) FROM audit)")
expect_eq "$(req "$J" POST "$A" --data 'action=take')" 403 "a POST without its CSRF token"
expect_grep "Action refusée" "$T/b"
expect_eq "$(req "$J" POST "$A" --data 'action=take&csrf=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')" 403 "a wrong CSRF token"
tok=$(csrf "$J" "$A")
tok_rh=$(csrf "$J2" "$A")
expect_eq "$(req "$J" POST "$A" --data "action=take&csrf=$tok_rh")" 403 "another session's token"
expect_eq "$(req "$J" POST "$A" -H 'Sec-Fetch-Site: cross-site' --data "action=take&csrf=$tok")" 403 "a cross-site POST"
expect_eq "$(req "$J" GET "$A?action=take&csrf=$tok")" 200 "a GET with the action's fields"
expect_eq "$(req "$J" GET "/units/valdis/nancy?action=note&body=x&csrf=$tok")" 200 "a GET with a note"
after=$(db "SELECT (SELECT count(*) FROM event) || ' ' || (SELECT count(*) FROM note) || ' ' || (SELECT count(*) FROM audit)")
expect_eq "$after" "$before" "refused POSTs and GETs wrote nothing"
big=$(head -c 70000 /dev/zero | tr '\0' a)
expect_eq "$(req "$J" POST "$A" --data "csrf=$tok&action=note&body=$big")" 413 "a body over 64 KiB"

# --- Follow-up: the CLI's records, the audit log -------------------------
expect_eq "$(req "$J" POST "$A" --data "action=take&csrf=$tok")" 303 "take in charge"
expect_grep "Location: $A?done=take" "$T/h"
expect_eq "$(req "$J" POST "$A" --data "action=take&csrf=$tok")" 303 "taking again is harmless"
expect_eq "$(db "SELECT count(*) FROM event WHERE kind = 'ack' AND author = 'marie'")" 1 "one ack event"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" alerts
grep -E '^absenteeism-rate@valdis/nancy/production-nuit .* marie ' "$T/out" >/dev/null ||
	{ cat "$T/out"; fail "vigie alerts does not show marie's acknowledgement"; }
expect_eq "$(req "$J" POST "$A" --data "action=note&csrf=$tok&body=%20%0A")" 400 "an empty note"
expect_eq "$(req "$J" POST "$A" --data "action=note&csrf=$tok&body=RDV+%3Cb%3Emanager%3C%2Fb%3E")" 303 "a note"
expect_eq "$(req "$J" GET "$A")" 200 "the alert page"
expect_grep '<div class="note-body">RDV &lt;b&gt;manager&lt;/b&gt;</div>' "$T/b"
nid=$(db "SELECT id FROM note WHERE body = 'RDV <b>manager</b>'")
expect_eq "$(db "SELECT role || ' ' || author FROM note WHERE id = $nid")" "social-worker marie" "the note's role"
expect_eq "$(req "$J" GET "/notes/$nid")" 200 "the note's page for its role"
expect_eq "$(req "$J2" GET "/notes/$nid")" 404 "the note's page for HR"
# A note id that is not a positive number is no note: 404, and the console
# goes on (it crashed on them).
for bad in "" abc 0 -1 1x "$nid/" %C3%BF; do
	expect_eq "$(req "$J" GET "/notes/$bad")" 404 "/notes/$bad"
done
expect_eq "$(req "$J" GET "/notes/$nid")" 200 "the console still answers"
expect_eq "$(req "$J2" GET "$A")" 200 "HR's view of the alert"
expect_no_grep "manager</b>" "$T/b"
expect_no_grep "manager&lt;" "$T/b"
expect_eq "$(req "$J" POST "$A" --data "action=close&csrf=$tok&outcome=bogus")" 400 "an unknown outcome"
expect_eq "$(req "$J" POST "$A" --data "action=close&csrf=$tok&outcome=false_alarm")" 303 "close"
expect_eq "$(db "SELECT closed_by || ' ' || outcome FROM alert WHERE rule = 'absenteeism-rate' AND unit = 'valdis/nancy/production-nuit'")" \
	"marie false_alarm" "the alert row's follow-up"
# vigie history names who closed it and the outcome, as it names who took
# it in charge: text "by NAME, outcome OUTCOME", JSON "by" and "outcome".
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" history absenteeism-rate@valdis/nancy/production-nuit
grep -E '^[^ ]+ +ack .* by marie$' "$T/out" >/dev/null &&
grep -E '^[^ ]+ +closed .* by marie, outcome false_alarm$' "$T/out" >/dev/null ||
	{ cat "$T/out"; fail "vigie history does not say who closed the alert and how"; }
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" history absenteeism-rate@valdis/nancy/production-nuit --format json
$PY -c 'import json,sys
h=[x for x in json.load(open(sys.argv[1])) if x["kind"] in ("ack", "closed")]
f=[(x["kind"], x["by"], x.get("outcome", "-")) for x in h]
assert f==[("ack","marie","-"),("closed","marie","false_alarm")], f' "$T/out" ||
	{ cat "$T/out"; fail "vigie history --format json: the closed event's by and outcome"; }
expect_eq "$(req "$J" POST /units/valdis/nancy --data "action=note&csrf=$tok&body=Permanence+jeudi")" 303 "a note on a unit"
expect_eq "$(db "SELECT action || ' ' || object || ' ' || coalesce(detail, '') FROM audit WHERE via = 'web' AND action <> 'login' ORDER BY id")" \
"ack absenteeism-rate@valdis/nancy/production-nuit 
note absenteeism-rate@valdis/nancy/production-nuit note $nid
close absenteeism-rate@valdis/nancy/production-nuit false_alarm
note valdis/nancy note $((nid + 1))" "the audit log names each action, never a note's text"

# --- Logout; a new password ends the sessions ----------------------------
expect_eq "$(req "$J2" POST /logout --data "csrf=$tok_rh")" 303 "rh logs out"
expect_grep "Location: /login?bye=1"$'\r' "$T/h"
expect_eq "$(req "$J2" GET "/login?bye=1")" 200 "the page after it"
expect_grep '<p class="message ok" role="status">Déconnexion effectuée.</p>' "$T/b"
expect_eq "$(req "$J2" GET /)" 303 "rh's old cookie opens nothing"
echo "$PW again" | "$VIGIE" -c "$T/vigie.yaml" user passwd marie --password-stdin >/dev/null ||
	fail "vigie user passwd"
expect_eq "$(req "$J" GET /)" 303 "marie's session ended with her new password"

# --- The login rate limiter ----------------------------------------------
# Five failures are checked; the next attempt, within the 4 s that follow,
# is refused without looking at the password.
J3=$T/jar.zoe
codes=
for i in 1 2 3 4 5 6; do codes="$codes $(login "$J3" zoe wrong-password-$i)"; done
expect_eq "$codes" " 401 401 401 401 401 429" "six quick wrong passwords"
expect_grep "Trop de tentatives de connexion échouées"$'\xe2\x80\xaf'": réessayez dans" "$T/b"
wait_s=$(sed -n 's/^Retry-After: \([0-9]*\).*/\1/p' "$T/h" | tr -d '\r')
[ -n "$wait_s" ] && [ "$wait_s" -ge 1 ] && [ "$wait_s" -le 4 ] ||
	fail "Retry-After '$wait_s' after five failures (4 s at most)"
if [ "$wait_s" -ge 2 ]; then
	expect_eq "$(login "$J3" zoe)" 429 "the right password waits too"
fi
for i in 7 8 9 10; do login "$J3" zoe wrong-password-$i >/dev/null; done
checked=$(db "SELECT count(*) FROM login_failure WHERE account = 'zoe'")
[ "$checked" -ge 5 ] && [ "$checked" -le 6 ] ||
	fail "$checked of ten wrong passwords checked: refused attempts must not be"
wait_s=$(sed -n 's/^Retry-After: \([0-9]*\).*/\1/p' "$T/h" | tr -d '\r')
sleep $((${wait_s:-8} + 1))
expect_eq "$(login "$J3" zoe)" 303 "after the delay the right password works"
# Per address: failures spread over accounts, and unknown names. Behind a
# proxy on loopback the address is the last of X-Forwarded-For.
XFF=(-H "X-Forwarded-For: 198.51.100.1, 192.0.2.7")
for i in 1 2 3 4 5 6 7 8 9 10; do login "$T/jar.x" "nobody$i" x "${XFF[@]}" >/dev/null; done
expect_eq "$(db "SELECT count(*) FROM login_failure WHERE addr = '192.0.2.7'")" 10 "failures by address"
expect_eq "$(login "$T/jar.x" rh "$PW" "${XFF[@]}")" 429 "an address with ten failures waits, whatever the account"
expect_eq "$(login "$T/jar.y" rh)" 303 "while another address does not"
stop_web

# --- A plain listener that is not loopback is refused --------------------
web_config "listen: 0.0.0.0:$PORT"
expect_exit 78 "$WEBBIN" -c "$T/web.yaml"
expect_grep "web.listen 0.0.0.0:$PORT is not a loopback address" "$T/err"
expect_exit 78 "$VIGIED" --check -c "$T/web.yaml"
expect_grep "is not a loopback address" "$T/err"

# --- Socket activation ---------------------------------------------------
if command -v systemd-socket-activate >/dev/null; then
	web_config "listen: 127.0.0.1:1"	# ignored under socket activation
	systemd-socket-activate -l "127.0.0.1:$PORT" "$WEBBIN" -c "$T/web.yaml" 2>>"$T/web.log" &
	WEB=$!
	PIDS+=("$WEB")
	wait_for curl -s -o /dev/null "$BASE/login" || { cat "$T/web.log"; fail "no answer on the activated socket"; }
	expect_eq "$(login "$T/jar.sa" rh)" 303 "a login through the activated socket"
	expect_grep "listening on the socket systemd passed" "$T/web.log"
	stop_web
	# Not loopback, no TLS: refused, whatever web.listen says.
	PORT2=$(free_port)
	systemd-socket-activate -l "0.0.0.0:$PORT2" "$WEBBIN" -c "$T/web.yaml" 2>"$T/sa.log" &
	SA=$!
	PIDS+=("$SA")
	sleep 0.3
	curl -s -m 5 -o /dev/null "http://127.0.0.1:$PORT2/login"
	wait_for grep -q "refusing to listen on 0.0.0.0:$PORT2 without TLS" "$T/sa.log" ||
		{ cat "$T/sa.log"; fail "a plain activated socket on 0.0.0.0 was not refused"; }
	kill "$SA" 2>/dev/null
	wait "$SA" 2>/dev/null
	PIDS=()
else
	echo "systemd-socket-activate missing: socket activation not tested"
fi

# --- TLS, with a certificate made by openssl -----------------------------
if command -v openssl >/dev/null; then
	ip=$(hostname -I 2>/dev/null | tr ' ' '\n' | grep -E '^[0-9.]+$' | grep -v '^127\.' | head -n 1)
	san="IP:127.0.0.1${ip:+,IP:$ip}"
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
		-subj /CN=127.0.0.1 -addext "subjectAltName=$san" \
		-keyout "$T/key.pem" -out "$T/cert.pem" >/dev/null 2>&1 || fail "openssl req"
	chmod 644 "$T/key.pem"
	web_config "listen: 0.0.0.0:$PORT" "tls_cert_file: cert.pem" "tls_key_file: key.pem" \
		"trusted_user_header: X-Remote-User"
	expect_exit 78 "$WEBBIN" -c "$T/web.yaml" --check
	expect_grep "web.tls_key_file $T/key.pem is readable by group or others" "$T/err"
	chmod 600 "$T/key.pem"
	expect_exit 0 "$WEBBIN" -c "$T/web.yaml" --check
	expect_grep "vigie-web: warning: web.trusted_user_header X-Remote-User is believed from any process of this machine that connects to 0.0.0.0:$PORT: listen on a unix socket" "$T/err"
	BASE="https://127.0.0.1:$PORT" CURLOPT="--cacert $T/cert.pem" start_web
	# On TCP any local process may name any account: said at start.
	expect_grep "web.trusted_user_header X-Remote-User is believed from any process of this machine that connects to 0.0.0.0:$PORT: listen on a unix socket" "$T/web.log"
	BASE="https://127.0.0.1:$PORT"
	CURLOPT="--cacert $T/cert.pem"
	expect_eq "$(req "$T/jar.tls" GET /login)" 200 "the login page over TLS"
	expect_grep "Strict-Transport-Security: max-age=31536000" "$T/h"
	grep '^Set-Cookie: __Host-vigie_login=' "$T/h" | grep -q 'HttpOnly; Secure; SameSite=Strict' ||
		fail "the login cookie over TLS: $(grep Set-Cookie "$T/h")"
	expect_eq "$(login "$T/jar.tls" rh)" 303 "a login over TLS"
	grep '^Set-Cookie: __Host-vigie=' "$T/h" | grep -q 'HttpOnly; Secure; SameSite=Strict' ||
		fail "the session cookie over TLS: $(grep Set-Cookie "$T/h")"
	expect_eq "$(req "$T/jar.tls" GET /)" 200 "a page over TLS"
	# a download, sent from its temporary file through TLS: vigie report's bytes
	tok=$(csrf "$T/jar.tls" /report)
	expect_eq "$(req "$T/jar.tls" POST /report --data "csrf=$tok&from=2025-11&to=2026-10&unit=&format=html")" 200 "a report over TLS"
	expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" report --from 2025-11 --to 2026-10 -o "$T/tls.html"
	cmp "$T/tls.html" "$T/b" || fail "the report downloaded over TLS differs from vigie report's"
	[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/login")" != 200 ] ||
		fail "plain HTTP answered on the TLS port"
	# Single sign-on from loopback; never from another machine.
	expect_eq "$(req "$T/jar.sso" GET / -H 'X-Remote-User: marie')" 200 "SSO from loopback"
	expect_grep 'marie (service social)' "$T/b"
	if [ -n "$ip" ]; then
		expect_eq "$(curl -s -o /dev/null -w '%{http_code}' --cacert "$T/cert.pem" \
			-H 'X-Remote-User: marie' "https://$ip:$PORT/")" 303 "SSO header from $ip is ignored"
	fi
	stop_web
	CURLOPT=
else
	echo "openssl missing: TLS not tested"
fi

# --- A unix socket behind a reverse proxy, single sign-on ----------------
web_config "listen: $T/web.sock" "trusted_user_header: X-Remote-User"
expect_exit 0 "$WEBBIN" -c "$T/web.yaml" --check
! grep -q warning "$T/err" || fail "a warning about the header on a unix socket: $(cat "$T/err")"
BASE="http://localhost"
: > "$T/web.log"
CURLOPT="--unix-socket $T/web.sock" start_web
! grep -q trusted_user_header "$T/web.log" || fail "a warning about the header on a unix socket: $(cat "$T/web.log")"
CURLOPT="--unix-socket $T/web.sock"
expect_eq "$(stat -c %a "$T/web.sock")" 660 "the socket's mode"
expect_eq "$(req "$T/jar.u" GET / -H 'X-Remote-User: marie')" 200 "SSO on the unix socket"
expect_grep 'marie (service social)' "$T/b"
grep '^Set-Cookie: __Host-vigie=' "$T/h" | grep -q 'Secure' || fail "Secure cookies behind a proxy"
expect_eq "$(req "$T/jar.u2" GET / -H 'X-Remote-User: nobody')" 303 "SSO for an unknown account"
expect_eq "$(db "SELECT detail FROM audit WHERE action = 'login' ORDER BY id DESC LIMIT 1")" "single sign-on" "SSO audited"
# A client that keeps no cookie (a monitor through the proxy) goes on in
# the account's latest session: not a login, a session and an audit line
# at every request.
sso_logins() { db "SELECT count(*) FROM audit WHERE action = 'login' AND actor = '$1'"; }
sso_sessions() { db "SELECT count(*) FROM session WHERE account = '$1'"; }
before="$(sso_logins rh) $(sso_sessions rh)"
for i in 1 2 3; do
	expect_eq "$(req /dev/null GET / -H 'X-Remote-User: rh')" 200 "SSO without a cookie, $i"
	expect_grep 'rh (RH)' "$T/b"
done
expect_eq "$(sso_logins rh) $(sso_sessions rh)" "$((${before% *} + 1)) $((${before#* } + 1))" \
	"logins and sessions of rh after 3 requests without a cookie"
stop_web
CURLOPT=
[ ! -e "$T/web.sock" ] || fail "the socket file is left behind"
exit 0
