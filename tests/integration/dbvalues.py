#!/usr/bin/python3
"""Prints the indicator values of a Vigie database, one per line as
"unit,period,indicator,value", sorted by unit, period and indicator, with
periods as text (YYYY-MM or YYYY-Www, after meta('period')) and values as
Python's repr of the float (7.5, 12.0). The tests use it to look inside the
packed series table (daemon/store/schema.c) the way they once read a plain table;
it also checks each row's invariants (whole doubles, trimmed, only finite
values and the one quiet NaN) and exits 1 naming the row that breaks one.

usage: /usr/bin/python3 dbvalues.py [--count] DB
  --count  print only the number of values (for large databases)
"""
import datetime
import math
import sqlite3
import struct
import sys

QNAN = 0x7FF8000000000000


def period_text(gran, p):
    if gran == "week":
        # Week index: weeks from Monday 0001-01-01 (ordinal 1) to its Monday.
        y, w, _ = datetime.date.fromordinal(1 + 7 * p).isocalendar()
        return "%04d-W%02d" % (y, w)
    return "%04d-%02d" % (p // 12, p % 12 + 1)


def main():
    args = sys.argv[1:]
    count_only = args[:1] == ["--count"]
    if count_only:
        args = args[1:]
    if len(args) != 1:
        sys.exit("usage: dbvalues.py [--count] DB")
    db = sqlite3.connect("file:%s?mode=ro" % args[0], uri=True)
    row = db.execute("SELECT value FROM meta WHERE key = 'period'").fetchone()
    gran = row[0] if row else "month"
    out = []
    count = 0
    for unit, ind, p0, vals in db.execute(
            "SELECT u.path, i.name, s.p0, s.vals FROM series s"
            " JOIN unit u ON u.id = s.unit JOIN indicator i ON i.id = s.indicator"):
        where = "series %s/%s at %d" % (unit, ind, p0)
        if not isinstance(vals, bytes) or not vals or len(vals) % 8:
            sys.exit("%s: vals is not a whole number of doubles" % where)
        n = len(vals) // 8
        bits = struct.unpack("<%dQ" % n, vals)
        for k, (b, v) in enumerate(zip(bits, struct.unpack("<%dd" % n, vals))):
            if math.isnan(v):
                if b != QNAN:
                    sys.exit("%s: entry %d is a NaN other than 0x%x" % (where, k, QNAN))
                if k in (0, n - 1):
                    sys.exit("%s: not trimmed (entry %d is NaN)" % (where, k))
                continue
            if math.isinf(v):
                sys.exit("%s: entry %d is infinite" % (where, k))
            count += 1
            if not count_only:
                out.append((unit, p0 + k, ind, v))
    if count_only:
        print(count)
        return
    out.sort()
    for unit, p, ind, v in out:
        print("%s,%s,%s,%r" % (unit, period_text(gran, p), ind, v))


main()
