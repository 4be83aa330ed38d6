#!/usr/bin/env bash
# SPEC 8: a file renamed into the inbox is ingested within 2 s, also when
# the inbox did not exist when vigied started (a fresh installation: the
# daemon makes it) and after it was removed and made again while vigied
# runs (the watch follows the new folder); vigied --once makes it too.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1

LIMIT=20	# tenths of a second
[ "${VIGIE_VALGRIND:-0}" = 1 ] && LIMIT=100

make_config ""
rmdir "$T/inbox"
conflicts_rule
"$VIGIED" -c "$T/vigie.yaml" 2>"$T/vigied.err" &
VPID=$!
PIDS+=("$VPID")
wait_for grep -q started "$T/vigied.err" || { cat "$T/vigied.err"; fail "vigied did not start"; }
[ -d "$T/inbox" ] || { cat "$T/vigied.err"; fail "the inbox was not made"; }
expect_eq "$(stat -c %a "$T/inbox")" 750 "the inbox's mode"

# drop NAME VALUE: a writer's file renamed in; ingested within LIMIT.
drop() {
	inbox_drop "$1" "$(printf 'unit,period,headcount,conflicts\nacme/a,2026-01,10,%s\n' "$2")" $LIMIT
}
drop a.csv 1

rm -rf "$T/inbox"
mkdir -p "$T/inbox"
sleep 0.5
drop b.csv 2
mv "$T/inbox" "$T/inbox.old"
mkdir -p "$T/inbox"
sleep 0.5
drop c.csv 5
expect_grep "watching it anew" "$T/vigied.err"
kill "$VPID"
wait "$VPID"
expect_eq "$?" 0 "vigied's exit status"

# vigied --once (a timer's run, no watch) makes it too.
rm -rf "$T/inbox"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
[ -d "$T/inbox/processed" ] || { cat "$T/err"; fail "--once did not make the inbox"; }
expect_eq "$(stat -c %a "$T/inbox")" 750 "the inbox's mode, made by --once"
expect_no_grep "cannot" "$T/err"
exit 0
