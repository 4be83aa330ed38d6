#!/usr/bin/env bash
# Secrets are checked when the configuration loads (SPEC 9): `vigied --check`
# exits 78 on a webhook secret that is not "whsec_" + base64 (the prefix
# missing included), on a key under
# 16 bytes, on a password file of two lines and on a token with a space,
# naming the key and never printing the secret; unpadded base64 is accepted
# as the Standard Webhooks reference library decodes it (the receiver
# verifies the signature). A secret broken while the daemon runs fails its
# message for a configuration reason: a reload with the secret still broken
# is refused and changes nothing; the reload that fixes it sends the message,
# signed. A secret this user cannot read passes --check with a warning.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1
source "$VIGIE_SRC/tests/integration/notify_lib.sh"

notify_data
hp=$(free_port)
# A 20-byte key: its base64 ends with one "=", left out here.
key=$(printf 'vigie-unpadded-key!!' | base64 | tr -d '=')
good="whsec_$key"
printf '%s\n' "$good" >"$T/hook.secret"
chmod 600 "$T/hook.secret"
make_config "webhooks:
  hr-hook:
    url: http://127.0.0.1:$hp/hook
    secret_file: $T/hook.secret
    timeout: 5s
recipients:
  hr:
    - webhook: [hr-hook]"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --check

# check_bad CONTENT MESSAGE: --check refuses that secret, saying MESSAGE.
check_bad() {
	printf '%s\n' "$1" >"$T/hook.secret"
	expect_exit 78 "$VIGIED" -c "$T/vigie.yaml" --check
	expect_grep "vigie.yaml:8:18: error: webhook \"hr-hook\" secret_file: $2" "$T/err"
	expect_no_grep "$1" "$T/err"
	expect_no_grep "$1" "$T/out"
}
check_bad "whsec_c2VjcmV0*c2VjcmV0LXNlY3JldA" 'the secret is not "whsec_" followed by base64 (Standard Webhooks)'
check_bad "whsec_$(printf 'short-key' | base64)" 'the key is shorter than 16 bytes'
check_bad "whsec_dmlnaWUtdW5wYWRkZWQta2V5ISE=x" 'the secret is not "whsec_" followed by base64'
# Without the prefix: a valid base64 key, and a word.
check_bad "$key" 'the secret does not start with "whsec_": write whsec_ then the key in base64'
check_bad "nothwsec" 'the secret does not start with "whsec_": write whsec_ then the key in base64'
printf '%s\n' "$good" >"$T/hook.secret"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --check

# The other secrets: a password of two lines, a token with a space.
printf 'hunter2\nsecond-line\n' >"$T/smtp.password"
printf 'Bearer xyzzy\n' >"$T/src.token"
chmod 600 "$T/smtp.password" "$T/src.token"
cp "$T/vigie.yaml" "$T/good.yaml"
cat >>"$T/vigie.yaml" <<YAML
smtp:
  url: smtp://127.0.0.1:25
  starttls: none
  username: vigie
  password_file: $T/smtp.password
  from: vigie@example.org
sources:
  - name: sirh
    type: http
    url: http://127.0.0.1:1/x.csv
    token_file: $T/src.token
YAML
expect_exit 78 "$VIGIED" -c "$T/vigie.yaml" --check
expect_grep "error: smtp.password_file: the password spans several lines" "$T/err"
expect_grep "error: token_file: the token contains a space" "$T/err"
expect_no_grep "hunter2" "$T/err"
expect_no_grep "second-line" "$T/err"
expect_no_grep "xyzzy" "$T/err"
cp "$T/good.yaml" "$T/vigie.yaml"

# The daemon, running; its secret is broken behind its back.
notify_webhook "$T/hook.log" "$hp" --secret "$good"
"$VIGIED" -c "$T/vigie.yaml" 2>"$T/vigied.err" &
VPID=$!
PIDS+=("$VPID")
wait_for grep -q "started:" "$T/vigied.err" || { cat "$T/vigied.err"; fail "vigied did not start"; }
printf 'whsec_not*base64\n' >"$T/hook.secret"
cp "$T/data.csv" "$T/inbox/.stage.csv"
mv "$T/inbox/.stage.csv" "$T/inbox/data.csv"
held() { [ "$(notify_sql "SELECT status || ' ' || (failed_config IS NOT NULL) FROM message" 2>/dev/null)" = "failed 1" ]; }
wait_for held || { cat "$T/vigied.err"; fail "the message was not held for its secret"; }
expect_grep 'webhook hr-hook secret: the secret is not "whsec_" followed by base64' "$T/vigied.err"
expect_no_grep "not*base64" "$T/vigied.err"

# A reload with the secret still broken is refused; nothing is sent.
kill -HUP "$VPID"
wait_for grep -q "reload failed" "$T/vigied.err" || fail "a broken secret was reloaded"
sleep 0.5
expect_eq "$(notify_sql "SELECT status FROM message")" failed
[ ! -s "$T/hook.log" ] || fail "something was posted with a broken secret"

# The reload that fixes it sends it, signed.
printf '%s\n' "$good" >"$T/hook.secret"
kill -HUP "$VPID"
sent() { [ "$(notify_sql "SELECT status FROM message" 2>/dev/null)" = sent ]; }
wait_for sent || { cat "$T/vigied.err"; fail "the message was not sent after the fix"; }
expect_grep "1 notification by webhook to hr-hook requeued: its configuration changed" "$T/vigied.err"
expect_eq "$(wc -l <"$T/hook.log")" 1 "posts"
expect_grep '"verified": true' "$T/hook.log"
kill -TERM "$VPID"
wait "$VPID"

# A secret this user cannot read (not there yet, another owner's) is the
# daemon's to check: --check and vigie check (run by root, or HR) pass,
# and say so as a warning at its place; the daemon refuses it.
rm "$T/hook.secret"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --check
want="vigie.yaml:8:18: warning: webhook \"hr-hook\" secret_file: cannot read secret $T/hook.secret: No such file or directory; not checked: the daemon checks it when it uses it"
expect_grep "$want" "$T/err"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" check
expect_grep "$want" "$T/err"
# The daemon itself is the user that matters: it refuses to start on a
# secret it cannot read, rather than hold every message for an hour.
expect_exit 78 "$VIGIED" -c "$T/vigie.yaml" --once
expect_grep "vigie.yaml:8:18: error: webhook \"hr-hook\" secret_file: cannot read secret $T/hook.secret: No such file or directory: the daemon could not use it (make it readable by the user it runs as, then start or reload)" "$T/err"
exit 0
