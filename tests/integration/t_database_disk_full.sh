#!/usr/bin/env bash
# The database's disk is full. vigie import says so and exits 74, having
# stored nothing: "disk I/O error (No space left on device)" when even the
# database's journal cannot be made, "database or disk is full" when the
# import runs out of room. And while vigied runs: a file renamed into the
# inbox that the database cannot take is not imported, and not rejected
# either (nothing is wrong with it): it stays in the inbox, the log says
# why, nothing of it is stored, and vigied goes on. Once there is room
# again, the next cycle (here on SIGHUP) imports it and evaluates it.
# The database lives on a small file system of its own, mounted in a mount
# namespace, filled by a ballast file.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1
command -v sqlite3 >/dev/null || { echo "sqlite3 missing"; exit 77; }
unshare -m true 2>/dev/null || { echo "no mount namespace (unshare -m)"; exit 77; }

mkdir -p "$T/db" "$T/rules.d" "$T/inbox"
printf 'database: %s/db/vigie.db\nrules: %s/rules.d\ninbox: %s/inbox\n' "$T" "$T" "$T" >"$T/vigie.yaml"
cat >"$T/rules.d/r.yaml" <<'YAML'
rules:
  - id: conflicts-high
    title: Conflits
    value: conflicts
    scope: "acme/*"
    above: { warning: 3 }
YAML
printf 'unit,period,headcount,conflicts\nacme/a,2026-01,10,1\n' >"$T/first.csv"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/first.csv"
# The file the disk cannot take: 40,000 values, and acme/a's conflicts.
$PY - "$T/big.csv" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    f.write("unit,period,headcount,conflicts\nacme/a,2026-02,10,7\n")
    for t in range(20000):
        f.write("acme/t%d,2026-02,%d,%d\n" % (t, 10 + t % 20, t % 3))
PY

cp -rp "$T/db" "$T/db.copy"

# ---- vigie import
# small ROOM SCRIPT: SCRIPT (sh) with the database on a file system of its
# own where ROOM KiB are left free.
small() {
	unshare -m sh -c 'mount -t tmpfs -o size=4m,mode=0700 tmpfs "$0" &&
		cp -p "$0.copy"/vigie.db "$0"/ &&
		{ dd if=/dev/zero of="$0/ballast" bs=4k 2>/dev/null; true; } &&
		truncate -s -"$1"K "$0/ballast" && exec sh -c "$2"' "$T/db" "$1" "$2"
}
IMPORT="$VIGIE -c $T/vigie.yaml import $T/big.csv 2>$T/err; echo \$? >$T/rc;
	rm $T/db/ballast; $PY $SRC/tests/integration/dbvalues.py $T/db/vigie.db >$T/values"
STORED=$(printf 'acme/a,2026-01,conflicts,1.0\nacme/a,2026-01,headcount,10.0')
small 0 "$IMPORT"
expect_eq "$(cat "$T/rc")" 74 "vigie import's exit status on a full disk"
expect_eq "$(cat "$T/err")" "vigie: cannot open database $T/db/vigie.db: disk I/O error (No space left on device); the folder $T/db is on a full disk, where SQLite cannot create $T/db/vigie.db-wal and $T/db/vigie.db-shm beside the database: free some space" "the message"
expect_eq "$(cat "$T/values")" "$STORED" "the values stored"
small 256 "$IMPORT"
expect_eq "$(cat "$T/rc")" 74 "vigie import's exit status when the disk fills up"
expect_eq "$(cat "$T/err")" "vigie import: $T/big.csv: cannot write to $T/db/vigie.db: database or disk is full (this file was not imported)" "the message"
expect_eq "$(cat "$T/values")" "$STORED" "the values stored"

# ---- vigied
(exec unshare -m sh -c 'mount -t tmpfs -o size=4m,mode=0700 tmpfs "$0" &&
	cp -p "$0.copy"/vigie.db "$0"/ && exec "$@"' "$T/db" \
	"$VIGIED" -c "$T/vigie.yaml") 2>"$T/vigied.err" &
VPID=$!
PIDS+=("$VPID")
wait_for grep -q "cycle:\|started" "$T/vigied.err" || { cat "$T/vigied.err"; fail "vigied did not start"; }
ns() { nsenter -t "$VPID" -m "$@"; }	# CMD...: in vigied's mount namespace
wait_for ns test -e "$T/db/vigie.db-wal" || { cat "$T/vigied.err"; fail "no database in the namespace"; }
ns dd if=/dev/zero of="$T/db/ballast" bs=4k 2>/dev/null
expect_eq "$(ns stat -f -c %a "$T/db")" 0 "room left on the database's disk"

cp "$T/big.csv" "$T/inbox/.big.csv"
touch -d '-10 seconds' "$T/inbox/.big.csv"
mv "$T/inbox/.big.csv" "$T/inbox/big.csv"
wait_for grep -q "cannot import big.csv" "$T/vigied.err" || { cat "$T/vigied.err"; fail "no error said"; }
expect_grep "cannot import big.csv: database or disk is full; it stays in the inbox and is retried at the next cycle" "$T/vigied.err"
sleep 1
kill -0 "$VPID" || { cat "$T/vigied.err"; fail "vigied stopped"; }
[ -e "$T/inbox/big.csv" ] || fail "big.csv left the inbox"
[ -e "$T/inbox/rejected/big.csv" ] && fail "big.csv was rejected"
expect_eq "$(ns $PY "$SRC/tests/integration/dbvalues.py" "$T/db/vigie.db")" "$STORED" \
	"the values stored"

# Room again: the next cycle takes it.
ns rm "$T/db/ballast"
kill -HUP "$VPID"
wait_for test -e "$T/inbox/processed/big.csv" || { cat "$T/vigied.err"; fail "big.csv not imported once there was room"; }
expect_grep "imported big.csv: 20001 rows" "$T/vigied.err"
fired() {
	[ "$(ns sqlite3 "$T/db/vigie.db" "SELECT count(*) FROM event WHERE kind = 'firing' AND unit = 'acme/a'" 2>/dev/null)" = 1 ]
}
wait_for fired || { cat "$T/vigied.err"; fail "the file's data were not evaluated"; }
kill "$VPID"
wait "$VPID"
expect_eq "$?" 0 "vigied's exit status"
exit 0
