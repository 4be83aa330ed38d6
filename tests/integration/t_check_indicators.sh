#!/usr/bin/env bash
# A misspelt indicator is said (SPEC 1 allows any name, so it is a
# warning): a rule that reads "short_absence" where the files carry
# "short_absences" is undefined at every period and would never fire, with
# nothing to say why. vigie check, vigied --check and the daemon when it
# starts (or reloads) name it at its file:line:col with the closest known name; a name outside
# the recommended vocabulary that an import has stored is known, and the
# exit codes are those of a valid configuration. So is one that the
# report's own indicators file (report.indicators) reads: the works council
# report would show it as missing in every unit.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1

make_config
cat >"$T/rules.d/r.yaml" <<'YAML'
rules:
  - id: short-absences
    title: "Absences courtes"
    value: sum(short_absence, 3) / sum(headcount, 3)
    above: { warning: 0.5 }
  - id: remote-days
    title: "Télétravail"
    # short_absence here is a comment, not a use
    value: |-
      # teletravail_jours: a company's own indicator
      sum(teletravail_jours, 3) / sum(headcount, 3)
    above: { warning: 10 }
YAML
typo='r.yaml:4:16: warning: the indicator "short_absence" is neither in the recommended vocabulary nor in the database: what reads it stays undefined until an import stores it (did you mean "short_absences"?)'
own='r.yaml:11:11: warning: the indicator "teletravail_jours" is neither in the recommended vocabulary nor in the database: what reads it stays undefined until an import stores it'

# No database yet: both, once each; "headcount" is in the vocabulary.
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" check
expect_grep "$typo" "$T/err"
expect_grep "$own" "$T/err"
expect_eq "$(grep -c warning "$T/err")" 2
expect_grep "ok: 2 rules in 1 file" "$T/out"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --check
expect_grep "$typo" "$T/err"
expect_grep "$own" "$T/err"
expect_exit 0 "$VIGIE" check "$T/rules.d/r.yaml"
expect_grep "$typo" "$T/err"

# The company's own indicator, once imported, is known.
printf 'unit,period,headcount,short_absences,teletravail_jours\nacme/a,2026-01,10,1,12\n' >"$T/in.csv"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/in.csv"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" check
expect_grep "$typo" "$T/err"
expect_no_grep "teletravail_jours" "$T/err"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" check "$T/rules.d/r.yaml"
expect_grep "$typo" "$T/err"
expect_no_grep "teletravail_jours" "$T/err"

# The daemon says it when it starts, and runs.
daemon_warns() {	# WARNING: vigied logs it when it starts, and runs
	"$VIGIED" -c "$T/vigie.yaml" 2>"$T/vigied.err" &
	PIDS+=($!)
	wait_for grep -qF "$1" "$T/vigied.err" || { cat "$T/vigied.err"; fail "no warning"; }
	kill -TERM "${PIDS[0]}"
	wait "${PIDS[0]}"
	expect_eq "$?" 0 "vigied's exit on SIGTERM"
	PIDS=()
}
daemon_warns "${typo#r.yaml}"

# Fixed: nothing to say.
sed -i 's/short_absence,/short_absences,/' "$T/rules.d/r.yaml"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" check
[ -s "$T/err" ] && fail "unexpected stderr: $(cat "$T/err")"

# The report's indicators file, read like a rule file.
sed 's/sum(absence_days, N)/sum(absense_days, N)/' "$SRC/etc/report.yaml" >"$T/report.yaml"
printf 'report: { indicators: %s }\n' "$T/report.yaml" >>"$T/vigie.yaml"
rtypo='report.yaml:38:22: warning: the indicator "absense_days" is neither in the recommended vocabulary nor in the database: what reads it stays undefined until an import stores it (did you mean "absence_days"?)'
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" check
expect_grep "$rtypo" "$T/err"
expect_eq "$(grep -c warning "$T/err")" 1 "warnings with the report's file"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --check
expect_grep "$rtypo" "$T/err"
daemon_warns "${rtypo#report.yaml}"
cp "$SRC/etc/report.yaml" "$T/report.yaml"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" check
[ -s "$T/err" ] && fail "unexpected stderr: $(cat "$T/err")"
exit 0
