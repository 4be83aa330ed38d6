#!/usr/bin/env bash
# Signed webhooks (SPEC 9): the generic payload's exact keys (and a
# resolution's severity and threshold), a valid
# Standard Webhooks signature, 503 then 200 giving one accepted delivery
# with the same webhook-id on both attempts, 400 failing at once with the
# answer logged, 429 with Retry-After: 120 postponing the next try, and a
# Retry-After beyond the 48 hours of retries postponing it only to then.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1
source "$VIGIE_SRC/tests/integration/notify_lib.sh"

notify_data
secret=$(notify_secret)
printf '%s\n' "$secret" >"$T/hook.secret"
chmod 600 "$T/hook.secret"

# setup NAME SCRIPT [ARGS...]: a fresh database and receiver.
setup() {
	local name=$1 script=$2; shift 2
	rm -f "$T/vigie.db"* "$T/$name.log"
	port=$(free_port)
	notify_webhook "$T/$name.log" "$port" --secret "$secret" --script "$script" "$@"
	make_config "webhooks:
  hook:
    url: http://127.0.0.1:$port/hook
    secret_file: $T/hook.secret
    timeout: 5s
recipients:
  hr:
    - webhook: [hook]
  social-worker:
    - webhook: [hook]"
	expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/data.csv"
}

# --- 503 then 200 ---
setup retry 503,200
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_eq "$(notify_sql "SELECT status || ' ' || attempts FROM message")" "pending 1"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_eq "$(notify_sql "SELECT status || ' ' || attempts FROM message")" "sent 2"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
$PY - "$T/retry.log" "$(notify_sql "SELECT uid FROM message")" <<'PY' || fail "retry checks failed"
import json, sys
reqs = [json.loads(l) for l in open(sys.argv[1])]
assert [r["status"] for r in reqs] == [503, 200], reqs
assert all(r["verified"] is True for r in reqs), reqs
assert reqs[0]["webhook_id"] == reqs[1]["webhook_id"] == sys.argv[2], reqs
assert all(r["content_type"] == "application/json" for r in reqs)
body = json.loads(reqs[1]["body"])
assert list(body) == ["version", "source", "sent_at", "alerts"], list(body)
assert body["version"] == 1 and body["source"] == "vigie"
assert len(body["alerts"]) == 2, body
keys = ["id", "event", "rule", "title", "unit", "period", "severity", "value",
        "threshold", "since", "summary", "guidance", "labels", "history"]
a = {x["id"]: x for x in body["alerts"]}
n = a["conflicts-high@acme/nancy/logistique"]
assert list(n) == keys, list(n)
assert n["event"] == "firing" and n["severity"] == "critical" and n["value"] == 6
assert n["threshold"] == 5 and n["period"] == "2026-02" and n["since"] == "2026-02"
assert n["labels"] == {"team": "rps"}, n["labels"]
assert n["history"][-2:] == [{"period": "2026-01", "value": 1}, {"period": "2026-02", "value": 6}], n["history"]
assert a["conflicts-high@acme/metz/accueil"]["severity"] == "warning"
PY
# A resolution (vigie.yaml(5)): severity null, threshold the rule's clear
# level (the level the value went back under), value the one that
# resolved it.
sed -i 's|above: { warning: 2, critical: 5 }|above: { warning: 2, critical: 5, clear: 1 }|' \
	"$T/rules.d/conflicts.yaml"
printf 'unit,period,headcount,conflicts\nacme/nancy/logistique,2026-03,20,0\nacme/metz/accueil,2026-03,12,3\n' \
	>"$T/march.csv"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/march.csv"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
$PY - "$T/retry.log" <<'PY' || fail "the resolution's fields"
import json, sys
last = json.loads(json.loads(open(sys.argv[1]).readlines()[-1])["body"])["alerts"]
got = [(a["id"], a["event"], a["severity"], a["value"], a["threshold"], a["period"]) for a in last]
assert got == [("conflicts-high@acme/nancy/logistique", "resolved", None, 0, 1, "2026-03")], got
PY
sed -i 's|, clear: 1 }| }|' "$T/rules.d/conflicts.yaml"
notify_stop "$HOOK_PID"

# --- 400: failed at once, logged with the answer's first line ---
setup refused 400
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_eq "$(notify_sql "SELECT status || ' ' || attempts FROM message")" "failed 1"
expect_eq "$(notify_sql "SELECT last_error FROM message")" "HTTP 400: refused by the test receiver"
expect_grep "HTTP 400: refused by the test receiver" "$T/err"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_eq "$(wc -l <"$T/refused.log")" 1 "requests after a 400"
notify_stop "$HOOK_PID"

# --- 302: a redirect is not followed, and the error says so ---
setup moved 302
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_eq "$(notify_sql "SELECT status || ' ' || attempts FROM message")" "failed 1"
expect_eq "$(notify_sql "SELECT last_error FROM message")" \
	"HTTP 302: a redirect, which Vigie does not follow; write the address it names in the webhook's url"
notify_stop "$HOOK_PID"

# --- 429 with Retry-After: 120 ---
setup limited 429 --retry-after 120
before=$(date +%s)
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
next=$(notify_sql "SELECT next_at FROM message")
expect_eq "$(notify_sql "SELECT status FROM message")" pending
[ "$next" -ge $((before + 120)) ] || fail "next_at $next is before now+120 ($((before + 120)))"
[ "$next" -le $((before + 130)) ] || fail "next_at $next is far beyond Retry-After"
notify_stop "$HOOK_PID"

# --- Retry-After longer than the 48 hours: the last try is at the 48th ---
setup patient 429 --retry-after 9999999
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_eq "$(notify_sql "SELECT status, next_at - created_at FROM message")" "pending|172800"
notify_stop "$HOOK_PID"
exit 0
