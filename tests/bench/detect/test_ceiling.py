#!/usr/bin/python3
"""Tests of ceiling.py's pure parts: alarm episodes, thresholds as
intervals, the budget's allocation, and the replay of the team effects.
  /usr/bin/python3 tests/bench/detect/test_ceiling.py
"""
import itertools
import math
import os
import random
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ceiling as C  # noqa: E402
import gencompany as G  # noqa: E402
import score as S  # noqa: E402


class Episodes(unittest.TestCase):
    def test_runs(self):
        ser = [0, 5, 5, 0, 5, 0, 0, 5, 5, 5]
        vis = [True] * 10
        self.assertEqual(C.episode_months(ser, vis, 3, start=0), [1, 4, 7])
        self.assertEqual(C.episode_months(ser, vis, 3, start=2), [4, 7])   # 1-2 began before
        ivs = [(lo, hi) for lo, hi, m in C.intervals(ser, vis, 2)]
        self.assertEqual(C.episodes_at(ivs, 3), 2)
        self.assertEqual(C.episodes_at(ivs, 6), 0)

    def test_threshold_is_inclusive(self):
        ivs = [(lo, hi) for lo, hi, m in C.intervals([0, 2.0, 1.0], [True] * 3, 0)]
        self.assertEqual(C.episodes_at(ivs, 2.0), 1)
        self.assertEqual(C.episodes_at(ivs, 2.0001), 0)

    def test_floor_splits_a_run(self):
        # a hidden month drops its alarm: the next month starts a new episode
        ser = [5, 5, 5, 5]
        vis = [True, False, True, True]
        self.assertEqual(C.episode_months(ser, vis, 1, start=0), [0, 2])
        ivs = [(lo, hi) for lo, hi, m in C.intervals(ser, vis, 0)]
        self.assertEqual(C.episodes_at(ivs, 1), 2)

    def test_matches_score_py_and_reference(self):
        rng = random.Random(7)
        for _ in range(300):
            n = rng.randint(1, 30)
            ser = [max(0.0, rng.gauss(1, 2)) for _ in range(n)]
            vis = [rng.random() > 0.1 for _ in range(n)]
            start = rng.randint(0, n)
            ivs = [(lo, hi) for lo, hi, m in C.intervals(ser, vis, start)]
            cnt = C.Counter1D(ivs)
            for h in [0.01, 0.5, 1, 2, 3, 5] + ser[:3]:
                ref = C.episode_months(ser, vis, h, start)
                self.assertEqual(C.episodes_at(ivs, h), len(ref))
                self.assertEqual(cnt.at(h), len(ref))
                alarm = {("u", "k"): {m for m in range(n) if ser[m] >= h and vis[m]}}
                starts, _ = S.alarm_episodes(alarm, n)
                self.assertEqual(sorted(m for (_, _, m) in starts if m >= start), ref)


class Allocation(unittest.TestCase):
    def test_pareto(self):
        pts = [(0, 0, "a"), (1, 5, "b"), (1, 4, "c"), (2, 5, "d"), (3, 7, "e")]
        self.assertEqual([p[2] for p in C.pareto(pts)], ["a", "b", "e"])

    def test_simple(self):
        opts = {"x": [(0, 0, 0), (1, 10, 1), (3, 12, 2)],
                "y": [(0, 0, 0), (2, 9, 1), (2.5, 11, 2)]}
        det, fa, ch = C.allocate(opts, 3)
        self.assertEqual(det, 19)
        self.assertEqual((ch["x"][2], ch["y"][2]), (1, 1))
        det, fa, ch = C.allocate(opts, 3.5)
        self.assertEqual(det, 21)
        self.assertEqual(C.allocate(opts, 0)[0], 0)
        self.assertIsNone(C.allocate({"x": [(1, 1, 0)]}, 0.5))

    def test_brute_force(self):
        rng = random.Random(3)
        for _ in range(100):
            opts = {}
            for k in "abcd":
                pts = [(0.0, 0, 0)] + [(round(rng.uniform(0, 3), 2), rng.randint(0, 20), i)
                                      for i in range(1, rng.randint(2, 6))]
                opts[k] = C.pareto(pts)
            b = rng.uniform(0, 6)
            best = max(sum(p[1] for p in combo) for combo in itertools.product(*opts.values())
                       if sum(p[0] for p in combo) <= b + 1e-12)
            det, fa, ch = C.allocate(opts, b)
            self.assertEqual(det, best)
            self.assertLessEqual(fa, b + 1e-9)
            self.assertAlmostEqual(fa, sum(v[0] for v in ch.values()))


class Likelihoods(unittest.TestCase):
    def test_pmfs_sum_to_one(self):
        for mu in (0.01, 0.5, 3.0):
            self.assertAlmostEqual(sum(math.exp(C.nb_logpmf(x, mu, 3)) for x in range(200)), 1, 6)
            self.assertAlmostEqual(sum(math.exp(C.mix_logpmf(x, mu, 3, 0.3))
                                       for x in range(200)), 1, 6)

    def test_cusum(self):
        self.assertEqual(C.cusum([1, -3, 2, 2, -1]), [1, 0, 2, 4, 3])


class Replay(unittest.TestCase):
    def test_effects_match_the_generator(self):
        args = C.seed_args(5, True)
        hook = {}
        teams, _, _ = G.generate(args, hook)
        for t in teams:
            eff = C.replay_effects(5, t)
            for k in ("t_abs", "t_dep", "t_ot", "t_rare", "t_violence", "profile"):
                self.assertEqual(eff[k], hook[t["unit"]][k])
            self.assertEqual(len(hook[t["unit"]]["full"]), args.months)

    def test_hook_changes_no_row(self):
        args = C.seed_args(9, True)
        self.assertEqual(G.generate(args), G.generate(args, {}))


if __name__ == "__main__":
    unittest.main()
