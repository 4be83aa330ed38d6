#!/usr/bin/python3
"""Reads the ping times written by daemon_notify.py (first argument) and
fails, printing the longest gap, when two pings (or the last ping and now)
are further apart than the limit in seconds (second argument)."""
import sys
import time

limit = float(sys.argv[2])
t = [float(x) for x in open(sys.argv[1]) if x.strip()]
t.append(time.monotonic())
if len(t) < 3:
    sys.exit("fewer than two pings")
gaps = [b - a for a, b in zip(t, t[1:])]
worst = max(gaps)
print("%d pings, longest gap %.3f s (limit %.3f s)" % (len(t) - 1, worst, limit))
if worst >= limit:
    print("gaps:", " ".join("%.2f" % g for g in gaps))
sys.exit(0 if worst < limit else 1)
