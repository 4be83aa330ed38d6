#!/usr/bin/env bash
# What a digest says of an alert is relative to what its readers were
# told before (vigied(8)), over months of a real year:
# - an alert closed « fausse alerte » that gets worse says it was closed;
# - an alert notified in vigilance, critical during a silence and back in
#   vigilance when the silence ends, says it is back to what they were
#   told, and that it was critical meanwhile: never « critique →
#   vigilance » from a severity they never heard of;
# - an alert announced resolved that a correction of a past month makes
#   active again says so, never « signalée pour la première fois », and
#   the console's history says it with the same date;
# - a resolution carries no guidance meant for a live alert;
# - a digest of resolutions only says so in its subject, not under a
#   severity, and neither does a lone improvement.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1
source "$VIGIE_SRC/tests/integration/notify_lib.sh"
command -v curl >/dev/null || { echo "curl missing"; exit 77; }

PORT=$(free_port)
NNB=$'\xe2\x80\xaf'	# U+202F, inside « » and before a colon
web_hr_config
web_conflicts_rule	# warning 2, critical 5, clear 1, HR
printf '    guidance: "Rencontrer la responsable."\n' >>"$T/rules.d/r.yaml"
web_mail

# month P T V W: the conflicts of acme/s/t, /v and /w at period P.
month() {
	printf 'unit,period,headcount,conflicts\nacme/s/t,%s,20,%s\nacme/s/v,%s,20,%s\nacme/s/w,%s,20,%s\n' \
		"$1" "$2" "$1" "$3" "$1" "$4" >"$T/$1.csv"
	expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/$1.csv"
	expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
}
# last: the latest email, its subject, then its text part on one line
# (no-break spaces as spaces, narrow ones kept: $NNB).
last() { mail_show "$(ls "$T"/mail/*.eml | sort | tail -n 1)" flat; }
has() { last >"$T/last"; expect_grep "$1" "$T/last"; }
hasnt() { last >"$T/last"; expect_no_grep "$1" "$T/last"; }

month 2026-01 0 0 0
month 2026-02 0 0 0
month 2026-03 3 3 3
expect_eq "$(notify_count "$T/mail")" 1 "March's digest"
has "Nouvelle alerte en mars 2026"

# acme/s/t closed « fausse alerte »; acme/s/v silenced through April.
web_user rh hr
web_start
J=$T/jar
A=/alerts/conflicts-high@acme/s/t
expect_eq "$(login "$J" rh)" 303 "rh logs in"
tok=$(csrf "$J" "$A")
expect_eq "$(req "$J" POST "$A" --data "action=close&csrf=$tok&outcome=false_alarm")" 303 "closed"
web_stop
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" silence --rule conflicts-high --unit acme/s/v \
	--until 2026-04 --reason "réorganisation"

# April: t worse, v critical under the silence, w resolved.
month 2026-04 6 6 0
expect_eq "$(notify_count "$T/mail")" 2 "April's digest"
has "Aggravation (vigilance → critique) en avril 2026, en alerte depuis mars 2026, après sa clôture «${NNB}fausse alerte${NNB}»"
has "Résolue en avril 2026 (en alerte depuis mars 2026)"
# one guidance: the worse alert's (closed, its block whole all the same),
# none for the resolution
expect_eq "$(grep -o "Rencontrer la responsable" "$T/last" | wc -l)" 1 "guidance paragraphs"
hasnt "acme/s/v"
# The console's list says it too, beside the closing: "clôturée" alone
# would read as done.
web_start
expect_eq "$(req "$J" GET /)" 200 "the list after April"
expect_grep "clôturée</span> (fausse alerte) par rh le " "$T/b"
expect_grep ", <strong>aggravée depuis</strong> en <time datetime=\"2026-04\">" "$T/b"
expect_eq "$(grep -c "aggravée depuis" "$T/b")" 1 "only the alert closed, then worse"
web_stop

# April corrected: w had 3 conflicts, not 0.
printf 'unit,period,headcount,conflicts\nacme/s/w,2026-04,20,3\n' >"$T/fix.csv"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/fix.csv"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_eq "$(notify_count "$T/mail")" 3 "the correction's digest"
has "De nouveau en alerte depuis mars 2026 (dernière période${NNB}: avril 2026)${NNB}: annoncée résolue en avril 2026, elle ne l'est plus après une correction de données passées"
hasnt "première fois"
# the console's history says so, with the same date as the email
web_start
expect_eq "$(login "$J" rh)" 303 "rh logs in again"
expect_eq "$(req "$J" GET /alerts/conflicts-high@acme/s/w)" 200 "the alert's page"
expect_grep '<td data-label="Évènement">de nouveau en alerte depuis <time datetime="2026-03">mars' "$T/b"
expect_grep '<td data-label="Évènement">résolue</td>' "$T/b"
web_stop

# May: the silence is over, v is back in vigilance.
month 2026-05 6 3 3
expect_eq "$(notify_count "$T/mail")" 4 "May's digest"
has "[Vigie] amélioration${NNB}: Conflits répétés — acme/s/v"
has "Amélioration en mai 2026${NNB}: de nouveau en vigilance, après un passage en critique en avril 2026 pendant une suspension des notifications, en alerte depuis mars 2026"
hasnt "(critique → vigilance)"

# June: t better (closed before: not sent, t_digest_closed), v and w
# resolved: good news only.
month 2026-06 3 0 0
expect_eq "$(notify_count "$T/mail")" 5 "June's digest"
has "[Vigie] 2 alertes résolues — acme/s/v, acme/s/w"
hasnt "Amélioration"
notify_stop "$SMTPD_PID"
exit 0
