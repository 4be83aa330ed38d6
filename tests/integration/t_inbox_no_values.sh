#!/usr/bin/env bash
# A file the inbox rejects for its values (SPEC 8) is reported in the
# journal and beside it in rejected/NAME.errors.txt with each error's place
# and column, never the value: a value is a figure of a unit, here of a
# team of 3 below the floor, which no log may show (SPEC 3). Nothing is
# imported. `vigie import` of the same file quotes the values to the person
# who runs it, who has the file.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1
command -v sqlite3 >/dev/null || { echo "sqlite3 missing"; exit 77; }

make_config "locale: en"
conflicts_rule
# Figures no log may show: -7 conflicts in a team of 3, and 1 234 (a
# spreadsheet's thousands separator) in a team of 40.
printf 'unit,period,headcount,conflicts,absence_days\nacme/petite,2026-01,3,-7,0\nacme/grande,2026-01,40,2,1 234\n' \
	>"$T/inbox/.bad.csv"
mv "$T/inbox/.bad.csv" "$T/inbox/bad.csv"
timeout 20 "$VIGIED" -c "$T/vigie.yaml" --once 2>"$T/vigied.err"
rc=$?
[ $rc = 0 ] || { cat "$T/vigied.err"; fail "vigied --once exited $rc"; }

R=$T/inbox/rejected
[ -e "$R/bad.csv" ] || { cat "$T/vigied.err"; fail "bad.csv not moved to rejected/"; }
for f in "$T/vigied.err" "$R/bad.csv.errors.txt"; do
	expect_grep "bad.csv:2:23: error: negative value … in column \"conflicts\"" "$f"
	expect_grep "bad.csv:3:26: error: bad value \"…\" in column \"absence_days\": thousands separators are not read; write … (" "$f"
	for v in -7 "1 234" 1234; do
		expect_no_grep "$v" "$f"
	done
done
expect_exit 0 sqlite3 "$T/vigie.db" "SELECT count(*) FROM series"
expect_eq "$(cat "$T/out")" 0 "values stored from a rejected file"

# The person who imports by hand reads the values in the errors.
expect_exit 65 "$VIGIE" -c "$T/vigie.yaml" import "$R/bad.csv"
expect_grep "negative value -7 in column \"conflicts\"" "$T/err"
expect_grep "bad value \"1 234\" in column \"absence_days\": thousands separators are not read; write 1234 (" "$T/err"
