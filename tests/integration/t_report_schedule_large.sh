#!/usr/bin/env bash
# A scheduled works council report whose email is larger than 10 MB
# (Postfix's default message_size_limit, the smallest limit in common use;
# vigied(8), vigie.yaml(5)) is logged as a warning when it is sent, with
# its size and how to split it (one report a company or site); it is sent
# all the same, to a server that takes it. A smaller one says nothing.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1
source "$VIGIE_SRC/tests/integration/notify_lib.sh"
$PY -c 'import aiosmtpd' 2>/dev/null || { echo "python3-aiosmtpd missing"; exit 77; }

# A group of 2 companies, 4 sites, 400 teams; data up to the last month of
# the last complete quarter, whatever today is.
read -r FROM TO < <($PY - "$T/data.csv" <<'PY'
import datetime, random, sys
today = datetime.datetime.now(datetime.timezone.utc).date()
q_end = (today.year * 12 + (today.month - 1) // 3 * 3) - 1     # month index
rnd = random.Random(11)
teams = ["%s/%s/t%03d" % (c, s, i) for c, sites in (("alpha", ("lyon", "grenoble")),
         ("beta", ("nantes", "angers"))) for s in sites for i in range(100)]
rows = ["unit,period,headcount,workable_days,absence_days,conflicts"]
for m in range(q_end - 14, q_end + 1):
    for t in teams:
        h = 8 + hash(t) % 7
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
YAML
PORT=$(free_port)
cat >"$T/vigie.yaml" <<YAML
database: $T/vigie.db
rules: $T/rules.d
$(smtp_plain "$PORT")
recipients:
  hr:
    - email: [drh@example.org]
report:
  - { every: quarter, to: [hr], unit: alpha/lyon/t000 }
  - { every: quarter, to: [hr] }
YAML
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/data.csv"
notify_smtpd "$T/mail" "$PORT" --size-limit 40000000
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
wait_for sh -c "[ \$(ls '$T/mail' | grep -c eml) -ge 2 ]" || fail "the two reports were not received"
big=$(ls -S "$T"/mail/*.eml | head -n 1)
size=$(stat -c %s "$big")
[ "$size" -gt 10240000 ] || fail "the group's report is only $size bytes: the test needs more than 10 MB"
expect_eq "$(grep -c "works council report .*: the email is" "$T/err")" 1 "warnings of a large report"
mb=$(grep -o 'the email is [0-9.]* MB' "$T/err" | grep -o '[0-9.]*')
expect_grep "<4>vigied: works council report $FROM..$TO of every unit: the email is $mb MB, more than the 10 MB many mail servers refuse (Postfix's default message_size_limit); schedule one report a company or site (report: as a list, one unit each, vigie.yaml(5)), or download it from the console" "$T/err"
# the figure is the email's size, as sent (the sink keeps the bytes as
# received, with CRLF)
$PY -c "import sys; a, b = float(sys.argv[1]), int(sys.argv[2]) / 1e6; sys.exit(abs(a - b) > 0.2)" "$mb" "$size" ||
	fail "the warning says $mb MB for an email of $size bytes"
expect_eq "$(sqlite3 "$T/vigie.db" "SELECT group_concat(status, ' ') FROM message")" "sent sent" "both reports sent"
notify_stop "$SMTPD_PID"
exit 0
