#!/usr/bin/env bash
# SPEC 8: a file renamed into the inbox is ingested within 2 s, also while
# the cycle's delivery waits on a webhook that does not answer (here for
# its whole 6 s timeout). The file is imported during the transfer, and the
# cycle that follows the delivery evaluates it.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1
source "$VIGIE_SRC/tests/integration/notify_lib.sh"
command -v sqlite3 >/dev/null || { echo "sqlite3 missing"; exit 77; }

# Tenths of a second the import may take (SPEC: 2 s).
LIMIT=20
[ "${VIGIE_VALGRIND:-0}" = 1 ] && LIMIT=100

notify_data
$PY "$SRC/tests/integration/hung_server.py" http "$T/hung.port" &
PIDS+=("$!")
wait_for test -e "$T/hung.port" || fail "hung server did not start"
make_config "webhooks:
  hook:
    url: http://127.0.0.1:$(cat "$T/hung.port")/hook
    timeout: 6s
recipients:
  hr:
    - webhook: [hook]"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/data.csv"

"$VIGIED" -c "$T/vigie.yaml" 2>"$T/vigied.err" &
VPID=$!
PIDS+=("$VPID")
in_flight() {
	[ "$(notify_sql "SELECT count(*) FROM message WHERE claimed_by IS NOT NULL" \
	    2>/dev/null)" = 1 ]
}
wait_for in_flight || { cat "$T/vigied.err"; fail "no delivery in flight"; }
sleep 0.5

inbox_drop late.csv $'unit,period,headcount,conflicts\nacme/metz/accueil,2026-03,12,7\n' $LIMIT
expect_eq "$(notify_sql "SELECT count(*) FROM message WHERE claimed_by IS NOT NULL")" 1 \
	"the transfer still in flight when the file was ingested"
expect_eq "$($PY "$SRC/tests/integration/dbvalues.py" "$T/vigie.db" | grep '^acme/metz/accueil,2026-03,conflicts')" \
	"acme/metz/accueil,2026-03,conflicts,7.0" "the value imported"

# Once the transfer has timed out, the next cycle evaluates the new month.
fired() {
	[ "$(notify_sql "SELECT count(*) FROM event WHERE kind = 'escalated'")" -ge 1 ]
}
wait_for fired || { cat "$T/vigied.err"; notify_sql "SELECT kind FROM event"; fail "the new data was not evaluated after the delivery"; }
kill "$VPID"
wait "$VPID"
expect_eq "$?" 0 "vigied's exit status"
exit 0
