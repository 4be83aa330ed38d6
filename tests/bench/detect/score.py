"""Scoring of the detection benchmark: what counts as a new alert, a false
alert, a detection and a lead time, for Vigie and for the surveillance
methods alike. Pure functions over plain data (no files, no processes);
bench.py feeds them and writes the report. README.md in this folder states
the same rules in prose; keep both in step.

An *episode* is one alert of one signal on one unit: for Vigie a signal is a
rule and an episode starts with a `firing` transition (it fires only from an
inactive state, so an alert that resolves and fires again the next month is
two episodes); for a surveillance method a signal is one indicator and an
episode starts at an alarm month whose previous month had no alarm (so a run
of consecutive alarm months is one episode, a gap of one month starts a new
one). Only episodes that start inside the scored window (months SCORE_FROM
to the last, 1-based) count; the months before are history for the
methods. A surveillance alarm in a month where the team is below the
anonymity floor (headcount < 5) is dropped: Vigie may not show it either.
"""
import statistics
from collections import Counter, defaultdict

WINDOW = 6          # a situation is detected by an episode starting in its
                    # first WINDOW months (onset month included)
GRACE = 12          # planted companies: months after a situation's end
                    # during which alerts on its units are not false
FLOOR = 5


def ancestors(unit):
    parts = unit.split("/")
    return ["/".join(parts[:i]) for i in range(1, len(parts))]


# ------------------------------------------------------------ episodes

def vigie_episodes(transitions, pidx, nmonths):
    """Returns (starts, active): starts is a list of (unit, rule, month),
    active[m] the set of (unit, rule) active at month m."""
    by = defaultdict(list)
    for t in transitions:
        by[(t["unit"], t["rule"])].append((pidx[t["period"]], t["event"]))
    starts = []
    active = [set() for _ in range(nmonths)]
    for key, evs in by.items():
        evs.sort()
        on = None
        for m, ev in evs:
            if ev == "firing":
                on = m
                starts.append((key[0], key[1], m))
            elif ev == "resolved" and on is not None:
                for k in range(on, m):
                    active[k].add(key)
                on = None
        if on is not None:
            for k in range(on, nmonths):
                active[k].add(key)
    return starts, active


def alarm_episodes(alarm_months, nmonths):
    """alarm_months: {(unit, indicator): set of months}. Same shapes as
    vigie_episodes."""
    starts = []
    active = [set() for _ in range(nmonths)]
    for key, months in alarm_months.items():
        for m in months:
            active[m].add(key)
            if m - 1 not in months:
                starts.append((key[0], key[1], m))
    return starts, active


def folded(unit, rule, m, active, leaves):
    """SPEC 16: a parent's alert whose rule also fires on one of its
    descendants is shown inside the descendant's block, not again."""
    if unit in leaves:
        return False
    prefix = unit + "/"
    return any(r == rule and u.startswith(prefix) for (u, r) in active[m])


# --------------------------------------------------------------- scoring

def targets(situation, with_unit):
    """The units whose alerts detect a situation: its teams, and for a
    situation over a department or a site (a reorganisation) that unit too
    when the detector sees units above the teams (Vigie)."""
    t = set(situation["teams"])
    if with_unit:
        t.add(situation["unit"])
    return t


def score_detector(starts, active, leaves, months, score_from, situations,
                   planted, with_ancestors):
    """Figures of one detector on one company. months: number of months;
    score_from: first scored month, 0-based. situations: the planted ones
    (for a nothing-wrong company, those of its planted twin: detections
    there are chance)."""
    nleaf = len(leaves)
    scored = range(score_from, months)
    team_years = nleaf * len(scored) / 12.0
    counted = []            # episodes that would be new digest items
    for (u, sig, m) in starts:
        if m < score_from:
            continue
        if u in leaves or (with_ancestors and not folded(u, sig, m, active, leaves)):
            counted.append((u, sig, m))
    leaf_eps = [e for e in counted if e[0] in leaves]

    # False alerts: on a nothing-wrong company every counted episode; on a
    # planted one, those on units no situation touches around that month.
    def touched(u, m):
        for s in situations:
            if not s["onset_i"] <= m <= s["end_i"] + GRACE:
                continue
            tg = targets(s, with_ancestors)
            if u in tg or any(u in ancestors(x) for x in tg):
                return True
        return False
    false = [e for e in counted if not planted or not touched(e[0], e[2])]
    by_signal = Counter(e[1] for e in false)

    # Detection: the first counted episode on a target unit within WINDOW
    # months of onset.
    first = defaultdict(list)
    for (u, sig, m) in counted:
        first[u].append((m, sig))
    det = []
    for s in situations:
        hits = sorted((m, sig, u) for u in targets(s, with_ancestors) for (m, sig) in first.get(u, [])
                      if s["onset_i"] <= m < s["onset_i"] + WINDOW)
        det.append(dict(id=s["id"], kind=s["kind"], detected=bool(hits),
                        lead=hits[0][0] - s["onset_i"] if hits else None,
                        by=hits[0][1] if hits else None))

    teams_on = []
    for m in scored:
        on = {u for (u, _) in active[m] if u in leaves}
        teams_on.append(len(on) / nleaf if nleaf else 0.0)
    last = months - 1
    digest = len(active[last])
    digest_folded = sum(1 for (u, r) in active[last]
                        if not (with_ancestors and folded(u, r, last, active, leaves)))
    return dict(
        team_years=team_years,
        counted=len(counted),
        false=len(false),
        false_leaf=sum(1 for e in false if e[0] in leaves),
        fa_rate=100.0 * len(false) / team_years if team_years else 0.0,
        fa_rate_leaf=100.0 * sum(1 for e in false if e[0] in leaves) / team_years if team_years else 0.0,
        by_signal={k: 100.0 * v / team_years for k, v in by_signal.items()},
        new_per_month=sum(1 for (u, s, m) in starts if m >= score_from) / len(scored),
        new_leaf_per_month=sum(1 for (u, s, m) in starts if m >= score_from and u in leaves) / len(scored),
        teams_active=statistics.mean(teams_on) if teams_on else 0.0,
        active_mean=statistics.mean(len(active[m]) for m in scored),
        digest=digest, digest_folded=digest_folded,
        leaf_episodes=len(leaf_eps),
        situations=det,
    )


def right_share(figures):
    """Of the new digest items of some companies (score_detector's figures),
    the share, in %, that are not false alerts (pooled; None without any):
    on the planted companies, how many of the items a reader gets point at
    a situation."""
    n = sum(x["counted"] for x in figures)
    return 100.0 * sum(x["counted"] - x["false"] for x in figures) / n if n else None


def hidden_share(situation, suppressed, with_unit):
    """How much of a situation disclosure control hid (SPEC 3): the share of
    the library's evaluations on its target units, over its first WINDOW
    months, that were suppressed. suppressed: {(unit, month): (suppressed,
    evaluated)}; months with no evaluation are left out. None when nothing
    was evaluated."""
    hid = tot = 0
    for u in targets(situation, with_unit):
        for m in range(situation["onset_i"], situation["onset_i"] + WINDOW):
            h, n = suppressed.get((u, m), (0, 0))
            hid, tot = hid + h, tot + n
    return hid / tot if tot else None


def mostly_hidden(d):
    """A situation result whose units were hidden more than half the time."""
    return d.get("hidden") is not None and d["hidden"] > 0.5


# ----------------------------------------------------------- aggregation

def spread(values):
    v = [x for x in values if x is not None]
    if not v:
        return None
    return dict(mean=statistics.mean(v), sd=statistics.stdev(v) if len(v) > 1 else 0.0,
                min=min(v), max=max(v), n=len(v))


def detection_summary(det_lists):
    """det_lists: per seed, the situation results. Pooled share detected,
    per-seed spread, pooled median lead and per kind."""
    pooled = [d for dl in det_lists for d in dl]
    per_seed = [100.0 * sum(d["detected"] for d in dl) / len(dl) for dl in det_lists if dl]
    leads = sorted(d["lead"] for d in pooled if d["detected"])
    kinds = defaultdict(list)
    for d in pooled:
        kinds[d["kind"]].append(d)
    return dict(
        n=len(pooled),
        detected=sum(d["detected"] for d in pooled),
        rate=100.0 * sum(d["detected"] for d in pooled) / len(pooled) if pooled else 0.0,
        per_seed=spread(per_seed),
        median_lead=statistics.median(leads) if leads else None,
        leads=leads,
        kinds={k: dict(n=len(v), detected=sum(d["detected"] for d in v),
                       median_lead=statistics.median([d["lead"] for d in v if d["detected"]])
                       if any(d["detected"] for d in v) else None)
               for k, v in sorted(kinds.items())},
        by=Counter(d["by"] for d in pooled if d["detected"]),
        hidden=sum(mostly_hidden(d) for d in pooled),
        hidden_detected=sum(mostly_hidden(d) and d["detected"] for d in pooled),
    )


# ------------------------------------------------- what a situation showed

BASE = 24           # months before onset that say what was usual

# Per kind: what the situation adds to, summed over which of its first
# months, against which exposure, and whose rate before onset says what was
# usual (as the library's rules read them: accidents against the company's
# rate per hour, rare events against the parent's, departures against the
# unit's own). Burnout raises overtime per head instead: its mean over the
# first WINDOW months against the mean of the BASE months before.
REALISED = {
    "accidents": dict(what="work accidents, months of effect", counts=("work_accidents",),
                      exposure="hours_worked", rate="company", months="effect"),
    "conflict": dict(what="conflicts and grievances, first %d months" % WINDOW,
                     counts=("conflicts", "grievances"), exposure="headcount",
                     rate="parent", months="window"),
    "harassment": dict(what="harassment reports, first 2 months",
                       counts=("harassment_reports",), exposure="headcount",
                       rate="parent", months=2),
    "reorganisation": dict(what="departures, months of effect", counts=("departures",),
                           exposure="headcount", rate="own", months="effect"),
    "burnout": dict(what="overtime hours per head and month, first %d months" % WINDOW),
}


def _total(data, teams, inds, months):
    return sum(data[t][i][m] for t in teams for i in inds for m in months)


def realised(situation, data, nmonths):
    """What situation's data showed: dict(what, observed, expected), or
    None when fewer than BASE months precede its onset. data: {team:
    {indicator: [value per month]}}, the leaf teams of the company."""
    k = REALISED[situation["kind"]]
    on, teams = situation["onset_i"], situation["teams"]
    if on < BASE:
        return None
    base = range(on - BASE, on)
    window = range(on, min(nmonths, on + WINDOW))
    if situation["kind"] == "burnout":
        def per_head(ms):
            heads = [(_total(data, teams, ("overtime_hours",), [m]),
                      _total(data, teams, ("headcount",), [m])) for m in ms]
            v = [o / h for o, h in heads if h > 0]
            return statistics.mean(v) if v else None
        obs, exp = per_head(window), per_head(base)
        return None if obs is None or exp is None else dict(what=k["what"], observed=obs,
                                                            expected=exp)
    months = (range(on, situation["end_i"] + 1) if k["months"] == "effect" else
              window if k["months"] == "window" else range(on, min(nmonths, on + k["months"])))
    ref = {"company": list(data),
           "parent": [u for u in data if u.rsplit("/", 1)[0] in
                      {t.rsplit("/", 1)[0] for t in teams}],
           "own": teams}[k["rate"]]
    x = _total(data, ref, (k["exposure"],), base)
    if x <= 0:
        return None
    rate = _total(data, ref, k["counts"], base) / x
    return dict(what=k["what"], observed=_total(data, teams, k["counts"], months),
                expected=rate * _total(data, teams, (k["exposure"],), months))


def realised_summary(det_lists):
    """Per kind, the medians of what the detected and the missed situations
    showed (observed, expected, how many), and how many of the missed were
    mostly hidden (SPEC 3)."""
    out = {}
    for d in (d for dl in det_lists for d in dl):
        r = d.get("realised")
        k = out.setdefault(d["kind"], dict(what=None, detected=[], missed=[],
                                           missed_hidden=0))
        if not d["detected"] and mostly_hidden(d):
            k["missed_hidden"] += 1
        if r:
            k["what"] = r["what"]
            k["detected" if d["detected"] else "missed"].append(r)
    for k in out.values():
        for g in ("detected", "missed"):
            v = k[g]
            k[g] = dict(n=len(v),
                        observed=statistics.median(r["observed"] for r in v) if v else None,
                        expected=statistics.median(r["expected"] for r in v) if v else None)
    return out
