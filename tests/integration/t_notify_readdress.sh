#!/usr/bin/env bash
# SPEC 9, 10: a notification not yet delivered whose recipient left the
# configuration goes to the recipients the role has now: after a reload
# that replaced an address, and after `vigie retry --failed` once a
# mistyped, refused address was corrected. The old address gets nothing;
# the old message says it was readdressed; nothing is sent twice.
source "$VIGIE_SRC/tests/integration/lib.sh"
source "$VIGIE_SRC/tests/integration/notify_lib.sh"
command -v sqlite3 >/dev/null || { echo "sqlite3 missing"; exit 77; }

notify_data
sp=$(free_port)
# config ADDRESS: hr's one route, by email over plain SMTP on loopback.
config() {
	make_config "smtp: { url: \"smtp://127.0.0.1:$sp\", starttls: none, from: vigie@example.org }
recipients:
  hr:
    - email: [$1]
default_notify: [hr]"
}

# --- 1. the server down, then the address replaced ---
config marie@example.org
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/data.csv"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_eq "$(notify_sql "SELECT target || ' ' || status FROM message")" \
	"marie@example.org pending" "with the server down"
config paul@example.org
notify_smtpd "$T/mail1" "$sp"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_grep "readdressed: no longer a recipient of hr" "$T/err"
expect_eq "$(notify_sql "SELECT target || ' ' || status FROM message ORDER BY id")" \
	"marie@example.org readdressed
paul@example.org sent" "after the address was replaced"
expect_eq "$(notify_count "$T/mail1")" 1 "emails sent"
grep -l "paul@example.org" "$T/mail1"/*.eml >/dev/null || fail "paul got nothing"
! grep -l "marie@example.org" "$T/mail1"/*.eml >/dev/null 2>&1 || fail "marie got the email"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_eq "$(notify_count "$T/mail1")" 1 "emails after another cycle"
notify_stop "$SMTPD_PID"

# --- 2. a refused, mistyped address, corrected, then vigie retry --failed ---
rm -f "$T/vigie.db"*
config drh@exampel.org
notify_smtpd "$T/mail2" "$sp" --refuse drh@exampel.org
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/data.csv"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_eq "$(notify_sql "SELECT target || ' ' || status FROM message")" \
	"drh@exampel.org failed" "refused"
config drh@example.org
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" retry --failed
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_eq "$(notify_sql "SELECT target || ' ' || status FROM message ORDER BY id")" \
	"drh@exampel.org readdressed
drh@example.org sent" "after the correction and vigie retry --failed"
grep -l "drh@example.org" "$T/mail2"/*.eml >/dev/null || fail "drh@example.org got nothing"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" status
expect_grep "0 failed" "$T/out"
exit 0
