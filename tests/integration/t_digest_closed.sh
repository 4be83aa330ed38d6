#!/usr/bin/env bash
# An alert the social service closed does not come back each month
# (vigied(8)):
# - its improvement is not emailed at all (recorded, and posted to its
#   webhook, all the same), while an open alert's is: the closing holds
#   it, as a silence would;
# - its aggravation is, back to the severity its readers were told, which
#   says the improvement in between went unsaid for it was closed; its
#   block is whole, as SPEC 9 wants every alert's (guidance, summary, last
#   periods, chart);
# - so is its resolution, and its return after it (a new episode, after
#   the one closed), as an open alert's are.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1
source "$VIGIE_SRC/tests/integration/notify_lib.sh"
command -v curl >/dev/null || { echo "curl missing"; exit 77; }

PORT=$(free_port)
NNB=$'\xe2\x80\xaf'	# U+202F, inside « » and before a colon
NBSP=$'\xc2\xa0'	# between a month and its year
hp=$(free_port)
notify_webhook "$T/hook.log" "$hp"
web_console_config "webhooks:
  sw-hook:
    url: http://127.0.0.1:$hp/hook" "  social-worker:
    - email: [as@example.org]
      webhook: [sw-hook]"
sed -i "s|^  listen: 127.0.0.1:$PORT|&\n  url: https://vigie.example.org|" "$T/vigie.yaml"
web_conflicts_rule social-worker	# warning 2, critical 5, clear 1
cat >>"$T/rules.d/r.yaml" <<'YAML'
    observed: conflicts
    expected: 1
    guidance: "Rencontrer la responsable."
    summary: "{{observed}} conflits ({{unit}})"
YAML
web_mail

# month P T V: the conflicts of acme/s/t and acme/s/v at period P.
month() {
	printf 'unit,period,headcount,conflicts\nacme/s/t,%s,20,%s\nacme/s/v,%s,20,%s\n' \
		"$1" "$2" "$1" "$3" >"$T/$1.csv"
	expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/$1.csv"
	expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
}
last() { ls "$T"/mail/*.eml | sort | tail -n 1; }
# block UNIT: the text part's block of UNIT in the latest email, on one
# line (no-break spaces as spaces, narrow ones kept).
block() {
	mail_show "$(last)" flat | sed -n "s|.*== $1 == \(.*\)|\1|p" | sed 's| == .*||'
}
# html_of UNIT: the HTML part's signal of UNIT in the latest email.
html_of() {
	mail_show "$(last)" parts | sed -n "/<div class=\"signal\"/,/<\/div>/p" |
		awk -v u="/alerts/conflicts-high@$1\"" 'index($0, u) { on = 1 } on; /<\/div>/ { on = 0 }'
}
# whole UNIT: UNIT's block is whole, in both parts (the guidance: below,
# for an alert not resolved).
whole() {
	block "$1" >"$T/blk"
	for w in "Observé${NNB}: " "Résumé" "Dernières périodes" \
	    "Suivre dans la console${NNB}: https://vigie.example.org/alerts/conflicts-high@$1"; do
		expect_grep "$w" "$T/blk"
	done
	html_of "$1" >"$T/blk.html"
	for w in "Observé</th>" ">Suivre dans la console</a>" "Résumé" "class=\"chart\""; do
		expect_grep "$w" "$T/blk.html"
	done
}

month 2026-01 0 0
month 2026-02 6 3
expect_eq "$(notify_count "$T/mail")" 1 "February's digest"

# The social worker closes t: « aucune action nécessaire ».
web_user marie social-worker
web_start
J=$T/jar
A=/alerts/conflicts-high@acme/s/t
expect_eq "$(login "$J" marie)" 303 "marie logs in"
tok=$(csrf "$J" "$A")
expect_eq "$(req "$J" POST "$A" --data "action=close&csrf=$tok&outcome=no_action_needed")" 303 "closed"
web_stop

# March: t better (closed: not sent), v worse (open: sent, whole).
month 2026-03 3 6
expect_eq "$(notify_count "$T/mail")" 2 "March's digest"
mail_show "$(last)" flat >"$T/last"
expect_no_grep "acme/s/t" "$T/last"
expect_no_grep "Amélioration" "$T/last"
expect_grep "[Vigie] aggravation (critique)${NNB}: Conflits répétés — acme/s/v" "$T/last"
expect_grep "Rencontrer la responsable." "$T/last"
expect_grep "Dernières périodes" "$T/last"
expect_eq "$(notify_sql "SELECT count(*) FROM event e JOIN alert a ON a.id = e.alert
	WHERE a.unit = 'acme/s/t' AND e.kind = 'deescalated'")" 1 "the improvement is recorded"
# and posted to the webhook, which keeps every change
expect_eq "$($PY -c 'import json, sys
print(sum(1 for l in open(sys.argv[1]) for x in json.loads(json.loads(l)["body"])["alerts"]
	if x["unit"] == "acme/s/t" and x["event"] == "deescalated"))' "$T/hook.log")" 1 "the webhook's improvement"

# April: t worse again (closed: sent, whole), v unchanged.
month 2026-04 6 6
expect_eq "$(notify_count "$T/mail")" 3 "April's digest"
block acme/s/t >"$T/t"
expect_grep "[critique] Conflits répétés Aggravation en avril 2026${NNB}: de nouveau en critique, après un passage en vigilance en mars 2026, non signalé (alerte clôturée), en alerte depuis février 2026, après sa clôture «${NNB}aucune action nécessaire${NNB}» Observé${NNB}: 6, attendu${NNB}: 1" "$T/t"
whole acme/s/t
expect_grep "Rencontrer la responsable." "$T/blk"
html_of acme/s/t >"$T/t.html"
expect_grep "Aggravation en avril${NBSP}2026${NNB}: de nouveau en critique, après un passage en vigilance en mars${NBSP}2026, non signalé (alerte clôturée)" "$T/t.html"

# May: t resolved (closed: whole), v resolved (open: whole, its last
# periods).
month 2026-05 0 0
expect_eq "$(notify_count "$T/mail")" 4 "May's digest"
expect_grep "Résolue en mai 2026 (en alerte depuis février 2026), déjà clôturée «${NNB}aucune action nécessaire${NNB}»" <(block acme/s/t)
whole acme/s/t
block acme/s/v >"$T/v"
expect_grep "Dernières périodes" "$T/v"
html_of acme/s/v >"$T/v.html"
expect_grep "class=\"chart\"" "$T/v.html"

# June: t back, after the episode closed; v back; both whole.
month 2026-06 6 6
expect_eq "$(notify_count "$T/mail")" 5 "June's digest"
expect_grep "Nouvelle alerte en juin 2026, après un épisode précédent clôturé «${NNB}aucune action nécessaire${NNB}»" <(block acme/s/t)
whole acme/s/t
expect_grep "Rencontrer la responsable." "$T/blk"
block acme/s/v >"$T/v"
for w in "Rencontrer la responsable." "Résumé" "Dernières périodes"; do
	expect_grep "$w" "$T/v"
done
html_of acme/s/v >"$T/v.html"
expect_grep "Rencontrer la responsable." "$T/v.html"
expect_grep "class=\"chart\"" "$T/v.html"
notify_stop "$SMTPD_PID"
notify_stop "$HOOK_PID"
exit 0
