#!/usr/bin/env bash
# The console in a real browser (SPEC 14): headless Chromium, driven through
# chromedriver by web_browser.py, against vigie-web on loopback over the
# demo company after one vigied cycle. A social worker sees only her scoped
# units (others are 404, also by URL), downloads her site's works council
# report with the keyboard, takes an alert in charge, writes a
# note, closes the alert with an outcome, corrects then deletes a note of
# hers with the keyboard alone, gets a note written as her session ends
# back after logging in again; HR then sees the same follow-up
# but not the note, not even at its URL; a POST without its CSRF token is
# refused and writes nothing; a rule title and a note holding <script> show
# as text and run nothing; ten wrong passwords are slowed down. Skipped
# (77) only where Chromium, chromedriver or Selenium is missing.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1

for t in chromium chromedriver; do
	command -v $t >/dev/null || { echo "$t is not installed (apt-get install chromium chromium-driver)"; exit 77; }
done
$PY -c 'import selenium' 2>/dev/null || { echo "python3-selenium is not installed"; exit 77; }

PORT=$(free_port)
mkdir -p "$T/rules.d"
cp "$SRC"/tests/integration/web-rules.yaml "$T/rules.d/10-web.yaml"
# A title with markup, on a team of the social worker's scope.
cat >"$T/rules.d/99-markup.yaml" <<'YAML'
rules:
  - id: markup-title
    title: "Équipe <script>alert('titre')</script> & co"
    value: headcount
    above: { warning: 1 }
    scope: "valdis/nancy/production-nuit"
    notify: [social-worker, hr]
YAML
web_demo_config "$T/vigie.yaml"
printf 'web:\n  listen: 127.0.0.1:%s\n' "$PORT" >>"$T/vigie.yaml"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$SRC"/contrib/demo/valdis-*.csv
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
web_user marie social-worker --scope valdis/nancy --scope 'valdis/nancy/**'
web_user rh hr
web_user claire social-worker
web_start

timeout 150 "$PY" "$SRC/tests/integration/web_browser.py" "$BASE" >"$T/browser.out" 2>&1
rc=$?
cat "$T/browser.out"
[ $rc = 0 ] || { tail -n 20 "$T/web.log"; fail "the browser scenario failed (exit $rc)"; }

# What the browser did is in the audit log, as the console users.
got=$(sqlite3 "$T/vigie.db" "SELECT actor || ' ' || via || ' ' || action || ' ' || coalesce(object, '')
	FROM audit WHERE via = 'web' AND (action LIKE 'note%' OR action IN ('ack', 'close')) ORDER BY id")
expect_eq "$got" "marie web ack absenteeism-rate@valdis/nancy/production-nuit
marie web note absenteeism-rate@valdis/nancy/production-nuit
marie web close absenteeism-rate@valdis/nancy/production-nuit
marie web note valdis/nancy/production-nuit
marie web note-edit valdis/nancy/production-nuit
marie web note-delete valdis/nancy/production-nuit
marie web note valdis/nancy/production-nuit" "audit log of the browser's actions"
# The report she downloaded, under her name.
expect_eq "$(sqlite3 "$T/vigie.db" "SELECT actor || ' ' || detail FROM audit WHERE via = 'web' AND action = 'export'")" \
	"marie html, unit valdis/nancy, to the console" "the report downloaded in the browser"
# vigie ack and the console write the same record.
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" alerts --format json
acked=$($PY -c 'import json,sys; print([a["acked_by"] for a in json.load(open(sys.argv[1])) if a["id"] == "absenteeism-rate@valdis/nancy/production-nuit"][0])' "$T/out")
expect_eq "$acked" marie "vigie alerts shows who took the alert in charge in the console"

# Stopped cleanly: exit 0 on SIGTERM (and, under SANITIZE, no leak report).
web_stop
exit 0
