#!/usr/bin/env bash
# Disclosure control end to end (SPEC 3) with the real binaries: the
# differencing attacks of the issue that asked for cells, on the outputs a
# user sees. (a) The demo with the shipped rules: the team of 3 that filed a
# harassment report in valdis/epinal is hidden, and no longer with every
# other team of the site shown, so the site minus its shown teams is a
# group of at least the floor; the site itself (over 100 people a month) is
# left to its teams by the library's harassment rule, so nothing fires
# there, and no alert names the hidden teams. (d) Reading back in time, through the
# daemon and a real SMTP server: a report filed while a team had 4 people is
# not emailed in the month a fifth joins, and the 12 periods of an email
# show the months a team was hidden as hidden. Dominance: a team whose most
# absent employee has 90 % of the absence days (absence_days_max in the CSV)
# never fires, in eval and backtest, and a rule cannot read absence_days_max.
# Confidential indicators: vigied --check and vigie check refuse a rule that
# sends social_worker_contacts to HR, unless confidential_roles lets HR in.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1

# --- (a) the demo ---------------------------------------------------------
mkdir -p "$T/demo"
cat >"$T/demo/vigie.yaml" <<YAML
database: $T/demo/vigie.db
rules: $SRC/etc/rules.d
YAML
D=(-c "$T/demo/vigie.yaml")
expect_exit 0 "$VIGIE" "${D[@]}" import "$SRC"/contrib/demo/valdis-*.csv
expect_exit 0 "$VIGIE" "${D[@]}" eval --rule harassment --format json
cp "$T/out" "$T/demo/harassment.json"
$PY - "$T/demo/harassment.json" "$SRC"/contrib/demo/valdis-*.csv <<'PY' || fail "the demo's harassment alert still gives the team of 3 away"
import csv, io, json, sys
rows = {r["unit"]: r for r in json.load(open(sys.argv[1]))}
head = {}
for path in sys.argv[2:]:
    text = open(path, encoding="utf-8-sig").read()
    for r in csv.DictReader(io.StringIO(text), delimiter=";"):
        head[(r["unit"], r["period"])] = float(r["headcount"].replace(",", "."))
site = "valdis/epinal"
kids = sorted(u for u in rows if u.startswith(site + "/"))
assert not rows[site]["suppressed"] and not rows[site]["active"], rows[site]
assert rows[site + "/entretien"]["suppressed"], rows[site + "/entretien"]
hidden = [u for u in kids if rows[u]["suppressed"]]
shown = [u for u in kids if not rows[u]["suppressed"]]
# the site minus its shown teams: the hidden group, of at least 5 people
# in each month of the 3-month window
assert len(hidden) >= 2 and shown, (hidden, shown)
for p in ("2026-08", "2026-09", "2026-10"):
    n = sum(head[(u, p)] for u in hidden)
    assert n >= 5, (p, hidden, n)
assert all(not rows[u]["active"] for u in kids), [u for u in kids if rows[u]["active"]]
print("valdis/epinal: 1 report; hidden group %s" % ", ".join(hidden))
PY
# alerts show no team of that site
expect_exit 0 "$VIGIE" "${D[@]}" backtest --from 2026-01 --to 2026-10 --rule harassment --format json
expect_no_grep '"unit":"valdis/epinal/entretien"' "$T/out"
expect_no_grep '"unit":"valdis/epinal/expedition"' "$T/out"

# --- (d) back in time, through the daemon and SMTP -------------------------
sp=$(free_port)
make_config "smtp:
  url: smtp://127.0.0.1:$sp
  starttls: none
  from: vigie@example.org
  timeout: 5s
recipients:
  social-worker:
    - email: [sw@example.org]
default_notify: [social-worker]"
# A rule that fires on one report: the library's needs 27 months of history.
cat >"$T/rules.d/harassment.yaml" <<'YAML'
rules:
  - id: harassment
    title: "Signalements de harcèlement"
    value: sum(harassment_reports, 3)
    above: { critical: 0 }
    decimals: 0
    summary: "{{value}} signalement de harcèlement sur 3 mois ({{unit}})"
YAML
$PY "$SRC/tests/integration/notify_smtpd.py" --port "$sp" --dir "$T/mail" >>"$T/smtpd.log" 2>&1 &
PIDS+=($!)
wait_for test -e "$T/mail/ready" || { cat "$T/smtpd.log"; fail "SMTP server did not start"; }
C=(-c "$T/vigie.yaml")
# t: 3 people in January and February, 4 in March (a report), 5 from April.
# big hides with t while t is below the floor (the site minus big would be
# t); big gets a report in May.
cat >"$T/q1.csv" <<'CSV'
unit,period,headcount,harassment_reports
acme/s/t,2026-01,3,0
acme/s/t,2026-02,3,0
acme/s/t,2026-03,4,1
acme/s/big,2026-01,30,0
acme/s/big,2026-02,30,0
acme/s/big,2026-03,30,0
CSV
cat >"$T/q2.csv" <<'CSV'
unit,period,headcount,harassment_reports
acme/s/t,2026-04,5,0
acme/s/big,2026-04,30,0
CSV
cat >"$T/q3.csv" <<'CSV'
unit,period,headcount,harassment_reports
acme/s/t,2026-05,5,0
acme/s/t,2026-06,5,0
acme/s/big,2026-05,30,1
acme/s/big,2026-06,30,0
CSV
for f in q1 q2 q3; do
	expect_exit 0 "$VIGIE" "${C[@]}" import "$T/$f.csv"
	expect_exit 0 "$VIGIED" "${C[@]}" --once
	cp "$T/err" "$T/$f.log"
done
# No alert, no event, no email ever names acme/s/t.
expect_exit 0 "$VIGIE" "${C[@]}" alerts --all --format json
expect_no_grep '"acme/s/t"' "$T/out"
expect_eq "$(sqlite3 "$T/vigie.db" "SELECT count(*) FROM event WHERE unit = 'acme/s/t'")" 0 "events of acme/s/t"
for f in "$T"/mail/*.eml; do
	expect_no_grep "acme/s/t" "$f"
done
cat "$T"/q*.log >"$T/logs"
expect_no_grep "acme/s/t" "$T/logs"
# The site (34 people) fired in March; big fired in June only, when its
# window no longer reaches the months it hid with t; its email's history
# shows those months hidden.
expect_grep "harassment@acme/s firing critical at 2026-03" "$T/logs"
expect_grep "harassment@acme/s/big firing critical at 2026-06" "$T/logs"
expect_no_grep "harassment@acme/s/big firing critical at 2026-05" "$T/logs"
big=$(grep -l 'acme/s/big' "$T"/mail/*.eml | head -n 1)
[ -n "$big" ] || fail "no email about acme/s/big"
$PY - "$big" <<'PY' || fail "the email of acme/s/big shows the months it was hidden"
import email, re, sys
m = email.message_from_bytes(open(sys.argv[1], "rb").read())
text = m.get_payload()[0].get_payload(decode=True).decode("utf-8")
hist = dict(re.findall(r"(20\d\d-\d\d) (\S+)", text.split("Dernières périodes")[1]))
assert len(hist) == 12, (hist, text)
# January to March big hid with t; April and May reach back to them: no
# figure, and each says why: in January and February the 3-month window
# reaches back before the data (undefined before any cell is read), March
# to May read a hidden cell
for p in ("2026-01", "2026-02"):
    assert hist[p] == "non", (p, hist[p])   # « non calculée »
for p in ("2026-03", "2026-04", "2026-05"):
    assert hist[p] == "masquée", (p, hist[p])
assert hist["2026-06"] == "1", hist
PY
# the database keeps no value of t in the events' histories either
sqlite3 "$T/vigie.db" "SELECT history FROM event WHERE unit = 'acme/s/big' AND kind = 'firing'" >"$T/hist"
expect_grep '["2026-03", null]' "$T/hist"

# --- dominance -----------------------------------------------------------
mkdir -p "$T/dom/rules.d"
cat >"$T/dom/vigie.yaml" <<YAML
database: $T/dom/vigie.db
rules: $T/dom/rules.d
YAML
cat >"$T/dom/rules.d/abs.yaml" <<'YAML'
rules:
  - id: absenteeism-rate
    title: "Taux d'absentéisme élevé"
    value: 100 * sum(absence_days, 3) / sum(workable_days, 3)
    above: { warning: 6, critical: 9, clear: 5 }
YAML
# eight: 8 people, 30 absence days a month of which 27 for one person.
cat >"$T/dom/data.csv" <<'CSV'
unit,period,headcount,workable_days,absence_days,absence_days_max
acme/s/eight,2026-01,8,168,30,27
acme/s/eight,2026-02,8,168,30,27
acme/s/eight,2026-03,8,168,30,27
acme/s/other,2026-01,40,840,20,5
acme/s/other,2026-02,40,840,20,5
acme/s/other,2026-03,40,840,20,5
CSV
M=(-c "$T/dom/vigie.yaml")
expect_exit 0 "$VIGIE" "${M[@]}" import "$T/dom/data.csv"
expect_exit 0 "$VIGIE" "${M[@]}" eval --unit 'acme/s/*' --format json
diff -u - "$T/out" <<'EOF' || fail "a dominated team is shown"
[
{"rule":"absenteeism-rate","unit":"acme/s/eight","period":"2026-03","value":null,"level":null,"active":false,"severity":null,"suppressed":true},
{"rule":"absenteeism-rate","unit":"acme/s/other","period":"2026-03","value":null,"level":null,"active":false,"severity":null,"suppressed":true}
]
EOF
expect_exit 0 "$VIGIE" "${M[@]}" backtest --from 2026-01 --to 2026-03 --format json
expect_no_grep '"acme/s/eight"' "$T/out"
# the same data without the companion fires (the test can fail)
sed 's/,[0-9]*$//; 1s/,absence_days_max//' "$T/dom/data.csv" >"$T/dom/plain.csv"
rm -f "$T/dom/vigie.db"
expect_exit 0 "$VIGIE" "${M[@]}" import "$T/dom/plain.csv"
expect_exit 0 "$VIGIE" "${M[@]}" eval --unit acme/s/eight --format json
expect_grep '"severity":"critical","suppressed":false' "$T/out"
# a rule cannot read the companion
printf 'rules:\n  - {id: m, title: t, value: absence_days_max, above: {warning: 1}}\n' >"$T/dom/max.yaml"
expect_exit 1 "$VIGIE" check "$T/dom/max.yaml"
expect_grep "$T/dom/max.yaml:2:30: error: absence_days_max is the dominance companion of absence_days" "$T/err"

# --- a site's own staff ----------------------------------------------------
# The site exports its total (53 people, 1 harassment report) beside its two
# teams (20 and 30, none): without protection, 1 - 0 - 0 gives the report of
# the 3 people attached to the site itself. The team of 20 is hidden with
# them; the site and the team of 30 stay shown.
mkdir -p "$T/own/rules.d"
cat >"$T/own/rules.d/h.yaml" <<'YAML'
rules:
  - id: reports
    title: "Signalements"
    value: harassment_reports
    above: { warning: 1 }
YAML
printf 'database: %s\nrules: %s\n' "$T/own/vigie.db" "$T/own/rules.d" >"$T/own/vigie.yaml"
printf 'unit,period,headcount,harassment_reports\nco/s5,2026-01,53,1\nco/s5/t1,2026-01,20,0\nco/s5/t2,2026-01,30,0\nco/s6,2026-01,40,0\n' >"$T/own/d.csv"
O=(-c "$T/own/vigie.yaml")
expect_exit 0 "$VIGIE" "${O[@]}" import "$T/own/d.csv"
expect_exit 0 "$VIGIE" "${O[@]}" eval --format json
expect_eq "$($PY -c 'import json,sys; print(" ".join("%s=%s" % (r["unit"], "hidden" if r["suppressed"] else r["value"]) for r in json.load(open(sys.argv[1]))))' "$T/out")" \
	"co=1.0 co/s5=1.0 co/s5/t1=hidden co/s5/t2=0.0 co/s6=0.0" "the site's own staff, hidden with its smaller team"
expect_exit 0 "$VIGIE" "${O[@]}" eval
expect_grep 'reports  co/s5/t1  2026-01  hidden' "$T/out"

# --- confidential indicators ------------------------------------------------
mkdir -p "$T/conf/rules.d"
cat >"$T/conf/rules.d/contacts.yaml" <<'YAML'
rules:
  - id: contacts
    title: "Sollicitations du service social"
    value: social_worker_contacts
    above: { warning: 3 }
    notify: [social-worker, hr]
YAML
printf 'database: %s\nrules: %s\n' "$T/conf/vigie.db" "$T/conf/rules.d" >"$T/conf/vigie.yaml"
expect_exit 78 "$VIGIED" -c "$T/conf/vigie.yaml" --check
expect_grep "contacts.yaml:6:13: error: rule \"contacts\" reads social_worker_contacts" "$T/err"
expect_exit 1 "$VIGIE" -c "$T/conf/vigie.yaml" check
expect_grep "which is not in confidential_roles (social-worker)" "$T/err"
# the named file alone is checked against the defaults, or the -c file
expect_exit 1 "$VIGIE" check "$T/conf/rules.d/contacts.yaml"
printf 'confidential_roles: [social-worker, hr]\n' >>"$T/conf/vigie.yaml"
expect_exit 0 "$VIGIED" -c "$T/conf/vigie.yaml" --check
expect_exit 0 "$VIGIE" -c "$T/conf/vigie.yaml" check "$T/conf/rules.d/contacts.yaml"
exit 0
