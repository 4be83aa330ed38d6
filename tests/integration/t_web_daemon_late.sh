#!/usr/bin/env bash
# A console over alerts that vigied no longer evaluates would look calm
# when nobody watches (vigie-web(8)): every page says so, with the time of
# the last cycle, once none has run for twice the interval (1 h by
# default: 2 h), and before the first cycle that none has run yet; one
# cycle and the warning is gone. The login page says nothing of it.
source "$VIGIE_SRC/tests/integration/lib.sh"
command -v curl >/dev/null || { echo "curl missing"; exit 77; }

NNB=$'\xe2\x80\xaf'	# U+202F, before a colon
late="Ces alertes ne sont peut-être plus à jour${NNB}: Vigie ne les a pas évaluées depuis le"
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
expect_eq "$(req "$R" GET /)" 200 "rh's alerts, the last cycle 1 h 59 min ago"
expect_no_grep "$late" "$T/b"
at 7260
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
expect_eq "$(req "$R" GET /)" 200 "rh's alerts after the daemon's return"
expect_no_grep 'class="message warn"' "$T/b"
web_stop
