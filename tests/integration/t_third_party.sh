#!/usr/bin/env bash
# What real third-party tools say of Vigie's files: amtool accepts the
# shipped Alertmanager configuration, promtool accepts the metrics file
# written by a cycle (names, types, HELP lines) and the alerting rules of
# contrib/node_exporter.md, whose metrics the file has.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1

command -v amtool >/dev/null || { echo "amtool missing (apt-get install prometheus-alertmanager)"; exit 77; }
command -v promtool >/dev/null || { echo "promtool missing (apt-get install prometheus)"; exit 77; }

expect_exit 0 amtool check-config "$SRC/contrib/alertmanager/alertmanager.yml"

make_config "metrics_file: $T/vigie.prom"
cp "$SRC"/etc/rules.d/*.yaml "$T/rules.d/"
cat >"$T/inbox/data.csv" <<CSV
unit,period,headcount,workable_days,absence_days
acme/a,2026-09,20,400,10
acme/a,2026-10,20,400,80
acme/b,2026-10,12,240,3
CSV
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
[ -s "$T/vigie.prom" ] || fail "no metrics file written"
promtool check metrics <"$T/vigie.prom" >"$T/lint" 2>&1 || { cat "$T/lint" "$T/vigie.prom"; fail "promtool check metrics refused the metrics file"; }
[ ! -s "$T/lint" ] || { cat "$T/lint"; fail "promtool check metrics printed problems"; }
# The alerting rules of contrib/node_exporter.md, as an operator copies them.
sed -n '/^## Alerting rules/,/^```$/p' "$SRC/contrib/node_exporter.md" | sed '1,/^```yaml$/d; $d' >"$T/rules.yml"
grep -q 'alert: VigieDataIncomplete' "$T/rules.yml" || fail "the alerting rules not found in contrib/node_exporter.md"
promtool check rules "$T/rules.yml" >"$T/lint" 2>&1 || { cat "$T/lint" "$T/rules.yml"; fail "promtool check rules refused node_exporter.md's rules"; }
# Each rule's expression names a metric the file has.
for m in $(grep -o 'vigie_[a-z_]*' "$T/rules.yml" | sort -u); do
	grep -q "^$m" "$T/vigie.prom" || fail "node_exporter.md's rules read $m, not in the metrics file"
done
exit 0
