# An independent implementation of SPEC 6 in Python, compared number by
# number with rules/expr*.c on random expressions over a small hierarchy.
# usage: expr_ref.py SEED COUNT DRIVER  (DRIVER: tests/reference/expr_driver.c built)
import math, random, subprocess, sys
seed = int(sys.argv[1]); N = int(sys.argv[2]); DRIVER = sys.argv[3]
R = random.Random(seed)
parent = [-1, 0, 0, 0, 1, -1]
inds = ['headcount', 'x', 'y']
P0, NP, FLOOR = 50, 7, 5.0
nu = len(parent)
val = {}
for u in range(nu):
    for i, name in enumerate(inds):
        for t in range(NP):
            if R.random() < 0.2: v = None
            elif name == 'headcount': v = float(R.randint(2, 15))
            else: v = float(R.choice([0, 1, 2, 3, 5, 8, 13, 20, 0.5]))
            val[(u, name, P0 + t)] = v
children = {u: [c for c in range(nu) if parent[c] == u] for u in range(nu)}

def get(name, u, p):
    return val.get((u, name, p)) if name in inds else None
def fin(r):
    return r if r is not None and math.isfinite(r) else None
def supp(u, p):
    h = get('headcount', u, p)
    return h is None or h < FLOOR
def rnd(k):
    return math.copysign(math.floor(abs(k) + 0.5), k)
def ptail(k, m):
    if k is None or m is None or m <= 0: return None
    K = rnd(k)
    if K <= 0: return 1.0
    if K > 1e6: return 0.0
    K = int(K)
    lt = lambda j: -m + j * math.log(m) - math.lgamma(j + 1)
    if K > m:
        s = 0.0; j = K
        while True:
            t = math.exp(lt(j)); s += t; j += 1
            if t < s * 1e-18 or j > K + 10000: break
        return s
    return 1.0 - math.fsum(math.exp(lt(j)) for j in range(K))

def ev(e, u, p):
    op = e[0]
    if op == 'num': return e[1]
    if op == 'ind': return get(e[1], u, p)
    if op == 'neg':
        a = ev(e[1], u, p); return None if a is None else -a
    if op == 'not':
        a = ev(e[1], u, p); return None if a is None else float(a == 0)
    if op in ('+', '-', '*', '/'):
        a, b = ev(e[1], u, p), ev(e[2], u, p)
        if a is None or b is None: return None
        if op == '+': return fin(a + b)
        if op == '-': return fin(a - b)
        if op == '*': return fin(a * b)
        if b == 0: return None
        return fin(a / b)
    if op in ('<', '<=', '>', '>=', '==', '!='):
        a, b = ev(e[1], u, p), ev(e[2], u, p)
        if a is None or b is None: return None
        return float({'<': a < b, '<=': a <= b, '>': a > b, '>=': a >= b, '==': a == b, '!=': a != b}[op])
    if op == 'and':
        a, b = ev(e[1], u, p), ev(e[2], u, p)
        if a == 0 or b == 0: return 0.0
        if a is None or b is None: return None
        return 1.0
    if op == 'or':
        a, b = ev(e[1], u, p), ev(e[2], u, p)
        if (a is not None and a != 0) or (b is not None and b != 0): return 1.0
        if a is None or b is None: return None
        return 0.0
    f = op
    if f in ('sum', 'avg', 'min', 'max', 'count', 'stddev', 'slope'):
        n, k = e[2], e[3]
        xs = [(i, ev(e[1], u, p - k - n + 1 + i)) for i in range(n)]
        xs = [(i, y) for i, y in xs if y is not None]
        ys = [y for _, y in xs]
        if f == 'count': return float(len(ys))
        if f in ('sum', 'avg', 'min', 'max') and not ys: return None
        if f == 'sum':
            s = 0.0
            for y in ys: s += y
            return fin(s)
        if f == 'avg':
            s = 0.0
            for y in ys: s += y
            return fin(s / len(ys))
        if f == 'min': return min(ys)
        if f == 'max': return max(ys)
        if len(ys) < 2: return None
        s = 0.0
        for y in ys: s += y
        mean = s / len(ys)
        if f == 'stddev':
            return fin(math.sqrt(sum((y - mean) ** 2 for y in ys) / len(ys)))
        xm = sum(i for i, _ in xs) / len(xs)
        return fin(sum((i - xm) * (y - mean) for i, y in xs) / sum((i - xm) ** 2 for i, _ in xs))
    if f == 'lag': return ev(e[1], u, p - e[2])
    if f == 'delta':
        a, b = ev(e[1], u, p), ev(e[1], u, p - e[2])
        return None if a is None or b is None else fin(a - b)
    if f == 'pct_change':
        a, b = ev(e[1], u, p), ev(e[1], u, p - e[2])
        if a is None or b is None or b == 0: return None
        return fin(100 * (a - b) / b)
    if f == 'zscore':
        n = e[2]
        ys = [y for y in (ev(e[1], u, p - n + i) for i in range(n)) if y is not None]
        a = ev(e[1], u, p)
        if len(ys) < 2 or a is None: return None
        s = 0.0
        for y in ys: s += y
        mean = s / len(ys)
        sd = math.sqrt(sum((y - mean) ** 2 for y in ys) / len(ys))
        if sd == 0: return None
        return fin((a - mean) / sd)
    if f == 'rises':
        n = e[2]
        vs = [ev(e[1], u, p - n + i) for i in range(n + 1)]
        if any(v is None for v in vs): return None
        return float(all(vs[i + 1] > vs[i] for i in range(n)))
    if f == 'abs':
        a = ev(e[1], u, p); return None if a is None else abs(a)
    if f == 'coalesce':
        a = ev(e[1], u, p); b = ev(e[2], u, p)
        return a if a is not None else b
    if f == 'parent':
        q = parent[u]
        if q < 0 or supp(q, p): return None
        return ev(e[1], q, p)
    if f == 'peer_avg':
        q = parent[u]
        if q < 0: return None
        ys = [ev(e[1], c, p) for c in children[q] if c != u and not supp(c, p)]
        ys = [y for y in ys if y is not None]
        if not ys: return None
        s = 0.0
        for y in ys: s += y
        return fin(s / len(ys))
    if f == 'poisson_tail':
        return ptail(ev(e[1], u, p), ev(e[2], u, p))
    raise Exception(op)

def lookback(e):
    op = e[0]
    if op in ('num', 'ind'): return 0
    if op in ('sum', 'avg', 'min', 'max', 'count', 'stddev', 'slope'): return lookback(e[1]) + e[2] - 1 + e[3]
    if op in ('lag', 'delta', 'pct_change', 'zscore', 'rises'): return lookback(e[1]) + e[2]
    return max(lookback(x) for x in e[1:] if isinstance(x, tuple))
def hier(e):
    if e[0] in ('parent', 'peer_avg'): return True
    return any(hier(x) for x in e[1:] if isinstance(x, tuple))

def gen(d):
    if d <= 0 or R.random() < 0.25:
        if R.random() < 0.6: return ('ind', R.choice(['x', 'y', 'headcount', 'x', 'nosuch']))
        return ('num', R.choice([0.0, 1.0, 2.0, 0.5, 3.0, 1e308, 10.0]))
    c = R.random()
    if c < 0.35:
        return (R.choice(['+', '-', '*', '/', '<', '<=', '>', '>=', '==', '!=', 'and', 'or']), gen(d - 1), gen(d - 1))
    if c < 0.42: return (R.choice(['neg', 'not']), gen(d - 1))
    f = R.choice(['sum', 'avg', 'min', 'max', 'count', 'stddev', 'slope', 'lag', 'delta', 'pct_change', 'zscore', 'rises', 'abs', 'coalesce', 'parent', 'peer_avg', 'poisson_tail'])
    if f in ('sum', 'avg', 'min', 'max', 'count', 'stddev', 'slope'): return (f, gen(d - 1), R.randint(1, 4), R.randint(0, 2))
    if f == 'lag': return (f, gen(d - 1), R.randint(0, 3))
    if f in ('delta', 'pct_change', 'zscore', 'rises'): return (f, gen(d - 1), R.randint(1, 3))
    if f in ('coalesce', 'poisson_tail'): return (f, gen(d - 1), gen(d - 1))
    return (f, gen(d - 1))

def src(e):
    op = e[0]
    if op == 'num': return repr(e[1])
    if op == 'ind': return e[1]
    if op == 'neg': return '-(' + src(e[1]) + ')'
    if op == 'not': return '(not ' + src(e[1]) + ')'
    if len(e) == 3 and not isinstance(e[2], int) and op not in ('coalesce', 'poisson_tail'):
        return '(' + src(e[1]) + ' ' + op + ' ' + src(e[2]) + ')'
    args = [src(x) if isinstance(x, tuple) else str(x) for x in e[1:]]
    if op in ('sum', 'avg', 'min', 'max', 'count', 'stddev', 'slope') and e[3] == 0 and R.random() < 0.5: args = args[:2]
    return op + '(' + ', '.join(args) + ')'

exprs = [gen(R.randint(1, 5)) for _ in range(N)]
inp = [f"{nu} {len(inds)} {P0} {NP} {FLOOR}", ' '.join(map(str, parent)), ' '.join(inds)]
vals = []
for u in range(nu):
    for name in inds:
        for t in range(NP):
            v = val[(u, name, P0 + t)]
            vals.append('nan' if v is None else repr(v))
inp.append(' '.join(vals))
inp += [src(e) for e in exprs]
out = subprocess.run([DRIVER], input='\n'.join(inp) + '\n', capture_output=True, text=True).stdout.split('\n')
i = 0; bad = 0; checked = 0
for e in exprs:
    line = out[i]; i += 1
    if not line.startswith('LB'):
        print('compile fail', src(e), line); bad += 1; continue
    _, lb, h = line.split()
    if int(lb) != lookback(e) or bool(int(h)) != hier(e):
        print('lookback/hier', src(e), lb, h, lookback(e), hier(e)); bad += 1
    for u in range(nu):
        for p in range(P0 - 2, P0 + NP + 1):
            c = float(out[i]); i += 1
            r = ev(e, u, p); checked += 1
            if r is None:
                ok = math.isnan(c)
            else:
                ok = not math.isnan(c) and abs(c - r) <= 1e-9 * max(abs(r), 1e-300) + 1e-15
            if not ok:
                bad += 1
                if bad < 10: print('MISMATCH', src(e), 'u', u, 'p', p, 'c', c, 'py', r)
print('checked', checked, 'bad', bad)
sys.exit(1 if bad else 0)
