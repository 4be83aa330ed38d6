#!/usr/bin/env bash
# Inhibition (vigie-rules(5), inhibited_by): while an alert of a rule that
# a rule is inhibited by is active on the same unit, that rule's alert
# there still changes state and is recorded, but its notifications are
# held for whoever receives the inhibiting alert: in that alert's email it
# is one line of its block, « Aussi en alerte : TITRE [gravité] (observé
# …, attendu …) », never a block of its own; an address the inhibiting
# alert does not reach gets it as usual. When the inhibiting alert
# resolves while it is still active, it is notified then, once, as
# already active (« déjà en cours »), with its figures of now. vigie
# check refuses an unknown rule id and a cycle, at FILE:LINE:COL.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1
source "$VIGIE_SRC/tests/integration/notify_lib.sh"

# --- vigie check ---
mkdir -p "$T/bad"
cat >"$T/bad/r.yaml" <<'YAML'
rules:
  - id: drift
    title: Drift
    value: overtime_hours
    above: { warning: 10 }
    inhibited_by: [burnot]
  - id: a
    title: A
    value: conflicts
    above: { warning: 2 }
    inhibited_by: [b]
  - id: b
    title: B
    value: conflicts
    above: { warning: 2 }
    inhibited_by: [a]
YAML
expect_exit 1 "$VIGIE" check "$T/bad"
expect_grep "$T/bad/r.yaml:6:20: error: rule \"drift\" is inhibited by \"burnot\", which is no rule of the rule set" "$T/err"
expect_grep "$T/bad/r.yaml:16:20: error: a cycle of inhibitions: \"b\" is inhibited by \"a\", which is inhibited by \"b\"" "$T/err"

# --- the daemon and its emails ---
cat >"$T/rules.yaml" <<'YAML'
rules:
  - id: cover
    title: "Conflits répétés"
    value: conflicts
    above: { warning: 2 }
    scope: "acme/*"
    notify: [social-worker]
  # Also HR's, which cover does not reach: held for the social worker only.
  - id: drift
    title: "Heures supplémentaires en hausse durable"
    value: overtime_hours
    observed: overtime_hours
    expected: 4
    above: { warning: 10, critical: 20 }
    scope: "acme/*"
    notify: [social-worker, hr]
    inhibited_by: [cover]
  # The social worker's only: held for all its recipients.
  - id: weak
    title: "Signaux faibles convergents"
    value: grievances
    above: { warning: 3 }
    scope: "acme/*"
    notify: [social-worker]
    guidance: "Aucun indicateur n'est alarmant à lui seul."
    inhibited_by: [cover]
YAML
mkdir -p "$T/mail"
sport=$(free_port)
notify_smtpd "$T/mail" "$sport"
make_config "$(smtp_plain "$sport")
recipients:
  social-worker:
    - email: [sw@example.org]
  hr:
    - email: [drh@example.org]"
cp "$T/rules.yaml" "$T/rules.d/"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" check
# acme/a: cover, drift and weak fire together in February; drift escalates
# in March; cover resolves in April, drift and weak still active. acme/b:
# drift alone, as usual.
N=$'\u202f'	# the narrow no-break space of French typography
month() {
	printf 'unit,period,headcount,conflicts,grievances,overtime_hours\n'
	printf 'acme/a,%s,20,%s,%s,%s\nacme/b,%s,20,0,0,%s\n' "$1" "$2" "$3" "$4" "$1" "$5"
}
month 2026-01 0 0 2 2 >"$T/p1.csv"
month 2026-02 3 4 12 12 >"$T/p2.csv"
month 2026-03 3 4 25 12 >"$T/p3.csv"
month 2026-04 0 4 25 12 >"$T/p4.csv"
# mails ADDRESS: the emails to ADDRESS, in order.
mails() { grep -l "^To: $1" "$T"/mail/*.eml 2>/dev/null | sort; }
text_of() { mail_show "$1" flat; }

expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/p1.csv"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/p2.csv"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_grep "drift@acme/a firing warning at 2026-02 (held for the recipients of the alert of cover)" "$T/err"
expect_grep "weak@acme/a firing warning at 2026-02 (held by the alert of cover)" "$T/err"
expect_eq "$(mails sw@example.org | wc -l)" 1 "emails to the social worker in February"
text_of "$(mails sw@example.org)" >"$T/sw2"
# One block for acme/a, cover's, with the two alerts it covers as lines.
expect_grep "Aussi en alerte$N: Heures supplémentaires en hausse durable [vigilance] (observé 12, attendu 4)" "$T/sw2"
expect_grep "Aussi en alerte$N: Signaux faibles convergents [vigilance] (valeur 4, seuil 3)" "$T/sw2"
expect_no_grep "Aucun indicateur n'est alarmant" "$T/sw2"
[ "$(grep -o "Heures supplémentaires en hausse durable" "$T/sw2" | wc -l)" = 3 ] ||
	fail "drift: the acme/a line, and acme/b's block (title and summary line): $(cat "$T/sw2")"
expect_grep "acme/b" "$T/sw2"
mail_show "$(mails sw@example.org)" parts >"$T/sw2.parts"
expect_grep "<th style=\"text-align:left;padding:2px 12px 2px 0;font-weight:normal;color:#555;vertical-align:top\">Aussi en alerte</th><td>Heures supplémentaires en hausse durable [vigilance] (observé 12, attendu 4)" "$T/sw2.parts"
# HR, whom cover does not reach, gets drift@acme/a as its own block.
expect_eq "$(mails drh@example.org | wc -l)" 1 "emails to HR in February"
text_of "$(mails drh@example.org)" >"$T/hr2"
expect_no_grep "Aussi en alerte" "$T/hr2"
expect_no_grep "Conflits" "$T/hr2"
[ "$(grep -o "acme/a" "$T/hr2" | wc -l)" -ge 1 ] || fail "HR's drift@acme/a: $(cat "$T/hr2")"
# Recorded all the same.
expect_eq "$(db "SELECT group_concat(rule || ' ' || silenced || ' ' || ifnull(inhibited_by, '-'), ', ')
    FROM (SELECT * FROM event WHERE unit = 'acme/a' ORDER BY id)")" \
	"cover 0 -, drift 0 cover, weak 1 cover" "acme/a's events"

expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" history weak@acme/a
expect_grep "held by the alert of cover: not notified" "$T/out"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" history drift@acme/a
expect_grep "held by the alert of cover for its recipients" "$T/out"

# March: drift escalates; held for the social worker, sent to HR.
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/p3.csv"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_eq "$(mails sw@example.org | wc -l)" 1 "emails to the social worker in March"
expect_eq "$(mails drh@example.org | wc -l)" 2 "emails to HR in March"

# The console says why the social worker had no email of it: « aussi
# couverte par » cover's alert, linked. Not to HR, which cover does not
# reach (a rule of the social service's).
PORT=$(free_port)
printf 'web:\n  listen: 127.0.0.1:%s\n' "$PORT" >>"$T/vigie.yaml"
web_user sw social-worker
web_user rh hr
web_start
expect_eq "$(login "$T/jar" sw)" 303 "sw logs in"
expect_eq "$(req "$T/jar" GET /)" 200 "the list of alerts"
expect_grep '<br><span class="thr">aussi couverte par <a href="/alerts/cover@acme/a">Conflits répétés</a></span>' "$T/b"
expect_eq "$(grep -o "aussi couverte par" "$T/b" | wc -l)" 2 "drift and weak on acme/a"
expect_eq "$(req "$T/jar" GET /alerts/drift@acme/a)" 200 "drift's page"
expect_grep "<dt>Aussi couverte par</dt><dd><a href=\"/alerts/cover@acme/a\">Conflits répétés</a>" "$T/b"
expect_eq "$(req "$T/jar" GET /alerts/drift@acme/b)" 200 "acme/b's"
expect_no_grep "couverte par" "$T/b"
expect_eq "$(login "$T/jar.rh" rh)" 303 "rh logs in"
expect_eq "$(req "$T/jar.rh" GET /)" 200 "HR's list"
expect_grep "drift@acme/a" "$T/b"
expect_no_grep "couverte par" "$T/b"
web_stop

# April: cover resolves; drift and weak are told now, as already active.
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/p4.csv"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_grep "weak@acme/a firing at 2026-02: no active alert of the rules it is inhibited by holds it any more, notified now" "$T/err"
expect_eq "$(mails sw@example.org | wc -l)" 2 "emails to the social worker in April"
text_of "$(mails sw@example.org | tail -1)" >"$T/sw4"
expect_grep "Résolue en avril 2026" "$T/sw4"
expect_grep "En alerte depuis février 2026, déjà en cours, signalée seule maintenant que l'alerte «$N""Conflits répétés$N» de la même unité ne la couvre plus (dernière période$N: avril 2026)" "$T/sw4"
[ "$(grep -o "signalée seule maintenant" "$T/sw4" | wc -l)" = 2 ] ||
	fail "drift and weak told as already active: $(cat "$T/sw4")"
# drift with its figures of now, critical.
expect_grep "[critique] Heures supplémentaires en hausse durable" "$T/sw4"
expect_grep "Observé$N: 25, attendu$N: 4" "$T/sw4"
expect_no_grep "Aussi en alerte" "$T/sw4"
expect_eq "$(mails drh@example.org | wc -l)" 2 "emails to HR in April"
# Once.
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_eq "$(mails sw@example.org | wc -l)" 2 "emails to the social worker after a further cycle"
notify_stop "$SMTPD_PID"
exit 0
