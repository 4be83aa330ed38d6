#!/usr/bin/env bash
# Alertmanager (SPEC 9): Vigie's alerts reach a real Alertmanager through
# /api/v2/alerts, with their labels (the instance one included: the host
# name, or the webhook's instance:) and, in minimal detail (the default),
# only the title and period as annotations, no figure, summary or guidance;
# active alerts are sent again at every cycle (an Alertmanager that starts
# empty learns them at the next cycle, with no new transition); a silenced
# alert is not sent (SPEC 9: only its notifications are held); the
# missing-data alert is refreshed at every cycle while data is missing, then
# ended when data arrives. The refresh follows the routing (SPEC 9, and
# SPEC 3 for confidential indicators): an Alertmanager webhook gets only
# the active alerts that a route of one of the rule's roles, the first
# whose scope matches the unit, gives it, and the missing-data alert only
# when the route of its role covering every unit does. Two rejected inbox
# files are two alerts (a label file each), linked to the console by
# generatorURL. Skipped when the binary is
# absent.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1
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
# check_alerts [INSTANCE]: the two leaf alerts, with labels and annotations
# in minimal detail.
check_alerts() {
	curl -sf "http://127.0.0.1:$AM_PORT/api/v2/alerts" >"$T/alerts.json" ||
		fail "GET /api/v2/alerts failed"
	$PY - "$T/alerts.json" "${1:-$(hostname)}" <<'PY' || { cat "$T/alerts.json"; fail "alerts in Alertmanager"; }
import json, sys
alerts = json.load(open(sys.argv[1]))
got = sorted((a["labels"]["alertname"], a["labels"]["unit"], a["labels"]["severity"],
              a["labels"].get("team"), a["labels"]["instance"], a["status"]["state"])
             for a in alerts)
i = sys.argv[2]
assert got == [("conflicts-high", "acme/metz/accueil", "warning", "rps", i, "active"),
               ("conflicts-high", "acme/nancy/logistique", "critical", "rps", i, "active")], got
for a in alerts:
    assert a["annotations"] == {"title": "Conflits répétés : équipe à soutenir",
                                "period": "2026-02"}, a["annotations"]
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

# detail: full and an instance of its own: the figures and texts come back.
start_am am4
set_url "$AM_PORT"
sed -i "s|    format: alertmanager|    format: alertmanager\n    detail: full\n    instance: rps-prod|" "$T/vigie.yaml"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
curl -sf "http://127.0.0.1:$AM_PORT/api/v2/alerts" >"$T/alerts.json" || fail "GET /api/v2/alerts failed"
$PY - "$T/alerts.json" <<'PY' || { cat "$T/alerts.json"; fail "detail: full"; }
import json, sys
[a] = json.load(open(sys.argv[1]))
assert a["labels"]["instance"] == "rps-prod", a["labels"]
assert a["annotations"]["value"] == "6" and a["annotations"]["guidance"].startswith("Proposer"), a
PY
notify_stop "$AM_PID"

# Missing data: vigie-stale-data is refreshed at every cycle while data is
# missing (its endsAt moves on), then ended when data arrives.
start_am am5
set_url "$AM_PORT"
sed -i "s|^interval: 1h|interval: 1h\nstale_after: 1s|" "$T/vigie.yaml"
# Import times are whole seconds and stale_after must be exceeded (as
# below): 1.1 s after the import could still read as 1.
sleep 3.1
stale_ends() {
	curl -sf "http://127.0.0.1:$AM_PORT/api/v2/alerts?filter=alertname%3D%22vigie-stale-data%22" |
		$PY -c 'import json,sys; a=json.load(sys.stdin); print(" ".join(x["endsAt"] + "/" + x["status"]["state"] + "/" + x["labels"]["instance"] for x in a))'
}
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_grep "no data imported since" "$T/err"
first=$(stale_ends)
case $first in *"/active/rps-prod") ;; *) fail "no active vigie-stale-data: '$first'";; esac
sleep 1.1
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
second=$(stale_ends)
case $second in *"/active/rps-prod") ;; *) fail "vigie-stale-data not active: '$second'";; esac
[[ "$second" > "$first" ]] || fail "vigie-stale-data not refreshed: endsAt $first, then $second"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/data.csv"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_grep "data received again" "$T/err"
curl -sf "http://127.0.0.1:$AM_PORT/api/v2/alerts?active=true" >"$T/alerts.json" || fail "GET /api/v2/alerts failed"
$PY - "$T/alerts.json" <<'PY' || { cat "$T/alerts.json"; fail "vigie-stale-data still active"; }
import json, sys
names = [a["labels"]["alertname"] for a in json.load(open(sys.argv[1])) if a["status"]["state"] == "active"]
assert "vigie-stale-data" not in names, names
PY
notify_stop "$AM_PID"

# Routing (SPEC 9, SPEC 3): a webhook hears of an alert only through the
# first route of one of the rule's roles whose scope matches the unit, the
# refresh as the transitions. sw-contacts (a confidential indicator)
# notifies social-worker only, whose route is an email; conflicts-high
# notifies hr and ops, whose route to am is scoped to acme/b; the
# missing-data alert goes to ops' route covering every unit, an email.
# am gets conflicts-high@acme/b, and nothing else, in the POST of its
# outbox message and in the refresh alone.
rm -f "$T"/vigie.db*
rm -f "$T"/rules.d/*
cat >"$T/rules.d/routed.yaml" <<'YAML'
rules:
  - id: sw-contacts
    title: "Sollicitations du service social"
    value: social_worker_contacts
    above: { warning: 2 }
    scope: "acme/*"
    notify: [social-worker]
  - id: conflicts-high
    title: "Conflits répétés"
    value: conflicts
    above: { warning: 2 }
    scope: "acme/*"
    notify: [hr, ops]
YAML
cat >"$T/routed.csv" <<'CSV'
unit,period,headcount,social_worker_contacts,conflicts
acme/a,2026-01,20,3,3
acme/b,2026-01,20,3,3
CSV
start_am am6
make_config "stale_after: 2s
smtp:
  url: smtp://127.0.0.1:$(free_port)
  starttls: none
  from: vigie@example.org
  timeout: 2s
webhooks:
  am:
    url: http://127.0.0.1:$AM_PORT
    format: alertmanager
    detail: full
    timeout: 5s
recipients:
  social-worker:
    - email: [sw@example.org]
  hr:
    - email: [hr@example.org]
  ops:
    - scope: \"acme/b\"
      webhook: [am]
    - email: [ops@example.org]"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/routed.csv"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_eq "$(notify_sql "SELECT group_concat(rule || '@' || unit, ' ') FROM
	(SELECT rule, unit FROM alert WHERE active = 1 ORDER BY rule, unit)")" \
	"conflicts-high@acme/a conflicts-high@acme/b sw-contacts@acme/a sw-contacts@acme/b" \
	"active alerts"
expect_eq "$(notify_sql "SELECT group_concat(status) FROM message WHERE target = 'am'")" \
	sent "the transition of conflicts-high@acme/b to am"
# only_routed: am holds conflicts-high@acme/b alone.
only_routed() {
	curl -sf "http://127.0.0.1:$AM_PORT/api/v2/alerts" >"$T/alerts.json" ||
		fail "GET /api/v2/alerts failed"
	$PY - "$T/alerts.json" <<'PY' || { cat "$T/alerts.json"; fail "$1"; }
import json, sys
got = sorted((a["labels"]["alertname"], a["labels"].get("unit")) for a in json.load(open(sys.argv[1])))
assert got == [("conflicts-high", "acme/b")], got
PY
}
only_routed "am got alerts its routes do not give it, with the transition"
notify_stop "$AM_PID"
# A fresh Alertmanager, no transition: the refresh alone, data now missing.
start_am am7
set_url "$AM_PORT"
# Import times are whole seconds and stale_after must be exceeded: 2 s
# after an import made late in its second can still read as 2.
sleep 3.1
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_grep "no data imported since" "$T/err"
expect_eq "$(notify_sql "SELECT count(*) FROM message WHERE target = 'am'")" 1 \
	"outbox messages to am"
only_routed "am got alerts its routes do not give it, in the refresh"
notify_stop "$AM_PID"

# Two files rejected from the inbox are two alerts in Alertmanager, told
# apart by their file label: the second does not replace the first, even
# under the same name (the label is its name in rejected/). With
# web.url, an alert's generatorURL (Alertmanager's "Source") is its
# console page, the front page for these.
rm -f "$T"/vigie.db*
start_am am8
make_config "webhooks:
  am:
    url: http://127.0.0.1:$AM_PORT
    format: alertmanager
    instance: rps
    timeout: 5s
web:
  url: https://vigie.example.org
recipients:
  ops:
    - webhook: [am]"
printf 'unit;period;headcount\n"acme/x";2026-13;abc\n' >"$T/stage" && mv "$T/stage" "$T/inbox/bad.csv"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
printf 'unit;period;headcount\n"acme/y";2026-14;x\n' >"$T/stage" && mv "$T/stage" "$T/inbox/other.csv"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
# bad.csv again: kept as bad.csv.1, an alert of its own.
printf 'unit;period;headcount\n"acme/z";2026-15;y\n' >"$T/stage" && mv "$T/stage" "$T/inbox/bad.csv"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
curl -sf "http://127.0.0.1:$AM_PORT/api/v2/alerts" >"$T/alerts.json" || fail "GET /api/v2/alerts failed"
$PY - "$T/alerts.json" <<'PY' || { cat "$T/alerts.json"; fail "two rejected files in Alertmanager"; }
import json, sys
got = sorted((a["labels"]["alertname"], a["labels"].get("file"), a["annotations"]["title"],
              a["status"]["state"], a["generatorURL"]) for a in json.load(open(sys.argv[1])))
u = "https://vigie.example.org/"
assert got == [("vigie-rejected-file", "bad.csv", "Fichier rejeté : bad.csv", "active", u),
               ("vigie-rejected-file", "bad.csv.1", "Fichier rejeté : bad.csv", "active", u),
               ("vigie-rejected-file", "other.csv", "Fichier rejeté : other.csv", "active", u)], got
PY
notify_stop "$AM_PID"
exit 0
