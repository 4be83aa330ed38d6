#!/usr/bin/env bash
# A row of a wide file pasted twice (SPEC 4: a duplicate unit, period and
# indicator is an error): one error for the row, naming the line where its
# unit and period first came, not one per indicator filling the 20 errors
# printed; a row repeating only some of its values keeps one error a cell.
# The file is rejected all the same: exit 65, nothing written.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1
make_config
DB="$T/vigie.db"
cd "$T"
printf 'unit;period;headcount\nacme/siege/paie;2025-01;6\n' >"$T/first.csv"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import first.csv
sqlite3 "$DB" .dump >"$T/before.sql"

# A French export of 12 indicators, a row pasted again at the end, and a
# row of another team whose headcount alone repeats.
{
	echo 'unit;period;headcount;workable_days;absence_days;absence_episodes;short_absences;departures;resignations;hours_worked;overtime_hours;work_accidents;conflicts;grievances'
	echo 'acme/siege/paie;2025-02;6;120;4,5;2;1;0;0;840;12;0;0;0'
	echo 'acme/siege/compta;2025-02;8;160;3;1;1;0;0;1120;4;0;1;0'
	echo 'acme/siege/compta;2025-02;8;;;;;;;;;;;'
	echo 'acme/siege/paie;2025-02;6;120;4,5;2;1;0;0;840;12;0;0;0'
	echo 'acme/siege/rh;2025-02;5;100;0;0;0;0;0;700;0;0;0;0'
} >"$T/feb.csv"
expect_exit 65 "$VIGIE" -c "$T/vigie.yaml" import feb.csv
expect_eq "$(cat "$T/err")" 'feb.csv:4:27: error: duplicate value for unit acme/siege/compta, period 2025-02, indicator headcount (first given at line 3, column 27)
feb.csv:5:1: error: duplicate row for unit acme/siege/paie, period 2025-02 (first given at line 2): keep one row per unit and period
vigie import: nothing was imported'
[ -s "$T/out" ] && fail "unexpected stdout: $(cat "$T/out")"
sqlite3 "$DB" .dump >"$T/after.sql"
cmp -s "$T/before.sql" "$T/after.sql" || fail "the database changed after a rejected import"
expect_exit 65 "$VIGIE" -c "$T/vigie.yaml" import --dry-run feb.csv
expect_grep 'feb.csv:5:1: error: duplicate row for unit acme/siege/paie, period 2025-02 (first given at line 2)' "$T/err"

# The inbox: rejected, with the same one error in NAME.errors.txt.
cp "$T/feb.csv" "$T/inbox/.feb.csv"
touch -d '-10 seconds' "$T/inbox/.feb.csv"
mv "$T/inbox/.feb.csv" "$T/inbox/feb.csv"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
[ -e "$T/inbox/rejected/feb.csv" ] || fail "feb.csv not moved to rejected/"
expect_eq "$(grep -c 'duplicate' "$T/inbox/rejected/feb.csv.errors.txt")" 2
expect_grep 'feb.csv:5:1: error: duplicate row for unit acme/siege/paie, period 2025-02 (first given at line 2): keep one row per unit and period' \
    "$T/inbox/rejected/feb.csv.errors.txt"
# (the daemon's cycle records itself: only the values are compared)
expect_eq "$($PY "$SRC/tests/integration/dbvalues.py" "$DB")" "acme/siege/paie,2025-01,headcount,6.0" \
    "the values after a rejected inbox file"
exit 0
