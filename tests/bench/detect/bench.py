#!/usr/bin/python3
"""make bench-detect: how well the rule library detects planted situations
and how often it cries wolf, against R's surveillance package on the same
data, over several seeds. Writes tests/bench/DETECTION.md and prints one
PASS/FAIL line per target of SPEC 16 (issue #11 item 2).

For each seed: gencompany.py draws a nothing-wrong company and its planted
twin; the real `vigie import` loads each into its own database and the real
`vigie backtest --format json` replays the rules folder over the 48 months;
surveillance.R runs farringtonFlexible and glrnb on every leaf team and
indicator of both companies in one R process; score.py counts. R's results
depend on the data only, so they are cached (under WORK/r-cache, by a hash
of their input and of surveillance.R): trying another rules folder re-runs
only Vigie, a few seconds a seed.

usage: bench.py BUILD_DIR
Environment (make bench-detect VAR=value passes them):
  SEEDS=20       how many seeds (1..N), or a list: SEEDS=3,7,11
  RULES=DIR      rules folder to measure (default etc/rules.d)
  STRICT=1       exit 1 when a target fails (default: report only)
  PEER=0         skip R (Vigie's figures only, no comparison)
  JOBS=2         seeds run in parallel
  SCORE_FROM=25  first scored month (1-based): the months before are history
  GENFLAGS=...   extra gencompany.py options, e.g. "--absence 0.062"
  CHANGES=epidemic,trend  the library again on the same companies with a
                 company-wide change (CHANGES below); 0 for none
  SENSITIVITY=0.5,2,4  the library again with every probability threshold
                 times each factor (its own ROC); 0 for none
  OUT=FILE       report path (default tests/bench/DETECTION.md)
  WORK=DIR       scratch folder (default BUILD_DIR/bench-detect)
Exit: 0 ran (and with STRICT=1 every target met), 1 a target failed under
STRICT=1, 2 the benchmark could not run (a tool failed).
"""
import concurrent.futures
import csv
import datetime
import hashlib
import json
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", "..", ".."))
sys.path.insert(0, HERE)
import gencompany as G  # noqa: E402
import score as S  # noqa: E402
import sensitivity  # noqa: E402

PY = "/usr/bin/python3"
# Company-wide changes: what happens to every team at once, which the
# library must not read as any one team's trouble. Each is the same seed
# drawn again with generator options (a function of the first month and of
# the first scored month, both 0-based month counts from January of year 0).
CHANGES = {
    "epidemic": ("an epidemic winter",
                 "sick-leave starts twice as frequent in the first December and January "
                 "scored, as in a severe epidemic winter (the Omicron wave of January 2022)",
                 lambda first, sf: ["--wave", "%04d-12:2:2" % ((first + sf) // 12)]),
    "trend": ("absenteeism rising in the whole company",
              "the sick-leave hazard growing 10 % a year in every team, as absenteeism did "
              "from 5.1 % in 2019 to 6.7 % in 2022 (Ayming)",
              lambda first, sf: ["--trend", "0.1"]),
}
# The series the surveillance methods watch on every leaf team, each with
# the exposure used as its population offset. Every count the rules read,
# except accident_days_lost (a severity, not events) and absence_episodes
# (short_absences and absence_days carry it).
MONITORED = [
    ("absence_days", "workable_days"),
    ("short_absences", "headcount"),
    ("departures", "headcount"),
    ("resignations", "headcount"),
    ("overtime_hours", "headcount"),
    ("work_accidents", "hours_worked"),
    ("conflicts", "headcount"),
    ("grievances", "headcount"),
    ("disciplinary_actions", "headcount"),
    ("violence_incidents", "headcount"),
    ("harassment_reports", "headcount"),
    ("medical_visits_on_request", "headcount"),
    ("social_worker_contacts", "headcount"),
]
FARRINGTON_ALPHA = 0.01          # as in surveillance.R
# Operating points tried (the ROC of each method): Farrington's alpha (at
# most surveillance.R's PMAX) and glrnb's c.ARL.
ALPHAS = [0.5, 0.2, 0.1, 0.05, 0.02, 0.01, 0.005, 0.002, 0.001, 0.0005, 0.0002, 0.0001,
          1e-5, 1e-6, 1e-8, 1e-10]
CARLS = [2, 3, 5, 8, 12, 16, 20, 25, 30, 40, 60, 80, 100, 150]   # as in surveillance.R
GLRNB_CARL = 5
# Suffix of a method's detector scored with Vigie's visibility (SPEC 3 cells).
VIS = "+cells"
TARGET_FA = 5.0
TARGET_DET = 80.0
TARGET_LEAD = 3.0


class Failure(Exception):
    pass


def run(cmd, out=None, timeout=1800):
    """Runs a command; its stdout goes to `out` (a path) or is returned."""
    try:
        if out:
            with open(out + ".tmp", "wb") as f:
                p = subprocess.run(cmd, stdout=f, stderr=subprocess.PIPE, timeout=timeout)
        else:
            p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout)
    except (OSError, subprocess.TimeoutExpired) as e:
        raise Failure("%s: %s" % (" ".join(cmd[:2]), e))
    if p.returncode != 0:
        raise Failure("%s exited %d:\n%s" % (" ".join(shlex.quote(c) for c in cmd), p.returncode,
                                             p.stderr.decode(errors="replace")[-2000:]))
    if out:
        os.replace(out + ".tmp", out)
        return None
    return p.stdout


def read_wide(path):
    data, periods = {}, set()
    with open(path, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            u = row.pop("unit")
            p = row.pop("period")
            periods.add(p)
            d = data.setdefault(u, {})
            for k, v in row.items():
                d.setdefault(k, []).append(float(v))
    return sorted(periods), data


def shown(path):
    """A path as the report shows it: relative to the tree when inside."""
    rel = os.path.relpath(path, ROOT)
    return path if rel.startswith("..") else rel


def sha256_files(paths):
    h = hashlib.sha256()
    for p in paths:
        h.update(os.path.basename(p).encode() + b"\0")
        with open(p, "rb") as f:
            h.update(f.read())
    return h.hexdigest()


# ---------------------------------------------------------------- one seed

def vigie_company(cfg, d, name, seed, plant, change=None):
    """One company through Vigie. change: None, or a key of CHANGES, for
    the library's figures alone (no other sensitivity, nothing for R)."""
    csvp = os.path.join(d, name + ".csv")
    truth = os.path.join(d, name + ".json")
    cmd = [PY, os.path.join(HERE, "gencompany.py"), "--seed", str(seed), "--out", csvp,
           "--truth", truth] + (["--plant"] if plant else []) + cfg["genflags"]
    if change:
        cmd += CHANGES[change][2](first_month(cfg["genflags"]), cfg["score_from"] - 1)
    run(cmd)
    db = os.path.join(d, name + ".db")
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(db + suffix):
            os.remove(db + suffix)
    yml = vigie_config(d, name, db, cfg["rules"])
    run([cfg["vigie"], "import", "-c", yml, csvp])
    with open(truth) as f:
        t = json.load(f)
    transitions = vigie_backtest(cfg, yml, t)
    if change:
        return dict(truth=t, transitions=transitions)
    # The library at other sensitivities, on the same database.
    scaled = {}
    for fac in cfg["sensitivity"]:
        tag = "%s.x%g" % (name, fac)
        scaled[fac] = vigie_backtest(cfg, vigie_config(d, tag, db, scaled_dir(cfg, fac)), t)
    periods, data = read_wide(csvp)
    # What disclosure control hid of each situation, for the report.
    suppressed = vigie_suppressed(cfg, yml, periods, {
        m for s in t.get("situations", []) for m in range(periods.index(s["onset"]),
                                                  periods.index(s["onset"]) + S.WINDOW)})
    # Only the surveillance methods' second scoring needs them.
    hidden = vigie_hidden(cfg, d, name, db, periods[cfg["score_from"] - 1:]) if cfg["peer"] \
        else set()
    return dict(truth=t, periods=periods, data=data, transitions=transitions, scaled=scaled,
                hidden=hidden, suppressed=suppressed)


def first_month(genflags):
    """The generator's first month as months from January of year 0."""
    y, m = 2022, 1
    for i, a in enumerate(genflags):
        if a == "--first" and i + 1 < len(genflags):
            v = genflags[i + 1]
        elif a.startswith("--first="):
            v = a[len("--first="):]
        else:
            continue
        y, m = G.parse_period(v)
    return y * 12 + m - 1


def vigie_config(d, name, db, rules):
    yml = os.path.join(d, name + ".yaml")
    with open(yml, "w") as f:
        f.write("# bench-detect: one company, the rules folder under test\n"
                "database: %s\nrules: %s\nmin_headcount: %d\n" % (db, rules, S.FLOOR))
    return yml


def vigie_backtest(cfg, yml, truth):
    """`vigie backtest` over the company's months (it changes nothing in
    the database): the list of transitions."""
    bt = yml[:-len(".yaml")] + ".backtest.json"
    run([cfg["vigie"], "backtest", "-c", yml, "--from", truth["first"], "--to", truth["last"],
         "--format", "json"], out=bt)
    with open(bt) as f:
        return json.load(f)["transitions"]


def scaled_dir(cfg, fac):
    return os.path.join(cfg["work"], "rules-x%g" % fac)


def vigie_suppressed(cfg, yml, periods, months):
    """{(unit, month): (suppressed, evaluated)}: how many of the library's
    rules `vigie eval` finds suppressed (SPEC 3) on each unit at each of
    the given months (indices into periods)."""
    out = {}
    for m in sorted(x for x in months if 0 <= x < len(periods)):
        for r in json.loads(run([cfg["vigie"], "-c", yml, "eval", "--at", periods[m],
                                 "--format", "json"])):
            h, n = out.get((r["unit"], m), (0, 0))
            out[(r["unit"], m)] = (h + bool(r["suppressed"]), n + 1)
    return out


def vigie_hidden(cfg, d, name, db, periods):
    """The cells Vigie hides (SPEC 3), as a set of (unit, indicator,
    period): one probe rule per monitored indicator whose value is the
    month's cell, evaluated at every scored month; a suppressed row is a
    cell that no rule, email or page may show. Used to give a surveillance
    method's alarm the same visibility as Vigie's alerts."""
    rules = os.path.join(d, "probe.rules.yaml")
    with open(rules, "w") as f:
        f.write("# bench-detect: one probe rule per indicator the surveillance methods read\n"
                "rules:\n")
        for ind, _ in MONITORED:
            f.write("  - id: probe-%s\n    title: probe\n    scope: \"*/**\"\n"
                    "    value: %s\n    above: { warning: 1e300 }\n"
                    "    notify: [social-worker]\n" % (ind.replace("_", "-"), ind))
    yml = os.path.join(d, name + ".probe.yaml")
    with open(yml, "w") as f:
        f.write("# bench-detect: the probe rules on one company's database\n"
                "database: %s\nrules: %s\nmin_headcount: %d\n" % (db, rules, S.FLOOR))
    hidden = set()
    for per in periods:
        for r in json.loads(run([cfg["vigie"], "-c", yml, "eval", "--at", per, "--format", "json"])):
            if r["suppressed"]:
                hidden.add((r["unit"], r["rule"][len("probe-"):].replace("-", "_"), r["period"]))
    return hidden


def r_peer(cfg, d, companies):
    """Runs surveillance.R once on the distinct series of both companies
    (the planted company repeats every series of its twin outside the
    planted teams). Returns {company: {(unit, indicator): {method: months}}}."""
    sids, rows, owners = {}, [], {}
    for name, c in companies.items():
        for u in (t["unit"] for t in c["truth"]["teams"]):
            for ind, expo in MONITORED:
                obs = tuple(int(round(x)) for x in c["data"][u][ind])
                pop = tuple(c["data"][u][expo])
                key = (obs, pop)
                if key not in sids:
                    sid = len(sids) + 1
                    sids[key] = sid
                    rows.extend("%d,%d,%d,%s" % (sid, m + 1, o, repr(p)) for m, (o, p) in
                                enumerate(zip(obs, pop)))
                owners.setdefault(sids[key], []).append((name, u, ind))
    series = os.path.join(d, "series.csv")
    with open(series, "w") as f:
        f.write("sid,t,obs,pop\n" + "\n".join(rows) + "\n")
    script = os.path.join(HERE, "surveillance.R")
    key = sha256_files([series, script]) + "-%d" % cfg["score_from"]
    cache = os.path.join(cfg["work"], "r-cache")
    os.makedirs(cache, exist_ok=True)
    out = os.path.join(cache, key[:32] + ".csv")
    cached = os.path.exists(out) and os.path.exists(out + ".seconds")
    if not cached:
        t0 = time.time()
        run(["Rscript", "--vanilla", script, series, out, str(cfg["score_from"])])
        # What R cost when it ran, so that a report written from the cache
        # still says it.
        with open(out + ".seconds", "w") as f:
            f.write("%.1f\n" % (time.time() - t0))
    with open(out + ".seconds") as f:
        seconds = float(f.read())
    res = {name: {} for name in companies}
    mismatch = 0
    with open(out, newline="") as f:
        for r in csv.DictReader(f):
            sid, m = int(r["sid"]), int(r["t"]) - 1
            meth = r["method"]
            sc = None if r["score"] == "NA" else float(r["score"])
            if meth == "farrington":
                # The package's flag and our re-thresholding must agree at
                # its own alpha (nbPlugin: alarm <=> p <= alpha).
                if (r["alarm"] == "1") != (sc is not None and sc <= FARRINGTON_ALPHA):
                    mismatch += 1
                methods = ["farrington@%g" % a for a in ALPHAS if sc is not None and sc <= a]
            elif r["alarm"] == "1":
                methods = [meth]
            else:
                methods = []
            for (name, u, ind) in owners[sid]:
                slot = res[name].setdefault((u, ind), {})
                for meth2 in methods:
                    slot.setdefault(meth2, set()).add(m)
    return res, dict(series=len(sids), cached=cached, mismatch=mismatch, seconds=seconds)


def detectors_from_r(rres, company, visibility=False):
    """{detector: {(unit, indicator): months}} with the floor applied, or
    with `visibility`, Vigie's own: an alarm is dropped in a month when
    Vigie hides the team's cell of that indicator (below the floor, hidden
    with a sibling, dominated: SPEC 3), as Vigie's alerts are."""
    head = {t["unit"]: company["data"][t["unit"]]["headcount"] for t in company["truth"]["teams"]}
    periods, hidden = company["periods"], company.get("hidden", set())
    out = {}
    for (u, ind), per in rres.items():
        for meth, months in per.items():
            if visibility:
                ok = {m for m in months if (u, ind, periods[m]) not in hidden}
            else:
                ok = {m for m in months if head[u][m] >= S.FLOOR}
            if ok:
                out.setdefault(meth, {})[(u, ind)] = ok
    return out


def check_twins(seed, quiet, planted, situations):
    """The planted company must equal its nothing-wrong twin outside the
    planted teams and before each onset, or "detected by chance" would not
    be the counterfactual it claims to be."""
    first = {}
    for s in situations:
        for u in s["teams"]:
            first[u] = min(first.get(u, s["onset_i"]), s["onset_i"])
    if set(quiet["data"]) != set(planted["data"]):
        raise Failure("seed %d: the twins have different teams" % seed)
    for u, dq in quiet["data"].items():
        n = first.get(u, len(quiet["periods"]))
        for ind, vq in dq.items():
            if vq[:n] != planted["data"][u][ind][:n]:
                raise Failure("seed %d: the planted company differs from its twin on %s %s "
                              "before any situation" % (seed, u, ind))


def scaled_name(fac):
    return "vigie x%g" % fac


def run_seed(cfg, seed):
    d = os.path.join(cfg["work"], "seed-%d" % seed)
    os.makedirs(d, exist_ok=True)
    t0 = time.time()
    comps = {"quiet": vigie_company(cfg, d, "quiet", seed, False),
             "planted": vigie_company(cfg, d, "planted", seed, True)}
    q, p = comps["quiet"], comps["planted"]
    if q["periods"] != p["periods"]:
        raise Failure("seed %d: the two companies have different months" % seed)
    periods = q["periods"]
    pidx = {x: i for i, x in enumerate(periods)}
    nm = len(periods)
    sf = cfg["score_from"] - 1
    if not 0 < sf < nm:
        raise Failure("SCORE_FROM=%d is outside the %d months" % (cfg["score_from"], nm))
    leaves = {t["unit"] for t in q["truth"]["teams"]}
    situations = [dict(s, onset_i=pidx[s["onset"]], end_i=pidx[s["end"]])
                  for s in p["truth"]["situations"]]
    check_twins(seed, q, p, situations)
    result = dict(seed=seed, teams=len(leaves),
                  employees=sum(q["data"][u]["headcount"][sf] for u in leaves),
                  situations=len(situations), quiet={}, planted={})
    for name, c in comps.items():
        for det, transitions in [("vigie", c["transitions"])] + \
                [(scaled_name(fac), tr) for fac, tr in c["scaled"].items()]:
            starts, active = S.vigie_episodes(transitions, pidx, nm)
            result[name][det] = S.score_detector(
                starts, active, leaves, nm, sf, situations, name == "planted", True)
            if name == "planted" and det == "vigie":
                for s, r in zip(situations, result[name][det]["situations"]):
                    r["hidden"] = S.hidden_share(s, c["suppressed"], True)
                    r["realised"] = S.realised(s, {u: c["data"][u] for u in leaves}, nm)
    for ch in cfg["changes"]:
        for name in ("quiet", "planted"):
            c = vigie_company(cfg, d, "%s-%s" % (name, ch), seed, name == "planted", ch)
            sits = [dict(s, onset_i=pidx[s["onset"]], end_i=pidx[s["end"]])
                    for s in c["truth"]["situations"]]
            starts, active = S.vigie_episodes(c["transitions"], pidx, nm)
            result[name]["vigie@" + ch] = S.score_detector(
                starts, active, leaves, nm, sf, sits, name == "planted", True)
    t_vigie = time.time() - t0
    t1 = time.time()
    rinfo = None
    if cfg["peer"]:
        rres, rinfo = r_peer(cfg, d, comps)
        for name, c in comps.items():
            dets = detectors_from_r(rres[name], c)
            names = ["farrington@%g" % a for a in ALPHAS] + ["glrnb:%d" % k for k in CARLS]
            for det in names:
                starts, active = S.alarm_episodes(dets.get(det, {}), nm)
                result[name][det] = S.score_detector(
                    starts, active, leaves, nm, sf, situations, name == "planted", False)
            vis = detectors_from_r(rres[name], c, visibility=True)
            for det in names:
                starts, active = S.alarm_episodes(vis.get(det, {}), nm)
                result[name][det + VIS] = S.score_detector(
                    starts, active, leaves, nm, sf, situations, name == "planted", False)
    result["timing"] = dict(vigie=t_vigie, peer=rinfo["seconds"] if rinfo else 0.0,
                            peer_wall=time.time() - t1,
                            peer_cached=bool(rinfo and rinfo["cached"]))
    result["peer"] = rinfo
    with open(os.path.join(d, "result.json"), "w") as f:
        json.dump(result, f, indent=1, default=sorted)
    return result


# ------------------------------------------------------------- the report

def fmt(x, nd=1):
    if x is None:
        return "–"
    return ("%%.%df" % nd) % x


def fmt_spread(sp, nd=1, unit=""):
    if not sp:
        return "–"
    if sp["n"] == 1:
        return fmt(sp["mean"], nd) + unit
    return "%s%s ± %s (%s–%s)" % (fmt(sp["mean"], nd), unit, fmt(sp["sd"], nd),
                                  fmt(sp["min"], nd), fmt(sp["max"], nd))


def summarise(results, det):
    q = [r["quiet"][det] for r in results if det in r["quiet"]]
    p = [r["planted"][det] for r in results if det in r["planted"]]
    if not q:
        return None
    ty = sum(x["team_years"] for x in q)
    return dict(
        fa=S.spread([x["fa_rate"] for x in q]),
        fa_pooled=100.0 * sum(x["false"] for x in q) / ty,
        fa_leaf=S.spread([x["fa_rate_leaf"] for x in q]),
        det=S.detection_summary([x["situations"] for x in p]),
        chance=S.detection_summary([x["situations"] for x in q]),
        fa_planted=S.spread([x["fa_rate"] for x in p]),
        right=S.right_share(p),
        new_pm=S.spread([x["new_per_month"] for x in q]),
        new_leaf_pm=S.spread([x["new_leaf_per_month"] for x in q]),
        teams_active=S.spread([100.0 * x["teams_active"] for x in q]),
        active_mean=S.spread([x["active_mean"] for x in q]),
        digest=S.spread([x["digest"] for x in q]),
        digest_folded=S.spread([x["digest_folded"] for x in q]),
        by_signal={k: statistics.mean(x["by_signal"].get(k, 0.0) for x in q)
                   for k in sorted({k for x in q for k in x["by_signal"]})},
    )


def operating_point(results, grid, label):
    """The setting of a surveillance method that detects the most while its
    pooled false-alert rate on nothing-wrong companies stays within the
    target."""
    best = None
    for g in grid:
        s = summarise(results, label % g)
        if s and s["fa_pooled"] <= TARGET_FA:
            if best is None or s["det"]["rate"] > best[1]["det"]["rate"]:
                best = (g, s)
    return best


def setting_name(det):
    """"farrington@0.01" -> "alpha = 0.01", "glrnb:5" -> "c.ARL = 5"."""
    if det.startswith("farrington@"):
        return "alpha = " + det[len("farrington@"):]
    return "c.ARL = " + det[len("glrnb:"):]


def git_desc():
    try:
        h = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"],
                           capture_output=True, text=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", ROOT, "status", "--porcelain", "--", "rules", "daemon",
                                "etc", "include", "tests/bench/detect"],
                               capture_output=True, text=True).stdout.strip()
        return h + (" with uncommitted changes" if dirty else "")
    except OSError:
        return "unknown"


def r_version():
    try:
        return subprocess.run(["Rscript", "--vanilla", "-e",
                               "cat(as.character(packageVersion('surveillance')))"],
                              capture_output=True, text=True).stdout.strip() or "?"
    except OSError:
        return "?"


def write_report(cfg, results, elapsed):
    V = summarise(results, "vigie")
    peer = cfg["peer"]
    F = summarise(results, "farrington@%g" % FARRINGTON_ALPHA) if peer else None
    G = summarise(results, "glrnb:%d" % GLRNB_CARL) if peer else None
    r0 = results[0]
    t0 = json.load(open(os.path.join(cfg["work"], "seed-%d" % r0["seed"], "quiet.json")))
    sf_period = t0["first"]
    y, mth = int(sf_period[:4]), int(sf_period[5:])
    mth += cfg["score_from"] - 1
    sf_period = "%04d-%02d" % (y + (mth - 1) // 12, (mth - 1) % 12 + 1)
    checks = []
    checks.append(("nothing wrong: at most %g false alerts per 100 teams per year" % TARGET_FA,
                   fmt(V["fa"]["mean"]), V["fa"]["mean"] <= TARGET_FA))
    checks.append(("planted situations detected within %d months: at least %g %%" %
                   (S.WINDOW, TARGET_DET), "%s %% (%d/%d)" % (fmt(V["det"]["rate"]),
                                                            V["det"]["detected"], V["det"]["n"]),
                   V["det"]["rate"] >= TARGET_DET))
    ml = V["det"]["median_lead"]
    checks.append(("median lead time: at most %g months" % TARGET_LEAD,
                   fmt(ml) if ml is not None else "nothing detected",
                   ml is not None and ml <= TARGET_LEAD))
    if peer:
        for nm, X, setting, grid, lab in (
                ("farringtonFlexible", F, "alpha = %g" % FARRINGTON_ALPHA, ALPHAS,
                 "farrington@%g"),
                ("glrnb", G, "c.ARL = %d" % GLRNB_CARL, CARLS, "glrnb:%d")):
            ok = V["fa"]["mean"] <= X["fa"]["mean"] and V["det"]["rate"] >= X["det"]["rate"]
            checks.append(("better than %s at its usual setting (%s): no more false alerts, "
                           "no less detection" % (nm, setting),
                           "%s vs %s false alerts; %s %% vs %s %% detected" %
                           (fmt(V["fa"]["mean"]), fmt(X["fa"]["mean"]),
                            fmt(V["det"]["rate"]), fmt(X["det"]["rate"])), ok))
            # The same question at every setting: is some operating point
            # of the method at least as good on both counts (pooled)?
            vfa = 100.0 * sum(r["quiet"]["vigie"]["false"] for r in results) / \
                sum(r["quiet"]["vigie"]["team_years"] for r in results)
            dom = [(g, s) for g in grid for s in [summarise(results, lab % g)]
                   if s["fa_pooled"] <= vfa and s["det"]["rate"] >= V["det"]["rate"]]
            if dom:
                g, s = dom[0]
                val = "%s does: %s false alerts, %s %% detected (Vigie %s, %s %%)" % (
                    setting_name(lab % g), fmt(s["fa_pooled"]), fmt(s["det"]["rate"]),
                    fmt(vfa), fmt(V["det"]["rate"]))
            else:
                within = [summarise(results, lab % g) for g in grid]
                best = max([s["det"]["rate"] for s in within if s["fa_pooled"] <= vfa],
                           default=None)
                val = "with at most Vigie's %s false alerts it detects %s (Vigie %s %%)" % (
                    fmt(vfa), "%s %%" % fmt(best) if best is not None else "nothing",
                    fmt(V["det"]["rate"]))
            checks.append(("no setting of %s does as well on both (pooled, its settings "
                           "tried below)" % nm, val, not dom))
    changed = [(ch, summarise(results, "vigie@" + ch)) for ch in cfg["changes"]]
    for ch, X in changed:
        checks.append(("with %s: at most %g false alerts per 100 teams per year (not a target "
                       "of SPEC 16)" % (CHANGES[ch][0], TARGET_FA),
                       fmt(X["fa"]["mean"]), X["fa"]["mean"] <= TARGET_FA))
    L = []
    w = L.append
    seeds = [r["seed"] for r in results]
    w("# Detection quality of the rule library\n")
    w("Written by `make bench-detect` (tests/bench/detect/; its README.md gives the method, "
      "the scoring rules and the sources of every baseline). Do not edit by hand.\n")
    w("- Vigie: commit %s; rules folder `%s` (sha256 %s…)." %
      (git_desc(), shown(cfg["rules"]), cfg["rules_hash"][:12]))
    w("- Companies: %d seeds (%s), %d to %d leaf teams, %d to %d employees, 48 months %s to %s; "
      "scored from %s (month %d: the months before are history); %d situations planted "
      "(%s)." % (len(seeds), ",".join(map(str, seeds)), min(r["teams"] for r in results),
                 max(r["teams"] for r in results), min(r["employees"] for r in results),
                 max(r["employees"] for r in results), t0["first"], t0["last"], sf_period,
                 cfg["score_from"], sum(r["situations"] for r in results),
                 ", ".join("%s %d" % (k, v["n"]) for k, v in V["det"]["kinds"].items())) +
      (" Generator options: `%s`." % " ".join(cfg["genflags"]) if cfg["genflags"] else ""))
    if peer:
        w("- Peer: R surveillance %s, per leaf team and indicator (%d indicators): "
          "`farringtonFlexible` (Noufaily variant, b = 2, w = 1, population offset, "
          "alpha = %g) and `glrnb` (negative binomial GLR, c.ARL = %d, mu0 with exposure "
          "offset)." % (cfg["r_version"], len(MONITORED), FARRINGTON_ALPHA, GLRNB_CARL))
    if not peer:
        how = "without the R peer (PEER=0)"
    elif all(r["timing"]["peer_cached"] for r in results):
        how = "R's results from the cache (they took %s when R ran, %d seeds at a time)" % (
            human(sum(r["timing"]["peer"] for r in results) / cfg["jobs"]), cfg["jobs"])
    elif not any(r["timing"]["peer_cached"] for r in results):
        how = "R run for every seed"
    else:
        how = "R run for %d of %d seeds, the others from the cache" % (
            sum(not r["timing"]["peer_cached"] for r in results), len(results))
    w("- Run: %s, %s, %s." % (datetime.date.today().isoformat(), human(elapsed), how))
    w("")
    chance = V["chance"]["rate"]
    summary = ("In short: with nothing wrong the library raises %s new alerts per 100 teams "
               "a year (target %g, mean over seeds); it detects %s %% of the planted "
               "situations within %d months, against %s %% \"detected\" by chance on the same "
               "teams and months with nothing planted." %
               (fmt(V["fa"]["mean"]), TARGET_FA, fmt(V["det"]["rate"], 0), S.WINDOW,
                fmt(chance, 0)))
    if peer:
        summary += (" farringtonFlexible raises %s and detects %s %%, glrnb %s and %s %% "
                    "at their usual settings." % (fmt(F["fa"]["mean"]), fmt(F["det"]["rate"], 0),
                                                  fmt(G["fa"]["mean"]), fmt(G["det"]["rate"], 0)))
        FV = summarise(results, "farrington@%g" % FARRINGTON_ALPHA + VIS)
        GV = summarise(results, "glrnb:%d" % GLRNB_CARL + VIS)
        summary += (" With Vigie's visibility (an alarm dropped where Vigie hides the cell), "
                    "%s and %s %%, %s and %s %%." % (
                        fmt(FV["fa"]["mean"]), fmt(FV["det"]["rate"], 0),
                        fmt(GV["fa"]["mean"]), fmt(GV["det"]["rate"], 0)))
    if V["right"] is not None:
        summary += (" On the companies with planted situations, %s %% of the library's new "
                    "alerts point at one of them" % fmt(V["right"], 0))
        summary += (" (farringtonFlexible %s %%, glrnb %s %%)." % (
            fmt(F["right"], 0), fmt(G["right"], 0)) if peer else ".")
    tuning = [x for x in seeds if 1 <= x <= 40]
    if tuning and cfg["rules"].rstrip("/").endswith("etc/rules.d"):
        summary += (" %d of these %d seeds are among seeds 1 to 40, which chose the shipped "
                    "library's thresholds: on them its figures are those it was tuned on; "
                    "detect/TRIED.md gives them on seeds that chose nothing." %
                    (len(tuning), len(seeds)))
    w(summary + "\n")
    w("## Targets (SPEC 16)\n")
    w("| target | measured | |")
    w("|---|---|---|")
    for name, val, ok in checks:
        w("| %s | %s | %s |" % (name, val, "PASS" if ok else "**FAIL**"))
    w("")
    w("False alerts: mean over seeds. Detection and lead: pooled over the situations of "
      "every seed. A surveillance method is compared twice: at its usual setting, and at "
      "every setting tried (its ROC): Vigie is better when no setting of the method has "
      "as few false alerts and as much detection at once.\n")
    w("## Vigie and the surveillance methods on the same data\n")
    cols = [("Vigie", V)] + ([("farringtonFlexible", F), ("glrnb", G)] if peer else [])
    w("| | " + " | ".join(c for c, _ in cols) + " |")
    w("|---|" + "---|" * len(cols))

    def row(label, f):
        w("| %s | %s |" % (label, " | ".join(f(X) for _, X in cols)))
    row("false alerts per 100 team-years, nothing wrong (mean ± sd over seeds, min–max)",
        lambda X: fmt_spread(X["fa"]))
    row("… of which on leaf teams", lambda X: fmt_spread(X["fa_leaf"]))
    row("situations detected within %d months (pooled)" % S.WINDOW,
        lambda X: "%s %% (%d/%d)" % (fmt(X["det"]["rate"]), X["det"]["detected"], X["det"]["n"]))
    row("… per seed", lambda X: fmt_spread(X["det"]["per_seed"], 0, " %"))
    row("detected by chance: same teams and months, nothing planted",
        lambda X: "%s %%" % fmt(X["chance"]["rate"]))
    row("median lead, months (detected situations)", lambda X: fmt(X["det"]["median_lead"]))
    row("false alerts per 100 team-years on the planted companies, outside the situations",
        lambda X: fmt_spread(X["fa_planted"]))
    row("new alerts on the planted companies that point at a situation (its teams or "
        "their parents, from onset to 12 months after its end), pooled",
        lambda X: "%s %%" % fmt(X["right"]) if X["right"] is not None else "-")
    w("")
    w("## Detection per kind of situation\n")
    w("Detected / planted (median lead in months).\n")
    w("| kind | " + " | ".join(c for c, _ in cols) + " |")
    w("|---|" + "---|" * len(cols))
    for k in V["det"]["kinds"]:
        w("| %s | %s |" % (k, " | ".join(
            "%d/%d (%s)" % (X["det"]["kinds"][k]["detected"], X["det"]["kinds"][k]["n"],
                            fmt(X["det"]["kinds"][k]["median_lead"], 0))
            for _, X in cols)))
    w("")
    w("First signal of the detected situations, Vigie: %s.\n" % ", ".join(
        "%s %d" % kv for kv in V["det"]["by"].most_common()))
    D = V["det"]
    seen = D["n"] - D["hidden"]
    w("Disclosure control (SPEC 3): %d of the %d situations fell on units that Vigie hid for "
      "most of their first 6 months (more than half of the library's evaluations there "
      "suppressed: the team below the floor, or hidden with a smaller sibling so that the "
      "sibling cannot be found by subtraction, for as long as a window reads that month). "
      "Vigie detected %d of them, and %s of the others; %d of its %d misses are hidden ones.\n"
      % (D["hidden"], D["n"], D["hidden_detected"],
         "%.1f %% (%d/%d)" % (100.0 * (D["detected"] - D["hidden_detected"]) / seen,
                             D["detected"] - D["hidden_detected"], seen) if seen else "none",
         D["hidden"] - D["hidden_detected"], D["n"] - D["detected"]))
    R = S.realised_summary([r["planted"]["vigie"]["situations"] for r in results])
    if any(k["what"] for k in R.values()):
        w("## What the detected and the missed situations looked like\n")
        w("Per kind, what the situation adds to over its first months, as its data show "
          "it (the generator draws each situation's effect, then chance realises it), "
          "against what the 24 months before its onset lead to expect: accidents at the "
          "company's rate per hour worked, conflicts and harassment reports at the parent "
          "unit's rate per head, departures at the unit's own; for burnout, overtime per "
          "head. Medians over the situations of each group.\n")
        w("| kind | what is counted | detected: observed, expected (situations) | missed: "
          "observed, expected (situations) | of the missed, mostly hidden |")
        w("|---|---|---|---|---|")
        for kind, k in sorted(R.items()):
            def grp(g):
                return "%s, %s (%d)" % (fmt(g["observed"]), fmt(g["expected"], 2), g["n"]) \
                    if g["n"] else "none"
            w("| %s | %s | %s | %s | %d |" % (kind, k["what"] or "", grp(k["detected"]),
                                               grp(k["missed"]), k["missed_hidden"]))
        w("")
    w("## False alerts per rule (nothing wrong)\n")
    w("Per 100 team-years, mean over seeds, ancestors' alerts included (SPEC 16 folding).\n")
    w("| rule | false alerts |")
    w("|---|---|")
    for k, v in sorted(V["by_signal"].items(), key=lambda kv: -kv[1]):
        w("| %s | %s |" % (k, fmt(v, 2)))
    w("")
    if changed:
        w("## Changes that strike the whole company\n")
        w("The same seeds drawn again with a change in every team at once, which no "
          "team's alert should report: the library's figures, as above. The teams are the "
          "same; from the change on, chance draws anew, so on seeds that chose the "
          "library's thresholds (the benchmark's among them) a changed company is also "
          "one the thresholds never saw, which alone costs a few tenths of a false alert "
          "(tests/bench/detect/TRIED.md compares the library before and after on the same "
          "changed companies).\n")
        w("| companies | false alerts per 100 team-years, nothing wrong | detected within %d "
          "months | rules with the most false alerts |" % S.WINDOW)
        w("|---|---|---|---|")
        rows = [("as above", V)] + [("%s: %s" % CHANGES[ch][:2], X) for ch, X in changed]
        for label, X in rows:
            top3 = sorted(X["by_signal"].items(), key=lambda kv: -kv[1])[:3]
            w("| %s | %s | %s %% (%d/%d) | %s |" % (
                label, fmt_spread(X["fa"]), fmt(X["det"]["rate"]), X["det"]["detected"],
                X["det"]["n"], ", ".join("%s %s" % (k, fmt(v, 2)) for k, v in top3)))
        w("")
    if cfg["sensitivity"]:
        w("## The library at other sensitivities\n")
        w("Every probability threshold of the rules folder (each `below:` level: warning, "
          "critical and clear) multiplied by a factor, rules that fire `above:` a level "
          "unchanged (sensitivity.py): times 2, a rule fires on what chance gives twice as "
          "often. Times 1 is the folder as it is, the one the targets above measure; the "
          "other rows say what detection costs in false alerts, the library's own ROC, "
          "measured on the same companies.\n")
        kinds = list(V["det"]["kinds"])
        w("| probability thresholds | false alerts per 100 team-years (mean over seeds) | "
          "detected within %d months (pooled) | %s | median lead |" % (S.WINDOW, " | ".join(kinds)))
        w("|---|---|---|" + "---|" * len(kinds) + "---|")
        for fac in sorted(set(cfg["sensitivity"]) | {1.0}):
            X = V if fac == 1.0 else summarise(results, scaled_name(fac))
            w("| times %g%s | %s | %s %% (%d/%d) | %s | %s |" % (
                fac, " (as is)" if fac == 1.0 else "", fmt(X["fa"]["mean"]),
                fmt(X["det"]["rate"]), X["det"]["detected"], X["det"]["n"],
                " | ".join("%d/%d" % (X["det"]["kinds"][k]["detected"], X["det"]["kinds"][k]["n"])
                           for k in kinds), fmt(X["det"]["median_lead"])))
        w("")
    if peer:
        w("## Surveillance methods: false alerts per indicator (nothing wrong)\n")
        w("| indicator | farringtonFlexible | glrnb |")
        w("|---|---|---|")
        for ind, _ in MONITORED:
            w("| %s | %s | %s |" % (ind, fmt(F["by_signal"].get(ind, 0.0), 2),
                                    fmt(G["by_signal"].get(ind, 0.0), 2)))
        w("")
        w("## The surveillance methods tuned to the false-alert target\n")
        w("The setting that detects the most while its pooled false-alert rate on the "
          "nothing-wrong companies stays at most %g per 100 team-years (chosen on the same "
          "data, so a slightly optimistic bar): what a rule library must beat at the "
          "target.\n" % TARGET_FA)
        w("| method | setting | false alerts | detected within %d months | median lead |" % S.WINDOW)
        w("|---|---|---|---|---|")
        for nm, grid, lab, pname in (("farringtonFlexible", ALPHAS, "farrington@%g", "alpha"),
                                     ("glrnb", CARLS, "glrnb:%d", "c.ARL")):
            op = operating_point(results, grid, lab)
            if op is None:
                w("| %s | none of %s reaches the target | | | |" % (nm, pname))
                continue
            g, s = op
            w("| %s | %s | %s | %s %% (%d/%d) | %s |" % (
                nm, setting_name(lab % g), fmt(s["fa_pooled"]), fmt(s["det"]["rate"]),
                s["det"]["detected"],
                s["det"]["n"], fmt(s["det"]["median_lead"])))
        w("")
        w("Every setting tried (pooled over seeds):\n")
        w("| method | false alerts | detected |")
        w("|---|---|---|")
        for lab, grid in (("farrington@%g", ALPHAS), ("glrnb:%d", CARLS)):
            for g in grid:
                s = summarise(results, lab % g)
                w("| %s %s | %s | %s %% |" % ((lab % g).split("@")[0].split(":")[0],
                                             setting_name(lab % g), fmt(s["fa_pooled"]),
                                             fmt(s["det"]["rate"])))
        w("")
    if peer:
        FV = summarise(results, "farrington@%g" % FARRINGTON_ALPHA + VIS)
        GV = summarise(results, "glrnb:%d" % GLRNB_CARL + VIS)
        w("## The surveillance methods with Vigie's visibility\n")
        w("Above, a method's alarm is dropped only in a month when the team is below the "
          "anonymity floor. Vigie loses more: a team hidden with a sibling below the floor, "
          "absence days dominated by one person's leave (SPEC 3), and every window that "
          "reaches such a month. Here a method's alarm is also dropped in a month when "
          "Vigie hides that team's cell of that indicator (probe rules reading the month's "
          "cell, `vigie eval` at every scored month), so both see the same cells of the "
          "month; the windows are still Vigie's handicap alone. The targets above keep the "
          "floor-only figures.\n")
        vcols = [("Vigie", V), ("farringtonFlexible", FV), ("glrnb", GV)]
        w("| | " + " | ".join(c for c, _ in vcols) + " |")
        w("|---|" + "---|" * len(vcols))
        for label, f in (
                ("false alerts per 100 team-years, nothing wrong (mean over seeds)",
                 lambda X: fmt(X["fa"]["mean"])),
                ("situations detected within %d months (pooled)" % S.WINDOW,
                 lambda X: "%s %% (%d/%d)" % (fmt(X["det"]["rate"]), X["det"]["detected"],
                                              X["det"]["n"])),
                ("median lead, months", lambda X: fmt(X["det"]["median_lead"]))):
            w("| %s | %s |" % (label, " | ".join(f(X) for _, X in vcols)))
        for k in V["det"]["kinds"]:
            w("| %s | %s |" % (k, " | ".join(
                "%d/%d" % (X["det"]["kinds"][k]["detected"], X["det"]["kinds"][k]["n"])
                for _, X in vcols)))
        vfa = 100.0 * sum(r["quiet"]["vigie"]["false"] for r in results) / \
            sum(r["quiet"]["vigie"]["team_years"] for r in results)
        for nm, grid, lab in (("farringtonFlexible", ALPHAS, "farrington@%g"),
                              ("glrnb", CARLS, "glrnb:%d")):
            within = [summarise(results, lab % g + VIS) for g in grid]
            best = max([x["det"]["rate"] for x in within if x["fa_pooled"] <= vfa], default=None)
            w("| %s, best setting with at most Vigie's %s false alerts (pooled) | %s %% | %s | |"
              % (nm, fmt(vfa), fmt(V["det"]["rate"]),
                 "%s %%" % fmt(best) if best is not None else "nothing detected")
              if nm == "farringtonFlexible" else
              "| %s, best setting with at most Vigie's %s false alerts (pooled) | %s %% | | %s |"
              % (nm, fmt(vfa), fmt(V["det"]["rate"]),
                 "%s %%" % fmt(best) if best is not None else "nothing detected"))
        w("")
    w("## What the social worker sees (nothing-wrong companies)\n")
    w("| | Vigie |" + (" farringtonFlexible | glrnb |" if peer else ""))
    w("|---|---|" + ("---|---|" if peer else ""))
    row2 = [("new alerts per month, every unit", "new_pm", 1),
            ("new alerts per month, leaf teams", "new_leaf_pm", 1),
            ("teams with an active alert in an average month, %", "teams_active", 1),
            ("alerts active in an average month", "active_mean", 1),
            ("first digest after importing history: alerts active at the last month",
             "digest", 1),
            ("… once parents' alerts are folded into their descendants' blocks (SPEC 16)",
             "digest_folded", 1)]
    for label, key, nd in row2:
        w("| %s | %s |" % (label, " | ".join(fmt_spread(X[key], nd) for _, X in cols)))
    w("")
    w("## Per seed\n")
    hdr = "| seed | teams | employees | Vigie false alerts | Vigie detected |"
    if peer:
        hdr += " Farrington false alerts | Farrington detected | glrnb false alerts | glrnb detected |"
    w(hdr + " Vigie s | R s |")
    w("|" + "---|" * (hdr.count("|") + 1))
    for r in results:
        cells = [str(r["seed"]), str(r["teams"]), "%d" % r["employees"]]
        dets = ["vigie"] + (["farrington@%g" % FARRINGTON_ALPHA, "glrnb:%d" % GLRNB_CARL]
                            if peer else [])
        for det in dets:
            q, p = r["quiet"][det], r["planted"][det]
            cells += [fmt(q["fa_rate"]), "%d/%d" % (sum(s["detected"] for s in p["situations"]),
                                                    len(p["situations"]))]
        cells += [fmt(r["timing"]["vigie"]), fmt(r["timing"]["peer"]) +
                  (" (cached)" if r["timing"]["peer_cached"] else "")]
        w("| " + " | ".join(cells) + " |")
    w("")
    w("Seconds of wall clock per seed, %d seeds at a time: Vigie's part (generate both "
      "companies, import, backtest, score) and R's when it ran (\"cached\": this report "
      "read its results from the cache)." % cfg["jobs"])
    w("")
    with open(cfg["out"], "w") as f:
        f.write("\n".join(L))
    return checks


def self_test():
    import io
    import unittest
    import test_gencompany
    import test_score
    import test_sensitivity
    suite = unittest.TestSuite(unittest.defaultTestLoader.loadTestsFromModule(m)
                               for m in (test_gencompany, test_score, test_sensitivity))
    out = io.StringIO()
    if not unittest.TextTestRunner(stream=out, verbosity=0).run(suite).wasSuccessful():
        raise Failure("the generator or the scoring rules fail their tests:\n" +
                      out.getvalue()[-3000:])


def human(s):
    s = int(round(s))
    return "%d min %02d s" % (s // 60, s % 60) if s >= 60 else "%d s" % s


def parse_seeds(s):
    s = s.strip()
    try:
        if "," in s or " " in s:
            seeds = [int(x) for x in s.replace(",", " ").split()]
        else:
            seeds = list(range(1, int(s) + 1))
    except ValueError:
        raise Failure("SEEDS=%r: give a count (5) or a list (3,7,11)" % s)
    if not seeds or any(x < 0 for x in seeds):
        raise Failure("SEEDS=%r: give a count (5) or a list (3,7,11)" % s)
    return seeds


def parse_factors(s):
    """SENSITIVITY: factors other than 1, or 0 for none."""
    try:
        facs = [float(x) for x in s.replace(",", " ").split()]
    except ValueError:
        facs = None
    if facs == [0.0]:
        return []
    if not facs or not all(sensitivity.valid_factor(f) for f in facs):
        raise Failure("SENSITIVITY=%r: give factors (0.5,2,4) or 0 for none" % s)
    return [f for f in dict.fromkeys(facs) if f != 1.0]


def parse_changes(s):
    """CHANGES: names of CHANGES, or 0 for none."""
    if s.strip() == "0":
        return []
    names = [x.strip() for x in s.split(",") if x.strip()]
    bad = [x for x in names if x not in CHANGES]
    if bad or not names:
        raise Failure("CHANGES=%r: give some of %s, or 0 for none" % (s, ",".join(CHANGES)))
    return list(dict.fromkeys(names))


def main():
    if len(sys.argv) != 2 or sys.argv[1] in ("-h", "--help"):
        print(__doc__)
        return 0 if len(sys.argv) == 2 else 2
    build = os.path.abspath(sys.argv[1])
    env = os.environ
    try:
        cfg = dict(
            vigie=os.path.join(build, "vigie"),
            rules=os.path.abspath(env.get("RULES") or os.path.join(ROOT, "etc/rules.d")),
            peer=(env.get("PEER") or "1") != "0",
            jobs=max(1, int(env.get("JOBS") or 2)),
            score_from=int(env.get("SCORE_FROM") or 25),
            genflags=shlex.split(env.get("GENFLAGS") or ""),
            out=os.path.abspath(env.get("OUT") or os.path.join(ROOT, "tests/bench/DETECTION.md")),
            work=os.path.abspath(env.get("WORK") or os.path.join(build, "bench-detect")),
        )
        seeds = parse_seeds(env.get("SEEDS") or "20")
        cfg["sensitivity"] = parse_factors(env.get("SENSITIVITY") or "0.5,2,4")
        cfg["changes"] = parse_changes(env.get("CHANGES") or ",".join(CHANGES))
        if not os.access(cfg["vigie"], os.X_OK):
            raise Failure("%s missing: run make first" % cfg["vigie"])
        if not os.path.exists(cfg["rules"]):
            raise Failure("RULES=%s: no such folder" % cfg["rules"])
        files = sorted(os.path.join(cfg["rules"], f) for f in os.listdir(cfg["rules"])
                       if f.endswith(".yaml")) if os.path.isdir(cfg["rules"]) else [cfg["rules"]]
        cfg["rules_hash"] = sha256_files(files)
        if cfg["peer"] and not shutil.which("Rscript"):
            raise Failure("Rscript missing: run tests/bench/detect/deps.sh (or PEER=0)")
        cfg["r_version"] = r_version() if cfg["peer"] else None
        self_test()
        os.makedirs(cfg["work"], exist_ok=True)
        for fac in cfg["sensitivity"]:
            shutil.rmtree(scaled_dir(cfg, fac), ignore_errors=True)
            sensitivity.write_scaled(cfg["rules"], scaled_dir(cfg, fac), fac)
        start = time.time()
        print("bench-detect: %d seed(s), rules %s, %s" % (
            len(seeds), shown(cfg["rules"]),
            "with R's surveillance" if cfg["peer"] else "without the R peer"), file=sys.stderr)
        results = []
        with concurrent.futures.ThreadPoolExecutor(cfg["jobs"]) as ex:
            futs = {ex.submit(run_seed, cfg, s): s for s in seeds}
            for fu in concurrent.futures.as_completed(futs):
                r = fu.result()
                v = r["quiet"]["vigie"]
                dv = r["planted"]["vigie"]["situations"]
                print("  seed %d: %d teams, Vigie %.1f false alerts/100 team-years, %d/%d "
                      "detected (%.0f s%s)" % (r["seed"], r["teams"], v["fa_rate"],
                                              sum(d["detected"] for d in dv), len(dv),
                                              r["timing"]["vigie"] + r["timing"]["peer_wall"],
                                              ", R cached" if r["timing"]["peer_cached"] else ""),
                      file=sys.stderr)
                if r["peer"] and r["peer"]["mismatch"]:
                    print("  seed %d: %d Farrington months where the package's alarm and "
                          "p <= alpha disagree" % (r["seed"], r["peer"]["mismatch"]),
                          file=sys.stderr)
                results.append(r)
        results.sort(key=lambda r: seeds.index(r["seed"]))
        checks = write_report(cfg, results, time.time() - start)
    except Failure as e:
        print("bench-detect: %s" % e, file=sys.stderr)
        return 2
    print("bench-detect: wrote %s (%s)" % (shown(cfg["out"]),
                                           human(time.time() - start)))
    failed = 0
    for name, val, ok in checks:
        print("%s  %s: %s" % ("PASS" if ok else "FAIL", name, val))
        failed += not ok
    if failed and (env.get("STRICT") or "0") not in ("", "0"):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
