"""The dbt project's layout, read from its manifest: data flows only forward, every model is documented.

Layers are the top folders under models/ (staging → intermediate → core → marts); below them,
staging is split by source system and the later layers by domain. A model computed from core for
the marts lives beside the marts it feeds, so no model ever reads a later layer.
"""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path, PurePosixPath

import pytest
import yaml
from dbt.cli.main import dbtRunner
from dbt_helpers import PROJECT_DIR, dbt

LAYERS = ("staging", "intermediate", "core", "marts")
DOMAINS = ("work_items", "delivery")
SOURCE_SYSTEMS = ("github", "gitlab", "jenkins", "jira", "pagerduty", "linear")


@pytest.fixture(scope="module")
def manifest(tmp_path_factory: pytest.TempPathFactory):
    target = tmp_path_factory.mktemp("parse")
    result = dbtRunner().invoke(
        [
            "parse",
            "--project-dir",
            str(PROJECT_DIR),
            "--profiles-dir",
            str(PROJECT_DIR),
            "--target-path",
            str(target / "target"),
            "--log-path",
            str(target / "logs"),
            "--no-partial-parse",
            "--quiet",
        ]  # fmt: skip
    )
    assert result.success, result.exception
    return result.result


def models(manifest) -> dict:
    return {node.name: node for node in manifest.nodes.values() if node.resource_type == "model"}


def folder(node) -> PurePosixPath:
    """The model's folder under models/, e.g. marts/delivery."""
    return PurePosixPath(node.original_file_path).relative_to("models").parent


def test_every_model_sits_in_a_layer_and_a_domain(manifest) -> None:
    misplaced = []
    for name, node in models(manifest).items():
        parts = folder(node).parts
        expected = SOURCE_SYSTEMS if parts[:1] == ("staging",) else DOMAINS
        if len(parts) != 2 or parts[0] not in LAYERS or parts[1] not in expected:
            misplaced.append(f"{name}: {folder(node)}")
    assert not misplaced


def test_no_model_reads_a_later_layer(manifest) -> None:
    by_id = {node.unique_id: node for node in models(manifest).values()}
    backwards = []
    for node in by_id.values():
        layer = LAYERS.index(folder(node).parts[0])
        for parent_id in node.depends_on.nodes:
            parent = by_id.get(parent_id)
            if parent is not None and LAYERS.index(folder(parent).parts[0]) > layer:
                backwards.append(f"{parent.name} ({folder(parent)}) → {node.name} ({folder(node)})")
    assert not backwards


def test_intermediate_models_never_land_in_an_analysts_schema(manifest) -> None:
    """Steps computed beside the marts keep the `int_` prefix and the intermediate schema."""
    exposed = [
        name for name, node in models(manifest).items() if name.startswith("int_") and node.schema != "intermediate"
    ]
    assert not exposed


def test_every_model_is_documented_in_its_own_folder(manifest) -> None:
    undocumented, elsewhere = [], []
    for name, node in models(manifest).items():
        if not node.patch_path or not node.description.strip():
            undocumented.append(name)
        elif PurePosixPath(node.patch_path.split("://", 1)[-1]).parent != PurePosixPath("models") / folder(node):
            elsewhere.append(f"{name}: {node.patch_path}")
    assert not undocumented
    assert not elsewhere


def test_every_folder_has_one_models_file_named_for_it() -> None:
    models_dir = PROJECT_DIR / "models"
    folders = {path.parent for path in models_dir.rglob("*.sql")}
    files = Counter(path.parent for path in models_dir.rglob("_*__models.yml"))
    assert {path.relative_to(models_dir).as_posix(): files[path] for path in folders} == {
        path.relative_to(models_dir).as_posix(): 1 for path in folders
    }
    for path in models_dir.rglob("*.yml"):
        assert path.name.startswith("_") and path.name.endswith(
            ("__models.yml", "__sources.yml", "__unit_tests.yml", "__metrics.yml", "__exposures.yml")
        ), path


def test_a_key_is_one_data_test(manifest) -> None:
    """A key that must be unique and never null is checked by `primary_key` alone: a build runs each
    data test as a node of its own, and `unique` beside `not_null` costs a node and a scan more."""
    tests: dict[str, list] = {}
    for node in manifest.nodes.values():
        if node.resource_type == "test" and node.test_metadata:
            tested = node.attached_node or node.depends_on.nodes[0]
            arguments = node.test_metadata.kwargs
            # a test declared on the model names its column in its arguments
            columns = arguments.get("columns") or [node.column_name or arguments.get("column_name")]
            tests.setdefault(tested, []).append((node.test_metadata.name, columns))
    twice = []
    for tested, named in tests.items():
        not_null = {columns[0] for name, columns in named if name in ("not_null", "not_null_when_loaded")}
        for name, columns in named:
            if name in ("unique", "unique_together", "unique_when_loaded") and set(columns) <= not_null:
                twice.append(f"{tested}: {name} {columns}")
    assert not twice


def test_unit_tests_sit_beside_their_model(manifest) -> None:
    by_name = models(manifest)
    astray = [
        f"{test.name} ({test.original_file_path}) tests {test.model}"
        for test in manifest.unit_tests.values()
        if Path(test.original_file_path).parent != Path(by_name[test.model].original_file_path).parent
    ]
    assert not astray


COLUMN_KEYS = {
    "name",
    "description",
    "data_type",
    "data_tests",
    "tests",
    "constraints",
    "meta",
    "config",
    "quote",
    "granularity",
}


def test_no_column_description_is_cut_short() -> None:
    """An unquoted comma in a YAML flow mapping ends the description and turns the rest into keys."""
    cut = []
    for path in PROJECT_DIR.rglob("_*.yml"):
        if not path.is_file() or "target" in path.relative_to(PROJECT_DIR).parts:
            continue  # dbt's compiled output (a Dagster run's target/) names directories after YAML files
        document = yaml.safe_load(path.read_text()) or {}
        for kind in ("models", "seeds", "sources"):
            for node in document.get(kind, []):
                for column in node.get("columns", []) if isinstance(node.get("columns"), list) else []:
                    extra = set(column) - COLUMN_KEYS
                    description = str(column.get("description") or "")
                    if extra or description.count("(") != description.count(")"):
                        cut.append(f"{path.name}: {node['name']}.{column['name']}: {description!r} {sorted(extra)}")
    assert not cut


def test_the_metric_catalogue_names_every_metric_and_real_columns(manifest) -> None:
    with open(PROJECT_DIR / "seeds" / "metric_catalogue.csv", newline="") as file:
        catalogue = list(csv.DictReader(file))
    metrics = {metric.name: metric for metric in manifest.metrics.values()}
    parts = {
        part.name
        for metric in metrics.values()
        for part in (metric.type_params.numerator, metric.type_params.denominator)
        if part is not None
    }
    assert {name for name in metrics if name not in parts} <= {row["metric"] for row in catalogue}
    by_name = models(manifest)
    missing = [
        f"{row['mart']}.{row['column_name']}"
        for row in catalogue
        if row["column_name"] not in by_name[row["mart"]].columns
    ]
    assert not missing
    assert {row["aggregation"] for row in catalogue} <= {"sum", "recompute", "never"}


def test_a_new_as_of_time_each_night_leaves_the_parsed_project_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A night that pins its as-of time (STREAMGAUGE_AS_OF) pins a new one each night. dbt reads it
    when a model runs: read while parsing, every model that uses it was parsed again (2 s a build)."""
    for night in ("2026-11-01 00:00:00", "2026-11-02 00:00:00"):
        monkeypatch.setenv("STREAMGAUGE_AS_OF", night)
        dbt(tmp_path / "warehouse.duckdb", tmp_path, "parse")
    log = (tmp_path / "logs" / "dbt.log").read_text()
    assert "Partial parsing enabled: 0 files deleted, 0 files added, 0 files changed." in log
