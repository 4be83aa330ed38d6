#!/usr/bin/env bash
# Opens the web console, vigie-web, on the demo company: a fresh database
# from contrib/demo/*.csv after one vigied cycle, two accounts — marie, a
# social worker of the Nancy site, and rh, HR for the whole company —, then
# vigie-web in the foreground on 127.0.0.1 until Ctrl-C, with vigied beside
# it (a file rh imports from the console is evaluated). Everything lives in
# BUILD_DIR/demo-console, made anew at each run.
#
# usage: contrib/demo/console.sh BUILD_DIR [PORT]
#        contrib/demo/console.sh BUILD_DIR --shots DIR   (the screenshots of
#        contrib/demo/web-*.png, taken with headless Chromium)
set -u
SRC=$(cd "$(dirname "$0")/../.." && pwd)
B=$(cd "${1:-build}" && pwd) || exit 66
PY=/usr/bin/python3
PASSWORD="démonstration vigie"
PORT=8080 SHOTS=
case ${2:-} in
--shots) SHOTS=$(mkdir -p "$3" && cd "$3" && pwd) || exit 66
	PORT=$($PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()');;
"") ;;
*) PORT=$2;;
esac
for f in vigie vigied vigie-web; do
	[ -x "$B/$f" ] || { echo "console: $B/$f missing; run make first" >&2; exit 66; }
done
D=$B/demo-console
rm -rf "$D"
mkdir -p "$D"
cat >"$D/vigie.yaml" <<YAML
# The demo company, for the web console. No email: nothing is sent.
database: $D/vigie.db
rules: $SRC/etc/rules.d
recipients:
  social-worker:
    - scope: ["valdis/nancy", "valdis/nancy/**"]
    - scope: "**"
  hr:
    - scope: "**"
web:
  listen: 127.0.0.1:$PORT
  url: http://127.0.0.1:$PORT
YAML
# From their folder: the import log, shown to rh, records the files' names.
(cd "$SRC/contrib/demo" && "$B/vigie" -c "$D/vigie.yaml" import valdis-*.csv >/dev/null) || exit $?
"$B/vigied" -c "$D/vigie.yaml" --once 2>"$D/vigied.log" || { cat "$D/vigied.log" >&2; exit 1; }
printf '%s\n' "$PASSWORD" | "$B/vigie" -c "$D/vigie.yaml" user add marie --role social-worker \
	--scope valdis/nancy --scope 'valdis/nancy/**' --password-stdin >/dev/null || exit $?
printf '%s\n' "$PASSWORD" | "$B/vigie" -c "$D/vigie.yaml" user add rh --role hr \
	--password-stdin >/dev/null || exit $?

if [ -z "$SHOTS" ]; then
	echo "Console de démonstration : http://127.0.0.1:$PORT/"
	echo "  marie (assistante sociale, site de Nancy) ou rh (RH, toute l'entreprise),"
	echo "  mot de passe : $PASSWORD"
	echo "  rh importe aussi un fichier (« Importer des données »), que vigied,"
	echo "  lancé avec la console, évalue dans les secondes qui suivent."
	echo "Ctrl-C pour arrêter ; tout est dans $D."
	"$B/vigied" -c "$D/vigie.yaml" 2>>"$D/vigied.log" &
	VIGIED=$!
	trap 'kill "$VIGIED" 2>/dev/null; wait "$VIGIED" 2>/dev/null' EXIT
	"$B/vigie-web" -c "$D/vigie.yaml"
	exit $?
fi
"$B/vigie-web" -c "$D/vigie.yaml" 2>"$D/web.log" &
WEB=$!
trap 'kill "$WEB" 2>/dev/null; wait "$WEB" 2>/dev/null' EXIT
for _ in $(seq 1 100); do
	curl -fs -o /dev/null "http://127.0.0.1:$PORT/login" && break
	sleep 0.1
done
VIGIE_PASSWORD=$PASSWORD $PY "$SRC/tests/integration/web_browser.py" "http://127.0.0.1:$PORT" \
	--shots "$SHOTS" && ls "$SHOTS"/web-*.png
