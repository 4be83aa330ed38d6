#!/usr/bin/env bash
# A history imported a month at a time, each month evaluated before the
# next comes, is notified a month at a time: a year of « Nouvelle alerte »
# in a few minutes (vigied(8), THE CYCLE). The import that moves the
# latest period, once a cycle has evaluated it, to a month that ended more
# than 3 months ago says so: a warning on `vigie import` (--dry-run too),
# in the inbox's NAME.warnings.txt, once, on the file that brings the
# import's latest month. Not on the first import of a database, nor on
# files imported together, nor on the month's file, nor on a correction of
# an older month.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1
command -v sqlite3 >/dev/null || { echo "sqlite3 missing"; exit 77; }
# ops hears of the inbox's files to check, on a webhook nobody answers:
# its notifications stay in the outbox, counted there.
make_config "webhooks:
  ops-hook:
    url: http://127.0.0.1:1/
recipients:
  ops:
    - webhook: [ops-hook]"
cd "$T"
NNBSP=$'\u202f'

# month N: the month N months before the current one (UTC), as YYYY-MM.
month() { date -u -d "$(date -u +%Y-%m-15) -$1 months" +%Y-%m; }
# file NAME MONTH...: two teams' figures for those months.
file() {
	local name=$1 m; shift
	{ echo 'unit,period,headcount,conflicts'
	  for m in "$@"; do echo "acme/a,$m,20,1"; echo "acme/b,$m,12,0"; done; } >"$name"
}
cycle() { expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once; }
warning() {
	echo "$1:1:13: warning: $2 ended $3 months ago: a history imported a month at a time is notified a month at a time, each month's alerts as new; import the months that remain in one go (vigie import FILE..., one mv into the inbox, or all the files in one upload of the console)"
}

# The first import of a database, old as it is: nothing evaluated yet.
file m30.csv "$(month 32)" "$(month 31)" "$(month 30)"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import m30.csv
no_err "the first import"
cycle
# The next month, after a cycle evaluated the one before: said, with the
# dry run too; the import is done all the same (exit 0).
file m29.csv "$(month 29)"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import --dry-run m29.csv
expect_eq "$(cat "$T/err")" "$(warning m29.csv "$(month 29)" 28)" "the dry run"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import m29.csv
expect_eq "$(cat "$T/err")" "$(warning m29.csv "$(month 29)" 28)" "the next month of a history"
expect_eq "$(cat "$T/out")" "m29.csv: 2 rows, 4 values (4 added, 0 replaced, 0 unchanged)"
# The import log keeps it in the console's language (French here).
expect_eq "$(db "SELECT warnings, warning_text FROM import_log ORDER BY id DESC LIMIT 1")" "1|1:13:$(month 29) s'est terminé il y a 28 mois${NNBSP}: un historique importé mois par mois est notifié mois par mois, les alertes de chaque mois comme nouvelles${NNBSP}; importez les mois qui restent en une fois (vigie import FICHIER..., un seul mv dans le dossier d'import, ou tous les fichiers dans un même envoi de la console)" "the import log"
# Another command before any cycle: one evaluation with the one before.
file m28.csv "$(month 28)"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import m28.csv
no_err "a month no cycle separates from the one before"
cycle
# A correction of an older month: the latest period stays.
file fix.csv "$(month 31)"
sed -i 's/acme\/a,\(.*\),20,1/acme\/a,\1,21,1/' fix.csv
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import fix.csv
no_err "a correction"
# Several files of one command: once, on the one with the latest month
# (named first here), whatever the order.
file m26.csv "$(month 26)"
file m27.csv "$(month 27)"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import m26.csv m27.csv
expect_eq "$(cat "$T/err")" "$(warning m26.csv "$(month 26)" 25)" "a command of two months"
cycle
# Four months before the current one (ended 3 months ago): said; then,
# once evaluated, three (a late export, not a history): nothing.
file m4.csv "$(month 4)"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import m4.csv
expect_eq "$(cat "$T/err")" "$(warning m4.csv "$(month 4)" 3)" "a month ended 3 months ago"
cycle
file m3.csv "$(month 3)"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import m3.csv
no_err "a month ended 2 months ago"
cycle
# Months old and recent in one command, up to last month: nothing said.
rest=()
for n in 25 24 23 2 1; do file "m$n.csv" "$(month "$n")"; rest+=("m$n.csv"); done
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "${rest[@]}"
no_err "the history up to last month"
cycle
# The month's file: nothing said.
file m0.csv "$(month 0)"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import m0.csv
no_err "the month's file"
expect_eq "$(cat "$T/out")" "m0.csv: 2 rows, 4 values (4 added, 0 replaced, 0 unchanged)"

# The inbox: a new database, months dropped one by one, each evaluated
# before the next comes; then two dropped with one mv.
rm -f "$T/vigie.db"*
"$VIGIED" -c "$T/vigie.yaml" 2>"$T/vigied.err" &
PIDS+=("$!")
wait_for grep -q started "$T/vigied.err" || { cat "$T/vigied.err"; fail "vigied did not start"; }
cycles() { db "SELECT count(*) FROM cycle" 2>/dev/null || echo 0; }
at_least() { [ "$(cycles)" -ge "$1" ]; }
drop() {
	local c; c=$(cycles)
	mv "$@" "$T/inbox/"
	wait_for at_least $((c + 1)) || { cat "$T/vigied.err"; fail "no cycle after $*"; }
}
mkdir -p "$T/aside"
file aside/h1.csv "$(month 20)"
file aside/h2.csv "$(month 19)"
file aside/h5.csv "$(month 18)"
file aside/h4.csv "$(month 17)"
drop aside/h1.csv
drop aside/h2.csv
[ -e "$T/inbox/processed/h1.csv.warnings.txt" ] && fail "the first file of a database warned: $(cat "$T/inbox/processed/h1.csv.warnings.txt")"
expect_eq "$(cat "$T/inbox/processed/h2.csv.warnings.txt")" "$(warning h2.csv "$(month 19)" 18)" "the inbox's second month"
expect_grep "h2.csv: imported with 1 warning, the first at line 1, column 13; they are in $T/inbox/processed/h2.csv.warnings.txt" "$T/vigied.err"
# (h4.csv, the latest, is taken first: the pass goes by name)
drop aside/h4.csv aside/h5.csv
[ -e "$T/inbox/processed/h5.csv.warnings.txt" ] && fail "a file of the pass without the latest month warned"
expect_eq "$(cat "$T/inbox/processed/h4.csv.warnings.txt")" "$(warning h4.csv "$(month 17)" 16)" "two months dropped together"
# Said to the importer (the file beside it, the console's import log), not
# to ops: a trickle's months were one email each, about months evaluated.
expect_eq "$(db "SELECT count(*) FROM message WHERE role = 'ops'")" 0 "no file to check for ops"
# A file with another warning too is one to check.
{ echo 'unit,period,headcount,conflicts,conflicts_max'; echo "acme/a,$(month 16),20,1,3"; } >aside/h6.csv
drop aside/h6.csv
expect_grep "h6.csv: imported with 3 warnings" "$T/vigied.err"
expect_eq "$(db "SELECT count(*) FROM message WHERE role = 'ops'")" 1 "a file to check for ops"
exit 0
