#!/usr/bin/env bash
# Mistakes an import cannot reject (SPEC 4 lists the errors, and scripts
# rely on the exit status) but that later break detection, said as
# warnings on stderr: exit 0, the values stored, stdout unchanged.
source "$VIGIE_SRC/tests/integration/lib.sh"
make_config
DB="$T/vigie.db"
cd "$T"
no_err() { [ -s "$T/err" ] && fail "unexpected stderr${1:+ ($1)}: $(cat "$T/err")"; return 0; }

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
ind_warnings="typo_ind.csv:1:23: warning: \"overtime_hour\" is a new indicator, not in the recommended vocabulary (did you mean \"overtime_hours\"?)
typo_ind.csv:1:37: warning: \"absences_episodes\" is a new indicator, not in the recommended vocabulary (did you mean \"absence_episodes\"?)"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import --dry-run typo_ind.csv
expect_eq "$(cat "$T/err")" "$ind_warnings" "--dry-run"
expect_eq "$(cat "$T/out")" "typo_ind.csv: 2 rows, 6 values (dry run, nothing written)"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import typo_ind.csv
expect_eq "$(cat "$T/err")" "$ind_warnings"
expect_eq "$(cat "$T/out")" "typo_ind.csv: 2 rows, 6 values (6 added, 0 replaced, 0 unchanged)"
expect_eq "$($PY "$SRC/tests/integration/dbvalues.py" "$DB" | grep -c ',2025-02,overtime_hour,')" 2
# Stored now: a second import of the same names is not new any more.
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import typo_ind.csv
no_err "names stored by the import before"
# A company's own indicator far from any known name, a companion X_max
# and the long form's own indicator: nothing.
cat >"$T/own.csv" <<'CSV'
unit,period,headcount,night_shifts,absence_days_max
acme/usine/logistique,2025-03,12,40,9
CSV
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import own.csv
no_err "a company's own indicator"

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

# The inbox: imported, moved to processed/, the warnings logged.
inbox() {	# inbox NAME: drops $T/NAME into the inbox and runs one cycle
	cp "$T/$1" "$T/inbox/.$1"
	touch -d '-10 seconds' "$T/inbox/.$1"
	mv "$T/inbox/.$1" "$T/inbox/$1"
	expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
	[ -e "$T/inbox/processed/$1" ] || fail "$1 not moved to processed/"
}
printf 'unit,period,headcount,grievence\nacme/siege/compta,2025-04,6,1\nacme/siege/compta-x,2025-04,6,1\nacme/siege/compt,2025-04,6,1\n' >"$T/hr.csv"
inbox hr.csv
expect_grep 'hr.csv:4:1: warning: "acme/siege/compt" is a new unit, not in the database (did you mean "acme/siege/compta"?)' "$T/err"
expect_grep 'hr.csv:1:23: warning: "grievence" is a new indicator, not in the recommended vocabulary (did you mean "grievances"?)' "$T/err"
exit 0
