#!/usr/bin/env bash
# The console as people with disabilities use it (SPEC 14: WCAG 2.1 AA),
# in headless Chromium through web_a11y.py, on the demo company with a
# team whose path is long and an alert taken in charge by an account whose
# name is long: what each check asserts is in web_a11y.py. Skipped (77)
# only where Chromium, chromedriver or Selenium is missing.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1

for t in chromium chromedriver; do
	command -v $t >/dev/null || { echo "$t is not installed (apt-get install chromium chromium-driver)"; exit 77; }
done
$PY -c 'import selenium' 2>/dev/null || { echo "python3-selenium is not installed"; exit 77; }

PORT=$(free_port)
LONG=valdis/nancy/atelier_maintenance_des_equipements
LONGUSER=marie-claire.dupont-lefebvre@valdis.example
mkdir -p "$T/rules.d"
cp "$SRC"/tests/integration/web-rules.yaml "$T/rules.d/10-web.yaml"
cat >"$T/rules.d/20-long.yaml" <<YAML
rules:
  - id: long-team
    title: "Effectif de l'atelier"
    value: headcount
    above: { warning: 1 }
    scope: "$LONG"
    notify: [social-worker, hr]
YAML
printf 'unit,period,headcount\n%s,2026-09,40\n%s,2026-10,40\n' "$LONG" "$LONG" >"$T/long.csv"
web_demo_config "$T/vigie.yaml"
printf 'web:\n  listen: 127.0.0.1:%s\n' "$PORT" >>"$T/vigie.yaml"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$SRC"/contrib/demo/valdis-*.csv "$T/long.csv"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
web_user marie social-worker --scope valdis/nancy --scope 'valdis/nancy/**'
web_user rh hr
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" ack "long-team@$LONG" --by "$LONGUSER"

web_start

LONG_UNIT=$LONG timeout 200 "$PY" "$SRC/tests/integration/web_a11y.py" "$BASE" >"$T/a11y.out" 2>&1
rc=$?
cat "$T/a11y.out"
[ $rc = 0 ] || { tail -n 20 "$T/web.log"; fail "the accessibility checks failed (exit $rc)"; }

web_stop
exit 0
