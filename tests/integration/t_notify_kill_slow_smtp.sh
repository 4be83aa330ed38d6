#!/usr/bin/env bash
# A delivery is recorded as soon as its server accepted it, not when
# another transfer of the same run ends (SPEC 9: a notification already
# delivered is never sent again, also after a crash). The SMTP relay takes
# a second to answer each message; four emails go side by side. curl waits
# for the answer to the end of a message inside the call that sends it:
# with one loop driving them all, an email's 250 was read, then recorded
# only once the next one's server had answered too, a second later, and a
# SIGKILL in between sent it again. Here: each email is recorded within
# half a second of the server keeping it, and after a SIGKILL once the
# first is kept (the others still with their server) and a restart, the
# first is not sent again.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1
source "$VIGIE_SRC/tests/integration/notify_lib.sh"
command -v sqlite3 >/dev/null || { echo "sqlite3 missing"; exit 77; }

notify_data
sport=$(free_port)
mkdir -p "$T/mail"
notify_smtpd "$T/mail" "$sport" --slow-data 1
make_config "$(smtp_plain "$sport")
recipients:
  social-worker:
    - scope: \"acme/nancy/**\"
      email: [marie.martin@example.org, nancy@example.org]
    - email: [service-social@example.org, metz@example.org]"
sed -i 's/notify: \[social-worker, hr\]/notify: [social-worker]/' "$T/rules.d/conflicts.yaml"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/data.csv"

# watch UNTIL: polls the server's folder and the database every 20 ms;
# prints "ADDRESS SECONDS" for each email the server kept: how long after
# it the database said sent (99: not within the watch). UNTIL "first":
# until half a second after the first email is kept; "all": until every
# message is sent (at most 20 s).
watch() {
	$PY - "$T/vigie.db" "$T/mail" "$1" <<'PY'
import os, re, sqlite3, sys, time
db, mail, until = sys.argv[1:]
kept, sent, t0 = {}, {}, time.monotonic()
while time.monotonic() - t0 < 20:
    now = time.monotonic()
    for f in os.listdir(mail):
        m = re.match(r"\d+-(.*)\.eml$", f)
        if m and m.group(1) not in kept:
            kept[m.group(1)] = now
    try:
        c = sqlite3.connect("file:%s?mode=ro" % db, uri=True, timeout=1)
        rows = c.execute("SELECT target, status FROM message").fetchall()
        c.close()
    except sqlite3.Error:
        rows = []
    for target, status in rows:
        if status == "sent" and target not in sent:
            sent[target] = now
    if until == "first" and kept and now - min(kept.values()) > 0.5:
        break
    if until == "all" and rows and all(s == "sent" for _, s in rows):
        break
    time.sleep(0.02)
for a, t in sorted(kept.items(), key=lambda i: i[1]):
    print(a, "%.2f" % (sent[a] - t if a in sent else 99))
PY
}

"$VIGIED" -c "$T/vigie.yaml" 2>"$T/first.err" &
D=$!
PIDS+=("$D")
watch first >"$T/watch1"
# The others are still with their server: killed meanwhile.
kill -KILL "$D"
wait "$D" 2>/dev/null
[ -s "$T/watch1" ] || { cat "$T/first.err"; fail "no email reached the server"; }
first=$(head -n 1 "$T/watch1" | cut -d' ' -f1)

"$VIGIED" -c "$T/vigie.yaml" 2>"$T/second.err" &
D=$!
PIDS+=("$D")
watch all >"$T/watch2"
kill -TERM "$D"
wait "$D"
expect_eq "$?" 0 "vigied's exit status"
expect_eq "$(notify_sql "SELECT count(*) FROM message WHERE status <> 'sent'")" 0 \
	"messages not sent after the restart"
expect_eq "$(ls "$T/mail" | grep -c -- "-$first\.eml$")" 1 "emails to $first, kept before the kill"
expect_no_grep "sent by email to $first" "$T/second.err"
for a in marie.martin nancy service-social metz; do
	[ "$(ls "$T/mail" | grep -c -- "-$a@example.org\.eml$")" -ge 1 ] || fail "nothing to $a@"
done
# Every email kept by the server, before and after the kill, recorded
# within half a second.
cat "$T/watch1" "$T/watch2" >"$T/delays"
awk '$2 >= 0.5 { bad = 1 } END { exit bad }' "$T/delays" ||
	{ cat "$T/delays"; fail "an email recorded 0.5 s or more after the server kept it"; }
exit 0
