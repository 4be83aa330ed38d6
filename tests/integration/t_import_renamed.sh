#!/usr/bin/env bash
# A past month sent again, after a reorganisation, as the HR system still
# exports it: its old paths (vigie rename, a merge, a move, one after the
# other). Imported, the team would be counted twice in its site and the
# company for any month both paths have, a merged team's sum replaced by
# one team's value, and a small team's figure worked out from the site's
# before and after. `vigie import` (and --dry-run) and the inbox refuse
# the whole file, exit 65, nothing written, at a period the new path has
# or not (else the export under the new path, sent next as the error
# says, would count the team twice), in one file with the new paths too;
# a name another team took since is that team's.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1
command -v sqlite3 >/dev/null || { echo "sqlite3 missing"; exit 77; }
make_config
cd "$T"
values() { $PY "$SRC/tests/integration/dbvalues.py" "$T/vigie.db" | md5sum; }
imports() { db "SELECT count(*) FROM import_log"; }
today=$(date -u +%F)
said() {	# FILE:LINE OLD NEW
	echo "$1: error: \"$2\" was renamed \"$3\" (vigie rename, $today): write the new path in the export (under its old path the team would be a unit of its own again, without its history, and counted twice in the figures of the units above it for any month both have; teams merged: one row, with their sums)"
}

# Before: a, b and c at site s; then b renamed bb, c merged into a, and
# bb moved to site t.
cat >old.csv <<'CSV'
unit,period,headcount,conflicts
acme/s/a,2026-01,40,1
acme/s/b,2026-01,30,2
acme/s/c,2026-01,12,0
acme/s/a,2026-02,41,0
acme/s/b,2026-02,31,1
acme/s/c,2026-02,12,1
CSV
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import old.csv
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" rename acme/s/b acme/s/bb
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" rename acme/s/c acme/s/a --merge
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" rename acme/s/bb acme/t/bb
printf 'unit,period,headcount,conflicts\nacme/s/a,2026-03,53,1\nacme/t/bb,2026-03,31,0\n' >mar.csv
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import mar.csv
v0=$(values)
i0=$(imports)
sha0=$(sha256sum <vigie.db)

# February again, as exported before: refused, whole, dry run or not.
printf 'unit,period,headcount,conflicts\nacme/s/a,2026-02,41,0\nacme/s/b,2026-02,31,1\nacme/s/c,2026-02,12,1\n' >feb.csv
expect_exit 65 "$VIGIE" -c "$T/vigie.yaml" import feb.csv
expect_eq "$(cat "$T/err")" "$(said feb.csv:3:1 acme/s/b acme/t/bb)
$(said feb.csv:4:1 acme/s/c acme/s/a)
vigie import: nothing was imported" "February's old paths"
expect_eq "$(cat "$T/out")" "" "no summary line"
expect_eq "$(values)" "$v0" "the values after a refused file"
expect_eq "$(imports)" "$i0" "the import log after a refused file"
expect_eq "$(sha256sum <vigie.db)" "$sha0" "the database file"
expect_exit 65 "$VIGIE" -c "$T/vigie.yaml" import --dry-run feb.csv
expect_eq "$(cat "$T/err")" "$(said feb.csv:3:1 acme/s/b acme/t/bb)
$(said feb.csv:4:1 acme/s/c acme/s/a)
vigie import: nothing was imported" "--dry-run"
# With a good file before it: nothing of either is written.
expect_exit 65 "$VIGIE" -c "$T/vigie.yaml" import mar.csv feb.csv
expect_eq "$(values)|$(imports)" "$v0|$i0" "a good file before a refused one"
# Several months of an old path: said once.
printf 'unit,period,headcount\nacme/s/b,2026-01,30\nacme/s/b,2026-02,31\nacme/s/b,2026-04,31\n' >b.csv
expect_exit 65 "$VIGIE" -c "$T/vigie.yaml" import b.csv
expect_eq "$(cat "$T/err")" "$(said b.csv:2:1 acme/s/b acme/t/bb)
vigie import: nothing was imported" "three months"

# The inbox: rejected, the errors beside it, nothing written.
cp feb.csv inbox/.feb.csv
touch -d '-10 seconds' inbox/.feb.csv
mv inbox/.feb.csv inbox/feb.csv
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
[ -e inbox/rejected/feb.csv ] || fail "feb.csv not rejected: $(ls -R inbox)"
expect_eq "$(cat inbox/rejected/feb.csv.errors.txt)" "$(said feb.csv:3:1 acme/s/b acme/t/bb)
$(said feb.csv:4:1 acme/s/c acme/s/a)" "the inbox's errors"
expect_eq "$(values)|$(imports)" "$v0|$i0" "after the inbox"

# April under the old path, which its new one has no value of yet: the
# export with the new path, next, would count the team twice. Refused,
# also with both paths in one file; the new path alone is imported.
printf 'unit,period,headcount\nacme/s/b,2026-04,31\n' >apr.csv
expect_exit 65 "$VIGIE" -c "$T/vigie.yaml" import apr.csv
expect_eq "$(cat "$T/err")" "$(said apr.csv:2:1 acme/s/b acme/t/bb)
vigie import: nothing was imported" "an uncovered month"
printf 'unit,period,headcount\nacme/t/bb,2026-04,31\nacme/s/b,2026-04,31\n' >both.csv
expect_exit 65 "$VIGIE" -c "$T/vigie.yaml" import both.csv
expect_eq "$(cat "$T/err")" "$(said both.csv:3:1 acme/s/b acme/t/bb)
vigie import: nothing was imported" "both paths in one file"
expect_eq "$(values)|$(imports)" "$v0|$i0" "after the refused Aprils"
printf 'unit,period,headcount,conflicts\nacme/t/bb,2026-04,31,0\n' >apr-new.csv
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import apr-new.csv
no_err "April under the new path"

# Two teams that swapped names: each name is the other team's now.
printf 'unit,period,headcount\nacme/u/p,2026-01,20\nacme/u/p,2026-02,20\nacme/u/r,2026-01,9\n' >u.csv
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import u.csv
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" rename acme/u/p acme/u/tmp
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" rename acme/u/r acme/u/p
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" rename acme/u/tmp acme/u/r
printf 'unit,period,headcount\nacme/u/p,2026-02,9\n' >swap.csv
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import --dry-run swap.csv
no_err "a name taken again"
exit 0
