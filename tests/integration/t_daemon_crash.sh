#!/usr/bin/env bash
# Crash safety (SPEC 13): vigied is SIGKILLed at random moments while files
# arrive in the inbox, and restarted. Afterwards every file's data is in the
# database exactly once, the recorded transitions replay into exactly what a
# fresh evaluation says (none missing, none duplicated), and the outbox has
# one message per target per cycle with one item per notified event.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1

port=$(free_port)	# nobody listens: messages stay pending
make_config "locale: en
default_notify: [hr]
recipients:
  hr:
    - webhook: [hook]
webhooks:
  hook:
    url: http://127.0.0.1:$port/hook"
cat >"$T/rules.d/conflicts.yaml" <<'YAML'
rules:
  - id: conflicts-high
    title: "Many conflicts"
    value: conflicts
    above: { warning: 2, critical: 5, clear: 1 }
YAML
mkdir -p "$T/stage"
N=15
# Deterministic data: 15 months, 4 teams, conflicts moving up and down.
$PY - "$T/stage" $N <<'PY'
import random, sys
random.seed(7)
out, n = sys.argv[1], int(sys.argv[2])
for i in range(n):
    y, m = 2025 + i // 12, i % 12 + 1
    with open(f"{out}/.f{i+1:02d}", "w") as f:
        f.write("unit,period,headcount,conflicts\n")
        for u in "abcd":
            f.write(f"acme/{u},{y}-{m:02d},10,{random.choice([0, 1, 3, 4, 6, 8])}\n")
PY

RANDOM=42
for i in $(seq 1 $N); do
	"$VIGIED" -c "$T/vigie.yaml" 2>>"$T/vigied.err" &
	pid=$!
	sleep "0.0$((RANDOM % 10))"
	mv "$T/stage/.f$(printf %02d "$i")" "$T/inbox/f$(printf %02d "$i").csv"
	sleep "0.0$((RANDOM % 10))"
	kill -KILL $pid 2>/dev/null
	wait $pid 2>/dev/null
done
# A last clean run picks up whatever the kills interrupted.
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once

expect_eq "$(ls "$T/inbox" | grep -c '\.csv$')" 0 "files left in the inbox"
# (beside them, the warnings of months long ended taken one pass at a
# time: t_import_backfill)
expect_eq "$(ls "$T/inbox/processed" | grep -v '\.warnings\.txt$' | tr '\n' ' ')" "$(for i in $(seq 1 $N); do printf 'f%02d.csv ' $i; done)"
expect_eq "$(ls "$T/inbox/rejected" | wc -l)" 0
expect_eq "$(sqlite3 "$T/vigie.db" "SELECT count(*), count(DISTINCT source) FROM import_log")" "$N|$N"
expect_eq "$($PY "$SRC/tests/integration/dbvalues.py" "$T/vigie.db" | wc -l)" $((N * 4 * 2))

expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" eval --format json
$PY - "$T/vigie.db" "$T/out" "$T/inbox/processed" "$SRC/tests/integration/dbvalues.py" <<'PY' || fail "database after the crashes"
import csv, glob, json, sqlite3, subprocess, sys
db = sqlite3.connect(sys.argv[1])
# Values: exactly the files' content.
want = {}
for f in glob.glob(sys.argv[3] + "/*.csv"):
    for r in csv.DictReader(open(f)):
        for ind in ("headcount", "conflicts"):
            want[(r["unit"], r["period"], ind)] = float(r[ind])
got = {}
for line in subprocess.run([sys.executable, sys.argv[4], sys.argv[1]], check=True,
                           capture_output=True, text=True).stdout.splitlines():
    unit, period, ind, v = line.split(",")
    got[(unit, period, ind)] = float(v)
assert got == want, "values differ"
# Transitions replay into the fresh evaluation's states, without duplicates.
state = {}
seen = set()
for alert, unit, kind, sev, period in db.execute(
        "SELECT alert, unit, kind, severity, period FROM event WHERE alert IS NOT NULL ORDER BY id"):
    assert (alert, period) not in seen, ("two transitions at one period", unit, period)
    seen.add((alert, period))
    prev = state.get(unit)
    if kind == "firing":
        assert prev is None, (unit, kind, prev)
        state[unit] = sev
    elif kind in ("escalated", "deescalated"):
        assert prev is not None and prev != sev, (unit, kind, prev, sev)
        state[unit] = sev
    elif kind == "resolved":
        assert prev is not None, (unit, kind)
        state[unit] = None
    else:
        raise AssertionError(kind)
fresh = {r["unit"]: r["severity"] for r in json.load(open(sys.argv[2])) if r["active"]}
final = {u: s for u, s in state.items() if s}
assert final == fresh, (final, fresh)
stored = dict(db.execute("SELECT unit, severity FROM alert WHERE active"))
assert stored == fresh, (stored, fresh)
# Outbox: one message per target per cycle, one item per notified event.
dup = db.execute("SELECT cycle, channel, target, count(*) FROM message"
                 " GROUP BY 1, 2, 3 HAVING count(*) > 1").fetchall()
assert not dup, dup
bad = db.execute("SELECT e.id, count(i.message) FROM event e LEFT JOIN message_item i"
                 " ON i.event = e.id WHERE e.alert IS NOT NULL GROUP BY e.id"
                 " HAVING count(i.message) != 1").fetchall()
assert not bad, bad
empty = db.execute("SELECT count(*) FROM message m WHERE NOT EXISTS"
                   " (SELECT 1 FROM message_item i WHERE i.message = m.id)").fetchone()[0]
assert empty == 0, empty
assert len(seen) > 0, "no transition recorded at all"
print("transitions", len(seen), "cycles", db.execute("SELECT count(*) FROM cycle").fetchone()[0], "messages", db.execute("SELECT count(*) FROM message").fetchone()[0])
PY
exit 0
