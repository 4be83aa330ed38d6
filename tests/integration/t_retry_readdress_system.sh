#!/usr/bin/env bash
# `vigie retry --failed` after the ops address was corrected (README "When
# delivery fails"): a system notice that failed to the mistyped address (a
# file rejected) goes to the role's recipients of today, once, and never
# again to the old one, as an alert's notification does; the failure then
# no longer counts (vigie status, vigie_notifications_failed).
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1
source "$VIGIE_SRC/tests/integration/notify_lib.sh"
command -v sqlite3 >/dev/null || { echo "sqlite3 missing"; exit 77; }

sp=$(free_port)
notify_smtpd "$T/mail" "$sp" --refuse typo-ops@example.org
make_config "locale: en
metrics_file: $T/vigie.prom
$(smtp_plain "$sp")
recipients:
  ops:
    - email: [typo-ops@example.org]"
conflicts_rule
printf 'unit,period,headcount\nacme/x,2026-13,5\n' >"$T/inbox/.bad.csv"
mv "$T/inbox/.bad.csv" "$T/inbox/bad.csv"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_grep "by email to typo-ops@example.org failed: SMTP RCPT TO refused: 550" "$T/err"
expect_eq "$(notify_sql "SELECT status FROM message WHERE target = 'typo-ops@example.org'")" failed
expect_grep "vigie_notifications_failed 1" "$T/vigie.prom"

# Corrected: the notice goes to ops@, once.
sed -i 's/typo-ops@/ops@/' "$T/vigie.yaml"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" retry --failed --format json
$PY -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d=={"held":0,"failed":0,"pending":0,"readdressed":1,"new":1,"woken":False}, d' \
	"$T/out" || fail "retry JSON: $(cat "$T/out")"
expect_eq "$(notify_sql "SELECT group_concat(target || ' ' || status, ', ') FROM message")" \
	"typo-ops@example.org readdressed, ops@example.org pending"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_grep "sent by email to ops@example.org" "$T/err"
expect_no_grep "typo-ops" "$T/err"
expect_eq "$(notify_count "$T/mail")" 1 "emails"
$PY - "$T/mail"/*-ops@example.org.eml <<'PY' || fail "the readdressed notice"
import email, email.header, sys
m = email.message_from_bytes(open(sys.argv[1], "rb").read())
subject = str(email.header.make_header(email.header.decode_header(m["Subject"])))
assert subject.endswith("File rejected: bad.csv"), subject
PY
expect_grep "vigie_notifications_failed 0" "$T/vigie.prom"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" status
expect_grep "0 pending, 0 failed" "$T/out"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" retry --failed
expect_grep "nothing to requeue" "$T/out"
exit 0
