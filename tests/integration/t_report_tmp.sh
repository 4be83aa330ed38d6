#!/usr/bin/env bash
# The works council report is written aside (vigie(1), vigie-web(8)): into
# an unnamed file of $TMPDIR (or /tmp), never held whole in memory (a
# report of 10,000 teams is some 300 MB), then copied to -o, the standard
# output or the console's answer. Nothing is left in $TMPDIR, after a
# report or after a failure; a $TMPDIR that does not exist, or that fills
# up while the report is written, is a clear error (exit 74, 500 in the
# console with the reason in its log) that leaves the file -o names as it
# was and writes no export into the audit log.
source "$VIGIE_SRC/tests/integration/lib.sh"
command -v curl >/dev/null || { echo "curl missing"; exit 77; }

PORT=$(free_port)
web_demo_config "$T/vigie.yaml"
printf 'web:\n  listen: 127.0.0.1:%s\n' "$PORT" >>"$T/vigie.yaml"
mkdir -p "$T/rules.d" && cp "$SRC"/etc/rules.d/*.yaml "$T/rules.d/"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$SRC"/contrib/demo/valdis-*.csv
R="$VIGIE -c $T/vigie.yaml report --from 2025-11 --to 2026-10"
exports() { sqlite3 "$T/vigie.db" "SELECT count(*) FROM audit WHERE action = 'export'"; }
mkdir "$T/tmp"

# ---- a report leaves nothing behind in $TMPDIR
for f in pdf html json; do
	TMPDIR=$T/tmp expect_exit 0 $R --format $f -o "$T/r.$f"
	expect_eq "$(ls -A "$T/tmp")" "" "what the $f report left in \$TMPDIR"
done
expect_eq "$(head -c 5 "$T/r.pdf")" "%PDF-" "a PDF"
TMPDIR=$T/tmp expect_exit 0 $R --format html
cmp "$T/out" "$T/r.html" || fail "the report on the standard output differs from -o's"
n0=$(exports)
cp "$T/r.pdf" "$T/kept.pdf"

# ---- a $TMPDIR that does not exist
TMPDIR=$T/none expect_exit 74 $R --format pdf -o "$T/r.pdf"
expect_eq "$(cat "$T/err")" "vigie report: cannot create a temporary file in $T/none: No such file or directory" "the message"
cmp "$T/r.pdf" "$T/kept.pdf" || fail "a failed report changed the file -o names"
expect_eq "$(exports)" "$n0" "a failed report's audit entry"

# ---- a $TMPDIR that fills up while the report is written (a file system
# of 64 KiB, mounted in a mount namespace of the run's own)
full() {	# FORMAT: the report into a full $TMPDIR
	unshare -m sh -c 'mount -t tmpfs -o size=64k,mode=0700 tmpfs "$1" && shift &&
		TMPDIR=$0 exec "$@" >"$0.out" 2>"$0.err"' "$T/full" "$T/full" \
		$R --format "$1" -o "$T/r.pdf"
}
mkdir "$T/full"
NS=''
unshare -m sh -c 'mount -t tmpfs tmpfs "$1"' sh "$T/full" 2>/dev/null && NS=yes
if [ -n "$NS" ]; then
	full pdf
	expect_eq "$?" 74 "the exit status of a report into a full \$TMPDIR"
	expect_eq "$(cat "$T/full.err")" "vigie report: cannot write the PDF: No space left on device" "the message"
	full html
	expect_eq "$?" 74 "the exit status of an HTML report into a full \$TMPDIR"
	expect_eq "$(cat "$T/full.err")" "vigie report: cannot write the report: No space left on device" "the message"
	cmp "$T/r.pdf" "$T/kept.pdf" || fail "a report into a full \$TMPDIR changed the file -o names"
	expect_eq "$(exports)" "$n0" "a failed report's audit entry"
else
	echo "no mount namespace (unshare -m): a full \$TMPDIR not tested"
fi

# ---- the console: the same file, and the same failure
web_user rh hr
J=$T/jar
TMPDIR=$T/none web_start
expect_eq "$(login "$J" rh)" 303 "rh logs in"
tok=$(csrf "$J" /report)
SPAN="from=2025-11&to=2026-10&unit="
expect_eq "$(req "$J" POST /report --data "csrf=$tok&$SPAN&format=html")" 500 "a report without its temporary file"
expect_grep "the works council report failed: cannot create a temporary file in $T/none: No such file or directory" "$T/web.log"
expect_eq "$(exports)" "$n0" "a failed download's audit entry"
web_stop
TMPDIR=$T/tmp web_start
expect_eq "$(login "$J" rh)" 303 "rh logs in again"
tok=$(csrf "$J" /report)
for f in html pdf; do
	expect_eq "$(req "$J" POST /report --data "csrf=$tok&$SPAN&format=$f")" 200 "the $f report"
	expect_eq "$(tr -d '\r' <"$T/h" | sed -n 's/^Content-Length: //p')" "$(stat -c %s "$T/b")" "the $f report's length"
	expect_eq "$(ls -A "$T/tmp")" "" "what the console's $f report left in \$TMPDIR"
done
expect_eq "$(head -c 5 "$T/b")" "%PDF-" "a PDF from the console"
expect_eq "$(exports)" "$((n0 + 2))" "the console's exports"
web_stop
# A console whose $TMPDIR fills up: a 500 for that report, and the console
# goes on (cairo is never told of the failed write: cairo 1.16 can abort).
if [ -n "$NS" ]; then
	unshare -m sh -c 'mount -t tmpfs -o size=64k,mode=0700 tmpfs "$0" &&
		TMPDIR=$0 exec "$@"' "$T/full" "$VIGIE_BIN/vigie-web" -c "$T/vigie.yaml" \
		2>>"$T/web.log" &
	WEB=$!
	PIDS+=("$WEB")
	wait_for curl -s -o /dev/null "$BASE/login" || { cat "$T/web.log"; fail "vigie-web did not start"; }
	expect_eq "$(login "$J" rh)" 303 "rh logs in once more"
	tok=$(csrf "$J" /report)
	for f in pdf html; do
		expect_eq "$(req "$J" POST /report --data "csrf=$tok&$SPAN&format=$f")" 500 "a $f report into a full \$TMPDIR"
	done
	expect_grep "the works council report failed: cannot write the PDF: No space left on device" "$T/web.log"
	expect_grep "the works council report failed: cannot write the report: No space left on device" "$T/web.log"
	expect_eq "$(req "$J" GET /report)" 200 "the console after two failed reports"
	expect_eq "$(exports)" "$((n0 + 2))" "a failed download's audit entry"
	web_stop
fi
