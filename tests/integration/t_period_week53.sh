#!/usr/bin/env bash
# A week 53 that its year lacks (SPEC 4, SPEC 10: every error says what was
# wrong). "2025-W53" has the shape of a period, so "use YYYY-MM or YYYY-Www"
# would not tell what to fix: every option that takes a period, and a rule
# test file's `at:`, say that 2025 has 52 weeks and where its days are; exit
# 64 (usage) before anything is read or written.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1

make_config "period: week"
cat >"$T/rules.d/a.yaml" <<'YAML'
rules:
  - id: big
    title: Big team
    value: headcount
    above: { warning: 100 }
YAML
printf 'unit,period,headcount\nacme/a,2025-W50,20\n' >"$T/w.csv"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/w.csv"
before=$(sqlite3 "$T/vigie.db" .dump | sha256sum)

why="2025 has 52 ISO weeks, its last is 2025-W52 (the days after it are in 2026-W01)"
while read -r cmd opt args; do
	expect_exit 64 "$VIGIE" -c "$T/vigie.yaml" "$cmd" $args
	expect_eq "$(cat "$T/err")" "vigie $cmd: $opt '2025-W53' is not a period: $why (see vigie $cmd --help)"
	[ -s "$T/out" ] && fail "$cmd: unexpected stdout: $(cat "$T/out")"
done <<'ARGS'
eval --at --at 2025-W53
backtest --from --from 2025-W53 --to 2026-W01
backtest --to --from 2025-W50 --to 2025-W53
report --to --from 2025-W50 --to 2025-W53 --format json
delete --period --period 2025-W53
silence --until --rule big --unit acme/a --until 2025-W53 --reason holidays
ARGS
expect_eq "$(sqlite3 "$T/vigie.db" .dump | sha256sum)" "$before" "the database changed"

# A week 54 is past the year's last too; other malformed periods keep the
# format's hint.
expect_exit 64 "$VIGIE" -c "$T/vigie.yaml" eval --at 2025-W54
expect_eq "$(cat "$T/err")" "vigie eval: --at '2025-W54' is not a period: 2025 has 52 ISO weeks, its last is 2025-W52 (the days after it are in 2026-W01) (see vigie eval --help)"
expect_exit 64 "$VIGIE" -c "$T/vigie.yaml" eval --at 2025-W00
expect_eq "$(cat "$T/err")" "vigie eval: --at '2025-W00' is not a period: use YYYY-MM or YYYY-Www (see vigie eval --help)"

# A rule test file: the error is at the value's line and column.
cat >"$T/t.yaml" <<YAML
rule_files: [rules.d/a.yaml]
period: week
tests:
  - name: a week that does not exist
    data:
      - unit: acme/a
        from: 2025-W50
        values: { headcount: "20x3" }
    at: 2025-W53
    expect: []
YAML
expect_exit 1 "$VIGIE" test "$T/t.yaml"
expect_grep "$T/t.yaml:9:9: error: at \"2025-W53\" is not a period: $why" "$T/err"
exit 0
