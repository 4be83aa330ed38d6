#!/usr/bin/env bash
# retention.data counts periods (SPEC 3: 60 by default): 60 weeks, not
# 5 years, on a weekly database. An import that stores periods older than
# it keeps, counted back from the latest period the import leaves, says so:
# the next cycle deletes them. A warning (exit 0) of `vigie import`, of
# --dry-run and of the inbox's NAME.warnings.txt; none within retention,
# none once retention.data is raised.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1

make_config "period: week"
cd "$T" || exit 1
# week N: the ISO week N weeks before the current one (UTC).
week() { $PY -c 'import datetime,sys; d=datetime.datetime.now(datetime.timezone.utc).date()-datetime.timedelta(weeks=int(sys.argv[1])); y,w,_=d.isocalendar(); print("%04d-W%02d"%(y,w))' "$1"; }
# file NAME FROM TO: one team's headcount from N weeks ago to M weeks ago.
file() {
	local n
	{ echo 'unit,period,headcount'
	  for n in $(seq "$2" -1 "$3"); do echo "acme/a,$(week "$n"),20"; done; } >"$1"
}
file h.csv 100 1
file recent.csv 60 1
warning="h.csv:1:13: warning: 40 periods of this file ($(week 100) to $(week 61)) are older than retention.data keeps (60 weeks): the next cycle deletes them — raise retention.data (vigie.yaml(5)) first"

# 100 weeks with the default: the 40 oldest go at the next cycle.
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import --dry-run h.csv
expect_eq "$(cat "$T/err")" "$warning" "the dry run"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import h.csv
expect_eq "$(cat "$T/err")" "$warning" "the import"
expect_eq "$(cat "$T/out")" "h.csv: 100 rows, 100 values (100 added, 0 replaced, 0 unchanged)"

# 60 weeks, the latest included: all kept.
rm -f "$T/vigie.db"*
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import recent.csv
no_err "60 weeks"

# The week before the oldest kept, alone, once the latest is stored.
file old.csv 61 61
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import old.csv
expect_eq "$(cat "$T/err")" "old.csv:1:13: warning: 1 period of this file ($(week 61)) is older than retention.data keeps (60 weeks): the next cycle deletes it — raise retention.data (vigie.yaml(5)) first" "one old week"

# The inbox: the same warning beside the file.
rm -f "$T/vigie.db"*
cp h.csv "$T/inbox/h.csv"
touch -d '-10 seconds' "$T/inbox/h.csv"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_eq "$(cat "$T/inbox/processed/h.csv.warnings.txt")" "$warning" "the inbox"

# retention.data raised: nothing to say.
rm -f "$T/vigie.db"*
echo "retention: { data: 261 }" >>"$T/vigie.yaml"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import h.csv
no_err "retention.data 261"
exit 0
