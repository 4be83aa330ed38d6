#!/usr/bin/python3
"""Synthetic companies for the detection benchmark (make bench-detect).

Draws a company of 3 to 5 sites and 40 to 120 leaf teams of 4 to 80 people
(sizes log-normal, skewed small), some teams grouped in departments, and
simulates 48 months of its HR life person by person: each employee has a
frailty and goes on sick leave in spells whose lengths are heavy-tailed
(some last months), has work accidents in proportion to the hours worked,
leaves (departures come in small bursts) and is replaced after a delay.
Overtime and rare events (conflicts, grievances, sanctions, violence,
harassment reports, visits to the occupational physician, contacts with the
social service) are drawn per team and month with a team effect and monthly
over-dispersion. The output is the wide CSV that `vigie import` reads, leaf
teams only (Vigie rolls up), with the SPEC 2 vocabulary and absence_days_max
(SPEC 3, dominance).

With --plant, the same company (byte for byte where nothing is planted)
carries situations of five kinds with modest effects: burnout, conflict,
reorganisation, harassment, an accident cluster; --truth writes where and
when (the ground truth of the scorer). Every random draw comes from a stream
named after the seed and what it is for (the structure, one team, one
situation), so planting a situation in one team changes nothing elsewhere
and nothing before its onset: the nothing-wrong company of the same seed is
the planted company's counterfactual.

Standard library only; deterministic for a given set of arguments:
  /usr/bin/python3 tests/bench/detect/gencompany.py --seed 3 --out quiet.csv
  /usr/bin/python3 tests/bench/detect/gencompany.py --seed 3 --plant \\
      --out planted.csv --truth truth.json

Baselines and their sources (every one is a parameter below):
- Absenteeism 5.5 % of working days (--absence): Ayming / AG2R La Mondiale,
  Baromètre de l'absentéisme (private sector, sickness and work accidents
  from the first day): 5.11 % in 2019 (12th edition), 6.70 % in 2022, 6.11 %
  in 2023 (16th edition, 2024); "nearly one employee in two was absent at
  least once in 2022" (15th edition). Spells: long ones (90 days and more)
  carry a growing share of days (+31 % in five years, 16th edition), which
  the heavy tail of SPELL_* reproduces. Winter peak: the barometer's
  monthly profile and Santé publique France's influenza / gastro-enteritis
  seasons (December to March), about +20 % of spells in January.
- Departures 14 per 100 employees a year (--turnover), resignations about
  9.5 (--resignations), permanent contracts: DARES, "Les mouvements de
  main-d'œuvre" (quarterly exits by reason; about 14 exits per 100
  permanent employees a year) and Dares Analyses n° 47, September 2022, "La
  France vit-elle une grande démission ?" (resignation rate 2.7 % a quarter
  in early 2022, about 10 a year, the highest since 2.9 % in early 2008).
  Departures are not independent: they come in small bursts (a gamma
  team-month effect) and some teams turn over more.
- Work accidents: Assurance Maladie - Risques professionnels, about 30
  accidents with time off per 1,000 employees a year (indice de fréquence
  30.1 in 2021, PLFSS annex "Programme de qualité et d'efficience AT-MP"),
  i.e. a frequency rate near 20 per million hours worked, from about 4
  (offices) to 40 and more (logistics, construction); days lost: about 68
  calendar days of temporary incapacity per accident with time off on
  average (the branch's annual reports, 2019), with a long tail.
- Overtime: DARES, "Les heures supplémentaires" (DSN): 15 to 17 hours a
  quarter per full-time employee paid by the hour in 2024-2025, 26 to 31 in
  transport-warehousing, construction and hospitality; much less for staff
  on a yearly days package (offices).
- Part-time work, about 17 % of employees (INSEE, Emploi et chômage).
- Paid leave: 25 working days a year, mostly in summer and at the end of
  the year (Code du travail L3141-3).
- Rare events have no national series; their rates are assumptions of the
  right order of magnitude, stated per 100 employees a year in RARE below
  and written down in tests/bench/detect/README.md. Visits to the
  occupational physician at the employee's request are a few per cent of
  the visits of the occupational health services (Présanse activity
  reports); the social service of a company sees a few employees in a
  hundred a year; harassment reports and violence incidents are rare, more
  frequent in teams facing the public (DARES-SUMER 2017: exposure to
  verbal aggression from the public in customer-facing jobs).
"""
import argparse
import json
import math
import random
import re
import sys

INDICATORS = [
    "headcount", "workable_days", "absence_days", "absence_days_max",
    "absence_episodes", "short_absences", "departures", "resignations",
    "hours_worked", "overtime_hours", "work_accidents", "accident_days_lost",
    "conflicts", "grievances", "disciplinary_actions", "violence_incidents",
    "harassment_reports", "medical_visits_on_request", "social_worker_contacts",
]

# Team profiles: relative absence level, accident frequency rate (accidents
# with time off per million hours), overtime hours per head and month,
# violence incidents per 100 employees a year, share of teams. Offices
# (administration, IT, sales support) have few accidents and little paid
# overtime; logistics the most of both (DARES, CNAM sector tables).
PROFILES = {
    "production": dict(absence=1.10, tf=25.0, overtime=6.0, violence=0.4, share=0.30,
                       names=["production", "fabrication", "conditionnement", "maintenance"]),
    "logistique": dict(absence=1.15, tf=35.0, overtime=9.0, violence=0.5, share=0.20,
                       names=["logistique", "expedition", "reception", "magasin", "transport"]),
    "bureau": dict(absence=0.80, tf=3.0, overtime=1.5, violence=0.2, share=0.30,
                   names=["administration", "comptabilite", "informatique", "achats", "rh", "qualite"]),
    "clientele": dict(absence=1.05, tf=8.0, overtime=3.0, violence=2.5, share=0.12,
                      names=["relation-client", "accueil", "vente", "sav"]),
    "service": dict(absence=1.20, tf=30.0, overtime=4.0, violence=1.5, share=0.08,
                    names=["restauration", "entretien", "nettoyage", "securite"]),
}

# Rare events per 100 employees a year (assumptions, see the module doc).
RARE = {
    "conflicts": 4.0,
    "grievances": 1.5,
    "disciplinary_actions": 2.0,
    "harassment_reports": 0.2,
    # Before the visits and contacts that long sick leaves bring (about 1
    # and 3 more per 100 employees a year, see simulate_team).
    "medical_visits_on_request": 2.5,
    "social_worker_contacts": 3.0,
}

SITES = ["lyon", "nancy", "rennes", "lille", "toulouse", "orleans", "dijon"]
DEPARTMENTS = ["production", "logistique", "support", "commercial", "services"]

# Sick-leave spells, in the employee's working days: short (1-3 days),
# medium (log-normal, median 8, 4 to 30 days) and long (log-normal, median
# 55 working days, about 2.5 months, up to a year). Mean about 13 days.
SPELL_SHORT, SPELL_MEDIUM = 0.42, 0.47
SPELL_MEDIUM_MEDIAN, SPELL_MEDIUM_SIGMA = 8.0, 0.6
SPELL_LONG_MEDIAN, SPELL_LONG_SIGMA = 55.0, 0.7
# Frailty: gamma, mean 1, shape 0.8: with about one spell a year on
# average, about half the employees are never absent in a year (Ayming).
FRAILTY_SHAPE = 0.8
# Days lost per work accident, calendar days: log-normal, mean 68 (CNAM),
# median about 37, capped at 18 months.
ACCIDENT_MEAN, ACCIDENT_SIGMA, ACCIDENT_CAP = 68.0, 1.1, 540
# Spell starts by calendar month, relative (winter epidemics, summer lull).
SEASON = [1.25, 1.15, 1.00, 0.93, 0.90, 0.86, 0.82, 0.84, 0.98, 1.04, 1.10, 1.22]
# Departures by calendar month (end of school year, September moves).
DEP_SEASON = [0.9, 0.8, 0.9, 0.9, 0.9, 1.1, 1.3, 1.2, 1.3, 1.0, 0.9, 0.8]
# Paid leave days by calendar month, 25 a year.
LEAVE = [1.0, 2.0, 1.0, 2.0, 2.0, 1.0, 5.0, 7.5, 1.0, 1.0, 0.5, 2.0]
HOURS_PER_DAY = 7.0
PART_TIME_SHARE = 0.17


def parse_period(s):
    try:
        y, m = int(s[:4]), int(s[5:7])
        if len(s) != 7 or s[4] != "-" or not 1 <= m <= 12:
            raise ValueError
    except ValueError:
        raise argparse.ArgumentTypeError("%r is not a month YYYY-MM" % s)
    return y, m


def parse_wave(s):
    """--wave YYYY-MM:FACTOR[:MONTHS]: a company-wide epidemic."""
    parts = s.split(":")
    if not 2 <= len(parts) <= 3:
        raise argparse.ArgumentTypeError("%r is not YYYY-MM:FACTOR[:MONTHS]" % s)
    try:
        factor = float(parts[1])
        months = int(parts[2]) if len(parts) == 3 else 1
    except ValueError:
        raise argparse.ArgumentTypeError("%r is not YYYY-MM:FACTOR[:MONTHS]" % s)
    if not 1 <= factor <= 10 or not 1 <= months <= 12:
        raise argparse.ArgumentTypeError("%r: FACTOR is 1 to 10, MONTHS 1 to 12" % s)
    return parse_period(parts[0]), factor, months


def wave_factors(first, months, waves, trend):
    """Per month, what company-wide events do to every employee's spell
    hazard: each wave multiplies it over its months, and the trend makes it
    grow by `trend` of its level a year (compounded monthly), from 1 in the
    first month."""
    f = [(1 + trend) ** (m / 12.0) for m in range(months)]
    for (y, mo), factor, n in waves:
        start = (y - first[0]) * 12 + mo - first[1]
        for m in range(max(0, start), min(months, start + n)):
            f[m] *= factor
    return f


def period_name(first, i):
    y, m = first
    m += i
    return "%04d-%02d" % (y + (m - 1) // 12, (m - 1) % 12 + 1)


def easter(y):
    """Gregorian Easter Sunday (anonymous algorithm, Meeus/Jones/Butcher)."""
    a, b, c = y % 19, y // 100, y % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l) // 451
    month = (h + l - 7 * m + 114) // 31
    day = (h + l - 7 * m + 114) % 31 + 1
    return month, day


def workdays(y, m):
    """Weekdays of the month minus French public holidays on weekdays."""
    import datetime
    e = datetime.date(y, *easter(y))
    holidays = {datetime.date(y, mm, dd) for mm, dd in
                [(1, 1), (5, 1), (5, 8), (7, 14), (8, 15), (11, 1), (11, 11), (12, 25)]}
    holidays |= {e + datetime.timedelta(days=k) for k in (1, 39, 50)}
    d = datetime.date(y, m, 1)
    n = 0
    while d.month == m:
        if d.weekday() < 5 and d not in holidays:
            n += 1
        d += datetime.timedelta(days=1)
    return n


def gamma_mean1(rng, shape):
    return rng.gammavariate(shape, 1.0 / shape)


def lognormal_mean1(rng, sigma):
    return math.exp(rng.gauss(-sigma * sigma / 2, sigma))


def poisson(rng, lam):
    """Poisson draw: inversion for small means, normal beyond 30."""
    if lam <= 0:
        return 0
    if lam > 30:
        return max(0, int(round(rng.gauss(lam, math.sqrt(lam)))))
    u, k, p = rng.random(), 0, math.exp(-lam)
    s = p
    while u > s and k < 1000:
        k += 1
        p *= lam / k
        s += p
    return k


def binomial(rng, n, p):
    if p <= 0:
        return 0
    p = min(p, 1.0)
    return sum(1 for _ in range(n) if rng.random() < p)


# ------------------------------------------------------------- structure

def make_structure(args):
    rng = random.Random("%d:structure" % args.seed)
    nteams = args.teams or rng.randint(40, 120)
    nsites = args.sites or rng.randint(3, 5)
    if nsites > len(SITES):
        sys.exit("gencompany: at most %d sites" % len(SITES))
    # Site shares: one big site and smaller ones, as in most companies.
    weights = sorted((rng.uniform(0.5, 2.0) for _ in range(nsites)), reverse=True)
    weights[0] *= 1.5
    counts = [1] * nsites
    for _ in range(nteams - nsites):
        counts[rng.choices(range(nsites), weights)[0]] += 1
    profiles = list(PROFILES)
    shares = [PROFILES[p]["share"] for p in profiles]
    teams = []
    for s in range(nsites):
        site = SITES[s]
        # Larger sites are split into departments (some teams stay directly
        # under the site: management, support functions).
        depts = []
        if counts[s] >= 8 and rng.random() < 0.75:
            depts = rng.sample(DEPARTMENTS, min(len(DEPARTMENTS), 2 + counts[s] // 12))
        used = {}
        for _ in range(counts[s]):
            prof = rng.choices(profiles, shares)[0]
            base = rng.choice(PROFILES[prof]["names"])
            dept = rng.choice(depts + [None]) if depts else None
            parent = "%s/%s" % (args.root, site) + ("/" + dept if dept else "")
            used[(parent, base)] = used.get((parent, base), 0) + 1
            name = "%s-%d" % (base, used[(parent, base)])
            # Sizes: log-normal, median 12, most teams small, a few large.
            size = int(round(math.exp(rng.gauss(math.log(12), 0.75))))
            size = max(4, min(80, size))
            teams.append(dict(unit=parent + "/" + name, site="%s/%s" % (args.root, site),
                              department=parent if dept else None, profile=prof, size=size))
    teams.sort(key=lambda t: t["unit"])
    return teams


# ---------------------------------------------------------------- planting

KINDS = ["burnout", "conflict", "reorganisation", "harassment", "accidents"]


def plant(args, teams, months):
    """Chooses the situations: distinct teams, onsets where the scorer
    sees them (from month --onset-from, leaving 6 months of data after)."""
    rng = random.Random("%d:plant" % args.seed)
    lo = args.onset_from - 1
    hi = months - 6
    if hi < lo:
        sys.exit("gencompany: too few months to plant (need onset-from + 5)")
    taken = set()
    situations = []
    # A reorganisation takes a whole department, or a whole small site
    # without departments: every team below the unit it names.
    groups = {}
    for t in teams:
        groups.setdefault(t["department"], []).append(t)
        groups.setdefault(t["site"], []).append(t)
    groups.pop(None, None)
    with_depts = {t["site"] for t in teams if t["department"]}
    cand = sorted(u for u, ts in groups.items() if u not in with_depts and
                  2 <= len(ts) <= 10 and sum(t["size"] for t in ts) >= 30)
    rng.shuffle(cand)
    n = 0
    for kind in KINDS:
        for k in range(args.per_kind):
            n += 1
            sid = "s%d" % n
            onset = rng.randint(lo, hi)
            srng = random.Random("%d:plant:%s" % (args.seed, sid))
            if kind == "reorganisation":
                cand = [u for u in cand if not any(t["unit"] in taken for t in groups[u])]
                if not cand:
                    print("gencompany: no department or small site left for %s" % sid,
                          file=sys.stderr)
                    continue
                unit = cand.pop()
                members = [t["unit"] for t in groups[unit]]
            else:
                pool = [t for t in teams if t["unit"] not in taken and t["size"] >= 8]
                if kind == "accidents":
                    pool = [t for t in pool if t["profile"] in ("production", "logistique", "service")]
                if not pool:
                    print("gencompany: no team left for %s (%s)" % (sid, kind), file=sys.stderr)
                    continue
                t = rng.choice(pool)
                unit, members = t["unit"], [t["unit"]]
            taken.update(members)
            situations.append(dict(id=sid, kind=kind, unit=unit, teams=members,
                                   onset=onset, **effect(kind, srng, onset, months)))
    return situations


def effect(kind, r, onset, months):
    """Effect sizes, modest on purpose; `end` is the last month with an
    effect. Rates of rare events are added (a conflict in a team of 60 is
    not ten times the conflicts of a team of 6), hazards of frequent ones
    multiplied."""
    if kind == "burnout":
        # The absence hazard grows 5 to 9 % of its level a month (0.3 to
        # 0.5 point of absenteeism a month at 5.5 %), spells lengthen,
        # overtime climbs by about an hour per head each month, and a few
        # employees ask to see the occupational physician.
        d = r.randint(9, 15)
        return dict(end=min(months - 1, onset + d - 1),
                    absence_slope=r.uniform(0.05, 0.09),
                    spell_slope=r.uniform(0.03, 0.06),
                    overtime_slope=r.uniform(0.8, 1.6),
                    visits_slope=r.uniform(0.003, 0.006))   # per head and month
    if kind == "conflict":
        # Conflicts reported about every other month, a grievance or two,
        # more one- or two-day absences, then resignations.
        d = r.randint(6, 12)
        return dict(end=min(months - 1, onset + d - 1), conflicts=r.uniform(0.4, 0.9),
                    grievances=r.uniform(0.12, 0.3), short=r.uniform(1.3, 1.8),
                    resign=r.uniform(1.5, 2.5))
    if kind == "reorganisation":
        # A wave of departures (2.5 to 4 times the usual rate, mostly
        # resignations) over 3 to 5 months, employees turning to the social
        # service and the occupational physician, a little more absence.
        d = r.randint(3, 5)
        return dict(end=min(months - 1, onset + d - 1), departures=r.uniform(2.5, 4.0),
                    resign_share=r.uniform(0.75, 0.9), social=r.uniform(2.0, 4.0),
                    visits=r.uniform(1.5, 2.5), absence=r.uniform(1.1, 1.25))
    if kind == "harassment":
        # One report (sometimes a second the next month); often the person
        # concerned goes on sick leave for two to four months, contacts the
        # social service, asks for a visit.
        return dict(end=min(months - 1, onset + 2), reports=r.choice([1, 1, 2]),
                    long_absence=r.random() < 0.6, social=r.random() < 0.7,
                    visit=r.random() < 0.5)
    if kind == "accidents":
        # Half an accident to one accident a month for 3 to 6 months on top
        # of the usual rate (a machine, a floor, a rush: 2 to 5 accidents).
        d = r.randint(3, 6)
        return dict(end=min(months - 1, onset + d - 1), accidents=r.uniform(0.5, 1.0))
    raise ValueError(kind)


def modifiers(situations, unit, m):
    """What situations do to a team at month m: multipliers of hazards,
    additions to the rates of rare events (per team and month, or per head
    and month for *_head), one-off events."""
    mod = dict(absence=1.0, spell=1.0, overtime_add=0.0, visits=1.0, social=1.0,
               visits_head=0.0, conflicts_add=0.0, grievances_add=0.0, short=1.0,
               departures=1.0, resign_share=None, accidents_add=0.0, events=[])
    for s in situations:
        if unit not in s["teams"] or not s["onset"] <= m <= s["end"]:
            continue
        t = m - s["onset"] + 1          # 1 in the onset month
        k = s["kind"]
        if k == "burnout":
            mod["absence"] *= 1 + s["absence_slope"] * t
            mod["spell"] *= min(1.6, 1 + s["spell_slope"] * t)
            mod["overtime_add"] += min(10.0, s["overtime_slope"] * t)
            mod["visits_head"] += min(0.04, s["visits_slope"] * t)
            mod["social"] *= min(3.0, 1 + 0.15 * t)
        elif k == "conflict":
            mod["conflicts_add"] += s["conflicts"]
            mod["grievances_add"] += s["grievances"]
            mod["short"] *= s["short"]
            if t >= 3:
                mod["departures"] *= s["resign"]
                mod["resign_share"] = 0.9
        elif k == "reorganisation":
            mod["departures"] *= s["departures"]
            mod["resign_share"] = s["resign_share"]
            mod["social"] *= s["social"]
            mod["visits"] *= s["visits"]
            mod["absence"] *= s["absence"]
        elif k == "harassment":
            if t == 1:
                mod["events"].append(("harassment", 1))
                if s["long_absence"]:
                    mod["events"].append(("long_absence", 1))
                if s["social"]:
                    mod["events"].append(("social", 1))
            if t == 2 and s["reports"] == 2:
                mod["events"].append(("harassment", 1))
            if t == 2 and s["visit"]:
                mod["events"].append(("visit", 1))
        elif k == "accidents":
            mod["accidents_add"] += s["accidents"]
    return mod


# -------------------------------------------------------------- simulation

class Person:
    __slots__ = ("fte", "frailty", "left", "accident", "acc_ratio")

    def __init__(self, rng):
        self.fte = 1.0 if rng.random() >= PART_TIME_SHARE else rng.choice([0.5, 0.6, 0.8])
        self.frailty = gamma_mean1(rng, FRAILTY_SHAPE)
        self.left = 0            # working days left in the current spell
        self.accident = False    # the current spell is a work accident
        self.acc_ratio = 0.0     # calendar days lost per working day of it


def spell_length(rng, mult):
    u = rng.random()
    if u < SPELL_SHORT:
        n = rng.choices([1, 2, 3], [0.45, 0.30, 0.25])[0]
        # Longer spells in a burning-out team: the short ones turn medium.
        if mult > 1 and rng.random() < (mult - 1):
            n = 4 + int(rng.expovariate(1 / 4.0))
        return n
    if u < SPELL_SHORT + SPELL_MEDIUM:
        n = math.exp(rng.gauss(math.log(SPELL_MEDIUM_MEDIAN), SPELL_MEDIUM_SIGMA))
        return max(4, min(30, int(round(n * mult))))
    n = math.exp(rng.gauss(math.log(SPELL_LONG_MEDIAN), SPELL_LONG_SIGMA))
    return max(31, min(250, int(round(n * mult))))


def mean_spell():
    """Mean spell length in working days (by simulation, fixed seed)."""
    r = random.Random(12345)
    return sum(spell_length(r, 1.0) for _ in range(40000)) / 40000


def simulate_team(args, team, first, months, wdays, spell_rate, situations, company,
                  oracle=None):
    """The team's rows. oracle: None, or a dict that receives the team's true
    effects and, per month, what the null model expects (ceiling.py); it
    draws nothing, so the rows are the same with or without it. company:
    per month, the company-wide factor of the spell hazard (wave_factors;
    all 1 without a change, which draws the same as no factor)."""
    rng = random.Random("%d:team:%s" % (args.seed, team["unit"]))
    prof = PROFILES[team["profile"]]
    # Team effects: some teams are more absent, turn over more, do more
    # overtime, see more conflicts than others, all else equal.
    t_abs = prof["absence"] * lognormal_mean1(rng, 0.20)
    t_dep = lognormal_mean1(rng, 0.35)
    t_ot = lognormal_mean1(rng, 0.30)
    t_rare = {k: lognormal_mean1(rng, 0.35) for k in RARE}
    t_violence = lognormal_mean1(rng, 0.35)
    if oracle is not None:
        oracle.update(t_abs=t_abs, t_dep=t_dep, t_ot=t_ot, t_rare=dict(t_rare),
                      t_violence=t_violence, profile=team["profile"], spell_rate=spell_rate,
                      full=[], acc_mu=[], spell_mu=[])
    people = [Person(rng) for _ in range(team["size"])]
    target = team["size"]
    vacancies = []      # months at which a replacement arrives
    dep_rate = args.turnover / 100.0 / 12.0
    res_share = min(1.0, args.resignations / args.turnover)
    rows = []
    for m in range(months):
        cal = (first[1] - 1 + m) % 12
        mod = modifiers(situations, team["unit"], m)
        # Replacements arrive at the start of the month.
        arrived = [v for v in vacancies if v <= m]
        vacancies = [v for v in vacancies if v > m]
        people.extend(Person(rng) for _ in arrived)
        wd_month = wdays[m]
        row = dict.fromkeys(INDICATORS, 0)
        acc_days = 0.0
        hours = 0.0
        long_starts = 0
        acc_mu = spell_mu = 0.0
        # Harassment situation: the person concerned goes on sick leave for
        # two to four months from the start of the month.
        for ev, n in mod["events"]:
            free = [p for p in people if p.left == 0]
            if ev == "long_absence" and free:
                p = rng.choice(free)
                p.left, p.accident = rng.randint(40, 90), False
                row["absence_episodes"] += 1
                long_starts += 1
        for p in people:
            wd = int(round(wd_month * p.fte))
            row["workable_days"] += wd
            absent = 0
            if p.left > 0:
                take = min(p.left, wd)
                absent += take
                p.left -= take
                if p.accident:
                    acc_days += take * p.acc_ratio
            # Work accident: hazard in proportion to the hours worked.
            exp_hours = max(0, wd - absent) * HOURS_PER_DAY
            hazard = prof["tf"] * exp_hours / 1e6
            if oracle is not None and p.left == 0 and absent < wd:
                acc_mu += hazard
                spell_mu += 1 - math.exp(-spell_rate * t_abs * p.frailty * SEASON[cal])
            if mod["accidents_add"]:
                hazard += mod["accidents_add"] / max(1, len(people))
            if p.left == 0 and absent < wd and rng.random() < hazard:
                cal_days = min(ACCIDENT_CAP, max(1, int(round(math.exp(rng.gauss(
                    math.log(ACCIDENT_MEAN) - ACCIDENT_SIGMA ** 2 / 2, ACCIDENT_SIGMA))))))
                length = max(1, int(round(cal_days * 5 / 7)))
                start = rng.randint(absent, wd - 1)
                take = min(length, wd - start)
                absent += take
                p.left, p.accident, p.acc_ratio = length - take, True, cal_days / length
                acc_days += take * p.acc_ratio
                row["work_accidents"] += 1
                row["absence_episodes"] += 1
                row["short_absences"] += length <= 3
                long_starts += length > 30
            # Sickness spell start (at most one a month).
            elif p.left == 0 and absent < wd:
                lam = spell_rate * t_abs * p.frailty * SEASON[cal] * mod["absence"] * \
                    company[m]
                if rng.random() < 1 - math.exp(-lam):
                    length = spell_length(rng, mod["spell"])
                    start = rng.randint(absent, wd - 1)
                    take = min(length, wd - start)
                    absent += take
                    p.left, p.accident = length - take, False
                    row["absence_episodes"] += 1
                    row["short_absences"] += length <= 3
                    long_starts += length > 30
                # Conflict: extra short spells (one- or two-day absences).
                if mod["short"] > 1 and p.left == 0 and absent < wd and \
                        rng.random() < 1 - math.exp(-lam * 0.42 * (mod["short"] - 1)):
                    take = min(rng.choice([1, 1, 2]), wd - absent)
                    absent += take
                    row["absence_episodes"] += 1
                    row["short_absences"] += 1
            row["absence_days"] += absent
            row["absence_days_max"] = max(row["absence_days_max"], absent)
            leave = min(wd - absent, LEAVE[cal] * p.fte)
            hours += max(0.0, wd - absent - leave) * HOURS_PER_DAY
        head = len(people)
        row["headcount"] = head
        # Overtime: profile x team x month noise (cv about 0.35); more at the
        # end of the year in logistics.
        ot_season = 1.3 if team["profile"] == "logistique" and cal in (10, 11) else 1.0
        ot_head = prof["overtime"] * t_ot * ot_season * gamma_mean1(rng, 8.0)
        full = sum(1 for p in people if p.fte == 1.0)
        if oracle is not None:
            oracle["full"].append(full)
            oracle["acc_mu"].append(acc_mu)
            oracle["spell_mu"].append(spell_mu)
        overtime = ot_head * full + mod["overtime_add"] * full
        row["overtime_hours"] = round(overtime, 1)
        row["hours_worked"] = round(hours + overtime, 1)
        row["accident_days_lost"] = int(round(acc_days))
        # Rare events: Poisson with a team effect and a gamma month effect
        # (shape 3), so that counts are over-dispersed as real ones are.
        per_month = head / 100.0 / 12.0
        for k, rate in RARE.items():
            mult = {"medical_visits_on_request": mod["visits"],
                    "social_worker_contacts": mod["social"]}.get(k, 1.0)
            add = {"conflicts": mod["conflicts_add"], "grievances": mod["grievances_add"],
                   "medical_visits_on_request": mod["visits_head"] * head}.get(k, 0.0)
            row[k] = poisson(rng, rate * per_month * t_rare[k] * mult * gamma_mean1(rng, 3.0) + add)
        row["violence_incidents"] = poisson(rng, prof["violence"] * per_month * t_violence *
                                            gamma_mean1(rng, 3.0))
        # Employees on long sick leave turn to the social service and ask for
        # a visit before returning (pre-return visit, at their request).
        for _ in range(long_starts):
            row["social_worker_contacts"] += rng.random() < 0.25
            row["medical_visits_on_request"] += rng.random() < 0.10
        for ev, n in mod["events"]:
            if ev == "harassment":
                row["harassment_reports"] += n
            elif ev == "social":
                row["social_worker_contacts"] += n
            elif ev == "visit":
                row["medical_visits_on_request"] += n
        # Departures at the end of the month, in small bursts (gamma
        # team-month effect, shape 1.5), replaced after 1 to 4 months.
        burst = gamma_mean1(rng, 1.5)
        h = dep_rate * t_dep * DEP_SEASON[cal] * burst * mod["departures"]
        ndep = binomial(rng, len(people), h)
        share = mod["resign_share"] if mod["resign_share"] is not None else res_share
        nres = binomial(rng, ndep, share)
        # An employee on work-accident leave cannot be dismissed (Code du
        # travail L1226-9) and rarely resigns: others leave.
        movable = [i for i, p in enumerate(people) if not (p.left and p.accident)]
        ndep = min(ndep, len(movable))
        nres = min(nres, ndep)
        row["departures"], row["resignations"] = ndep, nres
        for i in sorted(rng.sample(movable, ndep), reverse=True):
            people.pop(i)
        for _ in range(ndep):
            vacancies.append(m + 1 + min(3, int(rng.expovariate(1 / 1.2))))
        # Sizes drift a little: a post is sometimes created or not refilled.
        if rng.random() < 0.02:
            if rng.random() < 0.5 and len(people) + len(vacancies) > max(4, target * 0.8):
                if vacancies:
                    vacancies.pop()
            elif len(people) + len(vacancies) < min(80, target * 1.2):
                vacancies.append(m + 2)
        rows.append(row)
    return rows


def generate(args, oracle=None):
    """teams, situations, data; oracle: None, or a dict that receives per
    team what simulate_team's oracle does."""
    first = args.first
    months = args.months
    teams = make_structure(args)
    situations = plant(args, teams, months) if args.plant else []
    wdays = [workdays(*parse_period(period_name(first, m))) for m in range(months)]
    # Spell starts a month so that the mean absence rate is --absence: rate
    # x mean length = share of days, corrected for the days already absent
    # (no new spell starts during one) and for the profile mix.
    mix = sum(PROFILES[t["profile"]]["absence"] * t["size"] for t in teams) / \
        sum(t["size"] for t in teams)
    avg_wd = sum(wdays) / len(wdays)
    spell_rate = args.absence / (1 - args.absence) * avg_wd / mean_spell() / mix
    company = wave_factors(first, months, args.wave, args.trend)
    data = {}
    for t in teams:
        data[t["unit"]] = simulate_team(args, t, first, months, wdays, spell_rate, situations,
                                         company, None if oracle is None else
                                         oracle.setdefault(t["unit"], {}))
    return teams, situations, data


def fmt(x):
    if isinstance(x, float):
        s = "%.1f" % x
        return s[:-2] if s.endswith(".0") else s
    return str(x)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    ap.add_argument("--teams", type=int, default=0,
                    help="leaf teams (default: drawn from the seed, 40 to 120)")
    ap.add_argument("--sites", type=int, default=0,
                    help="sites (default: drawn from the seed, 3 to 5)")
    ap.add_argument("--absence", type=float, default=0.055,
                    help="mean absence rate, share of working days (default 0.055)")
    ap.add_argument("--turnover", type=float, default=14.0,
                    help="departures per 100 employees a year (default 14)")
    ap.add_argument("--resignations", type=float, default=9.5,
                    help="resignations per 100 employees a year (default 9.5)")
    ap.add_argument("--wave", type=parse_wave, action="append", default=[],
                    metavar="YYYY-MM:FACTOR[:MONTHS]",
                    help="a company-wide epidemic: every employee's sick-leave hazard times "
                         "FACTOR for MONTHS months (default 1) from YYYY-MM; repeatable")
    ap.add_argument("--trend", type=float, default=0.0,
                    help="company-wide growth of the sick-leave hazard a year, e.g. 0.08 "
                         "(default 0)")
    ap.add_argument("--months", type=int, default=48, help="months of data (default 48)")
    ap.add_argument("--first", type=parse_period, default=(2022, 1),
                    help="first month, YYYY-MM (default 2022-01)")
    ap.add_argument("--root", default="bench", help="company unit (default bench)")
    ap.add_argument("--plant", action="store_true", help="plant situations")
    ap.add_argument("--per-kind", type=int, default=2,
                    help="situations of each kind with --plant (default 2)")
    ap.add_argument("--onset-from", type=int, default=27,
                    help="earliest onset, 1-based month (default 27)")
    ap.add_argument("--out", required=True, help="CSV file to write (wide form)")
    ap.add_argument("--truth", help="JSON file: teams, situations, parameters")
    args = ap.parse_args(argv)
    if args.teams and not 1 <= args.teams <= 5000:
        ap.error("--teams must be between 1 and 5000")
    if args.sites and not 1 <= args.sites <= len(SITES):
        ap.error("--sites must be between 1 and %d" % len(SITES))
    if args.teams and args.sites and args.sites > args.teams:
        ap.error("--sites cannot exceed --teams")
    if not 0 < args.absence < 0.5:
        ap.error("--absence is a share of days, between 0 and 0.5 (0.055 is 5.5 %)")
    if not 0 < args.turnover <= 200 or not 0 <= args.resignations <= args.turnover:
        ap.error("--turnover must be in (0, 200] and --resignations in [0, --turnover]")
    if not -0.5 <= args.trend <= 1:
        ap.error("--trend is a yearly growth between -0.5 and 1 (0.08 is 8 %)")
    if not 12 <= args.months <= 240:
        ap.error("--months must be between 12 and 240")
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", args.root):
        ap.error("--root must be one unit segment: letters, digits, '.', '_', '-'")
    if args.per_kind < 0 or args.onset_from < 1:
        ap.error("--per-kind must be >= 0 and --onset-from >= 1")

    teams, situations, data = generate(args)
    periods = [period_name(args.first, m) for m in range(args.months)]
    with open(args.out, "w", encoding="utf-8", newline="") as f:
        f.write(",".join(["unit", "period"] + INDICATORS) + "\n")
        for t in teams:
            for m, row in enumerate(data[t["unit"]]):
                f.write(",".join([t["unit"], periods[m]] + [fmt(row[k]) for k in INDICATORS]) + "\n")
    if args.truth:
        truth = dict(
            seed=args.seed, root=args.root, first=periods[0], last=periods[-1],
            months=args.months, planted=args.plant,
            parameters=dict(absence=args.absence, turnover=args.turnover,
                            resignations=args.resignations, per_kind=args.per_kind,
                            waves=[dict(first=period_name(w[0], 0), factor=w[1], months=w[2])
                                   for w in args.wave], trend=args.trend,
                            onset_from=args.onset_from),
            teams=teams,
            situations=[dict(s, onset=periods[s["onset"]], end=periods[s["end"]])
                        for s in situations])
        with open(args.truth, "w", encoding="utf-8") as f:
            json.dump(truth, f, indent=1, sort_keys=True)
            f.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
