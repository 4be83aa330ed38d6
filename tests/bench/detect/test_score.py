#!/usr/bin/python3
"""The scoring rules of the detection benchmark on small hand-made cases
(bench.py runs them before every benchmark; also runnable alone:
/usr/bin/python3 tests/bench/detect/test_score.py)."""
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import score as S  # noqa: E402

PER = ["2024-%02d" % m for m in range(1, 13)]
PIDX = {p: i for i, p in enumerate(PER)}
LEAVES = {"co/a/t1", "co/a/t2", "co/b/t3"}


def tr(period, rule, unit, event):
    return dict(period=period, rule=rule, unit=unit, event=event)


def situation(sid, kind, unit, teams, onset, end):
    return dict(id=sid, kind=kind, unit=unit, teams=teams, onset_i=PIDX[onset],
                end_i=PIDX[end])


class Episodes(unittest.TestCase):
    def test_a_firing_starts_an_episode_and_a_resolved_ends_it(self):
        starts, active = S.vigie_episodes(
            [tr("2024-02", "r", "co/a/t1", "firing"), tr("2024-03", "r", "co/a/t1", "escalated"),
             tr("2024-05", "r", "co/a/t1", "resolved"), tr("2024-06", "r", "co/a/t1", "firing")],
            PIDX, 12)
        self.assertEqual(starts, [("co/a/t1", "r", 1), ("co/a/t1", "r", 5)])
        self.assertEqual([("co/a/t1", "r") in a for a in active],
                         [False, True, True, True, False] + [True] * 7)

    def test_consecutive_alarm_months_are_one_episode_a_gap_starts_another(self):
        starts, active = S.alarm_episodes({("co/a/t1", "x"): {3, 4, 5, 7}}, 12)
        self.assertEqual(sorted(starts), [("co/a/t1", "x", 3), ("co/a/t1", "x", 7)])
        self.assertEqual(sum(("co/a/t1", "x") in a for a in active), 4)


class Scoring(unittest.TestCase):
    def score(self, transitions, situations=(), planted=False, with_ancestors=True, sf=4):
        starts, active = S.vigie_episodes(transitions, PIDX, 12)
        return S.score_detector(starts, active, LEAVES, 12, sf, list(situations), planted,
                                with_ancestors)

    def test_false_alerts_count_the_scored_window_only_per_100_team_years(self):
        r = self.score([tr("2024-02", "r", "co/a/t1", "firing"),   # warm-up: not counted
                        tr("2024-06", "r", "co/a/t2", "firing"),
                        tr("2024-07", "q", "co/b/t3", "firing")])
        # 3 leaves x 8 scored months = 2 team-years; 2 alerts.
        self.assertAlmostEqual(r["team_years"], 2.0)
        self.assertEqual(r["false"], 2)
        self.assertAlmostEqual(r["fa_rate"], 100.0)
        self.assertEqual(r["by_signal"], {"r": 50.0, "q": 50.0})
        self.assertEqual(r["counted"], 2)

    def test_a_parent_alert_counts_unless_its_rule_is_active_below(self):
        r = self.score([tr("2024-06", "r", "co/a/t1", "firing"),
                        tr("2024-06", "r", "co/a", "firing"),      # folded into t1's block
                        tr("2024-07", "q", "co/b", "firing")])     # a digest item of its own
        self.assertEqual(r["false"], 2)
        self.assertEqual(r["false_leaf"], 1)
        self.assertEqual(r["digest"], 3)
        self.assertEqual(r["digest_folded"], 2)

    def test_detection_needs_a_new_alert_on_the_team_within_six_months(self):
        sits = [situation("s1", "burnout", "co/a/t1", ["co/a/t1"], "2024-05", "2024-12"),
                situation("s2", "conflict", "co/a/t2", ["co/a/t2"], "2024-05", "2024-12"),
                situation("s3", "harassment", "co/b/t3", ["co/b/t3"], "2024-05", "2024-07")]
        r = self.score([tr("2024-08", "r", "co/a/t1", "firing"),    # lead 3: detected
                        tr("2024-11", "r", "co/a/t2", "firing"),    # lead 6: too late
                        tr("2024-03", "r", "co/b/t3", "firing"),    # active before the onset
                        tr("2024-06", "r", "co/b", "firing")],      # a parent: not the team
                       sits, planted=True)
        got = {d["id"]: (d["detected"], d["lead"]) for d in r["situations"]}
        self.assertEqual(got, {"s1": (True, 3), "s2": (False, None), "s3": (False, None)})
        # Planted company: alerts on the situations' units and their
        # parents, from onset to 12 months after the end, are not false.
        self.assertEqual(r["false"], 0)
        # t1's and t2's alerts are digest items (co/b's is folded into t3's
        # block, t3's started in the warm-up): both point at a situation.
        self.assertEqual(r["counted"], 2)
        self.assertEqual(S.right_share([r]), 100.0)

    def test_the_right_share_pools_the_items_of_every_company(self):
        self.assertEqual(S.right_share([dict(counted=3, false=1), dict(counted=1, false=1)]), 50.0)
        self.assertIsNone(S.right_share([dict(counted=0, false=0)]))

    def test_a_reorganisation_is_detected_on_its_department_by_vigie_only(self):
        sits = [situation("s1", "reorganisation", "co/a", ["co/a/t1", "co/a/t2"],
                          "2024-06", "2024-08")]
        t = [tr("2024-06", "departures-wave", "co/a", "firing")]
        self.assertTrue(self.score(t, sits, True, True)["situations"][0]["detected"])
        self.assertFalse(self.score(t, sits, True, False)["situations"][0]["detected"])

    def test_detection_pooled_median_lead_per_kind(self):
        d = S.detection_summary([
            [dict(id="a", kind="burnout", detected=True, lead=0, by="r"),
             dict(id="b", kind="conflict", detected=False, lead=None, by=None)],
            [dict(id="c", kind="burnout", detected=True, lead=4, by="q"),
             dict(id="d", kind="conflict", detected=True, lead=2, by="r")]])
        self.assertEqual((d["n"], d["detected"]), (4, 3))
        self.assertAlmostEqual(d["rate"], 75.0)
        self.assertEqual(d["median_lead"], 2)
        self.assertEqual(d["kinds"]["burnout"]["median_lead"], 2)
        self.assertEqual(d["per_seed"]["mean"], 75.0)


    def test_hidden_share_reads_the_targets_first_six_months_only(self):
        sit = situation("s1", "reorganisation", "co/a", ["co/a/t1", "co/a/t2"],
                        "2024-03", "2024-05")
        sup = {("co/a/t1", 2): (13, 13), ("co/a/t1", 7): (13, 13),   # 7: in the window
               ("co/a/t1", 8): (13, 13),                             # 8: after it
               ("co/a/t2", 3): (0, 13), ("co/a", 3): (2, 13),
               ("co/b/t3", 3): (13, 13)}                             # not a target
        self.assertAlmostEqual(S.hidden_share(sit, sup, True), 28 / 52)
        self.assertAlmostEqual(S.hidden_share(sit, sup, False), 26 / 39)
        self.assertIsNone(S.hidden_share(situation("s2", "burnout", "co/b/t3", ["co/b/t3"],
                                                   "2024-09", "2024-10"), {}, True))

    def test_mostly_hidden_situations_are_counted_with_their_detections(self):
        d = S.detection_summary([[
            dict(id="a", kind="burnout", detected=False, lead=None, by=None, hidden=0.9),
            dict(id="b", kind="burnout", detected=True, lead=1, by="r", hidden=0.6),
            dict(id="c", kind="conflict", detected=False, lead=None, by=None, hidden=0.5),
            dict(id="d", kind="conflict", detected=False, lead=None, by=None)]])
        self.assertEqual((d["hidden"], d["hidden_detected"]), (2, 1))


def months_of(n, **at):
    """A series of n zeros with the values given at={month: value}."""
    v = [0.0] * n
    for m, x in at.items():
        v[int(m[1:])] = x
    return v


class Realised(unittest.TestCase):
    """What a situation's data showed, against what the 24 months before
    its onset lead to expect (the report's "what the misses looked like")."""

    N = 31      # 24 months of history, then the situation's

    def company(self):
        n = self.N
        hc = [10.0] * n
        return {
            "co/a/t1": dict(headcount=hc, conflicts=months_of(n, m0=1, m24=2, m29=1, m30=5),
                            grievances=months_of(n, m5=1), work_accidents=months_of(
                                n, m3=1, m24=2, m26=1), hours_worked=[1500.0] * n,
                            overtime_hours=[20.0] * 24 + [40.0] * 7,
                            departures=months_of(n, m1=2, m25=3)),
            "co/a/t2": dict(headcount=hc, conflicts=months_of(n, m7=2),
                            grievances=[0.0] * n, work_accidents=months_of(n, m9=1),
                            hours_worked=[1500.0] * n, overtime_hours=[20.0] * n,
                            departures=months_of(n, m2=4)),
            # another parent: its conflicts say nothing of co/a's
            "co/b/t3": dict(headcount=[20.0] * n, conflicts=months_of(n, m4=9),
                            grievances=[0.0] * n, work_accidents=months_of(n, m4=2),
                            hours_worked=[3000.0] * n, overtime_hours=[0.0] * n,
                            departures=[0.0] * n),
        }

    def sit(self, kind, teams, onset, end):
        return dict(id="s", kind=kind, unit=teams[0], teams=teams, onset_i=onset, end_i=end)

    def test_conflicts_against_the_parents_rate_over_the_first_six_months(self):
        r = S.realised(self.sit("conflict", ["co/a/t1"], 24, 35), self.company(), self.N)
        # months 24-29: 2 + 1 (month 30 is outside); 4 events in 480
        # person-months of co/a before, 60 person-months since
        self.assertEqual(r["observed"], 3)
        self.assertAlmostEqual(r["expected"], 4 / 480 * 60)

    def test_accidents_against_the_companys_rate_per_hour_over_the_months_of_effect(self):
        r = S.realised(self.sit("accidents", ["co/a/t1"], 24, 25), self.company(), self.N)
        self.assertEqual(r["observed"], 2)
        self.assertAlmostEqual(r["expected"], 4 / (6000 * 24) * 3000)

    def test_departures_against_the_units_own_rate(self):
        r = S.realised(self.sit("reorganisation", ["co/a/t1", "co/a/t2"], 24, 26),
                       self.company(), self.N)
        self.assertEqual(r["observed"], 3)
        self.assertAlmostEqual(r["expected"], 6 / 480 * 60)

    def test_burnout_compares_overtime_per_head(self):
        r = S.realised(self.sit("burnout", ["co/a/t1"], 24, 35), self.company(), self.N)
        self.assertEqual((r["observed"], r["expected"]), (4.0, 2.0))

    def test_too_little_history_says_nothing(self):
        self.assertIsNone(S.realised(self.sit("conflict", ["co/a/t1"], 23, 30),
                                     self.company(), self.N))

    def test_summary_splits_detected_and_missed(self):
        def d(kind, det, obs, exp, hidden=0.0):
            return dict(kind=kind, detected=det, hidden=hidden,
                        realised=dict(what="w", observed=obs, expected=exp))
        sm = S.realised_summary([[d("conflict", True, 6, 0.5), d("conflict", True, 8, 0.7),
                                  d("conflict", False, 2, 0.4)],
                                 [d("conflict", False, 3, 0.6, hidden=0.8),
                                  d("conflict", False, 4, 0.5),
                                  dict(kind="conflict", detected=False, realised=None)]])
        c = sm["conflict"]
        self.assertEqual(c["detected"], dict(n=2, observed=7, expected=0.6))
        self.assertEqual(c["missed"], dict(n=3, observed=3, expected=0.5))
        self.assertEqual((c["missed_hidden"], c["what"]), (1, "w"))


class Visibility(unittest.TestCase):
    """A surveillance method's alarms: dropped below the floor, or where
    Vigie hides the team's cell of that indicator that month."""

    def test_floor_only_or_vigie_hidden_cells(self):
        import bench
        company = dict(
            truth=dict(teams=[dict(unit="co/a/t1"), dict(unit="co/a/t2")]),
            periods=["2024-01", "2024-02", "2024-03"],
            data={"co/a/t1": {"headcount": [4, 8, 8]}, "co/a/t2": {"headcount": [9, 9, 9]}},
            hidden={("co/a/t1", "absence_days", "2024-02"),   # dominated, say
                    ("co/a/t1", "absence_days", "2024-01"),   # below the floor
                    ("co/a/t2", "conflicts", "2024-03")})     # hidden with a sibling
        rres = {("co/a/t1", "absence_days"): {"glrnb:5": {0, 1, 2}},
                ("co/a/t2", "absence_days"): {"glrnb:5": {2}},
                ("co/a/t2", "conflicts"): {"glrnb:5": {2}}}
        self.assertEqual(bench.detectors_from_r(rres, company),
                         {"glrnb:5": {("co/a/t1", "absence_days"): {1, 2},
                                      ("co/a/t2", "absence_days"): {2},
                                      ("co/a/t2", "conflicts"): {2}}})
        self.assertEqual(bench.detectors_from_r(rres, company, visibility=True),
                         {"glrnb:5": {("co/a/t1", "absence_days"): {2},
                                      ("co/a/t2", "absence_days"): {2}}})


if __name__ == "__main__":
    unittest.main()
