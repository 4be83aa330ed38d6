#!/usr/bin/env bash
# A database held by another writer past the busy timeout during delivery
# (a long vigie import, an sqlite3 shell left in a transaction): each
# statement that fails is logged with its reason, and the end of the
# delivery says that it is incomplete and that what was stopped is tried
# again, never "database error: not an error" (the handle's message after
# a later statement that worked). --once exits 1: the cycle failed.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1

port=$(free_port)	# nothing listens: the webhook's attempt fails
make_config "default_notify: [hr]
webhooks:
  hook:
    url: http://127.0.0.1:$port/hook
    timeout: 2s
recipients:
  hr:
    - webhook: [hook]"
printf 'rules:\n  - id: c\n    title: C\n    value: conflicts\n    above: { warning: 2 }\n' \
    >"$T/rules.d/r.yaml"
printf 'unit,period,indicator,value\nacme/a,2026-01,headcount,20\nacme/a,2026-01,conflicts,5\n' \
    >"$T/d.csv"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/d.csv"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_grep "not delivered, retry in" "$T/err"

# Another writer holds the database for 4 s; vigied waits 300 ms for it.
$PY - "$T/vigie.db" "$T/held" <<'PY' &
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=10)
db.execute("BEGIN IMMEDIATE")
open(sys.argv[2], "w").close()
time.sleep(4)
db.execute("ROLLBACK")
PY
PIDS+=($!)
wait_for test -e "$T/held" || fail "the writer did not take the database"
VIGIE_BUSY_TIMEOUT_MS=300 expect_exit 1 timeout 20 "$VIGIED" -c "$T/vigie.yaml" --once
expect_grep "cannot claim notification 1: database is locked; it is attempted at the next cycle" "$T/err"
expect_grep "delivery incomplete after the database errors above; what they stopped is attempted again at the next cycle" "$T/err"
expect_no_grep "not an error" "$T/err"
expect_no_grep "delivery: database error" "$T/err"
wait "${PIDS[-1]}"

# The writer gone, the notification is attempted again.
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_grep "notification 1 by webhook to hook not delivered" "$T/err"
exit 0
