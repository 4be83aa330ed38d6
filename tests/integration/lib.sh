# Shared by the integration tests: a private temporary folder, cleanup of
# every process started, and assertions that say what differed.
set -u
VIGIE="$VIGIE_BIN/vigie"
VIGIED="$VIGIE_BIN/vigied"
SRC="$VIGIE_SRC"
PY=/usr/bin/python3
T=$(mktemp -d /tmp/vigie-test.XXXXXX)
# Files a test writes by a bare name land in its folder, not in the tree
# make check runs from.
cd "$T" || exit 1
PIDS=()
# make memcheck: every vigie/vigied run goes through valgrind memcheck; an
# error or a definite leak makes the command exit 99.
if [ "${VIGIE_VALGRIND:-0}" = 1 ]; then
	mkdir -p "$T/vg"
	for b in vigie vigied; do
		printf '#!/bin/sh\nexec valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite --show-leak-kinds=definite --track-fds=no "%s" "$@"\n' \
		    "$VIGIE_BIN/$b" >"$T/vg/$b"
		chmod +x "$T/vg/$b"
	done
	VIGIE="$T/vg/vigie" VIGIED="$T/vg/vigied"
fi
cleanup() {
	for p in "${PIDS[@]:-}"; do
		[ -n "$p" ] && kill "$p" 2>/dev/null && wait "$p" 2>/dev/null
	done
	rm -rf "$T"
}
trap cleanup EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }
# no_err [WHY]: the last expect_exit wrote nothing on stderr.
# A month of a test's data ended long ago by the clock: an import that
# brings it, after a cycle, is warned of as a history sent month by month
# (vigie(1) import), which only t_import_backfill looks for; no_err leaves
# that warning aside, so that no test depends on today's date.
no_err() {
	grep -qv ' ended [0-9]* \(months\|weeks\) ago: a history imported a ' "$T/err" &&
		fail "unexpected stderr${1:+ ($1)}: $(cat "$T/err")"
	return 0
}
# expect_exit CODE CMD...: runs CMD, stdout to $T/out, stderr to $T/err.
expect_exit() {
	local want=$1; shift
	"$@" >"$T/out" 2>"$T/err"
	local got=$?
	if [ "$got" != "$want" ]; then
		echo "--- stdout"; cat "$T/out"; echo "--- stderr"; cat "$T/err"
		fail "$* exited $got, expected $want"
	fi
}
# expect_grep PATTERN FILE: a fixed string that must appear.
expect_grep() { grep -qF -- "$1" "$2" || { cat "$2"; fail "'$1' not in $2"; }; }
expect_no_grep() { ! grep -qF -- "$1" "$2" || { cat "$2"; fail "'$1' unexpectedly in $2"; }; }
expect_eq() { [ "$1" = "$2" ] || fail "expected '$2', got '$1'${3:+ ($3)}"; }
# db SQL: the test's database, through the sqlite3 shell.
db() { sqlite3 "$T/vigie.db" "$1"; }
# A free TCP port on 127.0.0.1.
free_port() { $PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
# wait_for CMD...: retries for up to 10 s (60 s under valgrind). CMD is run
# again each time: pass a command, not the result of a $(...) expansion.
# as_nobody: when root (who reads and writes any file), the commands of a
# test about permissions run as nobody: "${as[@]}" prefixes them, $T, the
# configuration and the rules are made readable, the inbox and $T/db are
# nobody's, and $VIGIED and $VIGIE run from a copy (the build folder may be
# one nobody cannot enter: a clone made in a mktemp -d folder, 0700). Not
# root: as=() and nothing changes. Exits 77 without setpriv.
as_nobody() {
	as=()
	[ "$(id -u)" = 0 ] || return 0
	command -v setpriv >/dev/null || { echo "setpriv missing"; exit 77; }
	chmod 0711 "$T"
	chmod 0755 "$T/rules.d"
	chmod 0644 "$T/vigie.yaml" "$T"/rules.d/*.yaml
	chown -R nobody "$T/inbox" "$T/db"
	as=(setpriv --reuid=nobody --regid=nogroup --clear-groups)
	mkdir -m 0755 "$T/bin"
	cp "$VIGIED" "$VIGIE" "$T/bin/"
	chmod 0755 "$T/bin"/*
	VIGIED=$T/bin/$(basename "$VIGIED") VIGIE=$T/bin/$(basename "$VIGIE")
}

# wait_for CMD...: until CMD succeeds, 30 s at most (a minute under
# valgrind): the tests run several at a time, under ASan too, and a
# condition met returns at once.
wait_for() {
	local i n=300
	[ "${VIGIE_VALGRIND:-0}" = 1 ] && n=600
	for i in $(seq 1 $n); do "$@" && return 0; sleep 0.1; done
	return 1
}
# The web console at $BASE (set by the test once vigie-web listens).
# req JAR METHOD PATH [curl args...]: status code; headers in $T/h, body in $T/b.
req() {
	local jar=$1 m=$2 p=$3; shift 3
	curl -s ${CURLOPT:-} -b "$jar" -c "$jar" -X "$m" -D "$T/h" -o "$T/b" -w '%{http_code}' "$@" "$BASE$p"
}
# login JAR USER [PASSWORD [CURL-ARGS...]]: the status of the login POST
# (303 when it succeeds), with the CSRF token of the login page.
login() {
	local jar=$1 user=$2 pw=${3:-$PW} tok
	shift $(($# < 3 ? $# : 3))
	req "$jar" GET /login "$@" >/dev/null
	tok=$(sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' "$T/b")
	req "$jar" POST /login --data-urlencode "csrf=$tok" --data-urlencode "user=$user" \
		--data-urlencode "password=$pw" --data-urlencode "next=/" "$@"
}
# count_at_least N LINE FILE: FILE has at least N lines equal to LINE.
count_at_least() { [ "$(grep -cxF -- "$2" "$3" 2>/dev/null)" -ge "$1" ]; }
# The console's accounts and process, for the web tests. web_user NAME
# ROLE [ARGS...]: adds the account with `vigie user add` (ARGS: --scope
# ...), password $PW. web_start: vigie-web on $T/vigie.yaml, whose
# web.listen is 127.0.0.1:$PORT; BASE is set, its pid is WEB, and it is
# stopped at exit. web_stop: SIGTERM, and a failure unless it exits 0 (and,
# under SANITIZE, reports no leak).
PW=${PW:-correct horse battery staple}
web_user() {
	local name=$1 role=$2; shift 2
	echo "$PW" | "$VIGIE" -c "$T/vigie.yaml" user add "$name" --role "$role" "$@" \
		--password-stdin >"$T/out" 2>&1 || { cat "$T/out"; fail "user add $name"; }
}
web_start() {
	BASE="http://127.0.0.1:$PORT"
	"$VIGIE_BIN/vigie-web" -c "$T/vigie.yaml" 2>>"$T/web.log" &
	WEB=$!
	PIDS+=("$WEB")
	wait_for curl -s -o /dev/null "$BASE/login" || { cat "$T/web.log"; fail "vigie-web did not start"; }
}
web_stop() {
	local rc p left=()
	kill -TERM "$WEB"
	wait "$WEB"
	rc=$?
	for p in "${PIDS[@]}"; do [ "$p" = "$WEB" ] || left+=("$p"); done
	PIDS=("${left[@]}")
	[ $rc = 0 ] || { cat "$T/web.log"; fail "vigie-web exited $rc on SIGTERM"; }
}
# csrf JAR PATH: the session's CSRF token, as a page of PATH carries it.
csrf() {
	req "$1" GET "$2" >/dev/null
	sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' "$T/b" | head -n 1
}
# web_demo_setup [CSV...]: the web tests' usual start: the console's rules
# (web-rules.yaml), web_demo_config with web.listen on a free $PORT (and
# BASE), and the demo company imported, with the CSV files given.
web_demo_setup() {
	mkdir -p "$T/rules.d"
	cp "$SRC"/tests/integration/web-rules.yaml "$T/rules.d/10-web.yaml"
	PORT=$(free_port)
	BASE="http://127.0.0.1:$PORT"
	web_demo_config "$T/vigie.yaml"
	printf 'web:\n  listen: 127.0.0.1:%s\n' "$PORT" >>"$T/vigie.yaml"
	expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$SRC"/contrib/demo/valdis-*.csv "$@"
}
# web_nancy_console: web_demo_setup and one cycle; marie and claire, social
# workers of the Nancy site, and rh, HR of the whole company; the console
# started, each of them logged in, their cookie jars in M, C and R.
web_nancy_console() {
	web_demo_setup
	expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
	web_nancy_users
}
# web_nancy_users: web_nancy_console's users, console and logins, for a
# test that sets up the data its own way.
web_nancy_users() {
	web_user marie social-worker --scope valdis/nancy --scope 'valdis/nancy/**'
	web_user claire social-worker --scope valdis/nancy --scope 'valdis/nancy/**'
	web_user rh hr
	web_start
	M=$T/jar.marie C=$T/jar.claire R=$T/jar.rh
	expect_eq "$(login "$M" marie)" 303 "marie logs in"
	expect_eq "$(login "$C" claire)" 303 "claire logs in"
	expect_eq "$(login "$R" rh)" 303 "rh logs in"
}
# The web tests' configuration in FILE: the demo company's social workers
# (one for Nancy, the service for the rest) and HR, mail going nowhere.
web_demo_config() {
	cat >"$1" <<YAML
database: $T/vigie.db
rules: $T/rules.d
smtp:
  url: smtp://127.0.0.1:9
  from: vigie@example.org
  timeout: 1s
recipients:
  social-worker:
    - scope: ["valdis/nancy", "valdis/nancy/**"]
      email: [as@valdis.example]
    - email: [service-social@valdis.example]
  hr:
    - email: [drh@valdis.example]
YAML
}
# hr_config: make_config with HR as the one recipient and mail going
# nowhere (no console).
hr_config() {
	make_config "smtp:
  url: smtp://127.0.0.1:9
  from: vigie@example.org
  timeout: 1s
recipients:
  hr:
    - email: [drh@example.org]"
}
# web_hr_config [YAML]: make_config with YAML first (keys of its own), HR
# as the one recipient, mail going nowhere, and the console on $PORT.
web_hr_config() {
	web_console_config "${1:-}" "  hr:
    - email: [drh@example.org]"
}
# web_console_config YAML RECIPIENTS: make_config with YAML first (may be
# empty), mail going nowhere, the recipients given, the console on $PORT.
web_console_config() {
	make_config "${1:+$1
}smtp:
  url: smtp://127.0.0.1:9
  from: vigie@example.org
  timeout: 1s
recipients:
$2
web:
  listen: 127.0.0.1:$PORT"
}
# web_two_roles_config: HR and the social service as recipients, mail
# going nowhere, and the console on $PORT.
web_two_roles_config() {
	web_console_config "" "  hr:
    - email: [drh@example.org]
  social-worker:
    - email: [as@example.org]"
}
# web_followup_rules: web_conflicts_rule, with grievances-high for HR and
# conflicts-sw for the social service, on the same teams.
web_followup_rules() {
	web_conflicts_rule
	cat >>"$T/rules.d/r.yaml" <<'YAML'
  - id: grievances-high
    title: "Réclamations répétées"
    value: grievances
    above: { warning: 2, critical: 5, clear: 1 }
    scope: "acme/*/*"
    notify: [hr]
  - id: conflicts-sw
    title: "Conflits signalés au service social"
    value: conflicts
    above: { warning: 2, clear: 1 }
    scope: "acme/*/*"
    notify: [social-worker]
YAML
}
# absence_rule: a rule that shows absence_days and never fires, in
# $T/rules.d/abs.yaml, to read a cell through vigie eval (absence_at).
absence_rule() {
	cat >"$T/rules.d/abs.yaml" <<'YAML'
rules:
  - id: abs
    title: Absences
    value: absence_days
    above: { warning: 100000 }
YAML
}
# absence_at UNIT PERIOD: absence_days of UNIT at PERIOD as vigie eval
# shows it (a number, or hidden).
absence_at() {
	"$VIGIE" -c "$T/vigie.yaml" eval --at "$2" --unit "$1" | awk -v u="$1" '$2 == u { print $4 }'
}
# conflicts_rule: one rule in $T/rules.d/r.yaml, conflicts-high on every
# unit, warning above 3 conflicts (the inbox and import tests').
conflicts_rule() {
	cat >"$T/rules.d/r.yaml" <<'YAML'
rules:
  - id: conflicts-high
    title: Conflits
    value: conflicts
    above: { warning: 3 }
YAML
}
# web_conflicts_rule: the console tests' one rule, in $T/rules.d/r.yaml:
# web_conflicts_rule [ROLES]: conflicts-high on the teams (acme/*/*),
# warning at 2 conflicts, critical at 5, clear at 1, notifying ROLES ("hr"
# unless given, e.g. "hr, social-worker").
web_conflicts_rule() {
	cat >"$T/rules.d/r.yaml" <<YAML
rules:
  - id: conflicts-high
    title: "Conflits répétés"
    value: conflicts
    above: { warning: 2, critical: 5, clear: 1 }
    scope: "acme/*/*"
    notify: [${1:-hr}]
YAML
}
# inbox_drop NAME TEXT TENTHS: a writer's file renamed into $T/inbox
# (written aside under a dot-name, 10 s ago: nothing left to settle), then
# TENTHS tenths of a second at most for the daemon to move it to processed/.
inbox_drop() {
	printf '%s' "$2" >"$T/inbox/.$1"
	touch -d '-10 seconds' "$T/inbox/.$1"
	mv "$T/inbox/.$1" "$T/inbox/$1"
	for _ in $(seq 1 "$3"); do
		[ -e "$T/inbox/processed/$1" ] && return 0
		sleep 0.1
	done
	cat "$T/vigied.err"
	fail "$1 not ingested within $(($3 / 10)) s"
}

# A minimal configuration in $T: database, rules folder, inbox.
make_config() {
	mkdir -p "$T/rules.d" "$T/inbox"
	cat >"$T/vigie.yaml" <<YAML
database: $T/vigie.db
rules: $T/rules.d
inbox: $T/inbox
interval: 1h
${1:-}
YAML
}

# make_old: $T/vigie.db made as schema version 11 left it (migration 12
# added note.edited_at, 14 import_log.actor and .via, 15
# import_log.warnings and .warning_text, 16 alert.acked_role, 17 table
# kept_hidden, 18 import_log.untold, 19 message_item.catchup and index
# message_target, 20 event.file, 21 event.inhibited_by, 22 index
# event_inhibit_held): an upgrade's
# starting point. It waits for a vigied running on it.
make_old() {
	sqlite3 -cmd '.timeout 10000' "$T/vigie.db" 'ALTER TABLE note DROP COLUMN edited_at;
	    ALTER TABLE alert DROP COLUMN acked_role;
	    ALTER TABLE import_log DROP COLUMN actor; ALTER TABLE import_log DROP COLUMN via;
	    ALTER TABLE import_log DROP COLUMN warnings;
	    ALTER TABLE import_log DROP COLUMN warning_text;
	    ALTER TABLE import_log DROP COLUMN untold;
	    DROP TABLE kept_hidden;
	    ALTER TABLE message_item DROP COLUMN catchup; DROP INDEX message_target;
	    DROP INDEX event_inhibit_held;
	    ALTER TABLE event DROP COLUMN file; ALTER TABLE event DROP COLUMN inhibited_by;
	    PRAGMA user_version = 11;' ||
		fail "cannot make an old database"
}

# damage_index RULE@UNIT: $T/vigie.db damaged as a stale write-ahead log
# merged into a restored backup leaves it, the same way every time: the
# index event_alert keeps the entry of the alert's newest event, which its
# table no longer has (hidden from the schema while the row is deleted,
# then put back). The integrity check sees it; the quick check does not.
damage_index() {
	db "PRAGMA writable_schema = ON;
	    CREATE TABLE kept AS SELECT * FROM sqlite_master WHERE name IN ('event_alert', 'event_held');
	    DELETE FROM sqlite_master WHERE name IN ('event_alert', 'event_held');" || fail "damage_index"
	db "DELETE FROM event WHERE id = (SELECT max(e.id) FROM event e JOIN alert a ON a.id = e.alert
	    WHERE a.rule || '@' || a.unit = '$1')" || fail "damage_index: delete"
	db "PRAGMA writable_schema = ON; INSERT INTO sqlite_master SELECT * FROM kept;" ||
		fail "damage_index: put back"
	db "DROP TABLE kept" || fail "damage_index: drop"
	db "PRAGMA integrity_check" | grep -q "wrong # of entries in index event_alert" ||
		fail "the index should be damaged: $(db 'PRAGMA integrity_check')"
}
