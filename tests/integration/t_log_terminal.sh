#!/usr/bin/env bash
# vigied's messages outside the journal: with the "<N>" priority prefix when
# standard error goes to a file or a pipe (syslog, a supervisor), without it
# on a terminal, where a person reads them (vigied(8), LOGGING).
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1

make_config "locale: en"
cat >"$T/rules.d/10-conflicts.yaml" <<'YAML'
rules:
  - id: conflicts-high
    title: "Many conflicts"
    value: conflicts
    above: { warning: 2 }
YAML
printf 'unit,period,headcount,conflicts\nacme/a,2026-01,10,3\n' >"$T/inbox/2026-01.csv"
unset JOURNAL_STREAM INVOCATION_ID

# To a file: every line carries its priority.
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_grep '<6>vigied: ' "$T/err"
expect_no_grep 'vigied: <' "$T/err"
if grep -v '^<[0-7]>vigied: ' "$T/err"; then fail "a line without its priority prefix"; fi

# On a terminal (a pseudo-terminal here): the same messages, no prefix.
rm -f "$T/vigie.db"
printf 'unit,period,headcount,conflicts\nacme/a,2026-01,10,3\n' >"$T/inbox/2026-01.csv"
$PY - "$VIGIED" "$T/vigie.yaml" >"$T/tty" <<'PY' || fail "vigied on a terminal failed"
import os, pty, sys
pid, fd = pty.fork()
if pid == 0:
    os.execv(sys.argv[1], [sys.argv[1], "-c", sys.argv[2], "--once"])
out = b""
while True:
    try:
        b = os.read(fd, 4096)
    except OSError:
        break
    if not b:
        break
    out += b
_, status = os.waitpid(pid, 0)
sys.stdout.write(out.decode().replace("\r\n", "\n"))
sys.exit(os.waitstatus_to_exitcode(status))
PY
expect_grep 'vigied: ' "$T/tty"
if grep '<[0-7]>' "$T/tty"; then fail "a priority prefix on a terminal"; fi
if grep -v '^vigied: ' "$T/tty"; then fail "a line that is not a vigied message"; fi
# The same messages both ways.
sed 's/^<[0-7]>//' "$T/err" | sed 's/[0-9.]* s\b/N s/g' >"$T/a"
sed 's/[0-9.]* s\b/N s/g' "$T/tty" >"$T/b"
diff "$T/a" "$T/b" || fail "the terminal's messages differ from the file's"
echo ok
