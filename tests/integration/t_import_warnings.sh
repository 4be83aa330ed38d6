#!/usr/bin/env bash
# Mistakes an import cannot reject (SPEC 4 lists the errors, and scripts
# rely on the exit status) but that later break detection, said as
# warnings on stderr: exit 0, the values stored, stdout unchanged. Among
# them (4.) the month's file without an indicator of the month before.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1
make_config
DB="$T/vigie.db"
cd "$T"

# A first, correct file: nothing on stderr.
cat >"$T/base.csv" <<'CSV'
unit,period,headcount,absence_days,overtime_hours
acme/usine/logistique,2025-01,12,30,4
acme/usine/maintenance,2025-01,9,12,0
acme/siege/compta,2025-01,6,2,1
CSV
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import base.csv
no_err "a correct file"

# 1. Misspelt indicator headers: new to the database, not in the
# vocabulary, close to a known name; once per indicator, at the header.
cat >"$T/typo_ind.csv" <<'CSV'
unit,period,headcount,overtime_hour,absences_episodes
acme/usine/logistique,2025-02,12,5,3
acme/usine/maintenance,2025-02,9,1,2
CSV
# The month's file without indicators its units had the month before
# (here the misspelt one among them): said once, at the header.
dropped="typo_ind.csv:1:13: warning: this file has none of absence_days, overtime_hours for 2025-02, and none is stored (units of the file that had them for 2025-01: 2): if another file brings them, import that file too; otherwise the rules that read them cannot evaluate 2025-02"
ind_warnings="typo_ind.csv:1:23: warning: \"overtime_hour\" is a new indicator, not in the recommended vocabulary (did you mean \"overtime_hours\"?)
typo_ind.csv:1:37: warning: \"absences_episodes\" is a new indicator, not in the recommended vocabulary (did you mean \"absence_episodes\"?)
$dropped"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import --dry-run typo_ind.csv
expect_eq "$(cat "$T/err")" "$ind_warnings" "--dry-run"
expect_eq "$(cat "$T/out")" "typo_ind.csv: 2 rows, 6 values (dry run, nothing written: 6 would be added, 0 replaced, 0 unchanged)"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import typo_ind.csv
expect_eq "$(cat "$T/err")" "$ind_warnings"
expect_eq "$(cat "$T/out")" "typo_ind.csv: 2 rows, 6 values (6 added, 0 replaced, 0 unchanged)"
expect_eq "$($PY "$SRC/tests/integration/dbvalues.py" "$DB" | grep -c ',2025-02,overtime_hour,')" 2
# Stored now: a second import of the same names is not new any more; the
# indicators still missing are.
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import typo_ind.csv
expect_eq "$(cat "$T/err")" "$dropped" "names stored by the import before"
# A company's own indicator far from any known name, a companion X_max
# and the long form's own indicator (and the month before's): nothing.
cat >"$T/own.csv" <<'CSV'
unit,period,headcount,night_shifts,absence_days_max,overtime_hour,absences_episodes
acme/usine/logistique,2025-03,12,40,9,5,3
CSV
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import own.csv
# Only a team the file leaves out of the month (its sibling sent, it did
# last month): said once, at the header.
expect_eq "$(cat "$T/err")" "own.csv:1:13: warning: acme/usine/maintenance sent 2025-02 and has nothing for 2025-03, neither in this file nor stored, though the file brings its siblings: left out of the export? Until its figures are imported, its parent's totals for 2025-03 lack them and its rules cannot evaluate 2025-03" "a company's own indicator"
# A French export's names: the vocabulary's name for each, which the
# shipped rules read; not when the file carries that name too.
cat >"$T/french.csv" <<'CSV'
unit;period;headcount;effectif;conflits;heures_supplementaires
acme/usine/logistique;2025-04;12;12;1;30
CSV
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import french.csv
expect_eq "$(cat "$T/err")" "french.csv:1:32: warning: \"conflits\" is a new indicator, not in the recommended vocabulary, whose name for it is \"conflicts\": the shipped rules read that one
french.csv:1:41: warning: \"heures_supplementaires\" is a new indicator, not in the recommended vocabulary, whose name for it is \"overtime_hours\": the shipped rules read that one
french.csv:1:13: warning: this file has none of absence_days_max, absences_episodes, night_shifts, overtime_hour for 2025-04, and none is stored (units of the file that had them for 2025-03: 1): if another file brings them, import that file too; otherwise the rules that read them cannot evaluate 2025-04"
expect_eq "$(cat "$T/out")" "french.csv: 1 row, 4 values (4 added, 0 replaced, 0 unchanged)"

# A new indicator with one value for every unit: a code, not a count.
printf 'unit;period;headcount;code_site\nacme/usine/logistique;2025-02;12;54000\nacme/usine/maintenance;2025-02;9;54000\nacme/siege/compta;2025-02;6;54000\n' >"$T/code.csv"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import --dry-run code.csv
expect_grep "code.csv:1:23: warning: \"code_site\" is a new indicator, not in the recommended vocabulary, with the same value for every unit of the file: a code or a label rather than a count? Vigie would store it, add it up over each unit's teams and offer it to the rules; if it is not an indicator, leave the column out of the export" "$T/err"

# 2. Misspelt unit paths: new to the database, a small edit away from a
# stored sibling; once per unit, at its first cell. A new segment higher
# up is compared with its own siblings. New units of their own (a new
# team, a numbered or lettered sibling) are not warned about.
cat >"$T/typo_unit.csv" <<'CSV'
unit,period,headcount,absence_days
acme/usine/maintenance,2025-02,9,3
acme/usine/logistque,2025-02,12,4
acme/usine/logistque,2025-03,12,5
acme/usnie/qualite,2025-02,7,1
acme/usine/expedition,2025-02,8,2
acme/usine/maintenance-2,2025-02,8,2
CSV
unit_warnings="typo_unit.csv:3:1: warning: \"acme/usine/logistque\" is a new unit, not in the database (did you mean \"acme/usine/logistique\"?)
typo_unit.csv:5:1: warning: \"acme/usnie/qualite\" is a new unit, not in the database (did you mean \"acme/usine/qualite\"?)"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import --dry-run typo_unit.csv
expect_eq "$(cat "$T/err")" "$unit_warnings" "--dry-run"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import typo_unit.csv
expect_eq "$(cat "$T/err")" "$unit_warnings"
expect_eq "$(cat "$T/out")" "typo_unit.csv: 6 rows, 12 values (11 added, 0 replaced, 1 unchanged)"
expect_eq "$($PY "$SRC/tests/integration/dbvalues.py" "$DB" | grep -c '^acme/usine/logistque,')" 4
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import typo_unit.csv
no_err "units stored by the import before"
# An export that changed a path's case (a whole site in capitals, one
# segment capitalised): the stored spelling, whole; a path with a typo in
# two segments: both corrected in the one suggestion.
cat >"$T/case_unit.csv" <<'CSV'
unit,period,headcount,absence_days
ACME/USINE/MAINTENANCE,2025-02,9,3
acme/Usine/logistique,2025-02,12,4
acme/siegge/comtpa,2025-02,6,1
CSV
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import --dry-run case_unit.csv
expect_eq "$(cat "$T/err")" "case_unit.csv:2:1: warning: \"ACME/USINE/MAINTENANCE\" is a new unit, not in the database, that differs from \"acme/usine/maintenance\" in case only: unit paths are case-sensitive, so it is a unit of its own, without that one's history; write it as stored (once imported, vigie delete --period 2025-02 --unit ACME/USINE/MAINTENANCE takes it out)
case_unit.csv:3:1: warning: \"acme/Usine/logistique\" is a new unit, not in the database, that differs from \"acme/usine/logistique\" in case only: unit paths are case-sensitive, so it is a unit of its own, without that one's history; write it as stored (once imported, vigie delete --period 2025-02 --unit acme/Usine/logistique takes it out)
case_unit.csv:4:1: warning: \"acme/siegge/comtpa\" is a new unit, not in the database (did you mean \"acme/siege/compta\"?)"

# 2b. A spreadsheet's total row, a valid unit of its own: said, imported
# (a warning never rejects a file); "totale" is a team's name, not a total.
printf 'unit,period,headcount\nacme/usine/Total,2025-02,40\nTOTAL,2025-02,90\nacme/usine/totale,2025-02,5\n' >"$T/total.csv"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import --dry-run total.csv
expect_eq "$(cat "$T/err")" "total.csv:2:1: warning: \"acme/usine/Total\" looks like a spreadsheet's total row: Vigie adds a unit's teams up itself, and this one would be a team of its own, with its own alerts; leave the row out
total.csv:3:1: warning: \"TOTAL\" looks like a spreadsheet's total row: Vigie adds a unit's teams up itself, and this one would be a team of its own, with its own alerts; leave the row out"

# 3. A leaf unit with values at a period and no headcount there, neither
# in the file nor stored: once per (unit, period), at the unit's first
# cell. Its parent's headcount is its children's sum: not warned about.
hc_msg() {	# hc_msg FILE:LINE:COL UNIT PERIOD
	echo "$1: warning: $2 has no headcount for $3, neither in this file nor stored: its figures for that month are hidden (SPEC 3), and may hide a sibling with them, until one is imported"
}
cat >"$T/nohc.csv" <<'CSV'
unit,period,headcount,absence_days
acme/siege/compta,2025-05,6,2
acme/siege/compta,2025-06,,3
acme/siege/paie,2025-05,,1
acme/siege/paie,2025-06,,1
acme/siege,2025-06,,9
CSV
hc_warnings="$(hc_msg nohc.csv:2:1 acme/siege/compta 2025-06)
$(hc_msg nohc.csv:4:1 acme/siege/paie 2025-05)
$(hc_msg nohc.csv:4:1 acme/siege/paie 2025-06)"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import --dry-run nohc.csv
expect_eq "$(cat "$T/err")" "$hc_warnings" "--dry-run"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import nohc.csv
expect_eq "$(cat "$T/err")" "$hc_warnings"
expect_eq "$(cat "$T/out")" "nohc.csv: 5 rows, 6 values (6 added, 0 replaced, 0 unchanged)"
# Headcount in a separate file of the same command, before or after it:
# the command as a whole leaves nothing missing, nothing is said, with
# --dry-run too (where nothing is stored). A file that brings only part of
# it leaves the rest said; one that brings a team under a leaf makes it a
# parent, whose headcount is its children's.
printf 'unit,period,headcount\nacme/siege/compta,2025-06,6\nacme/siege/paie,2025-05,5\nacme/siege/paie,2025-06,5\n' >"$T/hc.csv"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import --dry-run nohc.csv hc.csv
no_err "headcount in a later file, --dry-run"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import --dry-run hc.csv nohc.csv
no_err "headcount in an earlier file, --dry-run"
printf 'unit,period,headcount\nacme/siege/compta,2025-06,6\n' >"$T/hc_part.csv"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import --dry-run nohc.csv hc_part.csv
expect_eq "$(cat "$T/err")" "$(hc_msg nohc.csv:4:1 acme/siege/paie 2025-05)
$(hc_msg nohc.csv:4:1 acme/siege/paie 2025-06)" "part of the headcount in a later file"
printf 'unit,period,headcount,absence_days\nacme/siege/compta,2025-06,6,\nacme/siege/paie/equipe,2025-05,5,1\nacme/siege/paie/equipe,2025-06,5,1\n' >"$T/team.csv"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import --dry-run nohc.csv team.csv
no_err "a team under a leaf in a later file"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import nohc.csv hc.csv
no_err "headcount in a later file"
expect_eq "$(cat "$T/out")" "nohc.csv: 5 rows, 6 values (0 added, 0 replaced, 6 unchanged)
hc.csv: 3 rows, 3 values (3 added, 0 replaced, 0 unchanged)"
# Imported again alone, its empty headcount cells (of its last year of
# periods) are not taken to remove what hc.csv stored: kept, said once.
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import nohc.csv
expect_eq "$(cat "$T/err")" "nohc.csv:2:1: warning: 3 values stored have an empty cell in this file and are kept (the first: headcount of acme/siege/compta for 2025-06): an empty cell keeps the stored value; to remove one, vigie delete --period PERIOD --unit UNIT --indicator NAME" "headcount stored"
printf 'unit,period,headcount,absence_days\nacme/siege/compta,2025-06,6,\nacme/siege/paie,2025-06,5,1\n' >"$T/emptied.csv"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import emptied.csv
expect_eq "$(cat "$T/err")" "emptied.csv:2:1: warning: absence_days of acme/siege/compta for 2025-06 is stored and its cell in this file is empty: an empty cell keeps the stored value; if it was wrong, remove it (vigie delete --period 2025-06 --unit acme/siege/compta --indicator absence_days)" "one cell emptied"
expect_eq "$($PY "$SRC/tests/integration/dbvalues.py" "$DB" | grep -c '^acme/siege/compta,2025-06,absence_days,3.0')" 1
# A file with no headcount column: every leaf period without one, at most
# 20 printed, then a count.
{ echo unit,period,absence_days
  for m in 01 02 03 04 05 06 07 08 09 10 11 12; do echo "acme/neuf/a,2024-$m,1"; echo "acme/neuf/b,2024-$m,1"; done
} >"$T/nocol.csv"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import nocol.csv
expect_eq "$(wc -l <"$T/err")" 21
expect_eq "$(head -n 1 "$T/err")" "$(hc_msg nocol.csv:2:1 acme/neuf/a 2024-01)"
expect_eq "$(tail -n 1 "$T/err")" "nocol.csv: 4 more warnings not shown"
expect_eq "$(cat "$T/out")" "nocol.csv: 24 rows, 24 values (24 added, 0 replaced, 0 unchanged)"

# 4. The month's file without an indicator its units had the month
# before, neither in the file nor stored: the rules that read it cannot
# evaluate the month. A column that lacks some units: at the first, with
# their number; columns the file does not have: once, at the header,
# unless another file of the same import brings them. Not for a correction
# of a past period.
printf 'unit,period,headcount,absence_days,overtime_hours\nacme/ops/a,2025-09,10,5,2\nacme/ops/b,2025-09,10,5,2\nacme/ops/c,2025-09,10,5,2\n' >"$T/sep.csv"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import sep.csv
no_err "a new site's first month"
printf 'unit,period,headcount,absence_days,overtime_hours\nacme/ops/a,2025-10,10,5,2\nacme/ops/b,2025-10,10,5,\nacme/ops/c,2025-10,10,,\n' >"$T/oct.csv"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import --dry-run oct.csv
expect_eq "$(cat "$T/err")" "oct.csv:3:1: warning: 2 units of the file (the first: acme/ops/b) have no overtime_hours for 2025-10, neither in this file nor stored, and had it for 2025-09: the rules that read it cannot evaluate 2025-10 for them until it is imported
oct.csv:4:1: warning: acme/ops/c has no absence_days for 2025-10, neither in this file nor stored, and had it for 2025-09: the rules that read it cannot evaluate 2025-10 there until it is imported" "a column without some units"
printf 'unit,period,headcount\nacme/ops/a,2025-10,10\nacme/ops/b,2025-10,10\nacme/ops/c,2025-10,10\n' >"$T/oct-hc.csv"
printf 'unit,period,absence_days,overtime_hours\nacme/ops/a,2025-10,5,2\nacme/ops/b,2025-10,5,2\nacme/ops/c,2025-10,5,2\n' >"$T/oct-abs.csv"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import --dry-run oct-hc.csv
expect_eq "$(cat "$T/err")" "oct-hc.csv:1:13: warning: this file has none of absence_days, overtime_hours for 2025-10, and none is stored (units of the file that had them for 2025-09: 3): if another file brings them, import that file too; otherwise the rules that read them cannot evaluate 2025-10" "columns missing"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import --dry-run oct-hc.csv oct-abs.csv
no_err "the month in two files of one import"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import oct-abs.csv oct-hc.csv
no_err "the month in two files of one import, imported"

# The inbox: imported, moved to processed/, the warnings beside it.
inbox() {	# inbox NAME: drops $T/NAME into the inbox and runs one cycle
	cp "$T/$1" "$T/inbox/.$1"
	touch -d '-10 seconds' "$T/inbox/.$1"
	mv "$T/inbox/.$1" "$T/inbox/$1"
	expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
	[ -e "$T/inbox/processed/$1" ] || fail "$1 not moved to processed/"
}
printf 'unit,period,headcount,grievence\nacme/siege/compta,2025-04,6,1\nacme/siege/compta-x,2025-04,6,1\nacme/siege/compt,2025-04,6,1\n' >"$T/hr.csv"
inbox hr.csv
W=$T/inbox/processed
expect_grep 'hr.csv:4:1: warning: "acme/siege/compt" is a new unit, not in the database (did you mean "acme/siege/compta"?)' "$W/hr.csv.warnings.txt"
expect_grep 'hr.csv:1:23: warning: "grievence" is a new indicator, not in the recommended vocabulary (did you mean "grievances"?)' "$W/hr.csv.warnings.txt"
# The journal says how many and where, not what (SPEC 3: logs).
expect_grep "hr.csv: imported with 2 warnings, the first at line " "$T/err"
expect_no_grep "acme/siege/compt" "$T/err"
printf 'unit,period,absence_days\nacme/siege/compta,2025-07,4\n' >"$T/nohc2.csv"
inbox nohc2.csv
expect_grep "$(hc_msg nohc2.csv:2:1 acme/siege/compta 2025-07)" "$W/nohc2.csv.warnings.txt"
# Files taken in the same pass are one import: the headcount in a file
# read after it (names in order) silences the warning; what it leaves
# missing is said, once, at the end of the pass.
printf 'unit,period,absence_days\nacme/siege/compta,2025-08,4\nacme/siege/paie,2025-08,2\n' >"$T/a-absences.csv"
printf 'unit,period,headcount\nacme/siege/compta,2025-08,6\n' >"$T/b-effectifs.csv"
for f in a-absences.csv b-effectifs.csv; do
	cp "$T/$f" "$T/inbox/.$f"
	touch -d '-10 seconds' "$T/inbox/.$f"
	mv "$T/inbox/.$f" "$T/inbox/$f"
done
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
[ -e "$T/inbox/processed/b-effectifs.csv" ] || fail "b-effectifs.csv not moved to processed/"
[ -e "$W/b-effectifs.csv.warnings.txt" ] && fail "b-effectifs.csv warned"
expect_no_grep "acme/siege/compta has no headcount" "$W/a-absences.csv.warnings.txt"
expect_eq "$(grep -c 'has no headcount' "$W/a-absences.csv.warnings.txt")" 1
expect_grep "$(hc_msg a-absences.csv:3:1 acme/siege/paie 2025-08)" "$W/a-absences.csv.warnings.txt"
# The month's file without its columns, dropped in the inbox: logged.
printf 'unit,period,headcount\nacme/ops/a,2025-11,10\nacme/ops/b,2025-11,10\nacme/ops/c,2025-11,10\n' >"$T/nov-hc.csv"
inbox nov-hc.csv
expect_grep "nov-hc.csv:1:13: warning: this file has none of absence_days, overtime_hours for 2025-11, and none is stored (units of the file that had them for 2025-10: 3)" "$W/nov-hc.csv.warnings.txt"
# October corrected once November is in (a team's headcount, the other
# indicators it had in September still missing): not the month's file.
printf 'unit,period,headcount\nacme/ops/c,2025-10,10\n' >"$T/oct-fix.csv"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import oct-fix.csv
no_err "a correction of a past month"

# 5. The month's file that repeats the month before (the previous export
# sent again as the next month): nine in ten of its values compared with
# the stored month before are equal, zeros aside, over 20 pairs and 3
# indicators at least. A real month repeats a third at most.
month() {	# month PERIOD N: five teams of acme/rep, the first N with one more absence day
	echo unit,period,headcount,absence_days,overtime_hours,hours_worked,conflicts
	for i in 1 2 3 4 5; do echo "acme/rep/t$i,$1,$((10 + i)),$((3 + i + (i <= $2))),$((2 * i)).5,$((1500 + 10 * i)),0"; done
}
# These months ended long ago, and a cycle evaluated the ones before:
# their imports also have the warning of a history imported month by month
# (t_import_backfill), left aside here.
others() { grep -v ' ended [0-9]* months ago: a history imported a month at a time' "$T/err"; }
month 2025-11 0 >"$T/rep-nov.csv"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import rep-nov.csv
no_err "a new site's month"
month 2025-12 0 >"$T/rep-dec.csv"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import --dry-run rep-dec.csv
expect_grep "rep-dec.csv:1:13: warning: 2025-12 ended " "$T/err"
expect_eq "$(others)" "rep-dec.csv:1:13: warning: 20 of the 20 values compared (zeros aside) are those stored for 2025-11: the export of 2025-11 sent again as 2025-12? The rules would read it as a period where nothing changed; if so, remove it (vigie delete --period 2025-12, or the console's import page) and import the right file" "November again as December"
month 2025-12 2 >"$T/rep-dec.csv"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import --dry-run rep-dec.csv
expect_grep "rep-dec.csv:1:13: warning: 18 of the 20 values compared (zeros aside) are those stored for 2025-11" "$T/err"
# Three values of twenty that moved: a month.
month 2025-12 3 >"$T/rep-dec.csv"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import rep-dec.csv
expect_eq "$(others)" "" "December"

# 6. A file that leaves the period before it empty for its units, which
# had the one before that: the month's export under the next month's
# name, or a month forgotten. Not when another file of the same import
# brings that period; not for a team away for a month.
month 2026-02 3 >"$T/rep-feb.csv"
month 2026-01 0 >"$T/rep-jan.csv"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import --dry-run rep-feb.csv
expect_eq "$(cat "$T/err")" "rep-feb.csv:1:13: warning: the file begins at 2026-02, and none of its units compared has a value stored for 2026-01 (5 had some for 2025-12): the export of 2026-01 sent as 2026-02? If so, remove it (vigie delete --period 2026-02, or the console's import page) and import it as 2026-01; if not, import 2026-01 too, or the rules read 2026-02 without it" "January skipped"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import rep-feb.csv rep-jan.csv
no_err "January and February in one import"
month 2026-03 0 | grep -v t1, >"$T/rep-mar.csv"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import rep-mar.csv
expect_eq "$(cat "$T/err")" "rep-mar.csv:1:13: warning: acme/rep/t1 sent 2026-02 and has nothing for 2026-03, neither in this file nor stored, though the file brings its siblings: left out of the export? Until its figures are imported, its parent's totals for 2026-03 lack them and its rules cannot evaluate 2026-03" "March without t1"
month 2026-04 3 >"$T/rep-apr.csv"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import rep-apr.csv
no_err "t1 back in April"
# Two teams left out: counted, the first named; not when another file of
# the same import brings them.
month 2026-05 0 | grep -v -e t1, -e t2, >"$T/may-part.csv"
month 2026-05 0 | grep -e ^unit -e t1, -e t2, >"$T/may-rest.csv"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import --dry-run may-part.csv
expect_eq "$(cat "$T/err")" "may-part.csv:1:13: warning: 2 units that sent 2026-04 have nothing for 2026-05, neither in this file nor stored, though the file brings their siblings (the first: acme/rep/t1): left out of the export? Until their figures are imported, their parents' totals for 2026-05 lack them and their rules cannot evaluate 2026-05" "two teams left out"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import --dry-run may-part.csv may-rest.csv
no_err "the teams in another file of the import"
# Through the inbox, where the file is checked again once imported: May,
# then June that repeats it, said in the log and beside the file.
month 2026-05 0 >"$T/rep-may.csv"
inbox rep-may.csv
expect_no_grep "rep-may.csv:1" "$T/err"
month 2026-06 0 >"$T/rep-jun.csv"
inbox rep-jun.csv
jun="rep-jun.csv:1:13: warning: 20 of the 20 values compared (zeros aside) are those stored for 2026-05: the export of 2026-05 sent again as 2026-06?"
# (the other: June ended long ago, after May was evaluated)
expect_grep "rep-jun.csv: imported with 2 warnings, the first at line 1, column 13" "$T/err"
expect_grep "rep-jun.csv:1:13: warning: 2026-06 ended " "$W/rep-jun.csv.warnings.txt"
expect_eq "$(grep -c 'rep-jun.csv:1:13: warning: 20 of the 20' "$W/rep-jun.csv.warnings.txt")" 1 "said once"
expect_grep "$jun" "$T/inbox/processed/rep-jun.csv.warnings.txt"
# A unit's size ten times that of the month before, or a tenth (a typo, a
# column shifted), or 0: once per unit and indicator, at the unit's first
# cell, which way said; nine times is a team that grew.
month 2026-07 1 | sed -e 's/^acme\/rep\/t2,2026-07,12,/acme\/rep\/t2,2026-07,1200,/' \
	-e 's/^acme\/rep\/t3,2026-07,13,\(.*\),1530,0$/acme\/rep\/t3,2026-07,13,\1,153,0/' \
	-e 's/^acme\/rep\/t4,2026-07,14,/acme\/rep\/t4,2026-07,126,/' \
	-e 's/^acme\/rep\/t5,2026-07,15,/acme\/rep\/t5,2026-07,0,/' >"$T/rep-jul.csv"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import --dry-run rep-jul.csv
expect_eq "$(others)" "rep-jul.csv:3:1: warning: headcount of acme/rep/t2 for 2026-07 is at least 10 times that of 2026-06 (a typo, or columns shifted in the export?); imported as given, and the rules read it as it is until it is corrected
rep-jul.csv:4:1: warning: hours_worked of acme/rep/t3 for 2026-07 is at most a tenth of that of 2026-06 (a typo, or columns shifted in the export?); imported as given, and the rules read it as it is until it is corrected
rep-jul.csv:6:1: warning: headcount of acme/rep/t5 for 2026-07 is at most a tenth of that of 2026-06 (a typo, or columns shifted in the export?); imported as given, and the rules read it as it is until it is corrected" "sizes ten times"
# One cause for many units (a decimal separator lost): one warning.
month 2026-07 1 | sed -e 's/,\(15[0-9][0-9]\),0$/,\10,0/' >"$T/rep-jul2.csv"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import --dry-run rep-jul2.csv
expect_eq "$(others)" "rep-jul2.csv:2:1: warning: hours_worked of 5 units of the file (the first: acme/rep/t1) for 2026-07 is at least 10 times that of 2026-06, or at most a tenth of it: a column shifted, or a decimal separator lost, in the export? Imported as given, and the rules read them as they are until they are corrected" "one cause, one warning"
# A rolling export (the months before sent again): its earlier months are
# read too, a size against the month before it in the file, an emptied
# cell against what is stored.
{ month 2026-05 0 | sed -e 's/^acme\/rep\/t3,2026-05,13,/acme\/rep\/t3,2026-05,1300,/' \
	-e 's/^\(acme\/rep\/t4,2026-05,14\),[0-9]*,/\1,,/'
  month 2026-06 0 | tail -n +2; } >"$T/rolling.csv"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import --dry-run rolling.csv
expect_eq "$(others)" "rolling.csv:5:1: warning: absence_days of acme/rep/t4 for 2026-05 is stored and its cell in this file is empty: an empty cell keeps the stored value; if it was wrong, remove it (vigie delete --period 2026-05 --unit acme/rep/t4 --indicator absence_days)
rolling.csv:4:1: warning: headcount of acme/rep/t3 for 2026-05 is at least 10 times that of 2026-04 (a typo, or columns shifted in the export?); imported as given, and the rules read it as it is until it is corrected" "a rolling export"
# A team closed, its row exported as zeros: one warning, as that.
month 2026-07 0 | sed -e 's/^acme\/rep\/t1,2026-07,.*/acme\/rep\/t1,2026-07,0,0,0,0,0/' >"$T/closed.csv"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import --dry-run closed.csv
expect_eq "$(others)" "closed.csv:2:1: warning: every value of acme/rep/t1 for 2026-07 is 0: a team closed, its row exported as zeros? With a headcount of 0 its rules cannot read it; leave the row out" "a row of zeros"

# 7. The import log keeps each import's warnings, whoever imported, in the
# console's language (locale, default fr): the import page shows them to
# HR, who does not read the daemon's log (vigie-web(8)). Their number, and
# the first 20 as LINE:COL:MESSAGE.
NNBSP=$'\u202f'
logged() {	# logged SOURCE [DESC]: the warnings of its first (or latest) import
	$PY - "$DB" "$1" "${2:-}" <<'PY'
import sqlite3, sys
r = sqlite3.connect(sys.argv[1]).execute("SELECT warnings, warning_text FROM import_log"
    " WHERE source = ? ORDER BY id " + sys.argv[3] + " LIMIT 1", (sys.argv[2],)).fetchone()
print(r[0]); print(r[1] or "", end="")
PY
}
expect_eq "$(logged typo_ind.csv | head -n 3)" "3
1:23:«${NNBSP}overtime_hour${NNBSP}» est un nouvel indicateur, absent du vocabulaire recommandé (vouliez-vous dire «${NNBSP}overtime_hours${NNBSP}»${NNBSP}?)
1:37:«${NNBSP}absences_episodes${NNBSP}» est un nouvel indicateur, absent du vocabulaire recommandé (vouliez-vous dire «${NNBSP}absence_episodes${NNBSP}»${NNBSP}?)" "vigie import's warnings"
expect_eq "$(logged base.csv)" "0" "a file without warnings"
expect_eq "$(logged rep-jun.csv | grep -v " il y a [0-9]* mois${NNBSP}: un historique")" "2
1:13:20 des 20 valeurs comparées (zéros à part) sont celles de 2026-05 dans la base${NNBSP}: l'export de 2026-05 envoyé à nouveau pour 2026-06${NNBSP}? Les règles y liraient une période où rien n'a changé${NNBSP}; si c'est le cas, retirez-la (vigie delete --period 2026-06, ou la page d'import de la console) et importez le bon fichier" "the inbox's warning"
# Past 20: the number, and the first 20.
expect_eq "$(logged nocol.csv | head -n 1)" 24 "a file with many warnings"
expect_eq "$(logged nocol.csv | sed 1d | wc -l)" 20 "the warnings kept"
# Under locale: en, in English.
sed -i '1i locale: en' "$T/vigie.yaml"
printf 'unit,period,headcount,harasment_reports\nacme/siege/compta,2026-07,6,1\n' >"$T/en.csv"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import en.csv
expect_eq "$(logged en.csv | sed -n 2p)" '1:23:"harasment_reports" is a new indicator, not in the recommended vocabulary (did you mean "harassment_reports"?)' "locale: en"
exit 0
