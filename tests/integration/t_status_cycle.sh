#!/usr/bin/env bash
# `vigie status` shows the time of the last cycle (SPEC 10), an idle one
# too: in steady state the time is recent, not that of the last cycle that
# recorded an event. Idle cycles keep one row up to date, not a row each.
# A status that had to create the database says so, as every command but
# the import does.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1
source "$VIGIE_SRC/tests/integration/notify_lib.sh"

notify_data
make_config ""
# Before anything: a mistyped -c would look healthy; said on stderr (the
# output and the exit status those of an empty database), once.
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" status
expect_eq "$(cat "$T/err")" "vigie status: warning: there was no database at $T/vigie.db: an empty one was created (vigied creates it when it first starts; is this the configuration it runs with?)"
expect_grep "last cycle:   none recorded" "$T/out"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" status
expect_eq "$(cat "$T/err")" "" "the second status"
# So does every command that reads the database ("No active alerts" of a
# mistyped path), and the evaluation too; not the import, which creates it.
sed "s|$T/vigie.db|$T/other.db|" "$T/vigie.yaml" >"$T/other.yaml"
expect_exit 0 "$VIGIE" -c "$T/other.yaml" alerts
expect_eq "$(cat "$T/err")" "vigie alerts: warning: there was no database at $T/other.db: an empty one was created (vigied creates it when it first starts; is this the configuration it runs with?)"
rm "$T/other.db"
"$VIGIE" -c "$T/other.yaml" eval >"$T/out" 2>"$T/err"
expect_grep "vigie eval: warning: there was no database at $T/other.db" "$T/err"
rm "$T/other.db"
expect_exit 0 "$VIGIE" -c "$T/other.yaml" import "$T/data.csv"
expect_eq "$(grep -c warning "$T/err")" "0" "the import that creates the database"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/data.csv"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
busy=$(notify_sql "SELECT started_at FROM cycle")
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" status
expect_grep "2 transitions" "$T/out"
# Its duration is that of the import and evaluation (the metrics file's
# includes the delivery): said so.
expect_grep " s to import and evaluate, period " "$T/out"

# at: the time status shows, in seconds.
at() {
	expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" status --format json
	$PY -c 'import json,sys,calendar,time; c=json.load(open(sys.argv[1]))["last_cycle"]
print(calendar.timegm(time.strptime(c["at"], "%Y-%m-%dT%H:%M:%SZ")), c["transitions"], c["idle"])' "$T/out"
}
for i in 1 2 3; do
	sleep 1.1
	before=$(date +%s)
	expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
	read -r t n idle <<<"$(at)"
	[ "$t" -ge "$before" ] || fail "status shows a cycle at $t, the last one ran at $before or later (busy cycle at $busy)"
	expect_eq "$n $idle" "0 True" "idle cycle $i"
done
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" status
expect_grep "nothing changed" "$T/out"
expect_eq "$(notify_sql "SELECT count(*) || ' ' || sum(idle) FROM cycle")" "2 1" "cycle rows: the busy one and one idle"

# A busy cycle after them starts a new row; the next idle one another.
sed -i 's/,6$/,9/' "$T/data.csv"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/data.csv"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_eq "$(notify_sql "SELECT group_concat(idle, '') FROM (SELECT idle FROM cycle ORDER BY id)")" "0101"
exit 0
