#!/usr/bin/env bash
# A notification that could not be claimed because the database's disk was
# full goes out on the delivery's backoff once there is room, not at the
# next interval (an hour here): the cycle that failed is followed by
# another 30 s later (SPEC 9: retried from 30 s). The relay is down at the
# first cycle (the email waits for its retry), the disk fills before that
# retry, whose claim fails; the disk is freed and the relay started: the
# email arrives within 40 s, once, with nothing else done.
# The database lives on a small file system of its own, mounted in vigied's
# mount namespace, filled by a ballast file (as t_database_disk_full). A
# reader holds a read transaction from before the first cycle, as the
# console may: vigied's checkpoints cannot then empty the write-ahead log,
# whose reuse would otherwise let the claim's small write through.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1
source "$VIGIE_SRC/tests/integration/notify_lib.sh"
command -v sqlite3 >/dev/null || { echo "sqlite3 missing"; exit 77; }
unshare -m true 2>/dev/null || { echo "no mount namespace (unshare -m)"; exit 77; }

notify_data
sport=$(free_port)
mkdir -p "$T/db" "$T/mail"
make_config "$(smtp_plain "$sport")
recipients:
  social-worker:
    - email: [service-social@example.org]"
sed -i "s|^database: .*|database: $T/db/vigie.db|" "$T/vigie.yaml"
sed -i 's/notify: \[social-worker, hr\]/notify: [social-worker]/' "$T/rules.d/conflicts.yaml"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/data.csv"
cp -rp "$T/db" "$T/db.copy"

cat >"$T/reader.py" <<'PY'
import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("BEGIN")
c.execute("SELECT count(*) FROM series").fetchall()
open(sys.argv[2], "w").write("reading\n")
time.sleep(170)
PY
(exec unshare -m sh -c 'mount -t tmpfs -o size=4m,mode=0700 tmpfs "$0" &&
	cp -p "$0.copy"/vigie.db "$0"/ && { "$1" "$2" "$0/vigie.db" "$0.reading" & echo $! >"$0.reader"; } &&
	while [ ! -e "$0.reading" ]; do sleep 0.1; done && shift 2 && exec "$@"' "$T/db" "$PY" "$T/reader.py" \
	"$VIGIED" -c "$T/vigie.yaml") 2>"$T/vigied.err" &
D=$!
PIDS+=("$D")
wait_for test -s "$T/db.reader" || fail "the reader did not start"
PIDS+=("$(cat "$T/db.reader")")
ns() { nsenter -t "$D" -m "$@"; }	# CMD...: in vigied's mount namespace
wait_for grep -q "not delivered, retry in" "$T/vigied.err" ||
	{ cat "$T/vigied.err"; fail "no failed attempt logged"; }
s=$(sed -n 's/.*not delivered, retry in \([0-9]*\) s.*/\1/p' "$T/vigied.err" | head -n 1)
ns dd if=/dev/zero of="$T/db/ballast" bs=4k 2>/dev/null
expect_eq "$(ns stat -f -c %a "$T/db")" 0 "room left on the database's disk"
for _ in $(seq 1 $((s / 2 + 5))); do
	grep -q "cannot claim notification" "$T/vigied.err" && break
	sleep 2
done
expect_grep "cannot claim notification 1: database or disk is full" "$T/vigied.err"
expect_grep "the cycle failed; the next one in 30 s" "$T/vigied.err"
ns rm "$T/db/ballast"
notify_smtpd "$T/mail" "$sport"
for _ in $(seq 1 20); do
	[ "$(notify_count "$T/mail")" -ge 1 ] && break
	sleep 2
done
[ "$(notify_count "$T/mail")" -ge 1 ] || { cat "$T/vigied.err"; fail "not sent within 40 s once there was room"; }
sent() { [ "$(ns sqlite3 "$T/db/vigie.db" "SELECT status FROM message" 2>/dev/null)" = sent ]; }
wait_for sent || { cat "$T/vigied.err"; fail "the delivery was not recorded"; }
expect_eq "$(notify_count "$T/mail")" 1 "emails"
expect_no_grep "reloaded" "$T/vigied.err"
kill -TERM "$D"
wait "$D"
expect_eq "$?" 0 "vigied's exit status"
exit 0
