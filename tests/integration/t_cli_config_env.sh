#!/usr/bin/env bash
# SPEC 10: every command takes -c CONFIG as vigied does; the man page's
# default is $VIGIE_CONFIG, else /etc/vigie/vigie.yaml. -c wins over
# $VIGIE_CONFIG, for vigie and vigied alike, and a configuration that
# cannot be read exits 78 naming the file tried. An empty -c is a mistake
# (a variable unset in a script), not the default file: exit 64, as
# ssh -F '' refuses.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1

make_config
printf 'unit,period,headcount\nacme/a,2025-01,20\n' >"$T/d.csv"
export VIGIE_CONFIG="$T/missing.yaml"
expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/d.csv"
expect_exit 0 "$VIGIE" status -c "$T/vigie.yaml" --format json
expect_grep '"latest_period": "2025-01"' "$T/out"
expect_exit 0 "$VIGIED" -c "$T/vigie.yaml" --check
# Without -c, $VIGIE_CONFIG is read.
expect_exit 78 "$VIGIE" status
expect_eq "$(cat "$T/err")" "vigie: cannot read configuration $T/missing.yaml: No such file or directory (use -c CONFIG or set VIGIE_CONFIG)"
VIGIE_CONFIG="$T/vigie.yaml" expect_exit 0 "$VIGIE" status --format json
expect_grep '"latest_period": "2025-01"' "$T/out"
VIGIE_CONFIG="$T/vigie.yaml"
for args in "-c" "--config" "status -c" "status --config="; do
	expect_exit 64 "$VIGIE" $args "" status
	expect_eq "$(cat "$T/err")" "vigie status: -c needs a configuration file, not an empty name (see vigie status --help)"
done
for prog in "$VIGIED" "$VIGIE_BIN/vigie-web"; do
	expect_exit 64 "$prog" -c "" --check
	expect_grep "$(basename "$prog"): -c needs a configuration file, not an empty name" "$T/err"
	[ -s "$T/out" ] && fail "$prog printed: $(cat "$T/out")"
done
exit 0
