#!/usr/bin/env bash
# make a11y: axe-core's WCAG 2.1 A and AA rules (tags wcag2a, wcag2aa,
# wcag21a, wcag21aa) on every page of the console, in headless Chromium, at
# 1280 and 320 px: the login page and its errors, each role's alerts, the
# units, unit and alert pages, a note's page, the works council report's
# form, the pages after each action, 404, 400 (a note, a report's span),
# 403 (CSRF) and 429. axe-core is installed with npm into
# $1/axe the first time (the only step that needs the network: not part of
# make check). Exit 1 on any violation, listed.
set -u
B=$(cd "${1:-build}" && pwd)
export VIGIE_BIN="$B" VIGIE_SRC=$(cd "$(dirname "$0")/../.." && pwd)
AXE="$B/axe/node_modules/axe-core/axe.min.js"
if [ ! -f "$AXE" ]; then
	command -v npm >/dev/null || { echo "npm is not installed (apt-get install npm)" >&2; exit 1; }
	mkdir -p "$B/axe"
	npm install --prefix "$B/axe" --no-audit --no-fund --silent axe-core@4 ||
		{ echo "npm could not install axe-core" >&2; exit 1; }
fi
source "$VIGIE_SRC/tests/integration/lib.sh"
for t in chromium chromedriver; do
	command -v $t >/dev/null || fail "$t is not installed (apt-get install chromium chromium-driver)"
done
$PY -c 'import selenium' 2>/dev/null || fail "python3-selenium is not installed"

PORT=$(free_port)
mkdir -p "$T/rules.d"
cp "$SRC"/tests/integration/web-rules.yaml "$T/rules.d/10-web.yaml"
web_demo_config "$T/vigie.yaml"
printf 'web:\n  listen: 127.0.0.1:%s\n' "$PORT" >>"$T/vigie.yaml"
# A cycle at 2026-09, then one at 2026-10: an alert resolves in between
# (overtime-vs-usual@valdis/nancy), for the list « résolues sans issue ».
grep -v ';2026-10;' "$SRC"/contrib/demo/valdis-2025-11-2026-10.csv >"$T/upto-09.csv"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$SRC"/contrib/demo/valdis-2023-*.csv \
	"$SRC"/contrib/demo/valdis-2024-*.csv "$T/upto-09.csv"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$SRC"/contrib/demo/valdis-2025-*.csv
# An import with a warning (a misspelt indicator), for the import page's.
printf 'unit;period;conflics\nvaldis/metz/commercial;2026-10;0\n' >"$T/warned.csv"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/warned.csv"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
web_user marie social-worker --scope valdis/nancy --scope 'valdis/nancy/**'
web_user rh hr
web_user claire social-worker
web_start
timeout 600 "$PY" "$SRC/tests/a11y/web_axe.py" "$BASE" "$AXE"
