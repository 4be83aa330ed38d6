#!/usr/bin/env bash
# What the console's pages say after a follow-up, over HTTP (SPEC 14, 16;
# the security side is t_web.sh): a carried-over alert whose value is now
# hidden shows no threshold of a score the page does not show, and a unit's
# tables say « masquée » for a hidden period; two people
# following one alert: the second take or close, which writes nothing, says
# so, and a colleague of the same role takes the case over, and a success message is only for what the record holds, announced
# (role="status"); a form posted after its session ended leads to the
# login page, then back to its page, and writes nothing (a note's text:
# t_web_expired_note.sh); a second login tab leads to its page; a note's
# limit is in characters, as the form's maxlength counts them; no note on
# a unit that does not exist; an alert page's title names its unit; the
# count of alerts is in words that agree with its numbers; an alert held
# by hysteresis says so and gives its clear level; the list of the units of
# one's scopes, with or without an alert, shows no figure and marks only
# the alerts of one's role; it lists a team whose alerts all resolved and
# whose values were deleted, for the role of those alerts; an alert's
# guidance is the reader's role's, its summary says the month it speaks of.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1
command -v curl >/dev/null || { echo "curl missing"; exit 77; }

# csrf JAR PATH: the session's CSRF token, as a page of PATH carries it.

mkdir -p "$T/rules.d"
# An alert held by hysteresis, on a company of its own: 20 people, then 15
# (a team of 25 stays beyond the threshold).
cat >"$T/rules.d/20-held.yaml" <<'YAML'
rules:
  - id: held-plain
    title: "Effectif (test)"
    value: headcount
    scope: "testco/**"
    above: { warning: 18, clear: 10 }
    notify: [hr]
YAML
# A rule of the social service alone, on a team of its own (12 people: no
# alert of held-plain): HR sees the team, not that alert.
cat >"$T/rules.d/30-social.yaml" <<'YAML'
rules:
  - id: social-only
    title: "Effectif (service social)"
    value: headcount
    scope: "testco/social"
    above: { warning: 10 }
    notify: [social-worker]
YAML
# A rule with guidance for each role and a summary: each reader sees her
# role's guidance, as her digest gives it, and the summary says its month.
cat >"$T/rules.d/40-roles.yaml" <<'YAML'
rules:
  - id: both-roles
    title: "Effectif (deux rôles)"
    value: headcount
    scope: "testco/high"
    above: { warning: 20 }
    notify: [social-worker, hr]
    summary: "Effectif de {{unit}} : {{value}}"
    guidance:
      social-worker: "Texte pour le service social."
      hr: "Texte pour les RH."
      default: "Texte pour les autres."
YAML
printf 'unit,period,headcount\ntestco/held,2026-09,20\ntestco/held,2026-10,15\ntestco/high,2026-09,25\ntestco/high,2026-10,25\ntestco/social,2026-09,12\ntestco/social,2026-10,12\ntestco/grown,2026-09,12\ntestco/grown,2026-10,19\n' >"$T/held.csv"
web_demo_setup "$T/held.csv"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
web_user marie social-worker --scope valdis/nancy --scope 'valdis/nancy/**'
web_user claire social-worker --scope valdis/nancy --scope 'valdis/nancy/**'
web_user rh hr
web_user sophie social-worker
web_start
M=$T/jar.marie C=$T/jar.claire
expect_eq "$(login "$M" marie)" 303 "marie logs in"
expect_eq "$(login "$C" claire)" 303 "claire logs in"

# --- A carried-over alert whose value is now hidden ----------------------
# overtime-vs-usual states observed: and expected:, its thresholds are on
# their ratio: with its value hidden, no "seuil 1,5" beside it; a plain
# rule (absenteeism-rate) still gives its threshold.
O=/alerts/overtime-vs-usual@valdis/nancy/production-nuit
printf 'unit,period,headcount\nvaldis/nancy/production-nuit,2026-10,4\n' >"$T/small.csv"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/small.csv"
expect_eq "$(req "$M" GET "$O")" 200 "the hidden alert's page"
expect_grep 'valeur masquée' "$T/b"
expect_no_grep ', seuil ' "$T/b"
expect_eq "$(req "$M" GET /)" 200 "marie's alerts"
$PY - "$T/b" <<'PY' || fail "the list gives a threshold beside a hidden score"
import re, sys
page = open(sys.argv[1], encoding="utf-8").read()
def cell(rule):
    m = re.search(rule + r'@valdis/nancy/production-nuit">[^<]*</a></td>'
                  r'<td data-label="(?:Observé|Valeur)">(.*?)</td>', page)
    assert m, "no row of " + rule
    return m.group(1)
assert "masquée" in cell("overtime-vs-usual") and "seuil" not in cell("overtime-vs-usual"), cell("overtime-vs-usual")
assert "masquée" in cell("absenteeism-rate") and "seuil" in cell("absenteeism-rate"), cell("absenteeism-rate")
PY
expect_eq "$(req "$M" GET /alerts/absenteeism-rate@valdis/nancy/production-nuit)" 200 "a plain rule's hidden alert"
expect_grep ', seuil ' "$T/b"
# The unit page's tables tell a hidden period (the team of 4 in 2026-10)
# from one whose window reaches back before the data (« non calculée »;
# no "absente": the data did come).
expect_eq "$(req "$M" GET /units/valdis/nancy/production-nuit)" 200 "the unit page"
expect_grep '<tr><th scope="row"><time datetime="2026-10">octobre'$'\xc2\xa0''2026</time></th><td data-label="Valeur">masquée</td>' "$T/b"
expect_grep '<td data-label="Observé">non calculée</td>' "$T/b"
expect_no_grep 'ou absente' "$T/b"

# Periods in words, as digests write them (« octobre 2026 », the month and
# its year held together by a no-break space), the ISO form kept for
# machines in <time datetime>; never « 2026-10 » in the text.
NB=$'\xc2\xa0'
expect_grep "<p class=\"summary\">Données jusqu'à <time datetime=\"2026-10\">octobre${NB}2026</time>. " "$T/b"
expect_grep "<text class=\"axis\" x=\"624.0\" y=\"204.0\" text-anchor=\"end\">octobre${NB}2026</text>" "$T/b"
expect_grep "24 dernières périodes, de novembre${NB}2024 à octobre${NB}2026. " "$T/b"
expect_grep "<td class=\"nowrap\" data-label=\"Période\"><time datetime=\"2026-10\">octobre${NB}2026</time></td>" "$T/b"
expect_eq "$(req "$M" GET /alerts/absenteeism-rate@valdis/nancy/production-nuit)" 200 "an alert's page"
# The history imported at once: the data showed it from March, the first
# cycle in October, which the history begins with; said, as digests say it.
expect_grep "<dt>État</dt><dd><span class=\"sev sev-critical\">critique</span>, active depuis <time datetime=\"2026-03\">mars${NB}2026</time> d'après les données, signalée pour la première fois en <time datetime=\"2026-10\">octobre${NB}2026</time></dd>" "$T/b"
# An alert first seen in the month it began: nothing more to say.
db "UPDATE event SET period = $((2026 * 12 + 2)) WHERE kind = 'firing' AND alert = (SELECT id FROM alert WHERE rule = 'absenteeism-rate' AND unit = 'valdis/nancy/production-nuit')"
expect_eq "$(req "$M" GET /alerts/absenteeism-rate@valdis/nancy/production-nuit)" 200 "the page, first seen in March"
expect_grep "<dt>État</dt><dd><span class=\"sev sev-critical\">critique</span>, active depuis <time datetime=\"2026-03\">mars${NB}2026</time></dd>" "$T/b"
db "UPDATE event SET period = $((2026 * 12 + 9)) WHERE kind = 'firing' AND alert = (SELECT id FROM alert WHERE rule = 'absenteeism-rate' AND unit = 'valdis/nancy/production-nuit')"
expect_grep "masquée</span> (<time datetime=\"2026-10\">octobre${NB}2026</time>), seuil " "$T/b"
# French typography: a narrow no-break space (U+202F) before : ; ? ! in
# the console's words and in a rule's summary and guidance, as digests
# write them; no plain space before them left in any page's text.
NN=$'\xe2\x80\xaf'
expect_grep "<dt>Conseil</dt><dd>Prendre contact avec le ou la manager" "$T/b"
expect_eq "$(req "$M" GET /units/valdis/nancy/production-nuit)" 200 "the unit page"
expect_grep "<p class=\"thresholds\">Seuils${NN}: vigilance &gt; 6, critique &gt; 9.</p>" "$T/b"
expect_grep "<p class=\"state\">Alerte active${NN}: <span class=\"sev" "$T/b"
expect_grep "indicateurs agrégés par unité${NN}: aucune donnée individuelle" "$T/b"
expect_eq "$(req "$M" POST /units/valdis/nancy --data "action=note&csrf=x")" 403 "a form without its token"
expect_grep "<p role=\"alert\">Le formulaire a expiré ou ne vient pas de Vigie${NN}: rechargez la page" "$T/b"
for p in "$O" /units/valdis/nancy/production-nuit /units/valdis/nancy /; do
	expect_eq "$(req "$M" GET "$p")" 200 "$p"
	sed 's/<[^>]*>//g' "$T/b" | grep -E " [:;?!]( |$)" && fail "a plain space before : ; ? ! in $p"
done
expect_eq "$(req "$M" GET /)" 200 "marie's alerts"
expect_grep "<td data-label=\"Depuis\"><time datetime=\"2026-03\">mars${NB}2026</time></td>" "$T/b"
for p in "$O" /units/valdis/nancy/production-nuit /; do
	expect_eq "$(req "$M" GET "$p")" 200 "$p"
	sed 's/<[^>]*>//g' "$T/b" | grep -E '(^|[^0-9])20[0-9]{2}-[0-9]{2}([^0-9]|$)' &&
		fail "an ISO period in the text of $p"
done

# --- Two people follow the same alert ------------------------------------
A=/alerts/absenteeism-rate@valdis/nancy/production-nuit
tok_m=$(csrf "$M" "$A")
tok_c=$(csrf "$C" "$A")
expect_eq "$(req "$M" GET "$A?done=close")" 200 "an open alert with done=close"
expect_no_grep 'Alerte clôturée.' "$T/b"
expect_eq "$(req "$M" GET "$A?done=take")" 200 "an open alert with done=take"
expect_no_grep 'Alerte prise en charge.' "$T/b"
expect_eq "$(req "$M" POST "$A" --data "action=take&csrf=$tok_m")" 303 "marie takes it in charge"
expect_eq "$(req "$M" GET "$(sed -n 's/^Location: \([^\r]*\).*/\1/p' "$T/h")")" 200 "marie's page after"
expect_grep '<p class="message ok" role="status">Alerte prise en charge.</p>' "$T/b"
# First in the title too, which a screen reader reads when the page loads.
expect_grep '<title>Alerte prise en charge. ' "$T/b"
expect_eq "$(req "$C" POST "$A" --data "action=take&csrf=$tok_c")" 303 "claire takes it in charge too"
expect_eq "$(req "$C" GET "$(sed -n 's/^Location: \([^\r]*\).*/\1/p' "$T/h")")" 200 "claire's page after"
expect_no_grep 'Alerte prise en charge.' "$T/b"
expect_grep '<p class="message error" role="alert">Déjà prise en charge par marie le ' "$T/b"
expect_no_grep '<title>Alerte' "$T/b"
expect_grep $'\xe2\x80\xaf'": votre choix n'a pas été enregistré." "$T/b"
# Marie away, claire takes the case over: the button is hers, not marie's;
# HR, another role, may not; the history keeps both.
expect_grep '<input type="hidden" name="action" value="takeover"><button type="submit" aria-describedby="takeover-hint">Reprendre le suivi</button>' "$T/b"
expect_grep "<p class=\"hint\" id=\"takeover-hint\">marie suit cette alerte. En son absence, ou après son départ, reprenez-en le suivi" "$T/b"
expect_eq "$(req "$M" GET "$A")" 200 "marie's page"
expect_no_grep 'Reprendre le suivi' "$T/b"
web_user rhp hr
expect_eq "$(login "$T/jar.rhp" rhp)" 303 "an HR user logs in"
expect_eq "$(req "$T/jar.rhp" POST "$A" --data "action=takeover&csrf=$(csrf "$T/jar.rhp" "$A")")" 403 \
	"HR takes over the social service's case"
expect_grep "lui seul peut en reprendre le suivi." "$T/b"
expect_eq "$(req "$C" POST "$A" --data "action=takeover&csrf=$tok_c")" 303 "claire takes it over"
expect_eq "$(req "$C" GET "$(sed -n 's/^Location: \([^\r]*\).*/\1/p' "$T/h")")" 200 "claire's page after"
expect_grep '<p class="message ok" role="status">Vous suivez désormais cette alerte.</p>' "$T/b"
expect_no_grep 'Reprendre le suivi' "$T/b"
expect_eq "$(db "SELECT group_concat(author, ' ') FROM (SELECT author FROM event WHERE kind = 'ack' AND alert = (SELECT id FROM alert WHERE rule = 'absenteeism-rate' AND unit = 'valdis/nancy/production-nuit') ORDER BY id)")" \
	"marie claire" "both takes in the history"
expect_eq "$(db "SELECT detail FROM audit WHERE action = 'ack' AND actor = 'claire'")" "taken over" "the audit log"
expect_eq "$(req "$C" POST "$A" --data "action=close&csrf=$tok_c&outcome=action_taken")" 303 "claire closes it"
expect_eq "$(req "$C" GET "$(sed -n 's/^Location: \([^\r]*\).*/\1/p' "$T/h")")" 200 "claire's page after closing"
expect_grep '<p class="message ok" role="status">Alerte clôturée.</p>' "$T/b"
expect_eq "$(req "$M" POST "$A" --data "action=close&csrf=$tok_m&outcome=false_alarm")" 303 "marie closes it too"
expect_eq "$(req "$M" GET "$(sed -n 's/^Location: \([^\r]*\).*/\1/p' "$T/h")")" 200 "marie's page after closing"
expect_no_grep 'Alerte clôturée.' "$T/b"
expect_grep "Déjà clôturée par claire le " "$T/b"
expect_grep $'\xe2\x80\xaf'": votre choix n'a pas été enregistré." "$T/b"
expect_eq "$(req "$C" GET "/units/valdis/nancy?done=note")" 200 "done=note without a note"
expect_no_grep 'Note enregistrée.' "$T/b"
expect_eq "$(req "$C" GET "/alerts/overtime-vs-usual@valdis/nancy/production-nuit?done=note")" 200 "done=note without a note"
expect_no_grep 'Note enregistrée.' "$T/b"
expect_eq "$(db "SELECT acked_by || ' ' || closed_by || ' ' || outcome FROM alert WHERE rule = 'absenteeism-rate' AND unit = 'valdis/nancy/production-nuit'")" \
	"claire claire action_taken" "the take over and the first close"

# A colleague away: claire takes over, at once, every active alert marie
# follows (each as on its page, audited « taken over »), from the list,
# which offers marie's name and not to HR (another role); then shows
# claire's own and says so.
O=/alerts/overtime-vs-usual@valdis/nancy/production-nuit
expect_eq "$(req "$M" POST "$O" --data "action=take&csrf=$tok_m")" 303 "marie takes another alert"
expect_eq "$(req "$C" GET /)" 200 "claire's list"
expect_grep '<select id="takeover-from" name="from" aria-describedby="takeover-all-hint"><option value="marie">marie</option></select>' "$T/b"
expect_eq "$(req "$T/jar.rhp" GET /)" 200 "HR's list"
expect_no_grep 'takeover-from' "$T/b"
tok_l=$(csrf "$C" /)
expect_eq "$(req "$C" POST /takeover --data "csrf=$tok_l&from=claire")" 400 "taking over oneself"
expect_eq "$(req "$C" POST /takeover --data "csrf=$tok_l&from=marie")" 303 "claire takes over marie's alerts"
expect_grep 'Location: /?state=mine&done=takeover&from=marie'$'\r' "$T/h"
expect_eq "$(req "$C" GET '/?state=mine&done=takeover&from=marie')" 200 "claire's own alerts after"
expect_grep '<title>Vous suivez désormais les alertes de votre collègue. Mes alertes (filtrées) — Vigie</title>' "$T/b"
expect_grep "/alerts/overtime-vs-usual@valdis/nancy/production-nuit" "$T/b"
expect_eq "$(db "SELECT acked_by FROM alert WHERE rule = 'overtime-vs-usual' AND unit = 'valdis/nancy/production-nuit'")" claire "taken over"
expect_eq "$(db "SELECT count(*) FROM audit WHERE action = 'ack' AND actor = 'claire' AND detail = 'taken over'")" 2 "audited as taken over"
expect_eq "$(req "$M" GET '/?state=mine&done=takeover&from=claire')" 200 "a forged done"
expect_no_grep 'Vous suivez désormais' "$T/b"

# --- Sessions that end, two login tabs -----------------------------------
A=/alerts/overtime-vs-usual@valdis/nancy/production-nuit
tok_m=$(csrf "$M" "$A")
db "UPDATE session SET expires_at = 1 WHERE account = 'marie'"
# (A note's text is kept by the login page: t_web_expired_note.sh.)
acked=$(db "SELECT count(*) FROM alert WHERE acked_by IS NOT NULL")
expect_eq "$(req "$M" POST "$A" --data "action=take&csrf=$tok_m")" 303 "taking in charge after the session ended"
expect_grep "Location: /login?next=$A&expired=1" "$T/h"
expect_eq "$(db "SELECT count(*) FROM alert WHERE acked_by IS NOT NULL")" "$acked" "nothing written without a session"
expect_eq "$(req "$M" GET "/login?next=$A&expired=1")" 200 "the login page it leads to"
expect_grep "Votre session a expiré"$'\xe2\x80\xaf'": reconnectez-vous" "$T/b"
expect_grep 'name="next" value="&#x2F;alerts&#x2F;overtime-vs-usual&#x40;valdis&#x2F;nancy&#x2F;production-nuit"' "$T/b"
tok=$(sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' "$T/b")
expect_eq "$(req "$M" POST /login --data-urlencode "csrf=$tok" --data-urlencode user=marie \
	--data-urlencode "password=$PW" --data-urlencode "next=$A")" 303 "marie logs in again"
expect_grep "Location: $A" "$T/h"
expect_eq "$(req "$M" GET /)" 200 "marie is back"
# A session that ended at the server while the browser keeps its cookie.
db "UPDATE session SET expires_at = 1 WHERE account = 'marie'"
expect_eq "$(req "$M" GET "$A")" 303 "a page after the session ended"
expect_grep "Location: /login?next=$A&expired=1" "$T/h"
expect_eq "$(req "$M" POST /logout --data "csrf=$tok_m")" 303 "logging out without a session"
expect_grep "Location: /login" "$T/h"
grep -q '^Set-Cookie: vigie=;.*Max-Age=0' "$T/h" || fail "the stale session cookie is not cleared: $(grep Set-Cookie "$T/h")"
expect_eq "$(req "$M" GET /login)" 200 "the login page without a session cookie"
expect_no_grep "Votre session a expiré" "$T/b"
# Two login tabs of one browser: the first logs in, the second then leads
# to its page as well; without a session the login token is still needed.
L=$T/jar.tabs
req "$L" GET /login >/dev/null
tok=$(sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' "$T/b")
expect_eq "$(req "$L" POST /login --data-urlencode "csrf=AAAA$tok" --data-urlencode user=rh \
	--data-urlencode "password=$PW" --data-urlencode "next=/")" 403 "a login without its token"
expect_eq "$(req "$L" POST /login --data-urlencode "csrf=$tok" --data-urlencode user=rh \
	--data-urlencode "password=$PW" --data-urlencode "next=/")" 303 "tab 1 logs in"
expect_eq "$(req "$L" POST /login --data-urlencode "csrf=$tok" --data-urlencode user=rh \
	--data-urlencode "password=$PW" --data-urlencode "next=/units/valdis/metz")" 303 "tab 2 logs in"
expect_grep "Location: /units/valdis/metz" "$T/h"

# A page asked for with a query, before logging in: the login leads back
# to it query and all (a filtered list stays filtered), its arguments
# encoded again; a page of another site is still refused.
Q=$T/jar.query
expect_eq "$(req "$Q" GET '/?theme=climat&severity=warning')" 303 "a filtered list without a session"
expect_grep "Location: /login?next=/%3Ftheme%3Dclimat%26severity%3Dwarning"$'\r' "$T/h"
expect_eq "$(req "$Q" GET '/units/valdis/metz?x=%C3%A9t%C3%A9%20%26%20co&y')" 303 "a unit page with a query"
expect_grep "Location: /login?next=/units/valdis/metz%3Fx%3D%25C3%25A9t%25C3%25A9%2520%2526%2520co%26y"$'\r' "$T/h"
expect_eq "$(req "$Q" GET "/login?next=/%3Ftheme%3Dclimat%26severity%3Dwarning")" 200 "the login page it leads to"
expect_grep 'name="next" value="&#x2F;&#x3F;theme&#x3D;climat&#x26;severity&#x3D;warning"' "$T/b"
tok=$(sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' "$T/b")
for next in //evil.example/?theme=climat https://evil.example/?theme=climat '/\evil.example/?x=y'; do
	expect_eq "$(req "$Q" POST /login --data-urlencode "csrf=$tok" --data-urlencode user=rh \
		--data-urlencode "password=$PW" --data-urlencode "next=$next")" 303 "a login with next=$next"
	grep -q $'^Location: /\r$' "$T/h" || { cat "$T/h"; fail "next=$next leads elsewhere than /"; }
	rm -f "$Q"
	req "$Q" GET /login >/dev/null
	tok=$(sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' "$T/b")
done
expect_eq "$(req "$Q" POST /login --data-urlencode "csrf=$tok" --data-urlencode user=rh \
	--data-urlencode "password=$PW" --data-urlencode "next=/?theme=climat&severity=warning")" 303 "rh logs in"
expect_grep "Location: /?theme=climat&severity=warning"$'\r' "$T/h"
expect_eq "$(req "$Q" GET '/?theme=climat&severity=warning')" 200 "the filtered list after the login"
expect_grep '<option value="climat" selected>' "$T/b"
expect_eq "$(req "$Q" POST /login --data-urlencode "csrf=$tok" --data-urlencode user=rh \
	--data-urlencode "password=$PW" --data-urlencode "next=/units/valdis/metz?x=%C3%A9t%C3%A9%20%26%20co&y")" 303 "a second tab"
expect_grep "Location: /units/valdis/metz?x=%C3%A9t%C3%A9%20%26%20co&y"$'\r' "$T/h"

# --- A note's length: characters, as the browser counts them -------------
U=/units/valdis/nancy
tok_c=$(csrf "$C" "$U")
# The field says its limit, and does not cut a longer text (a browser's
# maxlength would, without a word): the server refuses it, the text kept.
expect_grep '<label for="body">Nouvelle note (8000 caractères au plus)</label>' "$T/b"
expect_grep '<textarea id="body" name="body" rows="4" required aria-describedby="notes-hint">' "$T/b"
expect_no_grep 'maxlength="8000"' "$T/b"
# 7,750 characters of French (more than 8,000 bytes), then 8,000 whose line
# breaks the browser sends as CRLF but counts as one, then 8,001.
$PY - "$T" <<'PY'
import sys
t = sys.argv[1]
s = ("Échange avec l'équipe sur la charge ; déjà évoqué à la réunion. " * 200)[:7750]
assert len(s) == 7750 and len(s.encode()) > 8000
open(t + "/note1", "w", encoding="utf-8").write(s)
lines = ["é" * 99] * 79
open(t + "/note2", "w", encoding="utf-8", newline="").write("\r\n".join(lines) + "\r\n" + "é" * 100)
open(t + "/note3", "w", encoding="utf-8").write("é" * 8001)
PY
expect_eq "$(req "$C" POST "$U" --data "action=note&csrf=$tok_c" --data-urlencode "body@$T/note1")" 303 "a note of 7,750 characters"
expect_eq "$(db "SELECT length(body) FROM note ORDER BY id DESC LIMIT 1")" 7750 "the note kept whole"
expect_eq "$(req "$C" POST "$U" --data "action=note&csrf=$tok_c" --data-urlencode "body@$T/note2")" 303 "8,000 characters with CRLF line breaks"
expect_eq "$(req "$C" POST "$U" --data "action=note&csrf=$tok_c" --data-urlencode "body@$T/note3")" 400 "a note of 8,001 characters"
expect_grep '<span class="message error field-error" id="body-error" role="alert">La note est trop longue'"${NN}"': 8001 caractères, pour 8000 au plus. Raccourcissez-la, ou scindez-la en deux notes.</span>' "$T/b"
expect_eq "$(req "$C" POST "$U" --data "action=note&csrf=$tok_c" --data-urlencode "body=   ")" 400 "a note of spaces"
expect_grep '<span class="message error field-error" id="body-error" role="alert">La note est vide'"${NN}"": écrivez-la avant de l'enregistrer.</span>" "$T/b"

# --- A unit that does not exist takes no note ----------------------------
before=$(db "SELECT (SELECT count(*) FROM note) || ' ' || (SELECT count(*) FROM audit)")
expect_eq "$(req "$C" POST /units/valdis/nancy/fantome --data "action=note&csrf=$tok_c&body=x")" 404 "a note on a unit that does not exist"
expect_eq "$(db "SELECT (SELECT count(*) FROM note) || ' ' || (SELECT count(*) FROM audit)")" "$before" "nothing written"

# --- An alert page's title names its rule and its unit (WCAG 2.4.2) -----
expect_eq "$(req "$C" GET /alerts/absenteeism-rate@valdis/nancy/production-nuit)" 200 "an alert page"
expect_grep "<title>Taux d&#39;absentéisme élevé — valdis/nancy/production-nuit — Vigie</title>" "$T/b"

# --- The count of alerts: plurals that agree -----------------------------
R=$T/jar.rh
expect_eq "$(login "$R" rh)" 303 "rh logs in"

# --- Roles and themes in words; ids stay in forms and URLs ---------------
expect_eq "$(req "$R" GET /)" 200 "rh's alerts"
expect_grep '<div class="who"><span>rh (RH)</span>' "$T/b"
expect_grep '<option value="absences">Absences</option><option value="charge">Charge de travail</option><option value="climat">Climat social</option>' "$T/b"
expect_no_grep '>charge<' "$T/b"
expect_eq "$(req "$C" GET /units/valdis/nancy)" 200 "claire's unit page"
expect_grep '<div class="who"><span>claire (service social)</span>' "$T/b"
expect_grep 'Visibles seulement des utilisateurs du rôle «'$'\xe2\x80\xaf''service social'$'\xe2\x80\xaf''». ' "$T/b"
expect_no_grep 'social-worker' "$T/b"
expect_eq "$(req "$R" GET /alerts/conflicts@valdis/metz)" 200 "an alert whose guidance has a semicolon"
expect_grep "<dt>Conseil</dt><dd>Rencontrer séparément le ou la manager et les représentants du personnel${NN}; envisager une médiation.</dd>" "$T/b"

# --- An alert held by hysteresis says so, as the digest does ------------
expect_eq "$(req "$R" GET /alerts/held-plain@testco/held)" 200 "the held alert"
expect_grep "<dt>Alerte maintenue</dt><dd>la valeur de la règle (15) n&#39;atteint plus le seuil de vigilance (18)" "$T/b"
expect_grep "redescend à 10 ou moins (seuil de fin)" "$T/b"
expect_eq "$(req "$R" GET /alerts/held-plain@testco/high)" 200 "an alert beyond its threshold"
expect_no_grep "Alerte maintenue" "$T/b"
# and so does its line in the list, not that of the alert beyond it.
expect_eq "$(req "$R" GET /)" 200 "HR's alerts"
grep 'href="/alerts/held-plain@testco/high"' "$T/b" | grep -q 'maintenue' &&
	fail "the alert beyond its threshold is said held in the list"
grep 'href="/alerts/held-plain@testco/held"' "$T/b" |
	grep -qF '(seuil 18)</span><br><span class="thr">maintenue, en baisse</span></td>' ||
	{ cat "$T/b"; fail "the held alert's line does not say it is held"; }
# An alert that began with the latest data (October) is marked new; one of
# September is not.
expect_eq "$(req "$R" GET /)" 200 "HR's alerts, one new"
grep 'href="/alerts/held-plain@testco/grown"' "$T/b" | grep -qF '<br><span class="thr">nouvelle</span></td>' ||
	{ cat "$T/b"; fail "the alert of the latest data is not marked new"; }
grep 'href="/alerts/held-plain@testco/high"' "$T/b" | grep -q '>nouvelle<' &&
	fail "an alert of September is marked new"
: >"$T/summaries"
for jar in "$C" "$R"; do
	for q in "" "?severity=critical" "?severity=warning" "?theme=climat" "?theme=charge" "?theme=absences&severity=warning"; do
		expect_eq "$(req "$jar" GET "/$q")" 200 "alerts $q"
		grep '<p class="summary">' "$T/b" >>"$T/summaries"
	done
done
$PY - "$T/summaries" <<'PY' || { cat "$T/summaries"; fail "the count of alerts does not agree"; }
import re, sys
ones = 0
for line in open(sys.argv[1], encoding="utf-8"):
    assert "(s)" not in line, line
    m = re.search(r'>(\d+) (alertes?) (actives?) dans (\d+) (unités?), (aucune critique|dont (\d+) (critiques?))\.', line)
    if not m:
        assert "Aucune alerte active" in line, line
        continue
    n, u = int(m[1]), int(m[4])
    assert (m[2], m[3]) == (("alertes", "actives") if n > 1 else ("alerte", "active")), line
    assert m[5] == ("unités" if u > 1 else "unité"), line
    if m[7]:
        c = int(m[7])
        assert c > 0 and m[8] == ("critiques" if c > 1 else "critique"), line
    ones += n == 1 or u == 1
assert ones, "no summary with one alert or one unit"
PY
# A site: only its units' alerts, the choice offered among the sites of
# the user's alerts, and kept by the pages' links; one not the user's is
# no filter.
expect_eq "$(req "$R" GET '/?site=valdis/metz')" 200 "HR's alerts of Metz"
expect_grep '<option value="valdis&#x2F;metz" selected>valdis/metz</option>' "$T/b"
expect_grep '<option value="valdis&#x2F;nancy">valdis/nancy</option>' "$T/b"
expect_grep '<details class="filters" open>' "$T/b"
expect_grep "<p class=\"hint\">Liste filtrée (site valdis/metz)" "$T/b"
grep -o '<h2 id="u[0-9]*"><a href="/units/[^"]*"' "$T/b" | grep -v '/units/valdis/metz' &&
	fail "a unit of another site in Metz's list"
grep -q '<h2 id="u[0-9]*"><a href="/units/valdis/metz' "$T/b" || fail "no unit of Metz in Metz's list"
expect_eq "$(req "$C" GET '/?site=valdis/metz')" 200 "claire asking for Metz"
expect_no_grep 'value="valdis&#x2F;metz" selected' "$T/b"
# Taken in charge by me: the alerts the user follows, no one else's.
expect_eq "$(req "$R" GET '/?state=mine')" 200 "HR's own follow-up"
expect_grep '<option value="mine" selected>prises en charge par moi</option>' "$T/b"

# --- The list of units ----------------------------------------------------
# Every unit of the user's scopes, with or without an alert, as links to
# their pages, by site and nested as the hierarchy goes; no figure at all
# (SPEC 3), not even a count. An active alert is marked only when the user
# sees it on the alerts page: the social service's rule is not HR's.
main() { sed -n '/^<main id="main">$/,/^<\/main>$/p' "$1"; }
expect_eq "$(req "$T/jar.none" GET /units)" 303 "the list of units without a session"
expect_grep "Location: /login?next=/units"$'\r' "$T/h"
M=$T/jar.marie2 S=$T/jar.sophie
expect_eq "$(login "$M" marie)" 303 "marie logs in again"
expect_eq "$(login "$S" sophie)" 303 "sophie logs in"
expect_eq "$(req "$S" GET /alerts/both-roles@testco/high)" 200 "sophie's page of both-roles"
expect_grep "<dt>Conseil</dt><dd>Texte pour le service social.</dd>" "$T/b"
expect_grep "<dt>Résumé</dt><dd>en <time datetime=\"2026-10\">octobre${NB}2026</time>${NN}: Effectif de testco/high${NN}: 25</dd>" "$T/b"
expect_eq "$(req "$R" GET /alerts/both-roles@testco/high)" 200 "rh's page of both-roles"
expect_grep "<dt>Conseil</dt><dd>Texte pour les RH.</dd>" "$T/b"
expect_eq "$(req "$M" GET /units)" 200 "marie's units"
expect_grep '<title>Mes unités — Vigie</title>' "$T/b"
expect_grep '<li><a href="/">Mes alertes</a></li>' "$T/b"
expect_grep '<li><a href="/units" aria-current="page">Mes unités</a></li>' "$T/b"
cat >"$T/want" <<HTML
<main id="main">
<h1>Mes unités</h1>
<p class="summary">Les unités de votre périmètre, par site, avec ou sans alerte active. La page d'une unité donne ses signaux, son historique et ses notes.</p>
<section aria-labelledby="site0">
<h2 id="site0">valdis/nancy</h2>
<ul class="units">
<li><a href="/units/valdis/nancy">valdis/nancy</a> — alerte active${NN}: <span class="sev sev-warning">vigilance</span>
<ul>
<li><a href="/units/valdis/nancy/logistique">valdis/nancy/logistique</a></li>
<li><a href="/units/valdis/nancy/maintenance">valdis/nancy/maintenance</a></li>
<li><a href="/units/valdis/nancy/production-jour">valdis/nancy/production-jour</a></li>
<li><a href="/units/valdis/nancy/production-nuit">valdis/nancy/production-nuit</a> — alerte active${NN}: <span class="sev sev-critical">critique</span></li>
<li><a href="/units/valdis/nancy/qualite">valdis/nancy/qualite</a></li>
</ul></li>
</ul>
</section>
</main>
HTML
main "$T/b" | diff -u "$T/want" - || fail "marie's list of units"
cp "$T/b" "$T/units.marie"
# The header of every page links to it.
expect_eq "$(req "$M" GET /)" 200 "marie's alerts"
expect_grep '<li><a href="/" aria-current="page">Mes alertes</a></li>' "$T/b"
expect_grep '<li><a href="/units">Mes unités</a></li>' "$T/b"
# Each link leads to its unit's page, one without any alert too.
for href in $(sed -n 's/^<li><a href="\(\/units\/[^"]*\)".*/\1/p' "$T/units.marie"); do
	expect_eq "$(req "$M" GET "$href")" 200 "$href from the list"
	expect_grep "<h1>${href#/units/}</h1>" "$T/b"
done
# The last, qualite, is hidden in 2026-10 beside the team of 4: its rules
# cannot judge it, which is said instead of « Pas d'alerte active ».
expect_grep "<p class=\"state\">Non calculable"$'\u202f'": les chiffres de l'équipe sont masqués (trop peu de personnes, ou une équipe voisine trop petite), et la règle ne peut pas s'y prononcer tant qu'ils le sont.</p>" "$T/b"
expect_no_grep "Pas d'alerte active" "$T/b"
expect_eq "$(req "$M" GET /units/valdis/nancy/logistique)" 200 "a team judged"
expect_grep '<p class="state">Pas d'"'"'alerte active.</p>' "$T/b"
# HR sees every site; a team below the floor (3 people) is listed by its
# name, as its page shows it; the social service's alert is not marked.
expect_eq "$(req "$R" GET /units)" 200 "rh's units"
cp "$T/b" "$T/units.rh"
expect_grep '<li><a href="/units/valdis/epinal/entretien">valdis/epinal/entretien</a></li>' "$T/b"
expect_grep "<li><a href=\"/units/testco/held\">testco/held</a> — alerte active${NN}: <span class=\"sev sev-warning\">vigilance</span></li>" "$T/b"
expect_grep '<li><a href="/units/testco/social">testco/social</a></li>' "$T/b"
expect_grep '">valdis/metz</h2>' "$T/b"
expect_eq "$(req "$R" GET /units/valdis/epinal/entretien)" 200 "a hidden team's page"
# Hidden the whole time, not watched: said at the top, since when, with no
# figure; its sibling of 36 hidden beside it too; a team shown is not.
expect_grep "<p class=\"gaps\">Cette unité n'est pas surveillée depuis <time datetime=\"2023-11\">" "$T/b"
expect_eq "$(req "$R" GET /units/valdis/epinal/expedition)" 200 "the team hidden beside it"
expect_grep "Cette unité n'est pas surveillée depuis" "$T/b"
expect_eq "$(req "$R" GET /units/valdis/epinal/atelier)" 200 "a team shown"
expect_no_grep "surveillée" "$T/b"
# The social service sees its own alert, not HR's.
expect_eq "$(req "$S" GET /units)" 200 "sophie's units"
cp "$T/b" "$T/units.sophie"
expect_grep "<li><a href=\"/units/testco/social\">testco/social</a> — alerte active${NN}: <span class=\"sev sev-warning\">vigilance</span></li>" "$T/b"
expect_grep '<li><a href="/units/testco/held">testco/held</a></li>' "$T/b"
# A team whose alert resolved and whose values were then deleted still has
# its page (its history, its notes): the list leads to it too, for the
# role of that alert, and not for another role, whose alert it is not.
printf 'unit,period,headcount\ntestco/gone,2026-10,20\n' >"$T/gone.csv"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/gone.csv"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_eq "$(db "SELECT active FROM alert WHERE rule = 'held-plain' AND unit = 'testco/gone'")" 1 "testco/gone fires"
printf 'unit,period,headcount\ntestco/gone,2026-10,6\n' >"$T/gone.csv"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/gone.csv"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" delete --period 2026-10 --unit testco/gone
expect_eq "$(db "SELECT active FROM alert WHERE rule = 'held-plain' AND unit = 'testco/gone'")" 0 "its alert resolved"
expect_eq "$(db "SELECT count(*) FROM unit WHERE path = 'testco/gone'")" 0 "and it has no value left"
expect_eq "$(req "$R" GET /units/testco/gone)" 200 "its page"
# Its history names each event's signal with a link to its alert's page.
expect_grep '<td data-label="Signal"><a href="/alerts/held-plain@testco/gone">' "$T/b"
expect_eq "$(req "$R" GET /units)" 200 "rh's units with a team of resolved alerts only"
cp "$T/b" "$T/units.rh"
expect_grep '<li><a href="/units/testco/gone">testco/gone</a></li>' "$T/b"
expect_eq "$(req "$S" GET /units)" 200 "sophie's units with HR's team of resolved alerts only"
cp "$T/b" "$T/units.sophie"
expect_no_grep 'testco/gone' "$T/b"
expect_eq "$(req "$S" GET /units/testco/gone)" 404 "nor its page: a team without values answers for sophie's alerts only"
# No figure anywhere in the text of the list, no plain space before : ; ? !
for who in marie rh sophie; do
	main "$T/units.$who" | sed 's/<[^>]*>//g' | grep '[0-9]' && fail "a figure in $who's list of units"
	main "$T/units.$who" | sed 's/<[^>]*>//g' | grep -E " [:;?!]( |$)" && fail "a plain space before : ; ? ! in $who's list"
done
# Nor does its form: a note posted there, answered 303 (or a bad form 400)
# where the page is 404, told sophie of HR's alert as well, and wrote a note
# that then opened the page to her whole role. Her POSTs are 404 as on a
# team that does not exist, and write nothing; HR, whose alert it was, still
# writes its note there.
tok_s=$(csrf "$S" /units)
tok_r=$(csrf "$R" /units)
notes=$(db "SELECT count(*) FROM note")
expect_eq "$(req "$S" POST /units/testco/nothere --data "action=note&csrf=$tok_s&body=sonde")" 404 "sophie's note on a team that does not exist"
cp "$T/b" "$T/nothere"
expect_eq "$(req "$S" POST /units/testco/gone --data "action=note&csrf=$tok_s&body=sonde")" 404 "sophie's note on HR's team without values"
cmp -s "$T/b" "$T/nothere" || { diff "$T/nothere" "$T/b"; fail "the 404 of HR's team differs from a team that does not exist"; }
expect_eq "$(req "$S" POST /units/testco/gone --data "action=bogus&csrf=$tok_s")" 404 "sophie's bad form on HR's team"
expect_eq "$(db "SELECT count(*) FROM note")" "$notes" "sophie's POSTs wrote no note"
expect_eq "$(req "$S" GET /units/testco/gone)" 404 "the team's page, still not sophie's"
expect_eq "$(req "$R" POST /units/testco/gone --data "action=note&csrf=$tok_r&body=suivi+RH")" 303 "HR's note on its team without values"
expect_eq "$(db "SELECT role || ' ' || author FROM note WHERE unit = 'testco/gone'")" "hr rh" "HR's note is written"
exit 0
