#!/usr/bin/env bash
# What the console's import tells a user never depends on a stored value
# the user may not see (SPEC 3; vigie-web(8), « Vérifier sans importer »):
# an HR account of the Épinal site dry-runs a one-value file for its
# 3-person team (hidden every month) with the stored value and with
# another, and is told the same thing (refused, as any value of a hidden
# figure of a month evaluated), where a team it sees is told "unchanged"; the same
# for a confidential indicator of a team it sees. A headcount ten times,
# or a tenth of, the small team's stored one of the month before is not
# warned of (the warning would give that headcount by bisection), where
# the same jump of a team it sees is. Each dry run is in the audit log. A
# real import of the stored value is refused too.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1
command -v curl >/dev/null || { echo "curl missing"; exit 77; }
NNBSP=$'\u202f'

web_demo_setup
# One cycle: the months are evaluated, so the late-change warning of a
# small team is at stake too.
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --once
web_user rhep hr --scope valdis/epinal --scope 'valdis/epinal/**'
web_start
# check FILE: the dry run of FILE as rhep; its outcome and warnings (the
# file's name aside) in $T/said.
check() {	# FILE [STATUS]
	local tok
	tok=$(csrf "$T/jar" /import)
	expect_eq "$(req "$T/jar" POST /import -F "csrf=$tok" -F "dry=1" \
		-F "file=@$1;type=text/csv")" "${2:-200}" "the dry run of $(basename "$1")"
	sed -n '/<div class="message \(ok\|error\)"/,/<form /p' "$T/b" | sed '$d' |
		sed "s/$(basename "$1")/FILE/g" >"$T/said"
}
one() { printf 'unit;period;%s\n%s;2026-10;%s\n' "$2" "$1" "$3" >"$T/$4.csv"; }
expect_eq "$(login "$T/jar" rhep)" 303 "rhep logs in"

# The small team's absence days of October: 3 stored.
one valdis/epinal/entretien absence_days 3 right
one valdis/epinal/entretien absence_days 4 wrong
# A hidden value of a month stored: refused for both, alike
# (t_web_hidden_refused), not only when the value differs.
check "$T/right.csv" 409; cp "$T/said" "$T/said.right"
check "$T/wrong.csv" 409
expect_eq "$(cat "$T/said")" "$(cat "$T/said.right")" "the same answer for the stored value and another"
expect_grep "Rien n&#39;a été importé${NNBSP}: ce fichier ne donne de valeurs qu&#39;à des chiffres masqués de périodes déjà enregistrées (1 valeur, la première${NNBSP}: absence_days de valdis/epinal/entretien en octobre" "$T/said"

# A team rhep sees: its stored value is unchanged, another replaces it.
one valdis/epinal/atelier absence_days 48 seen
check "$T/seen.csv"
expect_grep "l'import en ajouterait 0, en remplacerait 0, 1 inchangée." "$T/said"
# A confidential indicator of that team (0 stored), which HR may not read.
one valdis/epinal/atelier social_worker_contacts 0 secret
check "$T/secret.csv"
expect_grep "l'import en ajouterait 0, en remplacerait 1, 0 inchangée." "$T/said"

# The small team's headcount of October against September's (3 stored):
# 30 and 29 are told the same, no "ten times" warning.
one valdis/epinal/entretien headcount 29 h29
one valdis/epinal/entretien headcount 30 h30
check "$T/h29.csv"; cp "$T/said" "$T/said.h29"
check "$T/h30.csv"
expect_eq "$(cat "$T/said")" "$(cat "$T/said.h29")" "the same answer for a headcount 9.7 and 10 times the hidden one"
expect_no_grep "10 fois" "$T/said"
# The same jump for a team rhep sees (44 in September) is warned of.
one valdis/epinal/atelier headcount 440 a440
check "$T/a440.csv"
expect_grep "headcount de valdis/epinal/atelier pour 2026-10 vaut au moins 10 fois celui de 2026-09" "$T/said"

# Every dry run in the audit log, as rhep's, not an import.
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" audit
expect_eq "$(grep -cE '^[0-9TZ:-]+ +rhep +web +import-check +[a-z0-9]+\.csv +1 values, not imported$' "$T/out")" 5 \
	"the dry runs audited: $(cat "$T/out")"
expect_eq "$(grep -cE '^[0-9TZ:-]+ +rhep +web +import-refused +(right|wrong)\.csv +checked: 1 hidden values' "$T/out")" 2 \
	"the refused ones too: $(cat "$T/out")"
expect_no_grep " import " "$T/out"

# Imported, the stored value again: refused as well, nothing written.
n=$(db "SELECT count(*) FROM import_log")
tok=$(csrf "$T/jar" /import)
expect_eq "$(req "$T/jar" POST /import -F "csrf=$tok" -F "file=@$T/right.csv;type=text/csv")" 409 "the import of right.csv"
expect_eq "$(db "SELECT count(*) FROM import_log")" "$n" "nothing imported"
web_stop
exit 0
