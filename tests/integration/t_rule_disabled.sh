#!/usr/bin/env bash
# A rule stopped with enabled: false retires its alerts, as a rule file
# moved aside does (SPEC 5.4, vigie-rules(5)): it did not get better, so
# no « résolue » is recorded nor sent; enabled again, its alert resumes
# with its acknowledgement, since when it began and nothing notified.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1

make_config
conflicts_rule
printf 'unit,period,headcount,conflicts\nacme/a,2026-01,20,5\nacme/a,2026-02,20,6\n' >d.csv
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import d.csv
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" ack conflicts-high@acme/a --by marie
events() { db "SELECT group_concat(kind, ' ') FROM (SELECT kind FROM event WHERE unit = 'acme/a' ORDER BY id)"; }
expect_eq "$(events)" "firing ack"

sed -i 's/    above: { warning: 3 }/    above: { warning: 3 }\n    enabled: false/' "$T/rules.d/r.yaml"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_grep "2 alerts retired: their rule left the rule set or is disabled" "$T/err"
expect_no_grep "resolved" "$T/err"
expect_eq "$(events)" "firing ack" "no resolution recorded"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" alerts
expect_eq "$(cat "$T/out")" "no active alerts"

sed -i '/    enabled: false/d' "$T/rules.d/r.yaml"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_eq "$(events)" "firing ack" "resumed: nothing new"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" alerts
expect_grep "conflicts-high@acme/a" "$T/out"
expect_eq "$(db "SELECT active, retired, acked_by, since FROM alert WHERE unit = 'acme/a'")" "1|0|marie|$(db "SELECT since FROM event WHERE kind = 'firing' AND unit = 'acme/a'")"
exit 0
