"""What a night leaves out of `dbt build`: what cannot have changed since the last good night.

orchestration/nightly_selection.py. tests/test_orchestration.py runs two nights of a GitHub-only
organisation through Dagster; tests/test_benchmark.py compares such a night with a full refresh.
"""

import shutil
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from orchestration.nightly_selection import (
    EVERY_NODE,
    LAST_BUILD,
    Tonight,
    leave_out_args,
    nightly_fingerprint,
    plan_tonight,
    record_nightly_build,
)
from orchestration.warehouse import Warehouse


def node(kind: str, name: str, parents: list[str], materialized: str = "view", macros=(), schema="staging") -> dict:
    return {
        "unique_id": f"{kind}.p.{name}",
        "fqn": ["p", name],
        "resource_type": kind,
        "name": name,
        "schema": schema,
        "alias": name,
        "config": {"materialized": materialized if kind == "model" else "test", "schema": schema},
        "depends_on": {"nodes": parents, "macros": list(macros)},
    }


# Two sources, GitHub's loaded and Jenkins' not; a seed; macros that read the clock, two of them in a cycle.
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
        # a dispatch calls back: `day` reads the clock through `day_default`, which calls `day` again
        "macro.p.day": {"depends_on": {"macros": ["macro.p.day_default"]}},
        "macro.p.day_default": {"depends_on": {"macros": ["macro.p.day", "macro.p.age"]}},
        "macro.p.pick": {"depends_on": {"macros": ["macro.p.pick_default"]}},
        "macro.p.pick_default": {"depends_on": {"macros": ["macro.p.pick"]}},
    },
    "nodes": {
        n["unique_id"]: n
        for n in [
            {**node("seed", "teams", [], "seed", schema="seeds"), "config": {"schema": "seeds"}},
            node("model", "stg_github__issues", ["source.p.github.issues"]),
            node("test", "not_null_stg_github__issues_id", ["model.p.stg_github__issues"]),
            # GitHub, as a table: its rows change every night
            node("model", "stg_github__events", ["source.p.github.issues"], "table"),
            # GitHub, reading the clock through a macro that calls itself back: its SQL changes every night
            node("model", "int_github_days", ["model.p.stg_github__issues"], macros=["macro.p.day"]),
            # a view the serving copy reads: never left out
            node("model", "issues", ["model.p.stg_github__issues"], schema="core"),
            # Jenkins, a table
            node("model", "stg_jenkins__builds", ["source.p.jenkins.builds"], "table"),
            node("test", "not_null_stg_jenkins__builds_id", ["model.p.stg_jenkins__builds"]),
            # Jenkins and a seed, through a macro calling itself back: a seed is no source
            node("model", "stg_jenkins__jobs", ["source.p.jenkins.jobs", "seed.p.teams"], macros=["macro.p.pick"]),
            # Jenkins and the clock, of its own and from a model above: built every night
            node("model", "int_jenkins_ages", ["model.p.stg_jenkins__builds"], "table", ["macro.p.age"]),
            node("model", "reporting_days", [], "table", ["macro.p.age"], "intermediate"),
            node("model", "int_jenkins_job_days", ["model.p.stg_jenkins__jobs", "model.p.reporting_days"], "table"),
            # both sources: its rows change with GitHub's
            node("model", "int_runs_unioned", ["model.p.stg_github__issues", "model.p.stg_jenkins__builds"], "table"),
            node("test", "relationships_runs_builds", ["model.p.int_runs_unioned", "model.p.stg_jenkins__builds"]),
        ]
    },
}
# GitHub's unchanged view, and Jenkins' nodes that read no clock, in the order of their ids.
LEFT_OUT = ["p.stg_github__issues", "p.stg_jenkins__builds", "p.stg_jenkins__jobs", "p.not_null_stg_jenkins__builds_id"]
AFTER_A_GOOD_NIGHT = Tonight(last_night_stands=True, left_out=LEFT_OUT)


@pytest.fixture
def warehouse(tmp_path: Path) -> Iterator[Warehouse]:
    """GitHub loaded, Jenkins not; the project's models built."""
    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        con.execute("create schema raw_github; create table raw_github.issues (id int)")
        for model in (n for n in MANIFEST["nodes"].values() if n["resource_type"] == "model"):
            kind = "view" if model["config"]["materialized"] == "view" else "table"
            con.execute(f"create schema if not exists {model['schema']}")
            con.execute(f"create {kind} {model['schema']}.{model['name']} as select 1 as id")
        yield Warehouse("duckdb", con)


def test_a_night_leaves_out_unchanged_views_and_idle_sources_after_a_good_night(warehouse: Warehouse) -> None:
    assert plan_tonight(MANIFEST, warehouse, "v1") == EVERY_NODE, "no nightly build recorded"
    record_nightly_build(MANIFEST, warehouse, "v1")
    assert plan_tonight(MANIFEST, warehouse, "v1") == AFTER_A_GOOD_NIGHT
    assert plan_tonight(MANIFEST, warehouse, "v2") == EVERY_NODE, "the project changed since"

    warehouse.execute("drop view staging.stg_jenkins__jobs")
    assert plan_tonight(MANIFEST, warehouse, "v1") == (True, []), "a model left out is missing: every one is built"
    warehouse.execute("create view staging.stg_jenkins__jobs as select 1 as id")
    assert plan_tonight(MANIFEST, warehouse, "v1") == AFTER_A_GOOD_NIGHT


@pytest.mark.parametrize(
    "change",
    [
        "alter table raw_github.issues add column title varchar",  # a field dlt had not seen before
        "create schema raw_jenkins; create table raw_jenkins.builds (id int)",  # Jenkins' first load
        "drop table raw_github.issues",  # GitHub dropped to be loaded again: its tables hold old rows
    ],
)
def test_raw_tables_that_changed_their_columns_build_every_node(warehouse: Warehouse, change: str) -> None:
    record_nightly_build(MANIFEST, warehouse, "v1")
    warehouse.execute(change)
    assert plan_tonight(MANIFEST, warehouse, "v1") == EVERY_NODE


def test_an_unreadable_record_builds_every_node(warehouse: Warehouse) -> None:
    """E.g. a record left empty, or of an older layout: every node is built, and a good night writes it anew."""
    warehouse.execute(f"create table {Warehouse.quote(*LAST_BUILD)} (project_fingerprint varchar)")
    assert plan_tonight(MANIFEST, warehouse, "v1") == EVERY_NODE
    record_nightly_build(MANIFEST, warehouse, "v1")
    assert plan_tonight(MANIFEST, warehouse, "v1") == AFTER_A_GOOD_NIGHT


def test_a_copy_under_another_name_builds_every_node(warehouse: Warehouse, tmp_path: Path) -> None:
    """DuckDB names a view's tables with the file's name: a copy's views must be made again."""
    record_nightly_build(MANIFEST, warehouse, "v1")
    warehouse.connection.close()
    shutil.copy(tmp_path / "w.duckdb", tmp_path / "copy.duckdb")
    for name, expected in (("copy.duckdb", EVERY_NODE), ("w.duckdb", AFTER_A_GOOD_NIGHT)):
        with duckdb.connect(str(tmp_path / name)) as con:
            assert plan_tonight(MANIFEST, Warehouse("duckdb", con), "v1") == expected, name


def test_leaving_out_selects_the_other_nodes_directly() -> None:
    """dbt's default (eager) would leave out the tests of a model left out too: `empty` leaves out the
    names alone. tests/test_orchestration.py checks that a view's tests still run."""
    assert leave_out_args([]) == []
    assert leave_out_args(["p.a", "p.b"]) == [
        "--indirect-selection", "empty", "--select", "fqn:*", "--exclude", "p.a p.b"
    ]  # fmt: skip


def test_the_fingerprint_follows_the_files_and_the_vars_but_the_as_of_time(tmp_path: Path) -> None:
    (tmp_path / "models").mkdir()
    model = tmp_path / "models" / "a.sql"
    model.write_text("select 1")
    first = nightly_fingerprint(tmp_path)
    assert nightly_fingerprint(tmp_path) == first
    assert nightly_fingerprint(tmp_path, '{as_of: "2026-11-02 00:00:00"}') == first, "as_of is the clock's"
    assert nightly_fingerprint(tmp_path, "{reporting_timezone: Europe/Berlin}") != first
    model.write_text("select 2")
    assert nightly_fingerprint(tmp_path) != first
    model.write_text("select 1")
    model.rename(tmp_path / "models" / "b.sql")
    assert nightly_fingerprint(tmp_path) != first
    (tmp_path / "target").mkdir()  # dbt's output is no part of the project
    (tmp_path / "target" / "manifest.json").write_text("{}")
    (tmp_path / "models" / "b.sql").rename(model)
    assert nightly_fingerprint(tmp_path) == first
