#!/usr/bin/env bash
# vigied --once and the alert commands: transitions are recorded once and a
# second run on unchanged data leaves the database byte-identical; `vigie
# alerts` JSON has exactly the documented keys; ack stops reminders;
# a silence holds notifications but not state changes; history lists
# transitions, acknowledgements and notifications.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1

make_config "locale: en"
cat >"$T/rules.d/conflicts.yaml" <<'YAML'
rules:
  - id: conflicts-high
    title: "Many conflicts"
    value: conflicts
    above: { warning: 2, critical: 5 }
    repeat_every: 1
    notify: [hr]
YAML
cat >"$T/inbox/2026-01.csv" <<'CSV'
unit,period,headcount,conflicts
acme/a,2026-01,10,6
acme/b,2026-01,8,3
CSV

# --check: 0 when valid; 78 with every error as FILE:LINE:COL.
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --check
printf 'rules:\n  - id: Bad\n' >"$T/rules.d/zz.yaml"
expect_exit 78 "$VIGIED" -c "$T/vigie.yaml" --check
expect_grep "$T/rules.d/zz.yaml:2:" "$T/err"
expect_exit 78 "$VIGIED" -c "$T/vigie.yaml" --once
rm "$T/rules.d/zz.yaml"
[ ! -e "$T/vigie.db" ] || fail "an invalid configuration created the database"
# A database that cannot be opened: --once says the cycle could not run
# (1, SPEC 8); the daemon itself stops with 74.
sed "s|^database: .*|database: $T/missing/dir/vigie.db|" "$T/vigie.yaml" >"$T/nodb.yaml"
expect_exit 1 "$VIGIED" -c "$T/nodb.yaml" --once
expect_exit 74 timeout 10 "$VIGIED" -c "$T/nodb.yaml"
expect_exit 64 "$VIGIED" --bogus

# --once twice on unchanged data: transitions once, identical dump but for
# the idle cycle's row (its time is what `vigie status` shows).
idle_rows() { grep -v '^INSERT INTO cycle VALUES(.*,1);$'; }
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_eq "$(db "SELECT group_concat(kind || ' ' || unit || ' ' || severity, ', ') FROM (SELECT * FROM event ORDER BY unit)")" \
	"firing acme critical, firing acme/a critical, firing acme/b warning"
sqlite3 "$T/vigie.db" .dump | idle_rows >"$T/dump1"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
sqlite3 "$T/vigie.db" .dump | idle_rows >"$T/dump2"
cmp -s "$T/dump1" "$T/dump2" || { diff "$T/dump1" "$T/dump2"; fail "second --once changed the database"; }

# alerts --format json: exactly the documented keys, in order.
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" alerts --format json
$PY - "$T/out" <<'PY' || fail "alerts JSON"
import json, sys
a = json.load(open(sys.argv[1]))
keys = ["id", "rule", "unit", "severity", "value", "threshold", "since",
        "period", "acked_by", "acked_at", "silenced", "inhibited_by"]
assert all(list(x) == keys for x in a), [list(x) for x in a]
b = {x["id"]: x for x in a}
assert sorted(b) == ["conflicts-high@acme", "conflicts-high@acme/a", "conflicts-high@acme/b"], b
x = b["conflicts-high@acme/b"]
assert (x["severity"], x["value"], x["threshold"], x["since"], x["period"],
        x["acked_by"], x["acked_at"], x["silenced"]) == \
       ("warning", 3, 2, "2026-01", "2026-01", None, None, False), x
assert all(x["inhibited_by"] == [] for x in a), a
PY

# Now with a recipient (a closed port: messages stay pending).
port=$(free_port)
cat >>"$T/vigie.yaml" <<YAML
recipients:
  hr:
    - webhook: [hook]
webhooks:
  hook:
    url: http://127.0.0.1:$port/hook
YAML

# ack: unknown alert is 65; a real one records the author and an event.
expect_exit 65 "$VIGIE" -c "$T/vigie.yaml" ack nope@acme --by marie
expect_grep 'nope@acme: no such alert' "$T/err"
# Something that is not RULE@UNIT at all is a usage error told the form.
expect_exit 64 "$VIGIE" -c "$T/vigie.yaml" ack conflicts-high --by marie
expect_eq "$(cat "$T/err")" "vigie ack: conflicts-high is not an alert: give RULE@UNIT, as vigie alerts --all lists them (see vigie ack --help)"
expect_exit 64 "$VIGIE" -c "$T/vigie.yaml" history acme/a
expect_eq "$(cat "$T/err")" "vigie history: acme/a is not an alert: give RULE@UNIT, as vigie alerts --all lists them (see vigie history --help)"
expect_exit 64 "$VIGIE" -c "$T/vigie.yaml" history @acme/a
expect_exit 64 "$VIGIE" -c "$T/vigie.yaml" ack conflicts-high@ --by marie
expect_exit 64 "$VIGIE" -c "$T/vigie.yaml" ack conflicts-high@acme/a
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" ack conflicts-high@acme/a --by marie --note "seen the manager"
expect_eq "$(cat "$T/out")" "acknowledged conflicts-high@acme/a by marie"
expect_eq "$(db "SELECT kind, author, note FROM event WHERE kind = 'ack'")" "ack|marie|"
# the note is a note of the social-worker role (vigie ack --role)
expect_eq "$(db "SELECT role, author, body FROM note")" "social-worker|marie|seen the manager"

# silence acme/b until 2026-03.
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" silence --rule conflicts-high --unit 'acme/b' --until 2026-03 --reason "mediation started" --by paul
expect_eq "$(cat "$T/out")" "1"
expect_exit 64 "$VIGIE" -c "$T/vigie.yaml" silence --rule conflicts-high --unit 'acme/b' --until 2026-13 --reason x
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" silences --format json
$PY -c 'import json,sys; s=json.load(open(sys.argv[1])); assert [(x["id"],x["rule"],x["unit"],x["until"],x["reason"],x["by"],x["state"]) for x in s]==[(1,"conflicts-high","acme/b","2026-03","mediation started","paul","active")], s' "$T/out" || fail "silences JSON"

# Next month: acme/b escalates (silenced: recorded, no message), acme gets
# a reminder (not acknowledged), acme/a none (acknowledged).
cat >"$T/inbox/2026-02.csv" <<'CSV'
unit,period,headcount,conflicts
acme/a,2026-02,10,7
acme/b,2026-02,8,6
CSV
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_eq "$(db "SELECT group_concat(kind || ' ' || unit || ' ' || silenced, ', ') FROM (SELECT * FROM event WHERE period = (SELECT max(period) FROM event) AND kind != 'ack' ORDER BY unit)")" \
	"reminder acme 0, escalated acme/b 1"
expect_eq "$(db "SELECT count(*) FROM message_item i JOIN event e ON e.id = i.event WHERE e.unit = 'acme/b'")" 0
expect_eq "$(db "SELECT m.channel || ' ' || m.target || ' ' || m.role || ' ' || m.status FROM message_item i JOIN event e ON e.id = i.event JOIN message m ON m.id = i.message WHERE e.kind = 'reminder'")" \
	"webhook hook hr pending"
expect_eq "$(db "SELECT count(*) FROM message")" 1
# The note is never carried by a message.
expect_eq "$(db "SELECT count(*) FROM message_item i JOIN event e ON e.id = i.event WHERE e.kind = 'ack'")" 0

expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" alerts --format json
$PY - "$T/out" <<'PY' || fail "alerts JSON after the silence"
import json, sys
b = {x["id"]: x for x in json.load(open(sys.argv[1]))}
assert (b["conflicts-high@acme/b"]["severity"], b["conflicts-high@acme/b"]["silenced"]) == ("critical", True), b
assert (b["conflicts-high@acme/a"]["acked_by"], b["conflicts-high@acme/a"]["silenced"]) == ("marie", False), b
assert b["conflicts-high@acme/a"]["acked_at"].endswith("Z"), b
PY

# history: transitions, acknowledgement and notification, in time order.
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" history conflicts-high@acme --format json
$PY -c 'import json,sys; h=json.load(open(sys.argv[1])); k=[(x["kind"],x.get("status")) for x in h]; assert k==[("firing",None),("reminder",None),("notification","pending")], k' "$T/out" || fail "history JSON"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" history conflicts-high@acme/a --role social-worker
expect_grep 'by marie (social-worker): seen the manager' "$T/out"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" history conflicts-high@acme/a
expect_no_grep 'seen the manager' "$T/out"
expect_grep 'firing' "$T/out"
expect_exit 65 "$VIGIE" -c "$T/vigie.yaml" history nope@acme

# unsilence: once, then 65.
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" unsilence 1
expect_eq "$(cat "$T/out")" "removed silence 1"
expect_exit 65 "$VIGIE" -c "$T/vigie.yaml" unsilence 1
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" silences
expect_eq "$(cat "$T/out")" "no silences"

# status: acme/a, acme/b and their ancestor acme
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" status --format json
$PY -c 'import json,sys; s=json.load(open(sys.argv[1])); assert (s["data"]["latest_period"], s["data"]["units"], s["alerts"]["active"], s["alerts"]["critical"], s["outbox"]["pending"], s["last_cycle"]["period"]) == ("2026-02", 3, 3, 3, 1, "2026-02"), s' "$T/out" || fail "status JSON"
exit 0
