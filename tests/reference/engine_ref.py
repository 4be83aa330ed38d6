# An independent implementation of the rules engine from the SPEC text
# (roll-up 2, anonymity floor, cells, complementary suppression and
# dominance 3, thresholds/for/hysteresis/carry_over 5,
# expressions 6 and the statistics of vigie-rules(5) through spec6.py, a
# rule's observed and expected, JSON of `vigie eval` and `vigie backtest`
# 10), compared
# end to end with the real binary: a random hierarchy, data and rule set
# made from SEED are imported with `vigie import` into a fresh database,
# then every row of `vigie eval --format json` (at the latest period and two
# others) and every transition of `vigie backtest --format json` must equal
# what this file computes. Rows: rule file order, then unit path order
# (strcmp); transitions: period, then rule, then unit.
# usage: engine_ref.py SEED OUTDIR VIGIE_BIN   (exit 0 agree, 1 disagree, 2 error)
import json, math, os, random, subprocess, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from spec6 import Model, Skip, gen, src  # noqa: E402

seed, OUT, VIGIE = int(sys.argv[1]), sys.argv[2], sys.argv[3]
R = random.Random(seed)
os.makedirs(OUT, exist_ok=True)
INDS = ['headcount', 'absences', 'conflicts']
COMPANIONS = ['absences_max']     # SPEC 3: the largest share of one employee


def pname(m):
    return '%04d-%02d' % (m // 12, m % 12 + 1)


# --- the hierarchy: two top units that exist only as ancestors, children,
# grandchildren; segment names with '-', '.' and '_' so that path order
# (strcmp: '-' < '.' < '/' < '_') differs from a depth-first walk.
TOPS = ['acme', 'acme-b', 'acme.c', 'Zeta', 'b2']
SEGS = ['a', 'a-1', 'a.2', 'B', 'log', 'q_r', 'x', 'x-y']
while True:
    units = []
    for t in R.sample(TOPS, 2):
        units.append(t)
        for c in R.sample(SEGS, R.randint(2, 3)):
            units.append(t + '/' + c)
            if R.random() < 0.5:
                for g in R.sample(SEGS, R.randint(1, 2)):
                    units.append(t + '/' + c + '/' + g)
    if 8 <= len(units) <= 15:
        break
units.sort(key=lambda s: s.encode())
NU = len(units)
uidx = {u: i for i, u in enumerate(units)}
parent = [uidx.get(u.rsplit('/', 1)[0], -1) if '/' in u else -1 for u in units]
kids = {i: [c for c in range(NU) if parent[c] == i] for i in range(NU)}
leaves = [i for i in range(NU) if not kids[i]]
middles = [i for i in range(NU) if kids[i] and parent[i] >= 0]

# --- periods and imported values
NP = R.randint(12, 24)
# A year earlier than drawn: the last period (up to 23 later) stays before
# 2026-12, as `vigie import` refuses periods after the current one (SPEC 4).
P0 = R.randint(2022 * 12, 2025 * 12 + 11) - 12
PER = list(range(P0, P0 + NP))
FLOOR = R.choice([3, 4, 5, 5, 6])
imported = {}
for n, u in enumerate(leaves):
    first = P0 if n == 0 or R.random() < 0.6 else P0 + R.randint(1, 4)
    last = P0 + NP - 1 if n == 0 or R.random() < 0.8 else P0 + NP - 1 - R.randint(1, 3)
    for p in range(first, last + 1):
        for ind in INDS:
            if R.random() < (0.08 if ind == 'headcount' else 0.15):
                continue
            if ind == 'headcount':
                v = float(R.choice([R.randint(3, 14), R.randint(1, 6)]))
            elif ind == 'absences':
                v = float(R.choice([0, 1, 2, 3, 5, 8, 13, 20, 0.5, 40]))
            else:
                v = float(R.randint(0, 4))
            imported[(u, ind, p)] = v
        # the most absent employee's days: often most of the team's, so
        # that cells, groups and windows are dominated now and then
        if (u, 'absences', p) in imported and R.random() < 0.7:
            a = imported[(u, 'absences', p)]
            imported[(u, 'absences_max', p)] = float(R.choice([0, a / 4, a / 2, a * 0.875, a]))
for u in middles:
    if R.random() < 0.5:
        for p in PER:
            for ind in INDS:
                if R.random() < 0.2:
                    imported[(u, ind, p)] = float(R.randint(0, 30))
            # a site's own most absent employee, who may be one of its
            # own staff or of a team
            if (u, 'absences', p) in imported and R.random() < 0.5:
                a = imported[(u, 'absences', p)]
                imported[(u, 'absences_max', p)] = float(R.choice([0, a / 2, a * 0.9, a]))
for (ind, p) in [('headcount', P0), ('headcount', P0 + NP - 1)]:
    imported.setdefault((leaves[0], ind, p), 7.0)    # the series spans PER

ALL = INDS + [c for c in COMPANIONS if any(k[1] == c for k in imported)]

# --- roll-up (SPEC 2; X_max as a maximum, SPEC 3): deepest units first
roll = {}
for u in sorted(range(NU), key=lambda i: -units[i].count('/')):
    for ind in ALL:
        for p in PER:
            if (u, ind, p) in imported:
                roll[(u, ind, p)] = imported[(u, ind, p)]
            else:
                ys = [roll[(c, ind, p)] for c in kids[u] if (c, ind, p) in roll]
                if ys:
                    s = 0.0
                    for y in ys:
                        s = max(s, y) if ind.endswith('_max') else s + y
                    roll[(u, ind, p)] = s


def get(name, u, p):
    return roll.get((u, name, p))


# each unit's first data: its first period with any value, own or rolled up
FIRST = {}
for (u, ind, p) in roll:
    FIRST[u] = min(p, FIRST.get(u, p))


# --- cells (SPEC 3), from its text: per period, a cell with a value is
# hidden when its unit is below the floor, a cell is when it is a
# companion, or when it is
# dominated (X_max > dominance X); then per indicator and parent, deepest
# first, the hidden children that have a value make a group which, while
# it counts fewer people than the floor or is dominated, takes in the
# visible child with the fewest people (ties: name order) and all its
# descendants, and when none is left the parent's own cell is hidden. The
# people behind a value: a unit's headcount, or for a value rolled up from
# children that have one, the sum of theirs (a site whose only reporting
# team has 3 people shows those 3 people's figure). A unit with a value
# imported for itself beside its children's counts people in no child, its
# own staff: as many as its headcount (none: 0) minus its children's
# people, with its value minus theirs; they are in the group unless there
# is no one and nothing there, and its people are its headcount. Their most
# concerned employee is at most the unit's own imported X_max and at most
# their own figure.
DOMINANCE = R.choice([0.85, 0.85, 0.5, 0.95])
COMP = {x: x + '_max' for x in ALL if x + '_max' in ALL}


def dominated(x, m):
    return x is not None and m is not None and m > DOMINANCE * x


def subtree(u):
    out = [u]
    for c in kids[u]:
        out += subtree(c)
    return out


def hidden_cells(floor):
    """The hidden cells at one floor: the configuration's, or a rule's
    own min_headcount (SPEC 5: it raises the anonymity floor for that
    rule, against subtraction too)."""
    HIDDEN = set()
    for p in PER:
        for u in range(NU):
            h = roll.get((u, 'headcount', p))
            below = h is None or h < floor
            for x in ALL:
                # a cell without a value gives nothing away: not hidden
                if (below and (u, x, p) in roll) or x not in INDS or (x in COMP and dominated(
                        roll.get((u, x, p)), roll.get((u, COMP[x], p)))):
                    HIDDEN.add((u, x, p))
        for x in INDS:
            people = {}
            for u in sorted(range(NU), key=lambda i: -units[i].count('/')):
                ks = [c for c in kids[u] if (c, x, p) in roll]
                own = ks and (u, x, p) in imported
                hc = roll.get((u, 'headcount', p))
                people[u] = sum(people[c] for c in ks) if ks and not (own and hc is not None) \
                    else (hc or 0.0)
                group = [c for c in ks if (c, x, p) in HIDDEN]
                staff, staff_x = 0.0, 0.0
                if own:
                    rest = (hc or 0.0) - sum(people[c] for c in ks)
                    kidsum = sum(roll[(c, x, p)] for c in ks)
                    diff = imported[(u, x, p)] - kidsum
                    if rest >= 0.5 or abs(diff) > 1e-9 * max(1.0, abs(kidsum)):
                        group.append('staff')
                        staff, staff_x = max(rest, 0.0), diff
                if not group:
                    continue

                def exposed(g):
                    ms = [roll[(c, COMP[x], p)] for c in g
                          if c != 'staff' and x in COMP and (c, COMP[x], p) in roll]
                    # the own staff's most concerned employee: at most the
                    # unit's own X_max, and at most their own figure (0 is
                    # no one's)
                    if 'staff' in g and x in COMP and (u, COMP[x], p) in imported:
                        ms.append(min(imported[(u, COMP[x], p)], max(staff_x, 0.0)))
                    return sum(staff if c == 'staff' else people[c] for c in g) < floor or \
                        dominated(sum(staff_x if c == 'staff' else roll[(c, x, p)] for c in g),
                                  max(ms) if ms else None)
                if not exposed(group):
                    continue
                for c in sorted((c for c in ks if (c, x, p) not in HIDDEN),
                                key=lambda c: (people[c], units[c].encode())):
                    HIDDEN.update((d, x, p) for d in subtree(c))
                    group.append(c)
                    if not exposed(group):
                        break
                else:
                    HIDDEN.add((u, x, p))
    return HIDDEN


CELLS = {}


def hidden_at(floor):
    if floor not in CELLS:
        cells = hidden_cells(floor)
        CELLS[floor] = lambda name, u, p: name in ALL and (u, name, p) in cells
    return CELLS[floor]


# --- CSV, long or wide form, rows shuffled
rows = sorted(imported.items())
R.shuffle(rows)
if R.random() < 0.5:
    lines = ['unit,period,indicator,value'] + [
        '%s,%s,%s,%r' % (units[u], pname(p), ind, v) for (u, ind, p), v in rows]
else:
    cells = {}
    for (u, ind, p), v in rows:
        cells.setdefault((u, p), {})[ind] = v
    cols = R.sample(ALL, len(ALL))
    lines = ['unit,period,' + ','.join(cols)]
    for (u, p), c in cells.items():
        lines.append('%s,%s,%s' % (units[u], pname(p), ','.join(
            repr(c[i]) if i in c else '' for i in cols)))
with open(os.path.join(OUT, 'data.csv'), 'w') as f:
    f.write('\n'.join(lines) + '\n')

# --- rules
H, A, C = ('ind', 'headcount'), ('ind', 'absences'), ('ind', 'conflicts')
TEMPLATES = [
    ('*', ('num', 100.0), ('/', ('sum', A, 3, 0), ('sum', H, 3, 0))),
    ('/', A, H),
    ('poisson_tail', C, ('avg', C, 6, 1)),
    ('-', C, ('peer_avg', C)),
    ('/', A, ('parent', ('/', A, H))),
    ('delta', A, 1),
    ('slope', A, 4, 0),
    ('zscore', A, 4),
    ('pct_change', ('sum', A, 2, 0), 2),
    ('+', ('coalesce', ('lag', C, 1), ('num', 0.0)), C),
    ('rises', A, 2),
    ('stddev', C, 3, 0),
    ('max', A, 3, 1),
    ('count', C, 3, 0),
    H,
    # the statistics of vigie-rules(5)
    ('nbinom_tail', C, ('+', ('num', 0.5), ('avg', C, 6, 1)), ('dispersion', C, H, 6, 1)),
    ('cusum', ('-', A, ('avg', A, 3, 1)), 4, 0.5),
    ('ewma', A, 3, 0.5),
    ('*', ('num', 100.0), ('credible_rate', ('sum', C, 3, 0), ('sum', H, 3, 0),
                           ('top', ('/', C, H)), ('num', 10.0))),
    ('seasonal_expected', A, H, 1, 0),
    ('-', C, ('peer_expected', C, H)),
    ('sqrt', A),
    ('normal_tail', ('-', A, ('avg', A, 3, 1))),
]
EXPECTED = [('peer_expected', C, H), ('*', ('num', 0.05), H),
            ('seasonal_expected', C, H, 1, None), ('avg', C, 3, 1),
            ('top', ('/', A, H))]
OBSERVED = [C, ('sum', C, 3, 0), ('/', A, H)]
GUARDS = [('>=', H, ('num', 6.0)), ('>', C, ('num', 0.0)),
          ('>=', ('count', A, 3, 0), ('num', 2.0)), A,
          ('or', ('>', A, ('num', 2.0)), ('not', C))]
NAMES = ['absences', 'conflicts', 'headcount', 'absences', 'conflicts',
         'absences', 'headcount', 'nosuch']
CONSTS = [0.0, 1.0, 2.0, 0.5, 3.0, 10.0, 100.0]


def glob_match(g, path):
    gs, ps = g.split('/'), path.split('/')

    def m(i, j):
        if i == len(gs):
            return j == len(ps)
        if gs[i] == '**':
            return any(m(i + 1, k) for k in range(j + 1, len(ps) + 1))
        return j < len(ps) and (gs[i] == '*' or gs[i] == ps[j]) and m(i + 1, j + 1)
    return m(0, 0)


models = {}


def model(floor):
    if floor not in models:
        models[floor] = Model(parent, get, floor, first=lambda u: FIRST.get(u),
                              hidden=hidden_at(floor), companion=COMP.get,
                              dominance=DOMINANCE)
    return models[floor]


def num(x):
    return repr(float(x))


rules = []
for i in range(R.randint(10, 20)):
    r = {'id': 'r%02d' % i}
    r['expr'] = R.choice(TEMPLATES) if R.random() < 0.5 else gen(R, R.randint(1, 4), NAMES, CONSTS)
    r['when'] = (R.choice(GUARDS) if R.random() < 0.7 else gen(R, 2, NAMES, CONSTS)) \
        if R.random() < 0.25 else None
    sc = R.choice([None, None, '**', '*/*', '*', 'TOP/**', 'TOP/*/*', ['*/*/*', 'TOP']])
    tops = [u for u in units if '/' not in u]
    if isinstance(sc, list):
        sc = [s.replace('TOP', R.choice(tops)) for s in sc]
    elif sc:
        sc = sc.replace('TOP', R.choice(tops))
    r['scope'] = sc
    r['min_headcount'] = R.randint(3, 9) if R.random() < 0.3 else None
    r['for'] = R.randint(1, 3) if R.random() < 0.7 else None
    r['enabled'] = R.random() >= 0.1
    r['below'] = R.random() < 0.4
    r['carry_over'] = R.choice([None, None, 0, 1, 2, 4])
    r['expected'] = R.choice(EXPECTED) if R.random() < 0.3 else None
    r['observed'] = R.choice(OBSERVED) if r['expected'] and R.random() < 0.5 else None
    r['floor'] = max(FLOOR, r['min_headcount'] or 0)
    globs = [sc] if isinstance(sc, str) else (sc or ['**'])
    r['units'] = [u for u in range(NU) if any(glob_match(g, units[u]) for g in globs)]
    M = model(r['floor'])

    def vs(u, p, r=r, M=M):
        """(v(p), suppressed): the unit below the rule's floor, or a
        guard or value that reads a hidden cell."""
        if M.supp(u, p):
            return None, True
        if r['when'] is not None:
            g, t = M.evt(r['when'], u, p)
            if t:
                return None, True
            if g is None or g == 0:
                return None, False
        x, t = M.evt(r['expr'], u, p)
        return (None, True) if t else (x, False)
    r['vs'] = vs
    r['v'] = v = lambda u, p, vs=vs: vs(u, p)[0]
    # thresholds from the rule's own values, so that alerts fire sometimes
    try:
        vals = sorted({x for u in r['units'] for p in PER for x in [v(u, p)] if x is not None})
    except Skip:     # arguments beyond what the reference can add up
        r['expr'], r['when'] = H, None
        vals = sorted({x for u in r['units'] for p in PER for x in [v(u, p)] if x is not None})

    def cand():
        if not vals:
            return float(R.randint(0, 3))
        j = R.randrange(len(vals))
        a = vals[j]
        if R.random() < 0.4 and a == math.floor(a) and abs(a) < 1e9:
            return a                   # a tie: tests > against >=
        b = vals[j + 1] if j + 1 < len(vals) else a + 1 + abs(a)
        t = a + (b - a) / 2
        return t if math.isfinite(t) else a
    L = sorted({cand() for _ in range(3)})
    th = {}
    if len(L) == 1:
        th[R.choice(['warning', 'critical'])] = L[0]
    elif r['below']:
        th['critical'], th['warning'] = L[0], L[1]
        if len(L) == 3 and R.random() < 0.6:
            th['clear'] = L[2]
    else:
        th['warning'], th['critical'] = L[-2], L[-1]
        if len(L) == 3 and R.random() < 0.6:
            th['clear'] = L[0]
    if len(th) >= 2 and 'clear' not in th and R.random() < 0.25:
        del th[R.choice(['warning', 'critical'])]
    r['th'] = th
    rules.append(r)

with open(os.path.join(OUT, 'rules.yaml'), 'w') as f:
    f.write('rules:\n')
    for r in rules:
        f.write('  - id: %s\n    title: "Rule %s"\n    value: "%s"\n' % (r['id'], r['id'], src(R, r['expr'])))
        f.write('    %s: { %s }\n' % ('below' if r['below'] else 'above',
                                      ', '.join('%s: %s' % (k, num(x)) for k, x in r['th'].items())))
        if r['for']:
            f.write('    for: %d\n' % r['for'])
        if r['when'] is not None:
            f.write('    when: "%s"\n' % src(R, r['when']))
        if isinstance(r['scope'], list):
            f.write('    scope: [%s]\n' % ', '.join('"%s"' % s for s in r['scope']))
        elif r['scope']:
            f.write('    scope: "%s"\n' % r['scope'])
        if r['min_headcount']:
            f.write('    min_headcount: %d\n' % r['min_headcount'])
        if r['carry_over'] is not None:
            f.write('    carry_over: %d\n' % r['carry_over'])
        if r['expected']:
            f.write('    expected: "%s"\n' % src(R, r['expected']))
        if r['observed']:
            f.write('    observed: "%s"\n' % src(R, r['observed']))
        if not r['enabled']:
            f.write('    enabled: false\n')
CARRY = R.choice([None, None, 0, 1, 3])     # the configuration's; SPEC 5: 6
with open(os.path.join(OUT, 'vigie.yaml'), 'w') as f:
    f.write('database: %s\nrules: %s\nmin_headcount: %d\n' % (
        os.path.join(OUT, 'vigie.db'), os.path.join(OUT, 'rules.yaml'), FLOOR))
    if DOMINANCE != 0.85 or R.random() < 0.5:
        f.write('dominance: %r\n' % DOMINANCE)
    if CARRY is not None:
        f.write('carry_over: %d\n' % CARRY)


# --- SPEC 5, forward from the first period, for every rule and unit
def level(r, x):
    if x is None:
        return None
    th = r['th']
    beyond = (lambda t: x < t) if r['below'] else (lambda t: x > t)
    if 'critical' in th and beyond(th['critical']):
        return 'critical'
    if 'warning' in th and beyond(th['warning']):
        return 'warning'
    return None


def states(r, u):
    """[(v, level, active, severity)] for every period of PER."""
    th, out = r['th'], []
    ts = [t for k, t in th.items() if k != 'clear']
    clear = th.get('clear', (max if r['below'] else min)(ts))
    lowest = 'warning' if 'warning' in th else 'critical'
    n = r['for'] or 1
    carry = r['carry_over'] if r['carry_over'] is not None else \
        CARRY if CARRY is not None else 6
    active, sev, lv, undefined = False, None, [], 0
    for p in PER:
        x = r['v'](u, p)
        lv.append(level(r, x))
        undefined = undefined + 1 if x is None else 0
        if x is None:
            if undefined > carry:
                active, sev = False, None
        elif len(lv) >= n and all(lv[-n:]):
            active, sev = True, lv[-1]
        elif active and (x < clear if r['below'] else x > clear):
            sev = lv[-1] or lowest
        else:
            active, sev = False, None
        out.append((x, lv[-1], active, sev))
    return out


ST = {(ri, u): states(r, u) for ri, r in enumerate(rules) if r['enabled'] for u in r['units']}


def expect_eval(at):
    i = at - P0
    res = []
    for ri, r in enumerate(rules):
        if not r['enabled']:
            continue
        for u in r['units']:
            x, lv, act, sev = ST[(ri, u)][i]
            res.append({'rule': r['id'], 'unit': units[u], 'period': pname(at),
                        'value': x, 'level': lv, 'active': act, 'severity': sev,
                        'suppressed': r['vs'](u, at)[1]})
    return res


def expect_backtest(a, b):
    tr, counts = [], []
    alerts = {}
    touched = {}
    for p in range(a, b + 1):
        i = p - P0
        for ri, r in enumerate(rules):
            if not r['enabled']:
                continue
            for u in r['units']:
                s = ST[(ri, u)]
                prev = s[i - 1][3] if i > 0 else None
                x, _, act, sev = s[i]
                if prev == sev:
                    continue
                ev = 'firing' if prev is None else 'resolved' if sev is None else \
                    'escalated' if sev == 'critical' else 'deescalated'
                t = {'period': pname(p), 'rule': r['id'], 'unit': units[u],
                     'event': ev, 'severity': sev, 'previous': prev, 'value': x}
                if r['expected']:
                    M = model(r['floor'])

                    def shown(e):    # undefined where it reads a hidden cell
                        y, h = M.evt(e, u, p)
                        return None if h else y
                    t['observed'] = None if x is None else \
                        shown(r['observed']) if r['observed'] else x
                    t['expected'] = None if x is None else shown(r['expected'])
                tr.append(t)
                alerts[ri] = alerts.get(ri, 0) + (ev == 'firing')
                touched.setdefault(ri, set()).add(u)
    for ri, r in enumerate(rules):
        if r['enabled']:
            counts.append({'rule': r['id'], 'alerts': alerts.get(ri, 0),
                           'units': len(touched.get(ri, ()))})
    return {'transitions': tr, 'rules': counts}


# --- run the real thing and compare
def run(*args):
    p = subprocess.run([VIGIE, args[0], '-c', os.path.join(OUT, 'vigie.yaml')] + list(args[1:]),
                       capture_output=True, text=True)
    if p.returncode != 0:
        print('seed %d: vigie %s exited %d\n%s%s' % (seed, ' '.join(args), p.returncode,
                                                   p.stdout, p.stderr))
        print('files in', OUT)
        sys.exit(2)
    return p.stdout


def same_num(c, py):
    if c is None or py is None:
        return c is None and py is None
    return c == py or abs(c - py) <= 1e-9 * max(abs(c), abs(py))


bad, compared = [], 0


def compare(what, got, want):
    global compared
    if len(got) != len(want):
        bad.append('%s: %d rows from vigie, %d expected' % (what, len(got), len(want)))
    for k, (g, w) in enumerate(zip(got, want)):
        compared += 1
        diffs = [f for f in w if f not in g or
                 (not same_num(g[f], w[f]) if f in ('value', 'observed', 'expected')
                  else g[f] != w[f])]
        diffs += [f for f in g if f not in w]
        if diffs:
            bad.append('%s row %d differs in %s:\n  vigie:  %s\n  python: %s' % (
                what, k, ','.join(diffs), json.dumps(g, sort_keys=True),
                json.dumps(w, sort_keys=True)))
            if g.get('rule') != w.get('rule') or g.get('unit') != w.get('unit'):
                break    # out of step: the rest would only repeat it


run('import', os.path.join(OUT, 'data.csv'))
ats = [P0 + NP - 1] + R.sample(PER[:-1], 2)
for n, at in enumerate(ats):
    args = ['eval', '--format', 'json'] + (['--at', pname(at)] if n else [])
    compare(' '.join(args), json.loads(run(*args)), expect_eval(at))
a = R.choice(PER)
for lo, hi in [(P0, P0 + NP - 1), (a, R.choice(PER[a - P0:]))]:
    args = ['backtest', '--from', pname(lo), '--to', pname(hi), '--format', 'json']
    got, want = json.loads(run(*args)), expect_backtest(lo, hi)
    compare(' '.join(args) + ' transitions', got.get('transitions', []), want['transitions'])
    compare(' '.join(args) + ' rules', got.get('rules', []), want['rules'])
    if set(got) != {'transitions', 'rules'}:
        bad.append('%s: keys %s' % (' '.join(args), sorted(got)))

with open(os.path.join(OUT, 'expected.json'), 'w') as f:
    json.dump({'eval': {pname(at): expect_eval(at) for at in ats}}, f, indent=1)
print('seed %d: %d units, %d periods, %d rules, %d rows compared, %d disagreements' % (
    seed, NU, NP, len(rules), compared, len(bad)))
for b in bad[:8]:
    print(b)
if bad:
    print('files in', OUT)
sys.exit(1 if bad else 0)
