"""What the report reads: rows of the serving copy's marts, selected and filtered, never recomputed.

Every figure the report shows is a column of a mart (or of `main.published`,
`main.source_freshness`, `main.quality_checks`); these queries only choose the rows. The one
exception is adding up an additive count over a dimension the mart documents as additive (WIP over
flow types), as docs/serving.md allows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import duckdb

# Time series show this many trailing weeks: a nightly report is about now, and the file stays small.
HISTORY_WEEKS = 26
# At most this many dots per team in the cycle time scatterplot (the latest ones); the percentile
# lines are the mart's, over every item of the window.
MAX_SCATTER_POINTS = 2000

Rows = list[dict]


@dataclass
class TeamData:
    team: str
    vsm_stages: Rows
    vsm_rework: Rows
    vsm_summary: dict | None
    cfd: Rows
    cycle_items: Rows
    cycle_percentiles: dict | None
    throughput: Rows
    wip: Rows
    aging: Rows
    forecast: Rows
    dora: Rows
    dora_weekly: Rows
    pr_weekly: Rows
    pr_trailing: dict | None


@dataclass
class ReportData:
    published: dict
    freshness: Rows
    checks: Rows
    unmapped: Rows
    teams: list[TeamData] = field(default_factory=list)
    org_throughput: Rows = field(default_factory=list)
    dora_org: dict | None = None


def rows(db: duckdb.DuckDBPyConnection, sql: str, params: Sequence | None = None) -> Rows:
    cursor = db.execute(sql, params or [])
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]


def one(db: duckdb.DuckDBPyConnection, sql: str, params: Sequence | None = None) -> dict | None:
    found = rows(db, sql, params)
    return found[0] if found else None


def exists(db: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    return bool(
        db.execute(
            "select count(*) from duckdb_tables() where schema_name = ? and table_name = ?", [schema, table]
        ).fetchone()[0]
    )


def read(db: duckdb.DuckDBPyConnection) -> ReportData:
    """Everything the report shows, from a connection to the serving copy."""
    published = one(db, "select published_at, run_id, as_of from main.published") or {}
    data = ReportData(
        published=published,
        freshness=rows(
            db,
            "select f.source, f.last_loaded_at, f.last_load_rows, f.rows,"
            " date_diff('second', f.last_loaded_at, p.published_at) / 3600.0 as hours_before_publish"
            " from main.source_freshness as f cross join main.published as p order by f.source",
        ),
        checks=rows(
            db,
            "select check_name, asset, severity, description, metadata from main.quality_checks"
            " where not passed order by severity, check_name, asset",
        )
        if exists(db, "main", "quality_checks")
        else [],
        unmapped=rows(
            db,
            "select metadata from main.quality_checks where check_name = 'unmapped_status_share'",
        )
        if exists(db, "main", "quality_checks")
        else [],
        org_throughput=rows(
            db,
            "select period_start, team, throughput from marts.flow_weekly"
            " where is_complete and period_start >= cast(as_of as date) - ? * 7 order by period_start, team",
            [HISTORY_WEEKS],
        ),
        dora_org=one(db, "select * from marts.dora_summary_org"),
    )
    teams = [r["team"] for r in rows(db, "select distinct team from marts.flow_weekly order by team")]
    data.teams = [_team(db, team) for team in teams]
    return data


def _team(db: duckdb.DuckDBPyConnection, team: str) -> TeamData:
    def q(sql: str, *params: object) -> Rows:
        return rows(db, sql, [team, *params])

    percentiles = one(
        db,
        "select window_start, as_of, completed_items, cycle_time_p50_days, cycle_time_p85_days, cycle_time_p95_days"
        " from marts.flow_trailing_percentiles where team = ? and window_weeks = 12"
        " order by period_start desc limit 1",
        [team],
    )
    since = percentiles["window_start"] if percentiles else None
    return TeamData(
        team=team,
        vsm_stages=q("select * from marts.value_stream_stages where team = ? order by stage_order, stage"),
        vsm_rework=q("select * from marts.value_stream_rework where team = ? order by moves desc, from_stage"),
        vsm_summary=one(db, "select * from marts.value_stream_summary where team = ?", [team]),
        cfd=q(
            "select period_start, stage, stage_order, items from marts.flow_cfd_daily"
            " where team = ? and stage <> 'canceled' and is_complete and period_start >= cast(as_of as date) - ? * 7"
            " order by period_start, stage_order",
            HISTORY_WEEKS,
        ),
        cycle_items=q(
            "select item_key, completed_date, cycle_time_days from marts.flow_item_metrics"
            " where team = ? and state = 'done' and not created_done and completed_date >= ?"
            " and cycle_time_days is not null"
            " order by completed_at desc limit ?",
            since,
            MAX_SCATTER_POINTS,
        )
        if since
        else [],
        cycle_percentiles=percentiles,
        throughput=q(
            "select period_start, throughput from marts.flow_weekly"
            " where team = ? and is_complete and period_start >= cast(as_of as date) - ? * 7 order by period_start",
            HISTORY_WEEKS,
        ),
        wip=q(
            "select period_start, sum(wip) as wip from marts.flow_daily"
            " where team = ? and is_complete and period_start >= cast(as_of as date) - ? * 7"
            " group by period_start order by period_start",
            HISTORY_WEEKS,
        ),
        aging=q(
            "select item_key, title, url, current_stage, current_stage_order, age_days, days_in_current_stage,"
            " age_percentile_rank, cycle_time_p50_days, cycle_time_p85_days, at_risk"
            " from marts.aging_wip where team = ? order by age_days desc, item_key"
        ),
        forecast=q(
            "select question, horizon_days, item_count, confidence, value, unit, sample_days,"
            " cast(as_of as date) + cast(ceil(value) as integer) as done_by"
            " from marts.flow_forecast where team = ? order by question, horizon_days, item_count, confidence"
        ),
        dora=q("select * from marts.dora_summary where team = ? order by repository"),
        dora_weekly=q(
            "select period_start, repository, deployments, lead_time_p50_hours, change_failure_rate,"
            " failed_deployment_recovery_p50_hours from marts.dora_weekly"
            " where team = ? and is_complete and period_start >= cast(as_of as date) - ? * 7"
            " order by repository, period_start",
            HISTORY_WEEKS,
        ),
        pr_weekly=q(
            "select period_start, repository, coding_hours_p50, pickup_hours_p50, review_hours_p50, deploy_hours_p50"
            " from marts.pr_weekly where team = ? and is_complete and period_start >= cast(as_of as date) - ? * 7"
            " order by repository, period_start",
            HISTORY_WEEKS,
        ),
        pr_trailing=one(
            db,
            "select period_start, window_start, prs_merged, pr_cycle_hours_p50, pr_cycle_hours_p85, pickup_hours_p50,"
            " review_hours_p50 from marts.pr_trailing_percentiles where team = ? and window_weeks = 12"
            " order by period_start desc limit 1",
            [team],
        ),
    )
