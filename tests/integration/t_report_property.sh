#!/usr/bin/env bash
# Property of vigie report (SPEC 3, 15): on random companies, no unit whose
# headcount is below the floor, or unknown, at any period of the span
# appears anywhere in the JSON, the HTML or the text of the PDF (the oracle
# is this test's own roll-up of the generated headcounts: the report's
# complementary suppression may hide more, never less), but for a unit
# whose headcount is only unknown at some periods, never under the floor:
# it may be named among the units left out for want of data, nowhere
# else; and the report is not empty: visible teams do appear.
source "${VIGIE_SRC:?set VIGIE_SRC to the source tree and VIGIE_BIN to the binaries}/tests/integration/lib.sh" || exit 1
command -v pdftotext >/dev/null || { echo "pdftotext missing"; exit 77; }

cat >"$T/gen.py" <<'PY'
import random, sys
seed, out, hidden_out = int(sys.argv[1]), sys.argv[2], sys.argv[3]
rnd = random.Random(seed)
months = [(2025 + m // 12, m % 12 + 1) for m in range(24)]
span = range(12, 24)  # 2026-01 .. 2026-12
comp = "c%d" % seed
teams, n = {}, 0
for s in range(rnd.randint(2, 4)):
    for t in range(rnd.randint(1, 5)):
        n += 1
        path = "%s/s%d/t%02d" % (comp, s + 1, n)
        base = rnd.choice([3, 4, 6, 8, 12, 20, 35])
        hc = []
        start = rnd.choice([0, 0, 0, 6, 15])       # some teams start late
        dip = rnd.random() < 0.3                    # some dip below the floor once
        dipm = rnd.randrange(24)
        for m in range(24):
            if m < start:
                hc.append(None)
            elif dip and m == dipm:
                hc.append(rnd.choice([2, 3, 4]))
            else:
                hc.append(max(1, base + rnd.randint(-2, 2)))
        teams[path] = hc
rows = ["unit,period,headcount,workable_days,absence_days,departures,resignations,"
        "conflicts,work_accidents,hours_worked,accident_days_lost,overtime_hours"]
for path, hc in teams.items():
    for m, h in enumerate(hc):
        if h is None:
            continue
        y, mo = months[m]
        rows.append("%s,%04d-%02d,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d" % (
            path, y, mo, h, 20 * h, rnd.randint(0, 2 * h), rnd.randint(0, 1),
            rnd.randint(0, 1), rnd.randint(0, 1), rnd.randint(0, 1), 150 * h,
            rnd.randint(0, 5), rnd.randint(0, 10 * h)))
open(out, "w").write("\n".join(rows) + "\n")
# the oracle: roll-up of headcounts (SPEC 2), hidden when below 5 or unknown
# at a period of the span
units = set()
for p in teams:
    parts = p.split("/")
    for k in range(1, len(parts) + 1):
        units.add("/".join(parts[:k]))
def hc(u, m):
    vals = [teams[p][m] for p in teams if (p == u or p.startswith(u + "/")) and teams[p][m] is not None]
    return sum(vals) if vals else None
hidden = sorted(u for u in units if any(hc(u, m) is None or hc(u, m) < 5 for m in span))
# "floor": under the floor at a period it has data, never named; "missing":
# only without data at some periods, named at most among the units left
# out for want of data
kind = lambda u: "floor" if any(hc(u, m) is not None and hc(u, m) < 5 for m in span) \
    else "missing"
open(hidden_out, "w").write("".join("%s %s\n" % (u, kind(u)) for u in hidden))
print(len(units), "units,", len(hidden), "hidden")
PY
cat >"$T/check.py" <<'PY'
import json, re, sys
hidden = [l.split() for l in open(sys.argv[1]).read().split("\n") if l]
bad = 0
for f in sys.argv[2:]:
    text = open(f, encoding="utf-8").read()
    # where a unit only without data at some periods may be named: the
    # JSON's missing_data_units, the method page's sentence
    if f.endswith(".json"):
        d = json.loads(text)
        named = {m["unit"] for m in d.pop("missing_data_units")}
        bad += sum(k == "floor" for u, k in hidden if u in named)
        rest = json.dumps(d)
    else:
        rest = re.sub(r"Non présentées faute de données.*?\)\.(?=\s|<|$)", "", text,
                      flags=re.S)
    for u, k in hidden:
        hay = rest if k == "missing" else text
        # the path alone, or followed by '/' (a unit below it), never
        # another path that merely starts with it
        if re.search(r"(?<![A-Za-z0-9._/-])" + re.escape(u) + r"(?![A-Za-z0-9._-])", hay):
            print("hidden unit", u, "appears in", f); bad += 1
sys.exit(1 if bad else 0)
PY

shown=0
for seed in 1 2 3 4 5 6 7 8; do
	rm -f "$T/v.db"*
	printf 'database: %s\nrules: %s/etc/rules.d\n' "$T/v.db" "$SRC" >"$T/vigie.yaml"
	$PY "$T/gen.py" "$seed" "$T/data.csv" "$T/hidden.txt" >"$T/gen.out" || fail "generator failed"
	expect_exit 0 "$VIGIE" -c "$T/vigie.yaml" import "$T/data.csv"
	R="$VIGIE -c $T/vigie.yaml report --from 2026-01 --to 2026-12"
	$R --format json -o "$T/r.json" 2>"$T/err"
	rc=$?
	if [ $rc = 65 ] && grep -q "no unit is visible" "$T/err"; then
		continue	# the whole company is too small: nothing to show, rightly
	fi
	[ $rc = 0 ] || { cat "$T/err"; fail "seed $seed: report exited $rc"; }
	expect_exit 0 $R --format html -o "$T/r.html"
	expect_exit 0 $R --format pdf -o "$T/r.pdf"
	pdftotext "$T/r.pdf" "$T/r.txt" || fail "pdftotext failed"
	$PY "$T/check.py" "$T/hidden.txt" "$T/r.json" "$T/r.html" "$T/r.txt" ||
		fail "seed $seed: a hidden unit appears ($(cat "$T/gen.out"))"
	n=$($PY -c 'import json,sys; print(sum(u["level"] == "team" for u in json.load(open(sys.argv[1]))["units"]))' "$T/r.json")
	shown=$((shown + n))
	# every team the JSON has is in the HTML and the PDF too
	for u in $($PY -c 'import json,sys; print(" ".join(u["unit"] for u in json.load(open(sys.argv[1]))["units"]))' "$T/r.json"); do
		grep -q "$u" "$T/r.html" && grep -q "$u" "$T/r.txt" || fail "seed $seed: $u is in the JSON only"
	done
done
[ "$shown" -ge 10 ] || fail "only $shown teams shown over all companies: the property holds vacuously"
exit 0
