#!/usr/bin/env bash
# Holding a unit's notifications from its page in the console (vigie-web(8)),
# during a known situation, without a shell: the same record as `vigie
# silence`, which `vigie silences` lists and the daemon honours (its alerts
# still change state, shown silenced); made by the user, of one rule their
# role sees or of every rule, on the unit and, if asked, its sub-units, for
# 1 to 12 periods after the latest data, with a reason; audited; listed on
# the unit's and the sub-units' pages for every role that sees them, each
# with a button that lifts it; an active alert's page says its
# notifications are held, and why; a silence of one sub-unit is listed on
# its parent's page too. A refused form is answered again with its reason
# said at the field and the choices sent kept; a unit outside the user's
# scope takes none.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1
command -v curl >/dev/null || { echo "curl missing"; exit 77; }
command -v sqlite3 >/dev/null || { echo "sqlite3 missing"; exit 77; }

web_demo_setup
cat >"$T/rules.d/20-hr.yaml" <<'YAML'
rules:
  - id: hr-only
    title: "Règle des RH seulement"
    value: sum(headcount, 1)
    above: { warning: 100000 }
    notify: [hr]
YAML
web_user marie social-worker
web_user claire social-worker --scope valdis/nancy --scope 'valdis/nancy/**'
web_user rh hr
web_start
U=/units/valdis/epinal
NBSP=$'\u00a0'		# between a month and its year
# hold JAR PATH FIELDS...: the status of the silence form's POST on PATH.
hold() {
	local jar=$1 path=$2 tok
	shift 2
	tok=$(csrf "$jar" "$path")
	req "$jar" POST "$path" --data-urlencode "csrf=$tok" "$@"
}

J=$T/jar.marie
expect_eq "$(login "$J" marie)" 303 "marie logs in"
expect_eq "$(req "$J" GET $U)" 200 "the unit page"
expect_grep '<h2 id="silences">Notifications suspendues</h2>' "$T/b"
expect_grep "Aucune notification de cette unité n'est suspendue." "$T/b"
# No rule chosen beforehand: every rule, which would hold a new critical
# alert too, is a choice said as such.
expect_grep '<select id="silence-rule" name="rule" required aria-describedby="silence-hint"><option value="">— choisir —</option><option value="*">Toutes les règles (les nouvelles alertes aussi)</option><option value="absenteeism-rate">' "$T/b"
expect_grep "ceux des nouvelles alertes aussi, même critiques.</p>" "$T/b"
expect_no_grep 'value="hr-only"' "$T/b"
# Twelve periods after the latest data (2026-10), the third chosen.
expect_grep "<select id=\"silence-until\" name=\"until\"><option value=\"2026-11\">novembre${NBSP}2026</option><option value=\"2026-12\">décembre${NBSP}2026</option><option value=\"2027-01\" selected>janvier${NBSP}2027</option>" "$T/b"
expect_grep "<option value=\"2027-10\">octobre${NBSP}2027</option></select>" "$T/b"
expect_grep '<input type="checkbox" id="silence-sub" name="sub" value="1"> <label for="silence-sub">Avec ses unités rattachées</label>' "$T/b"

# Refusals: nothing written, the form again with its reason.
expect_eq "$(hold "$J" $U --data "action=silence&rule=&until=2027-01&reason=x")" 400 "no rule chosen"
expect_grep 'Choisissez une règle et une période de la liste.' "$T/b"
expect_eq "$(hold "$J" $U --data "action=silence&rule=*&until=2027-01&reason=+")" 400 "no reason"
expect_grep '<title>Erreur' "$T/b"
expect_grep '<p class="message error" id="silence-error" role="alert">Dites pourquoi' "$T/b"
expect_grep '<input id="silence-reason" name="reason" required maxlength="500" aria-invalid="true" aria-describedby="silence-error">' "$T/b"
expect_eq "$(hold "$J" $U --data "action=silence&rule=*&until=2027-11&reason=x")" 400 "a period past the twelve"
expect_grep 'Choisissez une règle et une période de la liste.' "$T/b"
expect_eq "$(hold "$J" $U --data "action=silence&rule=*&until=2026-10&reason=x")" 400 "the latest period"
expect_eq "$(hold "$J" $U --data "action=silence&rule=hr-only&until=2027-01&reason=x")" 400 "a rule of another role"
expect_eq "$(hold "$J" $U --data "action=silence&rule=no-such&until=2027-01&reason=x")" 400 "no such rule"
expect_eq "$(hold "$J" $U --data-urlencode "action=silence" --data-urlencode "rule=*" \
	--data-urlencode "until=2027-01" --data-urlencode "reason=$(printf 'a\nb')")" 400 "a reason on two lines"
expect_eq "$(hold "$J" $U --data-urlencode "action=silence" --data-urlencode "rule=*" \
	--data-urlencode "until=2027-01" --data-urlencode "reason=$(head -c 501 /dev/zero | tr '\0' x)")" 400 "a reason too long"
# The refused form comes back as it was sent: one rule until March with
# the sub-units, the reason to correct; not every rule until January.
expect_eq "$(hold "$J" $U --data-urlencode "action=silence" --data-urlencode "rule=absenteeism-rate" \
	--data-urlencode "until=2027-03" --data-urlencode "sub=1" \
	--data-urlencode "reason=$(printf 'Réorganisation\nannoncée')")" 400 "one rule, a reason on two lines"
expect_grep '<option value="absenteeism-rate" selected>' "$T/b"
expect_eq "$(grep -o '<option value="[^"]*" selected>' "$T/b" | tr '\n' ' ')" \
	'<option value="absenteeism-rate" selected> <option value="2027-03" selected> ' "the choices kept, and only them"
expect_grep '<input type="checkbox" id="silence-sub" name="sub" value="1" checked>' "$T/b"
expect_grep "<input id=\"silence-reason\" name=\"reason\" required maxlength=\"500\" aria-invalid=\"true\" aria-describedby=\"silence-error\" value=\"Réorganisation&#x20;annoncée\">" "$T/b"
expect_eq "$(db "SELECT count(*) FROM silence")" 0 "silences after the refusals"
# 500 characters are taken, accented ones too (1000 bytes).
expect_eq "$(hold "$J" /units/valdis/metz --data-urlencode "action=silence" --data-urlencode "rule=*" \
	--data-urlencode "until=2027-01" --data-urlencode "reason=$(for i in $(seq 500); do printf 'é'; done)")" 303 "a reason of 500 accented characters"
expect_eq "$(db "SELECT length(reason) FROM silence")" 500 "its length"
db "DELETE FROM silence"; db "DELETE FROM audit WHERE action = 'silence'"
expect_eq "$(hold "$T/jar.none" $U --data "action=silence&rule=*&until=2027-01&reason=x")" 303 "without a session"
expect_eq "$(db "SELECT count(*) FROM silence")" 0 "silences after a form without a session"

# Every rule, on the unit and its sub-units, until January 2027.
expect_eq "$(hold "$J" $U --data-urlencode "action=silence" --data-urlencode "rule=*" \
	--data-urlencode "until=2027-01" --data-urlencode "sub=1" \
	--data-urlencode "reason=  Réorganisation annoncée ")" 303 "the silence"
expect_grep 'Location: /units/valdis/epinal?done=silence#silences' "$T/h"
expect_eq "$(db "SELECT id, rule, unit_glob, until_period, reason, author, removed_at IS NULL FROM silence ORDER BY id")" \
	"1|*|valdis/epinal|$((2027 * 12))|Réorganisation annoncée|marie|1
2|*|valdis/epinal/**|$((2027 * 12))|Réorganisation annoncée|marie|1" "the silences recorded"
expect_eq "$(db "SELECT actor, via, action, object, detail FROM audit WHERE action = 'silence' ORDER BY id")" \
	"marie|web|silence|silence 1|rule *, unit valdis/epinal, until 2027-01
marie|web|silence|silence 2|rule *, unit valdis/epinal/**, until 2027-01" "audited"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" silences
expect_grep 'valdis/epinal/**' "$T/out"
# No cycle has run yet: the silence holds no active alert, and says so.
expect_eq "$(req "$J" GET "$U?done=silence")" 200 "the page after it"
expect_grep "<p class=\"message ok\" role=\"status\">Notifications suspendues. Cette suspension ne retient aucune alerte active de l'unité.</p>" "$T/b"
expect_grep "<title>Notifications suspendues. Cette suspension ne retient aucune alerte active de l&#39;unité. valdis/epinal — Vigie</title>" "$T/b"
# The two that one form made show as one, in the form's words.
expect_grep "<li><span id=\"silence-1\"><strong>Toutes les règles</strong> sur valdis/epinal et ses unités rattachées, jusqu'aux données de <time datetime=\"2027-01\">janvier${NBSP}2027</time> — Réorganisation annoncée <span class=\"meta\">(marie, " "$T/b"
expect_grep '<button type="submit" aria-describedby="silence-1">Lever</button>' "$T/b"
expect_no_grep 'id="silence-2"' "$T/b"
# A sub-unit shows the one on the sub-units; HR sees the pair on the unit.
expect_eq "$(req "$J" GET $U/atelier)" 200 "a sub-unit's page"
expect_grep "<li><span id=\"silence-2\"><strong>Toutes les règles</strong> sur les unités rattachées à valdis/epinal, jusqu'aux" "$T/b"
expect_no_grep 'id="silence-1"' "$T/b"
expect_eq "$(login "$T/jar.rh" rh)" 303 "rh logs in"
expect_eq "$(req "$T/jar.rh" GET $U)" 200 "rh on the unit"
expect_grep 'id="silence-1"' "$T/b"
expect_no_grep 'id="silence-2"' "$T/b"
# A silence of one sub-unit is listed on the unit's page too, where whoever
# wonders why a team is quiet looks first.
expect_eq "$(hold "$J" $U/atelier --data "action=silence&rule=*&until=2027-02&reason=Travaux")" 303 \
	"a silence of the atelier alone"
expect_eq "$(req "$J" GET $U)" 200 "the unit's page"
expect_grep "<li><span id=\"silence-3\"><strong>Toutes les règles</strong> sur valdis/epinal/atelier, jusqu'aux données de" "$T/b"
expect_eq "$(req "$J" GET $U/logistique)" 200 "a sibling's page"
expect_no_grep 'id="silence-3"' "$T/b"
expect_eq "$(hold "$J" $U --data "action=unsilence&id=3")" 303 "lifted from the unit's page"
db "DELETE FROM silence WHERE id = 3"; db "DELETE FROM audit WHERE object = 'silence 3'"
# The daemon honours it: epinal's alerts are silenced, nancy's are not.
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" alerts --format json
$PY - "$T/out" <<'PY' || fail "silenced alerts: $(cat "$T/out")"
import json, sys
a = json.load(open(sys.argv[1]))
epinal = [x for x in a if x["unit"].startswith("valdis/epinal")]
others = [x for x in a if not x["unit"].startswith("valdis/epinal")]
assert epinal and others, (len(epinal), len(others))
assert all(x["silenced"] for x in epinal), epinal
assert not any(x["silenced"] for x in others), others
PY
# The list of alerts says which ones are held, and no others.
expect_eq "$(req "$J" GET /)" 200 "the alerts"
$PY - "$T/b" <<'PY' || fail "the alerts list's held notifications"
import re, sys
page = open(sys.argv[1], encoding="utf-8").read()
held = {}
for sec in re.findall(r'<section class="unit".*?</section>', page, re.S):
    unit = re.search(r'<h2 id="u\d+"><a href="/units/([^"]+)">', sec).group(1)
    for row in re.findall(r"<tr><td.*?</tr>", sec, re.S):
        held.setdefault(unit, []).append("notifications suspendues" in row)
ep = [h for u, v in held.items() if u.startswith("valdis/epinal") for h in v]
other = [h for u, v in held.items() if not u.startswith("valdis/epinal") for h in v]
assert ep and all(ep) and other and not any(other), held
PY
# An active alert's page says that its notifications are held, and why.
id=$($PY -c 'import json,sys; print([x["id"] for x in json.load(open(sys.argv[1])) if x["unit"] == "valdis/epinal"][0])' "$T/out")
expect_eq "$(req "$J" GET "/alerts/$id")" 200 "an alert of epinal"
expect_grep "<dt>Notifications</dt><dd>suspendues jusqu'aux données de <time datetime=\"2027-01\">janvier${NBSP}2027</time> — Réorganisation annoncée (<a href=\"/units/valdis/epinal#silences\">les suspensions de l'unité</a>)</dd>" "$T/b"
id=$($PY -c 'import json,sys; print([x["id"] for x in json.load(open(sys.argv[1])) if not x["unit"].startswith("valdis/epinal")][0])' "$T/out")
expect_eq "$(req "$J" GET "/alerts/$id")" 200 "an alert elsewhere"
expect_no_grep "<dd>suspendues jusqu" "$T/b"
# Not held: a link to the unit's form that would hold them.
u=$($PY -c 'import json,sys; print([x["unit"] for x in json.load(open(sys.argv[1])) if str(x["id"]) == sys.argv[2]][0])' "$T/out" "$id")
expect_grep "<dt>Notifications</dt><dd><a href=\"/units/$u#silences\">Les suspendre pour cette unité</a></dd>" "$T/b"
# The unit's page lists its sections first, linked.
expect_eq "$(req "$J" GET "/units/$u")" 200 "the unit's page"
expect_grep '<nav class="contents" aria-label="Sur cette page"><ul>' "$T/b"
expect_grep '<li><a href="#silences">Notifications suspendues</a></li>' "$T/b"
expect_grep '<li><a href="#notes">Notes</a></li>' "$T/b"

# Lifting: the one shown, once; audited.
# "Done" is said on the silences' word, not the URL's.
expect_eq "$(req "$J" GET "$U/atelier?done=unsilence")" 200 "a sub-unit before any lifting"
expect_no_grep 'Suspension levée.' "$T/b"
expect_eq "$(req "$T/jar.rh" GET "$U?done=silence")" 200 "rh, who made no silence"
expect_no_grep 'Notifications suspendues.</p>' "$T/b"
expect_eq "$(hold "$J" $U --data "action=unsilence&id=1")" 303 "lifting silence 1"
expect_grep 'Location: /units/valdis/epinal?done=unsilence#silences' "$T/h"
expect_eq "$(req "$J" GET "$U?done=unsilence")" 200 "the page after the lifting"
expect_eq "$(grep -A1 '<h2 id="silences">' "$T/b" | tail -1)" '<p class="message ok" role="status">Suspension levée.</p>' \
	"said under the silences' heading, where the redirect lands"
# What one form made, one lifting takes back: the pair.
expect_eq "$(db "SELECT id FROM silence WHERE removed_at IS NOT NULL ORDER BY id")" "1
2" "silences 1 and 2 removed"
expect_eq "$(db "SELECT actor, via, action, object FROM audit WHERE action = 'unsilence' ORDER BY id")" \
	"marie|web|unsilence|silence 1
marie|web|unsilence|silence 2" "the lifting audited"
expect_eq "$(hold "$J" $U --data "action=unsilence&id=1")" 400 "lifting it again"
expect_grep 'Cette suspension est déjà levée.' "$T/b"
expect_eq "$(hold "$J" $U/atelier --data "action=unsilence&id=99")" 400 "a silence that does not exist"
# Claire sees Nancy only: Epinal's page, and its forms, are not hers.
expect_eq "$(login "$T/jar.claire" claire)" 303 "claire logs in"
expect_eq "$(hold "$T/jar.claire" /units/valdis/nancy --data "action=unsilence&id=2")" 400 "lifting a silence of another unit"
expect_eq "$(req "$T/jar.claire" GET $U)" 404 "Epinal for claire"
tok=$(csrf "$T/jar.claire" /units/valdis/nancy)
expect_eq "$(req "$T/jar.claire" POST $U --data "csrf=$tok&action=silence&rule=*&until=2027-01&reason=x")" 404 "a silence outside her scope"
expect_eq "$(db "SELECT count(*) FROM silence WHERE removed_at IS NULL")" 0 "silences in force at the end"
# From a sub-unit's page, the silence on the sub-units is lifted alone:
# its unit's, made with it, is not the page's to lift (nor always the
# user's to see); the page says it is lifted.
expect_eq "$(hold "$J" $U --data-urlencode "action=silence" --data-urlencode "rule=*" \
	--data-urlencode "until=2027-01" --data-urlencode "sub=1" \
	--data-urlencode "reason=Travaux")" 303 "a pair again"
sub=$(db "SELECT id FROM silence WHERE unit_glob = 'valdis/epinal/**' AND removed_at IS NULL")
top=$(db "SELECT id FROM silence WHERE unit_glob = 'valdis/epinal' AND removed_at IS NULL")
expect_eq "$(hold "$J" $U/atelier --data "action=unsilence&id=$sub")" 303 "lifted from a sub-unit's page"
expect_eq "$(db "SELECT removed_at IS NULL FROM silence WHERE id = $top")" 1 "its unit's silence stays"
expect_eq "$(db "SELECT removed_at IS NULL FROM silence WHERE id = $sub")" 0 "the sub-units' is lifted"
expect_eq "$(req "$J" GET "$U/atelier?done=unsilence")" 200 "the sub-unit's page after"
expect_grep '<p class="message ok" role="status">Suspension levée.</p>' "$T/b"

# The form lists first the rules alerting on the unit, said so (the one to
# choose, among titles alike), then the others; a silence of a rule not
# alerting there says that it holds no active alert of the unit, as
# Alertmanager's form says what a silence affects.
N=/units/valdis/nancy/production-nuit
expect_eq "$(req "$J" GET $N)" 200 "a unit with active alerts"
expect_grep '<option value="*">Toutes les règles (les nouvelles alertes aussi)</option><option value="absenteeism-rate">Taux d&#39;absentéisme élevé (alerte active)</option><option value="overtime-vs-usual">Heures supplémentaires au-dessus de l&#39;habitude (alerte active)</option><option value="conflicts">Conflits répétés dans l&#39;équipe</option></select>' "$T/b"
expect_eq "$(hold "$J" $N --data "action=silence&rule=conflicts&until=2027-01&reason=Travaux")" 303 \
	"a silence of the rule not alerting"
expect_eq "$(req "$J" GET "$N?done=silence")" 200 "the page after it"
expect_grep "<p class=\"message ok\" role=\"status\">Notifications suspendues. Cette suspension ne retient aucune alerte active de l'unité.</p>" "$T/b"
expect_eq "$(hold "$J" $N --data "action=silence&rule=overtime-vs-usual&until=2027-01&reason=Travaux")" 303 \
	"a silence of a rule alerting"
expect_eq "$(req "$J" GET "$N?done=silence")" 200 "the page after it"
expect_grep '<p class="message ok" role="status">Notifications suspendues.</p>' "$T/b"
web_stop
exit 0
