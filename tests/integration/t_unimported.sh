#!/usr/bin/env bash
# An indicator of the vocabulary that no import has brought (an HR export
# without grievances; medical visits kept by the occupational-health
# service) leaves every rule that adds it to another undefined at every
# period: sum(conflicts + grievances, 6) is undefined without grievances,
# so the rule never fires, and "no alert" reads as "nothing wrong". vigie
# check and vigied --check say so of each such rule once the database has
# data, the daemon logs it when it starts, and vigie status says it (text
# and JSON) from the last evaluation; once the column is imported, all of
# it is gone. Without a database, check still works and creates none.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1

mkdir -p "$T/rules.d"
cp "$SRC"/etc/rules.d/*.yaml "$T/rules.d/"
web_demo_config "$T/vigie.yaml"
DEMO="$SRC"/contrib/demo/valdis-2023-11-2024-10.csv
# The demo without its grievances column.
$PY - "$DEMO" "$T/nogriev.csv" <<'PY'
import sys
rows = [l.rstrip("\n").split(";") for l in open(sys.argv[1], encoding="utf-8-sig")]
g = rows[0].index("grievances")
with open(sys.argv[2], "w", encoding="utf-8") as f:
    for r in rows:
        f.write(";".join(r[:g] + r[g + 1:]) + "\n")
PY
say() {	# RULE LINE COL: the warning of check for the rule at LINE:COL
	printf '%s:%s:%s: warning: rule "%s" reads grievances, which no import has brought: it is undefined everywhere and never fires (import the column, or disable the rule)' \
	    "$T/rules.d/$1" "$2" "$3" "$4"
}
W1=$(say 40-climat.yaml 52 5 conflicts)
W2=$(say 90-signaux-faibles.yaml 44 5 weak-signals)
LINE='unimported:   grievances, which no import has brought, is read by 2 rules (conflicts, weak-signals): they are undefined everywhere and never fire (import the column, or disable them)'

# No database: check works, says nothing of it, and creates none.
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" check
expect_no_grep "no import has brought" "$T/err"
[ -e "$T/vigie.db" ] && fail "vigie check created the database"

expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/nogriev.csv"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" check
expect_eq "$(grep -F 'no import has brought' "$T/err")" "$W1
$W2" "vigie check: the two rules, each once"
expect_grep "ok: 14 rules in 6 files ($T/rules.d), with 2 warnings on standard error" "$T/out"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --check
expect_eq "$(grep -F 'no import has brought' "$T/err")" "$W1
$W2" "vigied --check"

# The daemon logs it once, at its start; status says it after a cycle.
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_eq "$(grep -cF "${W1#"$T/rules.d/"}" "$T/err")" 1 "vigied's log: conflicts once"
expect_eq "$(grep -cF "${W2#"$T/rules.d/"}" "$T/err")" 1 "vigied's log: weak-signals once"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" status
expect_eq "$(grep '^unimported:' "$T/out")" "$LINE" "status"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" status --format json
expect_eq "$($PY -c 'import json,sys; print(json.dumps(json.load(open(sys.argv[1]))["unimported"]))' "$T/out")" \
	'[{"indicator": "grievances", "rules": ["conflicts", "weak-signals"]}]' "status JSON"
# A health check that is green while rules are blind would hide them.
expect_exit 1 "$VIGIE" -c "$T/vigie.yaml" status --check
expect_grep "problem:      2 rules never fire: grievances was never imported (vigie status names them; import the column, or disable them)" "$T/out"

# The column imported: nothing to say any more.
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$DEMO"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" check
expect_no_grep "no import has brought" "$T/err"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --check
expect_no_grep "no import has brought" "$T/err"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_no_grep "no import has brought" "$T/err"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" status
expect_no_grep "unimported" "$T/out"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" status --format json
expect_eq "$($PY -c 'import json,sys; print(json.dumps(json.load(open(sys.argv[1]))["unimported"]))' "$T/out")" \
	'[]' "status JSON, the column imported"
"$VIGIE" -c "$T/vigie.yaml" status --check >"$T/out" 2>&1
expect_no_grep "never imported" "$T/out"
exit 0
