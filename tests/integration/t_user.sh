#!/usr/bin/env bash
# `vigie user` (SPEC 10, 14): add with a role of recipients: and scopes,
# list (text and JSON, default scopes from the role's routes), passwd, del;
# the password from --password-stdin or asked twice on a terminal without
# echo; a short password, an unknown role, a taken name, a bad glob are
# refused with their exit codes and nothing written; only a yescrypt hash
# is stored; every change is in the audit log as the operating-system
# user; a scope that matches none of the units imported is a warning.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1

make_config "smtp:
  url: smtp://127.0.0.1:9
  from: vigie@example.org
  timeout: 1s
recipients:
  social-worker:
    - scope: [\"acme/nancy\", \"acme/nancy/**\"]
      email: [a@example.org]
    - email: [b@example.org]
  hr:
    - email: [drh@example.org]"
C=$T/vigie.yaml
PW="correct horse battery staple"

echo "$PW" >"$T/pw"
expect_exit 0 "$VIGIE" -c "$C" user add marie --role social-worker --scope 'acme/nancy/**' \
	--scope acme/nancy --password-stdin <"$T/pw"
expect_eq "$(cat "$T/out")" "added marie (social-worker)" "user add"
expect_exit 0 "$VIGIE" -c "$C" user add drh --role hr --password-stdin <"$T/pw"
hash=$(db "SELECT hash FROM account WHERE name = 'marie'")
case $hash in '$y$'*) ;; *) fail "not a yescrypt hash: $hash";; esac
expect_no_grep "$PW" "$T/vigie.db"

expect_exit 0 "$VIGIE" -c "$C" user list
grep -qE '^drh +hr +\(role\) \*\* +[0-9-]+T' "$T/out" &&
	grep -qE '^marie +social-worker +acme/nancy/\*\*,acme/nancy +[0-9-]+T.* -$' "$T/out" ||
	{ cat "$T/out"; fail "user list"; }
expect_exit 0 "$VIGIE" -c "$C" user list --format json
got=$($PY -c 'import json,sys; print(json.dumps([(u["name"], u["scopes"], u["own_scopes"], u["last_login"]) for u in json.load(open(sys.argv[1]))]))' "$T/out")
expect_eq "$got" '[["drh", ["**"], false, null], ["marie", ["acme/nancy/**", "acme/nancy"], true, null]]' "user list --format json"

# Refused, and nothing written.
n=$(db "SELECT count(*) FROM account")
echo short >"$T/short"
expect_exit 65 "$VIGIE" -c "$C" user add paul --role hr --password-stdin <"$T/short"
expect_grep "the password is too short: use at least 12 characters" "$T/err"
expect_exit 64 "$VIGIE" -c "$C" user add paul --role ops --password-stdin <"$T/pw"
expect_grep "role 'ops' is not a role of recipients: in $C (the roles: social-worker hr)" "$T/err"
expect_exit 65 "$VIGIE" -c "$C" user add marie --role hr --password-stdin <"$T/pw"
expect_grep "an account named 'marie' exists already" "$T/err"
expect_exit 64 "$VIGIE" -c "$C" user add paul --role hr --scope 'acme/**/x y' --password-stdin <"$T/pw"
expect_exit 64 "$VIGIE" -c "$C" user add 'paul smith' --role hr --password-stdin <"$T/pw"
expect_grep "'paul smith' is not a valid account name" "$T/err"
expect_exit 64 "$VIGIE" -c "$C" user add paul --password-stdin <"$T/pw"
expect_grep "add needs --role ROLE" "$T/err"
expect_exit 64 "$VIGIE" -c "$C" user rename paul
expect_grep "unknown action 'rename'" "$T/err"
expect_exit 65 "$VIGIE" -c "$C" user add paul --role hr --password-stdin </dev/null
expect_grep "no password on standard input" "$T/err"
expect_exit 64 "$VIGIE" -c "$C" user add paul --role hr </dev/null
expect_eq "$(db "SELECT count(*) FROM account")" "$n" "refused additions wrote nothing"

# On a terminal: asked twice, never echoed; two different answers change nothing.
$PY - "$VIGIE" "$C" >"$T/tty.out" <<'PY' || { cat "$T/tty.out"; fail "password on a terminal"; }
import os, pty, signal, sys, time
signal.alarm(60)	# a prompt never seen fails the test rather than hang it
def run(answers):
    pid, fd = pty.fork()
    if pid == 0:
        os.execv(sys.argv[1], [sys.argv[1], "-c", sys.argv[2], "user", "passwd", "marie"])
    out = b""
    for a in answers:
        while b": " not in out.split(b"\n")[-1]:
            out += os.read(fd, 1024)
        os.write(fd, a.encode() + b"\n")
        out += b"\n"
    try:
        while True:
            chunk = os.read(fd, 1024)
            if not chunk:
                break
            out += chunk
    except OSError:
        pass
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status), out.decode()
rc, out = run(["a new long password", "a new long password"])
assert rc == 0, (rc, out)
assert "Password for marie: " in out and "Again: " in out, out
assert "a new long password" not in out, "echoed: " + out
rc, out = run(["one long password", "another long password"])
assert rc == 65 and "the two passwords differ; nothing changed" in out, (rc, out)
print("tty ok")
PY
expect_grep "tty ok" "$T/tty.out"
[ "$(db "SELECT hash FROM account WHERE name = 'marie'")" != "$hash" ] || fail "passwd did not change the hash"

expect_exit 65 "$VIGIE" -c "$C" user passwd nobody --password-stdin <"$T/pw"
expect_grep "no account named 'nobody'" "$T/err"
expect_exit 0 "$VIGIE" -c "$C" user del drh
expect_exit 65 "$VIGIE" -c "$C" user del drh
expect_exit 0 "$VIGIE" -c "$C" user list
expect_no_grep drh "$T/out"

# The audit log: who, through the CLI, what, never a password.
me=$(id -un)
expect_eq "$(db "SELECT actor || ' ' || via || ' ' || action || ' ' || object FROM audit ORDER BY id")" \
"$me cli user-add marie
$me cli user-add drh
$me cli user-passwd marie
$me cli user-del drh" "the audit log of vigie user"
expect_no_grep "long password" "$T/vigie.db"

# Once units are imported, a scope that matches none of them is said (the
# account would see nothing through it), with the glob that would; the
# account is added all the same (a site not imported yet is a reason).
printf 'unit,period,headcount\nacme/nancy/a,2025-01,20\n' >"$T/units.csv"
expect_exit 0 "$VIGIE" -c "$C" import "$T/units.csv"
expect_exit 0 "$VIGIE" -c "$C" user add luc --role social-worker --scope 'acme/nanci/**' \
	--scope acme/nancy --password-stdin <"$T/pw"
expect_eq "$(cat "$T/out")" "added luc (social-worker)"
expect_eq "$(cat "$T/err")" "vigie user add: warning: --scope 'acme/nanci/**' matches none of the 3 units in the database (did you mean 'acme/nancy/**'?): luc sees nothing through it"
expect_exit 0 "$VIGIE" -c "$C" user add eve --role social-worker --scope 'acme/*/a' \
	--password-stdin <"$T/pw"
[ -s "$T/err" ] && fail "unexpected stderr: $(cat "$T/err")"
exit 0
