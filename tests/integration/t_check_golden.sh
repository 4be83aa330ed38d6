#!/usr/bin/env bash
# vigie check on broken rule files: every tests/golden/rules/NAME.err holds
# the exact stderr of `vigie check NAME.yaml` (or of the folder NAME/), run
# from that folder so the paths in the messages are the ones given, the
# count of errors and their files last; each must exit 1 and print nothing
# on stdout. Valid files exit 0 with the
# one-line summary, with and without a configuration.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1

G="$SRC/tests/golden/rules"
n=0
cd "$G" || fail "no $G"
for want in *.err; do
	name=${want%.err}
	if [ -d "$name" ]; then arg=$name; else arg=$name.yaml; fi
	[ -e "$arg" ] || fail "$want has no $arg beside it"
	expect_exit 1 "$VIGIE" check "$arg"
	if ! diff -u "$want" "$T/err"; then
		fail "vigie check $arg: stderr differs from $want"
	fi
	[ -s "$T/out" ] && fail "vigie check $arg printed on stdout: $(cat "$T/out")"
	n=$((n + 1))
done
[ "$n" -ge 8 ] || fail "only $n golden cases"

# Several files at once: all errors of all of them, in argument order,
# then one count of them all.
expect_exit 1 "$VIGIE" check missing_id.yaml bad_glob.yaml
cat missing_id.err bad_glob.err | grep -v "^vigie check: " >"$T/want"
echo "vigie check: 8 errors in missing_id.yaml, bad_glob.yaml; fix them, then run vigie check again: warnings are looked for in a rule set that loads" >>"$T/want"
diff -u "$T/want" "$T/err" || fail "two files: stderr differs"

# A valid file and a valid folder.
cd "$SRC/tests/golden/rules-ok" || fail "no rules-ok"
expect_exit 0 "$VIGIE" check valid.yaml
expect_eq "$(cat "$T/out")" "ok: 3 rules in 1 file (valid.yaml)"
[ -s "$T/err" ] && fail "valid.yaml: unexpected stderr: $(cat "$T/err")"
expect_exit 0 "$VIGIE" check .
expect_eq "$(cat "$T/out")" "ok: 3 rules in 1 file (.)"

# The same through a configuration: -c, then $VIGIE_CONFIG.
make_config
cp valid.yaml "$T/rules.d/50-valid.yaml"
printf 'rules: []\n' >"$T/rules.d/10-empty.yaml"
expect_exit 0 "$VIGIE" check -c "$T/vigie.yaml"
expect_eq "$(cat "$T/out")" "ok: 3 rules in 2 files ($T/rules.d)"
VIGIE_CONFIG="$T/vigie.yaml" expect_exit 0 "$VIGIE" check
expect_eq "$(cat "$T/out")" "ok: 3 rules in 2 files ($T/rules.d)"
# The global -c before the subcommand works too.
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" check

# A broken rule in the configured folder: exit 1, the error, nothing on stdout.
cp "$G/bad_glob.yaml" "$T/rules.d/60-bad.yaml"
expect_exit 1 "$VIGIE" check -c "$T/vigie.yaml"
expect_grep "$T/rules.d/60-bad.yaml:6:22: error: invalid scope \"acme/nancy*\"" "$T/err"
[ -s "$T/out" ] && fail "broken set printed on stdout"
rm "$T/rules.d/60-bad.yaml"

# An empty rules folder is valid.
rm "$T"/rules.d/*.yaml
expect_exit 0 "$VIGIE" check -c "$T/vigie.yaml"
expect_eq "$(cat "$T/out")" "ok: 0 rules in 0 files ($T/rules.d)"

# A configuration error is a check failure too (exit 1), as is a missing one.
printf 'databse: x.db\nrules: %s\n' "$T/rules.d" >"$T/bad.yaml"
expect_exit 1 "$VIGIE" check -c "$T/bad.yaml"
expect_grep "$T/bad.yaml:1:1: error: " "$T/err"
expect_exit 1 "$VIGIE" check -c "$T/nope.yaml"

# A missing rule file is an error at its name; usage errors are 64.
expect_exit 1 "$VIGIE" check "$T/none.yaml"
expect_eq "$(head -n 1 "$T/err")" "$T/none.yaml: error: cannot open: No such file or directory"
expect_exit 64 "$VIGIE" check --frobnicate
expect_exit 64 "$VIGIE" check -c
expect_exit 0 "$VIGIE" check --help
expect_grep "usage: vigie check [-c CONFIG] [RULEFILE...]" "$T/out"
exit 0
