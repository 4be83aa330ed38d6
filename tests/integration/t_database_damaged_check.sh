#!/usr/bin/env bash
# A damaged database is refused where the operator looks, with what to do:
# vigied --check and vigied's start (the daemon, --once) exit 78, the
# status the shipped unit does not restart on, and write nothing;
# `vigie status --check` says it as a problem (exit 1). Damaged two ways:
# an index apart from its table (damage_index: what a stale write-ahead log
# merged into a restored backup leaves, which a quick check misses) and a
# file cut in half. A sound database passes.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1
hr_config
cp "$SRC"/tests/integration/web-rules.yaml "$T/rules.d/10-web.yaml"
C=(-c "$T/vigie.yaml")
grep -qx 'RestartPreventExitStatus=78' "$SRC/contrib/systemd/vigied.service" ||
	fail "the unit should not restart vigied on exit 78"

expect_exit 0 "$VIGIE" "${C[@]}" import "$SRC"/contrib/demo/valdis-*.csv
expect_exit 0 "$VIGIED" "${C[@]}" --once
expect_exit 0 "$VIGIED" "${C[@]}" --check
expect_grep "configuration and 3 rules are valid" "$T/out"
expect_exit 0 "$VIGIE" "${C[@]}" status --check
cp "$T/vigie.db" "$T/good.db"
last=$(db "SELECT rule || '@' || unit FROM alert WHERE active ORDER BY rule DESC, unit DESC LIMIT 1")

# refused WHAT: vigied --check, --once and the daemon exit 78 with the
# error at database: (line 1), writing nothing; status --check says it.
refused() {
	local want="$T/vigie.yaml:1:11: error: the database $T/vigie.db is damaged (SQLite's integrity check: $1): stop vigied and vigie-web and restore the last backup made with sqlite3 .backup, without the -wal and -shm files beside the damaged one (README, \"Backups\")"
	local sum
	sum=$(sha256sum <"$T/vigie.db")
	expect_exit 78 "$VIGIED" "${C[@]}" --check
	expect_eq "$(grep -v ': warning: ' "$T/err")" "$want" "--check"
	expect_no_grep "valid" "$T/out"
	expect_exit 78 "$VIGIED" "${C[@]}" --once
	expect_eq "$(grep -v ': warning: ' "$T/err")" "$want" "--once"
	expect_exit 78 timeout 20 "$VIGIED" "${C[@]}"
	expect_eq "$(grep -v ': warning: ' "$T/err")" "$want" "the daemon"
	expect_eq "$(sha256sum <"$T/vigie.db")" "$sum" "the refused database is left as it was"
	expect_exit 1 "$VIGIE" "${C[@]}" status --check
	expect_eq "$(cat "$T/out")" "problem:      ${want#*error: }" "status --check"
}

damage_index "$last"
[ "$(db 'PRAGMA quick_check')" = ok ] || fail "the quick check should miss this damage"
refused "wrong # of entries in index event_alert"

install -m 0600 "$T/good.db" "$T/vigie.db"
truncate -s $(($(stat -c %s "$T/good.db") / 2)) "$T/vigie.db"
refused "database disk image is malformed"

# The backup restored: everything runs again.
install -m 0600 "$T/good.db" "$T/vigie.db"
expect_exit 0 "$VIGIED" "${C[@]}" --check
expect_exit 0 "$VIGIED" "${C[@]}" --once
expect_exit 0 "$VIGIE" "${C[@]}" status --check
exit 0
