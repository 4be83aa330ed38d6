# The SPEC 6 reference (spec6.py) compared number by number with
# rules/expr*.c on random expressions over a small hierarchy, without hidden
# cells and with random ones (SPEC 3): the value, and whether the
# evaluation read a hidden cell, must agree.
# usage: expr_ref.py SEED COUNT DRIVER  (DRIVER: tests/reference/expr_driver.c built)
import math, os, random, subprocess, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from spec6 import Model, Skip, gen, hier, lookback, src  # noqa: E402
seed = int(sys.argv[1]); N = int(sys.argv[2]); DRIVER = sys.argv[3]
R = random.Random(seed)
parent = [-1, 0, 0, 0, 1, -1]
inds = ['headcount', 'x', 'y', 'x_max']   # x_max: the companion of x
# 18 periods: enough for a year-ago baseline of +-2 periods
P0, NP, FLOOR = 50, 18, 5.0
nu = len(parent)
val = {}
for u in range(nu):
    for i, name in enumerate(inds):
        for t in range(NP):
            if R.random() < 0.2: v = None
            elif name == 'headcount': v = float(R.randint(2, 15))
            elif name == 'x_max': v = float(R.choice([0, 0.5, 1, 2, 5, 8, 13]))
            else: v = float(R.choice([0, 1, 2, 3, 5, 8, 13, 20, 0.5]))
            val[(u, name, P0 + t)] = v
# A unit with a first period of no value at all, then data: its first data
# is later than the series'.
for name in inds:
    val[(5, name, P0)] = None
    val[(5, name, P0 + 1)] = None
firsts = {u: min([p for (v, _, p), x in val.items() if v == u and x is not None], default=None)
          for u in range(nu)}
get = lambda name, u, p: val.get((u, name, p)) if name in inds else None
hid = {(u, name, P0 + t): R.random() < 0.1 for u in range(nu) for name in inds for t in range(NP)}
hidden = lambda name, u, p: hid.get((u, name, p), False)
companion = lambda name: name + '_max' if name + '_max' in inds else None
M = Model(parent, get, FLOOR, first=lambda u: firsts[u])
MC = Model(parent, get, FLOOR, first=lambda u: firsts[u], hidden=hidden, companion=companion)
# the same with every tail probability moved by 1e-12: where the result
# moves more than the comparison allows, it is ill-conditioned
Mp = Model(parent, get, FLOOR, first=lambda u: firsts[u], perturb=1e-12)
ev = M.ev
NAMES = ['x', 'y', 'headcount', 'x', 'nosuch']
CONSTS = [0.0, 1.0, 2.0, 0.5, 3.0, 1e308, 10.0]

exprs = [gen(R, R.randint(1, 5), NAMES, CONSTS) for _ in range(N)]
inp = [f"{nu} {len(inds)} {P0} {NP} {FLOOR}", ' '.join(map(str, parent)), ' '.join(inds)]
vals = []
for u in range(nu):
    for name in inds:
        for t in range(NP):
            v = val[(u, name, P0 + t)]
            vals.append('nan' if v is None else repr(v))
inp.append(' '.join(vals))
inp.append(' '.join('1' if hid[(u, name, P0 + t)] else '0'
                    for u in range(nu) for name in inds for t in range(NP)))
inp += [src(R, e) for e in exprs]
out = subprocess.run([DRIVER], input='\n'.join(inp) + '\n', capture_output=True, text=True).stdout.split('\n')
i = 0; bad = 0; checked = 0; skipped = 0; hidden_reads = 0


def same(c, r):
    if r is None:
        return math.isnan(c)
    return not math.isnan(c) and abs(c - r) <= 1e-9 * max(abs(r), 1e-300) + 1e-15

for e in exprs:
    line = out[i]; i += 1
    if not line.startswith('LB'):
        print('compile fail', src(R, e), line); bad += 1; continue
    _, lb, h = line.split()
    if int(lb) != lookback(e) or bool(int(h)) != hier(e):
        print('lookback/hier', src(R, e), lb, h, lookback(e), hier(e)); bad += 1
    for u in range(nu):
        for p in range(P0 - 2, P0 + NP + 1):
            cs, ccs, chs = out[i].split(); i += 1
            c, cc = float(cs), float(ccs)
            try:
                r = ev(e, u, p)
                rc, rh = MC.evt(e, u, p)
            except Skip:
                skipped += 1
                continue
            checked += 1
            hidden_reads += rh
            if int(chs) != rh:
                bad += 1
                if bad < 10: print('MISMATCH hidden read', src(R, e), 'u', u, 'p', p, 'c', int(chs), 'py', rh)
                continue
            # a hidden read makes the value unspecified (C gives NAN)
            if not (same(c, r) and (rh or same(cc, rc))):
                rp = Mp.ev(e, u, p)
                if (r is None) != (rp is None) or (r is not None and
                        abs(r - rp) > 1e-9 * max(abs(r), 1e-300) + 1e-15):
                    skipped += 1
                    continue
                bad += 1
                if bad < 10: print('MISMATCH', src(R, e), 'u', u, 'p', p, 'c', c, cc, 'py', r, rc)
print('checked', checked, 'skipped', skipped, 'hidden reads', hidden_reads, 'bad', bad)
sys.exit(1 if bad else 0)
