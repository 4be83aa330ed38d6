#!/usr/bin/env bash
# Upgrading: the database migrates itself at the daemon's first start
# (README "Upgrading"), which vigied --check announces, and the daemon
# says so once, with the versions, in the log the operator reads after an
# upgrade; a new database is said to be created; a current one, nothing.
# So do a vigie command that migrates it while no vigied runs, on stderr,
# and vigie-web in its log (t_database_upgrade_running: not under one). The data survives the
# migration; an alert taken in charge keeps its taker's role (16).
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1

make_config ""
printf 'rules:\n  - id: c\n    title: C\n    value: conflicts\n    above: { warning: 2 }\n' \
    >"$T/rules.d/r.yaml"
printf 'unit,period,indicator,value\nacme/a,2026-01,headcount,20\nacme/a,2026-01,conflicts,5\n' \
    >"$T/d.csv"

expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_grep "database $T/vigie.db created" "$T/err"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/d.csv"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_no_grep "created" "$T/err"
expect_no_grep "upgraded" "$T/err"
# A current database: nothing to say of it.
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --check
expect_no_grep "schema version" "$T/out"
v=$(sqlite3 "$T/vigie.db" 'PRAGMA user_version')

# start_stop LOG READY PROGRAM ARGS...: runs a service until it logs READY
# to LOG, then stops it.
start_stop() {
	local log=$1 ready=$2; shift 2
	"$@" 2>"$log" &
	PIDS+=($!)
	wait_for grep -qF "$ready" "$log" || fail "$1 did not start: $(cat "$log")"
	kill "${PIDS[-1]}"
	wait "${PIDS[-1]}"
}

# The daemon, on a database as version 11 left it, where claire of the
# social service took the alert in charge.
make_old
sqlite3 "$T/vigie.db" "INSERT INTO account(name, role, hash, created_at, updated_at)
    VALUES('claire', 'social-worker', 'x', 0, 0);
    UPDATE alert SET acked_by = 'claire', acked_at = 1" || fail "cannot take the alert in charge"
# vigied --check, run before the restart, says the upgrade to come, the
# moment to back the database up, and leaves it as it is.
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --check
expect_eq "$(cat "$T/out")" "database $T/vigie.db: schema version 11, upgraded to $v at the next start (back it up first)
$T/vigie.yaml: configuration and 1 rule are valid"
expect_eq "$(sqlite3 "$T/vigie.db" 'PRAGMA user_version')" 11 "after vigied --check"
start_stop "$T/log" "started:" "$VIGIED" -c "$T/vigie.yaml"
expect_grep "<6>vigied: database $T/vigie.db upgraded from schema version 11 to $v" "$T/log"
[ "$(grep -c upgraded "$T/log")" = 1 ] || fail "said more than once: $(cat "$T/log")"
expect_eq "$(sqlite3 "$T/vigie.db" 'PRAGMA user_version')" "$v" "the version after the upgrade"
expect_eq "$(sqlite3 "$T/vigie.db" 'SELECT DISTINCT acked_by || " " || ifnull(acked_role, "-") FROM alert')" \
	"claire social-worker" "the taker's role after the upgrade"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" alerts
expect_grep "c@acme/a" "$T/out"
expect_no_grep "upgraded" "$T/err"

# A command run before the daemon restarts migrates it: it says so too.
make_old
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" alerts
expect_grep "c@acme/a" "$T/out"
expect_eq "$(cat "$T/err")" "vigie: database $T/vigie.db upgraded from schema version 11 to $v"
# So does the console, when it restarts before the daemon.
make_old
printf 'web:\n  listen: %s\n' "$T/web.sock" >>"$T/vigie.yaml"
start_stop "$T/weblog" "listening on" "$VIGIE_BIN/vigie-web" -c "$T/vigie.yaml"
expect_grep "database $T/vigie.db upgraded from schema version 11 to $v" "$T/weblog"
[ "$(grep -c upgraded "$T/weblog")" = 1 ] || fail "said more than once: $(cat "$T/weblog")"
exit 0
