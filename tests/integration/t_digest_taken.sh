#!/usr/bin/env bash
# An alert someone took in charge says so in its block (vigied(8)), so that
# a colleague reading the same address, or another role the rule notifies
# (who reads it on the console too), knows it is followed: « Prise en
# charge par NAME le DATE », "Taken in charge by NAME on DATE"; a taking
# in charge from the console and one from `vigie ack --by` alike, never
# the note of the latter (its role's), and not once the alert is closed.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1
source "$VIGIE_SRC/tests/integration/notify_lib.sh"
command -v curl >/dev/null || { echo "curl missing"; exit 77; }

PORT=$(free_port)
NNB=$'\xe2\x80\xaf'	# U+202F, before a colon
NBSP=$'\xc2\xa0'	# in a date, between a month and its year
web_two_roles_config	# hr: drh@, social-worker: as@
sed -i "s|^  listen: 127.0.0.1:$PORT|&\n  url: https://vigie.example.org|" "$T/vigie.yaml"
web_conflicts_rule "hr, social-worker"	# warning 2, critical 5, clear 1
web_mail

# month P T V W: the conflicts of acme/s/t, /v and /w at period P.
month() {
	printf 'unit,period,headcount,conflicts\nacme/s/t,%s,20,%s\nacme/s/v,%s,20,%s\nacme/s/w,%s,20,%s\n' \
		"$1" "$2" "$1" "$3" "$1" "$4" >"$T/$1.csv"
	expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/$1.csv"
	expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
}
# to ADDRESS: the latest email to ADDRESS, its subject and text part on
# one line (no-break spaces as spaces, narrow ones kept).
to() { mail_show "$(grep -l "^To: $1" "$T"/mail/*.eml | sort | tail -n 1)" flat; }
# block ADDRESS UNIT: UNIT's block in it.
block() { to "$1" | sed -n "s|.*== $2 == \(.*\)|\1|p" | sed 's| == .*||'; }
# today LOCALE: the date of today as digests write it.
today() {
	local m=$(($(date +%-m) - 1)) fr en
	fr=(janvier février mars avril mai juin juillet août septembre octobre novembre décembre)
	en=(January February March April May June July August September October November December)
	if [ "$1" = fr ]; then echo "$(date +%-d) ${fr[$m]} $(date +%Y)"
	else echo "$(date +%-d) ${en[$m]} $(date +%Y)"; fi
}

month 2026-01 0 0 0
month 2026-02 3 3 3
expect_eq "$(notify_count "$T/mail")" 2 "February's digests, one per role"

# marie, a social worker, takes t in charge on the console and closes w;
# v is acknowledged from the shell, with a note.
web_user marie social-worker
web_start
J=$T/jar
expect_eq "$(login "$J" marie)" 303 "marie logs in"
A=/alerts/conflicts-high@acme/s/t
tok=$(csrf "$J" "$A")
expect_eq "$(req "$J" POST "$A" --data "action=take&csrf=$tok")" 303 "taken in charge"
A=/alerts/conflicts-high@acme/s/w
expect_eq "$(req "$J" POST "$A" --data "action=close&csrf=$tok&outcome=action_taken")" 303 "closed"
web_stop
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" ack conflicts-high@acme/s/v --by "M. Martin" \
	--note "RDV manager le 12/11"

# March: all three worse.
month 2026-03 6 6 6
expect_eq "$(notify_count "$T/mail")" 4 "March's digests"
for a in as@example.org drh@example.org; do
	block $a acme/s/t >"$T/t"
	expect_grep "Aggravation (vigilance → critique) en mars 2026, en alerte depuis février 2026 Prise en charge par marie le $(today fr) Valeur${NNB}: 6 " "$T/t"
	block $a acme/s/v >"$T/v"
	expect_grep " Prise en charge par M. Martin le $(today fr) " "$T/v"
	to $a >"$T/all"
	expect_no_grep "RDV" "$T/all"
	# closed: it says so, not who follows it
	block $a acme/s/w >"$T/w"
	expect_grep "après sa clôture «${NNB}action menée${NNB}»" "$T/w"
	expect_no_grep "Prise en charge" "$T/w"
done
mail_show "$(grep -l "^To: as@example.org" "$T"/mail/*.eml | sort | tail -n 1)" parts >"$T/parts"
expect_grep "mars${NBSP}2026, en alerte depuis février${NBSP}2026<br>Prise en charge par marie le $(date +%-d)${NBSP}" "$T/parts"
expect_no_grep "RDV" "$T/parts"

# April, in English: t and v better, still followed.
sed -i 's/^database:/locale: en\ndatabase:/' "$T/vigie.yaml"
month 2026-04 3 3 6
expect_eq "$(notify_count "$T/mail")" 6 "April's digests"
block drh@example.org acme/s/t >"$T/t"
expect_grep "Improved (critical → warning) in April 2026, active since February 2026 Taken in charge by marie on $(today en) " "$T/t"
block drh@example.org acme/s/v >"$T/v"
expect_grep " Taken in charge by M. Martin on $(today en) " "$T/v"
notify_stop "$SMTPD_PID"
exit 0
