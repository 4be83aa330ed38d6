#!/usr/bin/env bash
# A cycle that fails (the database locked, full or read-only) still writes
# the metrics file, whose time node_exporter reads as "the daemon runs":
# the file says apart that the last cycle failed, and when the last one
# succeeded (SPEC 8's metrics; contrib/node_exporter.md's VigieCycleFailing).
# The next cycle that runs says it succeeded again.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1

make_config "metrics_file: $T/vigie.prom"
conflicts_rule
printf 'unit,period,headcount,conflicts\nacme/a,2026-01,20,1\n' >"$T/a.csv"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/a.csv"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_grep "vigie_cycle_last_successful 1" "$T/vigie.prom"
ok_at=$(sed -n 's/^vigie_cycle_last_success_timestamp_seconds //p' "$T/vigie.prom")
[ "${ok_at:-0}" -gt 0 ] || fail "no time of the last success: $(cat "$T/vigie.prom")"

# Another process holds the database while a file waits in the inbox.
printf 'unit,period,headcount,conflicts\nacme/a,2026-02,20,3\n' >"$T/inbox/.b.csv"
touch -d '-10 seconds' "$T/inbox/.b.csv"
mv "$T/inbox/.b.csv" "$T/inbox/b.csv"
$PY - "$T/vigie.db" "$T/locked" <<'PY' &
import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("BEGIN EXCLUSIVE")
open(sys.argv[2], "w").close()
time.sleep(4)
c.execute("COMMIT")
PY
HOLDER=$!
PIDS+=($HOLDER)
wait_for test -e "$T/locked" || fail "the database was not locked"
sleep 1	# a second apart from the first cycle
VIGIE_BUSY_TIMEOUT_MS=300 expect_exit 1 "$VIGIED" -c "$T/vigie.yaml" --once
expect_grep "cannot import b.csv: database is locked" "$T/err"
expect_grep "vigie_cycle_last_successful 0" "$T/vigie.prom"
expect_grep "vigie_cycle_last_success_timestamp_seconds $ok_at" "$T/vigie.prom"
wait "$HOLDER"

# Free again: the file is imported, the cycle succeeds.
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
[ -e "$T/inbox/processed/b.csv" ] || fail "b.csv not imported once the database was free"
expect_grep "vigie_cycle_last_successful 1" "$T/vigie.prom"
now_at=$(sed -n 's/^vigie_cycle_last_success_timestamp_seconds //p' "$T/vigie.prom")
[ "$now_at" -gt "$ok_at" ] || fail "the time of the last success did not move: $now_at"
exit 0
