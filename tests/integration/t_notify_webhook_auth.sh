#!/usr/bin/env bash
# Webhooks log in to their receiver (SPEC 9, vigie.yaml(5) WEBHOOKS): a
# token_file or token_credential is sent as "Authorization: Bearer TOKEN",
# a basic_auth_file or basic_auth_credential (user:password on one line) as
# HTTP basic auth, with every format (generic, signed too, slack, teams,
# alertmanager), by vigied and by vigie notify-test. vigied --check refuses a malformed one, two kinds on one
# webhook, and plain http:// off loopback, never printing the secret. A
# wrong token is answered 401: the message is held for its configuration;
# the running daemon re-reads the file, so a fixed token and a reload send
# it. A password fixed on the receiver's side goes with vigie retry. The
# secrets reach no log, no command's output, not the database, and no
# webhook body.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1
source "$VIGIE_SRC/tests/integration/notify_lib.sh"

notify_data
tok=tok-4f9c2b7e81d0
pw='pa:ss wörd-9b2e'
mkdir -p "$T/cred"
printf '%s\n' "$tok" >"$T/hook.token"
printf '%s\n' "$tok" >"$T/cred/hook-token"
printf 'ops:%s\n' "$pw" >"$T/hook.basic"
printf 'ops:%s\n' "$pw" >"$T/cred/am-basic"
notify_secret >"$T/hook.secret"
chmod 600 "$T/hook.token" "$T/cred/hook-token" "$T/hook.basic" "$T/cred/am-basic" "$T/hook.secret"
bearer="Bearer $tok"
basic="Basic $(printf 'ops:%s' "$pw" | base64 -w0)"
export CREDENTIALS_DIRECTORY="$T/cred"

# no_secret FILE...: neither the token nor the password is in them.
no_secret() {
	local f
	for f in "$@"; do
		! grep -aqF -e "$tok" -e "$pw" -e tok-wrong -e "${basic#Basic }" "$f" ||
			{ cat "$f"; fail "a secret is in $f"; }
	done
}

# --- vigied --check ---
pb=$(free_port)
check_bad() {	# YAML MESSAGE: --check refuses that webhook, saying MESSAGE.
	make_config "webhooks:
  hook:
$1
recipients:
  hr:
    - webhook: [hook]"
	expect_exit 78 "$VIGIED" -c "$T/vigie.yaml" --check
	expect_grep "$2" "$T/err"
	no_secret "$T/err" "$T/out"
}
printf 'ops-%s\n' "$pw" | tr ':' '-' >"$T/bad.basic"
printf 'Bearer %s\n' "$tok" >"$T/bad.token"
chmod 600 "$T/bad.basic" "$T/bad.token"
check_bad "    url: http://127.0.0.1:$pb/h
    basic_auth_file: $T/bad.basic" \
	"vigie.yaml:8:22: error: webhook \"hook\" basic_auth_file: the file must hold user:password (there is no colon)"
check_bad "    url: http://127.0.0.1:$pb/h
    token_file: $T/bad.token" \
	"vigie.yaml:8:17: error: webhook \"hook\" token_file: the token contains a space, a control character or a line break (the file must hold the token alone)"
check_bad "    url: http://127.0.0.1:$pb/h
    token_file: $T/hook.token
    basic_auth_credential: am-basic" \
	"vigie.yaml:9:28: error: set token_file or basic_auth_credential, not both"
check_bad "    url: http://alertmanager.example.org:9093
    format: alertmanager
    basic_auth_file: $T/hook.basic" \
	"vigie.yaml:7:10: error: webhook \"hook\" basic_auth_file: plain http:// to \"alertmanager.example.org\" would send it in clear: use an https:// url (plain http:// is only allowed for a loopback host: 127.0.0.0/8, ::1, localhost)"

# --- Every format, each kind ---
pa=$(free_port)
notify_webhook "$T/bearer.log" "$pb" --auth "$bearer" --secret "$(notify_secret)"
notify_webhook "$T/basic.log" "$pa" --auth "$basic"
conf() {	# the five webhooks; $1: the generic one's token file
	make_config "webhooks:
  generic:
    url: http://127.0.0.1:$pb/generic
    secret_file: $T/hook.secret
    token_file: ${1:-$T/hook.token}
    timeout: 5s
  slack:
    url: http://127.0.0.1:$pb/slack
    format: slack
    token_file: $T/hook.token
  teams:
    url: http://localhost:$pb/teams
    format: teams
    token_credential: hook-token
  am:
    url: http://127.0.0.1:$pa
    format: alertmanager
    basic_auth_file: $T/hook.basic
  basic:
    url: http://127.0.0.1:$pa/basic
    basic_auth_credential: am-basic
recipients:
  hr:
    - webhook: [${2:-generic, slack, teams, am, basic}]"
}
conf
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --check
expect_no_grep "error" "$T/err"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/data.csv"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
no_secret "$T/err" "$T/out"
expect_eq "$(notify_sql "SELECT group_concat(target || ' ' || status, ', ') FROM (SELECT * FROM message ORDER BY target)")" \
	"am sent, basic sent, generic sent, slack sent, teams sent"
$PY - "$T/bearer.log" "$T/basic.log" "$bearer" "$basic" "$tok" "$pw" <<'PY' || fail "the Authorization headers"
import json, sys
b, a = ([json.loads(l) for l in open(f)] for f in sys.argv[1:3])
got = sorted((r["path"], r["status"], r["authorization"] == (sys.argv[3] if r in b else sys.argv[4]))
             for r in b + a)
assert got == [("/api/v2/alerts", 200, True), ("/basic", 200, True), ("/generic", 200, True),
               ("/slack", 200, True), ("/teams", 200, True)], got
assert [r["verified"] for r in b if r["path"] == "/generic"] == [True], b
for r in b + a:
    assert sys.argv[5] not in r["body"] and sys.argv[6] not in r["body"], r
PY
# vigie notify-test logs in the same way.
rm "$T/bearer.log" "$T/basic.log"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" notify-test hr
no_secret "$T/err" "$T/out"
$PY - "$T/bearer.log" "$T/basic.log" "$bearer" "$basic" <<'PY' || fail "notify-test's Authorization headers"
import json, sys
b, a = ([json.loads(l) for l in open(f)] for f in sys.argv[1:3])
assert len(b) == 3 and len(a) == 2, (b, a)
assert all(r["status"] == 200 and r["authorization"] == sys.argv[3] for r in b), b
assert all(r["status"] == 200 and r["authorization"] == sys.argv[4] for r in a), a
PY

# --- A wrong token: 401, held; fixed in the file and reloaded: sent ---
rm -f "$T/vigie.db"* "$T/bearer.log"
printf 'tok-wrong-1\n' >"$T/wrong.token"
chmod 600 "$T/wrong.token"
cp "$T/wrong.token" "$T/live.token"
conf "$T/live.token" generic
"$VIGIED" -c "$T/vigie.yaml" 2>"$T/vigied.err" &
VPID=$!
PIDS+=("$VPID")
wait_for grep -q "started:" "$T/vigied.err" || { cat "$T/vigied.err"; fail "vigied did not start"; }
cp "$T/data.csv" "$T/inbox/.stage.csv"
mv "$T/inbox/.stage.csv" "$T/inbox/data.csv"
held() { [ "$(notify_sql "SELECT status || ' ' || (failed_config IS NOT NULL) FROM message" 2>/dev/null)" = "failed 1" ]; }
wait_for held || { cat "$T/vigied.err"; fail "the message was not held for its token"; }
expect_grep "by webhook to generic failed, held until the configuration changes (or vigie retry), tried again in an hour: HTTP 401: Unauthorized" "$T/vigied.err"
expect_eq "$(notify_sql "SELECT last_error FROM message")" "HTTP 401: Unauthorized"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" status
expect_grep "HTTP 401: Unauthorized" "$T/out"
no_secret "$T/out" "$T/err"
# The token is rotated in its file; the reload takes it.
printf '%s\n' "$tok" >"$T/live.token"
kill -HUP "$VPID"
sent() { [ "$(notify_sql "SELECT status FROM message" 2>/dev/null)" = sent ]; }
wait_for sent || { cat "$T/vigied.err"; fail "the message was not sent after the token was fixed"; }
expect_grep "1 notification by webhook to generic requeued: its configuration changed" "$T/vigied.err"
kill -TERM "$VPID"
wait "$VPID"
$PY - "$T/bearer.log" "$bearer" <<'PY' || fail "the posts with the wrong, then the right token"
import json, sys
got = [(r["status"], r["authorization"] == sys.argv[2]) for r in map(json.loads, open(sys.argv[1]))]
assert got == [(401, False), (200, True)], got
PY
no_secret "$T/vigied.err" "$T/vigie.db"

# --- A password fixed on the receiver's side: vigie retry sends it ---
rm -f "$T/vigie.db"* "$T/basic.log"
notify_stop "$HOOK_PID"
notify_webhook "$T/basic.log" "$pa" --auth "Basic $(printf 'ops:old' | base64 -w0)"
conf "" basic
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/data.csv"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_eq "$(notify_sql "SELECT status || ' ' || (failed_config IS NOT NULL) FROM message")" "failed 1"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" history conflicts-high@acme/nancy/logistique
no_secret "$T/out" "$T/err"
notify_stop "$HOOK_PID"
notify_webhook "$T/basic.log" "$pa" --auth "$basic"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" retry
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_eq "$(notify_sql "SELECT status FROM message")" sent
no_secret "$T/err" "$T/out" "$T/vigie.db" "$T/webhook.log"
exit 0
