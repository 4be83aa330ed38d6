#!/usr/bin/env bash
# An address that a route gives alerts already active gets them once
# (vigied(8), « signalée pour la première fois à cette adresse »), as a
# colleague taking over a site would, with the real daemon and a real
# SMTP server:
# - the route of site acme/n goes from marie to claire, and a reload
#   (SIGHUP): claire's next digest has every active alert of the site once,
#   the one that changed in that cycle as its change only; it does not open
#   with « Depuis le dernier envoi », which she never had; marie gets
#   nothing more, nor does the other site's address;
# - the cycle after, and a restart, send claire nothing again;
# - an alert a silence holds stays held, and goes to claire once the
#   silence is over;
# - the catch-up queued before a SIGKILL that stopped its delivery is
#   delivered once after the restart, and never again, an alert whose
#   latest event is of an older period with today's summary and last
#   periods; one readdressed
#   before it could go (the route changed again) stays a catch-up.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1
source "$VIGIE_SRC/tests/integration/notify_lib.sh"

NNB=$'\xe2\x80\xaf'
notify_site_routes
web_conflicts_rule "social-worker"

# month P T V W X: the conflicts of acme/n/t, /v, /w and acme/e/x at P.
month() {
	printf 'unit,period,headcount,conflicts\nacme/n/t,%s,20,%s\nacme/n/v,%s,20,%s\nacme/n/w,%s,20,%s\nacme/e/x,%s,20,%s\n' \
		"$1" "$2" "$1" "$3" "$1" "$4" "$1" "$5" >"$T/$1.csv"
	expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/$1.csv"
}
# to ADDR: how many emails ADDR received.
to() { grep -l "^To: $1" "$T"/mail/*.eml 2>/dev/null | wc -l; }
# last ADDR: ADDR's latest email, its subject then its text part on one
# line (no-break spaces as spaces, narrow ones kept: $NNB).
last() { mail_show "$(grep -l "^To: $1" "$T"/mail/*.eml | sort | tail -n 1)" flat; }
route_to() { sed -i "s/email: \[$1@example.org\]/email: [$2@example.org]/" "$T/vigie.yaml"; }

month 2026-01 0 0 0 0
month 2026-02 0 0 0 0
month 2026-03 3 6 3 3
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_eq "$(to marie)" 1 "marie's March digest"
expect_eq "$(to service)" 1 "the other site's March digest"
# marie's first digest: no last one to speak of
last marie >"$T/last"
expect_grep "Dans cet envoi${NNB}:" "$T/last"
# acme/n/w silenced through April, after marie was told.
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" silence --rule conflicts-high --unit acme/n/w \
	--until 2026-04 --reason "réorganisation"

# The daemon runs; April comes in and the route goes to claire, reloaded.
# (its first cycle looks again: a silence began)
key=$(db "SELECT value FROM meta WHERE key = 'catchup'")
"$VIGIED" -c "$T/vigie.yaml" 2>"$T/vigied.err" &
D=$!
PIDS+=("$D")
first_cycle() { [ "$(db "SELECT value FROM meta WHERE key = 'catchup'")" != "$key" ]; }
wait_for first_cycle || { cat "$T/vigied.err"; fail "no first cycle"; }
month 2026-04 6 6 3 3
route_to marie claire
kill -HUP "$D"
claire_has_one() { [ "$(to claire)" -ge 1 ]; }
wait_for claire_has_one || { cat "$T/vigied.err"; fail "claire got nothing"; }
sleep 1
expect_eq "$(to claire)" 1 "claire's first digest"
expect_eq "$(to marie)" 1 "marie gets nothing more"
expect_eq "$(to service)" 1 "the other site's address gets nothing more"
last claire >"$T/last"
expect_grep "Dans cet envoi${NNB}:" "$T/last"
expect_no_grep "Depuis le dernier envoi" "$T/last"
expect_grep "acme/n/t [critique]${NNB}: 1 aggravation" "$T/last"
expect_grep "acme/n/v [critique]${NNB}: 1 alerte déjà en cours, signalée pour la première fois" "$T/last"
# t changed in this cycle: its change, once
expect_grep "Aggravation (vigilance → critique) en avril 2026, en alerte depuis mars 2026" "$T/last"
expect_eq "$(grep -o "vigie ack conflicts-high@acme/n/t " "$T/last" | wc -l)" 1 "t once"
# v was already active: as it stands, first sent to this address
expect_grep "En alerte depuis mars 2026, déjà en cours, signalée pour la première fois à cette adresse (dernière période${NNB}: avril 2026)" "$T/last"
expect_eq "$(grep -o "vigie ack conflicts-high@acme/n/v " "$T/last" | wc -l)" 1 "v once"
# w is silenced: held; x is the other site's
expect_no_grep "acme/n/w" "$T/last"
expect_no_grep "acme/e/x" "$T/last"
expect_grep "already active sent for the first time to an address or webhook that a route now gives it" "$T/vigied.err"

# The cycle after (a reload with nothing changed), and a restart: nothing.
kill -HUP "$D"
reloaded_twice() { [ "$(grep -c "reloaded" "$T/vigied.err")" -ge 2 ]; }
wait_for reloaded_twice || { cat "$T/vigied.err"; fail "no second reload"; }
kill "$D"
wait "$D"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_eq "$(to claire)" 1 "claire gets nothing again"
expect_eq "$(to marie)" 1 "nor marie"
# Her address written with a capital: the same mailbox, told already.
route_to claire Claire
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_eq "$(grep -il "^To: claire" "$T"/mail/*.eml | wc -l)" 1 "an address written otherwise gets nothing again"
route_to Claire claire

# May: the silence is over; w, still active, goes to claire once.
month 2026-05 6 6 3 3
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_eq "$(to claire)" 2 "claire hears of w when its silence ends"
last claire >"$T/last"
expect_grep "Conflits répétés — acme/n/w" "$T/last"
expect_grep "En alerte depuis mars 2026, déjà en cours, signalée pour la première fois à cette adresse (dernière période${NNB}: mai 2026)" "$T/last"
expect_no_grep "acme/n/t" "$T/last"
expect_no_grep "acme/n/v" "$T/last"
expect_eq "$(to marie)" 1 "marie is not told of w again"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_eq "$(to claire)" 2 "nor claire twice"

# The route goes to lea while the mail server is down; the daemon is
# killed before it could deliver; after a restart lea gets it once.
notify_stop "$SMTPD_PID"
route_to claire lea
"$VIGIED" -c "$T/vigie.yaml" 2>"$T/vigied2.err" &
D=$!
PIDS+=("$D")
queued() { [ "$(db "SELECT count(*) FROM message WHERE target = 'lea@example.org'")" -ge 1 ] &&
	grep -q "lea@example.org" "$T/vigied2.err"; }
wait_for queued || { cat "$T/vigied2.err"; fail "nothing queued for lea"; }
kill -KILL "$D"
wait "$D" 2>/dev/null
notify_smtpd "$T/mail" "$sport"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_eq "$(to lea)" 1 "lea's digest after the kill"
last lea >"$T/last"
expect_grep "Dans cet envoi${NNB}:" "$T/last"
expect_eq "$(grep -o "signalée pour la première fois à cette adresse" "$T/last" | wc -l)" 3 \
	"t, v and w, first sent to lea"
# v's latest event is of March: as it stands in May, its summary and last
# periods read from today's data, not the bare value
expect_grep "Valeur${NNB}: 6 (seuil critique${NNB}: 5) Résumé${NNB}: Conflits répétés${NNB}: 6 (seuil 5) — acme/n/v, 2026-05 Dernières périodes${NNB}: ·······▁▁███" "$T/last"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_eq "$(to lea)" 1 "lea's digest, once"
expect_eq "$(to claire)" 2 "claire, nothing more"

# Queued for zoe while the server is down, then the route goes to yann
# before it could go: yann gets it as zoe would have, once, and zoe
# nothing.
notify_stop "$SMTPD_PID"
route_to lea zoe
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_eq "$(db "SELECT count(*) FROM message WHERE target = 'zoe@example.org' AND status = 'pending'")" 1 \
	"zoe's digest waits"
notify_smtpd "$T/mail" "$sport"
route_to zoe yann
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_eq "$(to yann)" 1 "yann's digest"
expect_eq "$(to zoe)" 0 "zoe's, set aside"
last yann >"$T/last"
expect_eq "$(grep -o "signalée pour la première fois à cette adresse" "$T/last" | wc -l)" 3 \
	"t, v and w, first sent to yann"
expect_no_grep "Aggravation" "$T/last"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_eq "$(to yann)" 1 "yann's digest, once"
notify_stop "$SMTPD_PID"
exit 0
