"""Provision Superset from the repository's files: the serving copy as a read-only database, one
dataset per mart with the column descriptions the serving copy carries, the metric catalogue's
and the dbt semantic layer's measures as Superset metrics, and the dashboards of dashboards.yaml.

It runs with the Superset environment's Python (`make superset` calls it). Everything is built
as one import bundle whose objects have fixed UUIDs, and imported the way Superset imports an
exported bundle under source control: overwriting. A second run updates in place and creates
nothing twice; a mart gone from the serving copy keeps its dataset until removed by hand.

The metrics follow seeds/metric_catalogue.csv's `aggregation`:
- `sum`: SUM(column).
- `recompute`: the ratio of two sums, from the dbt ratio metric of the same name, where the mart
  has both parts as columns; otherwise the row's own value (below).
- `never` (percentiles, distinct-day counts): the row's own value when the chart's group is
  exactly one mart row, and empty otherwise: a percentile is never summed or averaged.
The dbt semantic models add what only per-item marts can answer at any grouping: real
percentiles (QUANTILE_CONT over the items) and ratios of sums (flow efficiency).
"""

from __future__ import annotations

import argparse
import csv
import json
import logging
import re
import sys
import uuid
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import yaml

REPO = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
CATALOGUE = REPO / "dbt_project" / "seeds" / "metric_catalogue.csv"
SEMANTIC = sorted((REPO / "dbt_project" / "models" / "marts").glob("*/_*__metrics.yml"))
DASHBOARDS = HERE / "dashboards.yaml"

NAMESPACE = uuid.UUID("6f1c1f53-3c1e-4f7e-9a53-5e2a7f0c9b21")
DATABASE_NAME = "Streamgauge serving copy"
SCHEMA = "marts"
FORMATS = {"ratio": ".1%", "hours": ",.1f", "days": ",.1f"}
VIZ = {"bar": "echarts_timeseries_bar", "line": "echarts_timeseries_line", "number": "big_number_total"}
IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]*$")
# What provisioning owns: Superset marks it as managed outside, and a later run deletes what the
# files no longer define (a renamed chart, a mart gone from the serving copy).
MANAGED = {"is_managed_externally": True, "external_url": "bi/superset/dashboards.yaml"}


class ProvisionError(Exception):
    """Something in the repository's files or the serving copy that the user must fix."""


def stable_uuid(kind: str, name: str) -> str:
    return str(uuid.uuid5(NAMESPACE, f"{kind}:{name}"))


@dataclass
class Mart:
    name: str
    description: str | None
    columns: list[tuple[str, str, str | None]]  # name, DuckDB type, comment
    metrics: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def column_names(self) -> set[str]:
        return {name for name, _, _ in self.columns}


def read_marts(serving: Path) -> dict[str, Mart]:
    """Every table and view of the serving copy's marts schema, with their descriptions."""
    if not serving.is_file():
        raise ProvisionError(
            f"no serving copy at {serving}: run `make demo`, or set STREAMGAUGE_SERVING_DUCKDB to the published copy"
        )
    with duckdb.connect(str(serving), read_only=True) as db:
        tables = db.execute(
            "select table_name, comment from duckdb_tables() where schema_name = ?"
            " union all select view_name, comment from duckdb_views() where schema_name = ? and not internal",
            [SCHEMA, SCHEMA],
        ).fetchall()
        columns = db.execute(
            "select table_name, column_name, data_type, comment from duckdb_columns()"
            " where schema_name = ? order by table_name, column_index",
            [SCHEMA],
        ).fetchall()
    marts = {name: Mart(name, comment, []) for name, comment in tables}
    for table, column, data_type, comment in columns:
        marts[table].columns.append((column, data_type, comment))
    if not marts:
        raise ProvisionError(f"{serving} has no `{SCHEMA}` tables: is it a serving copy the nightly job published?")
    return marts


def sql_aggregate(agg: str, expr: str, params: dict[str, Any] | None) -> str:
    if agg == "percentile":
        percentile = float((params or {})["percentile"])
        function = "QUANTILE_DISC" if (params or {}).get("use_discrete_percentile") else "QUANTILE_CONT"
        return f"{function}({expr}, {percentile})"
    functions = {"sum": "SUM", "average": "AVG", "min": "MIN", "max": "MAX", "count": "COUNT"}
    if agg == "count_distinct":
        return f"COUNT(DISTINCT {expr})"
    if agg not in functions:
        raise ProvisionError(f"measure aggregation {agg!r} has no SQL here: add it to bi/superset/provision.py")
    return f"{functions[agg]}({expr})"


def ratio(numerator: str, denominator: str) -> str:
    return f"{numerator} / NULLIF({denominator}, 0)"


def one_row_value(column: str) -> str:
    """A precomputed percentile or rate: shown for a group of one mart row, empty for more."""
    return f"CASE WHEN COUNT(*) = 1 THEN MAX({column}) END"


def semantic_layer(files: list[Path]) -> tuple[dict[str, tuple[str, dict[str, Any]]], list[dict[str, Any]]]:
    """The dbt measures (name → mart, measure) and metrics of the marts' metrics files."""
    measures: dict[str, tuple[str, dict[str, Any]]] = {}
    metrics: list[dict[str, Any]] = []
    for path in files:
        spec = yaml.safe_load(path.read_text()) or {}
        for model in spec.get("semantic_models", []):
            mart = re.fullmatch(r"ref\('([^']+)'\)", model["model"].strip())
            if mart is None:
                raise ProvisionError(f"{path}: semantic model {model['name']} names no ref('…') model")
            for measure in model.get("measures", []):
                measures[measure["name"]] = (mart.group(1), measure)
        metrics.extend(spec.get("metrics", []))
    return measures, metrics


def define_metrics(marts: dict[str, Mart]) -> None:
    """Attach to each mart the Superset metrics of the semantic layer and the metric catalogue."""
    measures, semantic_metrics = semantic_layer(SEMANTIC)

    def measure_sql(name: str) -> tuple[str, str]:
        mart, measure = measures[name]
        return mart, sql_aggregate(measure["agg"], measure.get("expr", measure["name"]), measure.get("agg_params"))

    ratios: dict[str, tuple[str, str]] = {}
    for metric in semantic_metrics:
        params = metric["type_params"]
        if metric["type"] == "simple":
            mart, expression = measure_sql(params["measure"])
            unit = "hours" if metric["name"].endswith("_hours") else "count"
        elif metric["type"] == "ratio":
            ratios[metric["name"]] = (params["numerator"], params["denominator"])
            (mart, numerator), (_, denominator) = measure_sql(params["numerator"]), measure_sql(params["denominator"])
            expression, unit = ratio(numerator, denominator), "ratio"
        else:
            continue
        if mart in marts:
            marts[mart].metrics[metric["name"]] = {
                "expression": expression,
                "verbose_name": metric.get("label"),
                "description": metric.get("description"),
                "unit": unit,
            }

    with CATALOGUE.open(newline="") as file:
        rows = list(csv.DictReader(file))
    for row in rows:
        mart = marts.get(row["mart"])
        if mart is None:
            raise ProvisionError(f"{CATALOGUE}: {row['metric']} names mart {row['mart']}, not in the serving copy")
        if row["column_name"] not in mart.column_names:
            raise ProvisionError(f"{CATALOGUE}: {row['mart']} has no column {row['column_name']} ({row['metric']})")
        existing = mart.metrics.get(row["metric"])
        if existing is not None:
            expression = existing["expression"]
        elif row["aggregation"] == "sum":
            expression = f"SUM({row['column_name']})"
        elif row["aggregation"] == "recompute" and _parts_are_columns(ratios.get(row["metric"]), measures, mart):
            numerator, denominator = (measures[part][1].get("expr", part) for part in ratios[row["metric"]])
            expression = ratio(f"SUM({numerator})", f"SUM({denominator})")
        elif row["aggregation"] in ("recompute", "never"):
            expression = one_row_value(row["column_name"])
        else:
            raise ProvisionError(
                f"{CATALOGUE}: aggregation {row['aggregation']!r} of {row['metric']} is not sum, recompute or never"
            )
        mart.metrics[row["metric"]] = {
            "expression": expression,
            "verbose_name": row["label"],
            "description": row["description"],
            "unit": row["unit"],
        }


def _parts_are_columns(parts: tuple[str, str] | None, measures: dict[str, Any], mart: Mart) -> bool:
    """Whether a ratio's two measures are plain summed columns of this mart."""
    if parts is None:
        return False
    for part in parts:
        _, measure = measures[part]
        expr = measure.get("expr", measure["name"])
        if measure["agg"] != "sum" or not IDENTIFIER.match(expr) or expr not in mart.column_names:
            return False
    return True


def is_temporal(data_type: str) -> bool:
    return data_type.upper().startswith(("DATE", "TIMESTAMP"))


def dataset_config(mart: Mart, database_uuid: str) -> dict[str, Any]:
    temporal = [name for name, data_type, _ in mart.columns if is_temporal(data_type)]
    main_dttm = "period_start" if "period_start" in temporal else (temporal[0] if temporal else None)
    return {
        "table_name": mart.name,
        "schema": SCHEMA,
        "catalog": None,
        "main_dttm_col": main_dttm,
        "description": mart.description,
        "default_endpoint": None,
        "offset": 0,
        "cache_timeout": None,
        "sql": None,
        "params": None,
        "template_params": None,
        "filter_select_enabled": True,
        "fetch_values_predicate": None,
        "extra": None,
        "normalize_columns": False,
        **MANAGED,
        "always_filter_main_dttm": False,
        "uuid": stable_uuid("dataset", f"{SCHEMA}.{mart.name}"),
        "database_uuid": database_uuid,
        "version": "1.0.0",
        "columns": [
            {
                "column_name": name,
                "verbose_name": None,
                "is_dttm": is_temporal(data_type),
                "is_active": True,
                "type": data_type,
                "advanced_data_type": None,
                "groupby": True,
                "filterable": True,
                "expression": None,
                "description": comment,
                "python_date_format": None,
                "extra": None,
            }
            for name, data_type, comment in mart.columns
        ],
        "metrics": [
            {
                "metric_name": name,
                "verbose_name": metric["verbose_name"],
                "metric_type": None,
                "expression": metric["expression"],
                "description": metric["description"],
                "d3format": FORMATS.get(metric["unit"], ",d"),
                "warning_text": None,
                "extra": None,
            }
            for name, metric in sorted(mart.metrics.items())
        ],
    }


def chart_config(chart: dict[str, Any], dashboard: str, dataset: dict[str, Any]) -> dict[str, Any]:
    """A chart's form data (what Superset's explore view edits) and the query the API runs for it."""
    kind = chart["kind"]
    where = chart.get("where")
    filters = [{"clause": "WHERE", "expressionType": "SQL", "sqlExpression": where}] if where else []
    metrics = chart.get("metrics", [])
    groupby = chart.get("groupby", [])
    # A rate's axis in percent, as its metric formats it; counts and hours as Superset shortens them.
    formats = {m["metric_name"]: m["d3format"] for m in dataset["metrics"]}
    y_format = ".0%" if metrics and formats[metrics[0]] == FORMATS["ratio"] else "SMART_NUMBER"
    params: dict[str, Any] = {"adhoc_filters": filters, "row_limit": 10_000, "extra_form_data": {}}
    query: dict[str, Any] = {"filters": [], "extras": {"where": f"({where})" if where else ""}, "row_limit": 10_000}
    if kind in ("bar", "line"):
        params.update(
            viz_type=VIZ[kind],
            x_axis=chart["x_axis"],
            time_grain_sqla=chart["time_grain"],
            metrics=metrics,
            groupby=groupby,
            show_legend=True,
            legendOrientation="top",
            rich_tooltip=True,
            stack="Stack" if kind == "bar" else None,
            x_axis_time_format="smart_date",
            y_axis_format=y_format,
            truncate_metric=True,
        )
        axis = {
            "timeGrain": chart["time_grain"],
            "columnType": "BASE_AXIS",
            "sqlExpression": chart["x_axis"],
            "label": chart["x_axis"],
            "expressionType": "SQL",
        }
        query.update(columns=[axis, *groupby], metrics=metrics, orderby=[[axis["label"], True]])
        query["extras"]["time_grain_sqla"] = chart["time_grain"]
    elif kind == "number":
        params.update(viz_type=VIZ[kind], metric=metrics[0], header_font_size=0.4, subheader_font_size=0.15)
        query.update(columns=[], metrics=metrics[:1])
    elif kind == "table":
        params.update(viz_type="table", query_mode="aggregate", groupby=groupby, metrics=metrics)
        query.update(columns=groupby, metrics=metrics, orderby=[[column, True] for column in groupby])
    elif kind == "list":
        column, _, direction = chart.get("order_by", "").partition(" ")
        order = [[column, direction.strip().lower() != "desc"]] if column else []
        params.update(viz_type="table", query_mode="raw", all_columns=chart["columns"])
        params["order_by_cols"] = [json.dumps(pair) for pair in order]
        query.update(columns=chart["columns"], metrics=[], orderby=order)
    else:
        raise ProvisionError(
            f"{DASHBOARDS}: chart {chart['name']!r} has kind {kind!r}: bar, line, number, table or list"
        )
    return {
        "slice_name": chart["name"],
        "description": None,
        "certified_by": None,
        "certification_details": None,
        "viz_type": params["viz_type"],
        "params": params,
        "query_context": json.dumps(
            {
                "datasource": {"id": 0, "type": "table"},
                "force": False,
                "queries": [query],
                "form_data": params,
                "result_format": "json",
                "result_type": "full",
            }
        ),
        "cache_timeout": None,
        "uuid": stable_uuid("chart", f"{dashboard}/{chart['name']}"),
        "version": "1.0.0",
        "dataset_uuid": dataset["uuid"],
        **MANAGED,
    }


def dashboard_config(spec: dict[str, Any], charts: list[dict[str, Any]], team_dataset: str) -> dict[str, Any]:
    """The layout (rows of charts under a header), and the Team filter scoped to the whole page."""
    position: dict[str, Any] = {
        "DASHBOARD_VERSION_KEY": "v2",
        "ROOT_ID": {"id": "ROOT_ID", "type": "ROOT", "children": ["GRID_ID"]},
        "GRID_ID": {"id": "GRID_ID", "type": "GRID", "children": [], "parents": ["ROOT_ID"]},
        "HEADER_ID": {"id": "HEADER_ID", "type": "HEADER", "meta": {"text": spec["title"]}},
    }
    chart_iter = iter(charts)
    for row_number, row in enumerate(spec["rows"]):
        row_id = f"ROW-{row_number}"
        position["GRID_ID"]["children"].append(row_id)
        position[row_id] = {
            "id": row_id,
            "type": "ROW",
            "children": [],
            "parents": ["ROOT_ID", "GRID_ID"],
            "meta": {"background": "BACKGROUND_TRANSPARENT"},
        }
        for chart_spec in row:
            chart = next(chart_iter)
            chart_id = f"CHART-{chart['uuid'][:8]}"
            position[row_id]["children"].append(chart_id)
            position[chart_id] = {
                "id": chart_id,
                "type": "CHART",
                "children": [],
                "parents": ["ROOT_ID", "GRID_ID", row_id],
                "meta": {
                    "uuid": chart["uuid"],
                    "chartId": 0,
                    "sliceName": chart["slice_name"],
                    "width": chart_spec.get("width", 6),
                    "height": 22 if chart_spec["kind"] == "number" else 60,
                },
            }
    team_filter = {
        "id": f"NATIVE_FILTER-team-{spec['slug']}",
        "name": "Team",
        "type": "NATIVE_FILTER",
        "filterType": "filter_select",
        "description": "Every chart of this dashboard reads a mart with a `team` column.",
        "targets": [{"datasetUuid": team_dataset, "column": {"name": "team"}}],
        "controlValues": {
            "multiSelect": True,
            "enableEmptyFilter": False,
            "defaultToFirstItem": False,
            "searchAllOptions": False,
            "inverseSelection": False,
        },
        "defaultDataMask": {"extraFormData": {}, "filterState": {}, "ownState": {}},
        "cascadeParentIds": [],
        "scope": {"rootPath": ["ROOT_ID"], "excluded": []},
        "tabsInScope": [],
        "chartsInScope": [],  # chart ids exist only after the import: set by provision()
    }
    return {
        "dashboard_title": spec["title"],
        "description": spec.get("description"),
        "css": "",
        "slug": spec["slug"],
        "certified_by": "",
        "certification_details": "",
        "published": True,
        **MANAGED,
        "uuid": stable_uuid("dashboard", spec["slug"]),
        "version": "1.0.0",
        "position": position,
        "metadata": {
            "native_filter_configuration": [team_filter],
            "cross_filters_enabled": False,
            "color_scheme": "supersetColors",
            "refresh_frequency": 0,
            "expanded_slices": {},
            "timed_refresh_immune_slices": [],
            "default_filters": "{}",
            "chart_configuration": {},
            "global_chart_configuration": {"scope": {"rootPath": ["ROOT_ID"], "excluded": []}, "chartsInScope": []},
        },
    }


def build_bundle(serving: Path, dashboards_file: Path = DASHBOARDS) -> dict[str, str]:
    """The import bundle: file name → YAML, as Superset's export writes them."""
    marts = read_marts(serving)
    define_metrics(marts)
    database_uuid = stable_uuid("database", "serving")
    database = {
        "database_name": DATABASE_NAME,
        # DuckDB's own read-only mode: the nightly job's rename is never blocked or half-read.
        "sqlalchemy_uri": f"duckdb:///{serving.resolve()}?access_mode=read_only",
        "cache_timeout": None,
        "expose_in_sqllab": True,
        "allow_run_async": False,
        "allow_ctas": False,
        "allow_cvas": False,
        "allow_dml": False,
        "allow_file_upload": False,
        "extra": {"allows_virtual_table_explore": True, "metadata_params": {}, "engine_params": {}},
        "uuid": database_uuid,
        "version": "1.0.0",
    }
    bundle = {
        "metadata.yaml": yaml.safe_dump(
            {"version": "1.0.0", "type": "assets", "timestamp": "2026-01-01T00:00:00+00:00"}
        ),
        "databases/serving.yaml": yaml.safe_dump(database, sort_keys=False),
    }
    datasets = {name: dataset_config(mart, database_uuid) for name, mart in sorted(marts.items())}
    for name, dataset in datasets.items():
        bundle[f"datasets/serving/{name}.yaml"] = yaml.safe_dump(dataset, sort_keys=False, allow_unicode=True)

    spec = yaml.safe_load(dashboards_file.read_text())
    for dashboard in spec["dashboards"]:
        charts = []
        for chart in (chart for row in dashboard["rows"] for chart in row):
            mart = marts.get(chart["mart"])
            if mart is None:
                raise ProvisionError(f"{dashboards_file}: chart {chart['name']!r} reads {chart['mart']}, not a mart")
            unknown = [m for m in chart.get("metrics", []) if m not in mart.metrics]
            if unknown:
                raise ProvisionError(
                    f"{dashboards_file}: chart {chart['name']!r} uses {unknown}, not metrics of {mart.name}"
                    f" (it has {sorted(mart.metrics)})"
                )
            if "team" not in mart.column_names:
                raise ProvisionError(f"{dashboards_file}: {mart.name} has no team column for the Team filter to reach")
            config = chart_config(chart, dashboard["slug"], datasets[mart.name])
            charts.append(config)
            bundle[f"charts/{dashboard['slug']}/{config['uuid']}.yaml"] = yaml.safe_dump(config, sort_keys=False)
        first_mart = dashboard["rows"][0][0]["mart"]
        config = dashboard_config(dashboard, charts, datasets[first_mart]["uuid"])
        bundle[f"dashboards/{dashboard['slug']}.yaml"] = yaml.safe_dump(config, sort_keys=False)
    return bundle


def provision(serving: Path, username: str, dashboards_file: Path = DASHBOARDS) -> dict[str, int]:
    """Import the bundle into the Superset instance SUPERSET_HOME names; returns what it holds now."""
    bundle = build_bundle(serving, dashboards_file)

    from flask import g
    from superset.app import create_app

    # Superset logs every step of an import, and SQLAlchemy warns about its own flush events.
    logging.disable(logging.WARNING)
    warnings.simplefilter("ignore")
    app = create_app()
    with app.app_context():
        # Superset's models can be imported only once the app exists.
        from superset import db, security_manager
        from superset.commands.importers.v1.assets import ImportAssetsCommand
        from superset.connectors.sqla.models import SqlaTable
        from superset.models.dashboard import Dashboard
        from superset.models.slice import Slice

        user = security_manager.find_user(username=username)
        if user is None:
            raise ProvisionError(f"Superset has no user {username!r}: `make superset` creates it")
        g.user = user
        ImportAssetsCommand(bundle).run()
        defined = {yaml.safe_load(text).get("uuid") for text in bundle.values()}
        for model in (Dashboard, Slice, SqlaTable):
            for stale in db.session.query(model).filter(model.external_url == MANAGED["external_url"]):
                if str(stale.uuid) not in defined:
                    db.session.delete(stale)
        # A native filter lists the charts it reaches by id, which only the import assigns.
        slugs = [d["slug"] for d in yaml.safe_load(dashboards_file.read_text())["dashboards"]]
        for dashboard in db.session.query(Dashboard).filter(Dashboard.slug.in_(slugs)):
            metadata = json.loads(dashboard.json_metadata)
            chart_ids = sorted(chart.id for chart in dashboard.slices)
            for native_filter in metadata["native_filter_configuration"]:
                native_filter["chartsInScope"] = chart_ids
            metadata["global_chart_configuration"]["chartsInScope"] = chart_ids
            dashboard.json_metadata = json.dumps(metadata)
        db.session.commit()
        return {
            "datasets": db.session.query(SqlaTable).count(),
            "charts": db.session.query(Slice).count(),
            "dashboards": db.session.query(Dashboard).count(),
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("serving", type=Path, help="the serving copy (STREAMGAUGE_SERVING_DUCKDB)")
    parser.add_argument("--username", default="admin", help="the Superset user who owns what is imported")
    parser.add_argument("--bundle", type=Path, help="write the import bundle's files here instead of importing")
    args = parser.parse_args()
    try:
        if args.bundle:
            for name, text in build_bundle(args.serving).items():
                (args.bundle / name).parent.mkdir(parents=True, exist_ok=True)
                (args.bundle / name).write_text(text)
            return
        held = provision(args.serving, args.username)
    except ProvisionError as error:
        sys.exit(f"superset: {error}")
    print(f"Superset provisioned from {args.serving}: " + ", ".join(f"{n} {k}" for k, n in held.items()))


if __name__ == "__main__":
    main()
