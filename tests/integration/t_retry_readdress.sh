#!/usr/bin/env bash
# `vigie retry` after a recipient was corrected (SPEC 9, 10): while a failed
# notification's address is still configured, it is requeued to it; once
# the configuration no longer gives it (a typo fixed, a person gone), its
# alerts go to the recipients of today's routing that do not have them yet,
# once, and the old notification is set aside, never sent again.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1
source "$VIGIE_SRC/tests/integration/notify_lib.sh"

notify_certs
notify_password
notify_data
sp=$(free_port)
hp=$(free_port)
# Two typos the server refuses: the social service's (metz) and HR's.
notify_smtpd_tls "$T/mail" "$sp" --refuse service-social@exmaple.org --refuse drh@exmaple.org
notify_webhook "$T/hook.log" "$hp" --secret "$(notify_secret)"
notify_config "$sp" "$hp"
sed -i 's/service-social@example.org/service-social@exmaple.org/; s/drh@example.org/drh@exmaple.org/' "$T/vigie.yaml"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/data.csv"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
status_of() { notify_sql "SELECT group_concat(status, ' ') FROM message WHERE target = '$1'"; }
expect_eq "$(status_of marie.martin@example.org)" sent
expect_eq "$(status_of service-social@exmaple.org)" failed
expect_eq "$(status_of drh@exmaple.org)" failed
expect_eq "$(notify_count "$T/mail")" 1 "emails before the fix"

# 1. The typos are still configured: requeued to them, as before.
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" retry --failed
expect_grep "requeued 2 notifications: 0 held for a configuration reason, 2 failed" "$T/out"
expect_no_grep "readdressed" "$T/out"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_eq "$(status_of service-social@exmaple.org)" failed
expect_eq "$(notify_count "$T/mail")" 1 "emails after a retry to the typos"

# 2. Fixed: metz now goes to marie (who has nancy's alert already), HR
# keeps only its webhook (which has both alerts already).
sed -i 's/service-social@exmaple.org/marie.martin@example.org/; s/- email: \[drh@exmaple.org\]/- email: []/' "$T/vigie.yaml"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" check
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" retry --failed --format json
$PY -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d=={"held":0,"failed":0,"pending":0,"readdressed":2,"new":1,"woken":False}, d' \
	"$T/out" || fail "retry JSON: $(cat "$T/out")"
expect_eq "$(status_of service-social@exmaple.org)" readdressed
expect_eq "$(status_of drh@exmaple.org)" readdressed
expect_eq "$(status_of marie.martin@example.org)" "sent pending"
# The new notification carries metz only, for the social worker.
expect_eq "$(notify_sql "SELECT m.role || ' ' || group_concat(e.unit) FROM message m
	JOIN message_item i ON i.message = m.id JOIN event e ON e.id = i.event
	WHERE m.status = 'pending'")" "social-worker acme/metz/accueil"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_eq "$(status_of marie.martin@example.org)" "sent sent"
expect_eq "$(notify_count "$T/mail")" 2 "emails after the fix"
second=$(ls "$T/mail" | grep -- '-marie.martin@example.org.eml' | sort | tail -n 1)
$PY - "$T/mail/$second" <<'PY' || fail "the readdressed digest"
import email, sys
m = email.message_from_bytes(open(sys.argv[1], "rb").read())
text = m.get_payload()[0].get_payload(decode=True).decode("utf-8")
assert "acme/metz/accueil" in text and "acme/nancy/logistique" not in text, text
PY
expect_eq "$(wc -l <"$T/hook.log")" 1 "webhook posts (HR had both alerts)"

# 3. Nothing comes back: the set-aside notifications are not requeued, and
# they count as neither pending nor failed.
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" retry --failed
expect_grep "nothing to requeue" "$T/out"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" status
expect_grep "0 pending, 0 failed" "$T/out"
expect_no_grep "exmaple" "$T/out"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" history conflicts-high@acme/metz/accueil
expect_grep "email service-social@exmaple.org (social-worker, firing): readdressed after 2 attempts" "$T/out"
expect_grep "email marie.martin@example.org (social-worker, firing): sent after 1 attempt" "$T/out"
expect_eq "$(notify_sql "SELECT detail FROM audit WHERE action = 'retry' ORDER BY id DESC LIMIT 1 OFFSET 1")" \
	"0 requeued (0 held for a configuration reason, 0 failed, 0 pending made due), 2 readdressed in 1 new, --failed"

# With an invalid rule set (routing needs the rules' roles), retry still
# requeues and readdresses nothing, and says so.
cp "$T/rules.d/conflicts.yaml" "$T/conflicts.yaml.good"
echo "  - id: broken" >>"$T/rules.d/conflicts.yaml"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" retry --failed
expect_grep "vigie retry: the rule set is invalid (vigie check lists the errors): notifications keep their recipients" "$T/err"
expect_grep "nothing to requeue" "$T/out"
cp "$T/conflicts.yaml.good" "$T/rules.d/conflicts.yaml"

# 4. The daemon does the same for what is still pending: the server is down
# when nancy's alert resolves, and nancy's social worker changes before it
# is back. Her successor gets the resolution; she gets nothing more.
notify_stop "$SMTPD_PID"
printf 'acme/nancy/logistique,2026-03,20,1\nacme/metz/accueil,2026-03,12,3\n' >>"$T/data.csv"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/data.csv"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_eq "$(status_of marie.martin@example.org)" "sent sent pending"
sed -i '0,/marie.martin@example.org/s//marie.dupont@example.org/' "$T/vigie.yaml"
notify_smtpd_tls "$T/mail" "$sp"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_grep "1 notification whose recipient is no longer in the configuration readdressed: 1 new notification to today's recipients" "$T/err"
expect_eq "$(status_of marie.martin@example.org)" "sent sent readdressed"
expect_eq "$(status_of marie.dupont@example.org)" sent
expect_eq "$(ls "$T/mail" | grep -c -- '-marie.martin@example.org.eml')" 2 "emails to the former social worker"
third=$(ls "$T/mail" | grep -- '-marie.dupont@example.org.eml')
$PY - "$T/mail/$third" <<'PY' || fail "the successor's digest"
import email, sys
m = email.message_from_bytes(open(sys.argv[1], "rb").read())
text = m.get_payload()[0].get_payload(decode=True).decode("utf-8")
assert "acme/nancy/logistique" in text and "acme/metz/accueil" not in text, text
PY
