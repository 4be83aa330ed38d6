#!/usr/bin/env bash
# SPEC 3: "every output" includes `vigie alerts`: it shows today's data,
# not the value the daemon stored at its last cycle, so that a correction
# made since (a headcount below the floor, a revised figure) is not undone
# until the next cycle, nor ever for a resolved alert. `vigie history` of
# a retired alert (its rule gone) hides the value where the unit is
# hidden today.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1

make_config ""
cat >"$T/rules.d/r.yaml" <<'YAML'
rules:
  - id: conf-rate
    title: Conflict rate
    value: 100 * conflicts / headcount
    above: { warning: 10, critical: 20 }
YAML
printf 'unit,period,headcount,conflicts\nacme/a,2026-10,30,1\nacme/b,2026-10,30,1\nacme/a,2026-11,30,7\nacme/b,2026-11,30,1\n' >"$T/d1.csv"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/d1.csv"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once

# value UNIT [--all]: the JSON value of conf-rate@UNIT, to 6 decimals.
value() {
	"$VIGIE" -c "$T/vigie.yaml" alerts ${2:-} --format json |
	    $PY -c 'import json, sys
for a in json.load(sys.stdin):
    if a["id"] == "conf-rate@" + sys.argv[1]:
        v = a["value"]
        print(v if v is None else round(v, 6))' "$1"
}
expect_eq "$(value acme/a)" "23.333333" "the value the cycle stored"

# --- a correction that leaves the team visible: today's value ---
printf 'unit,period,headcount,conflicts\nacme/a,2026-11,30,5\n' >"$T/d2.csv"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/d2.csv"
expect_eq "$(value acme/a)" "16.666667" "after a correction, before any cycle"

# --- the team below the floor: hidden, in JSON and in text ---
printf 'unit,period,headcount\nacme/a,2026-11,3\n' >"$T/d3.csv"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/d3.csv"
expect_eq "$(value acme/a)" "None" "after the team fell below the floor"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" alerts
expect_grep "conf-rate@acme/a" "$T/out"
expect_no_grep "23.3" "$T/out"
expect_no_grep "16.7" "$T/out"
grep "conf-rate@acme/a " "$T/out" | grep -q " hidden " || { cat "$T/out"; fail "text: not said hidden"; }

# --- a resolved alert whose period is hidden since: never shown again ---
printf 'unit,period,headcount,conflicts\nacme/a,2026-11,30,7\nacme/a,2026-12,30,2\nacme/b,2026-12,30,1\n' >"$T/d4.csv"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/d4.csv"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_eq "$(value acme/a --all)" "6.666667" "resolved with its value"
printf 'unit,period,headcount\nacme/a,2026-12,4\n' >"$T/d5.csv"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/d5.csv"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_eq "$(value acme/a --all)" "None" "resolved, its period hidden since"

# --- a value missing at the cycle, its data imported since: shown ---
printf 'unit,period,headcount,conflicts\nacme/c,2026-11,30,9\n' >"$T/m1.csv"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/m1.csv"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_eq "$(value acme/c)" "None" "carried over, its period missing"
printf 'unit,period,headcount,conflicts\nacme/c,2026-12,30,4\n' >"$T/m2.csv"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/m2.csv"
expect_eq "$(value acme/c)" "13.333333" "a value missing at the cycle, imported since"

# --- a rule file with errors (HR's draft): the values of the other files'
# rules are shown, and the command says which file is left out ---
printf 'rules:\n  - id: broken\n    title: x\n    value: (conflicts\n    above: { warning: 1 }\n' >"$T/rules.d/z.yaml"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" alerts --format json
expect_eq "$(cat "$T/err")" "alerts: $T/rules.d/z.yaml has errors, or gives a rule id another file gives: the values of its rules are not shown (vigie check lists the errors)"
expect_eq "$(value acme/c)" "13.333333" "a value beside a broken file"
# The alerts of the rules of a file left out have no value (not "hidden",
# which would say the team is too small): that file's rules are unknown.
printf 'rules:\n  - id: other\n    title: y\n    value: conflicts\n    above: { warning: 100 }\n' >"$T/rules.d/y.yaml"
cp "$T/rules.d/r.yaml" "$T/r.yaml.keep"
sed -i 's/warning: 10,/warning: 10,5,/' "$T/rules.d/r.yaml"
rm "$T/rules.d/z.yaml"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" alerts --format json
expect_grep "alerts: $T/rules.d/r.yaml has errors" "$T/err"
expect_eq "$(value acme/c)" "None" "an alert of a rule left out"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" alerts --all
expect_eq "$(awk '$1 ~ /^conf-rate@/ { printf "%s ", $3 }' "$T/out")" "- - - " \
	"no value, nor a retired rule's, for the rules of a file left out"
cp "$T/r.yaml.keep" "$T/rules.d/r.yaml"
rm "$T/rules.d/y.yaml"
printf 'rules:\n  - id: broken\n    title: x\n    value: (conflicts\n    above: { warning: 1 }\n' >"$T/rules.d/z.yaml"
# --- no file without errors: no value is shown, and the command says why ---
cp "$T/rules.d/z.yaml" "$T/r.yaml.bak"
cp "$T/rules.d/r.yaml" "$T/r.yaml.good"
cp "$T/rules.d/z.yaml" "$T/rules.d/r.yaml"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" alerts --format json
expect_grep "the rule set is invalid: values are not shown" "$T/err"
expect_eq "$($PY -c 'import json, sys; print(sorted({a["value"] for a in json.load(open(sys.argv[1]))}, key=str))' "$T/out")" \
	"[None]" "values with an invalid rule set"
cp "$T/r.yaml.good" "$T/rules.d/r.yaml"
rm "$T/rules.d/z.yaml"

# --- a retired alert: its history hides what today's data hides ---
sed -i 's/id: conf-rate/id: conf-rate-2/' "$T/rules.d/r.yaml"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" history conf-rate@acme/a --format json
fired() {
	$PY -c 'import json, sys
for e in json.load(open(sys.argv[1])):
    if e.get("period") == "2026-11" and e["kind"] == "firing":
        print(e["value"] if e["value"] is None else round(e["value"], 6), e["revised"])' "$T/out"
}
expect_eq "$(fired)" "23.333333 False" "the retired alert's firing"
printf 'unit,period,headcount\nacme/a,2026-11,4\n' >"$T/d6.csv"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/d6.csv"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" history conf-rate@acme/a --format json
expect_eq "$(fired)" "None True" "the retired alert's firing, its period hidden since"
# A retired alert's value in vigie alerts --all once its period's data is
# deleted: not shown. Its unit is away from acme, whose team a is hidden in
# November: a retired rule may have read its siblings (t_retired_peer.sh).
printf 'unit,period,headcount,conflicts\nother/d,2026-12,30,9\n' >"$T/r1.csv"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/r1.csv"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
sed -i 's/id: conf-rate-2/id: conf-rate-3/' "$T/rules.d/r.yaml"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
retired() {
	"$VIGIE" -c "$T/vigie.yaml" alerts --all --format json | $PY -c 'import json, sys
for a in json.load(sys.stdin):
    if a["id"] == "conf-rate-2@other/d":
        print(a["value"])'
}
expect_eq "$(retired)" "30.0" "the retired alert's value"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" delete --period 2026-12 --unit other/d
expect_eq "$(retired)" "None" "the retired alert's value, its period deleted"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" delete --period 2026-11 --unit acme/a
expect_eq "$(value acme/a --all)" "None" "a retired alert whose period was deleted"
exit 0
