#!/usr/bin/env bash
# The alert lifecycle is one module (rules/lifecycle.c) that the daemon and
# `vigie backtest` share: a rule with repeat_every: 2, active for six
# periods (with an escalation on the way), gives the daemon — one
# `vigied --once` after each month's import — the same events at the same
# periods as the backtest of those months, reminders included; a backtest
# starting after the alert fired still shows its reminders.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1

make_config
cat >"$T/rules.d/r.yaml" <<'YAML'
rules:
  - id: conflicts
    title: Conflits
    value: conflicts
    above: { warning: 2, critical: 5 }
    repeat_every: 2
YAML
C=(-c "$T/vigie.yaml")
m=0
for v in 0 3 3 3 6 6 6 0; do
	m=$((m + 1))
	printf 'unit,period,headcount,conflicts\nacme/a,2025-%02d,20,%s\n' "$m" "$v" >"$T/m$m.csv"
	expect_exit 0 "$VIGIE" "${C[@]}" import "$T/m$m.csv"
	expect_exit 0 "$VIGIED" "${C[@]}" --once
done
daemon=$(sqlite3 "$T/vigie.db" "SELECT group_concat(kind || ' ' || printf('%d', period), ', ')
	FROM (SELECT kind, period FROM event WHERE unit = 'acme/a' ORDER BY id)")
# Periods are indices: 2025-01 is 2025 * 12.
expect_eq "$daemon" "firing 24301, reminder 24303, escalated 24304, reminder 24306, resolved 24307" \
	"the daemon's events"

backtest() {
	expect_exit 0 "$VIGIE" "${C[@]}" backtest --from "$1" --to 2025-08 --format json
	$PY - "$T/out" <<'PY'
import json, sys
print(", ".join("%s %s" % (t["event"], t["period"]) for t in json.load(open(sys.argv[1]))["transitions"]
                if t["unit"] == "acme/a"))
PY
}
expect_eq "$(backtest 2025-01)" "firing 2025-02, reminder 2025-04, escalated 2025-05, reminder 2025-07, resolved 2025-08" \
	"backtest events"
expect_eq "$(backtest 2025-06)" "reminder 2025-07, resolved 2025-08" "backtest from 2025-06"
expect_exit 0 "$VIGIE" "${C[@]}" backtest --from 2025-01 --to 2025-08
expect_grep "2025-04  conflicts  acme/a  reminder   warning       3" "$T/out"
exit 0
