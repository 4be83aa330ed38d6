# The expression evaluator against an independent Python implementation of
# SPEC 6: random expressions over a small hierarchy, compared number by number.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1
cc -std=gnu11 -O1 -I"$SRC/include" -o "$T/driver" "$SRC/tests/reference/expr_driver.c" \
    "$VIGIE_BIN/libvigie.a" $(pkg-config --libs yaml-0.1) -lm $( [ -d "$VIGIE_BIN" ] && case "$VIGIE_BIN" in *-san) echo -fsanitize=address,undefined;; esac) \
    || fail "cannot build the driver"
for seed in 1 2 3; do
	$PY "$SRC/tests/reference/expr_ref.py" $seed 400 "$T/driver" >"$T/ref.$seed" 2>&1 ||
		{ cat "$T/ref.$seed"; fail "seed $seed: C and Python disagree"; }
	tail -n 1 "$T/ref.$seed"
done
