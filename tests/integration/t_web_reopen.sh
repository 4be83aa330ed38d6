#!/usr/bin/env bash
# An alert closed, then worse since, is open again (vigie-web(8)): a
# colleague of the role that closed it finds it under « ouvertes », and on
# its page « Reprendre le suivi » reopens it and takes it in charge — a
# "reopened" event and an audit entry, by whom and when, the closing kept
# in the history but no longer counted on the rules page; the bulk takeover of
# a colleague's alerts reopens those she closed that got worse since; a
# second tab writes nothing and says who did it first; HR may not reopen
# what the social service closed. Once reopened, its resolution's digest
# no longer says it was closed.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1
source "$VIGIE_SRC/tests/integration/notify_lib.sh"
command -v curl >/dev/null || { echo "curl missing"; exit 77; }

NNB=$'\xe2\x80\xaf'	# U+202F, inside « » and before a colon
PORT=$(free_port)
web_two_roles_config
web_conflicts_rule "hr, social-worker"
web_mail

# month P T V: the conflicts of acme/s/t and acme/s/v at period P.
month() {
	printf 'unit,period,headcount,conflicts\nacme/s/t,%s,20,%s\nacme/s/v,%s,20,%s\n' \
		"$1" "$2" "$1" "$3" >"$T/$1.csv"
	expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/$1.csv"
	expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
}
month 2026-01 0 0
month 2026-02 0 0
month 2026-03 3 3

web_user marie social-worker
web_user claire social-worker
web_user rh hr
web_start
M=$T/jar.marie C=$T/jar.claire R=$T/jar.rh
for u in marie claire rh; do
	jar=$T/jar.$u
	expect_eq "$(login "$jar" "$u")" 303 "$u logs in"
done
A=/alerts/conflicts-high@acme/s/t
V=/alerts/conflicts-high@acme/s/v
# Closing records the outcome; no promise of reminders the rule does not send.
expect_eq "$(req "$M" GET "$A")" 200 "marie's page of the alert"
expect_grep "<p class=\"hint\" id=\"close-hint\">Clôturer consigne l'issue${NNB}: si l'alerte s'aggrave ensuite, la liste le dit, et son suivi se reprend.</p>" "$T/b"
tok=$(csrf "$M" "$A")
for a in "$A" "$V"; do
	expect_eq "$(req "$M" POST "$a" --data "action=close&csrf=$tok&outcome=false_alarm")" 303 \
		"marie closes $a as a false alarm"
done
# Closed and not worse: nothing to reopen, not open.
expect_eq "$(req "$C" GET "$A")" 200 "claire's page of the closed alert"
expect_no_grep 'value="reopen"' "$T/b"
expect_eq "$(req "$C" GET "/?state=open")" 200 "claire's open alerts before April"
expect_no_grep "href=\"$A\"" "$T/b"

# April: both get worse, critical.
month 2026-04 6 6
expect_eq "$(db "SELECT group_concat(severity || ' ' || closed_by, ', ') FROM alert WHERE active")" \
	"critical marie, critical marie" "both critical, still closed by marie"

# Open again: in « ouvertes », which counts them.
expect_eq "$(req "$C" GET "/?state=open")" 200 "claire's open alerts"
expect_grep "href=\"$A\"" "$T/b"
expect_grep "href=\"$V\"" "$T/b"
expect_no_grep "aucune critique" "$T/b"

# Its page offers to follow it again, to the social service only.
expect_eq "$(req "$C" GET "$A")" 200 "claire's page of the worse alert"
expect_grep '<input type="hidden" name="action" value="reopen"><button type="submit" aria-describedby="reopen-hint">Reprendre le suivi</button></form>' "$T/b"
expect_grep "<p class=\"hint\" id=\"reopen-hint\">Clôturée par marie avant de s'aggraver${NNB}: reprenez-en le suivi pour la rouvrir. L'historique garde sa clôture, mais elle ne compte plus parmi les issues.</p>" "$T/b"
expect_eq "$(req "$R" GET "$A")" 200 "rh's page of the worse alert"
expect_no_grep 'value="reopen"' "$T/b"
rtok=$(csrf "$R" "$A")
expect_eq "$(req "$R" POST "$A" --data "action=reopen&csrf=$rtok")" 403 "rh reopens it"
expect_grep "Cette alerte est suivie par un autre rôle${NNB}: lui seul peut en reprendre le suivi." "$T/b"
expect_eq "$(req "$C" POST "$A" --data "action=reopen")" 403 "a reopen without its CSRF token"
expect_eq "$(db "SELECT count(*) FROM event WHERE kind = 'reopened'")" 0 "nothing reopened yet"

# claire reopens it: hers now, the closing kept.
ctok=$(csrf "$C" "$A")
expect_eq "$(req "$C" POST "$A" --data "action=reopen&csrf=$ctok")" 303 "claire reopens it"
expect_grep "Location: /alerts/conflicts-high@acme/s/t?done=reopen" "$T/h"
expect_eq "$(db "SELECT acked_by || ' ' || ifnull(closed_by, '-') || ' ' || ifnull(outcome, '-') FROM alert WHERE unit = 'acme/s/t'")" \
	"claire - -" "the follow-up once reopened"
expect_eq "$(db "SELECT group_concat(kind || ' ' || author || ' ' || ifnull(outcome, '-'), ', ') FROM (SELECT * FROM event e JOIN alert a ON a.id = e.alert WHERE a.unit = 'acme/s/t' AND e.author IS NOT NULL ORDER BY e.id)")" \
	"ack marie -, closed marie false_alarm, reopened claire -, ack claire -" "its follow-up events"
expect_eq "$(db "SELECT actor || ' ' || action || ' ' || object || ' ' || (at > 0) || ' ' || detail FROM audit WHERE action = 'reopen'")" \
	"claire reopen conflicts-high@acme/s/t 1 closed by marie, false_alarm" "the reopening in the audit log, with the closing it sets aside"
expect_eq "$(req "$C" GET "$A?done=reopen")" 200 "the page after it"
expect_grep "Alerte rouverte${NNB}: vous la suivez." "$T/b"
expect_grep "<span class=\"fu fu-taken\">prise en charge</span> par claire le " "$T/b"
expect_no_grep 'value="reopen"' "$T/b"
expect_grep ">rouverte</td>" "$T/b"
expect_grep "par marie${NNB}: fausse alerte" "$T/b"
# vigie history says it too.
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" history conflicts-high@acme/s/t
expect_eq "$(awk '$0 ~ /reopened/ || $0 ~ / closed /' "$T/out" | grep -o 'reopened.*by claire\|closed.*by marie, outcome false_alarm' | sed 's/  */ /g')" \
	"closed 2026-03 warning 3 by marie, outcome false_alarm
reopened 2026-04 critical 6 by claire" "the history's follow-up lines"
# A second tab (or marie at the same time) writes nothing.
expect_eq "$(req "$M" POST "$A" --data "action=reopen&csrf=$tok")" 303 "marie reopens it too"
expect_grep "Location: /alerts/conflicts-high@acme/s/t?done=already" "$T/h"
expect_eq "$(req "$M" GET "$A?done=already")" 200 "marie's page after it"
expect_grep "Déjà prise en charge par claire le " "$T/b"
expect_eq "$(db "SELECT count(*) FROM event WHERE kind = 'reopened'")" 1 "one reopening"
# Taken: no longer open.
expect_eq "$(req "$C" GET "/?state=open")" 200 "claire's open alerts after it"
expect_no_grep "href=\"$A\"" "$T/b"
expect_grep "href=\"$V\"" "$T/b"

# The bulk takeover of marie's alerts reopens the other one.
expect_eq "$(req "$C" GET /)" 200 "claire's list"
expect_grep '<select id="takeover-from" name="from" aria-describedby="takeover-all-hint"><option value="marie">marie</option></select>' "$T/b"
expect_eq "$(req "$R" GET /)" 200 "rh's list"
expect_no_grep 'id="takeover-from"' "$T/b"
expect_eq "$(req "$C" POST /takeover --data "from=marie&csrf=$ctok")" 303 "claire takes over marie's alerts"
expect_eq "$(db "SELECT acked_by || ' ' || ifnull(closed_by, '-') FROM alert WHERE unit = 'acme/s/v'")" \
	"claire -" "marie's other closed alert, reopened"
expect_eq "$(db "SELECT group_concat(object, ', ') FROM audit WHERE action = 'reopen' AND actor = 'claire'")" \
	"conflicts-high@acme/s/t, conflicts-high@acme/s/v" "both reopenings in the audit log"
expect_eq "$(req "$C" GET "/?state=mine&done=takeover&from=marie")" 200 "claire's own alerts"
expect_grep "Vous suivez désormais les alertes de votre collègue." "$T/b"

# The rules page no longer counts marie's two closings as false alarms:
# both alerts were reopened (worse since), taken in charge by claire.
expect_eq "$(req "$C" GET /rules)" 200 "the rules page"
expect_grep '<td class="num" data-label="Clôturées (fausse alerte)">0</td>' "$T/b"
web_stop

# May: both resolve; the digest does not say they were closed.
month 2026-05 0 0
$PY - "$(ls "$T"/mail/*.eml | sort | tail -n 1)" >"$T/last" <<'PY'
import email, email.policy, re, sys
m = email.message_from_binary_file(open(sys.argv[1], "rb"), policy=email.policy.default)
print(m["Subject"])
print(re.sub(r"[ \t\r\n\u00a0]+", " ", m.get_body(preferencelist=("plain",)).get_content()))
PY
expect_grep "Résolue en mai 2026 (en alerte depuis mars 2026)" "$T/last"
expect_no_grep "clôturée" "$T/last"
