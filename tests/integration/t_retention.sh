#!/usr/bin/env bash
# Retention (SPEC 3) in the daemon's cycle: with retention {data: 3,
# alerts: 2, notes: 2, messages: 1d}, one cycle keeps the values of the 3
# latest periods, the notes of this period and the last, the delivered
# messages of the last day and every pending one, and logs what it deleted;
# a second cycle deletes nothing and says nothing. The configuration's
# errors come with their place.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1

make_config "retention: { data: 3, alerts: 2, notes: 2, messages: 1d }"
cp "$SRC/tests/rules/fixtures/conflicts.yaml" "$T/rules.d/"
C=(-c "$T/vigie.yaml")
{
	echo "unit,period,headcount,conflicts"
	for m in 06 07 08 09 10; do
		echo "acme/a,2026-$m,20,1"
		echo "acme/b,2026-$m,20,0"
	done
	echo "acme/gone,2026-06,20,2"
} >"$T/data.csv"
expect_exit 0 "$VIGIE" "${C[@]}" import "$T/data.csv"
now=$(date +%s)
old=$((now - 30 * 86400)) older=$((now - 70 * 86400)) recent=$((now - 5 * 86400))
sqlite3 "$T/vigie.db" "
INSERT INTO note(at, role, author, unit, body) VALUES
 ($older, 'social-worker', 'm', 'acme', 'old'), ($recent, 'social-worker', 'm', 'acme', 'recent'),
 ($now, 'social-worker', 'm', 'acme', 'new'),
 (1000, 'hr', 'x', 'acme', 'ancient');
INSERT INTO message(created_at, cycle, channel, target, role, status, next_at, uid) VALUES
 ($old, 1, 'email', 'a@x.org', 'hr', 'sent', 0, 'u1'),
 ($old, 1, 'email', 'b@x.org', 'hr', 'pending', 0, 'u2'),
 ($now, 1, 'email', 'c@x.org', 'hr', 'sent', 0, 'u3');"
expect_exit 0 "$VIGIED" "${C[@]}" --once
# 2 months x 2 units x 2 indicators, and acme/gone's 2 values; the notes of
# 70 days ago and of 1970 (the kept ones are of this period and the last)
expect_grep "retention: deleted 10 values, 0 resolved alerts, 0 events, 2 notes, 1 messages" "$T/err"
expect_eq "$(sqlite3 "$T/vigie.db" "SELECT min(p0) FROM series")" "$((2026 * 12 + 7))" "first period kept"
expect_eq "$(sqlite3 "$T/vigie.db" "SELECT count(*) FROM unit WHERE path = 'acme/gone'")" 0
expect_eq "$(sqlite3 "$T/vigie.db" "SELECT group_concat(body) FROM (SELECT body FROM note ORDER BY id)")" recent,new
expect_eq "$(sqlite3 "$T/vigie.db" "SELECT group_concat(target) FROM (SELECT target FROM message ORDER BY id)")" "b@x.org,c@x.org"
expect_exit 0 "$VIGIE" "${C[@]}" eval --unit acme/gone
expect_eq "$(cat "$T/out")" "" "a unit without values is gone"
expect_exit 0 "$VIGIE" "${C[@]}" eval --rule conflict-rate --unit acme/a --format json
expect_grep '"period":"2026-10","value":5.0' "$T/out"
# b was pending when the cycle purged; its delivery then failed (no smtp:
# section), so the next cycle deletes it, and the one after has nothing to do.
expect_exit 0 "$VIGIED" "${C[@]}" --once
expect_grep "retention: deleted 0 values, 0 resolved alerts, 0 events, 0 notes, 1 messages" "$T/err"
expect_eq "$(sqlite3 "$T/vigie.db" "SELECT group_concat(target) FROM message")" "c@x.org"
expect_exit 0 "$VIGIED" "${C[@]}" --once
expect_no_grep "retention" "$T/err"

# Errors, with their place.
printf 'retention: { data: 0, alerts: x, nots: 3, messages: 2h }\n' >>"$T/vigie.yaml"
sed -i '/^retention: { data: 3/d' "$T/vigie.yaml"
expect_exit 78 "$VIGIED" "${C[@]}" --check
expect_grep "vigie.yaml:5:20: error: retention.data must be a whole number of periods, from 1 to 100000" "$T/err"
expect_grep "vigie.yaml:5:31: error: retention.alerts must be a whole number of periods" "$T/err"
expect_grep 'unknown key "nots" in retention (did you mean "notes"?)' "$T/err"
expect_grep "retention.messages must be at least 86400s" "$T/err"
exit 0
