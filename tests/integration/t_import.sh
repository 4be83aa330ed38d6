#!/usr/bin/env bash
# vigie import (SPEC 4): a French spreadsheet export, a correction, a
# rejected file that writes nothing, a missing file, --dry-run, two imports
# at once, and the database's mode.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1
DATA="$SRC/tests/data"
make_config
DB="$T/vigie.db"
# Values as "unit,period,indicator,value", sorted (decoded from the packed
# series, whose invariants dbvalues.py checks too).
values() {
	$PY "$SRC/tests/integration/dbvalues.py" "${1:-$DB}" || fail "dbvalues.py ${1:-$DB}"
}

# Usage errors and help.
expect_exit 64 "$VIGIE" -c "$T/vigie.yaml" import
expect_grep "vigie import: no file to import" "$T/err"
expect_exit 0 "$VIGIE" import --help
expect_grep "usage: vigie import [-c CONFIG] [--dry-run] [--format text|json] FILE..." "$T/out"

# A French export: BOM, ';', decimal comma, CRLF, quoted units.
cp "$DATA/fr_export.csv" "$T/absences.csv"
cd "$T"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import absences.csv
expect_eq "$(cat "$T/out")" "absences.csv: 4 rows, 11 values (11 added, 0 replaced, 0 unchanged)"
[ -s "$T/err" ] && fail "unexpected stderr: $(cat "$T/err")"
expect_eq "$(values)" "acme/metz,2025-01,absence_days,7.5
acme/metz,2025-01,conflicts,2.0
acme/metz,2025-01,headcount,15.0
acme/nancy/accueil,2025-01,absence_days,0.0
acme/nancy/accueil,2025-01,conflicts,0.0
acme/nancy/accueil,2025-01,headcount,8.0
acme/nancy/logistique,2025-01,absence_days,12.5
acme/nancy/logistique,2025-01,conflicts,1.0
acme/nancy/logistique,2025-01,headcount,20.0
acme/nancy/logistique,2025-02,absence_days,30.25
acme/nancy/logistique,2025-02,headcount,21.0"
# One packed row per unit and indicator, starting at its first period.
expect_eq "$(sqlite3 "$DB" "SELECT u.path, i.name, s.p0, length(s.vals) FROM series s
  JOIN unit u ON u.id = s.unit JOIN indicator i ON i.id = s.indicator ORDER BY 1, 2")" \
"acme/metz|absence_days|24300|8
acme/metz|conflicts|24300|8
acme/metz|headcount|24300|8
acme/nancy/accueil|absence_days|24300|8
acme/nancy/accueil|conflicts|24300|8
acme/nancy/accueil|headcount|24300|8
acme/nancy/logistique|absence_days|24300|16
acme/nancy/logistique|conflicts|24300|8
acme/nancy/logistique|headcount|24300|16"
expect_eq "$(stat -c %a "$DB")" 600 "database mode"
expect_eq "$(sqlite3 "$DB" "SELECT source, sha256, rows, vals, added FROM import_log")" \
	"absences.csv|$(sha256sum absences.csv | cut -d' ' -f1)|4|11|11"
# Who: the operating-system user of the command, as the audit log names it.
case $(sqlite3 "$DB" "SELECT actor || '|' || via FROM import_log") in
"$(id -un)|cli" | "$(id -un) (login "*")|cli") ;;
*) fail "the import's origin: $(sqlite3 "$DB" "SELECT actor, via FROM import_log")" ;;
esac

# A correction replaces a past value; the unchanged one is counted as such.
cp "$DATA/fr_correction.csv" "$T/correction.csv"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import correction.csv
expect_eq "$(cat "$T/out")" "correction.csv: 3 rows, 3 values (1 added, 1 replaced, 1 unchanged)"
expect_eq "$(values | grep '^acme/nancy/logistique,2025-02,absence_days,')" \
	"acme/nancy/logistique,2025-02,absence_days,31.5"
expect_eq "$(values | grep -c .)" 12
# vigie status reads the packed rows: units with data and their ancestors
# (acme, acme/nancy), and each unit's latest period (the end of its longest
# series: logistique's headcount, 2025-03, and so acme/nancy's and acme's).
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" status --format json
$PY -c 'import json, sys; d = json.load(open(sys.argv[1]))["data"]
assert (d["latest_period"], d["units"], d["stale_units"]) == ("2025-03", 5,
    [{"unit": "acme/metz", "latest_period": "2025-01"},
     {"unit": "acme/nancy/accueil", "latest_period": "2025-01"}]), d' "$T/out" \
	|| fail "status after the correction"
expect_eq "$(sqlite3 "$DB" "SELECT s.p0, hex(s.vals) FROM series s JOIN unit u ON u.id = s.unit
  JOIN indicator i ON i.id = s.indicator WHERE u.path = 'acme/nancy/logistique'
  AND i.name = 'headcount'")" "24300|000000000000344000000000000035400000000000003640"
expect_eq "$(sqlite3 "$DB" "SELECT id, source, rows, vals, added, replaced, unchanged
  FROM import_log ORDER BY id")" "1|absences.csv|4|11|11|0|0
2|correction.csv|3|3|1|1|1"

# A rejected file: every error with its place, exit 65, not one byte written,
# even for the good file named before it.
sqlite3 "$DB" .dump >"$T/before.sql"
cp "$DATA/bad_mixed.csv" "$T/bad.csv"
cat >"$T/good.csv" <<'CSV'
unit,period,headcount
acme/lyon,2025-03,5
CSV
expect_exit 65 "$VIGIE" -c "$T/vigie.yaml" import good.csv bad.csv
cat >"$T/want" <<'ERR'
bad.csv:2:23: error: negative value -4 in column "absence_days": indicator values are counts or amounts, never negative
bad.csv:3:5: error: bad unit "acme nancy": invalid character in unit path (allowed: A-Z a-z 0-9 . _ - and / between segments)
bad.csv:4:11: error: period 2025-W05 is a week but this database holds months
bad.csv:5:21: error: row has 3 fields but the header has 4
bad.csv:6:21: error: bad value "1,5" in column "absence_days": a decimal comma is only accepted when the delimiter is ';' or tab; use a decimal point
bad.csv:7:20: error: duplicate value for unit acme/nancy, period 2025-01, indicator headcount (first given at line 2, column 20)
vigie import: nothing was imported
ERR
diff -u "$T/want" "$T/err" || fail "rejected file: wrong diagnostics"
[ -s "$T/out" ] && fail "unexpected stdout: $(cat "$T/out")"
sqlite3 "$DB" .dump >"$T/after.sql"
cmp -s "$T/before.sql" "$T/after.sql" || fail "the database changed after a rejected import"

# A spreadsheet's accented unit names: the error says which character and
# the ASCII name to use, when only accented letters stand in the way.
printf 'unit,period,headcount\nacme/épinal,2025-03,9\nŒuvres/Saint Dié,2025-03,9\n' >"$T/accents.csv"
expect_exit 65 "$VIGIE" -c "$T/vigie.yaml" import accents.csv
cat >"$T/want" <<'ERR'
accents.csv:2:6: error: bad unit "acme/épinal": accented or non-ASCII character in unit path (allowed: A-Z a-z 0-9 . _ - and / between segments); did you mean "acme/epinal"?
accents.csv:3:1: error: bad unit "Œuvres/Saint Dié": accented or non-ASCII character in unit path (allowed: A-Z a-z 0-9 . _ - and / between segments)
vigie import: nothing was imported
ERR
diff -u "$T/want" "$T/err" || fail "accented units: wrong diagnostics"
sqlite3 "$DB" .dump >"$T/after.sql"
cmp -s "$T/before.sql" "$T/after.sql" || fail "the database changed after a file of accented units"

# A month that a spreadsheet made a date, or a month written otherwise:
# the error gives the period it stands for, unless the day and the month
# could be either.
printf 'unit;period;headcount\nacme/a;01/03/2025;9\nacme/b;mars-25;9\nacme/c;2025/03;9\nacme/d;05/03/2025;9\n' >"$T/sheet.csv"
expect_exit 65 "$VIGIE" -c "$T/vigie.yaml" import sheet.csv
cat >"$T/want" <<'ERR'
sheet.csv:2:8: error: bad period "01/03/2025": expected a month YYYY-MM (2025-01); did you mean 2025-03? (a spreadsheet writes periods as dates unless the column is formatted as text)
sheet.csv:3:8: error: bad period "mars-25": expected a month YYYY-MM (2025-01); did you mean 2025-03? (a spreadsheet writes periods as dates unless the column is formatted as text)
sheet.csv:4:8: error: bad period "2025/03": expected a month YYYY-MM (2025-01); did you mean 2025-03?
sheet.csv:5:8: error: bad period "05/03/2025": expected a month YYYY-MM (2025-01)
vigie import: nothing was imported
ERR
diff -u "$T/want" "$T/err" || fail "periods from a spreadsheet: wrong diagnostics"

# At most 20 errors are printed, then a count.
{ echo "unit,period,x"; for i in $(seq 1 25); do echo "a,2025-01,-$i"; done; } >"$T/many.csv"
expect_exit 65 "$VIGIE" -c "$T/vigie.yaml" import many.csv
expect_eq "$(grep -c ': error: ' "$T/err")" 20
expect_grep "many.csv: 5 more errors not shown" "$T/err"

# A missing file: exit 66 before anything is written.
expect_exit 66 "$VIGIE" -c "$T/vigie.yaml" import good.csv missing.csv
expect_eq "$(cat "$T/err")" "vigie import: cannot read missing.csv: No such file or directory"
sqlite3 "$DB" .dump >"$T/after.sql"
cmp -s "$T/before.sql" "$T/after.sql" || fail "the database changed after a missing file"

# --dry-run validates and counts, writes nothing.
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import --dry-run good.csv
expect_eq "$(cat "$T/out")" "good.csv: 1 row, 1 value (dry run, nothing written: 1 would be added, 0 replaced, 0 unchanged)"
# The same for scripts (SPEC 10), and the import itself.
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import --dry-run --format json good.csv
expect_eq "$($PY -c 'import json,sys; print(json.load(open(sys.argv[1])))' "$T/out")" \
	"[{'file': 'good.csv', 'rows': 1, 'values': 1, 'dry_run': True}]"
sqlite3 "$DB" .dump >"$T/after.sql"
cmp -s "$T/before.sql" "$T/after.sql" || fail "the database changed after --dry-run"
# What a correction would change, counted against what is stored, still
# writing nothing.
"$VIGIE" -c "$T/vigie.yaml" import good.csv >/dev/null
sqlite3 "$DB" .dump >"$T/before.sql"
sed 's/,5$/,6/' "$T/good.csv" >"$T/fix.csv"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import --dry-run fix.csv good.csv
expect_eq "$(cat "$T/out")" "fix.csv: 1 row, 1 value (dry run, nothing written: 0 would be added, 1 replaced, 0 unchanged)
good.csv: 1 row, 1 value (dry run, nothing written: 0 would be added, 0 replaced, 1 unchanged)"
sqlite3 "$DB" .dump >"$T/after.sql"
cmp -s "$T/before.sql" "$T/after.sql" || fail "the database changed after --dry-run of a correction"

# Two imports at once on a new database: both succeed, nothing is lost.
# (A configuration with only database and rules is enough.)
printf 'database: %s\nrules: %s\n' "$T/two.db" "$T/rules.d" >"$T/vigie.yaml"
for f in a b; do
	{ echo "unit,period,indicator,value"
	  for u in $(seq 1 40); do for p in 01 02 03 04 05 06 07 08 09 10 11 12; do
		for i in x y z w; do echo "$f/s$((u % 4))/t$u,2025-$p,$i,$u"; done
	  done; done; } >"$T/$f.csv"
done
"$VIGIE" -c "$T/vigie.yaml" import a.csv >"$T/a.out" 2>&1 & pa=$!
"$VIGIE" -c "$T/vigie.yaml" import b.csv >"$T/b.out" 2>&1 & pb=$!
PIDS+=("$pa" "$pb")
wait "$pa" || { cat "$T/a.out"; fail "first concurrent import failed"; }
wait "$pb" || { cat "$T/b.out"; fail "second concurrent import failed"; }
expect_grep "a.csv: 1920 rows, 1920 values (1920 added, 0 replaced, 0 unchanged)" "$T/a.out"
expect_grep "b.csv: 1920 rows, 1920 values (1920 added, 0 replaced, 0 unchanged)" "$T/b.out"
expect_eq "$(values "$T/two.db" | wc -l)" 3840
expect_eq "$(sqlite3 "$T/two.db" "SELECT count(*) FROM import_log")" 2
expect_eq "$(stat -c %a "$T/two.db")" 600 "database mode"

# A configuration of the other granularity on this database: a
# configuration error (78) that says what to do, and nothing written.
printf 'database: %s\nrules: %s\nperiod: week\n' "$DB" "$T/rules.d" >"$T/week.yaml"
before=$(sqlite3 "$DB" .dump)
expect_exit 78 "$VIGIE" -c "$T/week.yaml" alerts
expect_grep "holds months but the configuration says period: week" "$T/err"
expect_exit 1 "$VIGIED" -c "$T/week.yaml" --once
# vigie import says so before reading the files, as the configuration's
# problem and not theirs, --dry-run included (it would not predict the
# import otherwise).
printf 'unit,period,headcount\nacme/lyon,2025-03,5\n' >"$T/m.csv"
printf 'unit,period,headcount\nacme/lyon,2025-W03,5\n' >"$T/w.csv"
for args in "m.csv" "w.csv" "--dry-run w.csv" "--dry-run m.csv"; do
	# shellcheck disable=SC2086
	expect_exit 78 "$VIGIE" -c "$T/week.yaml" import $args
	expect_grep "holds months but the configuration says period: week" "$T/err"
	expect_no_grep "error:" "$T/err"
done
expect_eq "$(sqlite3 "$DB" .dump)" "$before" "the database changed"
exit 0
