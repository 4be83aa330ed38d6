#!/usr/bin/env bash
# A resolved alert is closed with its outcome in the console (vigie-web(8)):
# the mediation worked and the alert resolved before anyone wrote down what
# was done, or it resolved by itself and was a false alarm. Its page offers
# the closing form, not « Prendre en charge » (409 Conflict if posted); the
# outcome is recorded and counted in the works council's report.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1
command -v curl >/dev/null || { echo "curl missing"; exit 77; }

PORT=$(free_port)
NNB=$'\xe2\x80\xaf'	# U+202F, before a colon
web_hr_config
web_conflicts_rule	# warning 2, critical 5, clear 1, HR
{
	echo "unit,period,headcount,conflicts"
	for m in 2026-01 2026-02 2026-03; do
		echo "acme/s/u,$m,30,1"
		echo "acme/s/t,$m,14,$([ $m = 2026-03 ] && echo 6 || echo 1)"
	done
} >"$T/a.csv"
printf 'unit,period,headcount,conflicts\nacme/s/u,2026-04,30,1\nacme/s/t,2026-04,14,0\n' >"$T/b.csv"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/a.csv"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/b.csv"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_eq "$(db "SELECT active || ' ' || ifnull(closed_by, '-') FROM alert WHERE unit = 'acme/s/t'")" \
	"0 -" "the alert resolved, nobody closed it"

web_user rh hr
web_start
J=$T/jar
A=/alerts/conflicts-high@acme/s/t
expect_eq "$(login "$J" rh)" 303 "rh logs in"
expect_eq "$(req "$J" GET "$A")" 200 "the resolved alert's page"
expect_grep 'name="action" value="close"' "$T/b"
expect_no_grep 'name="action" value="take"' "$T/b"
expect_grep "clôturez-la pour consigner son issue" "$T/b"
# its unit's page says the last alert waits for its outcome, and leads there
expect_eq "$(req "$J" GET /units/acme/s/t)" 200 "the unit's page"
expect_grep "Pas d'alerte active. La dernière alerte, résolue, n'a pas d'issue consignée${NNB}: <a href=\"/alerts/conflicts-high@acme/s/t#followup\">la clôturer</a>." "$T/b"
tok=$(csrf "$J" "$A")
expect_eq "$(req "$J" POST "$A" --data "action=take&csrf=$tok")" 409 "taken in charge once resolved"
expect_grep "<h1>Action impossible</h1>" "$T/b"
expect_grep "Cette alerte n&#39;est plus active." "$T/b"
# back to the alert's page, where the form was
expect_grep '<p><a href="/alerts/conflicts-high@acme/s/t">Revenir au formulaire</a></p>' "$T/b"
# a form refused before any route (its token does not match), at an
# address that would name another host: no way back to it
st=$(req "$J" POST "//evil.example/alerts" --data "action=take&csrf=nope")
expect_eq "$st" 403 "a forged form"
expect_no_grep 'evil.example' "$T/b"
expect_eq "$(req "$J" POST "$A" --data "action=close&csrf=$tok&outcome=action_taken")" 303 "closed"
expect_eq "$(db "SELECT closed_by || ' ' || outcome FROM alert WHERE unit = 'acme/s/t'")" \
	"rh action_taken" "the alert row's follow-up"
expect_eq "$(req "$J" GET "$A?done=close")" 200 "the page after closing"
expect_grep "Alerte clôturée." "$T/b"
expect_no_grep 'name="action" value="close"' "$T/b"
expect_eq "$(req "$J" GET /units/acme/s/t)" 200 "the unit's page after closing"
expect_grep "La dernière alerte${NNB}: <span class=\"fu fu-closed\">clôturée</span> (action menée) par rh le " "$T/b"
expect_no_grep "la clôturer" "$T/b"
web_stop

expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" report --from 2026-01 --to 2026-04 --format json -o "$T/r.json"
$PY - "$T/r.json" <<'PY' || fail "the report's follow-up"
import json, sys
r = json.load(open(sys.argv[1]))
co = [u for u in r["units"] if u["unit"] == "acme"][0]["followup"]
assert co["taken"] == 1 and co["closed"]["action_taken"] == 1, co
PY
# The report counts it in the words the console offered.
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" report --from 2026-01 --to 2026-04 -o "$T/r.html"
expect_grep '<th scope="row">&nbsp;&nbsp;action menée</th><td class="num">1</td>' "$T/r.html"

# The alert fires again in May: its digest recalls how the last episode
# was closed, the context to judge the new one by.
source "$VIGIE_SRC/tests/integration/notify_lib.sh"
web_mail
printf 'unit,period,headcount,conflicts\nacme/s/u,2026-05,30,1\nacme/s/t,2026-05,14,6\n' >"$T/c.csv"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/c.csv"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
# mails: each email received, on one line: its text part's words, a tab,
# its HTML part's.
mails() {
	$PY - "$T/mail" <<'PY'
import email, email.policy, glob, sys
for path in sorted(glob.glob(sys.argv[1] + "/*.eml")):
    m = email.message_from_binary_file(open(path, "rb"), policy=email.policy.default)
    print(*(" ".join(m.get_body(preferencelist=(k,)).get_content().split())
            for k in ("plain", "html")), sep="\t")
PY
}
mails >"$T/m.txt"
new=$(cut -f1 "$T/m.txt" | grep -F "Nouvelle alerte en mai 2026" | head -n 1)
[ -n "$new" ] || fail "no digest of May's new alert: $(cat "$T/m.txt")"
case $new in *"Nouvelle alerte en mai 2026, après un épisode précédent clôturé « action menée »"*) ;;
*) fail "the new episode's digest does not recall the last one's outcome: $new" ;; esac
# The first episode's own firing recalls nothing.
first=$(cut -f1 "$T/m.txt" | grep -F "Nouvelle alerte en mars 2026" | head -n 1)
[ -n "$first" ] || fail "no digest of March's alert"
case $first in *"épisode précédent"*) fail "March's digest recalls an episode: $first" ;; esac
# Closed while active (action menée), it then resolves in June: its
# digest says it was closed already, and gives no advice meant for a live
# alert.
web_start
expect_eq "$(login "$J" rh)" 303 "rh logs in again"
tok=$(csrf "$J" "$A")
expect_eq "$(req "$J" POST "$A" --data "action=take&csrf=$tok")" 303 "May's alert taken"
expect_eq "$(req "$J" POST "$A" --data "action=close&csrf=$tok&outcome=action_taken")" 303 "and closed"
web_stop
rm -f "$T"/mail/*.eml
printf '    guidance: "Rencontrer la responsable."\n' >>"$T/rules.d/r.yaml"
printf 'unit,period,headcount,conflicts\nacme/s/u,2026-06,30,1\nacme/s/t,2026-06,14,0\n' >"$T/d.csv"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/d.csv"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
mails >"$T/m.txt"
done=$(grep -F "Résolue en juin 2026" "$T/m.txt" | head -n 1)
[ -n "$done" ] || fail "no digest of June's resolution: $(cat "$T/m.txt")"
case $(printf '%s' "$done" | cut -f1) in
*"Résolue en juin 2026 (en alerte depuis mai 2026), déjà clôturée « action menée »"*) ;;
*) fail "the resolution of a closed episode does not say so: $done" ;; esac
case $done in *Rencontrer*) fail "the resolution of a closed episode gives guidance: $done" ;; esac
notify_stop "$SMTPD_PID"
exit 0
