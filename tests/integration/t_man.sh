#!/usr/bin/env bash
# The man pages render without a single warning from man/groff, and they
# document every command of `vigie --help` and every option of vigied.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1

command -v man >/dev/null && command -v groff >/dev/null || { echo "man or groff missing"; exit 77; }

pages=(vigie.1 vigie.yaml.5 vigie-rules.5 vigied.8 vigie-web.8)
for p in "${pages[@]}"; do
	f="$SRC/contrib/man/$p"
	[ -f "$f" ] || fail "contrib/man/$p missing"
	MANWIDTH=80 LC_ALL=C.UTF-8 man --warnings -l "$f" >"$T/out" 2>"$T/warn"
	[ ! -s "$T/warn" ] || { cat "$T/warn"; fail "man --warnings -l contrib/man/$p printed warnings"; }
	# mandoc's linter is stricter than groff: unterminated quotes, dates.
	if command -v mandoc >/dev/null; then
		mandoc -Tlint -W style "$f" >"$T/lint" 2>&1 || true
		[ ! -s "$T/lint" ] || { cat "$T/lint"; fail "mandoc -Tlint contrib/man/$p is not clean"; }
	fi
	grep -q "^NAME" "$T/out" || fail "contrib/man/$p has no NAME section"
	grep -q "^SEE ALSO" "$T/out" || fail "contrib/man/$p has no SEE ALSO section"
done

# Every command vigie --help lists has its own subsection in vigie(1).
expect_exit 0 "$VIGIE" --help
cmds=$(sed -n 's/^  \([a-z][a-z-]*\) .*/\1/p' "$T/out")
[ "$(echo "$cmds" | wc -w)" -ge 13 ] || fail "could not read the commands from vigie --help"
for c in $cmds; do
	grep -q "^\.SS \"vigie ${c//-/\\\\-}\( \|\"\)" "$SRC/contrib/man/vigie.1" ||
		fail "vigie $c is not documented in contrib/man/vigie.1"
done

# vigie --help's line of a command names the options of vigie(1)'s
# heading for it (the heading's synopsis, the list's summary).
for c in $cmds; do
	want=$(sed 's/\\-/-/g' "$SRC/contrib/man/vigie.1" | sed -n "s/^\.SS \"vigie $c\( .*\)\?\"\$/\1/p" |
	    grep -o -- '--[a-z][a-z-]*' | sort -u | tr '\n' ' ')
	got=$(grep "^  $c " "$T/out" | grep -o -- '--[a-z][a-z-]*' | sort -u | tr '\n' ' ')
	[ "$got" = "$want" ] || fail "vigie --help's $c shows options '$got', vigie(1)'s heading '$want'"
done

# Every option that a command's --help shows is in that command's
# subsections of vigie(1) (--format, --config and --help are in
# DESCRIPTION), and what --help says beyond the options too: silence's
# `--rule '*'`, and where alerts come from.
man_section() {	# the .SS subsections of vigie(1) for command $1, "\-" as "-"
	sed 's/\\-/-/g' "$SRC/contrib/man/vigie.1" |
	    awk -v c="$1" '/^\.S[SH] /{s = ($0 ~ "^\\.SS \"vigie " c "( |\")")} s'
}
for c in $cmds; do
	"$VIGIE" "$c" --help 2>/dev/null | sed -n '/^usage:/,/^[^ u]/p' |
	    grep -o -- '--[a-z][a-z-]*' | sort -u >"$T/opts"
	man_section "$c" >"$T/section"
	while read -r o; do
		case $o in --format|--config|--help) continue;; esac
		grep -qF -- "$o" "$T/section" ||
			fail "vigie $c $o (in vigie $c --help) is not documented in its section of contrib/man/vigie.1"
	done <"$T/opts"
done
man_section silence | grep -qF -- "--rule \(aq*\(aq" ||
	fail "vigie silence --rule '*' (in vigie silence --help) is not documented in contrib/man/vigie.1"
man_section alerts | grep -qF "vigied --once" ||
	fail "vigie(1)'s alerts section does not say that alerts need a cycle of vigied"
sed -n '/^## Data and rules (HR)/,/^## Following alerts/p' "$SRC/README.md" |
    grep -qF 'vigied --once -c' ||
	fail "README's HR section does not say that alerts need a cycle of vigied (vigied --once -c CONFIG)"

# Every long option of vigied is in vigied(8).
for o in --once --check --version --help --config; do
	grep -qF -- "${o//-/\\-}" "$SRC/contrib/man/vigied.8" || fail "vigied $o is not documented in contrib/man/vigied.8"
done

# Every option of vigie-web is in vigie-web(8), and every key of web: in
# vigie.yaml(5).
for o in --check --version --help --config; do
	grep -qF -- "${o//-/\\-}" "$SRC/contrib/man/vigie-web.8" || fail "vigie-web $o is not documented in contrib/man/vigie-web.8"
done
for k in listen url tls_cert_file tls_key_file session_ttl trusted_user_header; do
	grep -q "^\.BR* .*\b$k\b" "$SRC/contrib/man/vigie.yaml.5" || fail "web.$k is not documented in contrib/man/vigie.yaml.5"
done

# Every recommended indicator the rule library uses is explained in the README.
for i in $(grep -ho '[a-z_]*' "$SRC"/etc/rules.d/*.yaml | sort -u); do
	case $i in headcount|workable_days|absence_days|absence_episodes|short_absences|\
departures|resignations|hours_worked|overtime_hours|work_accidents|accident_days_lost|\
conflicts|grievances|disciplinary_actions|violence_incidents|harassment_reports|\
medical_visits_on_request|social_worker_contacts)
		grep -q "\`$i\`" "$SRC/README.md" || fail "indicator $i not explained in README.md";;
	esac
done
