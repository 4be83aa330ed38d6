#!/usr/bin/env bash
# A companion X_max (SPEC 3: the largest single contribution to X) greater
# than X is impossible, a column mix-up in the export. SPEC 4 does not make
# it an error, so it is a warning at the X_max cell: `vigie import` and
# --dry-run print it on stderr and keep exit 0 and the import; the daemon
# logs it for an inbox file, which is imported and moved to processed/.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1
make_config
DB="$T/vigie.db"
cd "$T"
msg() {	# msg FILE:LINE:COL UNIT PERIOD: the values not said (SPEC 3: the journal
	# shows no figure of a unit)
	echo "$1: warning: absence_days_max is greater than absence_days for unit $2, period $3: the largest single contribution cannot exceed the total (columns swapped in the export?); imported as given, but dominance control will be wrong for this cell until it is corrected"
}

# Wide form: X_max and X swapped on acme/a's row.
cat >"$T/swapped.csv" <<'CSV'
unit,period,headcount,absence_days,absence_days_max
acme/a,2025-01,10,12,40
acme/b,2025-01,10,40,12
CSV
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import --dry-run swapped.csv
expect_eq "$(cat "$T/err")" "$(msg swapped.csv:2:22 acme/a 2025-01)"
expect_eq "$(cat "$T/out")" "swapped.csv: 2 rows, 6 values (dry run, nothing written: 6 would be added, 0 replaced, 0 unchanged)"
[ -e "$DB" ] && fail "--dry-run created the database"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import swapped.csv
expect_eq "$(cat "$T/err")" "$(msg swapped.csv:2:22 acme/a 2025-01)"
expect_eq "$(cat "$T/out")" "swapped.csv: 2 rows, 6 values (6 added, 0 replaced, 0 unchanged)"
expect_eq "$($PY "$SRC/tests/integration/dbvalues.py" "$DB" | grep '^acme/a,')" \
"acme/a,2025-01,absence_days,12.0
acme/a,2025-01,absence_days_max,40.0
acme/a,2025-01,headcount,10.0"
# The import log keeps it in the console's language (locale, default fr),
# for the import page.
expect_eq "$($PY -c 'import sqlite3, sys; print(*sqlite3.connect(sys.argv[1]).execute("SELECT warnings, warning_text FROM import_log").fetchone(), sep="|", end="")' "$DB")" \
	"1|2:22:absence_days_max est supérieur à absence_days pour l'unité acme/a, période 2025-01"$'\u202f'": la plus grande contribution ne peut dépasser le total (colonnes inversées dans l'export"$'\u202f'"?)"$'\u202f'"; importé tel quel, mais le contrôle de dominance sera faux pour cette cellule jusqu'à sa correction"

# Long form, X and X_max on different rows, a French export: the place
# is the X_max value cell. A file with X_max alone is not compared with
# the stored X (documented in vigie(1)).
printf 'unit;period;indicator;value\r\nacme/c;2025-01;absence_days_max;"9,5"\r\nacme/c;2025-01;headcount;8\r\nacme/c;2025-01;absence_days;3\r\n' >"$T/long.csv"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import long.csv
expect_eq "$(cat "$T/err")" "$(msg long.csv:2:33 acme/c 2025-01)"
printf 'unit,period,absence_days_max\nacme/a,2025-01,50\n' >"$T/maxonly.csv"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import maxonly.csv
[ -s "$T/err" ] && fail "unexpected stderr: $(cat "$T/err")"

# A part above its whole (absence days above workable days, resignations
# above departures, short spells above spells): the same warning at the
# part's cell, imported as given; equal is fine.
cat >"$T/parts.csv" <<'CSV'
unit;period;workable_days;absence_days;departures;resignations;absence_episodes;short_absences;headcount
acme/e;2025-01;922;1500;1;1;3;3;40
acme/f;2025-01;922;50;0;2;3;5;40
acme/g;2025-01;922;4;0;0;9;1;40
CSV
part() {	# part FILE:LINE:COL PART WHOLE UNIT
	echo "$1: warning: $2 is greater than $3 for unit $4, period 2025-01, of which it counts a part (a typo, or columns swapped in the export?); imported as given, and the rules read it as it is until it is corrected"
}
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import parts.csv
expect_eq "$(cat "$T/err")" "$(part parts.csv:2:20 absence_days workable_days acme/e)
$(part parts.csv:3:25 resignations departures acme/f)
$(part parts.csv:3:29 short_absences absence_episodes acme/f)
$(part parts.csv:4:26 absence_episodes absence_days acme/g)"
expect_eq "$(cat "$T/out")" "parts.csv: 3 rows, 21 values (21 added, 0 replaced, 0 unchanged)"

# A normal file: nothing on stderr.
printf 'unit,period,headcount,absence_days,absence_days_max\nautre/a,2025-02,10,12,12\nautre/b,2025-02,10,30,4\n' >"$T/fine.csv"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import --dry-run fine.csv
[ -s "$T/err" ] && fail "unexpected stderr (dry run): $(cat "$T/err")"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import fine.csv
[ -s "$T/err" ] && fail "unexpected stderr: $(cat "$T/err")"

# The inbox: imported, moved to processed/, the warning beside it.
printf 'unit,period,headcount,absence_days,absence_days_max\nacme/d,2025-03,10,2,7\n' >"$T/inbox/.hr.csv"
touch -d '-10 seconds' "$T/inbox/.hr.csv"
mv "$T/inbox/.hr.csv" "$T/inbox/hr.csv"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_grep "$(msg hr.csv:2:21 acme/d 2025-03)" "$T/inbox/processed/hr.csv.warnings.txt"
expect_grep "hr.csv: imported with 1 warning, the first at line 2, column 21" "$T/err"
[ -e "$T/inbox/processed/hr.csv" ] || fail "hr.csv not moved to processed/"
[ -e "$T/inbox/rejected/hr.csv" ] && fail "hr.csv rejected"
expect_eq "$($PY "$SRC/tests/integration/dbvalues.py" "$DB" | grep '^acme/d,2025-03,absence_days_max')" \
	"acme/d,2025-03,absence_days_max,7.0"
# A normal inbox file logs no warning.
printf 'unit,period,headcount,absence_days,absence_days_max\nacme/d,2025-04,10,9,2\n' >"$T/inbox/.ok.csv"
touch -d '-10 seconds' "$T/inbox/.ok.csv"
mv "$T/inbox/.ok.csv" "$T/inbox/ok.csv"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_no_grep "warning:" "$T/err"
[ -e "$T/inbox/processed/ok.csv" ] || fail "ok.csv not moved to processed/"
exit 0
