#!/usr/bin/env bash
# libcurl waits for an SMTP server's answer to the end of a message inside
# the call that sends it, so emails going side by side to a slow relay
# wait for one another: with a relay that takes 3 s per message and a
# timeout of 5 s, three emails cannot all make it in one run. The one that
# timed out says that the time went to vigied's other transfers, not to its
# server (its reason, in the log and vigie status), and goes at its retry.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1
source "$VIGIE_SRC/tests/integration/notify_lib.sh"
command -v sqlite3 >/dev/null || { echo "sqlite3 missing"; exit 77; }

notify_data
sport=$(free_port)
mkdir -p "$T/mail"
notify_smtpd "$T/mail" "$sport" --slow-data 3
make_config "$(smtp_plain "$sport")
recipients:
  social-worker:
    - scope: \"acme/nancy/**\"
      email: [marie.martin@example.org, nancy@example.org]
    - email: [service-social@example.org]"
sed -i 's/notify: \[social-worker, hr\]/notify: [social-worker]/' "$T/rules.d/conflicts.yaml"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/data.csv"
timeout 60 "$VIGIED" -c "$T/vigie.yaml" --once 2>"$T/once.err"
expect_eq "$?" 0 "vigied --once's exit status"
grep -q "not delivered, retry in [0-9]* s: SMTP: .* s of it spent by vigied on other transfers, or waiting for the database to record one, not by this server)" "$T/once.err" ||
	{ cat "$T/once.err"; fail "no timeout blamed on vigied's wait"; }
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" status
expect_grep "s of it spent by vigied on other transfers" "$T/out"
exit 0
