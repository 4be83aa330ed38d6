#!/usr/bin/env bash
# Which build runs (README "Upgrading"): the --version of vigied, vigie and
# vigie-web keeps the release first (scripts grep it) and adds the git
# revision built; vigie_build_info carries it as a label, as Prometheus'
# own build_info; the console's stylesheet URL changes with it, so that a
# stylesheet cached before an upgrade is not used after it. Built outside
# a git checkout (a tarball): the release alone, and revision="unknown".
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1

ver=$(sed -n 's/^VERSION *= *//p' "$SRC/Makefile")
[ -n "$ver" ] || fail "no VERSION in $SRC/Makefile"
if [ -e "$SRC/.git" ] && rev=$(git -C "$SRC" rev-parse --short=7 HEAD 2>/dev/null); then
	long="$ver (revision $rev)" label=$rev css="$ver-$rev"
else
	long=$ver label=unknown css=$ver
fi
stale="were the binaries built from this checkout's HEAD? run make"

expect_exit 0 "$VIGIED" --version
expect_eq "$(cat "$T/out")" "vigied $long" "$stale"
expect_exit 0 "$VIGIE" --version
expect_eq "$(cat "$T/out")" "vigie $long" "$stale"
expect_exit 0 "$VIGIE_BIN/vigie-web" --version
expect_eq "$(cat "$T/out")" "vigie-web $long" "$stale"

PORT=$(free_port)
web_console_config "metrics_file: $T/vigie.prom" "  hr:
    - email: [drh@example.org]"
printf 'rules:\n  - id: c\n    title: C\n    value: conflicts\n    above: { warning: 2 }\n' \
    >"$T/rules.d/r.yaml"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
info="vigie_build_info{version=\"$ver\",revision=\"$label\"} 1"
grep -qxF "$info" "$T/vigie.prom" || { cat "$T/vigie.prom"; fail "no $info"; }

web_start
curl -s "$BASE/login" >"$T/login.html" || fail "GET /login"
expect_grep "<link rel=\"stylesheet\" href=\"/static/vigie.css?v=$css\">" "$T/login.html"
expect_eq "$(curl -s -o /dev/null -w '%{http_code}' "$BASE/static/vigie.css?v=$css")" 200 \
    "the stylesheet at its URL"
web_stop
exit 0
