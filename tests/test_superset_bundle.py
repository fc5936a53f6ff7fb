"""What `make superset` imports into Superset, built from the small organisation's serving copy
without Superset itself (bi/superset/provision.py needs only DuckDB and YAML to build it).

Superset running, its API and its dashboards in a browser: bi/superset/test_superset.py
(`make superset-test`).
"""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from benchmarks.compare import copy_warehouse
from bi.superset.provision import CATALOGUE, build_bundle
from orchestration.serving import publish

PROVISION = Path(__file__).resolve().parents[1] / "bi" / "superset" / "provision.py"


@pytest.fixture(scope="module")
def serving(built_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("superset-bundle")
    path = directory / "serving.duckdb"
    # A copy: dbt, run in this process, may still hold the session's warehouse open.
    publish(copy_warehouse(built_warehouse, directory), path, run_id="test-run")
    return path


def parsed(bundle: dict[str, str], prefix: str) -> dict[str, dict]:
    return {name: yaml.safe_load(text) for name, text in bundle.items() if name.startswith(prefix)}


def test_building_twice_gives_the_same_bundle(serving: Path) -> None:
    assert build_bundle(serving) == build_bundle(serving)


def test_the_database_is_the_serving_copy_read_only(serving: Path) -> None:
    (database,) = parsed(build_bundle(serving), "databases/").values()
    assert database["sqlalchemy_uri"] == f"duckdb:///{serving}?access_mode=read_only"
    assert database["allow_dml"] is False


def test_each_catalogue_row_aggregates_as_the_catalogue_says(serving: Path) -> None:
    datasets = {d["table_name"]: d for d in parsed(build_bundle(serving), "datasets/").values()}
    expressions = {(t, m["metric_name"]): m["expression"] for t, d in datasets.items() for m in d["metrics"]}
    with CATALOGUE.open(newline="") as file:
        rows = list(csv.DictReader(file))
    assert rows
    one_row = "CASE WHEN COUNT(*) = 1 THEN MAX({}) END"
    for row in rows:
        expression = expressions[(row["mart"], row["metric"])]
        expected = {
            "sum": [f"SUM({row['column_name']})"],
            "never": [one_row.format(row["column_name"])],
            # Recomputed from its parts where the mart has them, else one row's own value.
            "recompute": [
                "SUM(failed_deployments) / NULLIF(SUM(deployments), 0)",
                "SUM(case when state = 'done' and not created_done then active_hours else 0 end)"
                " / NULLIF(SUM(case when state = 'done' and not created_done then cycle_time_hours else 0 end), 0)",
                "SUM(case when state = 'done' and not created_done then active_hours else 0 end)"
                " / NULLIF(SUM(case when state = 'done' and not created_done and active_hours is not null"
                " then lead_time_hours else 0 end), 0)",
                one_row.format(row["column_name"]),
            ],
        }[row["aggregation"]]
        assert expression in expected, row
    for mart in ("dora_weekly", "dora_summary"):
        assert expressions[(mart, "change_failure_rate")] == "SUM(failed_deployments) / NULLIF(SUM(deployments), 0)"
    assert expressions[("pr_cycle_time", "lead_time_for_changes_p50_hours")] == (
        "QUANTILE_CONT(lead_time_for_changes_hours, 0.5)"
    )


def test_every_column_keeps_its_description_and_every_chart_reaches_team(serving: Path) -> None:
    bundle = build_bundle(serving)
    datasets = {d["uuid"]: d for d in parsed(bundle, "datasets/").values()}
    for dataset in datasets.values():
        assert all(column["description"] for column in dataset["columns"]), dataset["table_name"]
    charts = parsed(bundle, "charts/").values()
    assert len(charts) == 13
    for chart in charts:
        columns = {column["column_name"] for column in datasets[chart["dataset_uuid"]]["columns"]}
        assert "team" in columns, chart["slice_name"]
    dashboards = parsed(bundle, "dashboards/")
    assert sorted(d["slug"] for d in dashboards.values()) == ["delivery", "flow"]
    for dashboard in dashboards.values():
        (team_filter,) = dashboard["metadata"]["native_filter_configuration"]
        assert team_filter["scope"] == {"rootPath": ["ROOT_ID"], "excluded": []}


def test_a_missing_serving_copy_is_one_line(tmp_path: Path) -> None:
    missing = tmp_path / "serving.duckdb"
    done = subprocess.run([sys.executable, str(PROVISION), str(missing)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert done.stderr == (
        f"superset: no serving copy at {missing}: run `make demo`, or set STREAMGAUGE_SERVING_DUCKDB"
        " to the published copy\n"
    )
    assert not missing.exists()
