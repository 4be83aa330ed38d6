#!/usr/bin/env bash
# SMTP failures keep notifications (SPEC 9, 13): a server without STARTTLS
# is refused while STARTTLS is required, a certificate from another CA is
# refused, a server that is down leaves everything pending; once a proper
# server is back, each recipient gets its digest exactly once.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1
source "$VIGIE_SRC/tests/integration/notify_lib.sh"

notify_certs
notify_password
notify_data
sp=$(free_port)
hp=$(free_port)
notify_webhook "$T/hook.log" "$hp" --secret "$(notify_secret)"
notify_config "$sp" "$hp"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/data.csv"
pending() { notify_sql "SELECT count(*) FROM message WHERE channel = 'email' AND status = 'pending'"; }

# 1. Nobody listens: the cycle records its transitions, the emails wait.
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_eq "$(pending)" 3 "pending emails with the server down"
expect_eq "$(notify_sql "SELECT min(attempts) FROM message WHERE channel = 'email'")" 1

# 2. A plain server without STARTTLS: refused, nothing sent in clear.
notify_smtpd "$T/plain" "$sp" --user vigie --password 'pa ss;wörd'
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
notify_stop "$SMTPD_PID"
expect_eq "$(notify_count "$T/plain")" 0 "messages accepted without TLS"
expect_eq "$(pending)" 3 "pending emails after the plain server"
notify_sql "SELECT last_error FROM message WHERE channel = 'email' LIMIT 1" >"$T/err"
expect_grep "STARTTLS" "$T/err"

# 3. A TLS server whose certificate the configured CA did not sign.
sed -i "s|ca_file: $T/tls/ca.pem|ca_file: $T/tls/other-ca.pem|" "$T/vigie.yaml"
notify_smtpd_tls "$T/wrongca" "$sp"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
notify_stop "$SMTPD_PID"
expect_eq "$(notify_count "$T/wrongca")" 0 "messages accepted with an unverified certificate"
expect_eq "$(pending)" 3 "pending emails after the wrong CA"
notify_sql "SELECT last_error FROM message WHERE channel = 'email' LIMIT 1" >"$T/err"
expect_grep "certificate" "$T/err"

# 4. The right CA and a good server: every recipient once.
sed -i "s|ca_file: $T/tls/other-ca.pem|ca_file: $T/tls/ca.pem|" "$T/vigie.yaml"
notify_smtpd_tls "$T/mail" "$sp"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_eq "$(pending)" 0 "pending emails after recovery"
expect_eq "$(notify_count "$T/mail")" 3
for r in marie.martin@example.org service-social@example.org drh@example.org; do
	expect_eq "$(ls "$T/mail" | grep -c -- "-$r.eml")" 1 "digests for $r"
done
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_eq "$(notify_count "$T/mail")" 3 "messages after another cycle"
expect_eq "$(notify_sql "SELECT count(*) FROM attempt a JOIN message m ON m.id = a.message WHERE m.channel = 'email'")" 12 \
	"attempts: 3 emails x 4 tries"
exit 0
