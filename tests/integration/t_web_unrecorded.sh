#!/usr/bin/env bash
# « Mes alertes » filtered « résolues sans issue » (state=unrecorded,
# vigie-web(8)): the user's resolved alerts whose outcome nobody recorded
# (not closed), of their scopes and of the rules that notify their role,
# grouped by unit (a unit with a critical one first), inside a unit the
# latest resolution first; the unfiltered list links to them in one line
# that counts them, until each is closed from its page. Real cycles fire
# and resolve the alerts; the console runs across them.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1
command -v curl >/dev/null || { echo "curl missing"; exit 77; }

PORT=$(free_port)
NB=$'\xc2\xa0'	# U+00A0, between a month and its year
web_two_roles_config
web_followup_rules
# month UNIT:conflicts:grievances...: one period's rows
month() {
	local m=$1 u; shift
	for u in "$@"; do
		IFS=: read -r name c g <<<"$u"
		echo "$name,$m,30,$c,$g"
	done
}
{
	echo "unit,period,headcount,conflicts,grievances"
	month 2026-01 acme/s/t:1:0 acme/s/u:1:0 acme/s/c:1:0 acme/s/a:1:0 acme/x/t:1:0
	month 2026-02 acme/s/t:1:0 acme/s/u:1:0 acme/s/c:1:0 acme/s/a:1:0 acme/x/t:1:0
	month 2026-03 acme/s/t:3:0 acme/s/u:6:0 acme/s/c:3:0 acme/s/a:1:0 acme/x/t:6:0
} >"$T/a.csv"
{
	echo "unit,period,headcount,conflicts,grievances"
	month 2026-04 acme/s/t:0:3 acme/s/u:0:0 acme/s/c:0:0 acme/s/a:1:0 acme/x/t:0:0
} >"$T/b.csv"
{
	echo "unit,period,headcount,conflicts,grievances"
	month 2026-05 acme/s/t:0:0 acme/s/u:0:0 acme/s/c:0:0 acme/s/a:3:0 acme/x/t:0:0
} >"$T/c.csv"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/a.csv"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once

web_user rh hr --scope 'acme/s/*'
web_start
J=$T/jar
expect_eq "$(login "$J" rh)" 303 "rh logs in"
# While they are active: one taken in charge, one closed (a mediation
# that worked); they resolve with the next period.
A=/alerts/conflicts-high@acme/s/u
tok=$(csrf "$J" "$A")
expect_eq "$(req "$J" POST "$A" --data "action=take&csrf=$tok")" 303 "taken in charge"
A=/alerts/conflicts-high@acme/s/c
expect_eq "$(req "$J" POST "$A" --data "action=close&csrf=$tok&outcome=action_taken")" 303 \
	"closed while active"
expect_eq "$(req "$J" GET /)" 200 "the list, before any resolution"
expect_no_grep 'class="unrecorded"' "$T/b"

expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/b.csv"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/c.csv"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_eq "$(db "SELECT group_concat(rule || '@' || unit || '=' || active || ifnull(closed_by, ''), ' ')
	FROM (SELECT * FROM alert ORDER BY unit, rule)")" \
	"conflicts-high@acme/s/a=1 conflicts-sw@acme/s/a=1 conflicts-high@acme/s/c=0rh conflicts-sw@acme/s/c=0 conflicts-high@acme/s/t=0 conflicts-sw@acme/s/t=0 grievances-high@acme/s/t=0 conflicts-high@acme/s/u=0 conflicts-sw@acme/s/u=0 conflicts-high@acme/x/t=0 conflicts-sw@acme/x/t=0" \
	"what the cycles left"

# The unfiltered list: its active alert, and the line to the others.
expect_eq "$(req "$J" GET /)" 200 "the list"
cp "$T/b" "$T/list1.html"
expect_grep '<p class="summary">1 alerte active dans 1 unité, aucune critique.</p>' "$T/b"
expect_grep '<p class="unrecorded"><a href="/?state=unrecorded">3 alertes résolues attendent leur issue</a></p>' "$T/b"
# The filter offers it.
expect_grep '<option value="unrecorded">résolues sans issue</option>' "$T/b"

expect_eq "$(req "$J" GET "/?state=unrecorded")" 200 "the filtered list"
cp "$T/b" "$T/filter1.html"
expect_grep '<option value="unrecorded" selected>résolues sans issue</option>' "$T/b"
expect_grep '<p class="summary">3 alertes résolues sans issue dans 2 unités, dont 1 critique.</p>' "$T/b"
expect_no_grep 'class="unrecorded"' "$T/b"
# The unit with a critical one first; inside a unit the latest resolution.
expect_eq "$(grep -o 'href="/alerts/[^"]*"' "$T/b" | tr '\n' ' ')" \
	'href="/alerts/conflicts-high@acme/s/u" href="/alerts/grievances-high@acme/s/t" href="/alerts/conflicts-high@acme/s/t" ' \
	"the resolved alerts without an outcome, in order"
expect_grep '<th scope="col">Gravité atteinte</th><th scope="col">Signal</th><th scope="col">Depuis</th><th scope="col">Résolue en</th><th scope="col">Suivi</th>' "$T/b"
expect_grep '<tr><td data-label="Gravité atteinte"><span class="sev sev-critical">critique</span></td><td data-label="Signal"><a href="/alerts/conflicts-high@acme/s/u">Conflits répétés</a></td><td data-label="Depuis"><time datetime="2026-03">mars'"$NB"'2026</time></td><td data-label="Résolue en"><time datetime="2026-04">avril'"$NB"'2026</time></td><td data-label="Suivi"><span class="fu fu-taken">prise en charge</span> par rh le ' "$T/b"
expect_grep '<tr><td data-label="Gravité atteinte"><span class="sev sev-warning">vigilance</span></td><td data-label="Signal"><a href="/alerts/grievances-high@acme/s/t">Réclamations répétées</a></td><td data-label="Depuis"><time datetime="2026-04">avril'"$NB"'2026</time></td><td data-label="Résolue en"><time datetime="2026-05">mai'"$NB"'2026</time></td><td data-label="Suivi"><span class="fu fu-open">ouverte</span></td></tr>' "$T/b"
# Not outside the scope, not closed, not active, not a rule of another role.
expect_no_grep 'acme/x/t' "$T/b"
expect_no_grep 'acme/s/c' "$T/b"
expect_no_grep 'acme/s/a' "$T/b"
expect_no_grep 'conflicts-sw' "$T/b"
expect_no_grep 'service social' "$T/b"

# Closing each from its page: the line counts down, agrees, then goes.
close() {
	local a=/alerts/$1 tok
	tok=$(csrf "$J" "$a")
	expect_eq "$(req "$J" POST "$a" --data "action=close&csrf=$tok&outcome=$2")" 303 "$1 closed"
}
close grievances-high@acme/s/t false_alarm
close conflicts-high@acme/s/u action_taken
expect_eq "$(req "$J" GET /)" 200 "the list, two closed"
expect_grep '<p class="unrecorded"><a href="/?state=unrecorded">1 alerte résolue attend son issue</a></p>' "$T/b"
expect_eq "$(req "$J" GET "/?state=unrecorded")" 200 "the filtered list, two closed"
expect_grep '<p class="summary">1 alerte résolue sans issue dans 1 unité, aucune critique.</p>' "$T/b"
expect_eq "$(grep -o 'href="/alerts/[^"]*"' "$T/b" | tr '\n' ' ')" \
	'href="/alerts/conflicts-high@acme/s/t" ' "the one left"
close conflicts-high@acme/s/t no_action_needed
expect_eq "$(req "$J" GET /)" 200 "the list, all closed"
expect_no_grep 'class="unrecorded"' "$T/b"
expect_no_grep 'attend' "$T/b"
expect_eq "$(req "$J" GET "/?state=unrecorded")" 200 "the filtered list, all closed"
expect_grep '<p class="summary">Aucune alerte résolue sans issue ne correspond dans votre périmètre.</p>' "$T/b"
expect_no_grep '<table' "$T/b"
web_stop
