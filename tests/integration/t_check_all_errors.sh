#!/usr/bin/env bash
# A configuration error does not hide the rules' errors (SPEC 5: every
# error is reported; SPEC 8: --check prints them, a reload logs every one):
# vigied --check, vigie check, vigie-web --check and a SIGHUP to either
# daemon report both at once, with their file:line:col, so that one round
# of fixes is enough; and the report's indicators file with them, and a
# rule's confidentiality error with another's syntax error. A role that
# no recipient receives is a warning.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1

make_config "intervall: 1h"
cat >"$T/rules.d/r.yaml" <<'YAML'
rules:
  - id: conflicts-high
    title: "Conflicts"
    value: conflicts +
    above: { warning: 2, critical: 5 }
YAML
# all_checks LINE...: vigied --check (78), vigie check (1) and vigie-web
# --check (78) each print every LINE.
all_checks() {
	local want
	expect_exit 78 "$VIGIED" -c "$T/vigie.yaml" --check
	for want; do expect_grep "$want" "$T/err"; done
	expect_exit 1 "$VIGIE" -c "$T/vigie.yaml" check
	for want; do expect_grep "$want" "$T/err"; done
	expect_exit 78 "$VIGIE_BIN/vigie-web" -c "$T/vigie.yaml" --check
	for want; do expect_grep "$want" "$T/err"; done
}
cfg_err="vigie.yaml:5:1: error: unknown key \"intervall\""
rule_err="r.yaml:4:23: error: expected an expression after \"+\""
all_checks "$cfg_err" "$rule_err"

# What the configuration names is checked with it: the report's indicators
# file, not first read when the report is made or its email goes out.
make_config "report: { indicators: ind.yaml }"
sed '0,/decimals:/s/decimals:/decimalz:/' "$SRC/etc/report.yaml" >"$T/ind.yaml"
ind_line=$(grep -n "decimalz:" "$T/ind.yaml" | head -n 1 | cut -d: -f1)
ind_err="ind.yaml:$ind_line:5: error: unknown key \"decimalz\" in an indicator"
expect_exit 78 "$VIGIED" -c "$T/vigie.yaml" --check
expect_grep "$ind_err" "$T/err"
expect_grep "$rule_err" "$T/err"
expect_exit 1 "$VIGIE" -c "$T/vigie.yaml" check
expect_grep "$ind_err" "$T/err"
rm "$T/ind.yaml"
expect_exit 1 "$VIGIE" -c "$T/vigie.yaml" check
expect_grep "ind.yaml: error: cannot read the report indicators" "$T/err"

# A reload to the same files: both logged, the previous set kept.
make_config ""
cat >"$T/rules.d/r.yaml" <<'YAML'
rules:
  - id: conflicts-high
    title: "Conflicts"
    value: conflicts
    above: { warning: 2, critical: 5 }
YAML
# reload_logs_both LOG READY CMD...: CMD started with a valid set, both
# files then broken and SIGHUP sent: both errors logged, the previous set
# kept, exit 0 on SIGTERM.
reload_logs_both() {
	local log=$1 ready=$2 pid
	shift 2
	"$@" 2>"$log" &
	pid=$!
	PIDS+=("$pid")
	wait_for grep -q "$ready" "$log" || { cat "$log"; fail "$1 did not start"; }
	make_config "intervall: 1h"
	sed -i 's/value: conflicts$/value: conflicts +/' "$T/rules.d/r.yaml"
	kill -HUP "$pid"
	wait_for grep -qF "$rule_err" "$log" || { cat "$log"; fail "the rule error not logged"; }
	expect_grep "$cfg_err" "$log"
	kill -TERM "$pid"
	wait "$pid" || fail "$1 exited $? on SIGTERM"
}
reload_logs_both "$T/daemon.err" started "$VIGIED" -c "$T/vigie.yaml"
expect_grep "still running with the previous" "$T/daemon.err"

# The console's reload: the same.
make_config "web: { listen: 127.0.0.1:$(free_port) }"
sed -i 's/value: conflicts +$/value: conflicts/' "$T/rules.d/r.yaml"
reload_logs_both "$T/web.err" listening "$VIGIE_BIN/vigie-web" -c "$T/vigie.yaml"
expect_grep "keeping the previous ones" "$T/web.err"

# rules: that names no folder (a list of files, a mapping, empty) is an
# error of the configuration, not a crash: of the checks, and of a
# running daemon's reload, which keeps its set.
sed -i 's/value: conflicts +$/value: conflicts/' "$T/rules.d/r.yaml"
for bad in '[rules.d/r.yaml]' '{dir: rules.d}' '""'; do
	make_config ""
	sed -i "s|^rules: .*|rules: $bad|" "$T/vigie.yaml"
	expect_exit 78 "$VIGIED" -c "$T/vigie.yaml" --check
	expect_grep "vigie.yaml:2:8: error: rules must" "$T/err"
	expect_exit 1 "$VIGIE" -c "$T/vigie.yaml" check
	expect_grep "vigie.yaml:2:8: error: rules must" "$T/err"
	expect_exit 78 "$VIGIE_BIN/vigie-web" -c "$T/vigie.yaml" --check
done
# A FIFO among the rule files, a device as the report's indicators: an
# error each, not a check that hangs or reads forever.
make_config "report: { indicators: /dev/zero }"
mkfifo "$T/rules.d/fifo.yaml"
expect_exit 78 timeout 20 "$VIGIED" -c "$T/vigie.yaml" --check
expect_grep "fifo.yaml: error: cannot read: not a regular file" "$T/err"
expect_grep "/dev/zero: error: " "$T/err"
# Named on purpose, a pipe is read: the configuration from <(...), a rule
# file from /dev/stdin.
rm "$T/rules.d/fifo.yaml"
make_config ""
expect_exit 0 "$VIGIED" -c <(cat "$T/vigie.yaml") --check
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" check /dev/stdin <"$T/rules.d/r.yaml"
mkfifo "$T/rules.d/fifo.yaml"
rm "$T/rules.d/fifo.yaml"
make_config ""
# Emptied first: the last daemon's "started" would let the wait below end
# before this one's, and its SIGHUP come before it handles signals.
: >"$T/daemon.err"
"$VIGIED" -c "$T/vigie.yaml" 2>"$T/daemon.err" &
pid=$!
PIDS+=("$pid")
wait_for grep -q started "$T/daemon.err" || { cat "$T/daemon.err"; fail "vigied did not start"; }
sed -i "s|^rules: .*|rules: [$T/rules.d/r.yaml]|" "$T/vigie.yaml"
kill -HUP "$pid"
wait_for grep -q "still running with the previous" "$T/daemon.err" || { cat "$T/daemon.err"; fail "the reload of rules: [list]"; }
kill -TERM "$pid"
wait "$pid" || fail "vigied exited $? on SIGTERM after reloading rules: [list]"

# A duplicate key does not hide the file's other errors (SPEC 5: every
# error is reported), in a rule file as in the configuration.
make_config "intervall: 1h
rules: $T/rules.d"
cat >"$T/rules.d/r.yaml" <<'YAML'
rules:
  - id: d
    title: t
    title: u
    value: x +
    above: { warning: 1 }
YAML
expect_exit 78 "$VIGIED" -c "$T/vigie.yaml" --check
expect_grep "vigie.yaml:6:1: error: duplicate key \"rules\" (first at line 2)" "$T/err"
expect_grep "vigie.yaml:5:1: error: unknown key \"intervall\"" "$T/err"
expect_grep "r.yaml:4:5: error: duplicate key \"title\" (first at line 3)" "$T/err"
expect_grep "r.yaml:5:15: error: expected an expression after \"+\"" "$T/err"
expect_eq "$(grep -c 'duplicate key' "$T/err")" 2 "each duplicate said once"
sed -i '4d' "$T/rules.d/r.yaml"
sed -i 's/value: x +$/value: x/' "$T/rules.d/r.yaml"

# A rule that tells a confidential indicator to HR (SPEC 3) is reported
# with another rule's syntax error, not after it is fixed; with the
# configuration's roles, and with the defaults when rule files are named.
make_config ""
cat >"$T/rules.d/r.yaml" <<'YAML'
rules:
  - id: contacts
    title: t
    value: social_worker_contacts
    above: { warning: 1 }
    notify: [hr]
  - id: broken
    title: t
    value: conflicts +
    above: { warning: 1 }
YAML
conf_err="r.yaml:6:13: error: rule \"contacts\" reads social_worker_contacts"
broken_err="r.yaml:9:23: error: expected an expression after \"+\""
all_checks "$conf_err" "$broken_err"
expect_exit 1 "$VIGIE" check "$T/rules.d/r.yaml"
expect_grep "$conf_err" "$T/err"
expect_grep "$broken_err" "$T/err"
cat >"$T/rules.d/r.yaml" <<'YAML'
rules:
  - id: d
    title: t
    value: x
    above: { warning: 1 }
YAML

# A database holding months and a configuration saying weeks: refused
# when the daemon opens it (SPEC 2), so --check says so first, and
# creates no database when there is none.
make_config ""
printf 'unit,period,headcount,conflicts\nacme/a,2026-10,10,3\n' >"$T/d.csv"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/d.csv"
make_config "period: week"
# At the value of the key that says so: period's, else database's.
want="vigie.yaml:5:9: error: database $T/vigie.db holds months but the configuration says period: week"
expect_exit 78 "$VIGIED" -c "$T/vigie.yaml" --check
expect_grep "$want" "$T/err"
expect_exit 1 "$VIGIE" -c "$T/vigie.yaml" check
expect_grep "$want" "$T/err"
mv "$T/vigie.db" "$T/months.db"
make_config ""
printf 'unit,period,headcount,conflicts\nacme/a,2026-W40,10,3\n' >"$T/w.csv"
expect_exit 0 "$VIGIE" -c <(sed 's/^interval: 1h$/period: week/' "$T/vigie.yaml") import "$T/w.csv"
expect_exit 1 "$VIGIE" -c "$T/vigie.yaml" check
expect_grep "vigie.yaml:1:11: error: database $T/vigie.db holds weeks but the configuration says period: month" "$T/err"
mv "$T/months.db" "$T/vigie.db"
make_config "period: week"
sed -i "s|^database: .*|database: $T/none.db|" "$T/vigie.yaml"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --check
[ ! -e "$T/none.db" ] || fail "--check created a database"

# A role that rules notify and recipients: does not define is valid (a
# rule file does not depend on a deployment) but said, once per role, at
# its first rule, as a warning: by the checks, and in the daemon's log.
hp=$(free_port)
make_config "webhooks: { h: { url: http://127.0.0.1:$hp/x } }
recipients: { social-worker: [ { webhook: [h] } ] }"
cat >"$T/rules.d/r.yaml" <<'YAML'
rules:
  - id: typo
    title: t
    value: x
    above: { warning: 1 }
    notify: [socialworker]
  - id: default
    title: t
    value: x
    above: { warning: 1 }
  - id: both
    title: t
    value: x
    above: { warning: 1 }
    notify: [hr, socialworker]
YAML
w1="r.yaml:6:13: warning: rule \"typo\" notifies \"socialworker\" (so do 1 other rule), a role that recipients: does not define: no one in that role is told"
w2="r.yaml:7:5: warning: rule \"default\" notifies \"hr\" (by default_notify; so do 1 other rule), a role that recipients: does not define: no one in that role is told"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --check
expect_grep "$w1" "$T/err"
expect_grep "$w2" "$T/err"
expect_eq "$(grep -c "a role that recipients" "$T/err")" 2 "one warning per role"
expect_grep "the indicator \"x\" is neither in the recommended vocabulary" "$T/err"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" check
expect_grep "$w1" "$T/err"
expect_grep "$w2" "$T/err"
: >"$T/daemon.err"
"$VIGIED" -c "$T/vigie.yaml" 2>"$T/daemon.err" &
pid=$!
PIDS+=("$pid")
wait_for grep -qF "$w2" "$T/daemon.err" || { cat "$T/daemon.err"; fail "the daemon did not warn"; }
expect_grep "$w1" "$T/daemon.err"
kill -TERM "$pid"
wait "$pid" || fail "vigied exited $? on SIGTERM"
make_config "webhooks: { h: { url: http://127.0.0.1:$hp/x } }
recipients: { social-worker: [ { webhook: [h] } ], hr: [ { webhook: [h] } ] }"
sed -i 's/socialworker/social-worker/; s/value: x$/value: conflicts/' "$T/rules.d/r.yaml"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --check
expect_eq "$(cat "$T/err")" "" "no warning once every role is defined"
make_config ""
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --check
expect_eq "$(cat "$T/err")" "" "no warning without recipients: (no notifications at all)"
exit 0
