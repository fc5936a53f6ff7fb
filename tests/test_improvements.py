"""Did it help? improvement_impact judged on generated data whose truth is known, and in the demo.

The calibration runs the mart's own SQL (dbt builds improvement_impact alone, over windows and
samples written straight into a warehouse) on review waits drawn the way the simulated
organisation draws them: a lognormal number of working hours (the generator's STAGE_HOURS for
review) started at a random working moment and turned into calendar hours with its
working_hours_later. Placebos draw both sides alike; injected improvements halve the working
hours after the change, as the demo's generator does for one team. docs/metrics.md keeps the
rates measured here.
"""

from __future__ import annotations

import csv
import hashlib
import math
import random
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
import pytest
from dbt_helpers import dbt

from benchmarks.compare import copy_warehouse
from simulator.generator import STAGE_HOURS, OrgConfig, working_hours_later

AS_OF = "2026-11-02 00:00:00"
CHANGED_ON = datetime(2026, 7, 27, tzinfo=UTC)
TIMEZONE = ZoneInfo("America/New_York")
# Cases of each kind, and items on each side of each case (a team finishing about five items a week).
CASES = 40
ITEMS_PER_SIDE = 60


def review_wait_hours(rng: random.Random, window_start: datetime, factor: float) -> float:
    """Calendar hours in review of one item entering review at a random working moment of a 12-week window."""
    median, sigma = STAGE_HOURS["review"]
    entered = working_hours_later(window_start + timedelta(hours=rng.uniform(0, 84 * 24)), 0.0, TIMEZONE)
    left = working_hours_later(entered, median * math.exp(rng.gauss(0.0, sigma)) * factor, TIMEZONE)
    return (left - entered).total_seconds() / 3600


def write_cases(path: Path, cases: list[tuple[str, float]], items_per_side: int, seed: int) -> None:
    """improvement_impact's two inputs, one improvement per case (name, the after side's factor)."""
    rng = random.Random(seed)
    baseline_start, after_start = CHANGED_ON - timedelta(weeks=12), CHANGED_ON + timedelta(weeks=2)
    windows, samples = [], []
    for name, factor in cases:
        windows.append((name, "t", "review_wait_hours_p50", "down", "items", 0.5))
        for side, start, side_factor in (("before", baseline_start, 1.0), ("after", after_start, factor)):
            for index in range(items_per_side):
                hours = review_wait_hours(rng, start, side_factor)
                samples.append((name, "t", "review_wait_hours_p50", side, index, hours))
    with duckdb.connect(str(path)) as db:
        db.execute("create schema intermediate; create schema marts")
        db.execute(
            "create table intermediate.int_improvement_windows (improvement varchar, team varchar,"
            " measure varchar, expected_direction varchar, kind varchar, quantile double, improvement_team varchar,"
            " changed_on date, description varchar, unit varchar, baseline_start date, baseline_end date,"
            " after_start date, after_end date, after_is_partial boolean, overlapping_improvements varchar)"
        )
        db.executemany(
            "insert into intermediate.int_improvement_windows (improvement, team, measure, expected_direction, kind,"
            " quantile) values (?, ?, ?, ?, ?, ?)",
            windows,
        )
        db.execute(
            "create table marts.improvement_samples (improvement varchar, team varchar, measure varchar,"
            " side varchar, sample_index integer, value double, denominator double)"
        )
        db.executemany("insert into marts.improvement_samples values (?, ?, ?, ?, ?, ?, null)", samples)


def verdicts(tmp_path: Path, cases: list[tuple[str, float]], items_per_side: int, seed: int) -> dict[str, str]:
    path = tmp_path / "calibration.duckdb"
    (tmp_path / "read").mkdir()
    write_cases(path, cases, items_per_side, seed)
    dbt(path, tmp_path, "run", "--select", "improvement_impact", variables={"as_of": AS_OF})
    # dbt, in this process, may still hold the file open: read a copy
    with duckdb.connect(str(copy_warehouse(path, tmp_path / "read")), read_only=True) as db:
        return dict(db.execute("select improvement, verdict from marts.improvement_impact").fetchall())


def test_placebos_rarely_get_a_verdict_and_halved_review_waits_are_found(tmp_path: Path) -> None:
    cases = [(f"placebo {n}", 1.0) for n in range(CASES)] + [(f"halved {n}", 0.5) for n in range(CASES)]
    found = verdicts(tmp_path, cases, ITEMS_PER_SIDE, seed=2026)
    placebo = [v for name, v in found.items() if name.startswith("placebo")]
    halved = [v for name, v in found.items() if name.startswith("halved")]
    assert len(placebo) == len(halved) == CASES
    # Measured with these draws: 1 of 40 placebos (2.5%) got a verdict, 38 of 40 halvings (95%)
    # were found, none judged worse (docs/metrics.md). A 90% interval should flag about 10% of
    # placebos; the bounds hold the measured rates with a margin 40 cases can tell apart.
    false_alarms = sum(v in ("improved", "worse") for v in placebo) / CASES
    assert false_alarms <= 0.15
    assert sum(v == "improved" for v in halved) / CASES >= 0.80
    assert "worse" not in halved


def percentile_cont(values: list[float], fraction: float) -> float:
    """SQL's percentile_cont: interpolated between the two nearest ranks."""
    ordered = sorted(values)
    position = fraction * (len(ordered) - 1)
    below = math.floor(position)
    above = min(below + 1, len(ordered) - 1)
    return ordered[below] + (ordered[above] - ordered[below]) * (position - below)


def bootstrap_interval(name: str, before: list[float], after: list[float], trials: int = 1000) -> tuple[float, float]:
    """improvement_impact's interval for a median, from its definition: trial t's draw at position k of a
    side is the value at index int(first 12 hex digits of md5('42:name:t:review_wait_hours_p50:side:t:k')) mod n."""
    changes = []
    for trial in range(1, trials + 1):
        medians = {}
        for side, values in (("before", before), ("after", after)):
            drawn = []
            for position in range(len(values)):
                key = f"42:{name}:t:review_wait_hours_p50:{side}:{trial}:{position}".encode()
                drawn.append(values[int(hashlib.md5(key).hexdigest()[:12], 16) % len(values)])
            medians[side] = percentile_cont(drawn, 0.5)
        changes.append(medians["after"] - medians["before"])
    return percentile_cont(changes, 0.05), percentile_cont(changes, 0.95)


def test_the_interval_is_the_same_on_every_run_and_follows_from_its_definition(tmp_path: Path) -> None:
    """The draws are MD5 of their coordinates, so any engine (or this test) draws the same resamples."""
    path = tmp_path / "calibration.duckdb"
    write_cases(path, [("placebo", 1.0), ("halved", 0.5)], 15, seed=7)
    runs = []
    for run in ("first", "second"):
        (tmp_path / run).mkdir()
        dbt(path, tmp_path / run, "run", "--select", "improvement_impact", variables={"as_of": AS_OF})
        with duckdb.connect(str(copy_warehouse(path, tmp_path / run)), read_only=True) as db:
            runs.append(
                db.execute(
                    "select improvement, change_low, change_high from marts.improvement_impact order by improvement"
                ).fetchall()
            )
            samples = db.execute(
                "select improvement, side, list(value order by sample_index) from marts.improvement_samples"
                " group by improvement, side"
            ).fetchall()
    assert runs[0] == runs[1]
    values = {(improvement, side): found for improvement, side, found in samples}
    for improvement, low, high in runs[0]:
        expected = bootstrap_interval(improvement, values[improvement, "before"], values[improvement, "after"])
        assert low == pytest.approx(expected[0], rel=1e-9) and high == pytest.approx(expected[1], rel=1e-9)
        assert low < high


def test_the_seed_records_the_improvement_the_demo_injects() -> None:
    config = OrgConfig()
    with open(Path(__file__).resolve().parents[1] / "dbt_project" / "seeds" / "improvements.csv", newline="") as file:
        rows = list(csv.DictReader(file))
    injected = [r for r in rows if r["team"] == config.faster_reviews_team]
    assert [(r["changed_on"], r["measure"], r["expected_direction"]) for r in injected] == [
        (f"{config.faster_reviews_from:%Y-%m-%d}", "review_wait_hours_p50", "down")
    ]
    placebos = [r for r in rows if r["team"] != config.faster_reviews_team]
    assert placebos and all(r["changed_on"] == injected[0]["changed_on"] for r in placebos)


def test_the_built_warehouse_judges_the_seeds_improvements(built_warehouse: Path, tmp_path: Path) -> None:
    """The test organisation ends 2026-09-01: three weeks after web's after window opened, so that
    window is partial; the placebo and the injected change both have a row, and every team a baseline."""
    with duckdb.connect(str(copy_warehouse(built_warehouse, tmp_path)), read_only=True) as db:
        rows = db.execute(
            "select improvement, team, measure, baseline_start, after_start, after_end, after_is_partial,"
            " before_count > 0, verdict in ('improved', 'worse', 'no clear change', 'too little data')"
            " from marts.improvement_impact order by improvement"
        ).fetchall()
        samples = db.execute(
            "select count(*) from marts.improvement_samples s join marts.improvement_impact i using (improvement, team,"
            " measure) where s.measured_on < i.baseline_start or s.measured_on >= i.after_end"
            " or (s.measured_on >= i.baseline_end and s.measured_on < i.after_start)"
        ).fetchone()
        baselines = db.execute(
            "select count(distinct team), count(distinct measure) from marts.baselines where baseline = 'summer 2026'"
        ).fetchone()
        teams = db.execute("select count(distinct team) from marts.flow_weekly").fetchone()[0]
    windows = (date(2026, 5, 4), date(2026, 8, 10), date(2026, 9, 1), True)
    assert rows == [
        ("new board columns", "payments", "review_wait_hours_p50", *windows, True, True),
        ("review rota", "web", "review_wait_hours_p50", *windows, True, True),
    ]
    assert samples == (0,)  # nothing from outside the two windows, nothing from the settling weeks
    assert baselines == (teams, 11)
