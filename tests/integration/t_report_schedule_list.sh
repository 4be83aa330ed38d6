#!/usr/bin/env bash
# Scheduled works council reports as a list (vigie.yaml(5), SPEC 15): a
# group schedules one report per company, each with its own unit and
# recipients; vigied sends each once for the last quarter, to the route of
# its unit, each email carrying its own company's report and no other's;
# nothing more at the next cycles nor after a restart (each report keeps
# its own marker of the span sent: two reports of one span do not take
# each other's); the audit log records both exports; vigied --check
# refuses a second report of the same unit where it is written. A
# database whose single report of a unit sent the span before reports
# could be a list (its marker under report_last_to) does not send it
# again, neither as that single report nor once it is written in a list
# with another company's, which goes.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1
source "$VIGIE_SRC/tests/integration/notify_lib.sh"
$PY -c 'import aiosmtpd' 2>/dev/null || { echo "python3-aiosmtpd missing"; exit 77; }

# Data up to the last month of the last complete quarter, whatever today is.
read -r FROM TO TOI < <($PY - "$T/data.csv" <<'PY'
import datetime, random, sys
today = datetime.datetime.now(datetime.timezone.utc).date()
q_end = (today.year * 12 + (today.month - 1) // 3 * 3) - 1     # month index
rnd = random.Random(5)
rows = ["unit,period,headcount,workable_days,absence_days,conflicts"]
for m in range(q_end - 23, q_end + 1):
    for t, h in (("alpha/lyon/a", 12), ("alpha/lyon/b", 9), ("beta/nantes/c", 20),
                 ("beta/nantes/d", 14)):
        rows.append("%s,%04d-%02d,%d,%d,%d,%d" % (t, m // 12, m % 12 + 1, h, 20 * h,
                                                  rnd.randint(0, h), rnd.randint(0, 1)))
open(sys.argv[1], "w").write("\n".join(rows) + "\n")
f = q_end - 2
print("%04d-%02d %04d-%02d %d" % (f // 12, f % 12 + 1, q_end // 12, q_end % 12 + 1, q_end))
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
    - scope: [alpha, "alpha/**"]
      email: [rh-alpha@example.org]
    - scope: [beta, "beta/**"]
      email: [rh-beta@example.org]
report:
  - every: quarter
    to: [hr]
    unit: alpha
    format: json
  - every: quarter
    to: [hr]
    unit: $1
    format: json
YAML
}

# A second report of one unit is refused where it is written.
write_config alpha
expect_exit 78 "$VIGIED" -c "$T/vigie.yaml" --check
expect_grep "vigie.yaml:20:5: error: report: a second report of alpha (the first at line 16): one report a unit; give it every role in its to" "$T/err"
write_config beta
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --check
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/data.csv"

notify_smtpd "$T/mail" "$PORT"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_grep "works council report $FROM..$TO of alpha queued for 1 address" "$T/err"
expect_grep "works council report $FROM..$TO of beta queued for 1 address" "$T/err"
wait_for sh -c "[ \$(ls '$T/mail' | grep -c eml) -ge 2 ]" || fail "the two reports were not received"
expect_eq "$(sqlite3 "$T/vigie.db" "SELECT group_concat(target || ' ' || status, '; ') FROM (SELECT * FROM message ORDER BY target)")" \
	"rh-alpha@example.org sent; rh-beta@example.org sent" "the two reports' messages"
# Each email carries its own company's report, and no other's.
for c in alpha beta; do
	f=$(ls "$T"/mail/*-rh-$c@example.org.eml) || fail "no report for $c"
	$PY - "$f" "$c" "$FROM" "$TO" >"$T/mail.out" 2>&1 <<'PY' || { cat "$T/mail.out"; fail "the report email of $c is wrong"; }
import email, email.policy, json, sys
m = email.message_from_bytes(open(sys.argv[1], "rb").read(), policy=email.policy.default)
parts = list(m.iter_parts())
assert [p.get_content_type() for p in parts] == ["text/plain", "application/json"], parts
# Whose report it is, in the subject and the attachment's name.
name = "rapport-cse-%s-%s-%s.json" % (sys.argv[2], sys.argv[3], sys.argv[4])
assert parts[1].get_filename() == name, parts[1].get_filename()
assert m["Subject"].startswith("Rapport au CSE\u202f: %s, indicateurs de " % sys.argv[2]), m["Subject"]
doc = parts[1].get_content()
doc = doc if isinstance(doc, str) else doc.decode()
units = set()
def walk(o):
    if isinstance(o, dict):
        for k, v in o.items():
            if k in ("unit", "path") and isinstance(v, str):
                units.add(v)
            walk(v)
    elif isinstance(o, list):
        for v in o:
            walk(v)
walk(json.loads(doc))
other = "beta" if sys.argv[2] == "alpha" else "alpha"
assert any(u.startswith(sys.argv[2] + "/") for u in units), units
assert not any(u == other or u.startswith(other + "/") for u in units), units
PY
done

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
expect_eq "$(ls "$T/mail" | grep -c eml)" 2 "emails after more cycles and a restart"
expect_eq "$(sqlite3 "$T/vigie.db" "SELECT count(*) FROM message")" 2
expect_eq "$(sqlite3 "$T/vigie.db" "SELECT group_concat(object || ' | ' || detail, '; ') FROM (SELECT * FROM audit WHERE action = 'export' ORDER BY id)")" \
	"report $FROM..$TO | json of unit alpha by email to hr; report $FROM..$TO | json of unit beta by email to hr" \
	"the audit log's two exports"
notify_stop "$SMTPD_PID"

# ---- the marker of a database of the days of one report
rm -f "$T/vigie.db"*
mkdir -p "$T/mail2"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/data.csv"
sqlite3 "$T/vigie.db" "INSERT INTO meta(key, value) VALUES ('report_last_to', '$TOI')" ||
	fail "could not write the old marker"
cp "$T/vigie.yaml" "$T/list.yaml"
sed -i '/^report:/,$d' "$T/vigie.yaml"
printf 'report:\n  every: quarter\n  to: [hr]\n  unit: alpha\n  format: json\n' >>"$T/vigie.yaml"
notify_smtpd "$T/mail2" "$PORT"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_no_grep "queued" "$T/err"
cp "$T/list.yaml" "$T/vigie.yaml"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_no_grep "of alpha queued" "$T/err"
expect_grep "works council report $FROM..$TO of beta queued for 1 address" "$T/err"
wait_for sh -c "[ \$(ls '$T/mail2' | grep -c eml) -ge 1 ]" || fail "beta's report was not received"
sleep 0.5
expect_eq "$(ls "$T/mail2" | grep eml)" "0001-rh-beta@example.org.eml" "the reports sent after the old marker"
notify_stop "$SMTPD_PID"
exit 0
