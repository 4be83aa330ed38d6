#!/usr/bin/env bash
# vigie retry sends now, as postqueue -f would (README): it wakes the
# vigied running on the database (SIGUSR1: a cycle, no reload), which
# sends what it requeued at once, not at its next cycle (interval 1h here).
# Without a daemon, it says when they go. A vigied --once ignores SIGUSR1:
# the signal does not stop it.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1
source "$VIGIE_SRC/tests/integration/notify_lib.sh"
command -v sqlite3 >/dev/null || { echo "sqlite3 missing"; exit 77; }

notify_data
sport=$(free_port)
mkdir -p "$T/mail"
notify_smtpd "$T/mail" "$sport" --refuse marie.martin@example.org
make_config "$(smtp_plain "$sport")
recipients:
  social-worker:
    - scope: \"acme/nancy/**\"
      email: [marie.martin@example.org]
    - email: [service-social@example.org]"
sed -i 's/notify: \[social-worker, hr\]/notify: [social-worker]/' "$T/rules.d/conflicts.yaml"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/data.csv"
marie() { notify_sql "SELECT status FROM message WHERE target = 'marie.martin@example.org'"; }

# A timer's run: the relay refuses marie@ for good.
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_eq "$(marie)" failed "marie's email after the refusal"
# No daemon: said, nothing else.
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" retry --failed
no_err
expect_eq "$(cat "$T/out")" "requeued 1 notification: 0 held for a configuration reason, 1 failed, 0 pending made due now
no vigied runs on $T/vigie.db: they are sent when it starts, or at the next vigied --once" \
	"retry without a daemon"
expect_eq "$(marie)" pending "marie's email requeued"

# A vigied --once ignores SIGUSR1 (it would kill a process that does not
# handle it): it ends its run and exits 0.
"$VIGIED" -c "$T/vigie.yaml" --once 2>"$T/once.err" &
O=$!
sleep 0.2
kill -USR1 "$O" 2>/dev/null
wait "$O"
expect_eq "$?" 0 "vigied --once's exit status after SIGUSR1"
expect_eq "$(marie)" failed "marie's email refused again"

# The daemon: its first cycle has nothing to send. The relay is fixed.
"$VIGIED" -c "$T/vigie.yaml" 2>"$T/daemon.err" &
D=$!
PIDS+=("$D")
wait_for grep -q "started:" "$T/daemon.err" || { cat "$T/daemon.err"; fail "vigied did not start"; }
sleep 1
notify_stop "$SMTPD_PID"
notify_smtpd "$T/mail" "$sport"
before=$(notify_count "$T/mail")
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" retry --failed
no_err
expect_eq "$(cat "$T/out")" "requeued 1 notification: 0 held for a configuration reason, 1 failed, 0 pending made due now
vigied (pid $D) sends them now" "retry with the daemon running"
sent() { [ "$(marie)" = sent ]; }
wait_for sent || { cat "$T/daemon.err"; fail "vigie retry did not send it now"; }
expect_eq "$(ls "$T/mail" | grep -c 'marie.martin@example.org\.eml$')" 1 "emails to marie@"
expect_eq "$(notify_count "$T/mail")" "$((before + 1))" "emails after the retry"
expect_no_grep "reloaded" "$T/daemon.err"
# JSON says it too.
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" retry --failed --format json
expect_grep '"woken": false' "$T/out"
kill -TERM "$D"
wait "$D"
expect_eq "$?" 0 "vigied's exit status"
exit 0
