#!/usr/bin/env bash
# Alertmanager (SPEC 9): Vigie's alerts reach a real Alertmanager through
# /api/v2/alerts, with their labels and annotations; active alerts are sent
# again at every cycle (an Alertmanager that starts empty learns them at the
# next cycle, with no new transition); a silenced alert is not sent (SPEC
# 9: only its notifications are held). Skipped when the binary is absent.
source "$VIGIE_SRC/tests/integration/lib.sh"
source "$VIGIE_SRC/tests/integration/notify_lib.sh"

AM=$(command -v prometheus-alertmanager || command -v alertmanager || true)
if [ -z "$AM" ]; then
	echo "prometheus-alertmanager is not installed (apt-get install prometheus-alertmanager)"
	exit 77
fi

cat >"$T/am.yml" <<'YAML'
route:
  receiver: blackhole
receivers:
  - name: blackhole
YAML
# start_am NAME: an Alertmanager on loopback; sets AM_PORT.
start_am() {
	AM_PORT=$(free_port)
	mkdir -p "$T/$1"
	"$AM" --config.file="$T/am.yml" --storage.path="$T/$1" \
		--web.listen-address="127.0.0.1:$AM_PORT" --cluster.listen-address= \
		>"$T/$1.log" 2>&1 &
	AM_PID=$!
	PIDS+=("$AM_PID")
	am_ready() { curl -sf "http://127.0.0.1:$AM_PORT/-/ready" >/dev/null; }
	wait_for am_ready || { cat "$T/$1.log"; fail "alertmanager did not start"; }
}
# check_alerts: the two leaf alerts, with labels and annotations.
check_alerts() {
	curl -sf "http://127.0.0.1:$AM_PORT/api/v2/alerts" >"$T/alerts.json" ||
		fail "GET /api/v2/alerts failed"
	$PY - "$T/alerts.json" <<'PY' || { cat "$T/alerts.json"; fail "alerts in Alertmanager"; }
import json, sys
alerts = json.load(open(sys.argv[1]))
got = sorted((a["labels"]["alertname"], a["labels"]["unit"], a["labels"]["severity"],
              a["labels"].get("team"), a["status"]["state"]) for a in alerts)
assert got == [("conflicts-high", "acme/metz/accueil", "warning", "rps", "active"),
               ("conflicts-high", "acme/nancy/logistique", "critical", "rps", "active")], got
for a in alerts:
    assert a["annotations"]["title"] == "Conflits répétés : équipe à soutenir"
    assert a["annotations"]["guidance"].startswith("Proposer une médiation")
    assert a["annotations"]["summary"].endswith("(%s)" % a["labels"]["unit"])
PY
}
set_url() {
	sed -i "s|url: http://127.0.0.1:[0-9]*|url: http://127.0.0.1:$1|" "$T/vigie.yaml"
}

notify_data
start_am am1
make_config "webhooks:
  am:
    url: http://127.0.0.1:$AM_PORT
    format: alertmanager
    timeout: 5s
recipients:
  ops:
    - webhook: [am]
  hr:
    - webhook: [am]"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/data.csv"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_eq "$(notify_sql "SELECT group_concat(status) FROM message")" sent
check_alerts
notify_stop "$AM_PID"

# A fresh Alertmanager: no transition, no outbox message, yet the next
# cycle's refresh gives it the active alerts.
start_am am2
set_url "$AM_PORT"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_eq "$(notify_sql "SELECT count(*) FROM message")" 1 "outbox messages"
check_alerts
notify_stop "$AM_PID"

# A silence holds every notification of the alerts it covers, the refresh
# too: a fresh Alertmanager learns only the alert that is not silenced.
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" silence --rule conflicts-high \
	--unit 'acme/metz/**' --until 2099-12 --reason "réorganisation annoncée"
start_am am3
set_url "$AM_PORT"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
curl -sf "http://127.0.0.1:$AM_PORT/api/v2/alerts" >"$T/alerts.json" ||
	fail "GET /api/v2/alerts failed"
$PY - "$T/alerts.json" <<'PY' || { cat "$T/alerts.json"; fail "a silenced alert reached Alertmanager"; }
import json, sys
got = sorted(a["labels"]["unit"] for a in json.load(open(sys.argv[1])))
assert got == ["acme/nancy/logistique"], got
PY
notify_stop "$AM_PID"
exit 0
