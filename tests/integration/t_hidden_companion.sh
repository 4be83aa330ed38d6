#!/usr/bin/env bash
# A team under the floor is hidden with the smallest other team of its
# site, so that the site minus its shown teams is no figure of its own
# (SPEC 3). That companion is picked from each month's data: a late file
# (a new team, a corrected headcount) may pick another, and a removal of
# the companion's values moves the site's figures by them; beside the
# figures shown before, either gives the small team's away. An import
# keeps the companion hidden at that period from then on (a rename takes
# it along), and `vigie import` (and --dry-run), the inbox and the
# console's import page say so; `vigie delete` says so before the change,
# which is made anyway (exit 0), and the console's removal page refuses it.
# Not before the first cycle, not for the month after the last one
# evaluated, not for a change that keeps the companion, not when the site's
# values go whole. The data is a privacy auditor's.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1
command -v curl >/dev/null || { echo "curl missing"; exit 77; }
PORT=$(free_port)
NNBSP=$'\u202f'
web_hr_config "min_headcount: 5"
cd "$T"
shown() {	# FILE LINE UNIT PERIOD: the import's warning
	echo "$1:$2:1: warning: this file changes which units are hidden at $4, a period Vigie has already evaluated: $3, hidden until now beside a team under the anonymity floor, stays hidden there, since its figures, beside those shown before, would give that team's away (SPEC 3); the other values are imported"
}
removed() {	# UNIT PERIOD SMALL: the removal's warning
	echo "vigie delete: warning: $1's absence_days is hidden at $2 beside $3, a team under the anonymity floor, and the removal moves its parent's figures by its own: that gives it away to whoever compares them before and after, and beside the figures shown before, $3's too (SPEC 3); remove values of a period already evaluated only when they are wrong"
}
# absence_days of UNIT at 2026-09 as vigie eval shows it (a number or hidden).
abs() { absence_at "$1" 2026-09; }
absence_rule

# co/s: a, 4 people, hidden; b, 6, the smallest other, hidden with it.
cat >sept.csv <<'CSV'
unit,period,headcount,absence_days
co/s/a,2026-09,4,71
co/s/b,2026-09,6,13
co/s/c,2026-09,20,209
co/s/d,2026-09,25,309
co/t/x,2026-09,30,409
CSV
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import sept.csv
printf 'unit,period,headcount,absence_days\nco/s/n,2026-09,5,0\n' >newteam.csv
printf 'unit,period,headcount\nco/s/c,2026-09,5\n' >smaller.csv
# Not evaluated yet: nothing was shown, nothing to give away.
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import --dry-run newteam.csv
no_err "before the first cycle"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_eq "$(abs co/s) $(abs co/s/a) $(abs co/s/b) $(abs co/s/c)" "602 hidden hidden 209" \
	"what September showed"
# The cycle that showed September kept b hidden there (a companion), so
# a late file changes nothing that was shown, and says nothing.
expect_eq "$(db "SELECT count(*) FROM kept_hidden WHERE unit = 'co/s/b'")" 2 \
	"b's cells kept by the cycle (headcount, absence_days)"
cp "$T/vigie.db" kept.db
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import newteam.csv
no_err "a late file after a cycle that kept b"
expect_eq "$(abs co/s/b) $(abs co/s/n)" "hidden 0" "b kept by the cycle"
# A database from before the cycles kept anything: the file is checked.
cp kept.db "$T/vigie.db"
db "DELETE FROM kept_hidden"
cp "$T/vigie.db" evaluated.db

# A new team of 5 would be hidden in b's place: said, dry run or not.
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import --dry-run newteam.csv
expect_eq "$(cat "$T/err")" "$(shown newteam.csv 2 co/s/b 2026-09)" "a new team, --dry-run"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import newteam.csv
expect_eq "$(cat "$T/err")" "$(shown newteam.csv 2 co/s/b 2026-09)" "a new team"
# b stays hidden (shown, 602 - 13 - 209 - 309 would be a's 71); the new
# team need not be hidden: a and b are 10 people.
expect_eq "$(abs co/s) $(abs co/s/a) $(abs co/s/b) $(abs co/s/c) $(abs co/s/n)" \
	"602 hidden hidden 209 0" "after the late file"
# and stays so after the next cycle, a later month, and a rename.
printf 'unit,period,headcount,absence_days\nco/s/a,2026-10,4,1\nco/s/c,2026-10,20,2\n' >oct-late.csv
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import oct-late.csv
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_eq "$(abs co/s/b)" hidden "b after a cycle"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" rename co/s/b co/s/bb
expect_eq "$(abs co/s/bb)" hidden "b renamed"
# A month evaluated, then deleted whole and sent again (the way out of a
# wrong export): its figures were shown all the same, and the cycle that
# showed them kept b hidden there (it stays so while a is hidden).
cp evaluated.db "$T/vigie.db"
sed 's/2026-09/2026-10/' sept.csv >oct-all.csv
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import oct-all.csv
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" delete --period 2026-10
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
{ cat oct-all.csv; echo "co/s/n,2026-10,5,0"; } >oct-again.csv
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import oct-again.csv
expect_eq "$("$VIGIE" -c "$T/vigie.yaml" eval --at 2026-10 --unit co/s/b | awk '$2 == "co/s/b" { print $4 }')" \
	hidden "b at the month sent again"
# A visible team's headcount corrected to 5: the same.
cp evaluated.db "$T/vigie.db"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import smaller.csv
expect_eq "$(cat "$T/err")" "$(shown smaller.csv 2 co/s/b 2026-09)" "c's headcount"
expect_eq "$(abs co/s/b) $(abs co/s/c)" "hidden 209" "after c's headcount"
# Nothing said: b's value corrected (still hidden, the site moves by the
# change only), a new team of 7 (shown, b still hides a), the month after.
cp evaluated.db "$T/vigie.db"
printf 'unit,period,absence_days\nco/s/b,2026-09,20\n' >b.csv
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import --dry-run b.csv
no_err "b's value"
printf 'unit,period,headcount,absence_days\nco/s/m,2026-09,7,0\n' >seven.csv
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import --dry-run seven.csv
no_err "a new team of 7"
printf 'unit,period,headcount,absence_days\nco/s/n,2026-10,5,0\n' >oct.csv
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import --dry-run oct.csv
no_err "the month after"

# The inbox says it beside the file.
cp newteam.csv "$T/inbox/"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_eq "$(cat "$T/inbox/processed/newteam.csv.warnings.txt")" \
	"$(shown newteam.csv 2 co/s/b 2026-09)" "the inbox's warnings"
expect_eq "$(abs co/s/b)" hidden "b after the inbox's import"

# Removing b: the site's figure moves by b's 13.
cp evaluated.db "$T/vigie.db"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" delete --period 2026-09 --unit co/s/b --dry-run
expect_eq "$(cat "$T/err")" "$(removed co/s/b 2026-09 co/s/a)" "b's removal, --dry-run"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" delete --period 2026-09 --unit co/s/b
expect_eq "$(cat "$T/err")" "$(removed co/s/b 2026-09 co/s/a)" "b's removal"
expect_eq "$(abs co/s)" 589 "the site moved by b's 13"
# The whole site: nothing is left to compare with.
cp evaluated.db "$T/vigie.db"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" delete --period 2026-09 --unit 'co/s/*' --dry-run
no_err "the whole site"

# The console: its import page and its removal page, in French.
cp evaluated.db "$T/vigie.db"
web_user rh hr
web_start
J=$T/jar
expect_eq "$(login "$J" rh)" 303 "rh logs in"
tok=$(csrf "$J" /import)
expect_eq "$(req "$J" POST /import -F "csrf=$tok" -F "file=@newteam.csv;type=text/csv" -F dry=1)" \
	200 "the console's check of newteam.csv"
expect_grep "ce fichier change les unités masquées en 2026-09, période que Vigie a déjà évaluée$NNBSP: co/s/b, masquée jusqu&#39;ici avec une équipe sous le seuil d&#39;anonymat, le reste pour cette période" "$T/b"
# Its removal page refuses b's (t_web_hidden_refused.sh).
tok=$(csrf "$J" /import)
expect_eq "$(req "$J" POST /import/delete --data-urlencode "csrf=$tok" \
	--data-urlencode period=2026-09 --data-urlencode unit=co/s/b)" 409 "rh counts b's September"
expect_grep "le retrait ôterait absence_days de <code>co/s/b</code> en <time datetime=\"2026-09\">" "$T/b"
web_stop
