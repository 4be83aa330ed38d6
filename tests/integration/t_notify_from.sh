#!/usr/bin/env bash
# smtp.from with a display name (SPEC 9): "Vigie RPS <vigie@example.org>",
# a quoted name, a name that is not ASCII; aiosmtpd (STARTTLS and AUTH)
# sees the bare address as the envelope sender (MAIL FROM) and the exact
# bytes of the From header: atoms as they are, a quoted string, RFC 2047
# encoded-words; an unquoted name with a comma is refused by --check (78).
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1
source "$VIGIE_SRC/tests/integration/notify_lib.sh"

notify_certs
notify_password
notify_data
sp=$(free_port)
hp=$(free_port)
notify_webhook "$T/hook.log" "$hp" --secret "$(notify_secret)"

# send NAME FROM: a fresh database and mailbox, one cycle with smtp.from FROM.
send() {
	local name=$1 from=$2
	rm -f "$T/vigie.db"*
	notify_smtpd_tls "$T/$name" "$sp"
	notify_config "$sp" "$hp"
	$PY - "$T/vigie.yaml" "$from" <<'PY'
import sys
p, frm = sys.argv[1], sys.argv[2]
s = open(p, encoding="utf-8").read().replace("from: vigie@example.org",
    "from: '%s'" % frm.replace("'", "''"))
open(p, "w", encoding="utf-8").write(s)
PY
	expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --check
	expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/data.csv"
	expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
	notify_stop "$SMTPD_PID"
	expect_eq "$(notify_count "$T/$name")" 3 "messages with from: $from"
}

# check NAME HEADER_LINE DECODED: every message's From line, byte for byte,
# its decoded display name, and the envelope sender.
check() {
	$PY - "$T/$1" "$2" "$3" <<'PY' || fail "From of $1"
import email, glob, sys
from email.header import decode_header, make_header
from email.utils import parseaddr
d, want, name = sys.argv[1], sys.argv[2].encode() + b"\r\n", sys.argv[3]
for path in glob.glob(d + "/*.eml"):
    raw = open(path, "rb").read()
    head = raw.split(b"\r\n\r\n", 1)[0] + b"\r\n"
    line = [l for l in head.split(b"\r\n") if l.startswith(b"From:")]
    assert len(line) == 1, head
    start = head.index(b"From:")
    got = head[start:head.index(b"\r\n", start) + 2]
    assert got == want, (got, want)
    m = email.message_from_bytes(raw)
    shown, addr = parseaddr(str(make_header(decode_header(m["From"]))))
    assert (shown, addr) == (name, "vigie@example.org"), (shown, addr)
for line in open(d + "/envelopes"):
    assert line.split()[0] == "vigie@example.org", line
PY
}

send plain "Vigie RPS <vigie@example.org>"
check plain "From: Vigie RPS <vigie@example.org>" "Vigie RPS"
# The envelope is the bare address, for each of the three recipients.
expect_eq "$(sort -u "$T/plain/mail-from")" "vigie@example.org" "MAIL FROM"

send quoted '"Vigie, RPS" <vigie@example.org>'
check quoted 'From: "Vigie, RPS" <vigie@example.org>' "Vigie, RPS"

send accents "Vigie Santé au travail <vigie@example.org>"
check accents "From: =?UTF-8?Q?Vigie_Sant=C3=A9_au_travail?= <vigie@example.org>" \
	"Vigie Santé au travail"

# An unquoted name with a comma is not a mailbox: --check says where.
sed -i "s|^  from: .*|  from: 'Vigie, RPS <vigie@example.org>'|" "$T/vigie.yaml"
expect_exit 78 "$VIGIED" -c "$T/vigie.yaml" --check
expect_grep 'smtp.from "Vigie, RPS <vigie@example.org>": a display name with , ; : @ ( ) [ ] \ or " must be quoted' "$T/err"
exit 0
