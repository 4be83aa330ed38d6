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
"""
import os

import yaml


def scale_doc(doc, factor):
    """Scales one parsed rule file in place; returns how many rules were."""
    n = 0
    for rule in (doc or {}).get("rules") or []:
        below = rule.get("below") if isinstance(rule, dict) else None
        if isinstance(below, dict):
            rule["below"] = {k: v * factor if isinstance(v, (int, float)) else v
                             for k, v in below.items()}
            n += 1
    return n


def write_scaled(src, dst, factor):
    """Writes the .yaml files of folder (or file) src, scaled, into folder
    dst; returns the number of rules scaled."""
    files = sorted(os.path.join(src, f) for f in os.listdir(src) if f.endswith(".yaml")) \
        if os.path.isdir(src) else [src]
    os.makedirs(dst, exist_ok=True)
    n = 0
    for path in files:
        with open(path, encoding="utf-8") as f:
            doc = yaml.safe_load(f)
        n += scale_doc(doc, factor)
        with open(os.path.join(dst, os.path.basename(path)), "w", encoding="utf-8") as f:
            yaml.safe_dump(doc, f, allow_unicode=True, sort_keys=False, width=1 << 16)
    return n
