# An independent implementation of SPEC 6 (expressions) and of the
# statistics of vigie-rules(5) in Python, shared by the reference tests:
# expr_ref.py compares it with rules/expr*.c through a small driver,
# engine_ref.py builds SPEC 2, 3 and 5 on top of it and compares with
# `vigie eval` and `vigie backtest`. Expressions are tuples:
# ('num', x), ('ind', name), ('neg'|'not'|'abs'|'sqrt'|'normal_tail', e), (binop, a, b),
# (window, e, n, k), (point, e, n), ('cusum'|'ewma', e, n, c),
# ('dispersion', c, x, n, k), ('seasonal_expected'|'seasonal_dispersion',
# c, x, years, halfwidth or None), ('coalesce'|'poisson_tail', a, b),
# ('nbinom_tail', k, m, d), ('credible_rate', c, x, prior, k),
# ('parent'|'peer_avg'|'top', e), ('peer_expected', c, x).
# Undefined is None. Windows and everything else that reads earlier
# periods are undefined when they reach before the unit's first data
# (first(u): its first period with any value), count() excepted.
# With hidden cells (SPEC 3: hidden(name, u, p)), an evaluation also says
# whether it read one: an indicator whose cell is hidden, at any period and
# unit it reaches; a window (count() excepted) over an indicator X whose
# companion X_max adds up over the window's periods to more than dominance
# times X; parent() or top() of a unit below the floor. peer_avg() and
# peer_expected() leave out the siblings that would read one. A function
# reads every cell its definition names, whatever values it finds there.
import math

WINDOWS = ('sum', 'avg', 'min', 'max', 'count', 'stddev', 'slope')
POINTS = ('lag', 'delta', 'pct_change', 'zscore', 'rises')
SEQUENTIAL = ('cusum', 'ewma')
SEASONAL = ('seasonal_expected', 'seasonal_dispersion')
HIER = ('parent', 'peer_avg', 'top', 'peer_expected')


class Skip(Exception):
    """Arguments too large for this reference's plain summation; the
    comparison leaves the value out (unit tests check such cases against
    R)."""
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


def nbtail(k, m, d):
    """P(X >= round(k)), X negative binomial of mean m and variance d*m,
    by adding up its probabilities one by one (the C side uses the
    incomplete beta function)."""
    if k is None or m is None or d is None or m <= 0 or d > 1e6:
        return None
    if d <= 1:
        return ptail(k, m)
    K = rnd(k)
    if K <= 0:
        return 1.0
    if K > 1e6 or m > 1e5:
        raise Skip()
    K = int(K)
    r = m / (d - 1)
    q = 1 / d                         # success probability
    lq, l1q = -math.log(d), math.log1p(-q)

    def lpmf(j):
        return math.lgamma(j + r) - math.lgamma(r) - math.lgamma(j + 1) + r * lq + j * l1q

    ratio = lambda j: (j + r) / (j + 1) * (1 - q)     # pmf(j+1) / pmf(j)
    if K > m:                         # the upper tail, from K on
        t = math.exp(lpmf(K))
        s, j = 0.0, K
        while True:
            s += t
            t *= ratio(j)
            j += 1
            if j > K + 200000:
                raise Skip()
            if t <= s * 1e-17 or t == 0:
                return s
    t = math.exp(lpmf(K - 1))         # one minus the lower part, K-1 down to 0
    s = 0.0
    for j in range(K - 1, -1, -1):
        s += t
        if j:
            t /= ratio(j - 1)
    return max(0.0, 1.0 - s)


def credible(c, x, prior, k):
    if None in (c, x, prior, k) or x < 0 or k < 0 or x + k == 0:
        return None
    return fin((c + k * prior) / (x + k))


def pooled(pairs):
    """(rate, dispersion) of Farrington's quasi-Poisson baseline over the
    (count, exposure) pairs with both defined and a positive exposure;
    None where undefined."""
    ps = [(c, x) for c, x in pairs if c is not None and x is not None and x > 0]
    if not ps:
        return None, None
    sc, sx = _sum(c for c, _ in ps), _sum(x for _, x in ps)
    if not (math.isfinite(sc) and math.isfinite(sx)):
        return None, None
    rate = fin(sc / sx)
    if rate is None or len(ps) < 2:
        return rate, None
    if rate <= 0:
        return rate, 1.0
    chi = 0.0
    for c, x in ps:
        mu = x * rate
        if mu == 0:
            return rate, None
        chi += (c - mu) * (c - mu) / mu
    d = fin(chi / (len(ps) - 1))
    return rate, None if d is None else max(1.0, d)


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

    def __init__(self, parent, get, floor, headcount='headcount', first=None,
                 gran='month', perturb=0.0, hidden=None, companion=None,
                 dominance=0.85):
        self.parent = parent
        # hidden(name, u, p) -> bool, or None: no cells, the floor only
        self.hidden = hidden
        self.companion = companion or (lambda name: None)
        self.dominance = dominance
        self.t = False       # the evaluation under way read a hidden cell
        # a relative change to every tail probability: a value that moves
        # with it is ill-conditioned (stddev of nearly equal tails), and two
        # correct implementations may disagree on it
        self.perturb = perturb
        self.first = first or (lambda u: None)
        self.year = 52 if gran == 'week' else 12
        self.half = 3 if gran == 'week' else 1
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
            r, t = self.memo[key]
        else:
            outer, self.t = self.t, False
            r = self._ev(e, u, p)
            t = self.t
            self.memo[key] = (r, t)
            self.t = outer
        self.t = self.t or t
        return r

    def evt(self, e, u, p):
        """(value of e for u at p, whether it read a hidden cell)."""
        outer, self.t = self.t, False
        r = self.ev(e, u, p)
        t, self.t = self.t, outer
        return r, t

    def read(self, name, u, p):
        if self.hidden is not None and self.hidden(name, u, p):
            self.t = True
        return self.get(name, u, p)

    def dominated(self, body, u, qs):
        """A window over the indicator X whose X_max, summed over the
        window's periods, exceeds dominance times X's sum reads a hidden
        value."""
        if self.hidden is None or body[0] != 'ind':
            return
        cx = self.companion(body[1])
        if cx is None:
            return
        xs = [y for y in (self.get(body[1], u, q) for q in qs) if y is not None]
        ms = [y for y in (self.get(cx, u, q) for q in qs) if y is not None]
        if xs and ms and _sum(ms) > self.dominance * _sum(xs):
            self.t = True

    def reaches(self, u, q):
        """A read of u's period q is before its first data."""
        f = self.first(u)
        return f is None or q < f

    def other(self, e, v, p):
        """e read for another unit v: undefined where v is suppressed, and
        a hidden read then when there are cells."""
        if self.supp(v, p):
            if self.hidden is not None:
                self.t = True
            return None
        return self.ev(e, v, p)

    def peer(self, e, v, p):
        """e for the sibling v, None when v is suppressed or e would read a
        hidden cell there (left out, not a hidden read)."""
        if self.supp(v, p):
            return None
        r, t = self.evt(e, v, p)
        return None if t else r

    def _ev(self, e, u, p):
        ev = self.ev
        op = e[0]
        if op == 'num':
            return e[1]
        if op == 'ind':
            return self.read(e[1], u, p)
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
            if f != 'count' and self.reaches(u, p - k - n + 1):
                return None
            xs = [(i, ev(e[1], u, p - k - n + 1 + i)) for i in range(n)]
            if f != 'count':
                self.dominated(e[1], u, range(p - k - n + 1, p - k + 1))
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
        if f in POINTS and self.reaches(u, p - e[2]):
            return None
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
        if f in SEQUENTIAL:
            n, c = e[2], e[3]
            if self.reaches(u, p - n + 1):
                return None
            ys = [y for y in (ev(e[1], u, p - n + 1 + i) for i in range(n)) if y is not None]
            self.dominated(e[1], u, range(p - n + 1, p + 1))
            if not ys:
                return None
            z = 0.0
            for y in ys:
                z = max(0.0, z + y - c) if f == 'cusum' else c * y + (1 - c) * z
            return fin(z)
        if f == 'dispersion':
            n, k = e[3], e[4]
            if self.reaches(u, p - k - n + 1):
                return None
            qs = range(p - k - n + 1, p - k + 1)
            return pooled([(ev(e[1], u, q), ev(e[2], u, q)) for q in qs])[1]
        if f in SEASONAL:
            b, w = e[3], (self.half if e[4] is None else e[4])
            if self.reaches(u, p - b * self.year - w):
                return None
            qs = [p - y * self.year + j for y in range(1, b + 1) for j in range(-w, w + 1)]
            rate, disp = pooled([(ev(e[1], u, q), ev(e[2], u, q)) for q in qs])
            if f == 'seasonal_dispersion':
                return disp
            x = ev(e[2], u, p)
            return None if rate is None or x is None else fin(x * rate)
        if f == 'top':
            v = u
            while self.parent[v] >= 0:
                v = self.parent[v]
            return self.other(e[1], v, p)
        if f == 'peer_expected':
            q = self.parent[u]
            if q < 0:
                return None
            pairs = [(self.peer(e[1], c, p), self.peer(e[2], c, p))
                     for c in self.children[q] if c != u]
            rate = pooled([(a, b) if a is not None and b is not None else (None, None)
                           for a, b in pairs])[0]
            x = ev(e[2], u, p)
            return None if rate is None or x is None else fin(x * rate)
        if f == 'nbinom_tail':
            r = nbtail(ev(e[1], u, p), ev(e[2], u, p), ev(e[3], u, p))
            return r if r is None else min(1.0, r * (1 + self.perturb))
        if f == 'credible_rate':
            return credible(*(ev(x, u, p) for x in e[1:]))
        if f == 'sqrt':
            a = ev(e[1], u, p)
            return None if a is None or a < 0 else math.sqrt(a)
        if f == 'normal_tail':
            a = ev(e[1], u, p)
            return None if a is None else fin(0.5 * math.erfc(a / math.sqrt(2.0)))
        if f == 'abs':
            a = ev(e[1], u, p)
            return None if a is None else abs(a)
        if f == 'coalesce':
            a = ev(e[1], u, p)
            b = ev(e[2], u, p)
            return a if a is not None else b
        if f == 'parent':
            q = self.parent[u]
            if q < 0:
                return None
            return self.other(e[1], q, p)
        if f == 'peer_avg':
            q = self.parent[u]
            if q < 0:
                return None
            ys = [self.peer(e[1], c, p) for c in self.children[q] if c != u]
            ys = [y for y in ys if y is not None]
            if not ys:
                return None
            return fin(_sum(ys) / len(ys))
        if f == 'poisson_tail':
            r = ptail(ev(e[1], u, p), ev(e[2], u, p))
            return r if r is None else min(1.0, r * (1 + self.perturb))
        raise Exception(op)


def lookback(e):
    op = e[0]
    if op in ('num', 'ind'):
        return 0
    if op in WINDOWS:
        return lookback(e[1]) + e[2] - 1 + e[3]
    if op in POINTS:
        return lookback(e[1]) + e[2]
    if op in SEQUENTIAL:
        return lookback(e[1]) + e[2] - 1
    if op == 'dispersion':
        return max(lookback(e[1]), lookback(e[2])) + e[3] - 1 + e[4]
    if op in SEASONAL:
        # a bound for months and weeks alike: 52 periods a year, and the
        # weeks' default half-width
        return max(lookback(e[1]), lookback(e[2])) + 52 * e[3] + (3 if e[4] is None else e[4])
    return max(lookback(x) for x in e[1:] if isinstance(x, tuple))


def hier(e):
    if e[0] in HIER:
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
    f = R.choice(list(WINDOWS + POINTS + SEQUENTIAL + SEASONAL + HIER) +
                 ['abs', 'sqrt', 'normal_tail', 'coalesce', 'poisson_tail', 'nbinom_tail',
                  'credible_rate', 'dispersion'])
    g = lambda: gen(R, d - 1, names, consts)
    if f in WINDOWS:
        return (f, g(), R.randint(1, 4), R.randint(0, 2))
    if f == 'lag':
        return (f, g(), R.randint(0, 3))
    if f in POINTS:
        return (f, g(), R.randint(1, 3))
    if f == 'cusum':
        return (f, g(), R.randint(1, 5), R.choice([0.0, 0.5, 1.0, 2.5]))
    if f == 'ewma':
        return (f, g(), R.randint(1, 5), R.choice([1.0, 0.5, 0.3, 0.125]))
    if f == 'dispersion':
        return (f, g(), g(), R.randint(1, 6), R.randint(0, 2))
    if f in SEASONAL:
        return (f, g(), g(), 1, R.choice([None, 0, 1, 2]))
    if f == 'peer_expected':
        return (f, g(), g())
    if f in ('coalesce', 'poisson_tail'):
        return (f, g(), g())
    if f == 'nbinom_tail':
        return (f, g(), g(), g())
    if f == 'credible_rate':
        return (f, g(), g(), g(), g())
    return (f, g())


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
    if op in BINOPS:
        return '(' + src(R, e[1]) + ' ' + op + ' ' + src(R, e[2]) + ')'
    args = [src(R, x) if isinstance(x, tuple) else str(x) for x in e[1:] if x is not None]
    if op in WINDOWS and e[3] == 0 and R.random() < 0.5:
        args = args[:2]
    if op == 'dispersion' and e[4] == 0 and R.random() < 0.5:
        args = args[:3]
    return op + '(' + ', '.join(args) + ')'
