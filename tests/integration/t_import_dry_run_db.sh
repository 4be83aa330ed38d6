#!/usr/bin/env bash
# vigie import --dry-run rehearses the import (SPEC 4: "validates and reports
# counts without writing"): where the import could not open or create the
# database, the rehearsal says so, with the import's own words and exit 74,
# instead of counting the rows as if they would go in. Where the import
# would create or fill it, the rehearsal succeeds and creates nothing.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1

printf 'unit,period,headcount\nacme/a,2025-01,20\n' >"$T/m.csv"
cfg() { printf 'database: %s\nrules: %s\n' "$1" "$T/rules.d" >"$T/vigie.yaml"; }
mkdir -p "$T/rules.d"

# What the import says, the rehearsal says: the same line, the same code.
rehearse() {
	expect_exit 74 "$VIGIE" -c "$T/vigie.yaml" import "$T/m.csv"
	real=$(cat "$T/err")
	expect_exit 74 "$VIGIE" -c "$T/vigie.yaml" import --dry-run "$T/m.csv"
	expect_eq "$(cat "$T/err")" "$1"
	[ -s "$T/out" ] && fail "rows counted: $(cat "$T/out")"
	case $real in "${1%: *}"*) ;; *) fail "the import said '$real'";; esac
}

head -c 4096 /dev/zero | tr '\0' 'x' >"$T/junk.db"
cfg "$T/junk.db"
rehearse "vigie: cannot open database $T/junk.db: file is not a database"
cfg "$T/nowhere/v.db"
rehearse "vigie: cannot create database $T/nowhere/v.db: No such file or directory"
mkdir "$T/dir.db"
cfg "$T/dir.db"
rehearse "vigie: cannot open database $T/dir.db: Is a directory"
expect_eq "$(head -c 4096 "$T/junk.db" | tr -d x | wc -c)" 0 "junk.db changed"

# A database to be: missing, empty, or SQLite's without Vigie's tables.
sqlite3 "$T/other.db" "CREATE TABLE t(a)"
: >"$T/empty.db"
for db in "$T/new.db" "$T/empty.db" "$T/other.db"; do
	cfg "$db"
	expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import --dry-run "$T/m.csv"
	expect_eq "$(cat "$T/out")" "$T/m.csv: 1 row, 1 value (dry run, nothing written: 1 would be added, 0 replaced, 0 unchanged)"
done
[ -e "$T/new.db" ] && fail "--dry-run created the database"
[ -s "$T/empty.db" ] && fail "--dry-run wrote into the empty file"
expect_eq "$(sqlite3 "$T/other.db" .tables)" t
exit 0
