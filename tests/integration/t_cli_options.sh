#!/usr/bin/env bash
# Every vigie command parses its options the same way (daemon/cli/opts.c):
# -c CONFIG, --config CONFIG, --config=CONFIG and a -c before the command
# name are one and the same; --help prints the command's usage and exits 0;
# an unknown option is refused with one message and exit 64 (never
# getopt's own words); an option missing its value too.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1

hr_config
cp "$SRC/tests/rules/fixtures/conflicts.yaml" "$T/rules.d/"
CFG=$T/vigie.yaml
printf 'unit,period,headcount,conflicts\nacme/a,2025-01,20,5\n' >"$T/data.csv"
expect_exit 0 "$VIGIE" -c "$CFG" import "$T/data.csv"
cp "$SRC/tests/rules/spec-example.test.yaml" "$T/" 2>/dev/null || true

# The commands, as vigie --help lists them.
expect_exit 0 "$VIGIE" --help
cmds=$(sed -n 's/^  \([a-z][a-z-]*\) .*/\1/p' "$T/out")
[ "$(echo "$cmds" | wc -w)" -ge 14 ] || fail "could not read the commands from vigie --help"

# args CMD: arguments that make CMD run against $CFG without changing what
# the next run sees (read-only, or refused after reading the configuration).
args() {
	case $1 in
	check|eval|alerts|silences|status) ;;
	import) echo "--dry-run $T/data.csv";;
	backtest) echo "--from 2025-01 --to 2025-01";;
	test) echo "$SRC/tests/rules/floor.test.yaml";;
	ack) echo "nope@acme --by me";;
	silence) echo "--rule nope --unit acme --until 2024-01 --reason none";;
	unsilence) echo "999";;
	history) echo "nope@acme";;
	audit) echo "--since 2000-01-01";;
	notify-test) echo "nobody";;
	retry) echo "--since 2099-01-01";;
	delete) echo "--period 2025-01 --dry-run";;
	rename) echo "acme/a acme/z --dry-run";;
	user) echo "list";;
	report) echo "--from 2024-01 --to 2024-01 --format json";;
	help) echo "status";;
	*) fail "no arguments known for vigie $1: add it to t_cli_options.sh";;
	esac
}

for c in $cmds; do
	# --help: the command's usage on stdout, exit 0.
	expect_exit 0 "$VIGIE" "$c" --help
	grep -q "^usage: vigie $c" "$T/out" || { cat "$T/out"; fail "vigie $c --help prints no usage"; }
	[ "$c" = help ] && continue
	# An unknown option: one message, exit 64.
	expect_exit 64 "$VIGIE" "$c" --frobnicate
	expect_eq "$(cat "$T/err")" "vigie $c: unknown option '--frobnicate' (see vigie $c --help)" \
		"vigie $c --frobnicate"
	expect_exit 64 "$VIGIE" "$c" -Z
	expect_eq "$(cat "$T/err")" "vigie $c: unknown option '-Z' (see vigie $c --help)" "vigie $c -Z"
	expect_exit 64 "$VIGIE" "$c" --config
	expect_eq "$(cat "$T/err")" "vigie $c: option '--config' needs a value (see vigie $c --help)" \
		"vigie $c --config"
	# Every way of naming the configuration gives the same run.
	# shellcheck disable=SC2046
	"$VIGIE" "$c" -c "$CFG" $(args "$c") >"$T/ref.out" 2>"$T/ref.err"
	ref=$?
	for form in "--config $CFG" "--config=$CFG" "-c$CFG" "BEFORE -c $CFG" "BEFORE --config=$CFG"; do
		set -- $form
		if [ "$1" = BEFORE ]; then
			shift
			# shellcheck disable=SC2046
			"$VIGIE" "$@" "$c" $(args "$c") >"$T/got.out" 2>"$T/got.err"
		else
			# shellcheck disable=SC2046
			"$VIGIE" "$c" "$@" $(args "$c") >"$T/got.out" 2>"$T/got.err"
		fi
		got=$?
		expect_eq "$got" "$ref" "vigie $c with '$form': exit status"
		[ "$c" = silence ] && continue	# prints the new silence's id
		cmp -s "$T/ref.out" "$T/got.out" && cmp -s "$T/ref.err" "$T/got.err" ||
			{ diff "$T/ref.err" "$T/got.err"; fail "vigie $c with '$form' differs from -c"; }
	done
	# The configuration named is the one read (test reads none: its test
	# file names its rules).
	[ "$c" = test ] && continue
	# shellcheck disable=SC2046
	"$VIGIE" "$c" --config="$T/missing.yaml" $(args "$c") >"$T/out" 2>"$T/err"
	got=$?
	[ "$got" = 78 ] || { [ "$c" = check ] && [ "$got" = 1 ]; } ||
		fail "vigie $c --config=missing.yaml exited $got"
	expect_grep "cannot read configuration $T/missing.yaml" "$T/err"
done

# Before the command, a -c or --config without its value says so, as
# after it, rather than calling the option unknown.
for o in -c --config; do
	expect_exit 64 "$VIGIE" "$o"
	expect_eq "$(cat "$T/err")" "vigie: option '$o' needs a value (see vigie --help)" "vigie $o"
done

# Options and arguments mix in any order; "--" ends the options.
expect_exit 65 "$VIGIE" ack --by me -c "$CFG" nope@acme
expect_exit 64 "$VIGIE" -c "$CFG" ack -- --by
expect_grep "vigie ack: say who acknowledges with --by NAME" "$T/err"

# The daemons name themselves in getopt's messages, not by their path, and
# vigied refuses --once with --check rather than ignoring one.
for d in vigied vigie-web; do
	expect_exit 64 "$VIGIE_BIN/$d" --frobnicate
	expect_eq "$(head -n 1 "$T/err")" "$d: unrecognized option '--frobnicate'" "$d"
done
expect_exit 64 "$VIGIED" -c "$CFG" --check --once
expect_eq "$(head -n 1 "$T/err")" "vigied: --once and --check cannot be combined"
exit 0
