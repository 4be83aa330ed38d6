#!/usr/bin/env bash
# One target gets its messages in the order they were written (SPEC 9:
# at least once, never lost; what an Alertmanager user expects): a firing
# that failed is retried before the resolution written after it, never
# after, so the receiver's last word is the alert's state.
#   January: acme/a fires; the webhook answers 503.
#   February: acme/a resolves. Run 2 retries the firing (503 again): the
#   resolution waits behind it. Run 3: the firing (200), then the
#   resolution (200). Another webhook, up all along, is not held back.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1
source "$VIGIE_SRC/tests/integration/notify_lib.sh"

hp=$(free_port)
up=$(free_port)
notify_webhook "$T/hook.log" "$hp" --script 503,503,200
HOOK=$HOOK_PID
notify_webhook "$T/up.log" "$up"
make_config "webhooks:
  hook:
    url: http://127.0.0.1:$hp/hook
  up:
    url: http://127.0.0.1:$up/up
recipients:
  hr:
    - webhook: [hook, up]"
cat >"$T/rules.d/r.yaml" <<'YAML'
rules:
  - id: r
    title: "R"
    value: conflicts
    above: { warning: 2, critical: 5 }
    notify: [hr]
    scope: "acme/*"
YAML
printf 'unit,period,headcount,conflicts\nacme/a,2026-01,20,6\nacme/b,2026-01,20,0\n' >"$T/jan.csv"
printf 'unit,period,headcount,conflicts\nacme/a,2026-02,20,0\nacme/b,2026-02,20,0\n' >"$T/feb.csv"
# events LOG: the event and period of each POST, in arrival order, with
# the status answered.
events() {
	$PY - "$1" <<'PY'
import json, sys
for line in open(sys.argv[1]):
    r = json.loads(line)
    b = json.loads(r["body"])
    print(r["status"], " ".join("%s %s" % (a["event"], a["period"]) for a in b["alerts"]))
PY
}
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/jan.csv"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/feb.csv"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_eq "$(events "$T/hook.log")" "503 firing 2026-01
503 firing 2026-01" "run 2: the resolution waits behind the firing"
expect_eq "$(notify_sql "SELECT count(*) FROM message WHERE status = 'pending'")" 2
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_eq "$(events "$T/hook.log")" "503 firing 2026-01
503 firing 2026-01
200 firing 2026-01
200 resolved 2026-02" "the firing, then the resolution"
expect_eq "$(events "$T/up.log")" "200 firing 2026-01
200 resolved 2026-02" "the other webhook is not held back"
expect_eq "$(notify_sql "SELECT count(*) FROM message WHERE status = 'pending'")" 0
notify_stop "$HOOK"
exit 0
