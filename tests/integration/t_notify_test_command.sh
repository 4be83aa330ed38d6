#!/usr/bin/env bash
# vigie notify-test ROLE [--unit UNIT] (SPEC 9): a marked test message through
# every channel of the role (of one route with --unit), a line per target, exit 69 if
# any failed, 64 for an unknown role, 78 for a bad configuration.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1
source "$VIGIE_SRC/tests/integration/notify_lib.sh"

notify_certs
notify_password
notify_data
sp=$(free_port)
hp=$(free_port)
notify_smtpd_tls "$T/mail" "$sp"
notify_webhook "$T/hook.log" "$hp" --secret "$(notify_secret)"
notify_config "$sp" "$hp"

expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" notify-test hr
expect_eq "$(cat "$T/out")" "email drh@example.org: ok
webhook hr-hook: ok"
expect_eq "$(notify_count "$T/mail")" 1
$PY - "$T"/mail/*-drh@example.org.eml <<'PY' || fail "test email"
import email, sys
from email.header import decode_header, make_header
m = email.message_from_bytes(open(sys.argv[1], "rb").read())
s = str(make_header(decode_header(m["Subject"])))
assert s.startswith("[Vigie] TEST"), s
assert s == "[Vigie] TEST — Message de test pour le rôle hr", s
PY
expect_grep '\"event\":\"test\"' "$T/hook.log"
expect_grep '"verified": true' "$T/hook.log"

# Routing by unit: the social worker of nancy, then the default route.
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" notify-test social-worker --unit acme/nancy/logistique
expect_eq "$(cat "$T/out")" "email marie.martin@example.org: ok"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" notify-test social-worker --unit acme/metz
expect_eq "$(cat "$T/out")" "email service-social@example.org: ok"
# Without --unit: every channel of the role, through all its routes.
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" notify-test social-worker
expect_eq "$(cat "$T/out")" "email marie.martin@example.org: ok
email service-social@example.org: ok"

expect_exit 64 "$VIGIE" -c "$T/vigie.yaml" notify-test nobody
expect_eq "$(cat "$T/err")" "vigie notify-test: unknown role \"nobody\": the roles are the keys of recipients: in $T/vigie.yaml (social-worker, hr)"
# A near miss is named (the French "rh" for "hr").
expect_exit 64 "$VIGIE" -c "$T/vigie.yaml" notify-test rh
expect_grep 'unknown role "rh" (did you mean "hr"?)' "$T/err"
expect_exit 64 "$VIGIE" -c "$T/vigie.yaml" notify-test

# A failing channel: the webhook answers 400.
notify_stop "$HOOK_PID"
notify_webhook "$T/bad.log" "$hp" --script 400
expect_exit 69 "$VIGIE" -c "$T/vigie.yaml" notify-test hr
expect_eq "$(cat "$T/out")" "email drh@example.org: ok
webhook hr-hook: failed: HTTP 400: refused by the test receiver"
# The same for scripts (SPEC 10: --format json where a command prints data).
expect_exit 69 "$VIGIE" -c "$T/vigie.yaml" notify-test hr --format json
$PY - "$T/out" <<'PY' || fail "notify-test --format json: $(cat "$T/out")"
import json, sys
assert json.load(open(sys.argv[1])) == [
    {"channel": "email", "target": "drh@example.org", "ok": True, "error": None},
    {"channel": "webhook", "target": "hr-hook", "ok": False,
     "error": "HTTP 400: refused by the test receiver"}]
PY

# The outbox is not used.
[ ! -e "$T/vigie.db" ] || expect_eq "$(notify_sql "SELECT count(*) FROM message")" 0

echo "smtp: { url: 'ftp://x' }" >>"$T/vigie.yaml"
expect_exit 78 "$VIGIE" -c "$T/vigie.yaml" notify-test hr
exit 0
