#!/usr/bin/env bash
# The console's « Aide » page (vigie-web(8)): the words of the console and
# of the emails explained for users who never read the README, linked from
# every page's navigation; the anonymity floor it states is this
# deployment's min_headcount; it needs a login like every page, shows no
# figure of a unit, and English under locale: en. It explains the warning
# that opens every page before the daemon's first cycle (fresh.c), here in
# both languages.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1
command -v curl >/dev/null || { echo "curl missing"; exit 77; }
NNB=$'\xe2\x80\xaf'	# U+202F, before a colon, inside « »

PORT=$(free_port)
web_hr_config "min_headcount: 7"
web_conflicts_rule
printf 'unit,period,headcount,conflicts\nacme/s/t,2026-01,12,3\nacme/s/u,2026-01,31,0\n' >"$T/a.csv"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/a.csv"
web_user rh hr
web_start
J=$T/jar
expect_eq "$(req "$J" GET /help)" 303 "the help page before logging in"
expect_eq "$(login "$J" rh)" 303 "rh logs in"
expect_eq "$(req "$J" GET /)" 200 "rh's alerts"
expect_grep '<li><a href="/help">Aide</a></li>' "$T/b"
expect_eq "$(req "$J" GET /help)" 200 "the help page"
expect_grep '<title>Aide — Vigie</title>' "$T/b"
expect_grep '<li><a href="/help" aria-current="page">Aide</a></li>' "$T/b"
expect_grep "Une valeur est «${NNB}masquée${NNB}» quand l'équipe compte moins de 7 personnes (le seuil d'anonymat)" "$T/b"
expect_grep '<dt>alerte maintenue</dt>' "$T/b"
expect_grep '<dt>alertes pas à jour</dt>' "$T/b"
expect_grep "<p class=\"message warn\">Vigie n&#39;a encore évalué aucune alerte${NNB}: " "$T/b"
expect_grep "Le suivi appartient au rôle qui a pris l'alerte en charge" "$T/b"
expect_grep "Une issue choisie par erreur se corrige sous le suivi de l'alerte («${NNB}Corriger l'issue${NNB}»)" "$T/b"
# Reminders as they are: only a rule with repeat_every sends any, and none
# of this deployment's does; no promise of one that will not come.
expect_grep "<dd>Personne n'a encore pris l'alerte en charge. Ouverte depuis plus de deux périodes, elle est rappelée à la fin du premier courriel de Vigie que vous recevez pour chaque période de données («${NNB}alertes ouvertes sans prise en charge${NNB}»)${NNB}; sa règle peut aussi prévoir des rappels à intervalle fixe (son réglage «${NNB}repeat_every${NNB}»). Ici, aucune règle de votre rôle n'en prévoit.</dd>" "$T/b"
expect_no_grep "des rappels peuvent suivre" "$T/b"
expect_no_grep "arrête les rappels." "$T/b"
# Words only: no unit of the company, no figure.
expect_no_grep 'acme' "$T/b"
expect_eq "$(req "$J" POST /help --data "csrf=$(csrf "$J" /help)")" 404 "a POST to the help page"
web_stop

# In English under locale: en; and a rule of HR's that sends reminders.
sed -i 's/^min_headcount: 7$/min_headcount: 7\nlocale: en/' "$T/vigie.yaml"
printf '    repeat_every: 2\n' >>"$T/rules.d/r.yaml"
web_start
expect_eq "$(req "$J" GET /help)" 200 "the help page in English"
expect_grep '<li><a href="/help" aria-current="page">Help</a></li>' "$T/b"
expect_grep "when the team has fewer than 7 people (the anonymity floor)" "$T/b"
expect_grep '<dt>still active</dt>' "$T/b"
expect_grep '<dt>alerts not up to date</dt>' "$T/b"
# It names the English labels of the console, in English quotes, never
# the French ones (« masquée », « Suivi », « Corriger l'issue »).
expect_grep 'A value is “hidden” when the team has fewer than 7 people' "$T/b"
expect_grep 'close the alert with its outcome: “action taken”, “false alarm” or “no action needed”.' "$T/b"
expect_grep "under the alert's follow-up (“Correct the outcome”)" "$T/b"
expect_grep "<dd>Nobody has acknowledged the alert yet. Once open for more than two periods, it is listed at the end of the first Vigie email you receive for each period of data (“alerts open … that no one has acknowledged”); its rule may also set reminders at a fixed interval (its “repeat_every” setting). Some of your role's rules set them.</dd>" "$T/b"
expect_grep "(“Follow it again”): it is reopened, the history keeps its closing." "$T/b"
expect_grep "the gap to the expected: the more unusual the gap, the more serious the alert." "$T/b"
expect_no_grep '«' "$T/b"
expect_grep '<p class="message warn">Vigie has not evaluated any alert yet: they will show here after the first cycle of the vigied service. If this lasts, tell your operations team.</p>' "$T/b"
# A note's field says its limit in English too.
expect_eq "$(req "$J" GET /units/acme/s/u)" 200 "a unit's page in English"
expect_grep '<label for="body">New note (8000 characters at most)</label>' "$T/b"
web_stop
