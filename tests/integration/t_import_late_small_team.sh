#!/usr/bin/env bash
# The anonymity floor cannot hide a change (README, « valeur masquée »): a
# small team's value that arrives, or changes, after Vigie has evaluated
# its month moves its site's figures of that month by as much, and whoever
# compares them before and after reads the team's. `vigie import` (and
# --dry-run, before anything is written), the inbox and the console's
# import page say so, once per team at its first cell, in the console's
# language there; the file is imported anyway (exit 0; the console refuses
# a value that changes a hidden one: t_web_hidden_refused). Not before the
# first cycle, not for the month after the last one evaluated (the month's
# export), not for a value that does not change, not for a team at or
# above the floor (by the file's headcount when it brings one), not for a
# company (no parent to give it away).
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1
command -v curl >/dev/null || { echo "curl missing"; exit 77; }
PORT=$(free_port)
web_hr_config "min_headcount: 5"
cd "$T"
late() {	# FILE LINE UNIT PERIOD: the warning
	echo "$1:$2:1: warning: $3 is under the anonymity floor at $4, a period Vigie has already evaluated, and this file changes its values there: its parent's figures of that period move by as much, which gives them away to whoever compares them before and after (SPEC 3); import each month whole, and correct a small team's past only when it matters"
}

# September, whole, with a team of 4 under the floor and a company of 3.
cat >sept.csv <<'CSV'
unit,period,headcount,conflicts
acme/s/a,2026-09,12,1
acme/s/b,2026-09,4,0
solo,2026-09,3,0
CSV
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import sept.csv
no_err "the month whole"
# Not evaluated yet: nothing was shown, nothing to give away.
printf 'unit,period,conflicts\nacme/s/b,2026-09,1\n' >fix.csv
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import --dry-run fix.csv
no_err "before the first cycle"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_eq "$(sqlite3 "$T/vigie.db" "SELECT period FROM cycle ORDER BY id DESC LIMIT 1")" \
	"$(sqlite3 "$T/vigie.db" "SELECT max(p0) FROM series")" "the cycle evaluated September"

# Evaluated: the correction of the small team is said, dry run or not.
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import --dry-run fix.csv
expect_eq "$(cat "$T/err")" "$(late fix.csv 2 acme/s/b 2026-09)" "--dry-run"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import fix.csv
expect_eq "$(cat "$T/err")" "$(late fix.csv 2 acme/s/b 2026-09)" "the import"
expect_eq "$(cat "$T/out")" "fix.csv: 1 row, 1 value (0 added, 1 replaced, 0 unchanged)"
# The same value again changes nothing: nothing said.
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import fix.csv
no_err "an unchanged value"
# A value new to the month (a late row) is said too; once per team, at its
# first cell, whatever the number of its values and months.
cat >late.csv <<'CSV'
unit,period,headcount,conflicts,grievances
acme/s/a,2026-09,12,2,1
acme/s/b,2026-08,4,1,1
acme/s/b,2026-09,4,1,2
solo,2026-09,3,1,1
acme/s/c,2026-10,3,1,0
CSV
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import --dry-run late.csv
expect_eq "$(grep -c 'anonymity floor' "$T/err")" 1 "one warning: b (not a, at 12; not solo, a company; not October)"
# August: its site had no figure then (nothing of it stored), so there is
# nothing before to compare with; September is the period said.
expect_grep "$(late late.csv 3 acme/s/b 2026-09)" "$T/err"
# The team's headcount brought by the file counts, but not over the
# floor at a month whose figures hid it (t_small_team_raised): at 5, it
# stays under there, and its changed values move its site's.
printf 'unit,period,headcount,conflicts\nacme/s/b,2026-09,5,3\n' >grown.csv
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import --dry-run grown.csv
expect_eq "$(cat "$T/err")" "grown.csv:2:1: warning: acme/s/b was under the anonymity floor at 2026-09, a period Vigie has already evaluated: its figures there stay hidden whatever headcount it is given now, since shown they would give away what the floor hid (SPEC 3); the headcount is imported, and the periods not evaluated yet follow it
$(late grown.csv 2 acme/s/b 2026-09)" "a headcount of 5 in the file"
# October, the month after the last evaluated: the month's export.
printf 'unit,period,headcount,conflicts\nacme/s/a,2026-10,12,0\nacme/s/b,2026-10,4,1\n' >oct.csv
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import oct.csv
no_err "the next month"

# A site whose file comes after the month was evaluated without it (each
# site sends its own, on different days): its small team's first values
# give nothing away, its site having had no figure that month.
printf 'unit,period,headcount,conflicts\nacme/t/a,2026-08,12,1\nacme/t/b,2026-08,4,0\n' >site-t.csv
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import site-t.csv
no_err "a site's first file, late"
# ...but a second file for it, that month, would change what was shown.
printf 'unit,period,conflicts\nacme/t/b,2026-08,2\n' >site-t-fix.csv
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import --dry-run site-t-fix.csv
expect_eq "$(cat "$T/err")" "$(late site-t-fix.csv 2 acme/t/b 2026-08)" "a site's figure shown before"

# The inbox says it beside the file.
printf 'unit,period,conflicts\nacme/s/b,2026-09,0\n' >"$T/inbox/fix2.csv"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_eq "$(cat "$T/inbox/processed/fix2.csv.warnings.txt")" "$(late fix2.csv 2 acme/s/b 2026-09)" \
	"the inbox's warnings"

# The console's import page, in French.
web_user rh hr
web_start
J=$T/jar
expect_eq "$(login "$J" rh)" 303 "rh logs in"
# A value of a cell that had none (a value changed is refused there:
# t_web_hidden_refused.sh).
printf 'unit,period,grievances\nacme/s/b,2026-10,3\n' >web.csv
tok=$(csrf "$J" /import)
expect_eq "$(req "$J" POST /import -F "csrf=$tok" -F "file=@web.csv;type=text/csv" -F dry=1)" 200 \
	"the console's check of web.csv"
expect_grep "acme/s/b est sous le seuil d&#39;anonymat en 2026-10, période que Vigie a déjà évaluée" "$T/b"
# A warning about a unit is at its row, said as a row, not as a cell.
expect_grep "<li>ligne 2"$'\u202f'": acme/s/b est sous le seuil" "$T/b"
# A line break inside a quoted cell is no new row of the spreadsheet: the
# error after it is named by the cell HR sees.
printf 'unit,period,conflicts\n"acme/s/b\nacme/s/c",2026-10,3\nacme/s/b,2026-10,x\n' >web.csv
tok=$(csrf "$J" /import)
expect_eq "$(req "$J" POST /import -F "csrf=$tok" -F "file=@web.csv;type=text/csv" -F dry=1)" 400 \
	"the console's check of a file with a line break in a cell"
expect_grep "<li>cellule C3"$'\u202f'": " "$T/b"
web_stop
