#!/usr/bin/env bash
# An alert's follow-up belongs to the role that took it in charge
# (vigie-web(8)): when a social worker takes an alert in charge, HR sees who
# did and cannot close it — no form, 403 if posted, nothing written (no
# outcome, no event, no audit entry) — while a colleague of the social
# service can; an alert taken in charge by a name that is no account
# (`vigie ack --by`) binds no role, and one nobody took in charge anybody
# may close. Once resolved, an alert the social service took in charge
# waits for its outcome in their lists, not in HR's; it stays theirs when
# its taker's account is deleted, or made again under another role.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1
command -v curl >/dev/null || { echo "curl missing"; exit 77; }

NNB=$'\xe2\x80\xaf'	# U+202F, before a colon
web_nancy_console

A=/alerts/absenteeism-rate@valdis/nancy/production-nuit
row="rule = 'absenteeism-rate' AND unit = 'valdis/nancy/production-nuit'"
V=/alerts/overtime-vs-usual@valdis/nancy/production-nuit
tok=$(csrf "$M" "$A")
expect_eq "$(req "$M" POST "$A" --data "action=take&csrf=$tok")" 303 "marie takes it in charge"
expect_eq "$(req "$M" POST "$V" --data "action=take&csrf=$tok")" 303 "marie takes the overtime alert in charge"

# HR reads who follows it, and is offered no way to close it.
expect_eq "$(req "$R" GET "$A")" 200 "rh's page of the alert"
expect_grep '<span class="fu fu-taken">prise en charge</span> par marie le ' "$T/b"
expect_grep "Seul le rôle qui l'a prise en charge (service social) peut la clôturer." "$T/b"
expect_no_grep 'name="action" value="close"' "$T/b"
rtok=$(csrf "$R" "$A")
expect_eq "$(req "$R" POST "$A" --data "action=close&csrf=$rtok&outcome=no_action_needed")" 403 \
	"rh closes marie's alert"
expect_grep "<h1>Action refusée</h1>" "$T/b"
expect_grep "Cette alerte est prise en charge par un autre rôle${NNB}: lui seul peut la clôturer." "$T/b"
expect_eq "$(db "SELECT acked_by || ' ' || ifnull(closed_by, '-') || ' ' || ifnull(outcome, '-') FROM alert WHERE $row")" \
	"marie - -" "the follow-up after rh's refused close"
expect_eq "$(db "SELECT count(*) FROM event WHERE kind = 'closed'")" 0 "no closed event"
expect_eq "$(db "SELECT count(*) FROM audit WHERE action = 'close'")" 0 "no close in the audit log"

# A colleague of the social service closes it.
expect_eq "$(req "$C" GET "$A")" 200 "claire's page of the alert"
expect_grep 'name="action" value="close"' "$T/b"
ctok=$(csrf "$C" "$A")
expect_eq "$(req "$C" POST "$A" --data "action=close&csrf=$ctok&outcome=action_taken")" 303 \
	"claire closes it"
expect_eq "$(db "SELECT acked_by || ' ' || closed_by || ' ' || outcome FROM alert WHERE $row")" \
	"marie claire action_taken" "the follow-up after claire's close"
expect_eq "$(db "SELECT actor || ' ' || object FROM audit WHERE action = 'close'")" \
	"claire absenteeism-rate@valdis/nancy/production-nuit" "claire's close in the audit log"

# Taken in charge from the shell under a name that is no account: HR may
# close it. Nobody took it in charge: HR may close it.
B=/alerts/absenteeism-rate@valdis/nancy
O=/alerts/conflicts@valdis/epinal
for a in "$B" "$O"; do
	expect_eq "$(db "SELECT count(*) FROM alert WHERE active AND rule || '@' || unit = '${a#/alerts/}'")" 1 \
		"$a is active"
done
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" ack absenteeism-rate@valdis/nancy --by "M. Martin"
for a in "$B" "$O"; do
	expect_eq "$(req "$R" GET "$a")" 200 "rh's page of $a"
	expect_grep 'name="action" value="close"' "$T/b"
	expect_no_grep "Seul le rôle" "$T/b"
	expect_eq "$(req "$R" POST "$a" --data "action=close&csrf=$rtok&outcome=false_alarm")" 303 \
		"rh closes $a"
done
expect_eq "$(db "SELECT group_concat(closed_by || ' ' || outcome, ', ') FROM (SELECT * FROM alert WHERE closed_by = 'rh' ORDER BY unit, rule)")" \
	"rh false_alarm, rh false_alarm" "rh's two closes"

# The overtime alert resolves, marie's: its outcome waits for the social
# service, not for HR — not in rh's list of alerts resolved with no
# outcome, and rh's unit page leads to its follow-up, not to closing it.
{
	echo "unit,period,headcount,overtime_hours"
	for m in 2026-11 2026-12; do echo "valdis/nancy/production-nuit,$m,43,0"; done
} >"$T/calm.csv"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/calm.csv"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_eq "$(db "SELECT active || ' ' || acked_by || ' ' || ifnull(closed_by, '-') FROM alert WHERE rule = 'overtime-vs-usual' AND unit = 'valdis/nancy/production-nuit'")" \
	"0 marie -" "the overtime alert resolved, marie's, not closed"
link='href="/alerts/overtime-vs-usual@valdis/nancy/production-nuit"'
expect_eq "$(req "$M" GET "/?state=unrecorded")" 200 "marie's resolved alerts with no outcome"
expect_grep "$link" "$T/b"
expect_eq "$(req "$R" GET "/?state=unrecorded")" 200 "rh's resolved alerts with no outcome"
expect_no_grep "$link" "$T/b"
U=/units/valdis/nancy/production-nuit
expect_eq "$(req "$M" GET "$U")" 200 "marie's unit page"
expect_grep "n'a pas d'issue consignée${NNB}: <a href=\"$V#followup\">la clôturer</a>." "$T/b"
expect_eq "$(req "$R" GET "$U")" 200 "rh's unit page"
expect_grep "n'a pas d'issue consignée${NNB}: <a href=\"$V#followup\">son suivi</a>." "$T/b"
expect_eq "$(req "$R" GET "$V")" 200 "rh's page of the resolved alert"
expect_grep "Seul le rôle qui l'a prise en charge (service social) peut la clôturer." "$T/b"
expect_no_grep "clôturez-la pour consigner son issue" "$T/b"
expect_eq "$(req "$M" GET "$V")" 200 "marie's page of the resolved alert"
expect_grep "clôturez-la pour consigner son issue" "$T/b"
expect_grep 'name="action" value="close"' "$T/b"
# Their lists of active alerts say what waits for an outcome: marie's
# does, rh's has nothing waiting for HR.
expect_eq "$(req "$M" GET "/")" 200 "marie's alerts"
expect_grep '<p class="unrecorded"><a href="/?state=unrecorded">1 alerte résolue attend son issue</a></p>' "$T/b"
expect_eq "$(req "$R" GET "/")" 200 "rh's alerts"
expect_no_grep 'class="unrecorded"' "$T/b"

# marie leaves the social service: her account goes, then a new one of
# that name is made for HR. Her alert stays the social service's: rh may
# not close it, claire may.
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" user del marie
web_user marie hr
for jar in "$R" "$M"; do
	[ "$jar" = "$R" ] || expect_eq "$(login "$M" marie)" 303 "marie logs in, now of HR"
	expect_eq "$(req "$jar" GET "$V")" 200 "the resolved alert's page, to HR"
	expect_grep "Seul le rôle qui l'a prise en charge (service social) peut la clôturer." "$T/b"
	expect_no_grep 'name="action" value="close"' "$T/b"
	tok=$(csrf "$jar" "$V")
	expect_eq "$(req "$jar" POST "$V" --data "action=close&csrf=$tok&outcome=false_alarm")" 403 \
		"HR closes the social service's alert"
done
expect_eq "$(req "$C" GET "/?state=unrecorded")" 200 "claire's resolved alerts with no outcome"
expect_grep "$link" "$T/b"
expect_eq "$(req "$C" POST "$V" --data "action=close&csrf=$ctok&outcome=action_taken")" 303 \
	"claire closes it"
expect_eq "$(db "SELECT acked_by || ' ' || closed_by || ' ' || outcome FROM alert WHERE rule = 'overtime-vs-usual' AND unit = 'valdis/nancy/production-nuit'")" \
	"marie claire action_taken" "the follow-up after claire's close"
web_stop
