#!/usr/bin/env bash
# A running vigied retries a notification when its backoff says (SPEC 9:
# from 30 s), not at the next interval: with interval 1h, a webhook that is
# down at the first cycle and up a moment later gets the alert within the
# first backoff (30 to 60 s), without a new cycle of data, a signal or a
# restart.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1
source "$VIGIE_SRC/tests/integration/notify_lib.sh"

port=$(free_port)
make_config "locale: en
webhooks:
  hook:
    url: http://127.0.0.1:$port/hook
    timeout: 5s
recipients:
  hr:
    - webhook: [hook]
default_notify: [hr]"
cat >"$T/rules.d/r.yaml" <<'YAML'
rules:
  - id: conflicts-high
    title: "Conflicts"
    value: conflicts
    above: { warning: 2, critical: 5 }
YAML
printf 'unit,period,headcount,conflicts\nacme/a,2026-02,20,6\n' >"$T/data.csv"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/data.csv"
"$VIGIED" -c "$T/vigie.yaml" 2>"$T/daemon.err" &
D=$!
PIDS+=("$D")
# The first cycle finds the webhook down.
wait_for grep -q "not delivered, retry in" "$T/daemon.err" ||
	{ cat "$T/daemon.err"; fail "no failed attempt logged"; }
s=$(sed -n 's/.*not delivered, retry in \([0-9]*\) s.*/\1/p' "$T/daemon.err" | head -n 1)
[ -n "$s" ] && [ "$s" -ge 30 ] && [ "$s" -le 60 ] || fail "first backoff '$s' s, not 30 to 60"
notify_webhook "$T/hook.log" "$port"
# wait_for polls for 10 s; the retry comes within the backoff.
for _ in $(seq 1 8); do
	[ -s "$T/hook.log" ] && break
	sleep 10
done
[ -s "$T/hook.log" ] || { cat "$T/daemon.err"; fail "not retried within $s s (interval 1h)"; }
expect_eq "$(notify_sql "SELECT status || ' ' || attempts FROM message")" "sent 2" \
	"the message after its retry"
kill -TERM "$D"; wait "$D"
exit 0
