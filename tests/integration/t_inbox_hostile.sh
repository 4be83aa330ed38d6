#!/usr/bin/env bash
# The inbox against careless and hostile writers (SPEC 8). A symbolic link
# to a secret is rejected without being read: the secret appears nowhere
# (rejected/NAME.errors.txt, the log, the database, the notification to
# ops). A FIFO and a device are rejected without blocking; a file over
# max_import_size is refused unread. Error excerpts quote at most 40 bytes
# of the file with control bytes escaped, and the notification to ops
# quotes nothing of the file; nor does the one of a file imported with
# warnings, which are beside it in processed/. A writer appending straight into the inbox is
# waited for: every row is imported, none is lost to a cycle that came
# mid-copy. When processed/ cannot be used, a file already imported is not
# imported again at each cycle, so a correction made since with
# `vigie import` stays.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1
command -v sqlite3 >/dev/null || { echo "sqlite3 missing"; exit 77; }

SECRET=whsec_TOPSECRET0123456789abcdef
mkdir -p "$T/creds"
printf '%s\n' "$SECRET" >"$T/creds/smtp-password"
chmod 600 "$T/creds/smtp-password"
WPORT=$(free_port)
$PY "$SRC/tests/integration/notify_webhook.py" --port "$WPORT" --log "$T/hook.log" \
	>>"$T/webhook.log" 2>&1 &
PIDS+=($!)
wait_for test -e "$T/hook.log.ready" || fail "webhook receiver did not start"
make_config "locale: en
max_import_size: 64K
webhooks:
  ops-hook:
    url: http://127.0.0.1:$WPORT/ops
recipients:
  ops:
    - webhook: [ops-hook]"
cat >"$T/rules.d/r.yaml" <<'YAML'
rules:
  - id: conflicts-high
    title: "Many conflicts"
    value: conflicts
    above: { warning: 2 }
    notify: [ops]
YAML
# put NAME: stdin into the inbox as a writer should (written, then renamed).
put() { cat >"$T/.stage" && mv "$T/.stage" "$T/inbox/$1"; }

# --- 1. Links, FIFOs, devices, big files, control bytes ---
ln -s "$T/creds/smtp-password" "$T/inbox/x.csv"
ln -s /dev/zero "$T/inbox/zero.csv"
mkfifo "$T/inbox/fifo.csv"
$PY -c 'import sys; sys.stdout.write("unit,period,a\n" + "acme/a,2026-01,1\n" * 5000)' | put big.csv
printf 'unit,period,\033]0;pwned\007\033[2Jboom%s\nacme/a,2026-01,1\n' \
	"$(printf 'x%.0s' $(seq 1 60))" | put esc.csv
timeout 20 "$VIGIED" -c "$T/vigie.yaml" --once 2>"$T/vigied.err"
rc=$?
[ $rc = 0 ] || { cat "$T/vigied.err"; fail "vigied --once exited $rc (a FIFO must not block it)"; }
R=$T/inbox/rejected
for f in x.csv zero.csv fifo.csv big.csv esc.csv; do
	[ -e "$R/$f" ] || [ -L "$R/$f" ] || fail "$f not moved to rejected/"
	[ -s "$R/$f.errors.txt" ] || fail "no $f.errors.txt"
done
[ -L "$R/x.csv" ] || fail "the link itself is moved, not what it points to"
[ -p "$R/fifo.csv" ] || fail "the FIFO is moved as it is"
expect_grep "x.csv: error: a symbolic link, not a regular file" "$R/x.csv.errors.txt"
expect_grep "zero.csv: error: a symbolic link" "$R/zero.csv.errors.txt"
expect_grep "fifo.csv: error: a FIFO, not a regular file" "$R/fifo.csv.errors.txt"
expect_grep "larger than max_import_size (65536 bytes)" "$R/big.csv.errors.txt"
# The secret is nowhere: files, log, database (and its WAL), notifications.
sqlite3 "$T/vigie.db" .dump >"$T/dump.sql"
for f in "$R"/*.errors.txt "$T/vigied.err" "$T/dump.sql" "$T/hook.log"; do
	expect_no_grep "TOPSECRET" "$f"
done
! grep -aq TOPSECRET "$T"/vigie.db* || fail "the secret reached the database file"
# Control bytes are escaped, and at most 40 bytes quoted.
expect_grep 'esc.csv:1:13: error: bad indicator name "\x1b]0;pwned\x07\x1b[2Jboomxxxxxxxxxxxxxxxxxxxxxx...": use a-z' "$R/esc.csv.errors.txt"
for f in "$R/esc.csv.errors.txt" "$T/vigied.err" "$T/dump.sql" "$T/hook.log"; do
	! grep -q $'\033' "$f" || fail "a raw escape byte reached $f"
done
# Ops hears of every file, with where to look and nothing quoted.
$PY - "$T/hook.log" <<'PY' || fail "notifications to ops"
import json, sys
alerts = [a for l in open(sys.argv[1]) for a in json.loads(json.loads(l)["body"])["alerts"]]
titles = sorted(a["title"] for a in alerts)
assert titles == ["File rejected: big.csv", "File rejected: esc.csv", "File rejected: fifo.csv",
                  "File rejected: x.csv", "File rejected: zero.csv"], titles
for a in alerts:
    s = a["summary"]
    assert s.startswith("Nothing was imported"), s
    for word in ("boom", "pwned", "TOPSECRET", "acme"):
        assert word not in s, s
esc = [a for a in alerts if a["title"].endswith("esc.csv")][0]["summary"]
assert "1 error, the first at line 1, column 13" in esc, esc
PY
expect_eq "$(sqlite3 "$T/vigie.db" "SELECT count(*) FROM import_log")" 0

# --- 1b. A file imported with warnings: ops hears of it too, nothing
# quoted; the warnings beside it in processed/ ---
printf 'unit,period,headcount,conflics\nacme/a,2026-01,10,1\n' | put warn.csv
: >"$T/hook.log"
timeout 20 "$VIGIED" -c "$T/vigie.yaml" --once 2>"$T/vigied.err" || fail "vigied --once on warn.csv"
[ -e "$T/inbox/processed/warn.csv" ] || fail "warn.csv not imported"
expect_eq "$(cat "$T/inbox/processed/warn.csv.warnings.txt")" 'warn.csv:1:23: warning: "conflics" is a new indicator, not in the recommended vocabulary (did you mean "conflicts"?)' "the warnings beside the file"
$PY - "$T/hook.log" "$T/inbox/processed" <<'PY' || fail "the notification of the warnings to ops"
import json, sys
alerts = [a for l in open(sys.argv[1]) for a in json.loads(json.loads(l)["body"])["alerts"]]
assert [a["title"] for a in alerts] == ["File imported, to check: warn.csv"], alerts
s = alerts[0]["summary"]
assert s == ("The file is imported, with 1 warning, the first at line 1, column 23: "
             "read them before the next export. They are in "
             "%s/warn.csv.warnings.txt." % sys.argv[2]), s
assert alerts[0]["event"] == "firing" and alerts[0]["id"] == "vigie-file-warnings:warn.csv", alerts[0]
PY
# The same name again (another misspelt name, conflics is stored now):
# moved as warn.csv.1, its warnings beside it, where
# the notification says.
printf 'unit,period,headcount,grievence\nacme/a,2026-02,10,1\n' | put warn.csv
: >"$T/hook.log"
timeout 20 "$VIGIED" -c "$T/vigie.yaml" --once 2>"$T/vigied.err" || fail "vigied --once on warn.csv again: $(cat "$T/vigied.err")"
[ -s "$T/inbox/processed/warn.csv.1.warnings.txt" ] || fail "no warn.csv.1.warnings.txt: $(ls $T/inbox/processed) $(cat $T/vigied.err)"
expect_grep "They are in $T/inbox/processed/warn.csv.1.warnings.txt." "$T/hook.log"

# --- 2. A writer appending straight into the inbox, cycles coming meanwhile ---
NOTIFY_SOCKET= "$VIGIED" -c "$T/vigie.yaml" 2>>"$T/daemon.err" &
VPID=$!
PIDS+=($VPID)
wait_for grep -q "started:" "$T/daemon.err" || fail "vigied did not start"
$PY - "$T/inbox/slow.csv" <<'PY' &
import sys, time
with open(sys.argv[1], "w") as f:
    f.write("unit,period,conflicts\n")
    for k in range(20):
        for i in range(50):
            f.write("acme/u%d,2026-02,%d\n" % (k * 50 + i, i % 3))
        f.flush()
        time.sleep(0.15)
PY
WRITER=$!
PIDS+=($WRITER)
while kill -0 "$WRITER" 2>/dev/null; do
	kill -HUP "$VPID"	# a cycle mid-copy
	sleep 0.3
done
wait_for test -e "$T/inbox/processed/slow.csv" ||
	wait_for test -e "$T/inbox/processed/slow.csv" || { cat "$T/daemon.err"; fail "slow.csv not imported"; }
expect_eq "$(sqlite3 "$T/vigie.db" "SELECT group_concat(rows) FROM import_log WHERE source = 'slow.csv'")" 1000 \
	"one import of every row"
kill -TERM "$VPID"
wait "$VPID" || fail "vigied did not stop cleanly"

# --- 3. processed/ cannot be used: no import again, a correction stays ---
rm -rf "$T/inbox/processed"
touch "$T/inbox/processed"	# a file where the folder should be
printf 'unit,period,conflicts\nacme/a,2026-03,50\n' | put a.csv
printf 'unit,period,conflicts\nacme/b,2026-03,7\n' | put b.csv
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
n=$(sqlite3 "$T/vigie.db" "SELECT count(*) FROM import_log")
printf 'unit,period,conflicts\nacme/a,2026-03,5\n' >"$T/fix.csv"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/fix.csv"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_eq "$(sqlite3 "$T/vigie.db" "SELECT count(*) FROM import_log")" $((n + 1)) \
	"files already imported are not imported again"
expect_grep "already imported" "$T/err"
# The log says what happened: not moved.
expect_grep "not imported again, but cannot move it to $T/inbox/processed" "$T/err"
expect_no_grep "moved to $T/inbox/processed" "$T/err"
expect_eq "$($PY "$SRC/tests/integration/dbvalues.py" "$T/vigie.db" | grep '^acme/a,2026-03')" \
	"acme/a,2026-03,conflicts,5.0" "the correction stays"
exit 0
