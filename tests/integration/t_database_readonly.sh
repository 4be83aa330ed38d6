#!/usr/bin/env bash
# A database the daemon's user cannot write (a backup restored as root, a
# copy left read-only, a read-only file system): SQLite opens it read-only
# without a word, and every cycle would then fail to record anything and
# deliver nothing, for as long as the daemon ran. vigied --check and vigie
# check warn about it at `database:` (exit 0: the check may run as another
# user than the daemon); the daemon refuses it at start, saying which
# database, which user and what to do: exit 74, and 1 with --once (SPEC 8);
# vigie status still reads it.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1

make_config ""
mkdir "$T/db"
sed -i "s|^database: .*|database: $T/db/vigie.db|" "$T/vigie.yaml"
printf 'rules:\n  - id: c\n    title: C\n    value: conflicts\n    above: { warning: 2 }\n' \
    >"$T/rules.d/r.yaml"
printf 'unit,period,indicator,value\nacme/a,2026-01,headcount,20\nacme/a,2026-01,conflicts,1\n' \
    >"$T/d.csv"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/d.csv"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once

# Root writes any file: the commands run as nobody then, on a database
# nobody owns but cannot write, in a folder nobody can write in (so only
# the file is at fault).
as_nobody
chmod 0400 "$T/db/vigie.db"
sum=$(md5sum <"$T/db/vigie.db")

want="the database $T/db/vigie.db is not writable by this user"
expect_exit 0 "${as[@]}" "$VIGIED" -c "$T/vigie.yaml" --check
expect_grep "$T/vigie.yaml:1:11: warning: $want" "$T/err"
expect_exit 0 "${as[@]}" "$VIGIE" -c "$T/vigie.yaml" check
expect_grep "$T/vigie.yaml:1:11: warning: $want" "$T/err"

# The daemon and --once refuse it at once, with one line that says why.
want="the database $T/db/vigie.db is read-only for this user"
expect_exit 74 "${as[@]}" timeout 20 "$VIGIED" -c "$T/vigie.yaml"
expect_grep "$want" "$T/err"
expect_no_grep "attempt to write a readonly database" "$T/err"
expect_exit 1 "${as[@]}" timeout 20 "$VIGIED" -c "$T/vigie.yaml" --once
expect_grep "$want" "$T/err"
expect_no_grep "attempt to write a readonly database" "$T/err"
[ "$(wc -l <"$T/err")" -le 2 ] || { cat "$T/err"; fail "more than the reason was logged"; }
expect_eq "$(md5sum <"$T/db/vigie.db")" "$sum" "the database changed"

# Reading it still works.
expect_exit 0 "${as[@]}" "$VIGIE" -c "$T/vigie.yaml" status
expect_grep "latest period 2026-01" "$T/out"

# The file made writable, but not the -shm that a reader of the read-only
# file left read-only beside it: SQLite opens it read-write, and every
# write fails. Refused all the same.
ls "$T/db/vigie.db-shm" >/dev/null || fail "no -shm left beside the database"
chmod 0600 "$T/db/vigie.db"
expect_exit 1 "${as[@]}" timeout 20 "$VIGIED" -c "$T/vigie.yaml" --once
expect_grep "$want" "$T/err"
expect_no_grep "attempt to write a readonly database" "$T/err"

# Writable again, -wal and -shm too: the daemon runs.
chmod 0600 "$T/db"/vigie.db-*
expect_exit 0 "${as[@]}" timeout 20 "$VIGIED" -c "$T/vigie.yaml" --once
expect_no_grep "readonly" "$T/err"
exit 0
