#!/usr/bin/env python3
"""teams_csv.py FILE TEAMS SEED: a company of TEAMS teams (acme/sS/tN, 4
sites, 8 to 37 people) over the 15 months up to the last complete quarter,
in the wide form: headcount, workable_days, absence_days and conflicts of 0
or 1 (nothing a rule on conflicts fires on). Prints that last month
(YYYY-MM), the one a quarterly report is due for. For the tests of what
vigied does while it makes the scheduled works council report."""
import datetime
import random
import sys

path, teams, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
today = datetime.datetime.now(datetime.timezone.utc).date()
q_end = (today.year * 12 + (today.month - 1) // 3 * 3) - 1     # month index
rnd = random.Random(seed)
with open(path, "w") as f:
    f.write("unit,period,headcount,workable_days,absence_days,conflicts\n")
    for m in range(q_end - 14, q_end + 1):
        for t in range(teams):
            h = 8 + t % 30
            f.write("acme/s%d/t%d,%04d-%02d,%d,%d,%d,%d\n" % (t % 4, t, m // 12, m % 12 + 1,
                    h, 20 * h, rnd.randint(0, h), rnd.randint(0, 1)))
print("%04d-%02d" % (q_end // 12, q_end % 12 + 1))
