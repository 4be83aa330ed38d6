#!/usr/bin/env bash
# Smaller promises of SPEC 8 under fire. SIGHUPs sent while vigied starts
# (a reload asked while the service opens a database that another process
# holds) do not kill it: signals are blocked before anything else, and the
# SIGHUP is read as a reload once the loop runs; SIGTERM then stops it
# with 0. Events are logged once their transaction
# is committed: an evaluation whose commit fails (a trigger makes it fail)
# logs the error and no "firing" line, and nothing was recorded.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1
command -v sqlite3 >/dev/null || { echo "sqlite3 missing"; exit 77; }

make_config "locale: en"
cat >"$T/rules.d/r.yaml" <<'YAML'
rules:
  - id: conflicts-high
    title: "Many conflicts"
    value: conflicts
    above: { warning: 2 }
YAML

# --- 1. SIGHUP while vigied starts ---
# Another process holds the new database: vigied waits in its start-up
# (opening the database) while SIGHUPs rain; then it is let go.
# (Under valgrind, vigied is a wrapper that starts too slowly for this.)
runs="1 2 3"; [ "${VIGIE_VALGRIND:-0}" = 1 ] && runs=
for run in $runs; do
	rm -f "$T/vigie.db"*
	$PY - "$VIGIED" "$T/vigie.yaml" "$T/hup.sock" "$T/vigie.db" <<'PY' || fail "run $run: vigied did not survive SIGHUPs at start"
import os, signal, socket, sqlite3, subprocess, sys, time
exe, conf, sock, db = sys.argv[1:5]
try:
    os.unlink(sock)
except FileNotFoundError:
    pass
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sock)
hold = sqlite3.connect(db, isolation_level=None)
hold.execute("BEGIN EXCLUSIVE")
env = dict(os.environ, NOTIFY_SOCKET=sock)
env.pop("WATCHDOG_USEC", None)
p = subprocess.Popen([exe, "-c", conf], env=env, stderr=subprocess.DEVNULL)
time.sleep(0.3)		# past the exec and the dynamic loader
sent = 0
t = time.monotonic()
while time.monotonic() - t < 0.7 and p.poll() is None:
    os.kill(p.pid, signal.SIGHUP)
    sent += 1
    time.sleep(0.005)
hold.execute("COMMIT")
hold.close()
if p.poll() is not None:
    sys.exit("vigied ended with %s after %d SIGHUPs" % (p.returncode, sent))
s.settimeout(10)
try:
    while b"READY=1" not in s.recv(4096):
        pass
except socket.timeout:
    p.kill()
    sys.exit("no READY=1")
time.sleep(0.3)
if p.poll() is not None:
    sys.exit("vigied ended with %s after READY" % p.returncode)
p.send_signal(signal.SIGTERM)
rc = p.wait(timeout=10)
sys.exit(0 if rc == 0 else "vigied exited %s on SIGTERM" % rc)
PY
done

# --- 2. "firing" only once committed ---
rm -f "$T/vigie.db"*
printf 'unit,period,headcount,conflicts\nacme/a,2026-01,10,6\n' >"$T/data.csv"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/data.csv"
sqlite3 "$T/vigie.db" "CREATE TRIGGER injected BEFORE UPDATE OF evaluated ON cycle
BEGIN SELECT RAISE(ABORT, 'injected failure'); END;"
expect_exit 1 "$VIGIED" -c "$T/vigie.yaml" --once
expect_grep "cannot record the evaluation: injected failure" "$T/err"
expect_no_grep "firing" "$T/err"
expect_eq "$(sqlite3 "$T/vigie.db" "SELECT count(*) FROM event")" 0
exit 0
