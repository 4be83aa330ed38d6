#!/usr/bin/env bash
# A reorganisation in the month's export: teams renamed, moved or merged
# come under new paths, and the rules, which read two years of a team,
# would start from nothing there. `vigie import` (and --dry-run), the
# inbox and the console say so when a file brings units new to the
# database while units of the sites it covers that sent the month before
# have no value for its month, and name vigie rename (exit 0, imported).
# Not for a new team beside the others, nor for one site's file while
# another's is to come, nor for a new team's file alone.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1
make_config
cd "$T"
said() {	# FILE LINE NEW NNEW GONE NGONE
	echo "$1:$2:1: warning: new units in the file ($4: $3), and units of its sites that sent 2026-01 without a value for 2026-02 ($6: $5): if teams were renamed, moved or merged, vigie rename OLD NEW (--merge for teams merged) gives them their history, which the rules read two years of (a move to another parent is refused when a month of the team was hidden, which its parents' figures would give away); under a new path they start from nothing"
}
printf 'unit,period,headcount,conflicts\nacme/s/a,2026-01,10,0\nacme/s/b,2026-01,10,1\nacme/t/x,2026-01,10,0\n' >jan.csv
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import jan.csv
no_err "the first month"

# b renamed c: said, dry run or not, at c's first cell.
printf 'unit,period,headcount,conflicts\nacme/s/a,2026-02,10,0\nacme/s/c,2026-02,10,1\nacme/t/x,2026-02,10,0\n' >feb.csv
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import --dry-run feb.csv
expect_eq "$(cat "$T/err")" "$(said feb.csv 3 acme/s/c 1 acme/s/b 1)" "--dry-run"
# A new team beside the others: nothing said.
printf 'unit,period,headcount,conflicts\nacme/s/a,2026-02,10,0\nacme/s/b,2026-02,10,1\nacme/s/n,2026-02,6,0\nacme/t/x,2026-02,10,0\n' >grown.csv
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import --dry-run grown.csv
no_err "a new team"
# Site t's file alone, with a new team: site s's file is to come.
printf 'unit,period,headcount,conflicts\nacme/t/x,2026-02,10,0\nacme/t/y,2026-02,8,0\n' >t.csv
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import --dry-run t.csv
no_err "one site's file"
# A new team's file alone: it covers no site.
printf 'unit,period,headcount,conflicts\nacme/s/n,2026-02,6,0\n' >new.csv
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import --dry-run new.csv
no_err "a new team's file"
# The inbox says it beside the file, which is imported.
cp feb.csv inbox/.feb.csv
touch -d '-10 seconds' inbox/.feb.csv
mv inbox/.feb.csv inbox/feb.csv
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_eq "$(cat inbox/processed/feb.csv.warnings.txt)" "$(said feb.csv 3 acme/s/c 1 acme/s/b 1)" \
	"the inbox's warnings"
# Imported: the same file again says nothing (c is stored now).
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import --dry-run feb.csv
no_err "once imported"
# Seven teams renamed, with six of January's gone: the first five of
# each list are named, in the file's order and the paths'.
{
	printf 'unit,period,headcount,conflicts\nacme/s/a,2026-02,10,0\nacme/t/x,2026-02,10,0\n'
	for u in n1 n2 n3 n4 n5 n6 n7; do printf 'acme/s/%s,2026-02,10,0\n' "$u"; done
} >many.csv
{
	printf 'unit,period,headcount,conflicts\nacme/t/x,2026-01,10,0\n'
	for u in a b g1 g2 g3 g4 g5; do printf 'acme/s/%s,2026-01,10,0\n' "$u"; done
} >jan6.csv
sed "s#$T/vigie.db#$T/six.db#" "$T/vigie.yaml" >"$T/six.yaml"
expect_exit 0 "$VIGIE" -c "$T/six.yaml" import jan6.csv
expect_exit 0 "$VIGIE" -c "$T/six.yaml" import --dry-run many.csv
expect_eq "$(cat "$T/err")" "$(said many.csv 4 "acme/s/n1, acme/s/n2, acme/s/n3, acme/s/n4, acme/s/n5, ..." 7 "acme/s/b, acme/s/g1, acme/s/g2, acme/s/g3, acme/s/g4, ..." 6)" "seven new, six gone"
exit 0
