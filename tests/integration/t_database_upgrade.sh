#!/usr/bin/env bash
# Upgrading: the database migrates itself at the daemon's first start
# (README "Upgrading"), and the daemon says so once, with the versions, in
# the log the operator reads after an upgrade; a new database is said to
# be created; a current one, nothing. So do a vigie command that
# migrates it, on stderr, and vigie-web in its log. The data survives the
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
v=$(sqlite3 "$T/vigie.db" 'PRAGMA user_version')

# make_old: the database as version 11 left it (migration 12 added
# note.edited_at, 14 import_log.actor and .via, 15 import_log.warnings and
# .warning_text, 16 alert.acked_role, 17 table kept_hidden, 18
# import_log.untold, 19 message_item.catchup and index message_target, 20
# event.file, 21 event.inhibited_by).
make_old() {
	sqlite3 "$T/vigie.db" 'ALTER TABLE note DROP COLUMN edited_at;
	    ALTER TABLE alert DROP COLUMN acked_role;
	    ALTER TABLE import_log DROP COLUMN actor; ALTER TABLE import_log DROP COLUMN via;
	    ALTER TABLE import_log DROP COLUMN warnings;
	    ALTER TABLE import_log DROP COLUMN warning_text;
	    ALTER TABLE import_log DROP COLUMN untold;
	    DROP TABLE kept_hidden;
	    ALTER TABLE message_item DROP COLUMN catchup; DROP INDEX message_target;
	    ALTER TABLE event DROP COLUMN file; ALTER TABLE event DROP COLUMN inhibited_by;
	    PRAGMA user_version = 11;' ||
		fail "cannot make an old database"
}
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
