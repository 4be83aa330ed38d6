#!/usr/bin/env bash
# SPEC 3, 9: the Alertmanager refresh sends every active alert again at
# each cycle, with today's figures: the summary of its latest notification
# only while that notification's period and value are still the alert's.
# After a correction (a team deleted, a headcount below the floor) the old
# summary beside the new value would give away by subtraction what the
# correction took out.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1
source "$VIGIE_SRC/tests/integration/notify_lib.sh"

port=$(free_port)
notify_webhook "$T/am.log" "$port"
make_config "webhooks:
  am: { url: \"http://127.0.0.1:$port/api/v2/alerts\", format: alertmanager, detail: full }
recipients:
  hr:
    - webhook: [am]
default_notify: [hr]"
cat >"$T/rules.d/r.yaml" <<'YAML'
rules:
  - id: conf
    title: Conflits
    value: conflicts
    above: { warning: 2, critical: 100 }
    decimals: 0
    summary: "{{value}} conflits ({{unit}})"
YAML
printf 'unit,period,headcount,conflicts\nacme/s2/small,2026-01,4,3\nacme/s2/x,2026-01,10,2\nacme/s2/y,2026-01,10,1\n' >"$T/d.csv"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/d.csv"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once

# last UNIT: "summary | value" of UNIT's alert in the latest POST.
last() {
	$PY -c 'import json, sys
lines = open(sys.argv[1]).read().splitlines()
for a in json.loads(json.loads(lines[-1])["body"]):
    if a["labels"]["unit"] == sys.argv[2]:
        print(a["annotations"].get("summary", "-"), "|", a["annotations"].get("value"))' "$T/am.log" "$1"
}
expect_eq "$(last acme/s2)" "6 conflits (acme/s2) | 6" "the firing"

# The hidden team deleted, and another unit fires so that the cycle posts.
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" delete --period 2026-01 --unit acme/s2/small
printf 'unit,period,headcount,conflicts\nacme/u/new,2026-01,10,5\n' >"$T/e.csv"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/e.csv"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_eq "$(last acme/s2)" "- | 3" "the refresh after the correction"
expect_eq "$(last acme/u/new)" "5 conflits (acme/u/new) | 5" "a new alert keeps its summary"
exit 0
