#!/usr/bin/env bash
# While a delivery's record waits for room on the database's disk, the
# other transfers of the run are driven on: their servers' answers are
# read, and they do not time out for a wait that was vigied's (they did,
# "Operation timed out after 25474 milliseconds with 0 bytes received",
# blaming the server). The relay takes a second per message; two emails
# go side by side; the disk fills once they are claimed, and is freed 8 s
# after the first could not be recorded (the transfers' timeout is 5 s).
# Both emails then arrive once and are recorded sent at their first
# attempt, and no transfer timed out.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1
source "$VIGIE_SRC/tests/integration/notify_lib.sh"
command -v sqlite3 >/dev/null || { echo "sqlite3 missing"; exit 77; }
unshare -m true 2>/dev/null || { echo "no mount namespace (unshare -m)"; exit 77; }

notify_data
sport=$(free_port)
mkdir -p "$T/db" "$T/mail"
notify_smtpd "$T/mail" "$sport" --slow-data 1
make_config "$(smtp_plain "$sport")
recipients:
  social-worker:
    - scope: \"acme/nancy/**\"
      email: [marie.martin@example.org]
    - email: [service-social@example.org]"
sed -i "s|^database: .*|database: $T/db/vigie.db|" "$T/vigie.yaml"
sed -i 's/notify: \[social-worker, hr\]/notify: [social-worker]/' "$T/rules.d/conflicts.yaml"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/data.csv"
cp -rp "$T/db" "$T/db.copy"

(exec unshare -m sh -c 'mount -t tmpfs -o size=4m,mode=0700 tmpfs "$0" &&
	cp -p "$0.copy"/vigie.db "$0"/ && exec "$@"' "$T/db" \
	"$VIGIED" -c "$T/vigie.yaml") 2>"$T/vigied.err" &
D=$!
PIDS+=("$D")
ns() { nsenter -t "$D" -m "$@"; }	# CMD...: in vigied's mount namespace
q() { ns sqlite3 "$T/db/vigie.db" "$1" 2>/dev/null; }
claimed() { [ "$(q "SELECT count(*) FROM message WHERE claimed_by IS NOT NULL")" = 2 ]; }
wait_for claimed || { cat "$T/vigied.err"; fail "the two emails were not claimed"; }
ns dd if=/dev/zero of="$T/db/ballast" bs=4k 2>/dev/null
stuck() { grep -q "was delivered but cannot be recorded yet" "$T/vigied.err"; }
wait_for stuck || { cat "$T/vigied.err"; fail "no record waited for room"; }
sleep 8
ns rm "$T/db/ballast"
all_sent() { [ "$(q "SELECT count(*) FROM message WHERE status = 'sent'")" = 2 ]; }
wait_for all_sent || { cat "$T/vigied.err"; fail "not every email recorded sent"; }
expect_no_grep "timed out" "$T/vigied.err"
expect_no_grep "not delivered" "$T/vigied.err"
expect_eq "$(q "SELECT group_concat(attempts) FROM message")" "1,1" "attempts"
expect_eq "$(notify_count "$T/mail")" 2 "emails"
kill -TERM "$D"
wait "$D"
expect_eq "$?" 0 "vigied's exit status"
exit 0
