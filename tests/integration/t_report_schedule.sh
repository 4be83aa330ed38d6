#!/usr/bin/env bash
# The scheduled works council report (SPEC 15, report: every/to/format):
# with the SMTP server down the report waits in the outbox, then goes out
# exactly once when it is back, as a multipart/mixed email with a text part
# and the PDF of the last quarter attached (pdfinfo: A4); no second email
# at the next cycles of a running daemon nor after a restart; the audit log
# records the export; the configuration refuses a report to an unknown role;
# a server that takes less than the report refuses it for good, for its
# size (not held as if smtp.from were wrong).
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1
source "$VIGIE_SRC/tests/integration/notify_lib.sh"
command -v pdfinfo >/dev/null || { echo "pdfinfo missing"; exit 77; }
$PY -c 'import aiosmtpd' 2>/dev/null || { echo "python3-aiosmtpd missing"; exit 77; }

# Data up to the last month of the last complete quarter, whatever today is.
read -r FROM TO < <($PY - "$T/data.csv" <<'PY'
import datetime, random, sys
today = datetime.datetime.now(datetime.timezone.utc).date()
q_end = (today.year * 12 + (today.month - 1) // 3 * 3) - 1     # month index
rnd = random.Random(3)
rows = ["unit,period,headcount,workable_days,absence_days,conflicts"]
for m in range(q_end - 23, q_end + 1):
    for t, h in (("acme/a/x", 12), ("acme/a/y", 9), ("acme/b/z", 20), ("acme/b/tiny", 3)):
        rows.append("%s,%04d-%02d,%d,%d,%d,%d" % (t, m // 12, m % 12 + 1, h, 20 * h,
                                                  rnd.randint(0, h), rnd.randint(0, 1)))
open(sys.argv[1], "w").write("\n".join(rows) + "\n")
f = q_end - 2
print("%04d-%02d %04d-%02d" % (f // 12, f % 12 + 1, q_end // 12, q_end % 12 + 1))
PY
)
[ -n "$TO" ] || fail "could not generate the data"
mkdir -p "$T/rules.d" "$T/mail"
cat >"$T/rules.d/r.yaml" <<'YAML'
rules:
  - id: conflicts-high
    title: "Conflits"
    value: conflicts
    above: { critical: 1000 }
    labels: { theme: climat }
YAML
PORT=$(free_port)
write_config() {
	cat >"$T/vigie.yaml" <<YAML
database: $T/vigie.db
rules: $T/rules.d
interval: 1s
$(smtp_plain "$PORT")
recipients:
  hr:
    - email: [drh@example.org]
  social-worker:
    - email: [as@example.org]
report:
  every: quarter
  to: [$1]
  format: pdf
YAML
}

# A role without recipients is refused where it is written.
write_config nobody
expect_exit 78 "$VIGIED" -c "$T/vigie.yaml" --check
expect_grep "vigie.yaml:16:8: error: report.to: role \"nobody\" is not in recipients" "$T/err"
write_config hr
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --check
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/data.csv"

# The server is down: the report waits in the outbox.
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_grep "works council report $FROM..$TO queued for 1 address" "$T/err"
expect_eq "$(sqlite3 "$T/vigie.db" "SELECT status || ' ' || attempts FROM message")" "pending 1"
expect_eq "$(ls "$T/mail" | grep -c eml)" 0

# It is back: one email, and only one.
notify_smtpd "$T/mail" "$PORT"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
wait_for test -e "$T/mail/0001-drh@example.org.eml" || fail "no report received"
expect_eq "$(sqlite3 "$T/vigie.db" "SELECT status FROM message")" "sent"
$PY - "$T/mail/0001-drh@example.org.eml" "$T/att.pdf" "$FROM" "$TO" >"$T/mail.out" 2>&1 <<'PY' || { cat "$T/mail.out"; fail "the report email is wrong"; }
import email, email.policy, sys
m = email.message_from_bytes(open(sys.argv[1], "rb").read(), policy=email.policy.default)
assert m.get_content_type() == "multipart/mixed", m.get_content_type()
assert m["Subject"].startswith("Rapport au CSE\u202f: indicateurs de "), m["Subject"]
assert m["Auto-Submitted"] == "auto-generated"
parts = list(m.iter_parts())
assert [p.get_content_type() for p in parts] == ["text/plain", "application/pdf"], parts
name = "rapport-cse-%s-%s.pdf" % (sys.argv[3], sys.argv[4])
assert parts[1].get_filename() == name, parts[1].get_filename()
assert name in parts[0].get_content(), parts[0].get_content()
assert "ne nomme personne" in parts[0].get_content()
open(sys.argv[2], "wb").write(parts[1].get_content())
PY
pdfinfo "$T/att.pdf" >"$T/info" || fail "the attachment is not a PDF"
expect_grep "595.276 x 841.89 pts (A4)" "$T/info"
pages=$(sed -n 's/^Pages: *//p' "$T/info")
[ "$pages" -ge 5 ] || fail "the attached report has $pages pages"
pdftotext "$T/att.pdf" "$T/att.txt"
expect_grep "Rapport au comité social et économique" "$T/att.txt"
expect_grep "Équipe acme/a/x" "$T/att.txt"
expect_no_grep "acme/b/tiny" "$T/att.txt"

# The next cycles of a running daemon, then a restart: nothing more.
VIGIE_DEBUG=1 "$VIGIED" -c "$T/vigie.yaml" 2>"$T/vigied.err" &
VPID=$!
PIDS+=("$VPID")
wait_for sh -c "[ \$(grep -c 'cycle: .* units, 1 rules' '$T/vigied.err') -ge 3 ]" ||
	{ cat "$T/vigied.err"; fail "the daemon did not run three cycles"; }
kill -TERM "$VPID"
wait "$VPID"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
sleep 0.5
expect_eq "$(ls "$T/mail" | grep -c eml)" 1 "emails after more cycles and a restart"
expect_eq "$(sqlite3 "$T/vigie.db" "SELECT count(*) FROM message")" 1
expect_eq "$(sqlite3 "$T/vigie.db" "SELECT actor || ' ' || via || ' ' || action || ' ' || object || ' | ' || detail FROM audit")" \
	"vigied daemon export report $FROM..$TO | pdf by email to hr"
notify_stop "$SMTPD_PID"

# A server that takes less than the report (its SIZE, RFC 1870): refused
# at MAIL FROM with 552, which is the message's fault, not smtp.from's:
# failed for good and said so, not held and tried again every hour.
rm -f "$T/vigie.db"*
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/data.csv"
notify_smtpd "$T/small" "$PORT" --size-limit 20000
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
size=$(sqlite3 "$T/vigie.db" "SELECT last_error FROM message" | sed -n 's/.*(\([0-9]*\) bytes).*/\1/p')
[ "${size:-0}" -gt 20000 ] || fail "the refused report's size: '$size'"
want="SMTP message refused as too large ($size bytes): 552 Error: message size exceeds fixed maximum message size"
expect_eq "$(sqlite3 "$T/vigie.db" "SELECT status || ' ' || (failed_config IS NULL) || ' ' || last_error FROM message")" \
	"failed 1 $want" "the report refused for its size"
expect_grep "$want" "$T/err"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_eq "$(sqlite3 "$T/vigie.db" "SELECT attempts FROM message")" 1 "attempts at the refused report"
expect_eq "$(ls "$T/small" | grep -c eml)" 0 "emails through the small server"
notify_stop "$SMTPD_PID"
exit 0
