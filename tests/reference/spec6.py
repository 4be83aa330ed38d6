# An independent implementation of SPEC 6 (expressions) in Python, shared by
# the reference tests: expr_ref.py compares it with rules/expr*.c through a
# small driver, engine_ref.py builds SPEC 2, 3 and 5 on top of it and
# compares with `vigie eval` and `vigie backtest`. Expressions are tuples:
# ('num', x), ('ind', name), ('neg'|'not', e), (binop, a, b),
# (window, e, n, k), (point, e, n), ('abs', e), ('coalesce'|'poisson_tail',
# a, b), ('parent'|'peer_avg', e). Undefined is None.
import math

WINDOWS = ('sum', 'avg', 'min', 'max', 'count', 'stddev', 'slope')
POINTS = ('lag', 'delta', 'pct_change', 'zscore', 'rises')
BINOPS = ('+', '-', '*', '/', '<', '<=', '>', '>=', '==', '!=', 'and', 'or')


def fin(r):
    return r if r is not None and math.isfinite(r) else None


def rnd(k):
    return math.copysign(math.floor(abs(k) + 0.5), k)


def ptail(k, m):
    if k is None or m is None or m <= 0:
        return None
    K = rnd(k)
    if K <= 0:
        return 1.0
    if K > 1e6:
        return 0.0
    K = int(K)
    lt = lambda j: -m + j * math.log(m) - math.lgamma(j + 1)
    if K > m:
        s = 0.0
        j = K
        while True:
            t = math.exp(lt(j))
            s += t
            j += 1
            if t < s * 1e-18 or j > K + 10000:
                break
        return s
    return 1.0 - math.fsum(math.exp(lt(j)) for j in range(K))


def _sum(ys):
    # Left to right, as a reader of the SPEC would write it (not fsum).
    s = 0.0
    for y in ys:
        s += y
    return s


class Model:
    """A hierarchy and its roll-up values: parent[u] (-1 at top level),
    get(name, u, p) -> float or None, and the anonymity floor that
    parent() and peer_avg() respect (SPEC 6, hierarchy functions)."""

    def __init__(self, parent, get, floor, headcount='headcount'):
        self.parent = parent
        self.children = {u: [c for c in range(len(parent)) if parent[c] == u]
                         for u in range(len(parent))}
        self.get = get
        self.floor = floor
        self.headcount = headcount
        self.memo = {}

    def supp(self, u, p):
        h = self.get(self.headcount, u, p)
        return h is None or h < self.floor

    def ev(self, e, u, p):
        key = (id(e), u, p)
        if key in self.memo:
            return self.memo[key]
        r = self._ev(e, u, p)
        self.memo[key] = r
        return r

    def _ev(self, e, u, p):
        ev = self.ev
        op = e[0]
        if op == 'num':
            return e[1]
        if op == 'ind':
            return self.get(e[1], u, p)
        if op == 'neg':
            a = ev(e[1], u, p)
            return None if a is None else -a
        if op == 'not':
            a = ev(e[1], u, p)
            return None if a is None else float(a == 0)
        if op in ('+', '-', '*', '/'):
            a, b = ev(e[1], u, p), ev(e[2], u, p)
            if a is None or b is None:
                return None
            if op == '+':
                return fin(a + b)
            if op == '-':
                return fin(a - b)
            if op == '*':
                return fin(a * b)
            if b == 0:
                return None
            return fin(a / b)
        if op in ('<', '<=', '>', '>=', '==', '!='):
            a, b = ev(e[1], u, p), ev(e[2], u, p)
            if a is None or b is None:
                return None
            return float({'<': a < b, '<=': a <= b, '>': a > b, '>=': a >= b,
                          '==': a == b, '!=': a != b}[op])
        if op == 'and':
            a, b = ev(e[1], u, p), ev(e[2], u, p)
            if a == 0 or b == 0:
                return 0.0
            if a is None or b is None:
                return None
            return 1.0
        if op == 'or':
            a, b = ev(e[1], u, p), ev(e[2], u, p)
            if (a is not None and a != 0) or (b is not None and b != 0):
                return 1.0
            if a is None or b is None:
                return None
            return 0.0
        f = op
        if f in WINDOWS:
            n, k = e[2], e[3]
            xs = [(i, ev(e[1], u, p - k - n + 1 + i)) for i in range(n)]
            xs = [(i, y) for i, y in xs if y is not None]
            ys = [y for _, y in xs]
            if f == 'count':
                return float(len(ys))
            if f in ('sum', 'avg', 'min', 'max') and not ys:
                return None
            if f == 'sum':
                return fin(_sum(ys))
            if f == 'avg':
                return fin(_sum(ys) / len(ys))
            if f == 'min':
                return min(ys)
            if f == 'max':
                return max(ys)
            if len(ys) < 2:
                return None
            mean = _sum(ys) / len(ys)
            if f == 'stddev':
                return fin(math.sqrt(sum((y - mean) ** 2 for y in ys) / len(ys)))
            xm = sum(i for i, _ in xs) / len(xs)
            return fin(sum((i - xm) * (y - mean) for i, y in xs) /
                       sum((i - xm) ** 2 for i, _ in xs))
        if f == 'lag':
            return ev(e[1], u, p - e[2])
        if f == 'delta':
            a, b = ev(e[1], u, p), ev(e[1], u, p - e[2])
            return None if a is None or b is None else fin(a - b)
        if f == 'pct_change':
            a, b = ev(e[1], u, p), ev(e[1], u, p - e[2])
            if a is None or b is None or b == 0:
                return None
            return fin(100 * (a - b) / b)
        if f == 'zscore':
            n = e[2]
            ys = [y for y in (ev(e[1], u, p - n + i) for i in range(n)) if y is not None]
            a = ev(e[1], u, p)
            if len(ys) < 2 or a is None:
                return None
            mean = _sum(ys) / len(ys)
            sd = math.sqrt(sum((y - mean) ** 2 for y in ys) / len(ys))
            if sd == 0:
                return None
            return fin((a - mean) / sd)
        if f == 'rises':
            n = e[2]
            vs = [ev(e[1], u, p - n + i) for i in range(n + 1)]
            if any(v is None for v in vs):
                return None
            return float(all(vs[i + 1] > vs[i] for i in range(n)))
        if f == 'abs':
            a = ev(e[1], u, p)
            return None if a is None else abs(a)
        if f == 'coalesce':
            a = ev(e[1], u, p)
            b = ev(e[2], u, p)
            return a if a is not None else b
        if f == 'parent':
            q = self.parent[u]
            if q < 0 or self.supp(q, p):
                return None
            return ev(e[1], q, p)
        if f == 'peer_avg':
            q = self.parent[u]
            if q < 0:
                return None
            ys = [ev(e[1], c, p) for c in self.children[q]
                  if c != u and not self.supp(c, p)]
            ys = [y for y in ys if y is not None]
            if not ys:
                return None
            return fin(_sum(ys) / len(ys))
        if f == 'poisson_tail':
            return ptail(ev(e[1], u, p), ev(e[2], u, p))
        raise Exception(op)


def lookback(e):
    op = e[0]
    if op in ('num', 'ind'):
        return 0
    if op in WINDOWS:
        return lookback(e[1]) + e[2] - 1 + e[3]
    if op in POINTS:
        return lookback(e[1]) + e[2]
    return max(lookback(x) for x in e[1:] if isinstance(x, tuple))


def hier(e):
    if e[0] in ('parent', 'peer_avg'):
        return True
    return any(hier(x) for x in e[1:] if isinstance(x, tuple))


def gen(R, d, names, consts):
    """A random expression of depth at most d over indicator names and
    constants (lists to choose from; repeat an entry to weigh it)."""
    if d <= 0 or R.random() < 0.25:
        if R.random() < 0.6:
            return ('ind', R.choice(names))
        return ('num', R.choice(consts))
    c = R.random()
    if c < 0.35:
        return (R.choice(BINOPS), gen(R, d - 1, names, consts), gen(R, d - 1, names, consts))
    if c < 0.42:
        return (R.choice(['neg', 'not']), gen(R, d - 1, names, consts))
    f = R.choice(list(WINDOWS + POINTS) + ['abs', 'coalesce', 'parent', 'peer_avg', 'poisson_tail'])
    if f in WINDOWS:
        return (f, gen(R, d - 1, names, consts), R.randint(1, 4), R.randint(0, 2))
    if f == 'lag':
        return (f, gen(R, d - 1, names, consts), R.randint(0, 3))
    if f in POINTS:
        return (f, gen(R, d - 1, names, consts), R.randint(1, 3))
    if f in ('coalesce', 'poisson_tail'):
        return (f, gen(R, d - 1, names, consts), gen(R, d - 1, names, consts))
    return (f, gen(R, d - 1, names, consts))


def src(R, e):
    """The source text of e; R decides whether a zero offset is written."""
    op = e[0]
    if op == 'num':
        return repr(e[1])
    if op == 'ind':
        return e[1]
    if op == 'neg':
        return '-(' + src(R, e[1]) + ')'
    if op == 'not':
        return '(not ' + src(R, e[1]) + ')'
    if len(e) == 3 and not isinstance(e[2], int) and op not in ('coalesce', 'poisson_tail'):
        return '(' + src(R, e[1]) + ' ' + op + ' ' + src(R, e[2]) + ')'
    args = [src(R, x) if isinstance(x, tuple) else str(x) for x in e[1:]]
    if op in WINDOWS and e[3] == 0 and R.random() < 0.5:
        args = args[:2]
    return op + '(' + ', '.join(args) + ')'
