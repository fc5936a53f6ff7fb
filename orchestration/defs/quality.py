"""Data-quality checks beyond dbt's tests, as Dagster asset checks.

Blocking (a failure stops the serving copy from being published):
- `not_empty`: a core table is empty although the raw tables it is built from hold rows (a
  warning instead for a table that may rightly be empty, below);
- `work_items_exist`: a core row points at a work item that `core.work_items` lacks;
- `durations_possible`: a stage interval with a null or negative duration, or that ends before it starts;
- `lifecycle_in_order`: a work item started before it was created, or completed before it started.

Warnings (shown, never blocking):
- `unmapped_status_share`: more than 1% of transitions touch a status no seed or fallback maps;
- `events_after_as_of`: status or label events dated after the build's as-of time, held out of the
  stage intervals until as_of reaches them (dbt's int_events_after_as_of); lists them with their items;
- `row_count_vs_previous_run`: a core table lost more than 10% of its rows since the last run;
- `loaded_recently`: a source's last successful load is older than its dbt freshness `warn_after`.

Core tables and their columns come from the dbt manifest, so new core models are checked too. A
core model that may rightly be empty although its sources hold rows says so in its dbt config,
`meta: {may_be_empty: true}`, and its `not_empty` only warns: nothing was ever blocked, no
incident happened, no pull request names a work item, no item changed state yet, or a
repository deploys through no deployment and no deploy workflow. Empty is certainly wrong only
where a table holds a row for every row of a raw table it is built from (work items, their stage
visits, pull requests, pipeline runs).
"""

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import dagster as dg

from orchestration.defs.transform import StreamgaugeDbtTranslator
from orchestration.warehouse import DUCKDB_POOL, Warehouse, layer, read_only

UNMAPPED_SHARE_WARN = 0.01
ROW_DROP_WARN = 0.10
DEFAULT_FRESHNESS_HOURS = 36.0
WARN = dg.AssetCheckSeverity.WARN
ERROR = dg.AssetCheckSeverity.ERROR
DESCRIPTIONS = {
    "not_empty": "Fails when the table is empty although the raw tables it is built from hold rows.",
    "row_count_vs_previous_run": f"Warns when the table lost more than {ROW_DROP_WARN:.0%} of its rows since "
    "the previous run.",
    "work_items_exist": "Fails when a row's work_item_id is missing from core.work_items.",
    "durations_possible": "Fails on a stage interval with a null or negative duration, or that ends before it starts.",
    "lifecycle_in_order": "Fails on a work item started before it was created, or completed before it started.",
    "unmapped_status_share": f"Warns when more than {UNMAPPED_SHARE_WARN:.0%} of transitions touch a status that "
    "neither the status_stage_map seed nor a fallback maps; lists those statuses.",
    "events_after_as_of": "Warns when status, label or flag events are dated after the build's as-of time: they are "
    "held out of the intervals until as_of reaches them; lists them with their items.",
}


@dataclass(frozen=True)
class Model:
    """A dbt model as the checks need it: its asset key, relation, columns and raw inputs."""

    key: dg.AssetKey
    layer: str  # the schema dbt is configured to build it in: core, marts, ...
    schema: str  # where it is: the layer, or on PostgreSQL build_<layer> (macros/generate_schema_name.sql)
    name: str
    columns: frozenset[str]
    raw_tables: tuple[tuple[str, str], ...]  # (schema, table) of every dbt source upstream
    may_be_empty: bool

    @property
    def relation(self) -> str:
        return f'"{self.schema}"."{self.name}"'


def dbt_models(manifest: Mapping[str, Any]) -> list[Model]:
    """Every dbt model of the manifest, in a fixed order."""
    translator = StreamgaugeDbtTranslator()
    return [
        Model(
            key=translator.get_asset_key(node),
            layer=layer(node),
            schema=node["schema"],
            name=node["alias"],
            columns=frozenset(node.get("columns", {})),
            raw_tables=tuple(sorted(_raw_tables(manifest, unique_id))),
            may_be_empty=bool(node["config"].get("meta", {}).get("may_be_empty")),
        )
        for unique_id, node in sorted(manifest["nodes"].items())
        if node["resource_type"] == "model"
    ]


def _raw_tables(manifest: Mapping[str, Any], unique_id: str) -> set[tuple[str, str]]:
    seen, stack, tables = set(), [unique_id], set()
    while stack:
        node_id = stack.pop()
        if node_id in seen:
            continue
        seen.add(node_id)
        if node_id in manifest["sources"]:
            source = manifest["sources"][node_id]
            tables.add((source["schema"], source["identifier"]))
        else:
            stack.extend(manifest["nodes"].get(node_id, {}).get("depends_on", {}).get("nodes", []))
    return tables


def quality_checks(manifest: Mapping[str, Any], source_keys: Mapping[str, Sequence[dg.AssetKey]]) -> list:
    """The core-table checks and one freshness check per configured source."""
    checks = [_freshness_check(name, keys, _freshness_hours(manifest, name)) for name, keys in source_keys.items()]
    models = dbt_models(manifest)
    core = [m for m in models if m.layer == "core"]
    if core:
        by_name = {m.name: m for m in models}
        checks.append(
            _core_checks(core, by_name.get("int_status_stage_mapping"), by_name.get("int_events_after_as_of"))
        )
    return checks


# ---------------------------------------------------------------------- core tables
def _core_checks(core: list[Model], mapping: Model | None, held_out: Model | None) -> dg.AssetChecksDefinition:
    by_name = {m.name: m for m in core}
    items = by_name.get("work_items")
    transitions = by_name.get("work_item_transitions")
    intervals = by_name.get("work_item_stage_intervals")
    referencing = [m for m in core if items and m is not items and "work_item_id" in m.columns]

    planned = [
        # Blocking only where empty is certainly wrong; where it can be legitimate, a warning.
        *((m, "not_empty", not m.may_be_empty) for m in core),
        *((m, "row_count_vs_previous_run", False) for m in core),
        *((m, "work_items_exist", True) for m in referencing),
        *([(intervals, "durations_possible", True)] if intervals else []),
        *([(items, "lifecycle_in_order", True)] if items else []),
        *([(transitions, "unmapped_status_share", False)] if transitions and items and mapping else []),
        *([(intervals, "events_after_as_of", False)] if intervals and held_out else []),
    ]
    specs = [
        dg.AssetCheckSpec(name, asset=model.key, blocking=blocking, description=DESCRIPTIONS[name])
        for model, name, blocking in planned
    ]

    @dg.multi_asset_check(name="core_quality", specs=specs, can_subset=True, pool=DUCKDB_POOL)
    def core_quality(context: dg.AssetCheckExecutionContext) -> Iterator[dg.AssetCheckResult]:
        evaluate = {
            "not_empty": _not_empty,
            "row_count_vs_previous_run": lambda db, model: _row_count_vs_previous_run(db, model, context),
            "work_items_exist": lambda db, model: _work_items_exist(db, model, items),
            "durations_possible": _durations_possible,
            "lifecycle_in_order": _lifecycle_in_order,
            "unmapped_status_share": lambda db, model: _unmapped_status_share(db, model, items, mapping),
            "events_after_as_of": lambda db, model: _events_after_as_of(db, model, held_out),
        }
        with read_only() as db:
            for model, name, _ in planned:
                if dg.AssetCheckKey(model.key, name) in context.selected_asset_check_keys:
                    yield evaluate[name](db, model)

    return core_quality


def _count(db: Warehouse, sql: str) -> int:
    return int(db.execute(sql).fetchone()[0])


def _not_empty(db: Warehouse, model: Model) -> dg.AssetCheckResult:
    rows = _count(db, f"select count(*) from {model.relation}")
    raw_rows = {
        f"{schema}.{table}": _count(db, f"select count(*) from {Warehouse.quote(schema, table)}")
        for schema, table in model.raw_tables
        if db.relation_exists(schema, table)
    }
    loaded = {name: n for name, n in raw_rows.items() if n}
    return dg.AssetCheckResult(
        asset_key=model.key,
        check_name="not_empty",
        passed=rows > 0 or not loaded,
        severity=WARN if model.may_be_empty else ERROR,
        metadata={"rows": rows, "raw_rows": dg.MetadataValue.json(raw_rows)},
        description=None if rows or not loaded else f"{model.relation} is empty though {', '.join(loaded)} have rows",
    )


def _row_count_vs_previous_run(
    db: Warehouse, model: Model, context: dg.AssetCheckExecutionContext
) -> dg.AssetCheckResult:
    rows = _count(db, f"select count(*) from {model.relation}")
    key = dg.AssetCheckKey(model.key, "row_count_vs_previous_run")
    previous = _previous_rows(context.instance, key, context.run.run_id)
    drop = (previous - rows) / previous if previous else 0.0
    return dg.AssetCheckResult(
        asset_key=model.key,
        check_name=key.name,
        passed=drop <= ROW_DROP_WARN,
        severity=WARN,
        metadata={"rows": rows, "previous_rows": previous if previous is not None else "none", "drop": round(drop, 4)},
        description=f"{model.relation} lost {drop:.0%} of its rows" if drop > ROW_DROP_WARN else None,
    )


def _previous_rows(instance: dg.DagsterInstance, key: dg.AssetCheckKey, run_id: str) -> int | None:
    """The row count this check recorded in the latest other run that evaluated it."""
    for record in instance.event_log_storage.get_asset_check_execution_history(key, limit=10):
        evaluation = record.event.asset_check_evaluation if record.event else None  # None while only planned
        if record.run_id != run_id and evaluation and "rows" in evaluation.metadata:
            return int(evaluation.metadata["rows"].value)
    return None


def _work_items_exist(db: Warehouse, model: Model, items: Model) -> dg.AssetCheckResult:
    orphans = db.execute(
        f"""
        select distinct rows.work_item_id
        from {model.relation} as rows
        left join {items.relation} as items on items.work_item_id = rows.work_item_id
        where items.work_item_id is null
        order by 1
        """
    ).fetchall()
    return dg.AssetCheckResult(
        asset_key=model.key,
        check_name="work_items_exist",
        passed=not orphans,
        severity=ERROR,
        metadata={"missing_work_items": len(orphans), "examples": [o[0] for o in orphans[:5]]},
    )


def _durations_possible(db: Warehouse, intervals: Model) -> dg.AssetCheckResult:
    negative, null, reversed_ = db.execute(
        f"""
        select
            count(*) filter (where duration_hours < 0),
            count(*) filter (where duration_hours is null),
            count(*) filter (where exited_at < entered_at)
        from {intervals.relation}
        """
    ).fetchone()
    return dg.AssetCheckResult(
        asset_key=intervals.key,
        check_name="durations_possible",
        passed=negative + null + reversed_ == 0,
        severity=ERROR,
        metadata={"negative_duration": negative, "null_duration": null, "exited_before_entered": reversed_},
    )


def _lifecycle_in_order(db: Warehouse, items: Model) -> dg.AssetCheckResult:
    before_created, before_started = db.execute(
        f"""
        select
            count(*) filter (where started_at < created_at),
            count(*) filter (where completed_at < started_at)
        from {items.relation}
        """
    ).fetchone()
    return dg.AssetCheckResult(
        asset_key=items.key,
        check_name="lifecycle_in_order",
        passed=before_created + before_started == 0,
        severity=ERROR,
        metadata={"started_before_created": before_created, "completed_before_started": before_started},
    )


def _unmapped_status_share(db: Warehouse, transitions: Model, items: Model, mapping: Model) -> dg.AssetCheckResult:
    touching = f"""
        select t.transition_id, m.source_system, m.project_key, m.status_raw
        from {transitions.relation} as t
        inner join {items.relation} as i on i.work_item_id = t.work_item_id
        inner join {mapping.relation} as m
            on m.mapping_method = 'unmapped' and m.source_system = t.source_system
            and m.project_key = i.project_key and m.status_raw in (t.from_status_raw, t.to_status_raw)
    """
    rows = db.execute(
        f"select source_system, project_key, status_raw, count(distinct transition_id) as n from ({touching}) as t "
        "group by source_system, project_key, status_raw order by n desc, 1, 2, 3"
    ).fetchall()
    touched = _count(db, f"select count(distinct transition_id) from ({touching}) as t")
    total = _count(db, f"select count(*) from {transitions.relation}")
    share = touched / total if total else 0.0
    return dg.AssetCheckResult(
        asset_key=transitions.key,
        check_name="unmapped_status_share",
        passed=share <= UNMAPPED_SHARE_WARN,
        severity=WARN,
        metadata={
            "share": round(share, 4),
            "transitions": total,
            "with_unmapped_status": touched,
            "unmapped_statuses": dg.MetadataValue.md(_status_table(rows)),
            # The same list for readers of the serving copy's main.quality_checks (the report).
            "statuses": dg.MetadataValue.json(
                [{"source": s, "project": p, "status": status, "transitions": n} for s, p, status, n in rows[:50]]
            ),
        },
        description=None
        if share <= UNMAPPED_SHARE_WARN
        else f"{share:.1%} of transitions have a status no row of the status_stage_map seed maps",
    )


def _events_after_as_of(db: Warehouse, intervals: Model, held_out: Model) -> dg.AssetCheckResult:
    events = db.execute(
        f"select work_item_id, event_type, value, event_at from {held_out.relation} order by event_at, work_item_id"
    ).fetchall()
    items = sorted({event[0] for event in events})
    lines = ["| work item | event | to | dated |", "|---|---|---|---|"]
    lines += [f"| {item} | {kind} | {value} | {at:%Y-%m-%d %H:%M} |" for item, kind, value, at in events[:50]]
    return dg.AssetCheckResult(
        asset_key=intervals.key,
        check_name="events_after_as_of",
        passed=not events,
        severity=WARN,
        metadata={"events": len(events), "items": len(items), "held_out": dg.MetadataValue.md("\n".join(lines))},
        description=f"{len(events)} events dated after as_of are held out of the intervals of {len(items)} items: "
        f"{', '.join(items[:5])}{' …' * (len(items) > 5)}"
        if events
        else None,
    )


def _status_table(rows: list[tuple]) -> str:
    if not rows:
        return "none"
    lines = ["| source | project | status | transitions |", "|---|---|---|---|"]
    lines += [f"| {s} | {p} | {status} | {n} |" for s, p, status, n in rows[:50]]
    return "\n".join(lines)


# ---------------------------------------------------------------------- sources
def _freshness_hours(manifest: Mapping[str, Any], source_name: str) -> float:
    """The source's dbt freshness `warn_after` in hours (the tightest of its tables), else 36."""
    per_hour = {"minute": 1 / 60, "hour": 1.0, "day": 24.0}
    hours = [
        warn["count"] * per_hour[warn["period"]]
        for source in manifest["sources"].values()
        if source["source_name"] == source_name
        and (warn := ((source.get("freshness") or {}).get("warn_after") or {})).get("count")
    ]
    return min(hours, default=DEFAULT_FRESHNESS_HOURS)


def _freshness_check(name: str, keys: Sequence[dg.AssetKey], hours: float) -> dg.AssetChecksDefinition:
    description = f"Warns when {name}'s last successful load is more than {hours:g} hours old."
    specs = [dg.AssetCheckSpec("loaded_recently", asset=key, description=description) for key in keys]

    @dg.multi_asset_check(name=f"{name}_freshness", specs=specs, can_subset=True, pool=DUCKDB_POOL)
    def freshness(context: dg.AssetCheckExecutionContext) -> Iterator[dg.AssetCheckResult]:
        with read_only() as db:
            last = (
                db.execute(f"select max(inserted_at) from raw_{name}._dlt_loads where status = 0").fetchone()[0]
                if db.relation_exists(f"raw_{name}", "_dlt_loads")
                else None
            )
        if last is not None and last.tzinfo is None:  # Spark's timestamps come back without their zone, UTC
            last = last.replace(tzinfo=UTC)
        age = (datetime.now(UTC) - last).total_seconds() / 3600 if last else None
        for check in context.selected_asset_check_keys:
            yield dg.AssetCheckResult(
                asset_key=check.asset_key,
                check_name=check.name,
                passed=age is not None and age <= hours,
                severity=WARN,
                metadata={
                    "last_load": last.isoformat() if last else "never",
                    "age_hours": round(age, 1) if age is not None else "n/a",
                    "warn_after_hours": hours,
                },
            )

    return freshness
