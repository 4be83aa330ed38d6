#!/usr/bin/env bash
# The demo behind `make demo`: imports the Valdis data (contrib/demo/*.csv)
# into a fresh database, runs one cycle of vigied with the shipped rule
# library, delivers to a local SMTP server and a local webhook receiver,
# then prints what each recipient received and `vigie alerts`, and writes
# the works council report of the last twelve months to BUILD_DIR.
# Everything lives in a temporary folder and every process started here is
# stopped on exit, also on Ctrl-C.
#
# usage: [VIGIE_DEMO_OUT=DIR] contrib/demo/demo.sh BUILD_DIR
set -u
SRC=$(cd "$(dirname "$0")/../.." && pwd)
B=$(cd "${1:-build}" && pwd) || exit 66
VIGIE="$B/vigie"
VIGIED="$B/vigied"
PY=/usr/bin/python3
T=$(mktemp -d /tmp/vigie-demo.XXXXXX)
RECV_PID=

cleanup() {
	# A second signal must not cut the cleanup short.
	trap '' INT TERM
	if [ -n "$RECV_PID" ]; then
		kill "$RECV_PID" 2>/dev/null
		wait "$RECV_PID" 2>/dev/null
	fi
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

say() { printf '\n\033[1m## %s\033[0m\n' "$*"; }
free_port() {
	$PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

for f in "$VIGIE" "$VIGIED"; do
	[ -x "$f" ] || { echo "demo: $f missing; run make first" >&2; exit 66; }
done

SMTP_PORT=$(free_port)
HTTP_PORT=$(free_port)
mkdir -p "$T/received" "$T/secrets"

# A webhook secret in the Standard Webhooks form, readable by us only.
(umask 077 && printf 'whsec_%s\n' "$($PY -c 'import base64,os; print(base64.b64encode(os.urandom(24)).decode())')" \
	>"$T/secrets/rh-webhook")

cat >"$T/vigie.yaml" <<YAML
# Demo configuration: everything in $T, deliveries to local receivers.
database: $T/vigie.db
rules: $SRC/etc/rules.d
locale: fr
min_headcount: 5
default_notify: [social-worker, hr]
smtp:
  url: smtp://127.0.0.1:$SMTP_PORT
  starttls: none          # accepted on loopback only
  from: vigie@valdis.example
  timeout: 10s
webhooks:
  rh-chat:
    url: http://127.0.0.1:$HTTP_PORT/hooks/rh
    format: generic
    secret_file: $T/secrets/rh-webhook
    timeout: 10s
recipients:
  social-worker:
    - scope: ["valdis/nancy", "valdis/nancy/**"]
      email: [assistante.sociale.nancy@valdis.example]
    - email: [service-social@valdis.example]
  hr:
    - email: [drh@valdis.example]
      webhook: [rh-chat]
  ops:
    - email: [exploitation@valdis.example]
YAML

$PY "$SRC/contrib/demo/receivers.py" "$SMTP_PORT" "$HTTP_PORT" "$T/received" >"$T/receivers.log" 2>&1 &
RECV_PID=$!
for _ in $(seq 1 100); do
	grep -q ready "$T/receivers.log" 2>/dev/null && break
	kill -0 "$RECV_PID" 2>/dev/null || break
	sleep 0.1
done
if ! grep -q ready "$T/receivers.log"; then
	echo "demo: the local SMTP/webhook receivers did not start:" >&2
	cat "$T/receivers.log" >&2
	exit 69
fi

say "Configuration ($T/vigie.yaml)"
grep -v '^#' "$T/vigie.yaml"

say "vigie check"
"$VIGIE" -c "$T/vigie.yaml" check || exit $?

say "vigie import contrib/demo/*.csv"
"$VIGIE" -c "$T/vigie.yaml" import "$SRC"/contrib/demo/valdis-*.csv || exit $?

say "vigied --once"
timeout 50 "$VIGIED" -c "$T/vigie.yaml" --once 2>&1 | sed 's/^/  /'
rc=${PIPESTATUS[0]}
if [ "$rc" -ne 0 ]; then
	echo "demo: vigied --once exited $rc" >&2
	say "vigie eval --format text (what the rules see)"
	"$VIGIE" -c "$T/vigie.yaml" eval
	exit "$rc"
fi

say "Ce que les destinataires ont reçu"
$PY "$SRC/contrib/demo/show.py" "$T/received"
# VIGIE_DEMO_OUT=DIR keeps what the receivers got (the golden test of the
# digests and contrib/demo/screenshots.py read it).
if [ -n "${VIGIE_DEMO_OUT:-}" ]; then
	mkdir -p "$VIGIE_DEMO_OUT" && cp "$T"/received/* "$VIGIE_DEMO_OUT"/ || exit 73
fi

say "vigie alerts"
"$VIGIE" -c "$T/vigie.yaml" alerts

say "vigie status"
"$VIGIE" -c "$T/vigie.yaml" status

say "vigie report (the works council report, last twelve months)"
"$VIGIE" -c "$T/vigie.yaml" report --from 2025-11 --to 2026-10 --format pdf \
	-o "$B/rapport-cse.pdf" || exit $?
echo "  $B/rapport-cse.pdf"

say "La console web (vigie-web)"
echo "Pour suivre ces alertes dans un navigateur, sur une copie de cette base :"
echo "  contrib/demo/console.sh $B"
echo "puis ouvrir http://127.0.0.1:8080/ en tant que marie (assistante sociale,"
echo "site de Nancy) ou rh (RH), mot de passe « démonstration vigie »."
echo "Captures d'écran : contrib/demo/web-*.png"
