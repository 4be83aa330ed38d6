#!/usr/bin/env bash
# Vigie's own notices keep the generic webhook's contract (SPEC 9,
# vigie.yaml(5) WEBHOOKS): one id per condition, an event a receiver that
# keys its tickets on id and closes them on "resolved" handles. Missing
# data is vigie-stale-data, "firing" when data goes missing and "resolved"
# when it comes back, two posts with the same id; each rejected inbox file
# is vigie-rejected-file:NAME (its name in rejected/: bad.csv.1 for the
# second bad.csv), each file imported with warnings
# vigie-file-warnings:NAME, both "firing"; the test message is vigie-test,
# event "test". In the Alertmanager format, two rejected files are two
# label sets (a label file, the file's name), and every alert's
# generatorURL is its console link. « plus de 1 seconde », singular.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1
source "$VIGIE_SRC/tests/integration/notify_lib.sh"

notify_data
tport=$(free_port)
notify_webhook "$T/tickets.log" "$tport"
aport=$(free_port)
notify_webhook "$T/am.log" "$aport"
make_config "stale_after: 1s
web:
  url: https://vigie.example.org
webhooks:
  tickets:
    url: http://127.0.0.1:$tport/hook
    timeout: 5s
  am:
    url: http://127.0.0.1:$aport
    format: alertmanager
    instance: rps
    timeout: 5s
recipients:
  ops:
    - webhook: [tickets, am]
  hr:
    - webhook: [am]
  social-worker:
    - webhook: [am]"

# system_alerts LOG: each system notice the receiver got, one compact JSON
# line each, in order, the instants as TIME and the test folder as T.
system_alerts() {
	$PY - "$1" "$T" <<'PY'
import json, re, sys
for l in open(sys.argv[1]):
    for a in json.loads(json.loads(l)["body"])["alerts"]:
        if a["rule"] is None:
            s = json.dumps(a, ensure_ascii=False, separators=(",", ":"))
            s = re.sub(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", "TIME", s)
            print(s.replace(sys.argv[2], "T"))
PY
}

# Missing data: the first cycle starts the watch; past stale_after (whole
# seconds, to be exceeded), the next tells of it; an import ends it.
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
sleep 3.1
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_grep "no data imported since" "$T/err"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/data.csv"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_grep "data received again" "$T/err"
expect_eq "$(system_alerts "$T/tickets.log")" \
'{"id":"vigie-stale-data","event":"firing","rule":null,"title":"Données manquantes","unit":null,"period":null,"severity":null,"value":null,"threshold":null,"since":null,"summary":"Aucune donnée importée depuis TIME (plus de 1 seconde).","guidance":null,"labels":{},"history":[],"url":"https://vigie.example.org/"}
{"id":"vigie-stale-data","event":"resolved","rule":null,"title":"Données de nouveau reçues","unit":null,"period":null,"severity":null,"value":null,"threshold":null,"since":null,"summary":"Des données ont de nouveau été importées (TIME).","guidance":null,"labels":{},"history":[],"url":"https://vigie.example.org/"}' \
	"missing data, then data back, to the generic webhook"
expect_eq "$(grep -c . "$T/tickets.log")" 2 "posts to the generic webhook"

# Two rejected files and one imported with warnings, in one cycle: an id
# each.
: >"$T/tickets.log"
: >"$T/am.log"
put() { cat >"$T/.stage" && mv "$T/.stage" "$T/inbox/$1"; }
printf 'unit;period;headcount\n"acme/x";2026-13;abc\n' | put bad.csv
printf 'unit;period;headcount\n"acme/y";2026-14;x\n' | put other.csv
printf 'unit,period,headcount,conflics\nacme/nancy/logistique,2026-02,20,1\n' | put warn.csv
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
[ -e "$T/inbox/processed/warn.csv" ] || fail "warn.csv not imported: $(cat "$T/err")"
expect_eq "$(system_alerts "$T/tickets.log" | $PY -c '
import json, sys
for l in sys.stdin:
    a = json.loads(l)
    print(a["id"], a["event"], a["title"], a["unit"], a["period"], a["severity"])')" \
"vigie-rejected-file:bad.csv firing Fichier rejeté : bad.csv None None None
vigie-rejected-file:other.csv firing Fichier rejeté : other.csv None None None
vigie-file-warnings:warn.csv firing Fichier importé, à vérifier : warn.csv None None None" \
	"rejected files and a file to check, to the generic webhook"
# Alertmanager: one label set per file, the console's front page as the
# source of each.
expect_eq "$($PY - "$T/am.log" <<'PY'
import json, sys
for l in open(sys.argv[1]):
    for a in json.loads(json.loads(l)["body"]):
        if a["labels"]["alertname"].startswith("vigie-"):
            print(json.dumps(a["labels"], sort_keys=True), a["generatorURL"], a["annotations"]["url"])
PY
)" '{"alertname": "vigie-rejected-file", "file": "bad.csv", "instance": "rps", "source": "vigie"} https://vigie.example.org/ https://vigie.example.org/
{"alertname": "vigie-rejected-file", "file": "other.csv", "instance": "rps", "source": "vigie"} https://vigie.example.org/ https://vigie.example.org/
{"alertname": "vigie-file-warnings", "file": "warn.csv", "instance": "rps", "source": "vigie"} https://vigie.example.org/ https://vigie.example.org/' \
	"rejected files and a file to check, to Alertmanager"

# The same name again (a monthly export, rejected twice): the second is
# kept as bad.csv.1, and its notice is its own: its id, its label and
# its errors are bad.csv.1's, not the first file's.
: >"$T/tickets.log"
: >"$T/am.log"
printf 'unit;period;headcount\n"acme/z";2026-15;y\n"acme/z";2026-16;y\n' | put bad.csv
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_grep "bad.csv rejected, nothing imported; moved to $T/inbox/rejected/bad.csv.1 with the errors in bad.csv.1.errors.txt:" "$T/err"
expect_eq "$(system_alerts "$T/tickets.log" | $PY -c '
import json, sys
for l in sys.stdin:
    a = json.loads(l)
    print(a["id"], a["event"], a["title"], a["summary"], sep="|")')" \
"vigie-rejected-file:bad.csv.1|firing|Fichier rejeté : bad.csv|Rien n'a été importé : 4 erreurs, la première ligne 2, colonne 10. Le fichier est dans T/inbox/rejected sous le nom bad.csv.1, avec ses erreurs dans bad.csv.1.errors.txt." \
	"the second bad.csv, to the generic webhook"
expect_grep "bad.csv:2:10: error: " "$T/inbox/rejected/bad.csv.1.errors.txt"
expect_eq "$(grep -c error: "$T/inbox/rejected/bad.csv.1.errors.txt")" 4 "errors of the second bad.csv"
expect_eq "$($PY - "$T/am.log" <<'PY'
import json, sys
for l in open(sys.argv[1]):
    for a in json.loads(json.loads(l)["body"]):
        if a["labels"]["alertname"] == "vigie-rejected-file":
            print(a["labels"]["file"])
PY
)" "bad.csv.1" "the second bad.csv's label to Alertmanager (the first's: bad.csv)"

# A rule's alert: its page is its generatorURL.
expect_eq "$($PY - "$T/am.log" <<'PY'
import json, sys
for l in open(sys.argv[1]):
    for a in json.loads(json.loads(l)["body"]):
        if a["labels"]["alertname"] == "conflicts-high":
            print(a["labels"]["unit"], a["generatorURL"], a["annotations"]["url"] == a["generatorURL"])
PY
)" "acme/metz/accueil https://vigie.example.org/alerts/conflicts-high@acme/metz/accueil True
acme/nancy/logistique https://vigie.example.org/alerts/conflicts-high@acme/nancy/logistique True" \
	"generatorURL of a rule's alert"

# A file to check, told to a role that may import from the console:
# where it reads the warnings there too (the path is the server's).
sed -i 's|^  url: https://vigie.example.org$|&\n  import_roles: [hr, ops]|' "$T/vigie.yaml"
: >"$T/tickets.log"
printf 'unit,period,headcount,resignatoins\nacme/nancy/logistique,2026-02,20,1\n' | put warn2.csv
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_eq "$(system_alerts "$T/tickets.log" | $PY -c '
import json, sys
for l in sys.stdin:
    a = json.loads(l)
    print(a["id"], a["summary"], sep="|")')" \
"vigie-file-warnings:warn2.csv|Le fichier est importé, avec 1 avertissement, le premier ligne 1, colonne 23 : à lire avant le prochain export. Ils sont dans T/inbox/processed/warn2.csv.warnings.txt, et sur la page d'import de la console : https://vigie.example.org/import." \
	"a file to check, told to a role that may import from the console"

# The test message.
: >"$T/tickets.log"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" notify-test ops
expect_eq "$(system_alerts "$T/tickets.log" | $PY -c '
import json, sys
for l in sys.stdin:
    a = json.loads(l)
    print(a["id"], a["event"], a["rule"], a["unit"], a["severity"])')" \
	"vigie-test test None None None" "the test message to the generic webhook"
exit 0
