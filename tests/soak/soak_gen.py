#!/usr/bin/python3
"""Data of the soak test: writes the CSV file of step STEP to FILE.

Step 0 is the history: 24 teams x 24 months from 2000-01 (so that the ten
minutes of the soak, about 160 months more, stay before the current month:
vigie refuses periods after it, SPEC 4). Every later step
adds either the next month for every team, or (every 5th step, until 60
teams) two new teams with their whole history up to the latest month, so
the daemon sees both new periods and new units. Each team goes through
troubled phases (absences and conflicts up) of 8 months out of 24, offset
from team to team, so alerts keep firing, escalating and resolving. A few
teams of 4 people stay under the anonymity floor. Deterministic and
stateless: the same step always gives the same file.

usage: soak_gen.py FILE STEP
"""
import random
import sys

INDS = ["headcount", "workable_days", "absence_days", "absence_episodes",
        "short_absences", "departures", "resignations", "hours_worked",
        "overtime_hours", "work_accidents", "conflicts", "grievances"]
UNITS0, MONTHS0, MAX_UNITS = 24, 24, 60


def plan(step):
    """(units, months) before `step`, and what `step` writes:
    a list of (unit index, month index)."""
    units, months = UNITS0, MONTHS0
    for k in range(1, step + 1):
        if k % 5 == 0 and units < MAX_UNITS:
            new = range(units, units + 2)
            units += 2
            cells = [(u, m) for u in new for m in range(months)]
        else:
            cells = [(u, months) for u in range(units)]
            months += 1
        if k == step:
            return cells
    return [(u, m) for u in range(UNITS0) for m in range(MONTHS0)]


def row(u, m):
    rnd = random.Random(u * 100003 + m)
    hc = 4 if u % 17 == 0 else 8 + (u * 7) % 30
    troubled = ((m + u * 3) // 8) % 3 == 0
    rate = 0.11 if troubled else 0.03
    wd = hc * 21
    ab = int(wd * rate * rnd.uniform(0.8, 1.2))
    ep = max(0, ab // 4 + rnd.randint(-1, 1))
    return [hc, wd, ab, ep, ep // 2, rnd.randint(0, 1) if troubled else 0,
            rnd.randint(0, 1) if troubled and rnd.random() < 0.3 else 0,
            hc * 150, rnd.randint(0, hc * (12 if troubled else 3)),
            1 if rnd.random() < 0.03 else 0,
            rnd.randint(2, 4) if troubled else 0,
            1 if troubled and rnd.random() < 0.3 else 0]


def main():
    out, step = sys.argv[1], int(sys.argv[2])
    with open(out, "w") as f:
        f.write("unit,period," + ",".join(INDS) + "\n")
        for u, m in plan(step):
            f.write("acme/site%d/team%03d,%04d-%02d,%s\n" % (
                u % 4, u, 2000 + m // 12, m % 12 + 1,
                ",".join(str(v) for v in row(u, m))))


if __name__ == "__main__":
    main()
