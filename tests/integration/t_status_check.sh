#!/usr/bin/env bash
# `vigie status --check` is a health check for scripts: exit 1, with a
# "problem:" line each, when no database is there (and none is created),
# when no cycle ran for twice the interval (and whether a daemon holds
# the lock), when the metrics file says the last cycle failed (a full
# disk records nothing in the database), and when files wait in the inbox
# for twice the interval; exit 0 and no such line otherwise. The JSON
# output lists them under "problems"; without --check, the exit stays 0.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1
make_config "metrics_file: $T/vigie.prom"
cp "$SRC/tests/rules/fixtures/conflicts.yaml" "$T/rules.d/"
C=(-c "$T/vigie.yaml")

expect_exit 1 "$VIGIE" "${C[@]}" status --check
expect_eq "$(cat "$T/out")" "problem:      no database at $T/vigie.db: is this the configuration vigied runs with?"
[ -e "$T/vigie.db" ] && fail "status --check created a database"

# Every column the rules read: one never imported is a problem (t_unimported).
printf 'unit,period,headcount,conflicts,hours_worked,harassment_reports\nacme/a,2025-01,20,1,3000,0\n' >"$T/d.csv"
expect_exit 0 "$VIGIE" "${C[@]}" import "$T/d.csv"
expect_exit 1 "$VIGIE" "${C[@]}" status --check
expect_grep "problem:      no cycle has run on this database, and no vigied holds its lock: start it (systemctl start vigied)" "$T/out"
expect_exit 0 "$VIGIED" "${C[@]}" --once
expect_exit 0 "$VIGIE" "${C[@]}" status --check
expect_no_grep "problem:" "$T/out"
expect_exit 0 "$VIGIE" "${C[@]}" status --check --format json
expect_eq "$($PY -c 'import json,sys; print(json.load(open(sys.argv[1]))["problems"])' "$T/out")" "[]"

# Three hours without a cycle, at an interval of one hour.
db "UPDATE cycle SET started_at = started_at - 3 * 3600"
expect_exit 1 "$VIGIE" "${C[@]}" status --check
expect_grep "more than twice the interval (3600s) ago, and no vigied holds its lock: start it (systemctl start vigied)" "$T/out"
expect_exit 0 "$VIGIE" "${C[@]}" status
expect_no_grep "problem:" "$T/out"
expect_exit 0 "$VIGIED" "${C[@]}" --once

# A cycle that failed says so in the metrics file only.
sed -i 's/^vigie_cycle_last_successful 1$/vigie_cycle_last_successful 0/' "$T/vigie.prom"
expect_exit 1 "$VIGIE" "${C[@]}" status --check
expect_eq "$(grep problem: "$T/out")" "problem:      the last cycle failed ($T/vigie.prom: vigie_cycle_last_successful 0): vigied's log says why"
expect_exit 0 "$VIGIED" "${C[@]}" --once

# A file the daemon has not taken for three hours; a fresh one is no
# problem yet, nor is a file being written (a dot file).
cp "$T/d.csv" "$T/inbox/late.csv"
cp "$T/d.csv" "$T/inbox/.partial.csv"
touch -d '-3 hours' "$T/inbox/late.csv" "$T/inbox/.partial.csv"
cp "$T/d.csv" "$T/inbox/fresh.csv"
expect_exit 1 "$VIGIE" "${C[@]}" status --check --format json
expect_eq "$($PY -c 'import json,sys; print(*json.load(open(sys.argv[1]))["problems"], sep="|")' "$T/out")" \
	"1 file waiting in $T/inbox for more than twice the interval: vigied's log says why it is not imported"
exit 0
