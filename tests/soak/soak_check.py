#!/usr/bin/python3
"""End-of-run checks of the soak test: reads the database, the webhook
receiver's log, the RSS samples and the list of files dropped into the
inbox; prints a summary and the failed checks; exits 1 if any failed.

The checks (see soak.sh for the run itself):
- RSS flat: the store gives SQLite a page cache of up to 64 MiB, which
  fills as the database grows (the event history is append-only), and the
  evaluation holds the series and its memoized windows, which grow with the
  values imported (new months and teams keep coming). So the raw RSS
  rightly grows; what must stay flat is the "unexplained" RSS: VmRSS minus
  the database's size (pages in use) minus 32 bytes per value imported
  (measured: about 22). Its highest value over the second half of the run
  is at most its highest over the first half + 10% + 2 MiB. A leak, or a
  cache that grows without bound, shows there (a leak of one series per
  cycle would exceed it within a minute). Reported but not asserted under
  AddressSanitizer, whose quarantine makes RSS grow by design
  (LeakSanitizer at exit checks leaks).
- Every webhook message of the outbox is sent, none pending or failed, and
  was received exactly once by webhook-id, signature verified. A second
  reception is tolerated only where the database shows a failed attempt
  that could have been it (the daemon did not record that delivery).
- The multiset of (alert, event, period) received equals the one the
  database routed to the webhook, and every notifying event (not an
  acknowledgement, not silenced) is in a webhook message: every transition
  reached the receiver, once.
- Every file dropped into the inbox is in import_log once and in
  inbox/processed/; nothing was rejected.

usage: soak_check.py DB RECEIVER_LOG RSS_SAMPLES FILES_LIST INBOX ASAN(0|1)
"""
import collections
import json
import os
import sqlite3
import sys


def period_text(p):
    return None if p is None else "%04d-%02d" % (p // 12, p % 12 + 1)


def main():
    db_path, log_path, rss_path, files_path, inbox, asan = sys.argv[1:7]
    asan = asan == "1"
    failures = []
    db = sqlite3.connect("file:%s?mode=ro" % db_path, uri=True)
    q = lambda sql, *a: db.execute(sql, a).fetchall()

    # --- RSS
    samples = [tuple(map(float, l.split())) for l in open(rss_path) if l.strip()]
    if len(samples) < 4 or any(len(x) != 4 for x in samples):
        failures.append("only %d RSS samples" % len(samples))
    else:
        mid = (samples[0][0] + samples[-1][0]) / 2
        unexplained = lambda r, d, v: r - d - 32 * v / 1024
        first_max = max(unexplained(r, d, v) for t, r, d, v in samples if t <= mid)
        last_max = max(unexplained(r, d, v) for t, r, d, v in samples if t > mid)
        bound = first_max * 1.10 + 2048
        print("RSS (KiB): %d at the start, %d at the end, highest %d; database %d KiB "
              "and %d values at the end" % (samples[0][1], samples[-1][1],
                                            max(x[1] for x in samples), samples[-1][2],
                                            samples[-1][3]))
        print("RSS - database - 32 B/value (KiB): highest %d in the first half, %d in the "
              "second, bound %d%s" % (first_max, last_max, bound,
                                      " (not asserted under ASan)" if asan else ""))
        if last_max > bound and not asan:
            failures.append("RSS grew beyond what the data explains: %d KiB in the second "
                            "half, %d KiB in the first (bound %d KiB)"
                            % (last_max, first_max, bound))

    # --- receptions
    recs = [json.loads(l) for l in open(log_path)] if os.path.exists(log_path) else []
    unverified = [r for r in recs if not r["verified"]]
    if unverified:
        failures.append("%d requests without a valid signature" % len(unverified))
    by_id = collections.Counter(r["webhook_id"] for r in recs)

    msgs = {uid: (mid, status, attempts) for mid, uid, status, attempts in
            q("SELECT id, uid, status, attempts FROM message WHERE channel = 'webhook'")}
    status = collections.Counter(s for _, s, _ in msgs.values())
    if status.get("pending") or status.get("failed"):
        failures.append("outbox not drained: %s" % dict(status))
    tolerated = 0
    for uid, (mid, st, attempts) in sorted(msgs.items()):
        n = by_id.get(uid, 0)
        if st == "sent" and n == 0:
            failures.append("message %s (%s) recorded as sent, never received" % (mid, uid))
        elif n > 1:
            ok, bad = q("SELECT coalesce(sum(ok), 0), coalesce(sum(1 - ok), 0) "
                        "FROM attempt WHERE message = ?", mid)[0]
            if ok == 1 and n - 1 <= bad:
                tolerated += 1
            else:
                failures.append("message %s (%s) received %d times (%d ok attempts, "
                                "%d failed)" % (mid, uid, n, ok, bad))
    stray = [u for u in by_id if u not in msgs]
    if stray:
        failures.append("%d webhook-ids received that the outbox never had: %s"
                        % (len(stray), stray[:3]))
    retried = sum(1 for _, _, a in msgs.values() if a > 1)

    # --- transitions, each received once
    got = collections.Counter()
    seen = set()
    for r in recs:
        if r["webhook_id"] in seen:
            continue
        seen.add(r["webhook_id"])
        if r["alerts"] is None:
            failures.append("message %s: body is not JSON" % r["webhook_id"])
            continue
        got.update(tuple(a) for a in r["alerts"])
    want = collections.Counter()
    for rule, unit, kind, period in q(
            "SELECT e.rule, e.unit, e.kind, e.period FROM message m"
            " JOIN message_item i ON i.message = m.id JOIN event e ON e.id = i.event"
            " WHERE m.channel = 'webhook'"):
        want[(rule + "@" + unit if rule else None, kind, period_text(period))] += 1
    if got != want:
        missing, extra = want - got, got - want
        failures.append("(alert, event, period) received differ from the outbox: "
                        "%d missing %s, %d extra %s" % (
                            sum(missing.values()), list(missing)[:3],
                            sum(extra.values()), list(extra)[:3]))
    unrouted = q("SELECT count(*) FROM event e WHERE e.kind != 'ack' AND e.silenced = 0"
                 " AND NOT EXISTS (SELECT 1 FROM message_item i WHERE i.event = e.id)")[0][0]
    if unrouted:
        failures.append("%d events never put in a message" % unrouted)
    kinds = dict(q("SELECT kind, count(*) FROM event GROUP BY kind ORDER BY kind"))

    # --- imports
    files = [l.strip() for l in open(files_path) if l.strip()]
    logged = collections.Counter(s for (s,) in q("SELECT source FROM import_log"))
    processed = set(os.listdir(os.path.join(inbox, "processed"))) \
        if os.path.isdir(os.path.join(inbox, "processed")) else set()
    rejected_dir = os.path.join(inbox, "rejected")
    rejected = os.listdir(rejected_dir) if os.path.isdir(rejected_dir) else []
    not_logged = [f for f in files if logged.get(f, 0) != 1]
    if not_logged:
        failures.append("%d files not in import_log exactly once: %s"
                        % (len(not_logged), not_logged[:3]))
    not_moved = [f for f in files if f not in processed]
    if not_moved:
        failures.append("%d files not in processed/: %s" % (len(not_moved), not_moved[:3]))
    if rejected:
        failures.append("files rejected: %s" % rejected[:3])

    cycles, evaluated = q("SELECT count(*), coalesce(sum(evaluated), 0) FROM cycle")[0]
    units = q("SELECT count(*) FROM unit")[0][0]
    nvalues = q("SELECT coalesce(sum(added), 0) FROM import_log")[0][0]
    print("imports: %d files dropped, %d in import_log, %d rejected; %d units, %d values added"
          % (len(files), sum(logged.values()), len(rejected), units, nvalues))
    print("cycles recorded: %d (%d with an evaluation)" % (cycles, evaluated))
    print("events: %s" % ", ".join("%s %d" % kv for kv in kinds.items()))
    print("webhook messages: %d (%s), %d needed more than one attempt"
          % (len(msgs), ", ".join("%s %d" % kv for kv in sorted(status.items())), retried))
    print("receiver: %d requests, %d distinct webhook-ids, %d tolerated duplicates, "
          "%d alert notifications" % (len(recs), len(by_id), tolerated, sum(got.values())))
    for f in failures:
        print("FAIL: " + f)
    print("soak: %s" % ("FAILED" if failures else "passed"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
