"""The flow marts over the simulated organisation: consistent with each other and reproducible."""

from __future__ import annotations

import copy
import dataclasses
from datetime import timedelta
from pathlib import Path

import pytest
from conftest import load_source
from dbt_helpers import dbt
from test_dbt_canonical import query

from benchmarks.compare import copy_warehouse
from simulator.model import CLOSED, Org
from simulator.server import Simulator


def test_cfd_started_stages_sum_to_daily_wip(built_warehouse: Path) -> None:
    mismatches = query(
        built_warehouse,
        """
        with cfd as (
            select period_start, team, sum(items) as wip from marts.flow_cfd_daily
            where stage_category in ('active', 'wait') group by period_start, team
        ),
        daily as (select period_start, team, sum(wip) as wip from marts.flow_daily group by period_start, team)
        select count(*) from cfd full join daily using (period_start, team)
        where coalesce(cfd.wip, -1) <> coalesce(daily.wip, -1)
        """,
    )
    assert mismatches == [(0,)]


def test_throughput_counts_every_completed_item_once(built_warehouse: Path) -> None:
    rows = query(
        built_warehouse,
        """
        select (select sum(throughput) from marts.flow_daily),
               (select count(*) from marts.flow_item_metrics where state = 'done'),
               (select sum(throughput) from marts.flow_weekly),
               (select sum(throughput) from marts.flow_monthly)
        """,
    )
    daily, items, weekly, monthly = rows[0]
    assert daily == items == weekly == monthly > 0


def test_every_week_has_a_row_for_every_team(built_warehouse: Path) -> None:
    gaps = query(
        built_warehouse,
        """
        select count(*) from (
            select team, period_start, lag(period_start) over (partition by team order by period_start) as previous
            from marts.flow_weekly
        ) where previous is not null and period_start - previous <> 7
        """,
    )
    assert gaps == [(0,)]
    assert query(built_warehouse, "select count(*) from marts.flow_weekly where throughput = 0")[0][0] > 0


def test_items_in_progress_are_aged_and_ranked(built_warehouse: Path) -> None:
    rows = query(
        built_warehouse,
        """
        select count(*), count(*) filter (where age_days >= 1), count(*) filter (where at_risk is not null)
        from marts.aging_wip
        """,
    )
    total, aged, judged = rows[0]
    wip = query(built_warehouse, "select count(*) from marts.flow_item_metrics where state = 'in_progress'")[0][0]
    assert total == aged == wip > 0 and judged > 0


def test_forecast_is_deterministic_and_ordered(built_warehouse: Path, tmp_path: Path) -> None:
    sql = (
        "select team, question, coalesce(horizon_days, item_count), confidence, value"
        " from marts.flow_forecast order by all"
    )
    settings = {"as_of": "2026-08-31 00:00:00", "forecast_trials": 2000}
    path = copy_warehouse(built_warehouse, tmp_path)  # rebuilt with other settings: not the shared one
    dbt(path, tmp_path, "run", "--select", "flow_forecast", variables=settings)
    once = query(path, sql)
    dbt(path, tmp_path, "run", "--select", "flow_forecast", variables=settings)
    again = query(path, sql)
    assert again == once and len(again) > 0
    answers = {(t, q, n, c): v for t, q, n, c, v in again}
    for (team, question, n, confidence), value in answers.items():
        if confidence == 50 and value is not None:
            higher = answers[(team, question, n, 85)]
            # more confidence: fewer items promised, or more days needed
            assert higher is None or (higher <= value if question == "how_many" else higher >= value)


def test_a_build_replays_only_the_backtests_whose_sampled_days_changed(
    built_warehouse: Path, small_org: Org, tmp_path: Path
) -> None:
    """forecast_backtest keeps each week's forecast until a day it samples changes. Every stored
    forecast is marked -1, then one team's throughput on the day before its last backtest Monday
    W rises by 5. That day is in W's sample window only (the 90 days before a Monday), and in
    the horizons (the 14 days from a Monday) of W - 7 and W - 14: W is replayed, every other
    forecast is kept as stored, and the actual items of W - 7 and W - 14 rise by 5."""
    settings = {"as_of": f"{small_org.end:%Y-%m-%d %H:%M:%S}"}
    path = copy_warehouse(built_warehouse, tmp_path)
    team, monday = query(
        path, "select team, max(week_start) from intermediate.int_forecast_backtest_weeks group by 1 limit 1"
    )[0]
    before = dict(query(path, f"select period_start, actual_items from marts.forecast_backtest where team = '{team}'"))
    query(path, "update intermediate.int_forecast_backtest_runs set forecast_50_items = -1, forecast_85_items = -1")
    query(
        path,
        f"""update marts.flow_daily set throughput = throughput + 5 where team = '{team}'
            and period_start = date '{monday}' - 1
            and flow_type = (select min(flow_type) from marts.flow_daily where team = '{team}')""",
    )
    models = ("int_forecast_backtest_weeks", "int_forecast_backtest_runs", "forecast_backtest")
    dbt(path, tmp_path, "run", "--select", *models, variables=settings)

    rows = query(path, "select team, period_start, forecast_85_items, actual_items from marts.forecast_backtest")
    assert {(t, week) for t, week, forecast, _ in rows if forecast != -1} == {(team, monday)}
    after = {week: actual for t, week, _, actual in rows if t == team}
    risen = {week for week in after if after[week] != before[week]}
    assert risen == {monday - timedelta(days=7), monday - timedelta(days=14)} & set(after)
    assert all(after[week] == before[week] + 5 for week in risen)

    week = (
        "select * exclude (refreshed_at) from marts.forecast_backtest"
        f" where team = '{team}' and period_start = date '{monday}'"
    )
    replayed = query(path, week)
    dbt(path, tmp_path, "run", "--select", *models, "--full-refresh", variables=settings)
    assert query(path, week) == replayed


def test_only_the_as_of_period_is_incomplete(built_warehouse: Path, small_org: Org) -> None:
    """The built warehouse is as of the organisation's end (UTC reporting): its day, week and month run on."""
    end = small_org.end.replace(tzinfo=None)
    as_of_week = (end - timedelta(days=end.weekday())).date()
    for mart, current in [
        ("flow_daily", end.date()),
        ("flow_weekly", as_of_week),
        ("flow_monthly", end.date().replace(day=1)),
        ("dora_weekly", as_of_week),
        ("pr_weekly_org", as_of_week),
    ]:
        rows = query(built_warehouse, f"select distinct period_start, is_complete from marts.{mart}")
        assert {period for period, complete in rows if not complete} == {current}, mart


def test_github_issue_types_and_closes_as_duplicates_are_classified(
    small_org: Org, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A Bug issue without labels is a defect (flow_type_map's issue_type row); an issue closed as a
    duplicate is canceled, not delivered, though it was closed like the others."""
    org = copy.deepcopy(small_org)
    issues = [i for i in org.work_items if i.source == "github" and not i.labels and not i.caused_by_deployment]
    bug = next(i for i in issues if i.is_open)
    duplicate = next(i for i in issues if i.state_reason == "completed")
    bug.issue_type = "Bug"
    last_close = max(n for n, e in enumerate(duplicate.events) if e.kind == CLOSED)
    duplicate.events[last_close] = dataclasses.replace(duplicate.events[last_close], to_value="duplicate")
    path = tmp_path / "warehouse.duckdb"
    with Simulator(org) as sim:
        result = load_source(sim, "github", path, repositories=[bug.container, duplicate.container])
    assert result.ok, result.error
    dbt(path, tmp_path, "seed")
    dbt(path, tmp_path, "run", "--select", "+work_items", variables={"as_of": f"{org.end:%Y-%m-%d %H:%M:%S}"})
    rows = {
        key: rest
        for key, *rest in query(
            path,
            "select item_key, raw_type, flow_type, current_status_raw, is_done, is_canceled, completed_at is null "
            "from core.work_items",
        )
    }
    assert rows[f"{bug.container}#{bug.number}"][:2] == ["Bug", "defect"]
    assert rows[f"{duplicate.container}#{duplicate.number}"][2:] == ["closed:duplicate", False, True, True]
    untyped = [r for r in rows.values() if r[0] == "issue"]
    assert untyped and {r[1] for r in untyped} <= {"feature", "defect", "debt"}
