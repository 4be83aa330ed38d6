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

    def test_glr_onset(self):
        # constant evidence: the onset as far back as the window allows
        per = [[1.0] * 3 for _ in range(5)]
        self.assertEqual(C.glr_onset(per, 3), [1, 2, 3, 3, 3])
        # evidence only from the 2nd month of the situation: an onset one
        # month before the jump collects it, a later one does not
        per = [[-1.0, 2.0, 2.0] for _ in range(4)]
        # m=0: only tau=0, t=1 -> -1 -> 0; m=1: tau=0: -1 + 2 = 1; m=2:
        # tau=0: -1 + 2 + 2 = 3
        self.assertEqual(C.glr_onset(per, 3), [0, 1, 3, 3])
        # negative evidence everywhere: 0
        self.assertEqual(C.glr_onset([[-1.0] * 2] * 3, 2), [0, 0, 0])

    def test_cusum(self):
        self.assertEqual(C.cusum([1, -3, 2, 2, -1]), [1, 0, 2, 4, 3])


class Bootstrap(unittest.TestCase):
    def test_constant_seeds_give_a_point(self):
        (dlo, dhi), (flo, fhi) = C.bootstrap([(8, 10, 4.0)] * 20, reps=200)
        self.assertAlmostEqual(dlo, 80.0)
        self.assertAlmostEqual(dhi, 80.0)
        self.assertAlmostEqual(flo, 4.0)
        self.assertAlmostEqual(fhi, 4.0)

    def test_interval_brackets_the_estimate_and_is_deterministic(self):
        rng = random.Random(1)
        figs = [(rng.randint(5, 10), 10, rng.uniform(2, 8)) for _ in range(40)]
        (dlo, dhi), (flo, fhi) = C.bootstrap(figs)
        det = 100.0 * sum(f[0] for f in figs) / sum(f[1] for f in figs)
        fa = sum(f[2] for f in figs) / len(figs)
        self.assertLess(dlo, det)
        self.assertGreater(dhi, det)
        self.assertLess(flo, fa)
        self.assertGreater(fhi, fa)
        self.assertLess(dhi - dlo, 15)
        self.assertEqual(C.bootstrap(figs), ((dlo, dhi), (flo, fhi)))

    def test_seed_figures(self):
        r = dict(team_years=200.0,
                 fa={("open", k): [] for k in C.KINDS},
                 sit=[dict(kind="accidents", det={("open", "accidents"): [(0.0, 3.0)]}),
                      dict(kind="burnout", det={("open", "burnout"): [(-1.0, 1.0)]})])
        r["fa"][("open", "accidents")] = [(-1.0, 5.0), (0.5, 2.5)]
        th = {k: 2.0 for k in C.KINDS}
        # accidents: 3.0 >= 2 detects; burnout: 1.0 < 2 misses; two false
        # alerts at 2.0 on 200 team-years = 1 per 100
        self.assertEqual(C.seed_figures([r], "open", th), [(1, 2, 1.0)])


class OracleTerms(unittest.TestCase):
    def _null(self, rows, spell_mu):
        n = C.TeamNull.__new__(C.TeamNull)
        n.rows = rows
        n.hook = dict(spell_mu=spell_mu)
        return n

    def test_extra_spell(self):
        n = self._null([dict(absence_episodes=3, work_accidents=1)], [1.0])
        # x = 2 spell starts, mu = 1: P(1)/P(2) = 2
        self.assertAlmostEqual(n.lr_extra_spell(0, 0.6), 0.4 + 0.6 * 2)
        n = self._null([dict(absence_episodes=0, work_accidents=0)], [1.0])
        self.assertAlmostEqual(n.lr_extra_spell(0, 0.6), 0.4)

    def test_short_share_is_zero_at_the_null(self):
        n = self._null([dict(absence_episodes=5, work_accidents=0, short_absences=2)], [1.0])
        self.assertAlmostEqual(n.llr_short_share(0, G.SPELL_SHORT), 0.0)
        n = self._null([dict(absence_episodes=5, work_accidents=0, short_absences=0)], [1.0])
        self.assertGreater(n.llr_short_share(0, 0.3), 0.0)   # no short spell: lengthening


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
