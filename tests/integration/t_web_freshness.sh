#!/usr/bin/env bash
# A console over alerts that vigied no longer evaluates would look calm
# when nobody watches (vigie-web(8)): every page says so, with the time of
# the last cycle, once none has run for twice the interval (1 h by
# default: 2 h), and before the first cycle that none has run yet; one
# cycle and the warning is gone. While the daemon's missing-data alert
# holds (no import for stale_after), every page says the period the alerts
# stop at and when data last came in; an import ends it. When no email has
# gone out for an hour (the configuration's SMTP server on port 9 is
# down), every page says since when, until one goes. The login page says
# nothing of any.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1
source "$VIGIE_SRC/tests/integration/notify_lib.sh"
command -v curl >/dev/null || { echo "curl missing"; exit 77; }
$PY -c 'import aiosmtpd' 2>/dev/null || { echo "python3-aiosmtpd missing"; exit 77; }

NNB=$'\xe2\x80\xaf'	# U+202F, before a colon
NBSP=$'\xc2\xa0'	# between a month and its year
late="Les alertes ne sont peut-être plus à jour${NNB}: Vigie ne les a pas évaluées depuis le"
# The console reads what the store says of this once a second: wait for
# the next second after each change.
next_second() { sleep 1; }
web_demo_setup
web_user rh hr
web_start
R=$T/jar.rh

# Imported, never evaluated: the list of alerts is empty, and says why.
expect_eq "$(req "$R" GET /login)" 200 "the login page"
expect_no_grep "Vigie n&#39;a encore évalué" "$T/b"
expect_eq "$(login "$R" rh)" 303 "rh logs in"
expect_eq "$(req "$R" GET /)" 200 "rh's alerts, before the first cycle"
expect_grep "<p class=\"message warn\">Vigie n&#39;a encore évalué aucune alerte${NNB}: elles apparaîtront ici après le premier cycle du service vigied. Si cela dure, prévenez l&#39;exploitation.</p>" "$T/b"
expect_no_grep "$late" "$T/b"

# A cycle: nothing to say.
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
next_second
A=/alerts/absenteeism-rate@valdis/nancy/production-nuit
for p in / /units "$A" /help; do
	expect_eq "$(req "$R" GET "$p")" 200 "rh's $p after a cycle"
	expect_no_grep 'class="message warn"' "$T/b"
done

# The last cycle 1 h 59 min ago: still on time. 2 h 1 min ago: every page
# says since when.
at() { sqlite3 "$T/vigie.db" "UPDATE cycle SET started_at = strftime('%s', 'now') - $1
	WHERE id = (SELECT max(id) FROM cycle)"; }
at 7140
next_second
expect_eq "$(req "$R" GET /)" 200 "rh's alerts, the last cycle 1 h 59 min ago"
expect_no_grep "$late" "$T/b"
at 7260
next_second
ts=$(sqlite3 "$T/vigie.db" "SELECT started_at FROM cycle ORDER BY id DESC LIMIT 1")
when=$(date -d "@$ts" '+%d/%m/%Y %H:%M')
for p in / /units "$A" /help /import; do
	expect_eq "$(req "$R" GET "$p")" 200 "rh's $p, the last cycle 2 h 1 min ago"
	expect_grep "<p class=\"message warn\">$late $when. Prévenez l&#39;exploitation (le service vigied).</p>" "$T/b"
done
# An error page carries its own message only.
expect_eq "$(req "$R" GET /nowhere)" 404 "a page that does not exist"
expect_no_grep "$late" "$T/b"

# The daemon runs again: the warning goes at the next page.
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
next_second
expect_eq "$(req "$R" GET /)" 200 "rh's alerts after the daemon's return"
expect_no_grep 'class="message warn"' "$T/b"

# No import for longer than stale_after: the daemon raises its
# missing-data alert, and every page says up to when the alerts go.
{ cat "$T/vigie.yaml"; echo "stale_after: 1s"; } >"$T/stale.yaml"
sleep 2
expect_exit 0 "$VIGIED" -c "$T/stale.yaml" --once
next_second
expect_grep "no data imported since" "$T/err"
ts=$(sqlite3 "$T/vigie.db" "SELECT max(at) FROM import_log")
when=$(date -d "@$ts" '+%d/%m/%Y %H:%M')
stale="<p class=\"message warn\">Les alertes s&#39;arrêtent à octobre${NBSP}2026, la dernière période importée${NNB}: aucune donnée n&#39;est arrivée depuis le $when.</p>"
for p in / "$A"; do
	expect_eq "$(req "$R" GET "$p")" 200 "rh's $p, data missing"
	expect_grep "$stale" "$T/b"
	expect_no_grep "$late" "$T/b"
done
expect_eq "$(req "$T/jar.none" GET /login)" 200 "the login page, data missing"
expect_no_grep "arrêtent" "$T/b"
# November comes in: the alerts are up to date again, before any cycle.
sleep 1	# times are in seconds: an import is after the alert in a later one
printf 'unit,period,headcount\nvaldis/nancy/production-nuit,2026-11,43\n' >"$T/nov.csv"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/nov.csv"
next_second
expect_eq "$(req "$R" GET /)" 200 "rh's alerts, November imported"
expect_no_grep 'class="message warn"' "$T/b"

# The digests of those cycles failed (port 9): within the hour, nothing to
# say; failing for two hours, every page says since when.
expect_eq "$(sqlite3 "$T/vigie.db" "SELECT count(*) > 0, sum(ok) FROM attempt")" "1|0" \
	"the emails failed"
sqlite3 "$T/vigie.db" "UPDATE message SET created_at = created_at - 7200" ||
	fail "cannot age the emails"
next_second
ts=$(sqlite3 "$T/vigie.db" "SELECT min(created_at) FROM message WHERE channel = 'email'")
mail="<p class=\"message warn\">Les courriels de Vigie ne partent plus depuis le $(date -d "@$ts" '+%d/%m/%Y %H:%M')${NNB}: vous n&#39;avez peut-être pas reçu toutes les alertes. Prévenez l&#39;exploitation.</p>"
for p in / "$A"; do
	expect_eq "$(req "$R" GET "$p")" 200 "rh's $p, email failing"
	expect_grep "$mail" "$T/b"
done
# The server is back: one email goes, and the warning with it.
sp=$(free_port)
mkdir -p "$T/mail"
notify_smtpd "$T/mail" "$sp"
sed "s|smtp://127.0.0.1:9|smtp://127.0.0.1:$sp\n  starttls: none|" "$T/vigie.yaml" >"$T/live.yaml"
expect_exit 0 "$VIGIED" -c "$T/live.yaml" --once
next_second
[ "$(notify_count "$T/mail")" -gt 0 ] || fail "no email went out"
expect_eq "$(req "$R" GET /)" 200 "rh's alerts, email going out again"
expect_no_grep 'class="message warn"' "$T/b"
web_stop
