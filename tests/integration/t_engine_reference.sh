# The rules engine (SPEC 2, 3, 5, 6 and the JSON of vigie eval / backtest)
# against an independent Python implementation of the SPEC text: random
# hierarchies, data and rule sets, imported and evaluated by the real vigie,
# compared row by row (tests/reference/engine_ref.py).
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1
# (13: a site whose own staff are dominated by its own most absent employee)
for seed in 1 2 3 4 5 6 7 8 13; do
	$PY "$SRC/tests/reference/engine_ref.py" $seed "$T/s$seed" "$VIGIE" >"$T/ref.$seed" 2>&1 ||
		{ cat "$T/ref.$seed"
		  echo "reproduce: $PY tests/reference/engine_ref.py $seed /tmp/engine-ref.$seed $VIGIE"
		  fail "seed $seed: vigie and the reference implementation disagree"; }
	head -n 1 "$T/ref.$seed"
done
