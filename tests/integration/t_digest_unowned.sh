#!/usr/bin/env bash
# An alert that no one takes in charge is not mentioned once and never
# again (vigied(8)): a digest Vigie sends anyway ends with the alerts
# open for more than 2 periods that no one has taken in charge, that its
# address would be sent (the routing of their rule), each with its unit,
# title, since when and its console link (web.url), then how to take an
# alert off the list, in the text and the HTML part; never in an email of
# its own. Not listed: an alert the digest shows, one taken in charge
# (vigie ack), one silenced, one routed to another address, one active
# for 2 periods or less, one the address was first sent 2 periods ago or
# less (a colleague taking over a site). The list comes once
# per data period and address: a correction's digest of the same period
# does not repeat it.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1
source "$VIGIE_SRC/tests/integration/notify_lib.sh"
$PY -c 'import aiosmtpd' 2>/dev/null || { echo "python3-aiosmtpd missing"; exit 77; }

NNB=$'\xe2\x80\xaf'	# U+202F, before a colon
sp=$(free_port)
mkdir -p "$T/mail"
notify_smtpd "$T/mail" "$sp"
make_config "$(smtp_plain "$sp")
web:
  url: https://vigie.example.org
recipients:
  hr:
    - scope: \"acme/lyon/**\"
      email: [lyon@example.org]
    - email: [drh@example.org]"
web_conflicts_rule	# warning 2, clear 1, HR

# month P a=N ... : the conflicts of the named teams of acme/s (or
# acme/lyon: c, d) at period P, every other team 0.
month() {
	local p=$1 u; shift
	printf 'unit,period,headcount,conflicts\n' >"$T/$p.csv"
	for u in a b w x y z c d; do
		local site=s n=0 kv
		case $u in c|d) site=lyon ;; esac
		for kv in "$@"; do [ "${kv%%=*}" = "$u" ] && n=${kv#*=}; done
		printf 'acme/%s/%s,%s,20,%s\n' "$site" "$u" "$p" "$n" >>"$T/$p.csv"
	done
	expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/$p.csv"
	expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
}
# mail_to ADDR: the latest email to ADDR, its text part then its HTML
# part, each on one line (spaces and no-break spaces as one space).
mail_to() {
	$PY - "$T/mail" "$1" <<'PY'
import email, email.policy, glob, re, sys
last = None
for p in sorted(glob.glob(sys.argv[1] + "/*.eml")):
    m = email.message_from_binary_file(open(p, "rb"), policy=email.policy.default)
    if m["To"] == sys.argv[2]:
        last = m
if last is None:
    sys.exit("no email to " + sys.argv[2])
ws = lambda s: re.sub(r"[ \t\r\n\u00a0]+", " ", s)
print(ws(last.get_body(preferencelist=("plain",)).get_content()))
print(ws(last.get_body(preferencelist=("html",)).get_content()))
PY
}
# closing: the closing list of $T/m, text and HTML, into $T/c.
closing() { grep -o "sans prise en charge depuis plus.*" "$T/m" | sed 's/ -- .*//; s/<\/ul>.*//' >"$T/c"; }
U=https://vigie.example.org/alerts/conflicts-high@acme

month 2026-01
month 2026-02 a=3 x=3 c=3
expect_eq "$(notify_count "$T/mail")" 2 "February: a and x to drh, c to lyon"
month 2026-03 a=3 x=3 c=3 y=3
expect_eq "$(notify_count "$T/mail")" 3 "March: y to drh"
mail_to drh@example.org >"$T/m"
expect_no_grep "sans prise en charge" "$T/m"
month 2026-04 a=3 x=3 c=3 y=3 w=3
expect_eq "$(notify_count "$T/mail")" 4 "April: w to drh"
# a and x: active from February to April, 2 periods: not yet
mail_to drh@example.org >"$T/m"
expect_no_grep "sans prise en charge" "$T/m"
expect_no_grep "acme/s/a" "$T/m"

# May: b fires and x gets worse (drh), d fires (lyon); a and x are active
# since February.
month 2026-05 a=3 x=6 c=3 y=3 w=3 b=3 d=3
expect_eq "$(notify_count "$T/mail")" 6 "May: b and x to drh, d to lyon, nothing else"
mail_to drh@example.org >"$T/m"
# the text part
expect_grep "1 alerte ouverte sans prise en charge depuis plus de 2 mois${NNB}: - acme/s/a [vigilance]${NNB}: Conflits répétés, depuis février 2026 $U/s/a Pour retirer une alerte de cette liste, prenez-la en charge dans la console. -- " "$T/m"
# the HTML part
expect_grep "<h2 style=\"font-size:16px;margin-top:20px\">1 alerte ouverte sans prise en charge depuis plus de 2 mois</h2>" "$T/m"
expect_grep "acme/s/a [vigilance]${NNB}: <a href=\"$U/s/a\">Conflits répétés, depuis février 2026</a></li>" "$T/m"
expect_grep "</ul> <p style=\"margin:4px 0;font-size:14px\">Pour retirer une alerte de cette liste, prenez-la en charge dans la console.</p></div>" "$T/m"
# not x nor b, whose blocks the digest shows, nor y and w (2 periods, 1
# period), nor c, whose notifications go to lyon@
expect_grep "Aggravation (vigilance → critique) en mai 2026, en alerte depuis février 2026" "$T/m"
closing
expect_eq "$(grep -o "<li>" "$T/c" | wc -l)" 1 "lines of the HTML list"
expect_eq "$(wc -l <"$T/c")" 2 "a text and an HTML list"
expect_no_grep "acme/s/b" "$T/c"
expect_no_grep "acme/s/x" "$T/c"
expect_no_grep "acme/s/y" "$T/c"
expect_no_grep "acme/s/w" "$T/c"
expect_no_grep "acme/lyon" "$T/m"
mail_to lyon@example.org >"$T/m"
expect_grep "1 alerte ouverte sans prise en charge depuis plus de 2 mois${NNB}: - acme/lyon/c [vigilance]${NNB}: Conflits répétés, depuis février 2026 $U/lyon/c Pour retirer une alerte de cette liste, prenez-la en charge dans la console. --" "$T/m"
expect_no_grep "acme/s/" "$T/m"
# A correction of May minutes later (d resolves): its digest to lyon does
# not repeat the list May's had (once per data period and address).
month 2026-05 a=3 x=6 c=3 y=3 w=3 b=3
expect_eq "$(notify_count "$T/mail")" 7 "the correction: d to lyon"
mail_to lyon@example.org >"$T/m"
expect_grep "acme/lyon/d == * Conflits répétés Résolue en mai 2026" "$T/m"
expect_no_grep "sans prise en charge" "$T/m"
expect_no_grep "acme/lyon/c" "$T/m"

# a is taken in charge and x silenced: June's digest (z) lists neither,
# but y, active since March.
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" ack conflicts-high@acme/s/a --by "M. Martin"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" silence --rule conflicts-high --unit acme/s/x \
	--until 2026-12 --reason "réorganisation"
month 2026-06 a=3 x=6 c=3 y=3 w=3 b=3 d=3 z=3
expect_eq "$(notify_count "$T/mail")" 9 "June: z to drh, d again to lyon"
# a new period: lyon's list again
mail_to lyon@example.org >"$T/m"
expect_grep "1 alerte ouverte sans prise en charge depuis plus de 2 mois${NNB}: - acme/lyon/c [vigilance]${NNB}: Conflits répétés, depuis février 2026 $U/lyon/c Pour retirer une alerte de cette liste, prenez-la en charge dans la console. --" "$T/m"
mail_to drh@example.org >"$T/m"
expect_grep "1 alerte ouverte sans prise en charge depuis plus de 2 mois${NNB}: - acme/s/y [vigilance]${NNB}: Conflits répétés, depuis mars 2026 $U/s/y Pour retirer une alerte de cette liste, prenez-la en charge dans la console. -- " "$T/m"
expect_no_grep "acme/s/a" "$T/m"
expect_no_grep "acme/s/x" "$T/m"

# lyon2@ takes over Lyon in July: its first digest brings c and d as
# already active; c, open since February, waits on lyon2 from July only,
# and is on its list in October, not in August nor September.
sed -i 's/lyon@example.org/lyon2@example.org/' "$T/vigie.yaml"
month 2026-07 a=3 x=6 c=3 y=3 w=3 b=3 d=3 z=3
mail_to lyon2@example.org >"$T/m"
expect_grep "Dans cet envoi" "$T/m"
for m in "2026-08 d=0" "2026-09 d=3"; do
	month ${m% *} a=3 x=6 c=3 y=3 w=3 b=3 z=3 ${m#* }
	mail_to lyon2@example.org >"$T/m"
	expect_grep "acme/lyon/d" "$T/m"
	expect_no_grep "sans prise en charge" "$T/m"
	# d's resolution in August: its chart's threshold is the one it went
	# back under, of no severity
	[ "${m% *}" = 2026-08 ] && expect_grep "axe${NNB}: valeur de la règle${NNB}; seuil${NNB}: 1</td>" "$T/m"
done
month 2026-10 a=3 x=6 c=3 y=3 w=3 b=3 z=3
mail_to lyon2@example.org >"$T/m"
expect_grep "1 alerte ouverte sans prise en charge depuis plus de 2 mois${NNB}: - acme/lyon/c [vigilance]${NNB}: Conflits répétés, depuis février 2026" "$T/m"
notify_stop "$SMTPD_PID"
exit 0
