#!/usr/bin/env bash
# SIGKILL during delivery loses nothing (SPEC 13): the receiver sleeps before
# answering, vigied is killed while it waits; after a restart the message is
# delivered, and every request the receiver saw carries the same webhook-id
# (receivers dedupe on it).
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1
source "$VIGIE_SRC/tests/integration/notify_lib.sh"

notify_data
secret=$(notify_secret)
printf '%s\n' "$secret" >"$T/hook.secret"
chmod 600 "$T/hook.secret"
port=$(free_port)
notify_webhook "$T/slow.log" "$port" --secret "$secret" --sleep 3
make_config "webhooks:
  hook:
    url: http://127.0.0.1:$port/hook
    secret_file: $T/hook.secret
    timeout: 10s
recipients:
  hr:
    - webhook: [hook]"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/data.csv"

"$VIGIED" -c "$T/vigie.yaml" --once >"$T/first.out" 2>&1 &
pid=$!
PIDS+=("$pid")
# Kill once the POST is in flight: the transitions and the message are
# committed before delivery starts.
has_message() { [ "$(notify_sql "SELECT count(*) FROM message" 2>/dev/null)" = 1 ]; }
wait_for has_message || fail "no message recorded"
sleep 1
kill -KILL "$pid"
wait "$pid" 2>/dev/null
expect_eq "$(notify_sql "SELECT status FROM message")" pending "after SIGKILL"
expect_eq "$(notify_sql "SELECT count(*) FROM event WHERE kind = 'firing'")" 2 "transitions kept"
notify_stop "$HOOK_PID"

notify_webhook "$T/fast.log" "$port" --secret "$secret"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_eq "$(notify_sql "SELECT status FROM message")" sent "after restart"
uid=$(notify_sql "SELECT uid FROM message")
cat "$T/slow.log" "$T/fast.log" 2>/dev/null >"$T/all.log"
$PY - "$T/all.log" "$uid" <<'PY' || fail "requests differ"
import json, sys
reqs = [json.loads(l) for l in open(sys.argv[1])]
assert 1 <= len(reqs) <= 2, reqs
assert all(r["webhook_id"] == sys.argv[2] and r["verified"] for r in reqs), reqs
ids = sorted(a["id"] for a in json.loads(reqs[-1]["body"])["alerts"])
assert ids == ["conflicts-high@acme/metz/accueil", "conflicts-high@acme/nancy/logistique"], ids
PY
exit 0
