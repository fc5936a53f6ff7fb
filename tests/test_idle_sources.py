"""What a night leaves out of `dbt build`: the nodes of sources with no raw tables, once built.

orchestration/idle_sources.py; tests/test_orchestration.py runs two nights of a GitHub-only organisation.
"""

import shutil
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from orchestration.idle_sources import idle_nodes, nodes_to_skip, project_fingerprint, record_nightly_build
from orchestration.warehouse import Warehouse


def node(kind: str, name: str, parents: list[str], macros: list[str] = (), schema: str = "staging") -> dict:
    return {
        "resource_type": kind,
        "name": name,
        "schema": schema,
        "alias": name,
        "depends_on": {"nodes": parents, "macros": list(macros)},
    }


# Two sources, GitHub's loaded and Jenkins' not; a seed; models and tests over them.
MANIFEST = {
    "sources": {
        "source.p.github.issues": {"schema": "raw_github"},
        "source.p.jenkins.builds": {"schema": "raw_jenkins"},
        "source.p.jenkins.jobs": {"schema": "raw_jenkins"},
    },
    "macros": {
        "macro.streamgauge.as_of": {"depends_on": {"macros": ["macro.streamgauge.refreshed_at"]}},
        "macro.streamgauge.refreshed_at": {"depends_on": {"macros": []}},
        "macro.p.age": {"depends_on": {"macros": ["macro.streamgauge.as_of"]}},
        "macro.p.pick": {"depends_on": {"macros": ["macro.p.pick_default"]}},
        "macro.p.pick_default": {"depends_on": {"macros": ["macro.p.pick"]}},  # a dispatch calls back
    },
    "nodes": {
        "seed.p.teams": {"resource_type": "seed", "name": "teams", "depends_on": {"macros": []}},
        "model.p.stg_github__issues": node("model", "stg_github__issues", ["source.p.github.issues"]),
        "model.p.stg_jenkins__builds": node("model", "stg_jenkins__builds", ["source.p.jenkins.builds"]),
        # Jenkins and a seed: idle, a seed is no source
        "model.p.stg_jenkins__jobs": node(
            "model", "stg_jenkins__jobs", ["source.p.jenkins.jobs", "seed.p.teams"], ["macro.p.pick"]
        ),
        # Jenkins through another model, and the clock through a macro: built every night
        "model.p.int_jenkins_ages": node(
            "model", "int_jenkins_ages", ["model.p.stg_jenkins__builds"], ["macro.p.age"], "intermediate"
        ),
        # Both sources: built every night
        "model.p.int_runs_unioned": node(
            "model", "int_runs_unioned", ["model.p.stg_github__issues", "model.p.stg_jenkins__builds"]
        ),
        # The seed alone reads no raw table: built every night
        "model.p.team_names": node("model", "team_names", ["seed.p.teams"], schema="core"),
        "test.p.not_null_stg_jenkins__builds_id": node(
            "test", "not_null_stg_jenkins__builds_id", ["model.p.stg_jenkins__builds"]
        ),  # fmt: skip
        "test.p.relationships_runs_builds": node(
            "test", "relationships_runs_builds", ["model.p.int_runs_unioned", "model.p.stg_jenkins__builds"]
        ),
    },
}
IDLE = ["not_null_stg_jenkins__builds_id", "stg_jenkins__builds", "stg_jenkins__jobs"]


def test_idle_nodes_read_only_sources_with_no_tables_and_not_the_clock() -> None:
    idle = [n["name"] for n in idle_nodes(MANIFEST, {"raw_github"})]
    assert idle == ["stg_jenkins__builds", "stg_jenkins__jobs", "not_null_stg_jenkins__builds_id"]
    assert idle_nodes(MANIFEST, {"raw_github", "raw_jenkins"}) == []
    # nothing loaded: every node that reads a raw table and not the clock
    assert sorted(n["name"] for n in idle_nodes(MANIFEST, set())) == sorted(
        [*IDLE, "stg_github__issues", "int_runs_unioned", "relationships_runs_builds"]
    )


@pytest.fixture
def warehouse(tmp_path: Path) -> Iterator[Warehouse]:
    """GitHub loaded, Jenkins not; the staging views built."""
    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        con.execute("create schema raw_github; create table raw_github.issues (id int)")
        con.execute("create schema staging")
        for name in ("stg_github__issues", "stg_jenkins__builds", "stg_jenkins__jobs"):
            con.execute(f"create view staging.{name} as select 1 as id")
        yield Warehouse("duckdb", con)


def test_a_night_leaves_idle_nodes_out_only_after_a_recorded_build_of_the_same_project(warehouse: Warehouse) -> None:
    assert nodes_to_skip(MANIFEST, warehouse, "v1") == [], "no nightly build recorded"
    record_nightly_build(warehouse, "v1")
    assert sorted(nodes_to_skip(MANIFEST, warehouse, "v1")) == IDLE
    assert nodes_to_skip(MANIFEST, warehouse, "v2") == [], "the project changed since"

    warehouse.execute("drop view staging.stg_jenkins__jobs")
    assert nodes_to_skip(MANIFEST, warehouse, "v1") == [], "an idle model is missing: every one is built"
    warehouse.execute("create view staging.stg_jenkins__jobs as select 1 as id")
    assert sorted(nodes_to_skip(MANIFEST, warehouse, "v1")) == IDLE

    warehouse.execute("create schema raw_jenkins; create table raw_jenkins._dlt_loads (load_id varchar)")
    assert nodes_to_skip(MANIFEST, warehouse, "v1") == [], "Jenkins' first load: its nodes are built tonight"


def test_the_fingerprint_follows_the_files_and_the_settings(tmp_path: Path) -> None:
    (tmp_path / "models").mkdir()
    model = tmp_path / "models" / "a.sql"
    model.write_text("select 1")
    files = [model]
    first = project_fingerprint(files, tmp_path, "dbt-core 1.11.0")
    assert project_fingerprint(files, tmp_path, "dbt-core 1.11.0") == first
    assert project_fingerprint(files, tmp_path, "dbt-core 1.11.1") != first
    model.write_text("select 2")
    assert project_fingerprint(files, tmp_path, "dbt-core 1.11.0") != first
    model.write_text("select 1")
    model.rename(tmp_path / "models" / "b.sql")
    assert project_fingerprint([tmp_path / "models" / "b.sql"], tmp_path, "dbt-core 1.11.0") != first


def test_a_copy_under_another_name_builds_every_node(warehouse: Warehouse, tmp_path: Path) -> None:
    """DuckDB names a view's tables with the file's name: a copy's views must be made again."""
    record_nightly_build(warehouse, "v1")
    warehouse.connection.close()
    shutil.copy(tmp_path / "w.duckdb", tmp_path / "copy.duckdb")
    for name, expected in (("copy.duckdb", []), ("w.duckdb", IDLE)):
        with duckdb.connect(str(tmp_path / name)) as con:
            assert sorted(nodes_to_skip(MANIFEST, Warehouse("duckdb", con), "v1")) == expected, name
