#!/usr/bin/env bash
# Retention (SPEC 3) reaches the console at once: a resolved alert that a
# cycle deletes as too old leaves « résolues sans issue » and its page is
# gone (404), without restarting vigie-web. Resolved alerts age only when
# the latest period moves or retention.alerts changes, and either makes the
# cycle evaluate, so the cycle that deletes them has its own row: the
# console, which reads its alerts again when the newest cycle changes,
# sees it, also when the events deleted are not the newest (the newest
# event alone would not tell).
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1
source "$VIGIE_SRC/tests/integration/notify_lib.sh"
command -v curl >/dev/null || { echo "curl missing"; exit 77; }

PORT=$(free_port) HOOK=$(free_port)
# The alert's notifications delivered: retention keeps what a pending one
# carries.
notify_webhook "$T/hook.log" "$HOOK"
conf() {	# RETENTION: the configuration, with that retention
	make_config "webhooks:
  hook: { url: \"http://127.0.0.1:$HOOK/h\" }
recipients:
  hr:
    - webhook: [hook]
web:
  listen: 127.0.0.1:$PORT
retention: $1"
}
conf "{ alerts: 36 }"
web_conflicts_rule
{
	echo "unit,period,headcount,conflicts"
	echo "acme/s/t,2026-01,30,1"
	echo "acme/s/t,2026-02,30,3"
	echo "acme/s/u,2026-01,30,0"
	echo "acme/s/u,2026-02,30,0"
} >"$T/a.csv"
printf 'unit,period,headcount,conflicts\nacme/s/t,2026-03,30,0\nacme/s/u,2026-03,30,0\n' >"$T/b.csv"
# acme/s/u fires in April: the newest events are its, and they stay.
{
	echo "unit,period,headcount,conflicts"
	for m in 04 05; do echo "acme/s/t,2026-$m,30,0"; echo "acme/s/u,2026-$m,30,3"; done
} >"$T/c.csv"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/a.csv"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
for f in b c; do
	expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/$f.csv"
	expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
done
# A cycle with nothing new: the quiet stretch's row.
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_eq "$(db "SELECT group_concat(unit || ' ' || active || ' ' || period, ', ') FROM alert")" \
	"acme/s/t 0 $((2026 * 12 + 2)), acme/s/u 1 $((2026 * 12 + 4))" "acme/s/t's alert resolved in March"
expect_eq "$(db "SELECT idle FROM cycle ORDER BY id DESC LIMIT 1")" 1 "the last cycle was idle"

web_user rh hr --scope 'acme/**'
web_start
J=$T/jar
expect_eq "$(login "$J" rh)" 303 "rh logs in"
A=/alerts/conflicts-high@acme/s/t
expect_eq "$(req "$J" GET "/?state=unrecorded")" 200 "the resolved alerts"
expect_grep "href=\"$A\"" "$T/b"
expect_eq "$(req "$J" GET "$A")" 200 "its page"

# Two periods of resolved alerts from May, and the delivered messages of
# the last day (a kept message keeps the alert it carries; the alert's were
# delivered two days ago): March's goes, in the cycle that the changed
# configuration makes evaluate, with acme/s/t's two messages; acme/s/u's,
# still active, stays (it says who was told of it).
db "UPDATE message SET created_at = created_at - 2 * 86400"
conf "{ alerts: 2, messages: 1d }"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_grep 'retention: deleted 0 values, 1 resolved alerts, 2 events, 0 notes, 2 messages' "$T/err"
expect_eq "$(db "SELECT group_concat(unit) FROM alert")" acme/s/u "the resolved alert deleted"
expect_eq "$(req "$J" GET "/?state=unrecorded")" 200 "the resolved alerts again"
expect_no_grep "href=\"$A\"" "$T/b"
expect_eq "$(req "$J" GET "$A")" 404 "its page is gone"
expect_eq "$(db "SELECT idle FROM cycle ORDER BY id DESC LIMIT 1")" 0 "the cycle that deleted it has its row"
web_stop
