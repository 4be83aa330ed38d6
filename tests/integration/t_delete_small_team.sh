#!/usr/bin/env bash
# The anonymity floor cannot hide a removal either (README, « valeur
# masquée »): values removed at a month Vigie has already evaluated move
# the figures of every unit above them that keeps a value there, by their
# sum, and whoever compares them before and after reads it. When the units
# removed under such a unit make less than the floor (SPEC 3's hidden
# group, by headcount), `vigie delete` (and --dry-run, before anything is
# removed) name them; the removal is done anyway (exit 0). The console's
# « Retirer des valeurs » refuses it (t_web_hidden_refused.sh). Not before
# the first cycle, not for the month after the last one evaluated, not for
# a team at or above the floor, not for a company, not for the headcount
# alone, not for teams removed together at the floor or above (whose
# figure was shown), not when nothing above keeps a value (the whole
# company, the whole month).
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1
command -v curl >/dev/null || { echo "curl missing"; exit 77; }
PORT=$(free_port)
NNBSP=$'\u202f'
NBSP=$'\u00a0'
web_hr_config "min_headcount: 5"
cd "$T"
small() {	# UNIT PERIOD: the warning
	echo "vigie delete: warning: $1 is under the anonymity floor at $2, a period Vigie has already evaluated, and the removal leaves values to the units that hold it: their figures of that period move by as much, which gives the team's away to whoever compares them before and after (SPEC 3); remove a small team's values only when they are wrong"
}
del() { expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" delete --period "$@"; }

# September: sites with a small team (of 4, of 3) beside a large one, a
# site of two teams of 3, a site whose two teams of 2 alone have
# grievances, a company of 3.
cat >sept.csv <<'CSV'
unit,period,headcount,conflicts,grievances
acme/s/atelier,2026-09,12,1,0
acme/s/qualite,2026-09,4,0,1
acme/t/qualite,2026-09,3,2,0
acme/t/stock,2026-09,20,0,1
acme/u/paie,2026-09,3,1,0
acme/u/qualite,2026-09,3,0,0
acme/v/x,2026-09,2,1,1
acme/v/y,2026-09,2,0,1
acme/v/z,2026-09,10,1,
solo,2026-09,3,0,0
CSV
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import sept.csv
# Not evaluated yet: nothing was shown, nothing to give away.
del 2026-09 --unit acme/s/qualite --dry-run
no_err "before the first cycle"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once

# Evaluated: the team is said, dry run or not.
del 2026-09 --unit acme/s/qualite --dry-run
expect_eq "$(cat "$T/err")" "$(small acme/s/qualite 2026-09)" "--dry-run"
expect_eq "$(cat "$T/out")" "would delete 3 values of 2026-09 for units acme/s/qualite"
# Each small team whose site keeps a value, by name; a site's two teams of
# 3 removed together make 6, at the floor: acme/u/qualite is said when
# acme/u/paie stays.
del 2026-09 --unit 'acme/*/qualite' --indicator conflicts --dry-run
expect_eq "$(cat "$T/err")" "$(small acme/s/qualite 2026-09)
$(small acme/t/qualite 2026-09)
$(small acme/u/qualite 2026-09)" "three teams, by name"
# Two teams of 2 removed together are 4, under the floor, and acme keeps
# grievances elsewhere: acme's figure moves by their sum.
del 2026-09 --unit 'acme/v/*' --indicator grievances --dry-run
expect_eq "$(cat "$T/err")" "$(small acme/v/x 2026-09)
$(small acme/v/y 2026-09)
vigie delete: warning: acme/v's grievances is hidden at 2026-09 beside acme/u, both hidden so that a smaller figure is not told by subtraction, and the removal moves its parent's figures by its own: that gives it away to whoever compares them before and after, and beside the figures shown before, acme/u's too (SPEC 3); remove values of a period already evaluated only when they are wrong" \
	"a group of 4 above which acme moves, and acme/v's figure, hidden, with it"
# A team at the floor or above hidden beside a small one, or a site hidden
# beside a smaller group, is said otherwise (t_hidden_companion.sh): acme's
# figure would move by its value, and the one hidden with it follow.
del 2026-09 --unit acme/s/atelier --dry-run
expect_grep "warning: acme/s/atelier's conflicts is hidden at 2026-09 beside acme/s/qualite, a team under the anonymity floor, and the removal moves its parent's figures by its own" "$T/err"
del 2026-09 --unit 'acme/u/*' --dry-run
expect_grep "warning: acme/u's grievances is hidden at 2026-09 beside acme/v, both hidden so that a smaller figure is not told by subtraction, and the removal moves its parent's figures by its own" "$T/err"
# Nothing said: a company, the headcount alone, teams removed together at
# the floor or above with nothing else hidden beside them, a removal that
# takes everything above (the whole company, the whole month).
for args in "--unit solo" "--unit acme/s/qualite --indicator headcount" \
	"--unit acme/s/**" "--unit acme/**" ""; do
	# shellcheck disable=SC2086
	del 2026-09 $args --dry-run
	no_err "$args"
	expect_grep "would delete" "$T/out"
done
# acme/v's three teams make 14 people, but its grievances are those of
# the two teams of 2 alone, hidden: acme's would move by them.
del 2026-09 --unit 'acme/v/*' --dry-run
expect_grep "warning: acme/v's grievances is hidden at 2026-09 beside acme/u" "$T/err"
# The removal itself: said, and done.
del 2026-09 --unit acme/s/qualite
expect_eq "$(cat "$T/err")" "$(small acme/s/qualite 2026-09)" "the removal"
expect_eq "$(cat "$T/out")" "deleted 3 values of 2026-09 for units acme/s/qualite"
expect_eq "$(db "SELECT count(*) FROM series s JOIN unit u ON u.id = s.unit WHERE u.path = 'acme/s/qualite'")" 0 \
	"acme/s/qualite's values removed"
# October, the month after the last evaluated: the month's export.
printf 'unit,period,headcount,conflicts\nacme/t/qualite,2026-10,3,1\nacme/t/stock,2026-10,20,0\n' >oct.csv
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import oct.csv
del 2026-10 --unit acme/t/qualite --dry-run
no_err "the next month"

# The console says it with the count, before anything is removed, in
# French; within a scope that holds the site, the whole scope's removal
# takes the site's values and says nothing.
web_user rh hr
web_user rht hr --scope 'acme/t/**'
web_start
expect_eq "$(login "$T/jar" rh)" 303 "rh logs in"
expect_eq "$(login "$T/jar.t" rht)" 303 "rht logs in"
ask() {	# JAR FIELDS...: the status of the removal form's first POST
	local jar=$1 tok; shift
	tok=$(csrf "$jar" /import)
	req "$jar" POST /import/delete --data-urlencode "csrf=$tok" "$@"
}
# The console refuses what the command line warns of (t_web_hidden_refused):
# a small team's values, a group under the floor, the team hidden beside
# them; the scope's whole month is counted, nothing said.
refused="<p class=\"message error\" role=\"alert\">Rien n'a été retiré$NNBSP: le retrait ôterait"
expect_eq "$(ask "$T/jar" --data-urlencode period=2026-09 --data-urlencode unit=acme/t/qualite)" 409 \
	"rh counts acme/t/qualite's September"
expect_grep "$refused conflicts de <code>acme/t/qualite</code> en <time datetime=\"2026-09\">septembre${NBSP}2026</time>, un chiffre masqué" "$T/b"
expect_no_grep "Retirer ces" "$T/b"
expect_eq "$(ask "$T/jar" --data-urlencode period=2026-09 --data-urlencode 'unit=acme/v/*' \
	--data-urlencode indicator=grievances)" 409 "rh counts acme/v's grievances"
expect_grep "$refused grievances de <code>acme/v</code>" "$T/b"
expect_eq "$(ask "$T/jar.t" --data-urlencode period=2026-09)" 200 "rht counts its scope's September"
expect_grep "Retirer ces 6 valeurs" "$T/b"
expect_eq "$(grep -c 'seuil d&#39;anonymat' "$T/b")" 0 "the scope's whole month: nothing said"
expect_eq "$(ask "$T/jar" --data-urlencode period=2026-09 --data-urlencode unit=acme/t/stock \
	--data-urlencode indicator=conflicts)" 409 "rh counts acme/t/stock's conflicts"
expect_grep "$refused conflicts de <code>acme/t/stock</code>" "$T/b"
# A team shown: one value, said in the singular.
expect_eq "$(ask "$T/jar" --data-urlencode period=2026-09 --data-urlencode unit=acme/s/atelier \
	--data-urlencode indicator=grievances)" 200 "rh counts one value"
expect_grep "<p>1 valeur de <time datetime=\"2026-09\">septembre${NBSP}2026</time> (grievances) pour <code>acme/s/atelier</code> sera retirée, pour 1 unité de votre périmètre. Les règles qui la lisent seront évaluées à nouveau sans elle (une alerte qu&#39;elle faisait naître peut se résoudre)" "$T/b"
expect_grep '<button type="submit">Retirer cette valeur</button>' "$T/b"
web_stop
