#!/usr/bin/env bash
# One POST per webhook per cycle (SPEC 9), as the receiver counts them: an
# Alertmanager webhook gets a single POST to /api/v2/alerts in a cycle with
# new transitions, carrying them and the refresh of the active alerts
# together (not the outbox message and then the refresh, the same body
# twice), and a single one in an idle cycle, with vigied --once and as a
# daemon. A cycle where one alert resolves posts it ended, the other still
# active, in one POST; with nothing active, an idle run posts nothing.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1
source "$VIGIE_SRC/tests/integration/notify_lib.sh"

cat_rule() {
	mkdir -p "$T/rules.d"
	cat >"$T/rules.d/conflicts.yaml" <<YAML
rules:
  - id: conflicts-high
    title: "Conflits"
    value: conflicts
    above: { warning: 2, critical: 5 }
    scope: "$1"
    notify: [hr]
YAML
}

# posts LOG: the number of requests the receiver logged.
posts() { [ -e "$1" ] && wc -l <"$1" || echo 0; }

# am_setup NAME: a fresh database and receiver, two teams firing at 2026-10.
am_setup() {
	rm -rf "$T/vigie.db"* "$T/inbox"
	port=$(free_port)
	notify_webhook "$T/$1.log" "$port"
	make_config "webhooks:
  am:
    url: http://127.0.0.1:$port
    format: alertmanager
    timeout: 5s
recipients:
  hr:
    - webhook: [am]"
	cat_rule "acme/*"
	printf 'unit,period,headcount,conflicts\nacme/a,2026-10,10,3\nacme/b,2026-10,10,6\n' >"$T/data.csv"
	expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/data.csv"
}

# am_check LOG N: N POSTs, each to /api/v2/alerts, the last one with both
# alerts once each.
am_check() {
	$PY - "$1" "$2" <<'PY' || fail "Alertmanager POSTs in $1"
import json, sys
reqs = [json.loads(l) for l in open(sys.argv[1])]
assert len(reqs) == int(sys.argv[2]), [(r["path"], r["body"]) for r in reqs]
assert all(r["path"] == "/api/v2/alerts" for r in reqs), reqs
got = sorted((a["labels"]["unit"], a["labels"]["severity"]) for a in json.loads(reqs[-1]["body"]))
assert got == [("acme/a", "warning"), ("acme/b", "critical")], got
PY
}

# --- vigied --once: the cycle with the transitions, then an idle one ---
am_setup once
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_eq "$(notify_sql "SELECT group_concat(status) FROM message")" sent
am_check "$T/once.log" 1
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
am_check "$T/once.log" 2
printf 'unit,period,headcount,conflicts\nacme/a,2026-11,10,0\nacme/b,2026-11,10,6\n' >"$T/data.csv"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/data.csv"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_eq "$(notify_sql "SELECT group_concat(status) FROM message")" sent,sent
$PY - "$T/once.log" <<'PY' || fail "the POST of the cycle where acme/a resolves"
import json, sys, datetime
reqs = [json.loads(l) for l in open(sys.argv[1])]
assert len(reqs) == 3, len(reqs)
now = datetime.datetime.now(datetime.timezone.utc)
ends = {}
for a in json.loads(reqs[-1]["body"]):
    e = datetime.datetime.fromisoformat(a["endsAt"].replace("Z", "+00:00"))
    ends.setdefault(a["labels"]["unit"], []).append((a["labels"]["severity"], e > now + datetime.timedelta(minutes=5)))
assert ends == {"acme/a": [("warning", False)], "acme/b": [("critical", True)]}, ends
PY
# Nothing active any more: the cycle where the last alert resolves posts
# it ended, and an idle run after it posts nothing, not an empty refresh.
printf 'unit,period,headcount,conflicts\nacme/a,2026-12,10,0\nacme/b,2026-12,10,0\n' >"$T/data.csv"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/data.csv"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_eq "$(posts "$T/once.log")" 4 "POSTs once the last alert resolved"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_eq "$(posts "$T/once.log")" 4 "POSTs of an idle run with nothing active"
notify_stop "$HOOK_PID"

# --- the daemon: its first cycle has the transitions ---
am_setup daemon
"$VIGIED" -c "$T/vigie.yaml" 2>"$T/vigied.err" &
VPID=$!
PIDS+=("$VPID")
sent() { [ "$(notify_sql "SELECT group_concat(status) FROM message")" = sent ]; }
wait_for sent || { cat "$T/vigied.err"; fail "the daemon did not send its message"; }
# Whatever else the cycle would post has had time to arrive.
sleep 1
am_check "$T/daemon.log" 1
kill -TERM "$VPID"
wait "$VPID" || fail "vigied did not exit 0 on SIGTERM"
notify_stop "$HOOK_PID"
exit 0
