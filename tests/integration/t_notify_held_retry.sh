#!/usr/bin/env bash
# A notification held for a configuration reason (here a webhook answering
# 401) is tried again an hour after it failed, within its 48 hours, even
# though the configuration did not change: the fix may have been made on
# the receiver's side (vigied(8)). Not before the hour, and not once its 48
# hours have passed: that one waits for a configuration change or
# vigie retry, as before.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1
source "$VIGIE_SRC/tests/integration/notify_lib.sh"

notify_data
p1=$(free_port)
p2=$(free_port)
make_config "webhooks:
  hr-hook:
    url: http://127.0.0.1:$p1/hook
    timeout: 5s
  old-hook:
    url: http://127.0.0.1:$p2/hook
    timeout: 5s
recipients:
  hr:
    - webhook: [hr-hook, old-hook]"
# hr-hook refuses the first post (its token was revoked), then accepts;
# old-hook refuses every post.
notify_webhook "$T/hook1.log" "$p1" --script 401,200
notify_webhook "$T/hook2.log" "$p2" --script 401
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/data.csv"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
st() { notify_sql "SELECT status || ' ' || (failed_config IS NOT NULL) FROM message WHERE target = '$1'"; }
expect_eq "$(st hr-hook)" "failed 1" "hr-hook's message held"
expect_eq "$(st old-hook)" "failed 1" "old-hook's message held"
expect_grep "by webhook to hr-hook failed, held until the configuration changes (or vigie retry), tried again in an hour: HTTP 401" "$T/err"
# tried again an hour after its attempt
expect_eq "$(notify_sql "SELECT m.next_at - max(a.at) FROM message m JOIN attempt a ON a.message = m.id WHERE m.target = 'hr-hook'")" 3600 "the hour"

# Within the hour: nothing is tried again.
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_eq "$(wc -l <"$T/hook1.log")" 1 "hr-hook's posts within the hour"
expect_eq "$(st hr-hook)" "failed 1" "still held within the hour"

# An hour later (the clock of the outbox moved back an hour): hr-hook's
# message is sent; old-hook's, whose 48 hours have passed, is not tried.
notify_sql "UPDATE message SET next_at = next_at - 3600"
notify_sql "UPDATE message SET created_at = created_at - 49 * 3600 WHERE target = 'old-hook'"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_eq "$(st hr-hook)" "sent 0" "hr-hook's message sent an hour later"
expect_eq "$(wc -l <"$T/hook1.log")" 2 "hr-hook's posts"
expect_grep "1 notification held for a configuration reason tried again: an hour has passed" "$T/err"
expect_eq "$(st old-hook)" "failed 1" "old-hook's message, past its 48 hours, still held"
expect_eq "$(wc -l <"$T/hook2.log")" 1 "old-hook's posts"
# and vigie retry still sends it when asked
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" retry
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_eq "$(wc -l <"$T/hook2.log")" 2 "old-hook's post after vigie retry"
exit 0
