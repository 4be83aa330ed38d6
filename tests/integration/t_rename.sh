#!/usr/bin/env bash
# vigie rename FROM TO (vigie(1)): a team renamed or moved by a
# reorganisation keeps its history. Its values go to the new path, merged
# with what the new path already has (the export's first month under the
# new name), so that the rules that read a year of history evaluate it at
# once; its alerts follow, neither resolved nor fired again; the units
# under it move with it; a value at both paths refuses the whole rename;
# recorded in the import log (the daemon evaluates again) and the audit
# log; --dry-run writes nothing; silences whose pattern begins with the old
# path follow, others that held it are reported.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1
source "$VIGIE_SRC/tests/integration/notify_lib.sh"
command -v sqlite3 >/dev/null || { echo "sqlite3 missing"; exit 77; }

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
  - id: above-usual
    title: Conflicts above the team's usual
    scope: "*/*"
    when: count(conflicts, 12, 1) >= 12
    value: conflicts - avg(conflicts, 12, 1)
    above: { warning: 3 }
YAML
values() { $PY "$SRC/tests/integration/dbvalues.py" "$T/vigie.db"; }
# posts: one line per webhook alert, "id event value".
posts() {
	[ -s "$T/hook.log" ] || return 0
	$PY -c 'import json, sys
for l in open(sys.argv[1]):
    for a in json.loads(json.loads(l)["body"])["alerts"]:
        print(a["id"], a["event"], a["value"])' "$T/hook.log"
}
# A year of history for acme/old and acme/b, then January under the new
# name of acme/old: acme/new, with six conflicts.
{ echo unit,period,headcount,conflicts
  for m in 01 02 03 04 05 06 07 08 09 10 11 12; do
	echo "acme/old,2025-$m,10,1"; echo "acme/b,2025-$m,10,1"
  done
  echo acme/new,2026-01,10,6; echo acme/b,2026-01,10,1; } >"$T/d.csv"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/d.csv"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_eq "$(posts)" "" "acme/new, without history, is not evaluated"

# --- 1. --dry-run counts, writes nothing ---
v0=$(values | md5sum)
i0=$(db "SELECT count(*) FROM import_log")
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" rename acme/old acme/new --dry-run
expect_eq "$(cat "$T/out")" "would rename acme/old to acme/new: 1 unit, 24 values, 0 alerts, 0 notes, 0 silences"
expect_eq "$(values | md5sum)" "$v0" "values after --dry-run"
expect_eq "$(db "SELECT count(*) FROM import_log")" "$i0" "imports after --dry-run"

# --- 2. renamed: the history joins January; recorded ---
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" rename acme/old acme/new
expect_eq "$(cat "$T/out")" "renamed acme/old to acme/new: 1 unit, 24 values, 0 alerts, 0 notes, 0 silences"
expect_eq "$(values | grep -c '^acme/old,')" 0 "acme/old's values"
expect_eq "$(values | grep -c '^acme/new,')" 26 "acme/new's values"
expect_eq "$(values | grep '^acme/new,2025-03,')" "acme/new,2025-03,conflicts,1.0
acme/new,2025-03,headcount,10.0"
expect_eq "$(db "SELECT count(*) FROM unit WHERE path = 'acme/old'")" 0 "the old unit"
expect_eq "$(db "SELECT source, sha256, vals, via FROM import_log ORDER BY id DESC LIMIT 1")" \
	"vigie rename acme/old acme/new|=|24|cli" "the import log"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" audit
grep -qE '^[0-9TZ:-]+ +[^ ]+ +cli +rename +acme/old acme/new +24 values$' "$T/out" ||
	fail "the rename not in vigie audit: $(cat "$T/out")"
# The daemon evaluates again: January against the team's year.
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_eq "$(posts)" "above-usual@acme/new firing 5.0" "the alert on the history"

# --- 3. renamed again with its alert: it follows, nothing notified; the
# silence that names it follows; one that holds it by a pattern that does
# not hold the new path stays, and the user is told; others stay.
for u in acme/new '*/new' 'acme/*' acme/b; do
	expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" silence --rule above-usual --unit "$u" \
		--until 2027-12 --reason "mediation"
done
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" rename acme/new acme/team --format json
expect_eq "$($PY -c 'import json, sys; print(json.dumps(json.load(sys.stdin), sort_keys=True))' <"$T/out")" \
	'{"accounts": 0, "alerts": 1, "dry_run": false, "from": "acme/new", "notes": 0, "silences": 1, "silences_left": 1, "summed": 0, "to": "acme/team", "units": 1, "values": 26}'
expect_eq "$(cat "$T/err")" "vigie rename: warning: 1 silence held acme/new by a pattern that does not hold acme/team: vigie silences lists them"
expect_eq "$(db "SELECT unit_glob FROM silence ORDER BY id" | tr '\n' ' ')" \
	"acme/team */new acme/* acme/b " "the silences after the rename"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" unsilence 2
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" unsilence 4
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_eq "$(posts)" "above-usual@acme/new firing 5.0" "nothing notified after the rename"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" alerts
expect_grep "above-usual@acme/team" "$T/out"
expect_no_grep "acme/new" "$T/out"

# --- 4. a whole site: the units under it move, the alert too ---
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" rename acme valdis
expect_eq "$(cat "$T/out")" "renamed acme to valdis: 2 units, 52 values, 1 alert, 0 notes, 2 silences"
expect_eq "$(db "SELECT unit_glob FROM silence ORDER BY id" | tr '\n' ' ')" \
	"valdis/team */new valdis/* acme/b " "removed silences stay as they were"
expect_eq "$(values | grep -c '^acme/')" 0 "acme's values"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_eq "$(posts)" "above-usual@acme/new firing 5.0" "nothing notified after the site's rename"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" alerts
expect_grep "above-usual@valdis/team" "$T/out"
# Its name in the messages sent: the commands name it as it is now.
expect_exit 65 "$VIGIE" -c "$T/vigie.yaml" history above-usual@acme/new
expect_eq "$(cat "$T/err")" "vigie history: above-usual@acme/new: no such alert: its unit was renamed, it is above-usual@valdis/team now"
expect_exit 65 "$VIGIE" -c "$T/vigie.yaml" ack above-usual@acme/new --by marie
expect_eq "$(cat "$T/err")" "vigie ack: above-usual@acme/new: no such alert: its unit was renamed, it is above-usual@valdis/team now"
expect_exit 65 "$VIGIE" -c "$T/vigie.yaml" history above-usual@acme/nowhere
expect_eq "$(cat "$T/err")" "vigie history: above-usual@acme/nowhere: no such alert (see vigie alerts --all)"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" history above-usual@valdis/team

# --- 4b. an export that still names an old path: refused at import ---
printf 'unit,period,headcount,conflicts\nacme/b,2026-02,10,1\nacme/old,2026-02,10,1\n' >"$T/old.csv"
expect_exit 65 "$VIGIE" -c "$T/vigie.yaml" import --dry-run "$T/old.csv"
today=$(date -u +%F)
why="write the new path in the export (under its old path the team would be a unit of its own again, without its history, and counted twice in the figures of the units above it for any month both have; teams merged: one row, with their sums)"
expect_eq "$(cat "$T/err")" "$T/old.csv:2:1: error: \"acme/b\" was renamed \"valdis/b\" (vigie rename, $today): $why
$T/old.csv:3:1: error: \"acme/old\" was renamed \"valdis/team\" (vigie rename, $today): $why
vigie import: nothing was imported" "the old paths"

# --- 5. a value at both paths: nothing renamed ---
printf 'unit,period,headcount,conflicts\nvaldis/b,2026-02,10,1\nvaldis/c,2026-02,,2\n' >"$T/feb.csv"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/feb.csv"
v1=$(values | md5sum)
expect_exit 65 "$VIGIE" -c "$T/vigie.yaml" rename valdis/b valdis/c
expect_eq "$(cat "$T/err")" "vigie rename: valdis/b and valdis/c both have a value of conflicts for 2026-02: nothing renamed (two teams merged into one: --merge adds their values)"
expect_eq "$(values | md5sum)" "$v1" "values after a refused rename"

# --- 5b. onto a department's path, whose teams have values at the same
# periods: its figures would be the team's, not their sum; nothing renamed.
printf 'unit,period,headcount,conflicts\ndept/x,2025-06,10,1\ndept/y,2025-06,10,0\n' >"$T/dept.csv"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/dept.csv"
v1=$(values | md5sum)
expect_exit 65 "$VIGIE" -c "$T/vigie.yaml" rename valdis/team dept
expect_eq "$(cat "$T/err")" "vigie rename: dept has units under it with values for periods of valdis/team's: its figures there would be valdis/team's, not their sum: nothing renamed"
expect_eq "$(values | md5sum)" "$v1" "values after a refused rename"

# --- 5b'. out of its parent, a unit with a hidden figure: valdis/b's
# February is hidden beside valdis/c's (no headcount, SPEC 3); valdis's
# figures shown before would, less those after, give it away.
expect_exit 65 "$VIGIE" -c "$T/vigie.yaml" rename valdis/b dept/b
expect_eq "$(cat "$T/err")" "vigie rename: valdis/b's conflicts for 2026-02 is hidden (under the anonymity floor, or beside a smaller team): moved to another parent, it would change its old and new parents' figures by its value, which whoever compares them before and after would learn: nothing renamed (data imported under the new path start a history of their own there; the past stays under the old one, hidden as before)"
expect_eq "$(values | md5sum)" "$v1" "values after a refused move"

# --- 5c. two teams merged into one: --merge adds their values where both
# have one, as their parent's roll-up did; the parent's figures stay.
parent() { "$VIGIE" -c "$T/vigie.yaml" eval --unit valdis --format json |
	$PY -c 'import json, sys; print([r["value"] for r in json.load(sys.stdin) if r["unit"] == "valdis"])'; }
# valdis/c's February has no headcount: hidden (SPEC 3), and valdis/b's
# with it (else valdis less valdis/b would give valdis/c's away): a merge
# would show their sum, hidden until now, beside the figures shown.
v1=$(values | md5sum)
expect_exit 65 "$VIGIE" -c "$T/vigie.yaml" rename valdis/b valdis/c --merge
expect_eq "$(cat "$T/err")" "vigie rename: valdis/b's conflicts for 2026-02 is hidden (under the anonymity floor, or beside a smaller team): the merged sum, beside the figures already shown, would give it away: nothing renamed (data imported under the new path start a history of their own there; the past stays under the old one, hidden as before)"
expect_eq "$(values | md5sum)" "$v1" "values after a refused merge"
printf 'unit,period,headcount\nvaldis/c,2026-02,7\n' >"$T/c.csv"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/c.csv"
v1=$(values | md5sum)
p0=$(parent)
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" rename valdis/b valdis/c --merge --dry-run
expect_eq "$(cat "$T/out")" "would rename valdis/b to valdis/c: 1 unit, 28 values, 2 added to the new path's, 0 alerts, 0 notes, 0 silences"
expect_eq "$(values | md5sum)" "$v1" "values after a merge's --dry-run"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" rename valdis/b valdis/c --merge --format json
expect_eq "$($PY -c 'import json, sys; d = json.load(sys.stdin); print(d["values"], d["summed"])' <"$T/out")" "28 2"
expect_eq "$(values | grep '^valdis/c,2026-02,')" "valdis/c,2026-02,conflicts,3.0
valdis/c,2026-02,headcount,17.0" "valdis/c's February: 1 + 2 conflicts, 10 + 7 people"
expect_eq "$(values | grep -c '^valdis/b,')" 0 "valdis/b's values"
expect_eq "$(parent)" "$p0" "the parent's value"
expect_eq "$(db "SELECT detail FROM audit WHERE action = 'rename' ORDER BY id DESC LIMIT 1")" \
	"28 values, 2 added to the new path's" "the audit log"
v1=$(values | md5sum)

# --- 5d. a shown team moved into a site where it becomes the smallest:
# the team hidden beside e/site/small would be picked anew, and the one
# hidden until now shown; the rename is made, checked and rolled back.
printf 'unit,period,headcount,conflicts\ne/site/small,2026-02,3,1\ne/site/b,2026-02,6,0\ne/site/a,2026-02,12,0\nf/site/x,2026-02,5,0\nf/site/y,2026-02,20,2\n' >"$T/e.csv"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/e.csv"
v1=$(values | md5sum)
i1=$(db "SELECT count(*) FROM import_log")
expect_exit 65 "$VIGIE" -c "$T/vigie.yaml" rename f/site/x e/site/x
expect_eq "$(cat "$T/err")" "vigie rename: e/site/b's headcount for 2026-02 is hidden (under the anonymity floor, or beside a smaller team): the units hidden beside it to protect a smaller one would change, and it would be shown: nothing renamed (data imported under the new path start a history of their own there; the past stays under the old one, hidden as before)"
expect_eq "$(values | md5sum)" "$v1" "values after a refused move"
expect_eq "$(db "SELECT count(*) FROM import_log")" "$i1" "imports after a refused move"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" rename f/site/x f/site/z

# --- 6. what is no rename ---
expect_exit 64 "$VIGIE" -c "$T/vigie.yaml" rename valdis/b
expect_grep "FROM and TO are required" "$T/err"
expect_exit 64 "$VIGIE" -c "$T/vigie.yaml" rename 'valdis/*' valdis/x
expect_grep "'valdis/*' is not a unit path" "$T/err"
expect_exit 64 "$VIGIE" -c "$T/vigie.yaml" rename valdis valdis/lorraine
expect_grep "one is within the other" "$T/err"
expect_exit 64 "$VIGIE" -c "$T/vigie.yaml" rename valdis/b valdis/b
v1=$(values | md5sum)
expect_exit 65 "$VIGIE" -c "$T/vigie.yaml" rename nowhere/x valdis/x
expect_eq "$(cat "$T/err")" "vigie rename: no unit nowhere/x is stored (vigie status lists them)"
expect_eq "$(values | md5sum)" "$v1" "values after the refusals"
exit 0
