#!/usr/bin/env bash
# SIGKILL between an inbox import's commit and the end of its pass loses
# none of its warnings (SPEC 13): they are recorded with the import, and the
# next pass writes NAME.warnings.txt, says them in the journal, fills the
# import log and mails ops "File imported, to check", once. The kill lands
# there deterministically: a second file of the pass, written in place
# (not renamed in), keeps the pass waiting up to 2 s for it to settle
# after the first is imported and moved.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1
source "$VIGIE_SRC/tests/integration/notify_lib.sh"
command -v sqlite3 >/dev/null || { echo "sqlite3 missing"; exit 77; }

sp=$(free_port)
notify_smtpd "$T/mail" "$sp"
make_config "locale: en
$(smtp_plain "$sp")
recipients:
  ops:
    - email: [ops@example.org]"
conflicts_rule
# One warning, at line 3: more days of absence than workable days.
warn_csv() { printf 'unit,period,headcount,conflicts,workable_days,absence_days\nacme/a,%s,20,1,400,12\nacme/b,%s,6,0,120,130\n' "$1" "$1"; }

# kill_in_pass NAME PERIOD: drops NAME (with its warning, renamed in) and
# z.csv (written in place) together, starts vigied, and SIGKILLs it once
# NAME has been imported, while z.csv settles.
kill_in_pass() {
	warn_csv "$2" >"$T/$1"
	touch -d '1 minute ago' "$T/$1"
	mv "$T/$1" "$T/inbox/$1"
	printf 'unit,period,headcount,conflicts\nacme/c,%s,20,0\n' "$2" >"$T/inbox/z.csv"
	"$VIGIED" -c "$T/vigie.yaml" 2>"$T/killed.err" &
	local pid=$! i
	PIDS+=("$pid")
	for i in $(seq 1 150); do
		grep -q "imported $1" "$T/killed.err" && break
		sleep 0.01
	done
	kill -KILL "$pid"
	wait "$pid" 2>/dev/null
	expect_grep "imported $1: 2 rows" "$T/killed.err"
	# Killed within the pass: z.csv not taken, nothing told yet.
	expect_no_grep "z.csv" "$T/killed.err"
	expect_no_grep "imported with" "$T/killed.err"
	[ -e "$T/inbox/z.csv" ] || fail "the kill came after the end of the pass"
	rm "$T/inbox/z.csv"
}
# mails_to_check NAME: the emails to ops whose subject is NAME's notice.
mails_to_check() {
	$PY - "$T/mail" "$1" <<'PY'
import email, email.header, glob, sys
n = 0
for f in glob.glob(sys.argv[1] + "/*-ops@example.org.eml"):
    m = email.message_from_bytes(open(f, "rb").read())
    subject = str(email.header.make_header(email.header.decode_header(m["Subject"])))
    n += subject == "[Vigie] File imported, to check: " + sys.argv[2]
print(n)
PY
}

# 1. Killed after the file was moved to processed/.
kill_in_pass a.csv 2026-01
[ -e "$T/inbox/processed/a.csv" ] || fail "a.csv not moved"
[ ! -e "$T/inbox/processed/a.csv.warnings.txt" ] || fail "told before the kill"
expect_eq "$(db "SELECT warnings, untold FROM import_log WHERE source = 'a.csv'")" "1|a.csv" \
	"the warnings recorded with the import, still to tell"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_grep "<6>vigied: a.csv: its warnings were not told when it was imported (the daemon stopped before the end of that pass): told now" "$T/err"
expect_grep "a.csv: imported with 1 warning, the first at line 3, column " "$T/err"
expect_grep "; they are in $T/inbox/processed/a.csv.warnings.txt" "$T/err"
expect_grep "a.csv:3:" "$T/inbox/processed/a.csv.warnings.txt"
expect_grep "acme/b" "$T/inbox/processed/a.csv.warnings.txt"
expect_eq "$(db "SELECT warnings, ifnull(untold, 'told') FROM import_log WHERE source = 'a.csv'")" "1|told"
expect_eq "$(mails_to_check a.csv)" 1 "ops mails for a.csv"
# Once: another run tells nothing again.
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_no_grep "a.csv" "$T/err"
expect_eq "$(mails_to_check a.csv)" 1 "ops mails for a.csv after another run"

# 2. Killed before the file was moved: processed/ cannot be written (a
# file in its place), so the file stays in the inbox as after a kill
# between the commit and the move. The restart finds it already imported,
# moves it, and tells its warnings beside it.
mv "$T/inbox/processed" "$T/processed.away"
: >"$T/inbox/processed"
kill_in_pass b.csv 2026-02
[ -e "$T/inbox/b.csv" ] || fail "b.csv moved"
expect_eq "$(db "SELECT warnings, quote(untold) FROM import_log WHERE source = 'b.csv'")" "1|''"
rm "$T/inbox/processed"
mv "$T/processed.away" "$T/inbox/processed"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_grep "b.csv: this content was already imported under this name; not imported again, moved to $T/inbox/processed" "$T/err"
expect_grep "b.csv: imported with 1 warning, the first at line 3, column " "$T/err"
expect_grep "b.csv:3:" "$T/inbox/processed/b.csv.warnings.txt"
expect_eq "$(mails_to_check b.csv)" 1 "ops mails for b.csv"
expect_eq "$(db "SELECT count(*) FROM import_log WHERE untold IS NOT NULL")" 0

# A daemon killed between writing a file's warnings (or errors) and
# renaming them in place leaves NAME.warnings.txt.tmpPID: the next
# daemon's first pass removes it, and nothing else.
: >"$T/inbox/processed/b.csv.warnings.txt.tmp4242"
: >"$T/inbox/rejected/x.csv.errors.txt.tmp17"
: >"$T/inbox/processed/notes.txt.tmp3"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
[ -e "$T/inbox/processed/b.csv.warnings.txt.tmp4242" ] && fail "warnings left by a killed daemon kept"
[ -e "$T/inbox/rejected/x.csv.errors.txt.tmp17" ] && fail "errors left by a killed daemon kept"
[ -e "$T/inbox/processed/notes.txt.tmp3" ] || fail "another file removed"
expect_grep "removed $T/inbox/processed/b.csv.warnings.txt.tmp4242, left by a daemon stopped while writing it" "$T/err"
exit 0
