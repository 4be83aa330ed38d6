#!/usr/bin/python3
"""Tests of gencompany.py's company-wide changes (--wave, --trend)."""
import argparse
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gencompany as G  # noqa: E402


class Waves(unittest.TestCase):
    def test_parse(self):
        self.assertEqual(G.parse_wave("2024-12:2:2"), ((2024, 12), 2.0, 2))
        self.assertEqual(G.parse_wave("2025-01:1.5"), ((2025, 1), 1.5, 1))
        for bad in ("2024-12", "2024-13:2", "2024-12:x", "2024-12:0.5", "2024-12:2:0",
                    "2024-12:2:13", "2024-12:2:1:1"):
            with self.assertRaises(argparse.ArgumentTypeError, msg=bad):
                G.parse_wave(bad)

    def test_factors(self):
        f = G.wave_factors((2024, 11), 4, [((2024, 12), 2.0, 2)], 0.0)
        self.assertEqual(f, [1.0, 2.0, 2.0, 1.0])
        # A wave that starts before the data, or runs past its end.
        self.assertEqual(G.wave_factors((2025, 1), 2, [((2024, 12), 3.0, 2)], 0.0),
                         [3.0, 1.0])
        self.assertEqual(G.wave_factors((2024, 1), 2, [((2024, 2), 2.0, 5)], 0.0),
                         [1.0, 2.0])
        # The trend compounds monthly: +10 % after 12 months, a wave on top.
        f = G.wave_factors((2022, 1), 25, [((2023, 1), 2.0, 1)], 0.1)
        self.assertAlmostEqual(f[0], 1.0)
        self.assertAlmostEqual(f[12], 2.0 * 1.1)
        self.assertAlmostEqual(f[24], 1.21)

    def test_same_draws_without_change(self):
        """No change draws the company the benchmark always drew; a wave
        changes nothing before it starts."""
        def args(**kw):
            a = dict(seed=7, teams=6, sites=1, absence=0.055, turnover=14.0,
                     resignations=9.5, months=30, first=(2022, 1), root="b", plant=False,
                     per_kind=2, onset_from=27, wave=[], trend=0.0)
            a.update(kw)
            return argparse.Namespace(**a)
        _, _, plain = G.generate(args())
        _, _, same = G.generate(args(wave=[((2022, 1), 1.0, 1)]))
        _, _, wave = G.generate(args(wave=[((2023, 12), 2.0, 2)]))
        self.assertEqual(plain, same)
        for u in plain:
            self.assertEqual(plain[u][:23], wave[u][:23])
        spells = [sum(wave[u][m]["absence_episodes"] for u in wave) for m in (23, 24)]
        before = [sum(plain[u][m]["absence_episodes"] for u in plain) for m in (23, 24)]
        self.assertGreater(sum(spells), 1.4 * sum(before))


if __name__ == "__main__":
    unittest.main()
