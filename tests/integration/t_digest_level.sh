#!/usr/bin/env bash
# A severity change beside an observed figure that went the other way (or
# stayed) says in one line what moved the severity, from what the event
# recorded of the periods before (vigied(8)), in French and in English:
# - the expected fell (4 → 3 observed, 2 → 1 expected: worse);
# - the expected rose (3 → 6 observed, 1 → 3 expected: better);
# - a rule that combines indicators: its level follows all of them, and
#   those that moved are named (the observed stayed at 5);
# - any other rule: the rule's value and its threshold (5 → 4 observed,
#   the value 6 → 9 over two months);
# and a change the observed figure explains says nothing more.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1
source "$VIGIE_SRC/tests/integration/notify_lib.sh"

PORT=$(free_port)
NNB=$'\xe2\x80\xaf'	# U+202F, before a colon in French
web_hr_config
web_mail
cat >"$T/rules.d/r.yaml" <<'YAML'
rules:
  - id: ratio
    title: "Conflits rapportés aux réclamations"
    scope: ["acme/s/t", "acme/s/x"]
    observed: conflicts
    expected: grievances
    value: conflicts / grievances
    above: { warning: 1.5, critical: 2.5, clear: 1 }
    notify: [hr]
    guidance: "Conseil du ratio."
  - id: combo
    title: "Plusieurs signes"
    scope: acme/s/v
    observed: conflicts
    value: conflicts + 2 * grievances
    components:
      conflits:
        en: conflicts
        value: conflicts > 2
      réclamations:
        en: grievances
        value: grievances > 0
    above: { warning: 4, critical: 8, clear: 2 }
    notify: [hr]
  - id: sum2
    title: "Conflits sur deux mois"
    scope: acme/s/w
    observed: conflicts
    value: sum(conflicts, 2)
    above: { warning: 5, critical: 8, clear: 2 }
    notify: [hr]
YAML

# month P T_C T_G X_C X_G V_C V_G W_C: conflicts and grievances of the
# teams at period P, imported, and a cycle.
month() {
	{
		echo "unit,period,headcount,conflicts,grievances"
		echo "acme/s/t,$1,20,$2,$3"
		echo "acme/s/x,$1,20,$4,$5"
		echo "acme/s/v,$1,20,$6,$7"
		echo "acme/s/w,$1,20,$8,0"
	} >"$T/$1.csv"
	expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/$1.csv"
	expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
}
# nth N: the Nth email received.
nth() { ls "$T"/mail/*.eml | sort | sed -n "$1p"; }
# block N UNIT: the text part's block of UNIT in the Nth email, on one line
# (no-break spaces as spaces, narrow ones kept).
block() {
	mail_show "$(nth "$1")" flat | sed -n "s|.*== $2 == \(.*\)|\1|p" | sed 's| == .*||'
}

# year LOCALE: the months, from an empty database.
year() {
	rm -f "$T"/vigie.db* "$T"/mail/*.eml
	sed -i '/^locale:/d' "$T/vigie.yaml"
	echo "locale: $1" >>"$T/vigie.yaml"
	month 2026-01 4 2 4 2 5 0 1
	month 2026-02 3 1 6 2 5 2 5
	month 2026-03 3 1 6 2 5 2 4
	month 2026-04 6 3 6 2 5 2 5
}

year fr
expect_eq "$(notify_count "$T/mail")" 4 "four digests"
# February: ratio worse at t while its observed fell (4 → 3): the
# expected fell.
block 2 acme/s/t >"$T/t"
expect_grep "Aggravation (vigilance → critique) en février 2026" "$T/t"
expect_grep "Observé${NNB}: 3, attendu${NNB}: 1 Pourquoi ce niveau${NNB}: l'observé est passé de 4 à 3, mais l'attendu est passé de 2 à 1 " "$T/t"
# combo worse with its observed unchanged: it follows its indicators.
block 2 acme/s/v >"$T/v"
expect_grep "Observé${NNB}: 5 Pourquoi ce niveau${NNB}: l'observé est resté à 5, mais le niveau suit tous les indicateurs que la règle combine (ont bougé${NNB}: conflits, réclamations) " "$T/v"
# ratio worse at x, its observed up (4 → 6): nothing to explain.
block 2 acme/s/x >"$T/x"
expect_grep "Aggravation (vigilance → critique) en février 2026" "$T/x"
expect_no_grep "Pourquoi" "$T/x"
mail_show "$(nth 2)" parts >"$T/parts"
expect_eq "$(grep -o "Pourquoi ce niveau" "$T/parts" | wc -l)" 4 "both parts say it, of t and v"
expect_grep "<th style=\"text-align:left;padding:2px 12px 2px 0;font-weight:normal;color:#555;vertical-align:top\">Pourquoi ce niveau</th><td>l&#39;observé est passé de 4 à 3, mais l&#39;attendu est passé de 2 à 1</td>" "$T/parts"
# March: sum2 worse at w while its observed fell (5 → 4): its value.
block 3 acme/s/w >"$T/w"
expect_grep "Aggravation (vigilance → critique) en mars 2026" "$T/w"
expect_grep "Observé${NNB}: 4 Pourquoi ce niveau${NNB}: l'observé est passé de 5 à 4, mais le niveau suit la valeur de la règle, passée de 6 à 9 (seuil critique${NNB}: 8) " "$T/w"
# April: ratio better at t while its observed rose (3 → 6): the expected
# rose more.
block 4 acme/s/t >"$T/t"
expect_grep "Amélioration (critique → vigilance) en avril 2026" "$T/t"
expect_grep "Pourquoi ce niveau${NNB}: l'observé est passé de 3 à 6, mais l'attendu est passé de 1 à 3 " "$T/t"

year en
expect_eq "$(notify_count "$T/mail")" 4 "four digests (en)"
block 2 acme/s/t >"$T/t"
expect_grep "Observed: 3, expected: 1 Why this level: the observed went from 4 to 3, but the expected went from 2 to 1 " "$T/t"
block 2 acme/s/v >"$T/v"
expect_grep "Why this level: the observed stayed at 5, but the level follows all the indicators the rule combines (moved: conflicts, grievances) " "$T/v"
block 3 acme/s/w >"$T/w"
expect_grep "Why this level: the observed went from 5 to 4, but the level follows the rule's value, which went from 6 to 9 (critical threshold: 8) " "$T/w"
block 4 acme/s/t >"$T/t"
expect_grep "Why this level: the observed went from 3 to 6, but the expected went from 1 to 3 " "$T/t"
notify_stop "$SMTPD_PID"
exit 0
