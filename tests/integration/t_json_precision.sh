#!/usr/bin/env bash
# vigie(1): JSON numbers have 17 significant digits, as vigie eval prints
# them, so that they read back to the very double computed. vigie alerts,
# vigie history and the webhook payloads write a value the same way as
# vigie eval: 70/3 is 23.333333333333332 everywhere, never 23.3333333333333.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1
source "$VIGIE_SRC/tests/integration/notify_lib.sh"

port=$(free_port)
notify_webhook "$T/hook.log" "$port"
make_config "locale: en
webhooks:
  hook: { url: \"http://127.0.0.1:$port/h\" }
recipients:
  hr:
    - webhook: [hook]
default_notify: [hr]"
CFG=$T/vigie.yaml
cat >"$T/rules.d/r.yaml" <<'YAML'
rules:
  - id: third
    title: A third of the conflicts
    value: conflicts / 3
    above: { warning: 20 }
    scope: "acme/*"
YAML
printf 'unit,period,headcount,conflicts\nacme/a,2025-01,10,70\n' >"$T/d.csv"
expect_exit 0 "$VIGIE" -c "$CFG" import "$T/d.csv"
expect_exit 0 "$VIGIED" -c "$CFG" --once

# value: the first "value" number of the JSON on stdin, as written.
value() { grep -o '"value": *[-0-9.e]*' | head -n 1 | sed 's/.*: *//'; }
expect_exit 0 "$VIGIE" -c "$CFG" eval --unit acme/a --format json
want=$(value <"$T/out")
expect_eq "$want" 23.333333333333332 "vigie eval"
expect_exit 0 "$VIGIE" -c "$CFG" alerts --format json
expect_eq "$(value <"$T/out")" "$want" "vigie alerts --format json"
expect_exit 0 "$VIGIE" -c "$CFG" history third@acme/a --format json
expect_eq "$(value <"$T/out")" "$want" "vigie history --format json"
wait_for test -s "$T/hook.log" || fail "no webhook post"
body=$($PY -c 'import json, sys; print(json.loads(open(sys.argv[1]).readline())["body"])' "$T/hook.log")
expect_eq "$(printf '%s' "$body" | value)" "$want" "the webhook payload"
exit 0
