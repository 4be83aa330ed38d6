#!/usr/bin/env bash
# Retire and resume (SPEC 5.4): a rule file moved aside for one reload
# retires its alerts without a word (no resolved notification, the alert
# kept with retired = 1 and out of `vigie alerts`); moved back, its alerts
# resume with their acknowledgement and note, without a firing
# notification; what changed meanwhile (a higher value) is notified, and
# only that (escalated).
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1
command -v sqlite3 >/dev/null || { echo "sqlite3 missing"; exit 77; }
source "$VIGIE_SRC/tests/integration/notify_lib.sh"

P=$(free_port)
notify_webhook "$T/hook.log" "$P"
make_config "locale: en
webhooks:
  hook:
    url: http://127.0.0.1:$P/hook
recipients:
  hr:
    - webhook: [hook]"
cat >"$T/rules.d/10-conflicts.yaml" <<'YAML'
rules:
  - id: conflicts-high
    title: "Many conflicts"
    value: conflicts
    above: { warning: 2, critical: 5 }
    scope: "acme/*"
    notify: [hr]
YAML
cat >"$T/rules.d/20-other.yaml" <<'YAML'
rules:
  - id: headcount-low
    title: "Small team"
    value: headcount
    below: { warning: 3 }
    notify: [hr]
YAML
printf 'unit,period,headcount,conflicts\nacme/a,2026-01,10,3\nacme/b,2026-01,10,1\n' >"$T/jan.csv"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/jan.csv"

$PY "$SRC/tests/integration/daemon_notify.py" "$T/notify.sock" "$T/notify.log" &
PIDS+=($!)
wait_for test -S "$T/notify.sock" || fail "notification socket not created"
touch "$T/notify.log"
NOTIFY_SOCKET="$T/notify.sock" "$VIGIED" -c "$T/vigie.yaml" 2>"$T/vigied.err" &
VPID=$!
PIDS+=($VPID)
cycles() { grep -c '^STATUS=' "$T/notify.log"; }
# cycle: SIGHUP, then wait for the cycle after the reload.
cycle() {
	local n
	n=$(cycles)
	kill -HUP "$VPID"
	for i in $(seq 1 100); do [ "$(cycles)" -gt "$n" ] && return 0; sleep 0.1; done
	cat "$T/vigied.err"; fail "no cycle after SIGHUP"
}
events() { $PY -c 'import json, sys
for l in open(sys.argv[1]):
    for a in json.loads(json.loads(l)["body"])["alerts"]:
        print(a["event"], a["id"], a["severity"])' "$T/hook.log" | sort; }
wait_for grep -q '^STATUS=' "$T/notify.log" || fail "no first cycle"
wait_for test -s "$T/hook.log" || fail "no firing notification"
expect_eq "$(events)" "firing conflicts-high@acme/a warning"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" ack conflicts-high@acme/a --by marie --note "met the team"
: >"$T/hook.log"

# Aside for one reload: retired, silently.
mv "$T/rules.d/10-conflicts.yaml" "$T/10-conflicts.yaml.off"
cycle
expect_eq "$(db "SELECT active, retired, severity, acked_by, (SELECT group_concat(body) FROM note WHERE note.alert = alert.id) FROM alert WHERE rule = 'conflicts-high'")" \
	"0|1|warning|marie|met the team"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" alerts --format json
expect_eq "$(cat "$T/out")" "[]"
# A warning (a rule file dropped by a bad deploy retires critical alerts):
# read at -p warning.
expect_grep "<4>vigied: 1 alert retired" "$T/vigied.err"
# Back: resumed with its acknowledgement, nothing sent.
mv "$T/10-conflicts.yaml.off" "$T/rules.d/10-conflicts.yaml"
cycle
expect_eq "$(db "SELECT active, retired, severity, acked_by, (SELECT group_concat(body) FROM note WHERE note.alert = alert.id) FROM alert WHERE rule = 'conflicts-high'")" \
	"1|0|warning|marie|met the team"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" alerts --format json
$PY -c 'import json, sys; a = json.load(open(sys.argv[1])); assert [(x["id"], x["acked_by"]) for x in a] == [("conflicts-high@acme/a", "marie")], a' "$T/out" ||
	fail "the alert did not resume with its acknowledgement"
sleep 0.5
expect_eq "$(grep -c . "$T/hook.log")" 0 "no notification for a rule moved aside and back"
expect_eq "$(db "SELECT group_concat(kind) FROM event WHERE rule = 'conflicts-high'")" "firing,ack"

# Aside again; meanwhile the value rises: back, only the change is sent.
mv "$T/rules.d/10-conflicts.yaml" "$T/10-conflicts.yaml.off"
cycle
printf 'unit,period,headcount,conflicts\nacme/a,2026-02,10,7\nacme/b,2026-02,10,1\n' >"$T/feb.csv"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/feb.csv"
cycle
mv "$T/10-conflicts.yaml.off" "$T/rules.d/10-conflicts.yaml"
cycle
wait_for test -s "$T/hook.log" || fail "no notification of the change"
expect_eq "$(events)" "escalated conflicts-high@acme/a critical"
expect_eq "$(db "SELECT acked_by FROM alert WHERE rule = 'conflicts-high'")" marie
kill -TERM "$VPID"
wait "$VPID" || fail "vigied did not stop cleanly"
exit 0
