#!/usr/bin/env bash
# The links of emails sent before `vigie rename` (vigie-web(8), "Renamed
# units"): /alerts/RULE@OLD-PATH and /units/OLD-PATH answer a temporary
# redirect (307) to the page of today, renames followed one after the
# other, the query kept; but only for a user whose scopes cover the new
# path: another gets the 404 of a page that never was, and does not learn
# the new name. The alert's page says when its unit was renamed, and its
# acknowledgement followed it. An old path that holds a unit again is that
# unit's, not redirected.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1
command -v curl >/dev/null || { echo "curl missing"; exit 77; }
NNBSP=$'\u202f'
NBSP=$'\u00a0'

web_demo_setup
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" ack conflicts@valdis/metz/restauration --by claire \
	--note "Médiation prévue en septembre"
web_user marie social-worker --scope valdis/nancy --scope 'valdis/nancy/**'
web_user paul social-worker --scope valdis/metz --scope 'valdis/metz/**'
web_user rh hr
web_start
M=$T/jar.marie P=$T/jar.paul R=$T/jar.rh
expect_eq "$(login "$M" marie)" 303 "marie logs in"
expect_eq "$(login "$P" paul)" 303 "paul logs in"
expect_eq "$(login "$R" rh)" 303 "rh logs in"
location() { sed -n 's/^Location: \(.*\)\r$/\1/p' "$T/h"; }

# What paul is told of pages that never were.
expect_eq "$(req "$P" GET /alerts/conflicts@valdis/metz/nowhere)" 404 "an alert that never was"
cp "$T/b" "$T/never-alert"
expect_eq "$(req "$P" GET /units/valdis/metz/nowhere)" 404 "a unit that never was"
cp "$T/b" "$T/never-unit"

# The restaurant team moves to Nancy, then takes another name there, and
# the quality team is merged into it.
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" rename valdis/metz/restauration valdis/nancy/restauration
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" rename valdis/nancy/restauration valdis/nancy/cantine
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" rename valdis/nancy/qualite valdis/nancy/cantine --merge
expect_exit 65 "$VIGIE" -c "$T/vigie.yaml" history conflicts@valdis/metz/restauration
expect_grep "its unit was renamed, it is conflicts@valdis/nancy/cantine now" "$T/err"
# The name between the two renames, which no event carries: the same.
expect_exit 65 "$VIGIE" -c "$T/vigie.yaml" history conflicts@valdis/nancy/restauration
expect_grep "its unit was renamed, it is conflicts@valdis/nancy/cantine now" "$T/err"

# Nancy's social worker, from an email sent before: to today's pages.
expect_eq "$(req "$M" GET '/alerts/conflicts@valdis/metz/restauration?from=mail&a=b%20c')" 307 \
	"the old alert link"
expect_eq "$(location)" "/alerts/conflicts@valdis/nancy/cantine?from=mail&a=b%20c" "its Location"
expect_eq "$(req "$M" GET /units/valdis/metz/restauration)" 307 "the old unit link"
expect_eq "$(location)" "/units/valdis/nancy/cantine" "its Location"
# The name between the two renames, under which nothing was recorded.
expect_eq "$(req "$M" GET /alerts/conflicts@valdis/nancy/restauration)" 307 "the name in between"
expect_eq "$(location)" "/alerts/conflicts@valdis/nancy/cantine" "its Location"
expect_eq "$(req "$M" GET /units/valdis/nancy/restauration)" 307 "the unit in between"
expect_eq "$(location)" "/units/valdis/nancy/cantine" "its Location"
# A form posted to an old page is not sent on.
tok=$(csrf "$M" /alerts/conflicts@valdis/nancy/cantine)
expect_eq "$(req "$M" POST /alerts/conflicts@valdis/metz/restauration --data-urlencode "csrf=$tok" \
	-d action=take)" 404 "a POST to the old alert"

# Metz's social worker does not see the team any more: the same 404 as a
# page that never was, no new name.
expect_eq "$(req "$P" GET /alerts/conflicts@valdis/metz/restauration)" 404 "paul, the old alert"
expect_no_grep "cantine" "$T/h"
cmp -s "$T/b" "$T/never-alert" || fail "the old alert is answered otherwise than one that never was"
expect_eq "$(req "$P" GET /units/valdis/metz/restauration)" 404 "paul, the old unit"
expect_no_grep "cantine" "$T/h"
cmp -s "$T/b" "$T/never-unit" || fail "the old unit is answered otherwise than one that never was"

# Followed: the alert under its name of today, its acknowledgement and
# its renames.
expect_eq "$(req "$R" GET /alerts/conflicts@valdis/metz/restauration -L)" 200 "rh follows the link"
expect_grep "<title>Conflits répétés dans l&#39;équipe — valdis/nancy/cantine — Vigie</title>" "$T/b"
expect_grep '<span class="fu fu-taken">prise en charge</span> par claire le ' "$T/b"
months=(janvier février mars avril mai juin juillet août septembre octobre novembre décembre)
day=$(date +%-d)
[ "$day" = 1 ] && day=1er
on="le $day ${months[$(($(date +%-m) - 1))]}${NBSP}$(date +%Y)"
expect_eq "$(grep -A3 '<h2 id="history">' "$T/b")" "<h2 id=\"history\">Historique</h2>
<p class=\"renamed\">Unité renommée${NNBSP}: valdis/nancy/restauration → valdis/nancy/cantine, $on</p>
<p class=\"renamed\">Unité renommée${NNBSP}: valdis/metz/restauration → valdis/nancy/restauration, $on</p>
<table class=\"events\">" "the renames over the history"
# A team of its own at Nancy keeps its alerts' pages without a rename.
expect_eq "$(req "$R" GET /alerts/absenteeism-rate@valdis/nancy/production-nuit)" 200 "an alert never renamed"
expect_no_grep 'class="renamed"' "$T/b"

# An export not yet updated cannot bring the old path back (vigie(1),
# import): it still leads to today's page.
printf 'unit;period;headcount;conflicts\nvaldis/metz/restauration;2026-11;11;0\n' >"$T/late.csv"
expect_exit 65 "$VIGIE" -c "$T/vigie.yaml" import "$T/late.csv"
expect_eq "$(req "$R" GET /units/valdis/metz/restauration)" 307 "the old path, after a refused export"
web_stop
exit 0
