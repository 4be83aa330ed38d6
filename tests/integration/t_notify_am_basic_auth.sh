#!/usr/bin/env bash
# A real Alertmanager started with --web.config.file and basic_auth_users
# (contrib/alertmanager/README.md): a wrong password is answered 401 and
# the notification is held for its configuration, with nothing of the
# password in the log; the password fixed in basic_auth_file, the next
# cycle posts the alerts, which Alertmanager shows. Skipped without
# Alertmanager or a bcrypt hasher (htpasswd, or Python's crypt).
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1
source "$VIGIE_SRC/tests/integration/notify_lib.sh"

AM=$(command -v prometheus-alertmanager || command -v alertmanager || true)
[ -n "$AM" ] || { echo "prometheus-alertmanager is not installed"; exit 77; }
pw='am-pass word:7c1e'
if command -v htpasswd >/dev/null; then
	hash=$(htpasswd -nbBC 4 vigie "$pw" | cut -d: -f2-)
else
	hash=$($PY -W ignore -c 'import crypt, sys; print(crypt.crypt(sys.argv[1], crypt.mksalt(crypt.METHOD_BLOWFISH, rounds=16)))' "$pw" 2>/dev/null)
fi
case $hash in '$2'*) ;; *) echo "no bcrypt hasher (htpasswd, or Python's crypt)"; exit 77;; esac

cat >"$T/am.yml" <<'YAML'
route:
  receiver: blackhole
receivers:
  - name: blackhole
YAML
printf 'basic_auth_users:\n  vigie: %s\n' "$hash" >"$T/web.yml"
AM_PORT=$(free_port)
mkdir -p "$T/am"
"$AM" --config.file="$T/am.yml" --web.config.file="$T/web.yml" --storage.path="$T/am" \
	--web.listen-address="127.0.0.1:$AM_PORT" --cluster.listen-address= >"$T/am.log" 2>&1 &
PIDS+=("$!")
am_ready() { curl -sf -u "vigie:$pw" "http://127.0.0.1:$AM_PORT/-/ready" >/dev/null; }
wait_for am_ready || { cat "$T/am.log"; fail "alertmanager did not start"; }
expect_eq "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$AM_PORT/api/v2/alerts")" 401 \
	"Alertmanager without credentials"

notify_data
printf 'vigie:wrong-9d\n' >"$T/am.auth"
chmod 600 "$T/am.auth"
make_config "webhooks:
  am:
    url: http://127.0.0.1:$AM_PORT
    format: alertmanager
    basic_auth_file: $T/am.auth
    timeout: 5s
recipients:
  hr:
    - webhook: [am]"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/data.csv"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_eq "$(notify_sql "SELECT status || ' ' || (failed_config IS NOT NULL) || ' ' || last_error FROM message")" \
	"failed 1 HTTP 401: Unauthorized"
expect_no_grep "wrong-9d" "$T/err"

printf 'vigie:%s\n' "$pw" >"$T/am.auth"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_grep "1 notification by webhook to am requeued: its configuration changed" "$T/err"
expect_eq "$(notify_sql "SELECT status FROM message")" sent
expect_no_grep "$pw" "$T/err"
curl -sf -u "vigie:$pw" "http://127.0.0.1:$AM_PORT/api/v2/alerts" >"$T/alerts.json" ||
	fail "GET /api/v2/alerts failed"
$PY - "$T/alerts.json" <<'PY' || { cat "$T/alerts.json"; fail "alerts in Alertmanager"; }
import json, sys
got = sorted((a["labels"]["alertname"], a["labels"]["unit"], a["status"]["state"])
             for a in json.load(open(sys.argv[1])))
assert got == [("conflicts-high", "acme/metz/accueil", "active"),
               ("conflicts-high", "acme/nancy/logistique", "active")], got
PY
exit 0
