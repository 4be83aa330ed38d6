#!/usr/bin/env bash
# SPEC 4: a value already stored is replaced by the one a later file
# brings, also through the inbox. A file sent again after another version
# of it (a mistaken export, then the right one again), after `vigie
# delete`, or after another import changed values (`vigie import`, another
# file), is imported; the same content as the latest import under its name,
# with nothing imported or deleted since (a crash between the import and
# the move), is only moved.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1

make_config ""
conflicts_rule
# drop CONFLICTS [OWNER]: rps.csv into the inbox as a writer would
# (written aside, renamed in, settled), then one cycle.
drop() {
	printf 'unit,period,headcount,conflicts\nacme/a,2025-01,10,%s\n' "$1" >"$T/inbox/.rps.csv"
	[ -z "${2:-}" ] || chown "$2" "$T/inbox/.rps.csv"
	touch -d '-10 seconds' "$T/inbox/.rps.csv"
	mv "$T/inbox/.rps.csv" "$T/inbox/rps.csv"
	expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
}
value() { $PY "$SRC/tests/integration/dbvalues.py" "$T/vigie.db" | grep '^acme/a,2025-01,conflicts'; }

origin() { sqlite3 "$T/vigie.db" "SELECT actor || ' ' || via FROM import_log ORDER BY id DESC LIMIT 1"; }

drop 1
expect_eq "$(value)" "acme/a,2025-01,conflicts,1.0" "first export"
# The import log names who dropped the file: its owner.
expect_eq "$(origin)" "$(id -un) inbox" "the first export's origin"
if [ "$(id -u)" = 0 ]; then
	drop 9 nobody
	expect_eq "$(origin)" "nobody inbox" "the origin of a file of another user"
else
	drop 9
fi
expect_eq "$(value)" "acme/a,2025-01,conflicts,9.0" "mistaken export"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" alerts
expect_grep "conflicts-high@acme/a" "$T/out"
drop 1
expect_eq "$(value)" "acme/a,2025-01,conflicts,1.0" "the first export sent again"
expect_no_grep "already imported" "$T/err"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" alerts
expect_no_grep "conflicts-high@acme/a" "$T/out"

# The same content again: moved, not imported (nothing changed anyway).
n=$(sqlite3 "$T/vigie.db" "SELECT count(*) FROM import_log")
drop 1
expect_grep "already imported" "$T/err"
expect_eq "$(sqlite3 "$T/vigie.db" "SELECT count(*) FROM import_log")" "$n" "not imported again"

# Values changed since by another import: the same content again is a
# correction (the export is right, the change was not), imported. First
# by `vigie import`, then by another file of the inbox.
printf 'unit,period,conflicts\nacme/a,2025-01,9\n' >"$T/fix.csv"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/fix.csv"
expect_eq "$(value)" "acme/a,2025-01,conflicts,9.0" "vigie import"
drop 1
expect_no_grep "already imported" "$T/err"
expect_eq "$(value)" "acme/a,2025-01,conflicts,1.0" "sent again after vigie import"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" alerts
expect_no_grep "conflicts-high@acme/a" "$T/out"
printf 'unit,period,conflicts\nacme/a,2025-01,9\n' >"$T/inbox/.other.csv"
touch -d '-10 seconds' "$T/inbox/.other.csv"
mv "$T/inbox/.other.csv" "$T/inbox/other.csv"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_eq "$(value)" "acme/a,2025-01,conflicts,9.0" "another inbox file"
drop 1
expect_no_grep "already imported" "$T/err"
expect_eq "$(value)" "acme/a,2025-01,conflicts,1.0" "sent again after another file"

# Deleted, then the same file again: its values come back.
sleep 1
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" delete --period 2025-01
expect_eq "$(value)" "" "deleted"
drop 1
expect_eq "$(value)" "acme/a,2025-01,conflicts,1.0" "sent again after the deletion"
exit 0
