#!/usr/bin/env bash
# An alert already active sent for the first time to an address
# (vigied(8)) whose latest event is of an older period reads as it stands,
# with today's figures: a rule that states observed and expected gives
# them for the alert's current period, with its summary and last periods,
# never its value against a threshold alone. The alert of acme/n/v fires
# in March (5 conflicts) and stays in alert in April and May (6, then 7)
# with no new event; the route goes from marie to claire in May; then
# the team moves to another site.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1
source "$VIGIE_SRC/tests/integration/notify_lib.sh"

NNB=$'\xe2\x80\xaf'
notify_site_routes
cat >"$T/rules.d/r.yaml" <<'YAML'
rules:
  - id: signals
    title: "Conflits plus nombreux qu'attendu"
    observed: conflicts
    expected: 2
    value: conflicts
    above: { warning: 4, critical: 10, clear: 3 }
    scope: "acme/*/*"
    measure: "conflits du mois"
    summary: "{{observed}} conflits, contre {{expected}} attendus"
    notify: [social-worker]
YAML

month() {
	printf 'unit,period,headcount,conflicts\nacme/n/v,%s,20,%s\n' "$1" "$2" >"$T/$1.csv"
	expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/$1.csv"
}
to() { grep -l "^To: $1" "$T"/mail/*.eml 2>/dev/null | wc -l; }
last() { mail_show "$(grep -l "^To: $1" "$T"/mail/*.eml | sort | tail -n 1)" flat; }

month 2026-01 0
month 2026-02 0
month 2026-03 5
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_eq "$(to marie)" 1 "marie's March digest"
month 2026-04 6
month 2026-05 7
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_eq "$(to marie)" 1 "no change: no digest"
expect_eq "$(db "SELECT count(*) FROM event WHERE kind = 'firing'")" 1 "the March firing only"

sed -i "s/marie@example.org/claire@example.org/" "$T/vigie.yaml"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_eq "$(to claire)" 1 "claire's first digest"
last claire >"$T/last"
expect_grep "déjà en cours, signalée pour la première fois à cette adresse (dernière période${NNB}: mai 2026) Observé${NNB}: 7 (conflits du mois), attendu${NNB}: 2 Résumé${NNB}: 7 conflits, contre 2 attendus Dernières périodes (observé, et attendu entre parenthèses)${NNB}:" "$T/last"
expect_grep "2026-03 5 (2) 2026-04 6 (2) 2026-05 7 (2)" "$T/last"
expect_no_grep "Valeur" "$T/last"
expect_no_grep "seuil" "$T/last"

# The team moves to site s (vigie rename), whose route is service@: the
# alert follows it, and the address it is new to reads it under its path
# of today, with today's figures.
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" rename acme/n/v acme/s/v
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_eq "$(to service)" 1 "the new site's first digest"
expect_eq "$(to claire)" 1 "nothing more to claire"
last service >"$T/last"
expect_grep "== acme/s/v == * [vigilance] Conflits plus nombreux qu'attendu" "$T/last"
expect_grep "Observé${NNB}: 7 (conflits du mois), attendu${NNB}: 2" "$T/last"
expect_grep "vigie ack signals@acme/s/v" "$T/last"
expect_no_grep "acme/n/v" "$T/last"
notify_stop "$SMTPD_PID"
exit 0
