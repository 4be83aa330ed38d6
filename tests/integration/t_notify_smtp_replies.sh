#!/usr/bin/env bash
# What the SMTP server said is kept (SPEC 9, 10): aiosmtpd refuses one
# recipient at RCPT TO with Postfix's words, and the reply line is in the
# log, the attempt and the message rows, `vigie history` and `vigie status`.
# A sender refused at MAIL FROM (a wrong from:) is a configuration failure
# of every email of the cycle, with the reply kept: they are held, not
# retried while nothing changes, requeued by `vigie retry` (audited under
# the operating-system user) or by a configuration change (another from:),
# then delivered once. A relay that refuses the session at its greeting
# ("Weird server reply" for curl) holds them the same way. A refused AUTH
# is kept as its codes only: the server's text may quote the password back.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1
source "$VIGIE_SRC/tests/integration/notify_lib.sh"

notify_certs
notify_password
notify_data
sp=$(free_port)
hp=$(free_port)
notify_webhook "$T/hook.log" "$hp" --secret "$(notify_secret)"
emails() { notify_sql "SELECT group_concat(status || ':' || (failed_config IS NOT NULL), ' ') FROM (SELECT * FROM message WHERE channel = 'email' ORDER BY target)"; }
reset() { rm -f "$T/vigie.db"*; notify_config "$sp" "$hp"; expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/data.csv"; }

# --- 1. A recipient refused at RCPT TO, in the server's words ---
reply='554 5.1.1 <drh@example.org>: Recipient address rejected: mailbox unavailable'
reset
notify_smtpd_tls "$T/m1" "$sp" --refuse-rcpt "drh@example.org=$reply"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
notify_stop "$SMTPD_PID"
cp "$T/err" "$T/daemon.log"
want="SMTP RCPT TO refused: $reply"
expect_eq "$(notify_sql "SELECT status || ': ' || last_error FROM message WHERE target = 'drh@example.org'")" \
	"failed: $want"
expect_eq "$(notify_sql "SELECT a.status || ' ' || a.error FROM attempt a JOIN message m ON m.id = a.message WHERE m.target = 'drh@example.org'")" \
	"554 $want"
expect_grep "by email to drh@example.org failed: $want" "$T/daemon.log"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" history conflicts-high@acme/metz/accueil
expect_grep "email drh@example.org (hr, firing): failed after 1 attempt, last error: $want" "$T/out"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" status
expect_grep "outbox:       0 pending, 1 failed" "$T/out"
expect_grep "email to drh@example.org (failed): $want" "$T/out"
# The other two recipients were not held back.
expect_eq "$(emails)" "failed:0 sent:0 sent:0"

# --- 2. The sender refused at MAIL FROM: every email of the cycle held ---
sreply='553 5.7.1 <vigie@example.org>: Sender address rejected: not owned by user vigie'
reset
notify_smtpd_tls "$T/m2" "$sp" --refuse-mail "vigie@example.org=$sreply"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_eq "$(emails)" "failed:1 failed:1 failed:1" "held for the configuration"
expect_eq "$(notify_sql "SELECT count(DISTINCT last_error) || ' ' || min(last_error) FROM message WHERE channel = 'email'")" \
	"1 SMTP MAIL FROM refused (check smtp.from): $sreply"
expect_eq "$(notify_sql "SELECT status FROM message WHERE channel = 'webhook'")" sent "the webhook is not held"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" status
expect_grep "0 pending, 3 failed (3 held until the configuration changes, or vigie retry)" "$T/out"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" status --format json
$PY -c 'import json,sys; o=json.load(open(sys.argv[1]))["outbox"]; assert (o["failed"], o["held"], o["last_error"]["held"]) == (3, 3, True), o' "$T/out" ||
	fail "status JSON"
# Nothing changed: the next cycle does not ask the server again.
tries=$(wc -l <"$T/m2/mail-from")
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_eq "$(wc -l <"$T/m2/mail-from")" "$tries" "MAIL FROM sent again without a change"
expect_eq "$(emails)" "failed:1 failed:1 failed:1"
notify_stop "$SMTPD_PID"

# The relay's administrator allows the sender: `vigie retry` requeues.
notify_smtpd_tls "$T/m3" "$sp"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" retry --since 2000-01-01
expect_grep "requeued 3 notifications: 3 held for a configuration reason, 0 failed, 0 pending made due now" "$T/out"
expect_eq "$(notify_sql "SELECT actor || ' ' || via || ' ' || action FROM audit")" "$(id -un) cli retry"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_eq "$(emails)" "sent:0 sent:0 sent:0"
expect_eq "$(notify_count "$T/m3")" 3
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" retry
expect_eq "$(cat "$T/out")" "nothing to requeue (--failed also requeues the notifications that failed for good)"
notify_stop "$SMTPD_PID"

# --- 3. ... or the configuration changes: another from: ---
reset
notify_smtpd_tls "$T/m4" "$sp" --refuse-mail "vigie@example.org=$sreply"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_eq "$(emails)" "failed:1 failed:1 failed:1"
sed -i 's|^  from: vigie@example.org|  from: Vigie RPS <alertes@example.org>|' "$T/vigie.yaml"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_eq "$(emails)" "sent:0 sent:0 sent:0" "after the new from:"
expect_eq "$(notify_count "$T/m4")" 3
expect_eq "$(cut -d' ' -f1 "$T/m4/envelopes" | sort -u)" alertes@example.org
notify_stop "$SMTPD_PID"

# --- 4. A relay that refuses the session at its greeting ---
greply='554 5.7.1 <127.0.0.1>: Client host rejected: Access denied'
reset
notify_smtpd "$T/m5" "$sp" --greeting "$greply"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
notify_stop "$SMTPD_PID"
expect_eq "$(emails)" "failed:1 failed:1 failed:1"
expect_eq "$(notify_sql "SELECT min(last_error) FROM message WHERE channel = 'email'")" \
	"SMTP session refused at the greeting (check smtp.url and the server's policy for this host): $greply"

# --- 5. AUTH refused by a server that quotes back what it was sent ---
reset
notify_smtpd_tls "$T/m6" "$sp" --auth-echo
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
notify_stop "$SMTPD_PID"
cp "$T/err" "$T/daemon.log"
expect_eq "$(emails)" "failed:1 failed:1 failed:1" "held for the configuration"
expect_eq "$(notify_sql "SELECT group_concat(DISTINCT last_error) FROM message WHERE channel = 'email'")" \
	"SMTP AUTH refused (check smtp.username and the password): 535 5.7.8"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" status
cat "$T/out" >>"$T/daemon.log"
sqlite3 "$T/vigie.db" .dump >"$T/dump.sql"
for leak in "$(printf '%s' 'pa ss;wörd' | base64)" "$(printf '\0vigie\0pa ss;wörd' | base64)" 'pa ss;wörd'; do
	for f in "$T/daemon.log" "$T/dump.sql"; do
		grep -qF -- "$leak" "$f" && fail "the password ($leak) is in $f"
	done
done
expect_grep "535 5.7.8" "$T/daemon.log"
exit 0
