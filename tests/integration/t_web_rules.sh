#!/usr/bin/env bash
# The console's « Règles » page (vigie-web(8)): the rules that notify the
# user's role, each with what became of its alerts of the last 12 periods
# with data, in the user's scopes: fired, taken in charge, closed by
# outcome, and their total. Not the rules of another role, not a unit
# outside the scopes, not a firing before the span. Real cycles fire and
# resolve the alerts; the console records their follow-up.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1
command -v curl >/dev/null || { echo "curl missing"; exit 77; }
NNBSP=$'\u202f'
NB=$'\xc2\xa0'

PORT=$(free_port)
web_two_roles_config
web_followup_rules
# cycle PERIOD... -- UNIT:conflicts:grievances...: those periods' rows
# (every other unit at 0), imported, then one cycle of the daemon.
n=0
cycle() {
	local periods=() u m
	while [ "$1" != -- ]; do periods+=("$1"); shift; done; shift
	n=$((n + 1))
	{ echo "unit,period,headcount,conflicts,grievances"
	  for m in "${periods[@]}"; do
		for u in acme/s/t acme/s/u acme/x/t; do
			line="$u,$m,30,0,0"
			for x in "$@"; do
				IFS=: read -r name c g <<<"$x"
				[ "$name" = "$u" ] && line="$u,$m,30,$c,$g"
			done
			echo "$line"
		done
	  done; } >"$T/$n.csv"
	expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/$n.csv"
	expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
}
# An episode before the span (2025-01), then three units fire in 2026-01.
cycle 2025-01 -- acme/s/t:3:0
cycle 2025-02 2025-03 2025-04 2025-05 2025-06 2025-07 2025-08 2025-09 2025-10 2025-11 2025-12 --
cycle 2026-01 -- acme/s/t:3:0 acme/s/u:6:0 acme/x/t:6:0

web_user rh hr --scope 'acme/s/*'
web_user marie social-worker
web_start
J=$T/jar
expect_eq "$(login "$J" rh)" 303 "rh logs in"
expect_eq "$(login "$T/jar.m" marie)" 303 "marie logs in"
follow() {
	local a=/alerts/$1 tok; shift
	tok=$(csrf "$J" "$a")
	expect_eq "$(req "$J" POST "$a" --data "csrf=$tok&$1")" 303 "$a: $1"
}
follow conflicts-high@acme/s/u action=take
follow conflicts-high@acme/s/t "action=close&outcome=false_alarm"
cycle 2026-02 -- acme/s/u:0:3
follow conflicts-high@acme/s/u "action=close&outcome=action_taken"
follow grievances-high@acme/s/u "action=close&outcome=no_action_needed"

expect_eq "$(req "$J" GET /)" 200 "the alerts page"
expect_grep '<li><a href="/rules">Règles</a></li>' "$T/b"
expect_eq "$(req "$J" GET /rules)" 200 "rh's rules page"
cp "$T/b" "$T/rules-rh.html"
expect_grep '<li><a href="/rules" aria-current="page">Règles</a></li>' "$T/b"
expect_grep "<h1>Règles</h1>" "$T/b"
expect_grep "<caption>Alertes notifiées de <time datetime=\"2025-03\">mars${NB}2025</time> à <time datetime=\"2026-02\">février${NB}2026</time> dans votre périmètre, et leurs suites</caption>" "$T/b"
# What it counts, against the works council report that replays the rules
# over the data: a reader comparing the two is told why they differ.
expect_grep "Ce sont les alertes que Vigie a enregistrées et notifiées au fil de ses cycles. Le rapport au CSE rejoue les règles sur les données de la période" "$T/b"
expect_grep "Alertes notifiées pour la période" "$T/b"
row() {
	local l=("Alertes" "Prises en charge" "Clôturées (action menée)" "Clôturées (fausse alerte)" "Clôturées (aucune action nécessaire)") s=$1 i=0; shift
	for x in "$@"; do s+="<td class=\"num\" data-label=\"${l[$i]}\">$x</td>"; i=$((i + 1)); done
	echo "$s</tr>"
}
expect_grep "$(row '<tr><th scope="row">Conflits répétés<br><span class="meta">identifiant'"$NNBSP"': <code>conflicts-high</code></span></th>' 2 2 1 1 0)" "$T/b"
expect_grep "$(row '<tr><th scope="row">Réclamations répétées<br><span class="meta">identifiant'"$NNBSP"': <code>grievances-high</code></span></th>' 1 1 0 0 1)" "$T/b"
expect_grep "$(row '<tfoot><tr><th scope="row">Toutes ces règles</th>' 3 3 1 1 1)" "$T/b"
# Closing takes in charge: the two columns say so.
expect_grep "Une alerte close l&#39;a été par qui l&#39;a prise en charge${NNBSP}: elle compte aussi parmi les prises en charge." "$T/b"
# Not the social service's rule, not acme/x/t, not the firing of 2025-01.
expect_no_grep "conflicts-sw" "$T/b"

expect_eq "$(req "$T/jar.m" GET /rules)" 200 "marie's rules page"
expect_grep "$(row '<tr><th scope="row">Conflits signalés au service social<br><span class="meta">identifiant'"$NNBSP"': <code>conflicts-sw</code></span></th>' 3 0 0 0 0)" "$T/b"
expect_no_grep "conflicts-high" "$T/b"
expect_no_grep "grievances-high" "$T/b"
web_stop
exit 0
