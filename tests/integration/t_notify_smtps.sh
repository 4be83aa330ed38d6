#!/usr/bin/env bash
# smtp.url smtps://HOST:PORT (SPEC 9): TLS from the first byte (implicit
# TLS, port 465 in the field), with AUTH inside it; the certificate is
# verified against ca_file (a server whose certificate another CA signed is
# refused, nothing sent); a plain server on that port is never spoken to in
# clear. Then a real cycle's digest goes the same way.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1
source "$VIGIE_SRC/tests/integration/notify_lib.sh"

notify_certs
notify_password
notify_data
sp=$(free_port)
hp=$(free_port)
notify_smtpd_tls "$T/mail" "$sp" --implicit-tls
notify_webhook "$T/hook.log" "$hp"
notify_config "$sp" "$hp"
sed -i "s|url: smtp://127.0.0.1:$sp|url: smtps://127.0.0.1:$sp|" "$T/vigie.yaml"
expect_grep "url: smtps://127.0.0.1:$sp" "$T/vigie.yaml"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --check

expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" notify-test social-worker --unit acme/metz
expect_eq "$(cat "$T/out")" "email service-social@example.org: ok"
expect_eq "$(notify_count "$T/mail")" 1
expect_eq "$(cat "$T/mail/envelopes")" "vigie@example.org service-social@example.org"

# The certificate is checked: ca_file names another CA.
sed -i "s|ca_file: $T/tls/ca.pem|ca_file: $T/tls/other-ca.pem|" "$T/vigie.yaml"
expect_exit 69 "$VIGIE" -c "$T/vigie.yaml" notify-test social-worker --unit acme/metz
expect_grep "email service-social@example.org: failed: " "$T/out"
expect_grep "certificate" "$T/out"
expect_eq "$(notify_count "$T/mail")" 1 "a message went to an unverified server"
sed -i "s|ca_file: $T/tls/other-ca.pem|ca_file: $T/tls/ca.pem|" "$T/vigie.yaml"

# A server that speaks SMTP in clear on the smtps port: no TLS, no mail.
notify_stop "$SMTPD_PID"
notify_smtpd "$T/plain" "$sp"
expect_exit 69 "$VIGIE" -c "$T/vigie.yaml" notify-test social-worker --unit acme/metz
expect_grep "email service-social@example.org: failed: " "$T/out"
expect_eq "$(cat "$T/plain/mail-from" 2>/dev/null)" "" "MAIL FROM sent in clear"
expect_eq "$(notify_count "$T/plain")" 0

# A cycle: the digests go over implicit TLS.
notify_stop "$SMTPD_PID"
notify_smtpd_tls "$T/mail" "$sp" --implicit-tls
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/data.csv"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_eq "$(cut -d' ' -f2 "$T/mail/envelopes" | sort | tr '\n' ' ')" \
	"drh@example.org marie.martin@example.org service-social@example.org service-social@example.org "
expect_eq "$(notify_sql "SELECT count(*) FROM message WHERE status != 'sent'")" 0
exit 0
