#!/usr/bin/env bash
# A team under the floor at a month Vigie has evaluated stays under it
# there, whatever headcount a later file gives it (SPEC 3 against time):
# a "corrected" headcount of 29 for a team of 4 would otherwise show its
# figures of then, and the team hidden beside it, to every reader. The
# cycle that shows a month keeps its small teams under the floor (a
# daemon's first, those of the months shown before), and the
# import that lifts one says so, its dry run too. A month not evaluated
# yet follows the new headcount, without a word.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1
make_config "min_headcount: 5"
cd "$T"
absence_rule
warned() {	# FILE PERIOD: the import's warning about co/s/a
	echo "$1:2:1: warning: co/s/a was under the anonymity floor at $2, a period Vigie has already evaluated: its figures there stay hidden whatever headcount it is given now, since shown they would give away what the floor hid (SPEC 3); the headcount is imported, and the periods not evaluated yet follow it"
}
abs() { absence_at "$@"; }
kept() { db "SELECT count(*) FROM kept_hidden WHERE unit = 'co/s/a' AND indicator = ''"; }

# co/s: a, 4 people, hidden; b, 6, the smallest other, hidden with it.
cat >sept.csv <<'CSV'
unit,period,headcount,absence_days
co/s/a,2026-09,4,71
co/s/b,2026-09,6,13
co/s/c,2026-09,20,209
co/s/d,2026-09,25,309
CSV
printf 'unit,period,headcount\nco/s/a,2026-09,29\n' >raise.csv
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import sept.csv
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_eq "$(abs co/s 2026-09) $(abs co/s/a 2026-09) $(abs co/s/b 2026-09) $(abs co/s/c 2026-09)" \
	"602 hidden hidden 209" "what September showed"
expect_eq "$(kept)" 1 "the cycle keeps a under the floor at September"
cp vigie.db cycled.db

expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import raise.csv
expect_eq "$(cat "$T/err")" "$(warned raise.csv 2026-09)"
expect_eq "$(abs co/s/a 2026-09) $(abs co/s/b 2026-09) $(abs co/s 2026-09)" \
	"hidden hidden 602" "a and b after the new headcount"
expect_grep "raise.csv: 1 row, 1 value (0 added, 1 replaced, 0 unchanged)" "$T/out"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_eq "$(abs co/s/a 2026-09) $(abs co/s/b 2026-09)" "hidden hidden" "after the next cycle"

# A database from before (no such row): the daemon's first cycle
# evaluates, though nothing changed, and keeps a under the floor; then
# the dry run says the same as the import.
cp cycled.db vigie.db
db "DELETE FROM kept_hidden WHERE indicator = ''"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_eq "$(kept)" 1 "kept by the daemon's first cycle"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import --dry-run raise.csv
expect_eq "$(cat "$T/err")" "$(warned raise.csv 2026-09)" "the dry run"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import raise.csv
expect_eq "$(abs co/s/a 2026-09) $(abs co/s/b 2026-09)" "hidden hidden" "a database from before"

# October, imported and not evaluated: the new headcount counts there.
sed 's/2026-09/2026-10/' sept.csv >oct.csv
sed 's/2026-09/2026-10/' raise.csv >raise-oct.csv
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import oct.csv raise-oct.csv
no_err "a month not evaluated yet"
expect_eq "$(abs co/s/a 2026-10) $(abs co/s/b 2026-10)" "71 13" "October, 29 people"
exit 0
