#!/usr/bin/env bash
# An import by another process while vigied runs (`vigie import` by hand,
# the console's « Importer des données ») is evaluated once no other came
# for DATA_POLL_S (5 s), within 10 s, not at the next interval (1h here):
# the alert it makes is recorded and notified without vigied --once. Files
# imported one after the other within 5 s are evaluated in one cycle, the
# figures with their headcounts. When no one imports, the daemon runs no
# cycle of its own between intervals.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1
command -v sqlite3 >/dev/null || { echo "sqlite3 missing"; exit 77; }

make_config ""
conflicts_rule
printf 'unit,period,headcount,conflicts\nacme/a,2026-01,10,1\n' >"$T/jan.csv"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/jan.csv"
"$VIGIED" -c "$T/vigie.yaml" 2>"$T/vigied.err" &
VPID=$!
PIDS+=("$VPID")
wait_for grep -q started "$T/vigied.err" || { cat "$T/vigied.err"; fail "vigied did not start"; }
wait_for [ "$(db "SELECT count(*) FROM cycle")" -ge 1 ] || fail "no first cycle"
c0=$(db "SELECT count(*) FROM cycle")
# A poll with nothing imported: no cycle.
sleep 6
expect_eq "$(db "SELECT count(*) FROM cycle")" "$c0" "cycles while nothing is imported"

# The figures, then a moment later their headcount: without it the
# month's figures are hidden (SPEC 3). The daemon polls at 5 s, 10 s...
# after its start, and this test started the first cycle's wait a moment
# after it: the figures come at 6 s and a bit, the headcount at 10 s and a
# bit, so that the poll of 10 s falls between them, and no other.
printf 'unit,period,conflicts\nacme/a,2026-02,4\n' >"$T/feb.csv"
printf 'unit,period,headcount\nacme/a,2026-02,10\n' >"$T/feb-headcount.csv"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/feb.csv"
sleep 4
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/feb-headcount.csv"
for _ in $(seq 1 150); do
	[ "$(db "SELECT count(*) FROM alert WHERE rule = 'conflicts-high' AND unit = 'acme/a' AND active = 1")" = 1 ] && break
	sleep 0.1
done
expect_eq "$(db "SELECT count(*) FROM alert WHERE rule = 'conflicts-high' AND unit = 'acme/a' AND active = 1")" 1 "the alert of the imports, within 15 s"
expect_grep "data imported by another process (vigie import, the console): evaluating it" "$T/vigied.err"
expect_eq "$(db "SELECT count(*) FROM cycle")" "$((c0 + 1))" "cycles for the two files"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" alerts
expect_grep "conflicts-high" "$T/out"
kill "$VPID"
wait "$VPID"
expect_eq "$?" 0 "vigied's exit status"
exit 0
