#!/usr/bin/python3
"""Generates the demo data of Vigie: a fictional dairy company, Valdis, with
about 600 employees on 3 sites, 36 months of aggregated HR indicators
(2023-11 to 2026-10), in the CSV dialect of a French spreadsheet export
(UTF-8 with BOM, ';' separator, decimal comma, CRLF, quoted unit paths).

The output is committed next to this script; run it again only to change
the data: /usr/bin/python3 contrib/demo/generate.py. The seed is fixed, so
the output is the same on every machine.

Planted situations (see contrib/demo/README.md):
- valdis/nancy/production-nuit: a night shift burning out from 2026-02
  (absences, overtime, visits to the occupational physician rising);
- valdis/metz/restauration: a kitchen team in conflict from 2026-05
  (conflicts, grievances, then resignations);
- valdis/epinal: a site reorganised in 2026-06 (a wave of departures,
  employees turning to the social service);
- valdis/epinal/entretien: a team of 3, below the anonymity floor: its
  harassment report is only visible in the figures of the whole site.
"""
import math
import os
import random

FIRST = (2023, 11)
MONTHS = 36
SEED = 20261026

# unit -> (headcount, profile); profiles set the base rates below.
TEAMS = {
    "valdis/nancy/production-jour": (62, "prod"),
    "valdis/nancy/production-nuit": (44, "prod"),
    "valdis/nancy/logistique": (38, "log"),
    "valdis/nancy/maintenance": (21, "prod"),
    "valdis/nancy/qualite": (15, "office"),
    "valdis/metz/administration": (41, "office"),
    "valdis/metz/commercial": (34, "office"),
    "valdis/metz/restauration": (16, "kitchen"),
    "valdis/metz/informatique": (24, "office"),
    "valdis/metz/relation-client": (58, "office"),
    "valdis/epinal/production": (92, "prod"),
    "valdis/epinal/logistique": (51, "log"),
    "valdis/epinal/expedition": (36, "log"),
    "valdis/epinal/atelier": (44, "prod"),
    "valdis/epinal/entretien": (3, "prod"),
}

# Per profile: absence rate, accident factor, monthly overtime per head.
PROFILES = {
    "prod": (0.048, 1.3, 6.0),
    "log": (0.044, 1.5, 7.0),
    "office": (0.034, 0.2, 3.0),
    "kitchen": (0.045, 1.0, 5.0),
}

INDICATORS = [
    "headcount", "workable_days", "absence_days", "absence_episodes",
    "short_absences", "departures", "resignations", "hours_worked",
    "overtime_hours", "work_accidents", "accident_days_lost", "conflicts",
    "grievances", "disciplinary_actions", "violence_incidents",
    "harassment_reports", "medical_visits_on_request",
    "social_worker_contacts",
]


def period(i):
    y, m = FIRST
    m += i
    return "%04d-%02d" % (y + (m - 1) // 12, (m - 1) % 12 + 1)


def poisson(rng, lam):
    """Knuth's method; lam stays small here."""
    if lam <= 0:
        return 0
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def ramp(i, start, full):
    """0 before start, rising linearly to 1 at full, 1 after."""
    p = period(i)
    if p < start:
        return 0.0
    if p >= full:
        return 1.0
    return (i - month_index(start) + 1) / (month_index(full) - month_index(start) + 1)


def month_index(p):
    y, m = int(p[:4]), int(p[5:])
    return (y - FIRST[0]) * 12 + m - FIRST[1]


def generate():
    rng = random.Random(SEED)
    rows = {}
    for unit, (head0, profile) in TEAMS.items():
        absrate, accf, ot = PROFILES[profile]
        head = head0
        for i in range(MONTHS):
            p = period(i)
            month = int(p[5:])
            winter = 0.012 if month in (12, 1, 2) else 0.0
            r = absrate + winter + rng.gauss(0, 0.004)
            overtime = ot * (1 + rng.gauss(0, 0.15))
            medical = 0.0012 * head
            social = 0.002 * head
            conflicts = 0.0025 * head
            grievances = 0.0008 * head
            disciplinary = 0.0008 * head
            resign_share = 0.5
            departures_rate = 0.005
            violence = harassment = 0
            mean_spell = 7.0
            # The night shift burns out: absences, overtime and medical
            # visits climb from 2026-02, long spells appear.
            if unit.endswith("production-nuit"):
                b = ramp(i, "2026-02", "2026-08")
                r += 0.06 * b
                overtime = ot * (1 + 2.8 * b) * (1 + rng.gauss(0, 0.05))
                medical += 0.045 * b * head
                social += 0.01 * b * head
                mean_spell += 9 * b
            # The kitchen team: conflicts and grievances from 2026-05,
            # resignations from 2026-07.
            if unit.endswith("restauration"):
                k = ramp(i, "2026-05", "2026-06")
                conflicts += 0.09 * k * head
                grievances += 0.04 * k * head
                if p >= "2026-07":
                    departures_rate = 0.05
                    resign_share = 0.9
            # Epinal is reorganised in 2026-06: departures, and employees
            # turning to the social service.
            if unit.startswith("valdis/epinal/") and "2026-06" <= p <= "2026-09":
                departures_rate = 0.04
                social += 0.02 * head
            if unit == "valdis/epinal/entretien" and p == "2026-09":
                harassment = 1
            if unit == "valdis/metz/relation-client" and p == "2025-03":
                violence = 1
            wd = head * (20 + (month % 3))
            absd = max(0, round(wd * max(r, 0.005)))
            episodes = max(1 if absd else 0, round(absd / mean_spell))
            short = min(episodes, round(episodes * (0.55 + rng.gauss(0, 0.05))))
            dep = poisson(rng, departures_rate * head)
            res = sum(1 for _ in range(dep) if rng.random() < resign_share)
            hours = round(head * 7 * wd / head * (1 - r) + head * overtime, 1) if head else 0
            acc = poisson(rng, accf * 12 * hours / 1e6)
            lost = sum(rng.randint(2, 30) for _ in range(acc))
            rows[(unit, p)] = {
                "headcount": head,
                "workable_days": wd,
                "absence_days": absd,
                "absence_episodes": episodes,
                "short_absences": short,
                "departures": dep,
                "resignations": res,
                "hours_worked": hours,
                "overtime_hours": round(head * overtime, 1),
                "work_accidents": acc,
                "accident_days_lost": lost,
                "conflicts": poisson(rng, conflicts),
                "grievances": poisson(rng, grievances),
                "disciplinary_actions": poisson(rng, disciplinary),
                "violence_incidents": violence,
                "harassment_reports": harassment,
                "medical_visits_on_request": poisson(rng, medical),
                "social_worker_contacts": poisson(rng, social),
            }
            # Departures are replaced with a delay, except in the tiny team.
            if head0 > 5:
                hires = poisson(rng, departures_rate * head0 * 0.8)
                head = max(3, head - dep + hires)
                head = min(head, head0 + 3)
    return rows


def fr_number(x):
    if isinstance(x, float) and not x.is_integer():
        return ("%.1f" % x).replace(".", ",")
    return "%d" % x


def write(path, rows, first, last):
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        f.write(";".join(["unit", "period"] + INDICATORS) + "\r\n")
        for (unit, p), values in sorted(rows.items(), key=lambda kv: (kv[0][1], kv[0][0])):
            if not first <= p <= last:
                continue
            cells = ['"%s"' % unit, p] + [fr_number(values[k]) for k in INDICATORS]
            f.write(";".join(cells) + "\r\n")


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    rows = generate()
    for y in range(MONTHS // 12):
        first, last = period(12 * y), period(12 * y + 11)
        write(os.path.join(here, "valdis-%s-%s.csv" % (first, last)), rows, first, last)


if __name__ == "__main__":
    main()
