#!/usr/bin/env bash
# vigie(1), delete: "a unit left without any value no longer exists ... its
# active alerts resolve at the next cycle". The resolution is notified like
# any other (SPEC 8, 9), with no value for want of data, not "hidden"; and
# deleting every value of the database resolves every alert too. So does a
# rule whose scope no longer covers the unit, with nothing called hidden
# (SPEC 3: nothing was suppressed). Deleting the latest period, which the
# alert's episode began at, resolves it at that period for want of data,
# not at the period before its start.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1
source "$VIGIE_SRC/tests/integration/notify_lib.sh"

port=$(free_port)
notify_webhook "$T/hook.log" "$port"
make_config "locale: en
webhooks:
  hook: { url: \"http://127.0.0.1:$port/h\" }
recipients:
  hr:
    - webhook: [hook]
default_notify: [hr]"
cat >"$T/rules.d/r.yaml" <<'YAML'
rules:
  - id: conf
    title: Conflicts
    value: conflicts
    above: { warning: 2 }
YAML
printf 'unit,period,headcount,conflicts\nacme/a,2025-01,10,1\nacme/b,2025-01,10,1\nacme/a,2025-02,10,1\nacme/b,2025-02,10,3\n' >"$T/d.csv"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/d.csv"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once

# posts: one line per webhook alert, "id event value".
posts() {
	$PY -c 'import json, sys
for l in open(sys.argv[1]):
    for a in json.loads(json.loads(l)["body"])["alerts"]:
        print(a["id"], a["event"], a["value"])' "$T/hook.log"
}
expect_eq "$(posts | sort)" "conf@acme firing 4.0
conf@acme/b firing 3.0" "the firings"

# --- 1. acme/b's values deleted: its alert resolves, notified ---
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" delete --unit acme/b --period 2025-01
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" delete --unit acme/b --period 2025-02
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_eq "$(posts | sed 1,2d | sort)" "conf@acme resolved 1.0
conf@acme/b resolved None" "the resolutions"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" history conf@acme/b
expect_no_grep "hidden" "$T/out"
expect_grep "resolved" "$T/out"

# --- 2. every value deleted: nothing stays active ---
printf 'unit,period,headcount,conflicts\nacme/a,2025-03,10,5\n' >"$T/e.csv"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/e.csv"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" alerts
expect_grep "conf@acme/a" "$T/out"
for p in 2025-01 2025-02 2025-03; do
	expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" delete --period "$p"
done
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" alerts --format json
expect_eq "$(cat "$T/out")" "[]" "active alerts once every value is deleted"
expect_eq "$(posts | sed 1,6d | sort)" "conf@acme resolved None
conf@acme/a resolved None" "the resolutions once every value is deleted"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" history conf@acme/a
expect_grep "2025-03" "$T/out"

# --- 3. the rule's scope moves away from the unit ---
printf 'unit,period,headcount,conflicts\nacme/a,2025-04,10,5\nacme/b,2025-04,10,0\n' >"$T/f.csv"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/f.csv"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
printf '    scope: "acme/b"\n' >>"$T/rules.d/r.yaml"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
$PY -c 'import json, sys
for l in open(sys.argv[1]):
    for a in json.loads(json.loads(l)["body"])["alerts"]:
        if a["event"] == "resolved" and a["period"] == "2025-04":
            print(a["id"], a["threshold"], a["summary"])' "$T/hook.log" >"$T/scoped"
# Its threshold, and no summary: the summary would quote the missing value
# (« Conflicts: missing data (threshold 2) »), as emails leave it out too.
expect_grep "conf@acme/a 2.0 None" "$T/scoped"
expect_no_grep "hidden" "$T/scoped"

# --- 4. the latest period, where the episode began, deleted ---
sed -i '/scope:/d' "$T/rules.d/r.yaml"
printf 'unit,period,headcount,conflicts\nacme/a,2025-05,10,1\nacme/a,2025-06,10,6\nacme/e,2025-06,10,6\n' >"$T/g.csv"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/g.csv"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" delete --period 2025-06
: >"$T/hook.log"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
$PY -c 'import json, sys
for l in open(sys.argv[1]):
    for a in json.loads(json.loads(l)["body"])["alerts"]:
        print(a["id"], a["event"], a["period"], a["since"], a["value"])' "$T/hook.log" | sort >"$T/latest"
expect_eq "$(cat "$T/latest")" "conf@acme resolved 2025-06 2025-06 None
conf@acme/a resolved 2025-06 2025-06 None
conf@acme/e resolved 2025-06 2025-06 None" "the resolutions once the latest period is deleted"
exit 0
