#!/usr/bin/env bash
# vigied and vigie-web on one database agree on which file it is (SPEC 8,
# 14). A reload whose database: (or period:) changed is refused by both,
# which keep running on the one they opened and say why; vigied's refusal
# is a failed reload for vigie status and the metrics. A restore done
# with both running (a backup copied over vigie.db, its -wal and -shm
# deleted) leaves neither writing into files nobody reads: the console
# answers the next request 503 without saving it, and each stops with
# exit 74 and a line naming the file and what to do.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1
command -v curl >/dev/null || { echo "curl missing"; exit 77; }
command -v sqlite3 >/dev/null || { echo "sqlite3 missing"; exit 77; }

web_nancy_console
echo "metrics_file: $T/vigie.prom" >>"$T/vigie.yaml"
"$VIGIED" -c "$T/vigie.yaml" 2>"$T/vigied.log" &
VPID=$!
PIDS+=("$VPID")
wait_for grep -q "started:" "$T/vigied.log" || { cat "$T/vigied.log"; fail "vigied did not start"; }
A=/alerts/absenteeism-rate@valdis/nancy/production-nuit
notes() { db "SELECT count(*) FROM note"; }

# --- 1. A reload to another database: refused by both ---
cp "$T/vigie.yaml" "$T/vigie.yaml.orig"
sed -i "s|^database: .*|database: $T/other.db|" "$T/vigie.yaml"
kill -HUP "$VPID" "$WEB"
refusal="reload refused; still running with the previous configuration and rules: database: changed from $T/vigie.db to $T/other.db; restart to change the database (vigied and vigie-web, which keep the one they opened)"
refused() { grep -qF "$refusal" "$1"; }
wait_for refused "$T/vigied.log" || { cat "$T/vigied.log"; fail "vigied followed the new database"; }
wait_for refused "$T/web.log" || { cat "$T/web.log"; fail "vigie-web reloaded"; }
expect_no_grep "reloaded" "$T/vigied.log"
expect_no_grep "reloaded" "$T/web.log"
[ -e "$T/other.db" ] && fail "the new database was created"
is_failed() { grep -qx "vigie_config_last_reload_successful 0" "$T/vigie.prom"; }
wait_for is_failed || { cat "$T/vigie.prom"; fail "the metric of the refused reload"; }
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml.orig" status
expect_grep "daemon:       running (pid $VPID)" "$T/out"
expect_grep "reload:       failed at " "$T/out"
# Both still on the one database: a note from the console is in it.
n0=$(notes)
tok=$(csrf "$M" "$A")
expect_eq "$(req "$M" POST "$A" --data "action=note&csrf=$tok&body=Note+avant+la+sauvegarde")" 303 "a note after the refused reload"
expect_eq "$(notes)" $((n0 + 1)) "the note in the database both run on"
mv "$T/vigie.yaml.orig" "$T/vigie.yaml"
kill -HUP "$VPID" "$WEB"
reloaded() { grep -q "reloaded" "$1"; }
wait_for reloaded "$T/vigied.log" || { cat "$T/vigied.log"; fail "vigied did not reload"; }
wait_for reloaded "$T/web.log" || { cat "$T/web.log"; fail "vigie-web did not reload"; }
# A key the console reads at its start only: the reload says it waits.
expect_no_grep "changed: vigie-web keeps" "$T/web.log"
sed -i "s|^web:|web:\n  url: https://vigie.example.org|" "$T/vigie.yaml"
kill -HUP "$WEB"
kept() { grep -qF "web.url changed: vigie-web keeps what it read at its start until it is restarted (systemctl restart vigie-web)" "$T/web.log"; }
wait_for kept || { cat "$T/web.log"; fail "vigie-web did not say web.url waits for a restart"; }

# --- 2. A restore done with both running ---
(umask 077; sqlite3 "$T/vigie.db" ".backup '$T/backup.db'")
n1=$(notes)
expect_eq "$(req "$M" POST "$A" --data "action=note&csrf=$tok&body=Note+apres+la+sauvegarde")" 303 "a note after the backup"
expect_eq "$(notes)" $((n1 + 1)) "the note after the backup"
# The backup copied over the file in place (its inode stays) and SQLite's
# files beside it deleted, vigied and vigie-web left running.
cp "$T/backup.db" "$T/vigie.db"
rm -f "$T/vigie.db-wal" "$T/vigie.db-shm"
expect_eq "$(req "$M" POST "$A" --data "action=note&csrf=$tok&body=Note+apres+la+restauration")" 503 "a note after the restore"
NNBSP=$'\u202f'
expect_grep "La console s&#39;arrête${NNBSP}: sa base de données a été remplacée ou supprimée. Rien n&#39;a été enregistré${NNBSP}; réessayez quand elle aura redémarré." "$T/b"
gone="the write-ahead log $T/vigie.db-wal was deleted while in use"
wait "$WEB"
rc=$?
[ $rc = 74 ] || { cat "$T/web.log"; fail "vigie-web exited $rc after the restore, expected 74"; }
expect_grep "$gone: vigie-web stops, or what it writes would be lost; stop vigied too, restore the database with both stopped (README, Backups), and start them again" "$T/web.log"
expect_eq "$(grep -c "was deleted while in use" "$T/web.log")" 1 "one line"
# vigied, idle, notices within a poll of its data watch.
for i in $(seq 1 150); do kill -0 "$VPID" 2>/dev/null || break; sleep 0.1; done
kill -0 "$VPID" 2>/dev/null && { kill -KILL "$VPID"; cat "$T/vigied.log"; fail "vigied kept running on the restored database"; }
wait "$VPID"
rc=$?
[ $rc = 74 ] || { cat "$T/vigied.log"; fail "vigied exited $rc after the restore, expected 74"; }
expect_grep "$gone: vigied stops, or what it writes would be lost; stop vigie-web too, restore the database with both stopped (README, Backups), and start them again" "$T/vigied.log"
PIDS=()
# Neither wrote its old log into the restored file on its way out: it is
# the backup, whole.
expect_eq "$(db "PRAGMA integrity_check")" ok "the restored file"
expect_eq "$(notes)" "$n1" "the restored file holds the backup's notes"
# Started again, both run on it; the console's notes are saved.
"$VIGIED" -c "$T/vigie.yaml" 2>"$T/vigied2.log" &
VPID=$!
PIDS+=("$VPID")
wait_for grep -q "started:" "$T/vigied2.log" || { cat "$T/vigied2.log"; fail "vigied did not start again"; }
web_start
expect_eq "$(login "$M" marie)" 303 "marie logs in again"
tok=$(csrf "$M" "$A")
expect_eq "$(req "$M" POST "$A" --data "action=note&csrf=$tok&body=Note+apres+le+redemarrage")" 303 "a note after the restart"
expect_eq "$(notes)" $((n1 + 1)) "the note after the restart"
web_stop
exit 0
