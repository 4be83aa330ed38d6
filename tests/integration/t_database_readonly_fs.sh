#!/usr/bin/env bash
# A database on a read-only file system (a backup mounted read-only, a
# remount after disk errors): SQLite cannot create DATABASE-wal and -shm
# beside it, and its last system error names one of those ("No such file
# or directory") for a file that is there. The commands say what is wrong
# and what to do (SPEC 10), exit 74.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1
[ "$(id -u)" = 0 ] || { echo "not root: no read-only mount"; exit 77; }

make_config ""
conflicts_rule
printf 'unit,period,headcount,conflicts\nacme/a,2026-01,20,1\n' >"$T/a.csv"
mkdir "$T/db" "$T/ro"
sed -i "s|^database: .*|database: $T/ro/vigie.db|" "$T/vigie.yaml"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/a.csv"
mv "$T/ro/vigie.db" "$T/db/"
rm -f "$T/ro/vigie.db"-*
mount --bind "$T/db" "$T/ro" 2>/dev/null || { echo "cannot bind-mount here"; exit 77; }
trap 'umount "$T/ro" 2>/dev/null; cleanup' EXIT
mount -o remount,bind,ro "$T/ro" 2>/dev/null || { echo "cannot remount read-only here"; exit 77; }
expect_exit 74 "$VIGIE" -c "$T/vigie.yaml" status
expect_grep "vigie: cannot open database $T/ro/vigie.db: " "$T/err"
expect_grep "; the folder $T/ro is on a read-only file system, where SQLite cannot create $T/ro/vigie.db-wal and $T/ro/vigie.db-shm beside the database: copy the database to a writable folder to read it" "$T/err"
exit 0
