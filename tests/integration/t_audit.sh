#!/usr/bin/env bash
# The audit log (SPEC 3) from the command line: acknowledgements, notes,
# silences and exports each write an entry whose actor is the
# operating-system user running the command, whatever --by says, in the
# transaction of the action; vigie audit prints them (--since, JSON).
# Notes are kept by role: vigie history shows a note only to its --role.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1

make_config "smtp:
  url: smtp://127.0.0.1:9
  from: vigie@example.org
  timeout: 1s
recipients:
  social-worker:
    - email: [sw@example.org]
  hr:
    - email: [hr@example.org]"
cp "$SRC/tests/rules/fixtures/conflicts.yaml" "$T/rules.d/"
C=(-c "$T/vigie.yaml")
printf 'unit,period,headcount,conflicts\nacme/a,2025-01,20,5\nacme/b,2025-01,20,0\n' >"$T/data.csv"
expect_exit 0 "$VIGIE" "${C[@]}" import "$T/data.csv"
expect_exit 0 "$VIGIED" "${C[@]}" --once
me=$(id -un)

expect_exit 0 "$VIGIE" "${C[@]}" audit
expect_eq "$(cat "$T/out")" "no audit entries"
expect_exit 0 "$VIGIE" "${C[@]}" ack conflict-rate@acme/a --by "Quelqu'un d'autre" --note "RDV avec la manager"
expect_exit 0 "$VIGIE" "${C[@]}" silence --rule conflict-rate --unit 'acme/*' --until 2025-03 --reason "réorganisation"
expect_exit 0 "$VIGIE" "${C[@]}" unsilence 1
expect_exit 0 "$VIGIE" "${C[@]}" eval --rule conflict-rate --format json
expect_exit 0 "$VIGIE" "${C[@]}" backtest --from 2025-01 --to 2025-01
# refused actions write nothing
expect_exit 65 "$VIGIE" "${C[@]}" ack nope@acme --by x
expect_exit 65 "$VIGIE" "${C[@]}" unsilence 1
expect_exit 64 "$VIGIE" "${C[@]}" ack conflict-rate@acme --by x --note n --role nobody
expect_grep "no role 'nobody' in recipients" "$T/err"

expect_exit 0 "$VIGIE" "${C[@]}" audit --format json
$PY - "$T/out" "$me" <<'PY' || fail "the audit log is not what the commands did"
import json, sys
log, me = json.load(open(sys.argv[1])), sys.argv[2]
got = [(e["actor"], e["via"], e["action"], e["object"], e["detail"]) for e in log]
want = [
    (me, "cli", "ack", "conflict-rate@acme/a", "as Quelqu'un d'autre"),
    (me, "cli", "note", "conflict-rate@acme/a", "role social-worker"),
    (me, "cli", "silence", "silence 1", "rule conflict-rate, unit acme/*, until 2025-03"),
    (me, "cli", "unsilence", "silence 1", None),
    (me, "cli", "export", "eval", "--rule conflict-rate --format json: 3 rows"),
    (me, "cli", "export", "backtest", "--from 2025-01 --to 2025-01 --format text: 2 rows"),
]
assert got == want, got
assert all(e["at"].endswith("Z") for e in log)
# no note text in the audit log
assert "RDV" not in open(sys.argv[1]).read()
PY
expect_exit 0 "$VIGIE" "${C[@]}" audit
expect_grep "$me" "$T/out"
expect_grep "export" "$T/out"
expect_exit 0 "$VIGIE" "${C[@]}" audit --since 2000-01-01T00:00:00Z --format json
expect_eq "$($PY -c 'import json,sys; print(len(json.load(open(sys.argv[1]))))' "$T/out")" 6
expect_exit 0 "$VIGIE" "${C[@]}" audit --since 2999-01-01 --format json
expect_eq "$(tr -d ' \n' <"$T/out")" "[]"
expect_exit 64 "$VIGIE" "${C[@]}" audit --since 2026-02-30
expect_grep "is not a date" "$T/err"

# The note: only with its role.
expect_exit 0 "$VIGIE" "${C[@]}" history conflict-rate@acme/a
expect_no_grep "RDV" "$T/out"
expect_grep "by Quelqu'un d'autre" "$T/out"
expect_exit 0 "$VIGIE" "${C[@]}" history conflict-rate@acme/a --role hr --format json
expect_no_grep "RDV" "$T/out"
expect_exit 0 "$VIGIE" "${C[@]}" history conflict-rate@acme/a --role social-worker
expect_grep "by Quelqu'un d'autre (social-worker): RDV avec la manager" "$T/out"
expect_exit 0 "$VIGIE" "${C[@]}" history conflict-rate@acme/a --role social-worker --format json
expect_grep '"note": "RDV avec la manager"' "$T/out"
# the note is not on the acknowledgement any more: no other reader finds it
expect_eq "$(sqlite3 "$T/vigie.db" "SELECT count(*) FROM event WHERE note IS NOT NULL")" 0
expect_eq "$(sqlite3 "$T/vigie.db" "SELECT role FROM note")" social-worker

# A note written on an acknowledgement before notes had roles is the
# social service's.
sqlite3 "$T/vigie.db" "UPDATE event SET note = 'note ancienne' WHERE kind = 'ack'"
expect_exit 0 "$VIGIE" "${C[@]}" history conflict-rate@acme/a
expect_no_grep "note ancienne" "$T/out"
expect_exit 0 "$VIGIE" "${C[@]}" history conflict-rate@acme/a --role social-worker
expect_grep "by Quelqu'un d'autre: note ancienne" "$T/out"

# An entry that cannot be written stops the action: nothing acknowledged.
sqlite3 "$T/vigie.db" "CREATE TRIGGER no_audit BEFORE INSERT ON audit BEGIN SELECT RAISE(FAIL, 'audit refused'); END;"
expect_exit 74 "$VIGIE" "${C[@]}" ack conflict-rate@acme --by x
expect_grep "audit refused" "$T/err"
expect_eq "$(sqlite3 "$T/vigie.db" "SELECT count(*) FROM event WHERE kind = 'ack'")" 1
expect_exit 74 "$VIGIE" "${C[@]}" eval
expect_eq "$(cat "$T/out")" ""
exit 0
