#!/usr/bin/env bash
# An alert that fired under a cover (inhibited_by) and resolved the cycle
# its cover did was never told to anyone: its resolution is not sent
# (evaluate.c), and what says so names the cover, not a silence that
# nobody set — the log, vigie history and the console's alert page (a
# probe restoring a backup looked for "who silenced this?").
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1
source "$VIGIE_SRC/tests/integration/notify_lib.sh"

cat >"$T/rules.yaml" <<'YAML'
rules:
  - id: cover
    title: "Conflits répétés"
    value: conflicts
    above: { warning: 2 }
    scope: "acme/*"
    notify: [social-worker]
  - id: weak
    title: "Signaux faibles convergents"
    value: grievances
    above: { warning: 3 }
    scope: "acme/*"
    notify: [social-worker]
    inhibited_by: [cover]
YAML
mkdir -p "$T/mail"
sport=$(free_port)
notify_smtpd "$T/mail" "$sport"
make_config "$(smtp_plain "$sport")
recipients:
  social-worker:
    - email: [sw@example.org]"
cp "$T/rules.yaml" "$T/rules.d/"
printf 'unit,period,headcount,conflicts,grievances\nacme/z,2026-01,20,0,0\n' >"$T/p1.csv"
printf 'unit,period,headcount,conflicts,grievances\nacme/z,2026-02,20,3,4\n' >"$T/p2.csv"
printf 'unit,period,headcount,conflicts,grievances\nacme/z,2026-03,20,0,0\n' >"$T/p3.csv"
for p in p1 p2 p3; do
	expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/$p.csv"
	expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
	cp "$T/err" "$T/$p.err"
done
expect_grep "weak@acme/z firing warning at 2026-02 (held by the alert of cover)" "$T/p2.err"
expect_grep "weak@acme/z resolved at 2026-03 (not notified: its firing was not)" "$T/p3.err"
expect_no_grep "(silenced)" "$T/p3.err"
# February's email (cover, weak as one of its lines) and March's (cover
# resolved): nothing of weak's resolution.
expect_eq "$(grep -l "^To: sw@example.org" "$T"/mail/*.eml | wc -l)" 2 "emails to the social worker"
expect_grep "Aussi en alerte" "$T/mail/0001-sw@example.org.eml"
expect_no_grep "Signaux faibles" "$T/mail/0002-sw@example.org.eml"

expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" history weak@acme/z
expect_grep "resolved  2026-03  -             0  from warning, threshold 3, held by the alert of cover: not notified" "$T/out"
expect_no_grep "silenced" "$T/out"

PORT=$(free_port)
printf 'web:\n  listen: 127.0.0.1:%s\n' "$PORT" >>"$T/vigie.yaml"
web_user sw social-worker
web_start
expect_eq "$(login "$T/jar" sw)" 303 "login"
expect_eq "$(req "$T/jar" GET /alerts/weak@acme/z)" 200 "the alert's page"
expect_grep "(couverte par une autre alerte" "$T/b"
expect_no_grep "(silence" "$T/b"
web_stop
