#!/usr/bin/env bash
# `vigie status` counts units as the daemon does (SPEC 2, 8, 10): the units
# the data names and their ancestors, which exist through their descendants;
# so the count in status is the one vigied logs and writes to the metrics
# file. A stale unit is one whose latest period, by roll-up (its own values
# or any descendant's), lags the database's latest period: an ancestor
# lags when all of its subtree does, not when one team does. A unit whose
# values are all deleted no longer exists, for status and the daemon alike,
# and its alerts resolve; a row with no value creates no unit.
# Status shows the daemon's missing-data alert (no import for stale_after,
# counted from the first cycle when nothing was ever imported)
# while it holds: raised by a cycle, gone once data is imported again; a
# `vigie delete` is no data arriving (it neither ends the alert nor counts
# as the last import).
# Status lists the indicators that units with the latest period had in the
# year before it and lack at it (a column lost from the month's file).
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1

make_config "metrics_file: $T/vigie.prom"
cat >"$T/rules.d/h.yaml" <<'YAML'
rules:
  - id: big-team
    title: "Big team"
    value: headcount
    above: { warning: 5 }
    notify: [hr]
YAML
# units DESC: status's count (text and JSON) and the daemon's (its log
# line and vigie_units), which must all be equal.
units() {
	expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
	local d m s j
	d=$(sed -n 's/.*: \([0-9]*\) units, .*/\1/p' "$T/err" | tail -n 1)
	m=$(sed -n 's/^vigie_units \([0-9]*\)$/\1/p' "$T/vigie.prom")
	expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" status
	s=$(sed -n 's/^data: .*, \([0-9]*\) units with data, .*/\1/p' "$T/out")
	expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" status --format json
	j=$($PY -c 'import json,sys; print(json.load(open(sys.argv[1]))["data"]["units"])' "$T/out")
	expect_eq "$d $m $s $j" "$1 $1 $1 $1" "units (vigied's log, metrics, status, status JSON): $2"
}
# stale: the stale units in JSON, "UNIT LATEST" space-separated.
stale() {
	expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" status --format json
	$PY -c 'import json,sys; print(" ".join(s["unit"] + " " + s["latest_period"] for s in json.load(open(sys.argv[1]))["data"]["stale_units"]))' "$T/out"
}

cat >"$T/a.csv" <<'CSV'
unit,period,headcount
acme/a,2025-02,10
acme/b,2025-02,10
acme/c,2025-02,10
acme/d,2025-02,10
CSV
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/a.csv"
units 5 "acme/a..acme/d and acme"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" status
expect_grep "data:         latest period 2025-02, 5 units with data, 0 stale," "$T/out"
expect_eq "$(stale)" "" "nothing lags"

# A wide row whose cells are all empty names no value: no unit, for the
# daemon, status and vigie eval alike (units exist because data names them).
printf 'unit,period,headcount\nghost/x,2025-02,\nacme/a,2025-02,10\n' >"$T/ghost.csv"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/ghost.csv"
units 5 "a row without a value"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" eval
expect_no_grep "ghost" "$T/out"
expect_eq "$(sqlite3 "$T/vigie.db" "SELECT count(*) FROM unit WHERE path LIKE 'ghost%'")" 0 "ghost units stored"

# acme/e/x lags while acme/e/y does not: acme/e does not lag. beta/x lags:
# beta, which has no value of its own at 2025-02, lags with it.
cat >"$T/b.csv" <<'CSV'
unit,period,headcount
acme/e/x,2025-01,10
acme/e/y,2025-02,10
beta/x,2025-01,10
CSV
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/b.csv"
units 10 "acme, acme/a..e, acme/e/x, acme/e/y, beta, beta/x"
expect_eq "$(stale)" "acme/e/x 2025-01 beta 2025-01 beta/x 2025-01" "stale units"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" status
expect_grep "data:         latest period 2025-02, 10 units with data, 3 stale," "$T/out"
expect_grep "stale unit:   beta (latest 2025-01)" "$T/out"

# beta/x's only value deleted: beta/x and beta no longer exist.
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" delete --period 2025-01 --unit beta/x
units 8 "beta/x's values deleted"
expect_eq "$(sqlite3 "$T/vigie.db" "SELECT group_concat(unit || ' ' || active, ', ') FROM (SELECT * FROM alert WHERE unit LIKE 'beta%' ORDER BY unit)")" \
	"beta 0, beta/x 0" "beta's and beta/x's alerts resolved"
expect_eq "$(stale)" "acme/e/x 2025-01" "stale units after the delete"

# missing: status's missing-data alert, "TEXT-LINE|JSON" ("-" for none).
missing() {
	expect_exit 0 "$VIGIE" -c "$T/stale.yaml" status
	local t
	t=$(grep '^missing data:' "$T/out" || echo -)
	expect_exit 0 "$VIGIE" -c "$T/stale.yaml" status --format json
	echo "$t|$($PY -c 'import json,sys; m=json.load(open(sys.argv[1]))["data"]["missing_data"]; print("-" if m is None else "since " + m["since"])' "$T/out")"
}
{ cat "$T/vigie.yaml"; echo "stale_after: 1s"; } >"$T/stale.yaml"
expect_eq "$(missing)" "-|-" "no missing-data alert before the daemon raises one"
sleep 2
expect_exit 0 "$VIGIED" -c "$T/stale.yaml" --once
expect_grep "no data imported since" "$T/err"
at=$(sqlite3 "$T/vigie.db" "SELECT strftime('%Y-%m-%dT%H:%M:%SZ', at, 'unixepoch') FROM event WHERE kind = 'stale'")
[ -n "$at" ] || fail "no stale event"
expect_eq "$(missing)" "missing data: no import for longer than stale_after (alert since $at)|since $at" \
	"the daemon's missing-data alert"
# A deletion is no data arriving: the alert holds, no "fresh" notice, and
# status's last import stays that of the last file imported.
before=$("$VIGIE" -c "$T/stale.yaml" status | sed -n 's/^data: .*, last import //p')
sleep 1	# a deletion counted as an import would show a later time
expect_exit 0 "$VIGIE" -c "$T/stale.yaml" delete --period 2025-02 --unit acme/d
expect_exit 0 "$VIGIED" -c "$T/stale.yaml" --once
expect_no_grep "data received again" "$T/err"
expect_eq "$(sqlite3 "$T/vigie.db" "SELECT count(*) FROM event WHERE kind = 'fresh'")" 0 \
	"no fresh notice after a deletion"
expect_eq "$(missing)" "missing data: no import for longer than stale_after (alert since $at)|since $at" \
	"the missing-data alert after a deletion"
expect_eq "$("$VIGIE" -c "$T/stale.yaml" status | sed -n 's/^data: .*, last import //p')" "$before" \
	"status's last import after a deletion"
printf 'unit,period,headcount\nacme/a,2025-03,11\n' >"$T/c.csv"
sleep 1	# the import's time is after the alert's, in seconds
expect_exit 0 "$VIGIE" -c "$T/stale.yaml" import "$T/c.csv"
expect_eq "$(missing)" "-|-" "data imported again"
expect_exit 0 "$VIGIED" -c "$T/stale.yaml" --once
expect_grep "data received again" "$T/err"

# A database into which nothing was ever imported (an inbox path mistyped
# at installation) is missing data too, from the daemon's first cycle.
printf 'database: %s\nrules: %s\nstale_after: 1s\n' "$T/empty.db" "$T/rules.d" >"$T/empty.yaml"
expect_exit 0 "$VIGIED" -c "$T/empty.yaml" --once
expect_no_grep "no data imported since" "$T/err"
sleep 2
expect_exit 0 "$VIGIED" -c "$T/empty.yaml" --once
expect_grep "no data imported since" "$T/err"
expect_eq "$(sqlite3 "$T/empty.db" "SELECT count(*) FROM event WHERE kind = 'stale'")" 1 "the stale event"
expect_exit 0 "$VIGIE" -c "$T/empty.yaml" status
expect_grep "missing data: no import for longer than stale_after" "$T/out"

# Indicators missing from the latest period: conflicts, which the February
# file left out for six of the teams that had it in January (the seventh
# still has it); yearly, whose last value is a year before February; not
# old, thirteen months before (an indicator the export no longer has), nor
# anything of acme/u8, which has no February (a stale unit).
printf 'database: %s\nrules: %s\nmetrics_file: %s\n' "$T/gaps.db" "$T/rules.d" "$T/gaps.prom" >"$T/gaps.yaml"
{
	echo 'unit,period,indicator,value'
	for i in 1 2 3 4 5 6 7 8; do echo "acme/u$i,2025-01,conflicts,1"; done
	for i in 1 2 3 4 5 6 7; do echo "acme/u$i,2025-02,headcount,10"; done
	echo 'acme/u7,2025-02,conflicts,0'
	echo 'acme/u1,2024-01,old,1'
	echo 'acme/u2,2024-02,yearly,1'
} >"$T/gaps.csv"
expect_exit 0 "$VIGIE" -c "$T/gaps.yaml" import "$T/gaps.csv"
expect_exit 0 "$VIGIE" -c "$T/gaps.yaml" status
expect_eq "$(grep '^missing:' "$T/out")" "missing:      conflicts in 6 units (latest 2025-01): acme/u1, acme/u2, acme/u3, acme/u4, acme/u5 and 1 more
missing:      yearly in 1 unit (latest 2024-02): acme/u2" "the indicators missing, as text"
expect_exit 0 "$VIGIE" -c "$T/gaps.yaml" status --format json
expect_eq "$($PY -c 'import json,sys; print(json.dumps(json.load(open(sys.argv[1]))["data"]["missing_indicators"]))' "$T/out")" \
	'[{"indicators": ["conflicts"], "latest_period": "2025-01", "units": ["acme/u1", "acme/u2", "acme/u3", "acme/u4", "acme/u5", "acme/u6"]}, {"indicators": ["yearly"], "latest_period": "2024-02", "units": ["acme/u2"]}]' \
	"the indicators missing, as JSON"
# The daemon's metrics count them, one per unit and indicator (six teams
# without conflicts, one without yearly), and the stale unit, acme/u8.
expect_exit 0 "$VIGIED" -c "$T/gaps.yaml" --once
expect_eq "$(grep -E '^vigie_(units_stale|indicators_missing) ' "$T/gaps.prom")" "vigie_units_stale 1
vigie_indicators_missing 7" "the metrics of the data's coverage"
# A running daemon's idle cycle (SIGHUP, nothing changed) keeps them.
rm "$T/gaps.prom"
"$VIGIED" -c "$T/gaps.yaml" 2>"$T/daemon.err" &
PIDS+=($!)
wait_for test -s "$T/gaps.prom" || fail "no metrics file from the daemon"
rm "$T/gaps.prom"
kill -HUP "${PIDS[-1]}"
wait_for test -s "$T/gaps.prom" || fail "no metrics file after SIGHUP"
expect_eq "$(grep -E '^vigie_(units_stale|indicators_missing) ' "$T/gaps.prom")" "vigie_units_stale 1
vigie_indicators_missing 7" "the metrics after an idle cycle"
kill "${PIDS[-1]}"
wait "${PIDS[-1]}"
exit 0
