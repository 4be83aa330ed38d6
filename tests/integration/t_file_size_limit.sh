#!/usr/bin/env bash
# A file size limit (ulimit -f, systemd's LimitFSIZE=) reached while
# writing the database is a write error like a full disk: the command says
# so and exits 74, the daemon's cycle fails and says so (exit 1 with
# --once), nothing is half-written; neither is killed by SIGXFSZ (exit 153).
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1

make_config ""
conflicts_rule
printf 'unit,period,headcount,conflicts\nacme/a,2026-01,20,1\n' >"$T/a.csv"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/a.csv"
$PY - >"$T/big.csv" <<'PY'
print("unit,period,headcount,conflicts")
for u in range(3000):
    for m in range(1, 13):
        print(f"acme/s{u % 30}/t{u},2025-{m:02d},20,{(u * m) % 6}")
PY
size=$(stat -c %s "$T/vigie.db")
expect_exit 74 bash -c "ulimit -f $((size / 512 + 64)); exec \"\$0\" -c \"\$1\" import \"\$2\"" \
	"$VIGIE" "$T/vigie.yaml" "$T/big.csv"
expect_grep "big.csv: cannot write to $T/vigie.db: " "$T/err"
expect_grep "(this file was not imported)" "$T/err"
expect_eq "$(sqlite3 "$T/vigie.db" "SELECT count(*) FROM import_log")" 1 "nothing half-written"
cp "$T/big.csv" "$T/inbox/big.csv"
touch -d '-10 seconds' "$T/inbox/big.csv"
expect_exit 1 bash -c "ulimit -f $((size / 512 + 64)); exec \"\$0\" -c \"\$1\" --once" \
	"$VIGIED" "$T/vigie.yaml"
expect_grep "cannot import big.csv: " "$T/err"
[ -e "$T/inbox/big.csv" ] || fail "big.csv left the inbox"
expect_eq "$(sqlite3 "$T/vigie.db" "SELECT count(*) FROM import_log")" 1 "nothing half-written by the daemon"
# Without the limit: imported.
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
[ -e "$T/inbox/processed/big.csv" ] || fail "big.csv not imported without the limit"
exit 0
