#!/usr/bin/env bash
# The works council report is written aside (vigie(1), vigie-web(8)): into
# an unnamed file of the database's folder (on disk, not held whole in
# memory: a report of 10,000 teams is some 300 MB), then copied to -o, the
# standard output or the console's answer. Nothing is left in the folder,
# after a report or after a failure; a folder that fills up while the
# report is written is a clear error (exit 74; 500 in the console, with the
# reason in its log, and the console goes on) that leaves the file -o
# names as it was and writes no export into the audit log; so is a folder
# where the file cannot be made at all.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1
command -v curl >/dev/null || { echo "curl missing"; exit 77; }

PORT=$(free_port)
mkdir -p "$T/rules.d" "$T/db" && cp "$SRC"/etc/rules.d/*.yaml "$T/rules.d/"
config() {	# FOLDER: the configuration, with the database in FOLDER
	cat >"$T/vigie.yaml" <<YAML
database: $1/vigie.db
rules: $T/rules.d
smtp:
  url: smtp://127.0.0.1:9
  from: vigie@example.org
recipients:
  hr:
    - email: [drh@example.org]
web:
  listen: 127.0.0.1:$PORT
YAML
}
config "$T/db"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$SRC"/contrib/demo/valdis-*.csv
R="$VIGIE -c $T/vigie.yaml report --from 2025-11 --to 2026-10"
exports() { sqlite3 "$T/db/vigie.db" "SELECT count(*) FROM audit WHERE action = 'export'"; }
folder() { ls -A "$T/db" | grep -v '^vigie\.db' | tr '\n' ' '; }

# ---- a report leaves nothing behind in the database's folder
for f in pdf html json; do
	expect_exit 0 $R --format $f -o "$T/r.$f"
	expect_eq "$(folder)" "" "what the $f report left beside the database"
done
expect_eq "$(head -c 5 "$T/r.pdf")" "%PDF-" "a PDF"
expect_exit 0 $R --format html
cmp "$T/out" "$T/r.html" || fail "the report on the standard output differs from -o's"
cp "$T/r.pdf" "$T/kept.pdf"
n0=$(exports)

# ---- a folder that fills up while the report is written: the database
# copied into a file system of its size and ROOM KiB more (64 by default),
# mounted in a mount namespace of the run's own
SMALL='size=$(( $(du -sk "$0.copy" | cut -f1) + ${ROOM:-64} ))k &&
	mount -t tmpfs -o size=$size,mode=0700 tmpfs "$0" &&
	cp -p "$0.copy"/vigie.db* "$0"/ && exec "$@"'
small() { unshare -m sh -c "$SMALL" "$T/db" "$@"; }	# CMD...: on the small file system
if ! unshare -m true 2>/dev/null; then
	echo "no mount namespace (unshare -m): a full folder not tested"
	exit 0
fi
cp -rp "$T/db" "$T/db.copy"
small $R --format html -o "$T/r.pdf" 2>"$T/err"
expect_eq "$?" 74 "the exit status of an HTML report into a full folder"
expect_eq "$(cat "$T/err")" "vigie report: cannot write the report: No space left on device" "the message"
# The PDF filling the disk at different points of the document: cairo 1.16
# aborts when told of a failed write at some of them (the database's
# 32 KiB of shared memory, then 80 KiB of PDF, here).
for room in 48 64 80 96 112 128 144 160; do
	ROOM=$room small $R --format pdf -o "$T/r.pdf" 2>"$T/err"
	expect_eq "$?" 74 "the exit status of a PDF report into a full folder ($room KiB of room)"
	expect_eq "$(cat "$T/err")" "vigie report: cannot write the PDF: No space left on device" "the message"
done
# A folder where no file can be made at all (every inode taken but the
# two the database's -wal and -shm need): the report cannot even start.
NOINODE='mount -t tmpfs -o size=64m,nr_inodes=64,mode=0700 tmpfs "$0" &&
	cp -p "$0.copy"/vigie.db "$0"/ && i=0 &&
	while [ $i -lt 100 ] && touch "$0/.f$i" 2>/dev/null; do i=$((i + 1)); done &&
	rm "$0/.f0" "$0/.f1" && exec "$@"'
unshare -m sh -c "$NOINODE" "$T/db" $R --format pdf -o "$T/r.pdf" 2>"$T/err"
expect_eq "$?" 74 "the exit status of a report where no file can be made"
expect_eq "$(cat "$T/err")" "vigie report: cannot create a temporary file in $T/db: No space left on device" "the message"
cmp "$T/r.pdf" "$T/kept.pdf" || fail "a report into a full folder changed the file -o names"
expect_eq "$(exports)" "$n0" "a failed report's audit entry"
expect_eq "$(folder)" "" "what the failed reports left beside the database"

# ---- the console: the same file, then the same failure, and it goes on
web_user rh hr
J=$T/jar
web_start
expect_eq "$(login "$J" rh)" 303 "rh logs in"
tok=$(csrf "$J" /report)
SPAN="from=2025-11&to=2026-10&unit="
for f in html pdf; do
	expect_eq "$(req "$J" POST /report --data "csrf=$tok&$SPAN&format=$f")" 200 "the $f report"
	expect_eq "$(tr -d '\r' <"$T/h" | sed -n 's/^Content-Length: //p')" "$(stat -c %s "$T/b")" "the $f report's length"
	expect_eq "$(folder)" "" "what the console's $f report left beside the database"
done
expect_eq "$(head -c 5 "$T/b")" "%PDF-" "a PDF from the console"
expect_eq "$(exports)" "$((n0 + 2))" "the console's exports"
web_stop
rm -rf "$T/db.copy" && cp -rp "$T/db" "$T/db.copy"
(exec unshare -m sh -c "$SMALL" "$T/db" "$VIGIE_BIN/vigie-web" -c "$T/vigie.yaml") 2>>"$T/web.log" &
WEB=$!
PIDS+=("$WEB")
wait_for curl -s -o /dev/null "$BASE/login" || { cat "$T/web.log"; fail "vigie-web did not start"; }
expect_eq "$(login "$J" rh)" 303 "rh logs in once more"
tok=$(csrf "$J" /report)
for f in pdf html; do
	expect_eq "$(req "$J" POST /report --data "csrf=$tok&$SPAN&format=$f")" 500 "a $f report into a full folder"
done
expect_grep "the works council report failed: cannot write the PDF: No space left on device" "$T/web.log"
expect_grep "the works council report failed: cannot write the report: No space left on device" "$T/web.log"
expect_eq "$(req "$J" GET /report)" 200 "the console after two failed reports"
web_stop
