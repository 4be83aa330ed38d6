#!/usr/bin/env bash
# An alertmanager webhook POSTs to Alertmanager's /api/v2/alerts (SPEC 9),
# whether its url is the server's base, that path, or that path with a
# trailing slash: never the path twice.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1
source "$VIGIE_SRC/tests/integration/notify_lib.sh"

port=$(free_port)
notify_webhook "$T/am.log" "$port"
for url in "http://127.0.0.1:$port" "http://127.0.0.1:$port/" \
	"http://127.0.0.1:$port/api/v2/alerts" "http://127.0.0.1:$port/api/v2/alerts/"; do
	rm -f "$T/am.log"
	make_config "webhooks:
  am:
    url: $url
    format: alertmanager
    timeout: 5s
recipients:
  ops:
    - webhook: [am]"
	expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" notify-test ops
	expect_eq "$($PY -c 'import json,sys; print(json.loads(open(sys.argv[1]).readline())["path"])' "$T/am.log")" \
		"/api/v2/alerts" "the path POSTed to with url: $url"
done
