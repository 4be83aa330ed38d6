#!/usr/bin/env bash
# A damaged database makes the commands that read it fail with exit 74 and
# SQLite's message after the command's name, once, wherever in a list the
# damage is met: no crash (a list freed twice), nothing on stdout.
# Two damages, made the same way every time: an index that names a row its
# table no longer has (what a stale write-ahead log merged into a restored
# backup leaves), met by `vigie alerts` at its last alert, after the
# others were read; and the series table's first page zeroed, met by
# `vigie status` and by the data that `vigie history` reads after the
# alert's own events.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1
hr_config
cp "$SRC"/tests/integration/web-rules.yaml "$T/rules.d/10-web.yaml"
C=(-c "$T/vigie.yaml")
MALFORMED="database error: database disk image is malformed"

expect_exit 0 "$VIGIE" "${C[@]}" import "$SRC"/contrib/demo/valdis-*.csv
expect_exit 0 "$VIGIED" "${C[@]}" --once
expect_exit 0 "$VIGIE" "${C[@]}" alerts
[ "$(wc -l <"$T/out")" -ge 4 ] || fail "the demo should have several active alerts: $(cat "$T/out")"
last=$(db "SELECT rule || '@' || unit FROM alert WHERE active ORDER BY rule DESC, unit DESC LIMIT 1")
first=$(db "SELECT rule || '@' || unit FROM alert WHERE active ORDER BY rule, unit LIMIT 1")

damage_index "$last"
for args in "" "--all" "--format json"; do
	# shellcheck disable=SC2086
	expect_exit 74 "$VIGIE" "${C[@]}" alerts $args
	expect_eq "$(cat "$T/err")" "vigie alerts: $MALFORMED" "alerts $args"
	expect_eq "$(cat "$T/out")" "" "alerts $args"
done
expect_exit 74 "$VIGIE" "${C[@]}" history "$last"
expect_eq "$(cat "$T/err")" "vigie history: $MALFORMED" "history $last"
expect_exit 74 "$VIGIE" "${C[@]}" history "$last" --format json
expect_eq "$(cat "$T/err")" "vigie history: $MALFORMED" "history --format json"
expect_eq "$(cat "$T/out")" "" "history --format json"

# The series table's first page zeroed: status reads the data's coverage,
# history an intact alert's events and then the data, to show today's
# values beside them.
R=$(db "SELECT rootpage FROM sqlite_master WHERE name = 'series'")
P=$(db "PRAGMA page_size")
[ -e "$T/vigie.db-wal" ] && fail "the sqlite3 shell left a write-ahead log"
dd if=/dev/zero of="$T/vigie.db" bs="$P" seek=$((R - 1)) count=1 conv=notrunc status=none ||
	fail "damage 2"
expect_exit 74 "$VIGIE" "${C[@]}" status
expect_eq "$(cat "$T/err")" "vigie status: $MALFORMED"
expect_eq "$(cat "$T/out")" ""
expect_exit 74 "$VIGIE" "${C[@]}" history "$first"
expect_eq "$(cat "$T/err")" "vigie history: $MALFORMED" "history $first"
expect_eq "$(cat "$T/out")" ""
expect_exit 74 "$VIGIE" "${C[@]}" alerts --format json
expect_eq "$(cat "$T/err")" "vigie alerts: $MALFORMED" "alerts, the data damaged"
exit 0
