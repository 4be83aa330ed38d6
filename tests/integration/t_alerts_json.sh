#!/usr/bin/env bash
# vigie(1), alerts --format json: each object says its "state" (active,
# resolved, retired), as the STATE column of the text form does; a retired
# alert keeps its last severity, so without it a script cannot tell it
# from an active one.
source "$VIGIE_SRC/tests/integration/lib.sh"

make_config "locale: en"
CFG=$T/vigie.yaml
cat >"$T/rules.d/10-conf.yaml" <<'YAML'
rules:
  - id: conf
    title: Conflicts
    value: conflicts
    above: { warning: 2, critical: 5 }
YAML
cat >"$T/rules.d/20-other.yaml" <<'YAML'
rules:
  - id: other
    title: Conflicts again
    value: conflicts
    above: { warning: 2 }
YAML
printf 'unit,period,headcount,conflicts\nacme/a,2025-01,10,6\nacme/b,2025-01,10,3\n' >"$T/jan.csv"
expect_exit 0 "$VIGIE" -c "$CFG" import "$T/jan.csv"
expect_exit 0 "$VIGIED" -c "$CFG" --once
# acme/b back to normal: its alerts resolve; conf's file moved aside:
# its alerts retire.
printf 'unit,period,headcount,conflicts\nacme/a,2025-02,10,6\nacme/b,2025-02,10,0\n' >"$T/feb.csv"
expect_exit 0 "$VIGIE" -c "$CFG" import "$T/feb.csv"
mv "$T/rules.d/10-conf.yaml" "$T/10-conf.yaml.off"
expect_exit 0 "$VIGIED" -c "$CFG" --once

# states FILE: "id severity state" per object, sorted.
states() {
	$PY -c 'import json, sys
for a in json.load(open(sys.argv[1])):
    print(a["id"], a["severity"], a.get("state"))' "$1" | sort
}
expect_exit 0 "$VIGIE" -c "$CFG" alerts --all --format json
expect_eq "$(states "$T/out")" "conf@acme critical retired
conf@acme/a critical retired
conf@acme/b warning retired
other@acme warning active
other@acme/a warning active
other@acme/b None resolved" "alerts --all --format json"
# The text form's STATE column says the same.
states "$T/out" | cut -d' ' -f1,3 >"$T/json.states"
expect_exit 0 "$VIGIE" -c "$CFG" alerts --all
expect_eq "$(awk 'NR > 1 { print $1, $NF }' "$T/out" | sort)" "$(cat "$T/json.states")" \
	"the STATE column"
expect_exit 0 "$VIGIE" -c "$CFG" alerts --format json
expect_eq "$(states "$T/out")" "other@acme warning active
other@acme/a warning active" "alerts --format json"
exit 0
