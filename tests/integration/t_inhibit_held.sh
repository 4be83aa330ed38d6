#!/usr/bin/env bash
# What an inhibition held for an address that knew the alert before its
# cover began (vigie-rules(5), inhibited_by): when the cover ends, every
# address it held the alert for knows the alert as it stands. An
# escalation during the cover reaches the social worker, who had the
# warning, as the change it is now; a resolution during the cover reaches
# those told the alert was active, and nobody who never knew it (as a
# silence holds it, release.c). Once: a further cycle sends nothing.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1
source "$VIGIE_SRC/tests/integration/notify_lib.sh"

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
    above: { warning: 10, critical: 20 }
    scope: "acme/*"
    notify: [social-worker, hr]
    inhibited_by: [cover]
  # The social worker's only: held for all its recipients.
  - id: weak
    title: "Signaux faibles convergents"
    value: grievances
    above: { warning: 3, critical: 6 }
    scope: "acme/*"
    notify: [social-worker]
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
# acme/e: drift and weak fire in January (told), cover fires in February,
# both escalate in March (held), cover resolves in April. acme/r: the
# same, but both resolve in March. acme/n: cover, drift and weak fire
# together in February (drift told to HR only), drift and weak resolve
# in March: the social worker never knew them.
month() {
	printf 'unit,period,headcount,conflicts,grievances,overtime_hours\n'
	printf 'acme/e,%s,20,%s\nacme/n,%s,20,%s\nacme/r,%s,20,%s\n' "$1" "$2" "$1" "$3" "$1" "$4"
}
month 2026-01 0,4,12 0,0,2 0,4,12 >"$T/p1.csv"
month 2026-02 3,4,12 3,4,12 3,4,12 >"$T/p2.csv"
month 2026-03 3,7,25 3,0,2 3,0,2 >"$T/p3.csv"
month 2026-04 0,7,25 0,0,2 0,0,2 >"$T/p4.csv"
# mails ADDRESS: the emails to ADDRESS, in order.
mails() { grep -l "^To: $1" "$T"/mail/*.eml 2>/dev/null | sort; }
cycle() {
	expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/$1.csv"
	expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
	cp "$T/err" "$T/$1.err"
	for m in $(mails sw@example.org); do mail_show "$m" flat; done >"$T/$1.sw"
	for m in $(mails drh@example.org); do mail_show "$m" flat; done >"$T/$1.hr"
}
N=$'\u202f'	# the narrow no-break space of French typography
cycle p1
cycle p2
expect_eq "$(mails sw@example.org | wc -l)" 2 "emails to the social worker in February"
# March: every change of drift and weak is held for the social worker;
# HR, which cover does not reach, has drift's as usual.
cycle p3
expect_grep "drift@acme/e escalated critical at 2026-03 (held for the recipients of the alert of cover)" "$T/p3.err"
expect_grep "weak@acme/r resolved at 2026-03 (held by the alert of cover)" "$T/p3.err"
expect_eq "$(mails sw@example.org | wc -l)" 2 "emails to the social worker in March"
expect_eq "$(mails drh@example.org | wc -l)" 3 "emails to HR in March"
mail_show "$(mails drh@example.org | tail -1)" flat >"$T/hr3"
expect_grep "Aggravation (vigilance → critique) en mars 2026" "$T/hr3"
expect_eq "$(grep -o "Résolue en mars 2026" "$T/hr3" | wc -l)" 2 "drift's resolutions to HR (acme/n, acme/r)"
# vigie alerts says which alerts a cover holds: in the SILENCED column
# (no space: the columns after keep their places), and in the JSON.
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" alerts
expect_eq "$(awk '$1 == "drift@acme/e" || $1 == "weak@acme/e" || $1 == "cover@acme/e" {
	print $1, $9, $10}' "$T/out" | tr '\n' ';')" \
	"cover@acme/e no -;drift@acme/e covered:cover -;weak@acme/e covered:cover -;" "vigie alerts"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" alerts --all --format json
$PY - "$T/out" <<'PY' || fail "alerts JSON: $(cat "$T/out")"
import json, sys
a = {x["id"]: x for x in json.load(open(sys.argv[1]))}
assert all(list(x)[-2:] == ["silenced", "inhibited_by"] for x in a.values()), a
assert a["drift@acme/e"]["inhibited_by"] == ["cover"], a["drift@acme/e"]
assert a["weak@acme/e"]["inhibited_by"] == ["cover"], a["weak@acme/e"]
assert a["drift@acme/e"]["silenced"] is False, a["drift@acme/e"]
assert a["cover@acme/e"]["inhibited_by"] == [], a["cover@acme/e"]
assert a["drift@acme/r"]["inhibited_by"] == ["cover"], a["drift@acme/r"]
PY
# April: cover ends. The social worker learns what changed meanwhile.
cycle p4
expect_grep "drift@acme/e escalated at 2026-03: no active alert of the rules it is inhibited by holds it any more, notified now to the recipients it held it for" "$T/p4.err"
expect_grep "weak@acme/r resolved at 2026-03: no active alert of the rules it is inhibited by holds it any more, notified now to the recipients it held it for that were told it was active" "$T/p4.err"
expect_eq "$(mails sw@example.org | wc -l)" 3 "emails to the social worker in April"
mail_show "$(mails sw@example.org | tail -1)" flat >"$T/sw4"
# blocks FILE UNIT: the blocks of UNIT in the flat email FILE, one a line.
blocks() {
	$PY - "$1" "$2" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
for part in re.split(r" (?=== [^ ]+ == )", text):
    if part.startswith("== %s == " % sys.argv[2]):
        for b in re.split(r" (?=\* )", part)[1:]:
            print(b)
PY
}
blocks "$T/sw4" acme/e >"$T/sw4.e"
blocks "$T/sw4" acme/r >"$T/sw4.r"
blocks "$T/sw4" acme/n >"$T/sw4.n"
# acme/e: drift (which HR had as it escalated) and weak, critical now.
expect_grep "* [critique] Heures supplémentaires en hausse durable En alerte depuis janvier 2026, déjà en cours, signalée seule maintenant que l'alerte «$N""Conflits répétés$N» de la même unité ne la couvre plus (dernière période$N: avril 2026) Valeur$N: 25 (seuil critique$N: 20)" "$T/sw4.e"
expect_grep "* [critique] Signaux faibles convergents En alerte depuis janvier 2026, déjà en cours" "$T/sw4.e"
# acme/r: the two resolutions, said held.
expect_grep "* Heures supplémentaires en hausse durable Résolue en mars 2026 (en alerte depuis janvier 2026), retenue jusqu'ici par l'alerte «$N""Conflits répétés$N» de la même unité" "$T/sw4.r"
expect_grep "* Signaux faibles convergents Résolue en mars 2026 (en alerte depuis janvier 2026), retenue jusqu'ici par l'alerte «$N""Conflits répétés$N» de la même unité" "$T/sw4.r"
# acme/n: only cover's resolution; drift and weak, never told to the
# social worker, end unsaid.
expect_eq "$(wc -l <"$T/sw4.n")" 1 "acme/n's blocks to the social worker: $(cat "$T/sw4.n")"
expect_grep "* Conflits répétés Résolue en avril 2026" "$T/sw4.n"
expect_no_grep "Heures supplémentaires" "$T/sw4.n"
# What changed: not « signalées pour la première fois », which the
# social worker, told of both in January, would read as news.
expect_grep "acme/e [critique]$N: 2 alertes couvertes jusqu'ici, signalées seules, 1 alerte résolue" "$T/sw4"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" alerts --format json
$PY - "$T/out" <<'PY' || fail "alerts JSON in April: $(cat "$T/out")"
import json, sys
a = {x["id"]: x for x in json.load(open(sys.argv[1]))}
assert sorted(a) == ["drift@acme/e", "weak@acme/e"], a
assert all(x["inhibited_by"] == [] for x in a.values()), a
PY
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" alerts
expect_eq "$(awk '$1 == "drift@acme/e" { print $9 }' "$T/out")" no "drift's SILENCED once uncovered"
# HR had every change already: nothing more.
expect_eq "$(mails drh@example.org | wc -l)" 3 "emails to HR in April"
# Once: a further cycle, and a restart, send nothing again.
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_no_grep "notified now" "$T/err"
expect_eq "$(mails sw@example.org | wc -l)" 3 "emails to the social worker after a further cycle"
expect_eq "$(mails drh@example.org | wc -l)" 3 "emails to HR after a further cycle"
expect_eq "$(db "SELECT count(*) FROM event WHERE inhibited_by IS NOT NULL AND released_at IS NULL
    AND id IN (SELECT max(id) FROM event GROUP BY alert)")" 1 \
	"held events left: weak@acme/n's resolution, which owes nobody"
notify_stop "$SMTPD_PID"
exit 0
