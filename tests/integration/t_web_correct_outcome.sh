#!/usr/bin/env bash
# A closing's outcome chosen by mistake is corrected from the alert's page
# (vigie-web(8)): by the role that follows the alert — a colleague too —,
# not by another role (no form, 403, nothing written); the works council
# report then counts the alert once, with the corrected outcome; the
# history keeps the closing as it was and the correction, with who made
# it; the audit log records it. The same outcome again writes nothing; an
# unknown one is refused; an alert that is not closed has nothing to
# correct (409). The hint says where the outcome counts: not in the
# report for a rule of the social service alone.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1
command -v curl >/dev/null || { echo "curl missing"; exit 77; }

NNB=$'\xe2\x80\xaf'	# U+202F, before a colon
# A rule of the social service alone, whose follow-up the works council's
# report does not count (SPEC 3, 15): the console says so.
web_demo_setup
cat >"$T/rules.d/20-sw.yaml" <<'YAML'
rules:
  - id: sw-only
    title: "Heures supplémentaires, pour le service social"
    value: overtime_hours / headcount
    above: { warning: 10 }
    notify: [social-worker]
YAML
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
web_nancy_users

A=/alerts/absenteeism-rate@valdis/nancy/production-nuit
row="rule = 'absenteeism-rate' AND unit = 'valdis/nancy/production-nuit'"
followup() {	# the report's follow-up of valdis/nancy/production-nuit
	expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" report --from 2024-11 --to 2026-10 \
		--format json -o "$T/r.json"
	$PY - "$T/r.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
f = [u for u in r["units"] if u["unit"] == "valdis/nancy/production-nuit"][0]["followup"]
c = f["closed"]
print(f["taken"], c["action_taken"], c["false_alarm"], c["no_action_needed"])
PY
}

# Not closed yet: nothing to correct.
tok=$(csrf "$M" "$A")
expect_no_grep 'value="correct"' "$T/b"
expect_eq "$(req "$M" POST "$A" --data "action=correct&csrf=$tok&outcome=action_taken")" 409 \
	"correcting an open alert"
expect_grep "Cette alerte n&#39;est pas clôturée (ou s&#39;est déclenchée à nouveau depuis)${NNB}: elle n&#39;a pas d&#39;issue à corriger." "$T/b"

# marie closes it as a false alarm by mistake.
expect_eq "$(req "$M" POST "$A" --data "action=close&csrf=$tok&outcome=false_alarm")" 303 \
	"marie closes it"
expect_eq "$(followup)" "1 0 1 0" "the report before the correction"
expect_eq "$(req "$M" GET "$A")" 200 "marie's page of the closed alert"
expect_grep '<details class="correct"><summary>Corriger l'"'"'issue</summary>' "$T/b"
expect_grep '<option value="false_alarm" selected>fausse alerte</option>' "$T/b"
expect_grep 'name="action" value="correct"' "$T/b"
expect_grep "<p class=\"hint\" id=\"correct-hint\">L'issue compte dans le rapport au CSE et sur la page Règles${NNB}; l'historique garde l'issue d'origine et sa correction.</p>" "$T/b"
S=/alerts/sw-only@valdis/nancy/production-nuit
stok=$(csrf "$M" "$S")
expect_eq "$(req "$M" POST "$S" --data "action=close&csrf=$stok&outcome=action_taken")" 303 \
	"marie closes the social service's own alert"
expect_eq "$(req "$M" GET "$S")" 200 "its page"
expect_grep "<p class=\"hint\" id=\"correct-hint\">L'issue compte sur la page Règles (cette règle, réservée au service social, n'entre pas dans le rapport au CSE)${NNB}; l'historique garde l'issue d'origine et sa correction.</p>" "$T/b"

# HR follows none of the social service's alerts: no form, 403, nothing written.
expect_eq "$(req "$R" GET "$A")" 200 "rh's page of the closed alert"
expect_no_grep 'value="correct"' "$T/b"
rtok=$(csrf "$R" "$A")
expect_eq "$(req "$R" POST "$A" --data "action=correct&csrf=$rtok&outcome=no_action_needed")" 403 \
	"rh corrects marie's outcome"
expect_grep "Cette alerte est suivie par un autre rôle${NNB}: lui seul peut corriger son issue." "$T/b"
expect_eq "$(db "SELECT outcome FROM alert WHERE $row")" false_alarm "the outcome after rh's refused correction"

# An unknown outcome is refused.
ctok=$(csrf "$C" "$A")
expect_eq "$(req "$C" POST "$A" --data "action=correct&csrf=$ctok&outcome=maybe")" 400 \
	"an unknown outcome"
expect_grep "Choisissez l&#39;issue corrigée." "$T/b"

# claire, of the social service, corrects it.
expect_eq "$(req "$C" POST "$A" --data "action=correct&csrf=$ctok&outcome=action_taken")" 303 \
	"claire corrects the outcome"
expect_grep "Location: /alerts/absenteeism-rate@valdis/nancy/production-nuit?done=correct" "$T/h"
expect_eq "$(req "$C" GET "$A?done=correct")" 200 "the page after the correction"
expect_grep '<p class="message ok" role="status">Issue corrigée.</p>' "$T/b"
expect_grep '<span class="fu fu-closed">clôturée</span> (action menée) par marie le ' "$T/b"
expect_grep '<option value="action_taken" selected>action menée</option>' "$T/b"
expect_grep "<td data-label=\"Évènement\">issue corrigée</td>" "$T/b"
expect_grep "par claire${NNB}: action menée" "$T/b"
expect_grep "par marie${NNB}: fausse alerte" "$T/b"
expect_eq "$(db "SELECT closed_by || ' ' || outcome FROM alert WHERE $row")" "marie action_taken" \
	"the closing keeps its author, the outcome is corrected"
expect_eq "$(db "SELECT actor || ' ' || object || ' ' || detail FROM audit WHERE action = 'correct'")" \
	"claire absenteeism-rate@valdis/nancy/production-nuit action_taken" "the correction in the audit log"
expect_eq "$(followup)" "1 1 0 0" "the report counts the alert once, as corrected"

# The same outcome again writes nothing.
expect_eq "$(req "$C" POST "$A" --data "action=correct&csrf=$ctok&outcome=action_taken")" 303 \
	"the same outcome again"
expect_grep "done=unchanged" "$T/h"
expect_eq "$(req "$C" GET "$A?done=unchanged")" 200 "the page after it"
expect_grep "<p class=\"message ok\" role=\"status\">L'alerte avait déjà cette issue${NNB}: rien n'a changé.</p>" "$T/b"
expect_eq "$(db "SELECT count(*) FROM event WHERE kind = 'corrected'")" 1 "one correction event"
expect_eq "$(db "SELECT count(*) FROM audit WHERE action = 'correct'")" 1 "one correction audited"
web_stop

# The command line's history says it too.
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" history absenteeism-rate@valdis/nancy/production-nuit
expect_grep "by marie, outcome false_alarm" "$T/out"
expect_grep "by claire, outcome action_taken" "$T/out"
expect_grep "corrected" "$T/out"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" history absenteeism-rate@valdis/nancy/production-nuit \
	--format json
$PY - "$T/out" <<'PY' || fail "the history's JSON"
import json, sys
h = json.load(open(sys.argv[1]))
ev = h["events"] if isinstance(h, dict) else h
c = [e for e in ev if e.get("kind") == "corrected"]
assert len(c) == 1 and c[0]["by"] == "claire" and c[0]["outcome"] == "action_taken", c
PY
