#!/usr/bin/env bash
# A period after the current one (by the system clock) is an import error
# (SPEC 4): `vigie import` exits 65 with FILE:LINE:COL and writes nothing,
# the inbox rejects the file, a pull source records the error. A database
# that already holds a mistyped 2062-10 (written before this check) has it
# removed with `vigie delete --period 2062-10`: the latest period is the
# real one again, the rules fire again, and the removal is in the import
# log and in the audit log with the operating-system user. --dry-run and a
# delete that matches nothing write nothing; a bad period is a usage error.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1
command -v sqlite3 >/dev/null || { echo "sqlite3 missing"; exit 77; }

make_config "locale: en"
cat >"$T/rules.d/r.yaml" <<'YAML'
rules:
  - id: conflicts-high
    title: "Many conflicts"
    value: conflicts
    above: { warning: 2 }
YAML
# Imports recorded (0 while there is no database yet).
imports() { if [ -e "$T/vigie.db" ]; then db "SELECT count(*) FROM import_log"; else echo 0; fi; }
now=$(date +%Y-%m)

# --- vigie import ---
printf 'unit,period,headcount,conflicts\nacme/a,2026-01,10,3\nacme/a,2062-10,10,1\n' >"$T/typo.csv"
expect_exit 65 "$VIGIE" -c "$T/vigie.yaml" import "$T/typo.csv"
expect_grep "$T/typo.csv:3:8: error: period 2062-10 is after the current period $now" "$T/err"
expect_eq "$(imports)" 0 "nothing written"

# --- the inbox ---
printf 'unit,period,headcount,conflicts\nacme/a,9999-12,10,1\n' >"$T/.s" && mv "$T/.s" "$T/inbox/far.csv"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_grep "far.csv:2:8: error: period 9999-12 is after the current period" \
	"$T/inbox/rejected/far.csv.errors.txt"
expect_eq "$(imports)" 0 "nothing written"

# --- a pull source ---
sqlite3 "$T/src.db" "CREATE TABLE t(unit, period, indicator, value);
INSERT INTO t VALUES('acme/a', '2062-10', 'conflicts', 9);"
cat >"$T/src.yaml" <<YAML
database: $T/vigie.db
rules: $T/rules.d
sources:
  - name: wh
    type: sqlite
    path: $T/src.db
    query: SELECT unit, period, indicator, value FROM t
YAML
expect_exit 0 "$VIGIED" -c "$T/src.yaml" --once
expect_grep "period 2062-10 is after the current period" <(db "SELECT last_error FROM source_state")
expect_eq "$(imports)" 0 "nothing written"

# --- a database that already holds 2062-10 ---
printf 'unit,period,headcount,conflicts\nacme/a,2026-01,10,3\nacme/b,2026-01,10,1\n' >"$T/ok.csv"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/ok.csv"
# As an older vigie would have stored it: acme/a's conflicts from 2026-01
# to 2062-10 (445 periods, the last one 1), and the range in meta.
$PY - "$T/vigie.db" <<'PY'
import sqlite3, struct, sys
db = sqlite3.connect(sys.argv[1])
u = db.execute("SELECT id FROM unit WHERE path = 'acme/a'").fetchone()[0]
i = db.execute("SELECT id FROM indicator WHERE name = 'conflicts'").fetchone()[0]
p0, p1 = 2026 * 12, 2062 * 12 + 9
vals = [3.0] + [float("nan")] * (p1 - p0 - 1) + [1.0]
db.execute("UPDATE series SET vals = ? WHERE unit = ? AND indicator = ?",
           (struct.pack("<%dd" % len(vals), *vals), u, i))
db.execute("UPDATE meta SET value = ? WHERE key = 'pmax'", (str(p1),))
db.commit()
PY
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" eval --format json
$PY -c 'import json, sys; r = json.load(open(sys.argv[1])); assert {x["period"] for x in r} == {"2062-10"} and not any(x["active"] for x in r), r' "$T/out" ||
	fail "the mistyped period was not the latest (test setup)"
# Usage errors.
expect_exit 64 "$VIGIE" -c "$T/vigie.yaml" delete
expect_exit 64 "$VIGIE" -c "$T/vigie.yaml" delete --period 2062-13
expect_exit 64 "$VIGIE" -c "$T/vigie.yaml" delete --period 2062-W10
expect_exit 64 "$VIGIE" -c "$T/vigie.yaml" delete --period 2062-10 --indicator Bad
n=$(db "SELECT count(*) FROM import_log") a=$(db "SELECT count(*) FROM audit")
# A dry run and a delete that matches nothing write nothing.
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" delete --period 2062-10 --dry-run
expect_eq "$(cat "$T/out")" "would delete 1 value of 2062-10"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" delete --period 2062-10 --dry-run --format json
expect_eq "$($PY -c 'import json,sys; print(json.load(open(sys.argv[1])))' "$T/out")" \
	"{'period': '2062-10', 'unit': None, 'indicator': None, 'values': 1, 'dry_run': True}"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" delete --period 2062-10 --unit 'acme/b'
expect_eq "$(cat "$T/out")" "nothing to delete: no stored value of 2062-10 matches"
expect_eq "$(db "SELECT count(*) FROM import_log") $(db "SELECT count(*) FROM audit")" "$n $a"
# The delete.
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" delete --period 2062-10 --unit 'acme/*' --indicator conflicts
expect_eq "$(cat "$T/out")" "deleted 1 value of 2062-10 for units acme/*, indicator conflicts"
expect_eq "$(db "SELECT source || ' ' || vals FROM import_log ORDER BY id DESC LIMIT 1")" \
	"vigie delete --period 2062-10 --unit acme/* --indicator conflicts 1"
expect_eq "$(db "SELECT actor || ' ' || via || ' ' || action || ' ' || object FROM audit WHERE action = 'delete'")" \
	"$(id -un) cli delete --period 2062-10 --unit acme/* --indicator conflicts"
expect_eq "$(db "SELECT p0, length(vals) / 8 FROM series s JOIN indicator i ON i.id = s.indicator JOIN unit u ON u.id = s.unit WHERE u.path = 'acme/a' AND i.name = 'conflicts'")" \
	"$((2026 * 12))|1" "the series is trimmed"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" status
expect_grep "latest period 2026-01" "$T/out"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" eval --format json
$PY -c 'import json, sys; r = json.load(open(sys.argv[1])); assert {x["period"] for x in r} == {"2026-01"}, r' "$T/out" ||
	fail "evaluation is not back at 2026-01"
# The daemon evaluates again (the data generation moved on).
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_eq "$(db "SELECT period FROM cycle ORDER BY id DESC LIMIT 1")" "$((2026 * 12))"
exit 0
