"""The library at other sensitivities: a copy of a rules folder whose
probability thresholds are all multiplied by one factor, so that the
benchmark can draw the library's own trade-off between false alerts and
detection (its ROC), as it does for the surveillance methods.

A rule whose value is a probability fires *below* its thresholds; times 2,
it fires on what chance gives twice as often. Every `below:` level
(warning, critical, clear) is multiplied, which keeps their order. Rules
that fire *above* a level (a CUSUM, hours per head) are copied unchanged:
their scale is not a probability. Comments are not kept: the copy is
scratch for `vigie backtest`, never a library to read.

The factor may also be per rule ({rule id: factor}): only the rules named
are scaled, each by its own factor, which is how one asks what a share of
the false-alert budget moved from one rule to another would buy. From the
shell:

  sensitivity.py SRC DST 2                        every probability rule
  sensitivity.py SRC DST accidents-unusual=2 burnout=0.5
"""
import os
import sys

import yaml


def factor_of(factor, rule):
    """The factor for one rule: the number, or the rule's entry in a
    {rule id: factor} map (None: leave the rule as it is)."""
    if isinstance(factor, dict):
        return factor.get(rule.get("id"))
    return factor


def scale_doc(doc, factor, scaled=None):
    """Scales one parsed rule file in place; returns how many rules were
    and adds their ids to the set `scaled` when given."""
    n = 0
    for rule in (doc or {}).get("rules") or []:
        below = rule.get("below") if isinstance(rule, dict) else None
        k = factor_of(factor, rule) if isinstance(below, dict) else None
        if k is not None:
            rule["below"] = {lv: v * k if isinstance(v, (int, float)) else v
                             for lv, v in below.items()}
            n += 1
            if scaled is not None:
                scaled.add(rule.get("id"))
    return n


def valid_factor(k):
    """A factor the benchmark accepts (SENSITIVITY and the command line)."""
    return 0 < k < 1000


def scaled_docs(src, factor, scaled=None):
    """The .yaml files of folder (or file) src, parsed and scaled: a list
    of (file name, document), and the number of rules scaled (their ids
    added to `scaled`)."""
    files = sorted(os.path.join(src, f) for f in os.listdir(src) if f.endswith(".yaml")) \
        if os.path.isdir(src) else [src]
    docs, n = [], 0
    for path in files:
        with open(path, encoding="utf-8") as f:
            doc = yaml.safe_load(f)
        n += scale_doc(doc, factor, scaled)
        docs.append((os.path.basename(path), doc))
    return docs, n


def write_docs(docs, dst):
    os.makedirs(dst, exist_ok=True)
    for name, doc in docs:
        with open(os.path.join(dst, name), "w", encoding="utf-8") as f:
            yaml.safe_dump(doc, f, allow_unicode=True, sort_keys=False, width=1 << 16)


def write_scaled(src, dst, factor, scaled=None):
    """Writes the .yaml files of folder (or file) src, scaled, into folder
    dst; returns the number of rules scaled (their ids added to `scaled`)."""
    docs, n = scaled_docs(src, factor, scaled)
    write_docs(docs, dst)
    return n


def cli_factors(args):
    """Command-line factors: one number, or RULE=FACTOR pairs."""
    if len(args) == 1 and "=" not in args[0]:
        out = float(args[0])
    else:
        out = {}
        for a in args:
            rule, eq, k = a.partition("=")
            if not eq or not rule:
                raise ValueError("%r: give a factor (2) or RULE=FACTOR pairs" % a)
            out[rule] = float(k)
    if not all(valid_factor(k) for k in (out.values() if isinstance(out, dict) else [out])):
        raise ValueError("a factor is more than 0 and less than 1000")
    return out


def main(argv):
    if len(argv) < 3 or argv[0] in ("-h", "--help"):
        print("usage: sensitivity.py SRC DST FACTOR | RULE=FACTOR...", file=sys.stderr)
        return 2
    try:
        factor = cli_factors(argv[2:])
    except ValueError as e:
        print("sensitivity.py: %s" % e, file=sys.stderr)
        return 2
    scaled = set()
    docs, n = scaled_docs(argv[0], factor, scaled)
    missing = sorted(set(factor) - scaled) if isinstance(factor, dict) else []
    if missing:
        print("sensitivity.py: no rule with thresholds below: named %s in %s; nothing "
              "written" % (", ".join(missing), argv[0]), file=sys.stderr)
        return 1
    write_docs(docs, argv[1])
    print("sensitivity.py: %d rule(s) scaled into %s" % (n, argv[1]), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
