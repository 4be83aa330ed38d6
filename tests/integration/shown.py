"""Are the figures an alert shows the figures it fired on?

usage: shown.py VIGIE CONFIG RULES_DIR WORK_DIR

For every rule of RULES_DIR whose value is built from tails
(poisson_tail, nbinom_tail), and every alert of it that `vigie eval` finds
active (every unit with a value, for a rule choosing between windows), this
asks the engine itself for the count and the mean of each
tail, and for the rule's observed and expected: each one becomes the value
of a derived rule (same scope, when and floor) in WORK_DIR, evaluated with
`vigie eval --rules` on CONFIG's database. The alert shows what it fired on
when its observed and expected are the count and the mean of the tail that
decided the value: the smallest of the tails a least() chooses between
(a rule looking through two windows), or, for a product of tails, one of
its factors or the sum of several. Prints one line per active alert and exits 1 when one shows
another count than the one that decided it; rules without tails (a ratio,
a CUSUM, a normal_tail on hours per head) are listed with their value for
reading."""
import json
import os
import subprocess
import sys

import yaml

TAILS = ("poisson_tail(", "nbinom_tail(")


def close(s, i):
    """Index of the parenthesis that closes the one at s[i]."""
    depth = 0
    for j in range(i, len(s)):
        if s[j] == "(":
            depth += 1
        elif s[j] == ")":
            depth -= 1
            if depth == 0:
                return j
    raise ValueError("unbalanced: " + s)


def args(s):
    """The top-level comma-separated arguments of s."""
    out, depth, start = [], 0, 0
    for j, c in enumerate(s):
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "," and depth == 0:
            out.append(s[start:j].strip())
            start = j + 1
    out.append(s[start:].strip())
    return out


def tails(expr):
    """(count, mean) of every tail call of expr, outermost first."""
    out, i = [], 0
    while True:
        hits = [(expr.find(t, i), t) for t in TAILS if expr.find(t, i) >= 0]
        if not hits:
            return out
        at, t = min(hits)
        end = close(expr, at + len(t) - 1)
        a = args(expr[at + len(t):end])
        out.append((a[0], a[1]))
        i = end + 1


def windows(expr):
    """The indexes (in tails(expr)) of the tails a least() chooses between,
    each of its arguments holding one: a rule looking through two windows.
    Empty when there is no such choice (a least() that caps a z-score)."""
    at = expr.find("least(")
    while at >= 0:
        end = close(expr, at + len("least"))
        a = args(expr[at + len("least("):end])
        if all(len(tails(x)) == 1 for x in a):
            first = len(tails(expr[:at]))
            return list(range(first, first + len(a)))
        at = expr.find("least(", at + 1)
    return []


def main():
    vigie, config, rules_dir, work = sys.argv[1:5]
    rules = []
    for name in sorted(os.listdir(rules_dir)):
        if name.endswith(".yaml"):
            with open(os.path.join(rules_dir, name), encoding="utf-8") as f:
                rules += yaml.safe_load(f)["rules"]

    derived = []
    plan = {}
    for r in rules:
        if r.get("enabled", True) is False:
            continue
        value = " ".join(r["value"].split())
        ts = tails(value)
        exprs = {"value": value}
        for n in ("observed", "expected"):
            if n in r:
                exprs[n] = " ".join(str(r[n]).split())
        for i, (k, m) in enumerate(ts):
            exprs["k%d" % i] = k
            exprs["m%d" % i] = m
        plan[r["id"]] = (value, len(ts), windows(value))
        for n, e in exprs.items():
            d = {"id": "%s--%s" % (r["id"], n), "title": "t", "value": e,
                 "above": {"warning": 1e300}}
            for key in ("scope", "when", "min_headcount", "carry_over"):
                if key in r:
                    d[key] = r[key]
            derived.append(d)
        # the tails themselves, in order, to know which one decided
        i = 0
        pos = 0
        while True:
            hits = [(value.find(t, pos), t) for t in TAILS
                    if value.find(t, pos) >= 0]
            if not hits:
                break
            at, t = min(hits)
            end = close(value, at + len(t) - 1)
            d = {"id": "%s--t%d" % (r["id"], i), "title": "t",
                 "value": value[at:end + 1],
                 "above": {"warning": 1e300}}
            for key in ("scope", "when", "min_headcount", "carry_over"):
                if key in r:
                    d[key] = r[key]
            derived.append(d)
            i += 1
            pos = end + 1

    os.makedirs(work, exist_ok=True)
    with open(os.path.join(work, "derived.yaml"), "w", encoding="utf-8") as f:
        yaml.safe_dump({"rules": derived}, f, allow_unicode=True, width=1 << 20)

    def evaluate(extra):
        p = subprocess.run([vigie, "-c", config, "eval", "--format", "json"]
                           + extra, capture_output=True, text=True)
        if p.returncode != 0:
            sys.exit("vigie eval failed: %s" % p.stderr)
        return json.loads(p.stdout)

    # every active alert, and for a rule that chooses between windows
    # every unit it gives a value (the console shows it on the unit's page)
    active = [(x["rule"], x["unit"]) for x in evaluate([])
              if x["active"] or (plan.get(x["rule"], (0, 0, []))[2]
                                 and x["value"] is not None)]
    got = {(x["rule"], x["unit"]): x["value"]
           for x in evaluate(["--rules", work])}

    def same(a, b):
        return a is not None and b is not None and \
            abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))

    bad = 0
    for rule, unit in active:
        value, n, choice = plan[rule]
        v = lambda name: got.get(("%s--%s" % (rule, name), unit))
        obs, exp = v("observed"), v("expected")
        if n == 0 or "normal_tail(" in value:
            # a ratio, a CUSUM, or a factor on a measure (hours per head)
            # rather than a count: for reading
            print("%s@%s: not a count's tail; value %.6g, shown %s against %s"
                  % (rule, unit, v("value"), obs, exp))
            continue
        t = [v("t%d" % i) for i in range(n)]
        match = [i for i in range(n)
                 if same(obs, v("k%d" % i)) and same(exp, v("m%d" % i))]
        if choice:
            decided = min(choice, key=lambda i: t[i])
            # on a tie (no event in either window) either one decided
            ok = any(t[i] == t[decided] for i in match)
            why = "the tail that decided: %s against %s" % (
                v("k%d" % decided), v("m%d" % decided))
        else:
            # a product of tails: the rule shows one of its counts, or the
            # sum of several, against a baseline of its own
            counts = [v("k%d" % i) for i in range(n)]
            ok = bool(match) or any(
                same(obs, sum(counts[i] for i in range(n) if m >> i & 1))
                for m in range(1, 1 << n) if None not in counts)
            why = "counts of the product %s" % counts
        print("%s@%s: shown %s against %s; %s; %s"
              % (rule, unit, obs, exp, why, "ok" if ok else "MISMATCH"))
        bad += not ok
    if bad:
        print("%d active alert(s) show figures that did not decide them" % bad)
        sys.exit(1)


if __name__ == "__main__":
    main()
