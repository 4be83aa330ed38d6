#!/usr/bin/env bash
# A silence holds notifications, it does not drop them (SPEC 9): an alert
# that fired during a silence and is still active when the silence ends
# (its period passed, or `vigie unsilence`) is notified at the next cycle,
# once, with the latest event of its episode that the silence held; its
# history then shows the notification. An alert that fired and resolved
# within the silence sends nothing afterwards, nor one that resolves at the
# first period after it (its firing was never sent), and one that changed again
# once the silence was over is notified as a new alert (firing) at its new
# severity: its recipients never heard of it (its email says a silence
# held it). Nothing is
# sent twice: not at a further cycle, not after SIGKILL during delivery.
# A resolution within a silence of an alert notified before it is sent
# when the silence ends, and said held, as a held firing is.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1
source "$VIGIE_SRC/tests/integration/notify_lib.sh"

mkdir -p "$T/rules.d"
cat >"$T/rules.d/conflicts.yaml" <<'YAML'
rules:
  - id: conflicts-high
    title: "Repeated conflicts"
    value: conflicts
    above: { warning: 2, critical: 5 }
    scope: "acme/*"
    notify: [hr]
YAML
# acme/a fires at 2026-10 and stays in warning; acme/b fires at 2026-09 and
# resolves at 2026-10; acme/c fires at 2026-10 and escalates at 2026-11.
cat >"$T/upto09.csv" <<'CSV'
unit,period,headcount,conflicts
acme/a,2026-08,20,0
acme/a,2026-09,20,0
acme/b,2026-08,20,0
acme/b,2026-09,20,3
acme/c,2026-08,20,0
acme/c,2026-09,20,0
CSV
cat >"$T/p10.csv" <<'CSV'
unit,period,headcount,conflicts
acme/a,2026-10,20,3
acme/b,2026-10,20,0
acme/c,2026-10,20,3
CSV
cat >"$T/p11.csv" <<'CSV'
unit,period,headcount,conflicts
acme/a,2026-11,20,3
acme/b,2026-11,20,0
acme/c,2026-11,20,6
CSV

# acme/a resolves at the first period after the silence, acme/c escalates.
cat >"$T/p11r.csv" <<'CSV'
unit,period,headcount,conflicts
acme/a,2026-11,20,0
acme/b,2026-11,20,0
acme/c,2026-11,20,6
CSV

# Signed, so that every request carries its message's webhook-id.
secret=$(notify_secret)
printf '%s\n' "$secret" >"$T/hook.secret"
chmod 600 "$T/hook.secret"

# setup NAME UNTIL [RECEIVER ARGS...]: a fresh database and receiver, the
# data up to 2026-10 evaluated period by period under a silence of every
# acme/* unit until UNTIL (its id in $sid). Nothing may have been sent.
setup() {
	local name=$1 until=$2; shift 2
	rm -f "$T/vigie.db"*
	port=$(free_port)
	notify_webhook "$T/$name.log" "$port" --secret "$secret" "$@"
	make_config "webhooks:
  hook:
    url: http://127.0.0.1:$port/hook
    secret_file: $T/hook.secret
    timeout: 10s
recipients:
  hr:
    - webhook: [hook]"
	expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/upto09.csv"
	expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" silence --rule conflicts-high \
		--unit 'acme/*' --until "$until" --reason "reorganisation"
	sid=$(cat "$T/out")
	expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
	expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/p10.csv"
	expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
	expect_eq "$(notify_sql "SELECT count(*) FROM message")" 0 "messages during the silence"
	expect_eq "$(notify_sql "SELECT group_concat(kind || ' ' || unit, ', ') FROM
	    (SELECT kind, unit FROM event WHERE silenced = 1 ORDER BY id)")" \
		"firing acme/b, firing acme/a, resolved acme/b, firing acme/c" "held events"
	expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" history conflicts-high@acme/a
	expect_grep "silenced: not notified" "$T/out"
	[ ! -s "$T/$name.log" ] || fail "a request during the silence: $(cat "$T/$name.log")"
}

# alerts LOG: per request, its alerts as "event unit period", sorted.
alerts() {
	$PY - "$1" <<'PY'
import json, sys
for line in open(sys.argv[1]):
    body = json.loads(json.loads(line)["body"])
    print(" | ".join(sorted("%s %s %s" % (a["event"], a["unit"], a["period"])
                            for a in body["alerts"])))
PY
}

# --- the silence expires: its period passed ---
setup expired 2026-10
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/p11.csv"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_grep "conflicts-high@acme/a firing at 2026-10: no silence holds it any more, notified now" "$T/err"
expect_eq "$(alerts "$T/expired.log")" \
	"firing acme/a 2026-10 | firing acme/c 2026-11" "after the silence expired"
expect_eq "$(notify_sql "SELECT count(*) || ' ' || group_concat(status) FROM message")" \
	"1 sent"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_eq "$(wc -l <"$T/expired.log")" 1 "requests after further cycles"
expect_eq "$(notify_sql "SELECT count(*) FROM message")" 1 "messages after further cycles"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" history conflicts-high@acme/a
expect_grep "webhook hook (hr, firing): sent" "$T/out"
expect_no_grep "not notified" "$T/out"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" history conflicts-high@acme/b
expect_grep "not notified" "$T/out"
expect_no_grep "webhook hook" "$T/out"
notify_stop "$HOOK_PID"

# --- the silence expires and the alert it held resolves at that cycle ---
# Its firing was never sent: its recipients are owed no "resolved" either.
setup resolved 2026-10
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/p11r.csv"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_eq "$(alerts "$T/resolved.log")" "firing acme/c 2026-11" "after the silence expired"
expect_eq "$(notify_sql "SELECT silenced FROM event WHERE unit = 'acme/a' AND kind = 'resolved'")" \
	1 "the resolved event of an alert the silence held"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" history conflicts-high@acme/a
expect_no_grep "webhook hook" "$T/out"
notify_stop "$HOOK_PID"

# --- the silence is removed: vigie unsilence ---
setup removed 2026-12
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
[ ! -s "$T/removed.log" ] || fail "a request while silenced: $(cat "$T/removed.log")"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" unsilence "$sid"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_eq "$(alerts "$T/removed.log")" \
	"firing acme/a 2026-10 | firing acme/c 2026-10" "after vigie unsilence"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_eq "$(wc -l <"$T/removed.log")" 1 "requests after a further cycle"
expect_eq "$(notify_sql "SELECT count(*) FROM message")" 1 "messages after a further cycle"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" history --format json conflicts-high@acme/a
$PY - "$T/out" <<'PY' || fail "history of acme/a"
import json, sys
h = json.load(open(sys.argv[1]))
kinds = [(e["kind"], e.get("event")) for e in h]
assert kinds == [("firing", None), ("notification", "firing")], kinds
assert h[0]["silenced"] is True and h[0]["released"] is not None, h[0]
assert h[1]["status"] == "sent", h[1]
PY
notify_stop "$HOOK_PID"

# --- SIGKILL while the released notification is being delivered ---
setup killed 2026-12 --sleep 3
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" unsilence "$sid"
"$VIGIED" -c "$T/vigie.yaml" --once >"$T/killed.out" 2>&1 &
pid=$!
PIDS+=("$pid")
in_flight() { [ -s "$T/killed.log" ] || [ "$(notify_sql "SELECT count(*) FROM message" 2>/dev/null)" = 1 ]; }
wait_for in_flight || fail "no message recorded after vigie unsilence"
sleep 1
kill -KILL "$pid"
wait "$pid" 2>/dev/null
# The release and its message were committed together, before delivery.
expect_eq "$(notify_sql "SELECT count(*) || ' ' || group_concat(status) FROM message")" \
	"1 pending" "after SIGKILL"
expect_eq "$(notify_sql "SELECT group_concat(unit, ' ') FROM event WHERE released_at IS NOT NULL")" \
	"acme/a acme/c" "released events after SIGKILL"
notify_stop "$HOOK_PID"
notify_webhook "$T/killed2.log" "$port" --secret "$secret"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_eq "$(notify_sql "SELECT count(*) || ' ' || group_concat(status) FROM message")" \
	"1 sent" "after SIGKILL and two cycles"
cat "$T/killed.log" "$T/killed2.log" 2>/dev/null >"$T/all.log"
$PY - "$T/all.log" "$(notify_sql "SELECT uid FROM message")" <<'PY' || fail "requests differ"
import json, sys
reqs = [json.loads(l) for l in open(sys.argv[1])]
assert 1 <= len(reqs) <= 2, reqs
assert all(r["webhook_id"] == sys.argv[2] and r["verified"] for r in reqs), reqs
PY
notify_stop "$HOOK_PID"

# --- the email says the alert waited under a silence ---
# Its reader would think the data came late, or the digest before missed it.
rm -f "$T/vigie.db"*
mkdir -p "$T/mail"
sport=$(free_port)
notify_smtpd "$T/mail" "$sport"
make_config "smtp:
  url: smtp://127.0.0.1:$sport
  starttls: none
  from: vigie@example.org
recipients:
  hr:
    - email: [drh@example.org]"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/upto09.csv"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" silence --rule conflicts-high --unit 'acme/*' \
	--until 2026-10 --reason "reorganisation"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/p10.csv"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_eq "$(notify_count "$T/mail")" 0 "emails during the silence"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/p11.csv"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_eq "$(notify_count "$T/mail")" 1 "emails after the silence"
$PY - "$T/mail"/*.eml <<'PY' || fail "the held alert is not said held"
import email, email.policy, sys
m = email.message_from_binary_file(open(sys.argv[1], "rb"), policy=email.policy.default)
text = " ".join(m.get_body(preferencelist=("plain",)).get_content().split())
held = "Nouvelle alerte en octobre 2026, retenue jusqu'ici par une suspension des notifications"
assert held in text, text
# acme/c fired under the silence and escalated after it: its recipients
# hear of it only now, and are told why.
since = ("En alerte depuis octobre 2026, signalée pour la première fois (dernière "
         "période : novembre 2026), retenue jusqu'ici par une suspension des notifications")
assert since in text, text
assert text.count("retenue jusqu'ici") == 2, text
PY
# acme/a, whose alert its recipients have now, resolves in December under
# a new silence: when it ends, the resolution goes out, once; else they
# would believe it active still.
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" silence --rule conflicts-high --unit acme/a \
	--until 2027-03 --reason "audit"
asid=$(cat "$T/out")
printf 'unit,period,headcount,conflicts\nacme/a,2026-12,20,0\nacme/b,2026-12,20,0\nacme/c,2026-12,20,6\n' >"$T/p12.csv"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/p12.csv"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_eq "$(notify_count "$T/mail")" 1 "the resolution held"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" unsilence "$asid"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_grep "conflicts-high@acme/a resolved at 2026-12: no silence holds it any more, notified now" "$T/err"
expect_eq "$(notify_count "$T/mail")" 2 "the resolution sent once the silence is over"
$PY - "$(ls "$T"/mail/*.eml | sort | tail -1)" <<'PY' || fail "the held resolution"
import email, email.policy, sys
m = email.message_from_binary_file(open(sys.argv[1], "rb"), policy=email.policy.default)
text = " ".join(m.get_body(preferencelist=("plain",)).get_content().split())
assert "Résolue en décembre 2026" in text and "retenue jusqu'ici par une suspension" in text, text
PY
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_eq "$(notify_count "$T/mail")" 2 "not again"
notify_stop "$SMTPD_PID"
exit 0
