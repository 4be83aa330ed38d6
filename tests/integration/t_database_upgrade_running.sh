#!/usr/bin/env bash
# Upgrading with the old vigied still running (README "Upgrading"):
# `make install` has replaced vigie and vigie-web, and a health check
# (vigie status --check) or the console starts before vigied is
# restarted. They do not migrate the database under that daemon, which
# would go on writing a schema it does not know: they refuse, exit 75
# (EX_TEMPFAIL: it mends itself once vigied restarts), and say what to do
# in one line. Once it has stopped, a command migrates it as before.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1

make_config ""
printf 'rules:\n  - id: c\n    title: C\n    value: conflicts\n    above: { warning: 2 }\n' \
    >"$T/rules.d/r.yaml"
printf 'unit,period,indicator,value\nacme/a,2026-01,headcount,20\nacme/a,2026-01,conflicts,5\n' \
    >"$T/d.csv"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/d.csv"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
v=$(db 'PRAGMA user_version')

# The daemon of the old release: a vigied running (idle once its first
# cycle is done, interval 1h) on a database of schema version 11.
VIGIE_DEBUG=1 "$VIGIED" -c "$T/vigie.yaml" 2>"$T/log" &
pid=$!
PIDS+=("$pid")
wait_for grep -qF "cycle: " "$T/log" || fail "vigied did not start: $(cat "$T/log")"
make_old
schema=$(db .schema)

refusal="database $T/vigie.db has schema version 11, older than this vigie's ($v), and the vigied running on it (pid $pid) has not upgraded it: restart vigied, which upgrades it"
expect_exit 75 "$VIGIE" -c "$T/vigie.yaml" status --check
expect_eq "$(cat "$T/err")" "vigie: $refusal, then run vigie again"
expect_eq "$(cat "$T/out")" "" "stdout of the refused status --check"
expect_exit 75 "$VIGIE" -c "$T/vigie.yaml" alerts
expect_eq "$(cat "$T/err")" "vigie: $refusal, then run vigie again"
# The console, started by its socket before vigied's restart.
printf 'web:\n  listen: %s\n' "$T/web.sock" >>"$T/vigie.yaml"
expect_exit 75 "$VIGIE_BIN/vigie-web" -c "$T/vigie.yaml"
expect_grep "<3>vigie-web: $refusal, then start vigie-web again" "$T/err"
# The same where /proc/locks is hidden, as under the shipped units
# (ProcSubset=pid): the pid the daemon wrote in the lock file is a
# running vigied's. (Root, for a mount namespace; not under valgrind,
# whose process is not named vigied.)
no_locks() { unshare -m sh -c 'mount -t proc -o subset=pid proc /proc && exec "$@"' _ "$@"; }
if [ "$(id -u)" = 0 ] && [ "${VIGIE_VALGRIND:-0}" != 1 ] && no_locks test ! -e /proc/locks; then
	expect_exit 75 no_locks "$VIGIE" -c "$T/vigie.yaml" status --check
	expect_eq "$(cat "$T/err")" "vigie: $refusal, then run vigie again" "/proc/locks hidden"
	expect_exit 75 no_locks "$VIGIE_BIN/vigie-web" -c "$T/vigie.yaml"
	expect_grep "<3>vigie-web: $refusal, then start vigie-web again" "$T/err"
else
	echo "not root, or no mount namespace: not tried with /proc/locks hidden"
fi
# Nothing was written: the schema is the old one.
expect_eq "$(db 'PRAGMA user_version')" 11 "the version after the refusals"
expect_eq "$(db .schema)" "$schema" "the schema after the refusals"
kill -0 "$pid" || fail "vigied stopped"

# vigied stopped (its restart would migrate it): a command migrates it,
# and says so, once.
kill "$pid"
wait "$pid"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" status --check
expect_eq "$(cat "$T/err")" "vigie: database $T/vigie.db upgraded from schema version 11 to $v"
expect_grep "daemon:       not running" "$T/out"
expect_eq "$(db 'PRAGMA user_version')" "$v" "the version after the upgrade"
exit 0
