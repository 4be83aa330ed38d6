#!/usr/bin/env bash
# A rule file with errors in the folder (HR's draft) does not keep the
# console from those who follow alerts: vigie-web starts with the other
# files' rules and logs which file it left out, with its errors; its
# --check still refuses the set (78), as vigied's does, and a reload with
# the file still broken keeps the rules it has.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1
command -v curl >/dev/null || { echo "curl missing"; exit 77; }
PORT=$(free_port)
web_hr_config ""
cat >"$T/rules.d/r.yaml" <<'YAML'
rules:
  - id: conflicts-high
    title: Conflits nombreux
    value: conflicts
    above: { warning: 2 }
    notify: [hr]
YAML
printf 'rules:\n  - id: draft\n    title: Brouillon\n    value: conflicts\n    above: { warning: 1,5 }\n' >"$T/rules.d/z.yaml"
printf 'unit,period,headcount,conflicts\nacme/a,2026-05,20,4\n' >"$T/may.csv"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/may.csv"
expect_exit 78 "$VIGIE_BIN/vigie-web" -c "$T/vigie.yaml" --check
expect_grep "$T/rules.d/z.yaml:5:25: error: " "$T/err"
web_user rh hr
web_start
expect_grep "$T/rules.d/z.yaml:5:25: error: " "$T/web.log"
expect_grep "$T/rules.d/z.yaml has errors (above), or gives a rule id another file gives: the console starts without its rules" "$T/web.log"
J=$T/jar
expect_eq "$(login "$J" rh)" 303 "login"
expect_eq "$(req "$J" GET /rules)" 200 "the rules page"
expect_grep "Conflits nombreux" "$T/b"
expect_no_grep "Brouillon" "$T/b"
# Every page says rules are missing: their alerts are not in the list.
expect_eq "$(req "$J" GET /)" 200 "the alerts page"
expect_grep "Des règles manquent à la console"$'\u202f'": le fichier de règles z.yaml a des erreurs" "$T/b"
# A reload with the file still broken keeps what it has; fixed, it loads.
kill -HUP "$WEB"
kept() { grep -q "keeping the previous ones" "$T/web.log"; }
wait_for kept || { cat "$T/web.log"; fail "no refused reload logged"; }
sed -i 's/1,5/1.5/' "$T/rules.d/z.yaml"
kill -HUP "$WEB"
loaded() { grep -q "reloaded" "$T/web.log"; }
wait_for loaded || { cat "$T/web.log"; fail "no reload logged"; }
expect_eq "$(req "$J" GET /rules)" 200 "the rules page after the fix"
expect_grep "Brouillon" "$T/b"
expect_no_grep "Des règles manquent" "$T/b"
web_stop
# A draft that gives the id of a library rule: neither file is read (which
# of the two the daemon runs is not known), so no alert is shown under the
# draft's title and value.
printf 'rules:\n  - id: conflicts-high\n    title: Ma version\n    value: 2 * conflicts\n    above: { warning: 1 }\n' >"$T/rules.d/05-draft.yaml"
web_start
expect_grep "$T/rules.d/05-draft.yaml has errors (above), or gives a rule id another file gives" "$T/web.log"
expect_grep "$T/rules.d/r.yaml has errors (above), or gives a rule id another file gives" "$T/web.log"
expect_eq "$(login "$J" rh)" 303 "login again"
expect_eq "$(req "$J" GET /rules)" 200 "the rules page with a clash"
expect_no_grep "Ma version" "$T/b"
expect_grep "Brouillon" "$T/b"
web_stop
exit 0
