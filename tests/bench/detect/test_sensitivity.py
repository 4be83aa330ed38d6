"""Tests of sensitivity.py (run by bench.py before every benchmark, and by
`/usr/bin/python3 -m unittest test_sensitivity` in this folder)."""
import os
import tempfile
import unittest

import yaml

import sensitivity as X

RULES = """\
rules:
  - id: tail
    title: t
    value: poisson_tail(sum(conflicts, 3), 1)   # a probability
    below: { warning: 0.001, critical: 0.00001, clear: 0.04 }
    for: 2
    notify: [hr]
  - id: drift
    title: d
    value: cusum(overtime_hours, 6, 1)
    above: { warning: 12, clear: 6 }
    notify: [hr]
"""


class Scale(unittest.TestCase):
    def test_below_levels_scale_and_keep_their_order(self):
        doc = yaml.safe_load(RULES)
        self.assertEqual(X.scale_doc(doc, 3), 1)
        b = doc["rules"][0]["below"]
        self.assertAlmostEqual(b["warning"], 0.003)
        self.assertAlmostEqual(b["critical"], 0.00003)
        self.assertAlmostEqual(b["clear"], 0.12)
        self.assertEqual(list(b), ["warning", "critical", "clear"])

    def test_above_rules_and_other_keys_are_unchanged(self):
        doc = yaml.safe_load(RULES)
        X.scale_doc(doc, 3)
        self.assertEqual(doc["rules"][1], yaml.safe_load(RULES)["rules"][1])
        self.assertEqual(doc["rules"][0]["for"], 2)
        self.assertEqual(doc["rules"][0]["value"], "poisson_tail(sum(conflicts, 3), 1)")

    def test_per_rule_factors_scale_only_the_rules_named(self):
        doc = yaml.safe_load(RULES + """\
  - id: other
    title: o
    value: poisson_tail(sum(grievances, 3), 1)
    below: { warning: 0.002, clear: 0.05 }
    notify: [hr]
""")
        scaled = set()
        self.assertEqual(X.scale_doc(doc, {"other": 0.5, "drift": 2}, scaled), 1)
        self.assertEqual(scaled, {"other"})
        self.assertAlmostEqual(doc["rules"][2]["below"]["warning"], 0.001)
        self.assertAlmostEqual(doc["rules"][0]["below"]["warning"], 0.001)
        self.assertEqual(doc["rules"][1]["above"], {"warning": 12, "clear": 6})

    def test_command_line_fails_on_a_rule_it_cannot_scale(self):
        with tempfile.TemporaryDirectory() as d:
            src = os.path.join(d, "10-a.yaml")
            with open(src, "w") as f:
                f.write(RULES)
            self.assertEqual(X.main([src, os.path.join(d, "ok"), "tail=4"]), 0)
            with open(os.path.join(d, "ok", "10-a.yaml")) as f:
                self.assertAlmostEqual(yaml.safe_load(f)["rules"][0]["below"]["warning"], 0.004)
            self.assertEqual(X.main([src, os.path.join(d, "typo"), "tial=4"]), 1)
            self.assertFalse(os.path.exists(os.path.join(d, "typo")))
            self.assertEqual(X.main([src, os.path.join(d, "above"), "drift=2"]), 1)
            self.assertEqual(X.main([src, os.path.join(d, "bad"), "tail=-1"]), 2)
            self.assertEqual(X.main([src, os.path.join(d, "bad"), "tail"]), 2)

    def test_a_file_without_rules_is_copied(self):
        self.assertEqual(X.scale_doc({"defaults": {}}, 2), 0)
        self.assertEqual(X.scale_doc(None, 2), 0)

    def test_write_scaled_writes_every_yaml_file_and_only_those(self):
        with tempfile.TemporaryDirectory() as d:
            src, dst = os.path.join(d, "src"), os.path.join(d, "dst")
            os.mkdir(src)
            with open(os.path.join(src, "10-a.yaml"), "w") as f:
                f.write(RULES)
            with open(os.path.join(src, "README"), "w") as f:
                f.write("not rules\n")
            self.assertEqual(X.write_scaled(src, dst, 0.5), 1)
            self.assertEqual(os.listdir(dst), ["10-a.yaml"])
            with open(os.path.join(dst, "10-a.yaml")) as f:
                self.assertAlmostEqual(yaml.safe_load(f)["rules"][0]["below"]["warning"], 0.0005)


if __name__ == "__main__":
    unittest.main()
