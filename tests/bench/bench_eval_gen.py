#!/usr/bin/python3
"""Generates the data and rules of bench_eval.sh: TEAMS teams in a 3-level
hierarchy (site/department/team) x MONTHS months x 12 indicators as a wide
CSV, and 100 rules in the style of the shipped library (rates over windows,
baselines with offsets, trends, Poisson tails, a few parent/peer_avg).
Deterministic: the same arguments give the same files."""
import os
import random
import sys

def main():
    out, teams, months = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    rnd = random.Random(42)
    sites, depts = 20, 25
    per_dept = max(1, teams // (sites * depts))
    inds = ["headcount", "workable_days", "absence_days", "absence_episodes",
            "short_absences", "departures", "resignations", "hours_worked",
            "overtime_hours", "work_accidents", "conflicts", "grievances"]
    with open(os.path.join(out, "data.csv"), "w") as f:
        f.write("unit,period," + ",".join(inds) + "\n")
        n = 0
        for s in range(sites):
            for d in range(depts):
                for t in range(per_dept):
                    if n >= teams:
                        break
                    n += 1
                    unit = "corp%d/dept%d/team%d" % (s, d, t)
                    hc = rnd.randint(3, 40)
                    rate = rnd.uniform(0.02, 0.12)
                    for m in range(months):
                        y, mo = 2021 + m // 12, m % 12 + 1
                        h = max(1, hc + rnd.randint(-2, 2))
                        wd = h * 21
                        ab = int(wd * rate * rnd.uniform(0.3, 1.8))
                        ep = max(0, ab // 4 + rnd.randint(-1, 2))
                        row = [h, wd, ab, ep, ep // 2, rnd.randint(0, 1),
                               rnd.randint(0, 1) if rnd.random() < 0.3 else 0,
                               h * 150, rnd.randint(0, h * 8),
                               1 if rnd.random() < 0.02 else 0,
                               rnd.randint(0, 2) if rnd.random() < 0.2 else 0,
                               1 if rnd.random() < 0.05 else 0]
                        f.write("%s,%04d-%02d,%s\n" % (unit, y, mo,
                                ",".join(str(v) for v in row)))
    templates = [
        ("100 * sum(absence_days, {n}) / sum(workable_days, {n})", "above", (4, 8, 3)),
        ("avg(short_absences / headcount, 3) / avg(short_absences / headcount, 12, {k})", "above", (1.3, 1.8, 1.1)),
        ("100 * sum(departures, 12) / avg(headcount, 12)", "above", (30, 45, 25)),
        ("poisson_tail(sum(conflicts, {n}), 0.005 * sum(headcount, {n}))", "below", (0.05, 0.01, 0.1)),
        ("sum(overtime_hours, {n}) / sum(headcount, {n})", "above", (4, 6, 3)),
        ("sum(absence_days, 3) / (sum(absence_episodes, 3) + 1)", "above", (8, 12, 6)),
        ("slope(100 * absence_days / workable_days, 6)", "above", (0.8, 1.5, 0.5)),
        ("avg(100 * absence_days / workable_days, 3) - avg(100 * absence_days / workable_days, 3, 12)", "above", (2, 4, 1)),
        ("100 * hours_worked / (headcount * 150)", "below", (97, 90, 99)),
        ("poisson_tail(sum(work_accidents, 12), 25 * sum(hours_worked, 12) / 1000000)", "below", (0.05, 0.01, 0.1)),
        ("zscore(conflicts + grievances, 12)", "above", (2, 3, 1.5)),
        ("100 * sum(resignations, 12) / avg(headcount, 12)", "above", (10, 20, 8)),
    ]
    hier = [
        ("(100 * sum(absence_days, 3) / sum(workable_days, 3)) - parent(100 * sum(absence_days, 3) / sum(workable_days, 3))", "above", (2, 4, 1)),
        ("(100 * sum(absence_days, 3) / sum(workable_days, 3)) - peer_avg(100 * sum(absence_days, 3) / sum(workable_days, 3))", "above", (2, 4, 1)),
    ]
    rd = os.path.join(out, "rules.d")
    os.makedirs(rd, exist_ok=True)
    with open(os.path.join(rd, "bench.yaml"), "w") as f:
        f.write("rules:\n")
        for i in range(100):
            if i % 25 == 24:
                expr, side, (w, c, cl) = hier[(i // 25) % 2]
            else:
                expr, side, (w, c, cl) = templates[i % len(templates)]
            n = (3, 6, 12)[i % 3]
            k = (3, 6, 12)[(i // 3) % 3]
            scale = 1 + (i // len(templates)) * 0.05
            if side == "above":
                w, c, cl = w * scale, c * scale, cl * scale
            f.write("  - id: r%03d\n    title: \"Bench rule %d\"\n" % (i, i))
            f.write("    value: %s\n" % expr.format(n=n, k=k))
            f.write("    %s: { warning: %g, critical: %g, clear: %g }\n" % (side, w, c, cl))
            f.write("    for: %d\n" % (1 + i % 2))
            if i % 7 == 3:
                f.write("    scope: \"*/*/*\"\n")
            if i % 11 == 5:
                f.write("    min_headcount: 10\n")
            if i % 13 == 6:
                f.write("    when: headcount >= 8\n")

if __name__ == "__main__":
    main()
