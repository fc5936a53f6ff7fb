"""The demo: a simulated organisation, served on loopback, refreshed by the real Dagster job.

    python -m simulator.demo [--seed N] [--items-per-project N]

Generates the organisation, starts the simulator on a free port, points the sources at it
through the same environment variables a user would set, and runs the `nightly_refresh` job in
this process (sources → dbt → checks → serving copy → report) into files of its own under `data/demo/`
(rebuilt on every run). Prints what each source loaded, a few headline figures, and where the report is.
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import sys
import time
from pathlib import Path

import dagster as dg

from orchestration.definitions import build_definitions
from orchestration.refresh import print_outcome, print_sources, refresh
from orchestration.report import REPORT_PATH_ENV
from orchestration.serving import SERVING_PATH_ENV
from orchestration.warehouse import DUCKDB_PATH_ENV, QueryError, Warehouse, describe, engine, read_only
from simulator.generator import OrgConfig, generate_org
from simulator.server import Simulator

DEMO_DIR = Path("data/demo")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=OrgConfig.seed)
    parser.add_argument("--items-per-project", type=int, default=OrgConfig.items_per_project)
    args = parser.parse_args(argv)
    quiet = logging.StreamHandler()
    quiet.setLevel(logging.WARNING)  # Dagster's own INFO lines propagate here too
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(message)s", handlers=[quiet])
    os.environ.setdefault("RUNTIME__DLTHUB_TELEMETRY", "false")

    started = time.perf_counter()
    # Six teams: the sixth plans in Linear (simulator/generator.py).
    org = generate_org(OrgConfig(seed=args.seed, items_per_project=args.items_per_project, teams=6))
    print(
        f"Simulated organisation: {len(org.teams)} teams, {len(org.work_items)} work items, "
        f"{len(org.pull_requests)} pull requests, {len(org.deployments)} deployments, "
        f"{org.start:%Y-%m-%d} to {org.end:%Y-%m-%d}"
    )
    serving = (DEMO_DIR / "serving.duckdb").resolve()
    report = (DEMO_DIR / "report.html").resolve()
    clear_except(DEMO_DIR, {serving, report})
    path = (DEMO_DIR / "streamgauge.duckdb").resolve()
    os.environ[DUCKDB_PATH_ENV] = str(path)
    os.environ[SERVING_PATH_ENV] = str(serving)
    os.environ[REPORT_PATH_ENV] = str(report)
    # "Now" for ages and open intervals is the simulated organisation's last moment.
    os.environ["STREAMGAUGE_AS_OF"] = f"{org.end:%Y-%m-%d %H:%M:%S}"
    log_path = DEMO_DIR / "refresh.log"
    with Simulator(org) as simulator, dg.DagsterInstance.ephemeral() as instance, log_path.open("w") as log:
        print(f"Simulator listening on {simulator.url}; running the nightly_refresh job (dbt's log: {log_path})\n")
        os.environ.update(simulator.source_settings())  # as a user points them at the real APIs
        outcome = refresh(build_definitions(), instance, log_level="CRITICAL", log=log)
    print_sources(outcome.sources)
    if path.exists() or engine() != "duckdb":
        print_headlines(os.environ["STREAMGAUGE_AS_OF"])
    print()
    print_outcome(outcome)
    print(f"Done in {time.perf_counter() - started:.1f}s. The warehouse is {describe()}")
    if outcome.reported:
        print(f"The report (open it in any browser, no server needed): {report}")
    return 0 if outcome.published else 1


def clear_except(directory: Path, keep: set[Path]) -> None:
    """Start from an empty warehouse, but keep the serving copy a BI tool may be reading (and the
    report someone may have open): tonight's run replaces them atomically, as the nightly job's does."""
    directory.mkdir(parents=True, exist_ok=True)
    for entry in directory.iterdir():
        if entry.resolve() in keep:
            continue
        if entry.is_dir():
            shutil.rmtree(entry)
        else:
            entry.unlink()


DORA_OVERALL = "from marts.dora_summary_org"
HEADLINES = {
    "work items (all sources)": "select count(*) from core.work_items",
    "of which planned in Linear": "select count(*) filter (where source_system = 'linear') from core.work_items",
    "Linear cycle time p50, 90 days (days)": """
        select percentile_cont(0.5) within group (order by cycle_time_days) from marts.flow_item_metrics
        where state = 'done' and not created_done and work_item_id like 'linear:%'
            and completed_at >= timestamp '{as_of}' - interval '90 days'""",
    "in progress now": "select count(*) from marts.aging_wip",
    "of which at risk": "select count(*) from marts.aging_wip where at_risk",
    "cycle time p85, last 90 days (days)": """
        select percentile_cont(0.85) within group (order by cycle_time_days) from marts.flow_item_metrics
        where state = 'done' and not created_done and completed_at >= timestamp '{as_of}' - interval '90 days'""",
    "flow efficiency, last 90 days": """
        select sum(active_hours) / sum(cycle_time_hours) from marts.flow_item_metrics
        where state = 'done' and not created_done and completed_at >= timestamp '{as_of}' - interval '90 days'""",
    "flow efficiency over lead, 90 days": """
        select sum(active_hours) / sum(lead_time_hours) from marts.flow_item_metrics
        where state = 'done' and not created_done and completed_at >= timestamp '{as_of}' - interval '90 days'""",
    "handoffs per completed item, 90 days": """
        select cast(sum(handoff_count) as double precision) / count(*) from marts.flow_item_metrics
        where state = 'done' and completed_at >= timestamp '{as_of}' - interval '90 days'""",
    "review p50 (h), PRs ≥500 vs <50 lines": """
        select cast(round(cast(percentile_cont(0.5) within group (order by review_hours)
                                   filter (where lines_changed >= 500) as numeric), 1) as varchar)
            || ' vs ' || cast(round(cast(percentile_cont(0.5) within group (order by review_hours)
                                   filter (where lines_changed < 50) as numeric), 1) as varchar)
        from marts.pr_cycle_time where merged_at is not null""",
    "items done, last 30 days": "select sum(throughput) from marts.flow_daily where period_start > date '{as_of}' - 30",
    "forecast hit rate (85%, 26 backtests)": """
        select sum(hit_rate * backtests_in_rate) / sum(backtests_in_rate) from marts.forecast_backtest
        where period_start = (select max(period_start) from marts.forecast_backtest)""",
    "failure demand, last 3 months": """
        select cast(sum(failure_demand_items) as double precision) / sum(completed_items)
        from marts.failure_demand_monthly
        where is_complete and period_start >= date_trunc('month', timestamp '{as_of}') - interval '3 months'""",
    "defect escape rate, last 3 months": """
        select cast(sum(production_defects_completed) as double precision) / sum(defects_completed)
        from marts.failure_demand_monthly
        where is_complete and period_start >= date_trunc('month', timestamp '{as_of}') - interval '3 months'""",
    "CI flaky rate, last 12 weeks": """
        select cast(sum(flaky_shas) as double precision) / sum(concluded_shas) from marts.ci_health_weekly
        where is_complete and period_start >= timestamp '{as_of}' - interval '84 days'""",
    "CI runs (Jenkins builds)": """
        select count(*) || ' (' || count(*) filter (where source_system = 'jenkins') || ')' from core.pipeline_runs""",
    "production deploys (via Jenkins)": """
        select count(*) || ' (' || count(*) filter (where deploy_source like 'jenkins%') || ')' from core.deployments
        where is_production and is_successful""",
    "incidents (paged in PagerDuty)": """
        select cast(count(*) as varchar) || ' ('
            || cast(count(*) filter (where source_system = 'pagerduty') as varchar) || ')' from core.incidents""",
    "change failure rate, last 12 weeks": f"select change_failure_rate {DORA_OVERALL}",
    "lead time for changes p50 (hours)": f"select lead_time_p50_hours {DORA_OVERALL}",
    "deploy frequency tier": f"select deploy_frequency_tier {DORA_OVERALL}",
}


def print_headlines(as_of: str) -> None:
    """A few figures from the marts, as of the simulated organisation's last moment."""
    print(f"\nHeadline figures, as of {as_of} (UTC)")
    with read_only() as db:
        for name, sql in HEADLINES.items():
            try:
                value = db.value(sql.replace("{as_of}", as_of))
            except QueryError:  # a mart a partial run did not build
                value = "n/a"
            print(f"  {name:<38} {value:.2f}" if isinstance(value, float) else f"  {name:<38} {value}")
        print_improvements(db)


def print_improvements(db: Warehouse) -> None:
    """The verdicts on the improvements of the seed (the generator injects the first; the second is a placebo)."""
    try:
        found = db.execute(
            "select improvement, team, measure, before_value, after_value, change_low, change_high, verdict"
            " from marts.improvement_impact order by changed_on, improvement, team"
        ).fetchall()
    except QueryError:  # a mart a partial run did not build
        return
    print("\nDid it help? (marts.improvement_impact)")
    for improvement, team, measure, before, after, low, high, verdict in found:
        values = "" if before is None or after is None else f"{before:.1f} → {after:.1f}"
        interval = "" if low is None else f", 90% interval of the change {low:+.1f} to {high:+.1f}"
        print(f"  {improvement} ({team}, {measure}): {values}{interval}: {verdict}")


if __name__ == "__main__":
    sys.exit(main())
