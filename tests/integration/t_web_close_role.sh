#!/usr/bin/env bash
# An alert's follow-up belongs to the role that took it in charge
# (vigie-web(8)): when a social worker takes an alert in charge, HR sees who
# did and cannot close it — no form, 403 if posted, nothing written, the
# reminders not stopped — while a colleague of the social service can; an
# alert taken in charge by a name that is no account (`vigie ack --by`) binds
# no role, and one nobody took in charge anybody may close.
source "$VIGIE_SRC/tests/integration/lib.sh"
command -v curl >/dev/null || { echo "curl missing"; exit 77; }

NNB=$'\xe2\x80\xaf'	# U+202F, before a colon
db() { sqlite3 "$T/vigie.db" "$1"; }
web_nancy_console

A=/alerts/absenteeism-rate@valdis/nancy/production-nuit
row="rule = 'absenteeism-rate' AND unit = 'valdis/nancy/production-nuit'"
tok=$(csrf "$M" "$A")
expect_eq "$(req "$M" POST "$A" --data "action=take&csrf=$tok")" 303 "marie takes it in charge"

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
O=/alerts/overtime-vs-usual@valdis/nancy/production-nuit
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
sqlite3 "$T/vigie.db" "SELECT rule, unit FROM alert WHERE active" >&2; web_stop
