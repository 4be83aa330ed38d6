#!/usr/bin/env bash
# retention.data against the rules (SPEC 3): set below the periods a rule
# reads to decide one (its windows full, its for: included), the next cycle
# would delete the values its alerts stand on and resolve them, telling
# every recipient. vigied --check (78), vigie check (1), the start and the
# reload refuse it, at retention.data, naming the rule and the minimum; a
# refused reload deletes nothing and resolves nothing. The default (60)
# short for a rule over weeks is only a warning: such a rule was never
# decided.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1
command -v sqlite3 >/dev/null || { echo "sqlite3 missing"; exit 77; }

make_config "locale: en
metrics_file: $T/vigie.prom
retention: { data: 13 }"
# A year of conflicts, twice in a row: sum over 12 months (11 before the
# period), for: 2 (one more): 13 periods.
cat >"$T/rules.d/year.yaml" <<'YAML'
rules:
  - id: conflicts-year
    title: Conflicts over a year
    value: sum(conflicts, 12)
    above: { warning: 10 }
    for: 2
YAML
{
	echo "unit,period,headcount,conflicts"
	for y in 2025 2026; do for m in 01 02 03 04 05 06 07 08 09 10 11 12; do
		echo "acme/a,$y-$m,20,2"
	done; done
} >"$T/data.csv"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/data.csv"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --check
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" check

msg="vigie.yaml:7:20: error: retention.data keeps 12 periods of values, but rule \"conflicts-year\" ($T/rules.d/year.yaml:2) reads 13 to decide one: the next cycle would delete the values its alerts stand on, resolve them and tell every recipient so; keep at least 13"
sed -i 's/data: 13/data: 12/' "$T/vigie.yaml"
expect_exit 78 "$VIGIED" -c "$T/vigie.yaml" --check
expect_grep "$msg" "$T/err"
expect_exit 1 "$VIGIE" -c "$T/vigie.yaml" check
expect_grep "$msg" "$T/err"
expect_grep "vigie check: 1 error in $T/vigie.yaml" "$T/err"
expect_exit 78 "$VIGIED" -c "$T/vigie.yaml" --once
expect_grep "$msg" "$T/err"

# A daemon that runs with 13, reloaded with 12: refused, nothing deleted,
# the alert still active.
sed -i 's/data: 12/data: 13/' "$T/vigie.yaml"
"$VIGIED" -c "$T/vigie.yaml" 2>"$T/vigied.err" &
VPID=$!
PIDS+=("$VPID")
wait_for grep -q "conflicts-year@acme/a firing" "$T/vigied.err" || { cat "$T/vigied.err"; fail "no alert"; }
wait_for grep -qx 'vigie_config_last_reload_successful 1' "$T/vigie.prom" || fail "no metrics"
values=$(db "SELECT sum(length(vals)) FROM series")
expect_eq "$(db "SELECT group_concat(unit || ' ' || active, ', ') FROM alert")" "acme 1, acme/a 1"
sed -i 's/data: 13/data: 12/' "$T/vigie.yaml"
kill -HUP "$VPID"
wait_for grep -qx 'vigie_config_last_reload_successful 0' "$T/vigie.prom" || fail "the reload was not refused"
expect_grep "reload failed; still running with the previous configuration and rules:" "$T/vigied.err"
expect_grep "${msg#vigie.yaml}" "$T/vigied.err"
expect_eq "$(db "SELECT sum(length(vals)) FROM series")" "$values" "the values after the refused reload"
expect_eq "$(db "SELECT group_concat(unit || ' ' || active, ', ') FROM alert")" "acme 1, acme/a 1" \
	"the alerts after the refused reload"
expect_no_grep "resolved at" "$T/vigied.err"
[ "$(grep -c "retention: deleted" "$T/vigied.err")" = 1 ] || fail "deleted at the reload"
kill "$VPID"
wait "$VPID"

# The shipped rules read 32 months (vigie.yaml(5)).
printf 'database: %s\nrules: %s\nretention: { data: 31 }\n' "$T/shipped.db" "$SRC/etc/rules.d" >"$T/shipped.yaml"
expect_exit 78 "$VIGIED" -c "$T/shipped.yaml" --check
expect_grep "reads 32 to decide one" "$T/err"
sed -i 's/data: 31/data: 32/' "$T/shipped.yaml"
expect_exit 0 "$VIGIED" -c "$T/shipped.yaml" --check

# The default, short for a rule over weeks: a warning.
cat >"$T/week.yaml" <<YAML
database: $T/week.db
period: week
rules: $T/rules.d
YAML
sed -i 's/sum(conflicts, 12)/sum(conflicts, 60)/' "$T/rules.d/year.yaml"
expect_exit 0 "$VIGIED" -c "$T/week.yaml" --check
expect_grep "$T/rules.d/year.yaml:2:5: warning: rule \"conflicts-year\" reads 61 weeks of values to decide one, more than retention.data keeps (60, the default): it is never decided once the daemon has deleted the older ones; set retention.data to 61 or more in $T/week.yaml" "$T/err"
exit 0
