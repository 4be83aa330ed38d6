#!/usr/bin/env bash
# A rule that combines indicators, titled after what it observes, as the
# digest and the console's alert page show it (vigied(8), vigie-web(8)):
# - fired by another of its indicators while its observed is not above
#   its expected, it says first what moved, and that the figure below is
#   not what fired it (the social worker's year: an alert on social service
#   contacts, at 0 against 0,2, fired by resignations);
# - a lone escalation's subject says « aggravation », not a severity alone
#   that reads as a new alert;
# - its resolution's page says what its digest says: the values at the
#   resolution, why it resolved with the observed still above twice the
#   expected, and neither the indicators that moved nor the guidance meant
#   for a live alert.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1
source "$VIGIE_SRC/tests/integration/notify_lib.sh"
command -v curl >/dev/null || { echo "curl missing"; exit 77; }

PORT=$(free_port)
NNB=$'\xe2\x80\xaf'	# U+202F, before a colon or a semicolon
NBSP=$'\xc2\xa0'	# U+00A0, between a month and its year
web_hr_config
cat >"$T/rules.d/r.yaml" <<'YAML'
rules:
  - id: signals
    title: "Conflits, avec d'autres signes"
    observed: conflicts
    expected: 2
    value: conflicts + 3 * resignations
    above: { warning: 6, critical: 12, clear: 5 }
    scope: "acme/*/*"
    components:
      conflits: conflicts > 2
      démissions: resignations > 1
    measure: "conflits du mois"
    guidance: "Rencontrer la responsable."
    notify: [hr]
YAML
web_mail

# month P CONFLICTS RESIGNATIONS: acme/s/t's month, and one cycle.
month() {
	printf 'unit,period,headcount,conflicts,resignations\nacme/s/t,%s,20,%s,%s\n' \
		"$1" "$2" "$3" >"$T/$1.csv"
	expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/$1.csv"
	expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
}
# last: the latest email's subject, then its text part as sent (lines
# kept), then its HTML part.
last() { mail_show "$(ls "$T"/mail/*.eml | sort | tail -n 1)" parts; }
# expect_lines TEXT FILE: TEXT, newlines included, in FILE (grep -F would
# take each of its lines apart).
expect_lines() {
	[[ $(cat "$2") == *"$1"* ]] || { cat "$2"; fail "'$1' not in $2"; }
}
# facts PATH: the alert page's facts, as vigie-web serves them, in $T/facts.
facts() {
	expect_eq "$(req "$J" GET "$1")" 200 "$1"
	sed -n '/<dl class="facts">/,/<\/dl>/p' "$T/b" >"$T/facts"
}

month 2026-01 0 0
# February: 1 conflict against 2 expected, 2 resignations: the alert
# comes from the resignations, said first.
month 2026-02 1 2
expect_eq "$(notify_count "$T/mail")" 1 "February's digest"
last >"$T/last"
expect_grep "[Vigie] vigilance${NNB}: Conflits, avec d'autres signes — acme/s/t" "$T/last"
expect_lines "  Nouvelle alerte en février${NBSP}2026
  Indicateurs qui ont bougé${NNB}: démissions
  Observé${NNB}: 1 (conflits du mois), attendu${NNB}: 2${NNB}; pas au-dessus de
    l'attendu${NNB}: l'alerte vient des indicateurs qui ont bougé
  Résumé" "$T/last"
expect_lines "<th style=\"text-align:left;padding:2px 12px 2px 0;font-weight:normal;color:#555;vertical-align:top\">Indicateurs qui ont bougé</th><td>démissions</td></tr>
<tr><th style=\"text-align:left;padding:2px 12px 2px 0;font-weight:normal;color:#555;vertical-align:top\">Observé</th><td>1 (conflits du mois), attendu${NNB}: 2${NNB}; pas au-dessus de l&#39;attendu${NNB}: l&#39;alerte vient des indicateurs qui ont bougé</td></tr>" "$T/last"
web_user rh hr
web_start
J=$T/jar
A=/alerts/signals@acme/s/t
expect_eq "$(login "$J" rh)" 303 "rh logs in"
facts "$A"
expect_lines "<dt>Indicateurs qui ont bougé</dt><dd>démissions</dd>
<dt>Observé</dt><dd>1, attendu 2 (<time datetime=\"2026-02\">février${NBSP}2026</time>)${NNB}; pas au-dessus de l&#39;attendu${NNB}: l&#39;alerte vient des indicateurs qui ont bougé</dd>" "$T/facts"
expect_grep "<dt>Conseil</dt><dd>Rencontrer la responsable.</dd>" "$T/facts"
web_stop

# March: critical, the lone escalation of a digest; the observed above
# the expected, the figures come first and say nothing more.
month 2026-03 3 4
expect_eq "$(notify_count "$T/mail")" 2 "March's digest"
last >"$T/last"
expect_eq "$(head -n 1 "$T/last")" "[Vigie] aggravation (critique)${NNB}: Conflits, avec d'autres signes — acme/s/t" \
	"the subject of a lone escalation"
expect_lines "  Aggravation (vigilance → critique) en mars${NBSP}2026, en alerte depuis
    février${NBSP}2026
  Observé${NNB}: 3 (conflits du mois), attendu${NNB}: 2
  Indicateurs qui ont bougé${NNB}: conflits, démissions
" "$T/last"
expect_no_grep "pas au-dessus" "$T/last"

# April: resolved at 5 conflicts, more than twice the 2 expected.
month 2026-04 5 0
expect_eq "$(notify_count "$T/mail")" 3 "April's digest"
last >"$T/last"
expect_eq "$(head -n 1 "$T/last")" "[Vigie] résolue${NNB}: Conflits, avec d'autres signes — acme/s/t" \
	"the subject of a resolution"
expect_lines "  Résolue en avril${NBSP}2026 (en alerte depuis février${NBSP}2026)
  Observé${NNB}: 5 (conflits du mois), attendu${NNB}: 2 (valeurs à la
    résolution)${NNB}; la règle met fin à l'alerte, mais l'observé reste plus
    de deux fois l'attendu${NNB}: si la hausse dure, elle reste à suivre
  Résumé" "$T/last"
expect_no_grep "Indicateurs qui ont bougé" "$T/last"
expect_no_grep "Rencontrer la responsable" "$T/last"
# Its page says the same, in the same words, and no live advice.
web_start
facts "$A"
expect_lines "<dt>État</dt><dd>résolue</dd>
<dt>Observé</dt><dd>5, attendu 2 (<time datetime=\"2026-04\">avril${NBSP}2026</time>, valeurs à la résolution)${NNB}; la règle met fin à l&#39;alerte, mais l&#39;observé reste plus de deux fois l&#39;attendu${NNB}: si la hausse dure, elle reste à suivre</dd>" "$T/facts"
expect_no_grep "Indicateurs qui ont bougé" "$T/facts"
expect_no_grep "Conseil" "$T/facts"
expect_no_grep "Rencontrer la responsable" "$T/b"
web_stop
notify_stop "$SMTPD_PID"
exit 0
