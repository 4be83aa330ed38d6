#!/usr/bin/env bash
# SIGKILL while the inbox rejects files loses no rejection and tells none
# twice (SPEC 13): each rejected file ends in rejected/ with its
# NAME.errors.txt, one rejected event each, one notice each in the outbox.
# The rejection is recorded before the file is moved, and told in the
# transaction that clears the record. The two states a kill can leave
# are made deterministically first: a rejection recorded and moved but not
# told (the notice's transaction fails: a trigger refuses the event), then
# one recorded but not moved (the record written by hand); then kills at
# random moments (a bounded number) while hundreds of files are rejected.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1
command -v sqlite3 >/dev/null || { echo "sqlite3 missing"; exit 77; }

port=$(free_port)	# nobody listens: notices stay in the outbox
make_config "locale: en
recipients:
  ops:
    - webhook: [hook]
webhooks:
  hook:
    url: http://127.0.0.1:$port/hook"
conflicts_rule
bad() { printf 'unit;period;headcount\n"acme/x";2026-13;abc\n'; }
put() { bad >"$T/.stage" && mv "$T/.stage" "$T/inbox/$1"; }
told() { db "SELECT count(*) FROM event e JOIN message_item i ON i.event = e.id WHERE e.kind = 'rejected' AND e.file = '$1'"; }
record() { db "SELECT value FROM meta WHERE key = 'inbox_rejecting'"; }
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once

# 1. Moved, not told: the state a kill between the move and the notice
# leaves. The next pass tells it, once.
db "CREATE TRIGGER no_rejection BEFORE INSERT ON event WHEN NEW.kind = 'rejected'
    BEGIN SELECT RAISE(ABORT, 'refused by the test'); END"
put a.csv
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_grep "a.csv rejected, nothing imported; moved to $T/inbox/rejected/a.csv with the errors in a.csv.errors.txt:" "$T/err"
expect_grep "cannot record the rejection of a.csv: refused by the test" "$T/err"
expect_grep "a.csv: its rejection is told at the next cycle" "$T/err"
[ -e "$T/inbox/rejected/a.csv.errors.txt" ] || fail "a.csv.errors.txt not written"
expect_eq "$(told a.csv)" 0 "notices of a.csv, refused"
[ -n "$(record)" ] || fail "the rejection of a.csv not recorded"
db "DROP TRIGGER no_rejection"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_grep "<6>vigied: a.csv: rejected and moved to $T/inbox/rejected/a.csv before the daemon stopped, not told: told now" "$T/err"
expect_eq "$(told a.csv)" 1 "notices of a.csv"
expect_eq "$(record)" "" "the record, once told"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_no_grep "a.csv" "$T/err"
expect_eq "$(told a.csv)" 1 "notices of a.csv after another run"

# 2. Recorded, not moved: the state a kill between the record and the
# move leaves. The file is rejected again, under the name recorded, and
# told once.
put b.csv
db "INSERT OR REPLACE INTO meta VALUES ('inbox_rejecting', '$(stat -c '%d %i' "$T/inbox/b.csv") 2 2 12 1/b.csv/b.csv/')"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_grep "b.csv rejected, nothing imported; moved to $T/inbox/rejected/b.csv with the errors in b.csv.errors.txt:" "$T/err"
expect_no_grep "told now" "$T/err"
expect_eq "$(told b.csv)" 1 "notices of b.csv"
expect_eq "$(record)" "" "the record, once told"
expect_eq "$(ls "$T/inbox/rejected" | tr '\n' ' ')" "a.csv a.csv.errors.txt b.csv b.csv.errors.txt " "rejected/"

# 3. Random kills, 25, each 0.05 to 0.25 s into a run, while hundreds of
# files wait. Afterwards every file is in rejected/ once, with its errors,
# one event and one notice each.
mkdir -p "$T/stage"
# drop FROM TO: bad files g<FROM>..g<TO>.csv, renamed in, written long
# enough ago not to be waited for.
drop() {
	local i
	for i in $(seq -w "$1" "$2"); do
		printf 'unit;period;headcount\n"acme/x";2026-13;abc\n' >"$T/stage/g$i.csv"
	done
	touch -d '1 minute ago' "$T"/stage/*.csv
	mv "$T"/stage/*.csv "$T/inbox/"
}
left() { ls "$T/inbox" | grep -c '\.csv$'; }

RANDOM=7
drop 0001 0300
next=301 kills=0 moved=0
while [ $kills -lt 25 ]; do
	[ "$(left)" -lt 50 ] && { drop $(printf %04d $next) $(printf %04d $((next + 149))); next=$((next + 150)); }
	"$VIGIED" -c "$T/vigie.yaml" --once 2>>"$T/killed.err" &
	pid=$!
	PIDS+=("$pid")
	sleep "0.$(printf %02d $((5 + RANDOM % 20)))"
	kill -KILL $pid 2>/dev/null
	wait $pid 2>/dev/null
	kills=$((kills + 1))
	# Killed between the move and the notice: the record names a file
	# already in rejected/.
	final=$(record | cut -d/ -f3)
	[ -n "$final" ] && [ -e "$T/inbox/rejected/$final" ] && moved=$((moved + 1))
	true
done
# The last runs, not killed, take the rest and tell what is untold.
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_eq "$(left)" 0 "files left in the inbox"
$PY - "$T/vigie.db" "$T/inbox/rejected" <<'PY' || fail "rejections after the kills"
import os, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
d = sys.argv[2]
files = sorted(f for f in os.listdir(d) if f.endswith(".csv"))
# Never rejected twice: each file once in rejected/, under its own name.
files = [f for f in files if f.startswith("g")]
assert all(len(f) == 9 for f in files), [f for f in files if len(f) != 9]
ev = [r[0] for r in db.execute("SELECT file FROM event WHERE kind = 'rejected' AND file LIKE 'g%'")]
lost = sorted(set(files) - set(ev))
assert not lost, ("rejected without an event", lost)
twice = sorted(f for f in set(ev) if ev.count(f) > 1)
assert not twice, ("told twice", twice)
assert sorted(ev) == files, "events for files not in rejected/"
noerr = [f for f in files if not os.path.exists(d + "/" + f + ".errors.txt")]
assert not noerr, ("without NAME.errors.txt", noerr)
bad = db.execute("SELECT e.file, count(i.message) FROM event e LEFT JOIN message_item i"
                 " ON i.event = e.id WHERE e.kind = 'rejected' AND e.file LIKE 'g%' GROUP BY e.id"
                 " HAVING count(i.message) != 1").fetchall()
assert not bad, ("not one notice each", bad)
print(len(files), "files rejected")
PY
expect_eq "$(record)" "" "the record, once told"
echo "kills $kills, $moved between a move and its notice"
exit 0
