#!/usr/bin/env bash
# Dominance cannot hide a change either (SPEC 3, vigie(1) import): a value
# that is one person's (X_max over dominance times X) is hidden, and still
# counts in its parent's figures. A late file that changes it at a month
# Vigie has already evaluated, or that makes a value shown then one
# person's, moves the parent's figures of that month by as much: `vigie
# import` (and --dry-run), the inbox's warnings file and the console's
# check say so, as they say it of a small team. And a corrected X_max (or
# X) that would no longer make a hidden value one person's does not show
# it: it stays hidden at that month (as a team kept under the floor), which
# is said; the months not evaluated yet follow the new figures.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1
command -v curl >/dev/null || { echo "curl missing"; exit 77; }
PORT=$(free_port)
web_hr_config "min_headcount: 5"
absence_rule
cd "$T"
is() {	# FILE UNIT INDICATOR PERIOD: the warning of a value hidden as one person's
	echo "$1:2:1: warning: $2's $3 is hidden at $4 as one person's (dominance), a period Vigie has already evaluated, and this file changes it there: its parent's figures of that period move by as much, which gives it away to whoever compares them before and after (SPEC 3); correct a team's past only when it matters"
}
becomes() {	# FILE UNIT INDICATOR PERIOD: ... of a value that becomes one person's
	echo "$1:2:1: warning: $2's $3 at $4, a period Vigie has already evaluated, becomes one person's with this file (its X_max over dominance times it) and is hidden from now on, while its parent's figures of that period move by the change, which gives it away to whoever compares them before and after (SPEC 3); correct a team's past only when it matters"
}
stays() {	# FILE UNIT INDICATOR PERIOD: ... of one that stays hidden
	echo "$1:2:1: warning: $2's $3 was hidden at $4 as one person's, a period Vigie has already evaluated: it stays hidden there whatever $3 and $3_max it is given now, since shown it would give away what dominance hid (SPEC 3); the values are imported, and the periods not evaluated yet follow them"
}
# July: b's and c's days are one person's; August: b's (c hidden beside
# it); September: every team shown.
cat >months.csv <<'CSV'
unit,period,headcount,absence_days,absence_days_max
acme/s/a,2026-07,20,30,5
acme/s/b,2026-07,6,9,9
acme/s/c,2026-07,7,5,5
acme/s/e,2026-07,10,8,3
acme/s/a,2026-08,20,30,5
acme/s/b,2026-08,6,9,9
acme/s/c,2026-08,7,7,2
acme/s/e,2026-08,10,8,3
acme/s/a,2026-09,20,30,5
acme/s/b,2026-09,6,6,2
acme/s/c,2026-09,7,7,2
acme/s/e,2026-09,10,8,3
CSV
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import months.csv
# Not evaluated yet: nothing shown, nothing to give away.
printf 'unit,period,absence_days,absence_days_max\nacme/s/b,2026-09,10,9\n' >fix09.csv
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import --dry-run fix09.csv
no_err "before the first cycle"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_eq "$(absence_at acme/s/b 2026-09)" 6 "b's September shown"
expect_eq "$(absence_at acme/s/b 2026-08)" hidden "b's August, one person's"
expect_eq "$(absence_at acme/s/c 2026-08)" hidden "c beside it"
cp "$T/vigie.db" "$T/evaluated.db"

# September's 6 shown become 10, 9 of them one person's: said.
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import --dry-run fix09.csv
expect_eq "$(cat "$T/err")" "$(becomes fix09.csv acme/s/b absence_days 2026-09)" "--dry-run"
expect_eq "$(cat "$T/out")" "fix09.csv: 1 row, 2 values (dry run, nothing written: 0 would be added, 2 replaced, 0 unchanged)"
# An X_max alone that makes it one person's moves nothing: not said.
printf 'unit,period,absence_days_max\nacme/s/b,2026-09,6\n' >max09.csv
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import --dry-run max09.csv
no_err "a larger X_max alone"
# August's 9, one person's, become 10 (still 9 of them one person's): said.
printf 'unit,period,absence_days\nacme/s/b,2026-08,10\n' >fix08.csv
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import --dry-run fix08.csv
expect_eq "$(cat "$T/err")" "$(is fix08.csv acme/s/b absence_days 2026-08)" "a hidden value changed"
# The same value again: nothing said.
printf 'unit,period,absence_days\nacme/s/b,2026-08,9\n' >same08.csv
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import --dry-run same08.csv
no_err "an unchanged value"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import fix09.csv
expect_eq "$(cat "$T/err")" "$(becomes fix09.csv acme/s/b absence_days 2026-09)" "the import"

# A smaller X_max at August: the value stays hidden, and it is said.
printf 'unit,period,absence_days_max\nacme/s/b,2026-08,2\n' >unmax.csv
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import unmax.csv
expect_eq "$(cat "$T/err")" "$(stays unmax.csv acme/s/b absence_days 2026-08)" "X_max corrected"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_eq "$(absence_at acme/s/b 2026-08)" hidden "b's August stays hidden"
expect_eq "$(absence_at acme/s/c 2026-08)" hidden "and c beside it"
# July, where b and c were both one person's: both stay hidden, even in a
# database whose cycles did not record it (before this version): the
# import records it.
sqlite3 "$T/vigie.db" "DELETE FROM kept_hidden WHERE indicator = 'absence_days_max'"
printf 'unit,period,absence_days_max\nacme/s/b,2026-07,2\nacme/s/c,2026-07,1\n' >unmax7.csv
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import unmax7.csv
expect_eq "$(cat "$T/err")" "$(stays unmax7.csv acme/s/b absence_days 2026-07)" "July's X_max corrected"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_eq "$(absence_at acme/s/b 2026-07)" hidden "b's July stays hidden"
expect_eq "$(absence_at acme/s/c 2026-07)" hidden "c's July stays hidden"
# October, not evaluated yet, follows its figures.
printf 'unit,period,headcount,absence_days,absence_days_max\nacme/s/a,2026-10,20,30,5\nacme/s/b,2026-10,6,9,9\nacme/s/c,2026-10,7,7,2\nacme/s/e,2026-10,10,8,3\n' >oct.csv
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import oct.csv
no_err "the next month"
printf 'unit,period,absence_days_max\nacme/s/b,2026-10,2\n' >unmax10.csv
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import unmax10.csv
no_err "a month not evaluated"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_eq "$(absence_at acme/s/b 2026-10)" 9 "b's October shown"

# The inbox says it beside the file; the console's check too, in French.
cp "$T/evaluated.db" "$T/vigie.db"
cp fix09.csv "$T/inbox/fix09.csv"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_eq "$(cat "$T/inbox/processed/fix09.csv.warnings.txt")" \
	"$(becomes fix09.csv acme/s/b absence_days 2026-09)" "the inbox's warnings"
cp "$T/evaluated.db" "$T/vigie.db"
web_user rh hr
web_start
J=$T/jar
expect_eq "$(login "$J" rh)" 303 "rh logs in"
tok=$(csrf "$J" /import)
expect_eq "$(req "$J" POST /import -F "csrf=$tok" -F "file=@fix09.csv;type=text/csv" -F dry=1)" 200 \
	"the console's check of fix09.csv"
expect_grep "le chiffre de acme/s/b pour absence_days en 2026-09, période que Vigie a déjà évaluée, devient avec ce fichier celui d&#39;une seule personne" "$T/b"
# Without the file's X_max, the console's reader is told nothing of the
# stored one (it never sees it): 2 days, of which the stored X_max says 2
# are one person's, are said to the command line only.
printf 'unit,period,absence_days\nacme/s/b,2026-09,2\n' >up09.csv
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import --dry-run up09.csv
expect_eq "$(cat "$T/err")" "$(becomes up09.csv acme/s/b absence_days 2026-09)" "the stored X_max"
tok=$(csrf "$J" /import)
expect_eq "$(req "$J" POST /import -F "csrf=$tok" -F "file=@up09.csv;type=text/csv" -F dry=1)" 200 \
	"the console's check of up09.csv"
expect_no_grep "une seule personne" "$T/b"
web_stop
