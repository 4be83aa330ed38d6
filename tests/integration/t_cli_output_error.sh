#!/usr/bin/env bash
# SPEC 10, exit 74 "I/O error": a vigie command whose output cannot be
# written (a full disk, a closed pipe) says so on stderr and exits 74, not 0
# with nothing written. One check for every command (daemon/cli/vigie.c),
# after the command has returned: each command here writes to /dev/full.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1
[ -w /dev/full ] || { echo "/dev/full missing"; exit 77; }

make_config "locale: en"
CFG=$T/vigie.yaml
cat >"$T/rules.d/r.yaml" <<'YAML'
rules:
  - id: conf
    title: Conflicts
    value: conflicts
    above: { warning: 2 }
YAML
printf 'unit,period,headcount,conflicts\nacme/a,2025-01,10,3\n' >"$T/d.csv"
expect_exit 0 "$VIGIE" -c "$CFG" import "$T/d.csv"
expect_exit 0 "$VIGIED" -c "$CFG" --once

# full NAME ARGS...: vigie ARGS to /dev/full exits 74 with one message
# naming the command (NAME) and the cause.
full() {
	local name=$1; shift
	"$VIGIE" "$@" >/dev/full 2>"$T/err"
	local got=$?
	[ "$got" = 74 ] || { cat "$T/err"; fail "vigie $* >/dev/full exited $got, expected 74"; }
	expect_eq "$(cat "$T/err")" "$name: writing the output: No space left on device" \
		"vigie $* >/dev/full"
}
full "vigie alerts" -c "$CFG" alerts
full "vigie alerts" -c "$CFG" alerts --format json
full "vigie alerts" -c "$CFG" alerts --all
full "vigie alerts" -c "$CFG" alerts --all --format json
full "vigie history" -c "$CFG" history conf@acme/a
full "vigie history" -c "$CFG" history conf@acme/a --format json
full "vigie status" -c "$CFG" status
full "vigie status" -c "$CFG" status --format json
full "vigie audit" -c "$CFG" audit
full "vigie silences" -c "$CFG" silences
full "vigie user" -c "$CFG" user list
full "vigie retry" -c "$CFG" retry
full "vigie delete" -c "$CFG" delete --period 2025-01 --dry-run --format json
full "vigie import" -c "$CFG" import --dry-run "$T/d.csv"
full "vigie import" -c "$CFG" import --dry-run --format json "$T/d.csv"
full "vigie check" -c "$CFG" check
full "vigie test" test "$SRC/tests/rules/floor.test.yaml"
full "vigie eval" -c "$CFG" eval
full "vigie eval" -c "$CFG" eval --format json
full "vigie backtest" -c "$CFG" backtest --from 2025-01 --to 2025-01
full "vigie report" -c "$CFG" report --from 2025-01 --to 2025-01 --format json
full "vigie help" help
full "vigie help" help status
full "vigie status" status --help
full "vigie" --help
full "vigie" --version
# The data survives: the delete above was a dry run, and nothing changed.
expect_exit 0 "$VIGIE" -c "$CFG" alerts
expect_grep "conf@acme/a" "$T/out"
# A command that failed for another reason keeps its own exit status.
"$VIGIE" -c "$CFG" history nope@acme >/dev/full 2>"$T/err"
expect_eq "$?" 65 "vigie history of an unknown alert to /dev/full"
exit 0
