#!/usr/bin/env bash
# Email digests end to end (SPEC 9): vigied --once against an aiosmtpd server
# that requires STARTTLS and AUTH; routing by scope for two roles; headers
# and parts of the digest; the accented subject decoded back exactly; a
# recipient refused with 550 fails alone while the others get theirs.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1
source "$VIGIE_SRC/tests/integration/notify_lib.sh"

notify_certs
notify_password
notify_data
sp=$(free_port)
hp=$(free_port)
notify_smtpd_tls "$T/mail" "$sp" --refuse drh@example.org
notify_webhook "$T/hook.log" "$hp" --secret "$(notify_secret)"
notify_config "$sp" "$hp"

expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/data.csv"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once

# Routing: marie gets nancy (first route of social-worker), the service
# social gets metz (second route); drh was refused by the server.
ls "$T/mail" >"$T/received"
expect_eq "$(notify_count "$T/mail")" 2 "messages received"
expect_grep "-marie.martin@example.org.eml" "$T/received"
expect_grep "-service-social@example.org.eml" "$T/received"
expect_eq "$(notify_sql "SELECT status FROM message WHERE target = 'marie.martin@example.org'")" sent
expect_eq "$(notify_sql "SELECT status FROM message WHERE target = 'service-social@example.org'")" sent
expect_eq "$(notify_sql "SELECT status FROM message WHERE target = 'drh@example.org'")" failed
notify_sql "SELECT last_error FROM message WHERE target = 'drh@example.org'" >"$T/drh.err"
expect_eq "$(cat "$T/drh.err")" "SMTP RCPT TO refused: 550 5.1.1 mailbox unavailable"
expect_eq "$(notify_sql "SELECT count(*) FROM attempt WHERE ok = 1")" 3 "two emails and the webhook"

$PY - "$T/mail" <<'PY' || fail "digest checks failed"
import email, glob, os, re, sys
from email.header import decode_header, make_header
from email import policy

def check(path, unit, other, word):
    raw = open(path, "rb").read()
    head, _, _ = raw.partition(b"\r\n\r\n")
    # CRLF everywhere, no line over 76 characters (78 is the RFC limit).
    assert b"\n" not in raw.replace(b"\r\n", b""), "bare LF in " + path
    for line in raw.split(b"\r\n"):
        assert len(line) <= 76, (path, line)
    m = email.message_from_bytes(raw)
    subject = str(make_header(decode_header(m["Subject"])))
    want = "[Vigie] %s\u202f: Conflits répétés\u202f: équipe à soutenir — %s" % (word, unit)
    assert subject == want, (subject, want)
    for h in ("From", "To", "Date", "Message-ID"):
        assert m[h], h
    assert m["MIME-Version"] == "1.0"
    assert m["Auto-Submitted"] == "auto-generated"
    assert m.get_content_type() == "multipart/alternative"
    parts = m.get_payload()
    assert [p.get_content_type() for p in parts] == ["text/plain", "text/html"]
    for p in parts:
        assert p["Content-Transfer-Encoding"] == "quoted-printable"
        assert p.get_content_charset() == "utf-8"
    text = parts[0].get_payload(decode=True).decode("utf-8")
    html = parts[1].get_payload(decode=True).decode("utf-8")
    assert unit in text and other not in text, text
    assert "vigie ack conflicts-high@%s --by NOM" % unit in text, text
    # French typography: a narrow no-break space before ";"
    assert "Proposer une médiation\u202f; rencontrer le manager." in text, text
    assert "Dernières périodes" in text
    # the alert also goes to hr: said of that alert (professional secrecy)
    assert "\n  Aussi envoyée à\u202f: RH\r\n" in text, text
    assert "Ces alertes" not in text, text
    assert "<table" in html and "&lt;" not in unit
    assert re.search(r"Message-ID: <msg_[^@>]+@example\.org>", head.decode()), head

d = sys.argv[1]
[marie] = glob.glob(d + "/*-marie.martin@example.org.eml")
[service] = glob.glob(d + "/*-service-social@example.org.eml")
check(marie, "acme/nancy/logistique", "acme/metz", "critique")
check(service, "acme/metz/accueil", "acme/nancy", "vigilance")
PY

# The webhook of the hr role got both alerts, signed.
expect_grep '"verified": true' "$T/hook.log"
expect_grep 'conflicts-high@acme/metz/accueil' "$T/hook.log"
expect_grep 'conflicts-high@acme/nancy/logistique' "$T/hook.log"

# A second cycle sends nothing again.
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_eq "$(notify_count "$T/mail")" 2 "messages after a second cycle"
exit 0
