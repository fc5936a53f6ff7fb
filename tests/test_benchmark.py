"""The benchmarks (benchmarks/run.py, ingestion.py, dbt_overhead.py, nightly_rounds.py) at a small scale,
so they cannot rot.

One run of the real function: raw writer → full dbt build → 1-day delta → incremental
build → floor query → --full-refresh rebuild. Checks the result's shape and numbers, that the
synthetic data is sensible, and that the incremental build leaves every core and mart table
exactly as a full refresh builds it.
"""

from __future__ import annotations

import json
import os

import duckdb
import pytest

from benchmarks import dbt_overhead, ingestion, nightly_rounds, raw_writer, run
from orchestration.nightly_selection import EVERY_NODE, Tonight

ITEMS = 2000


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    return tmp_path_factory.mktemp("bench")


@pytest.fixture(scope="module")
def result(workdir):
    return run.bench_scale(ITEMS, workdir, verify=True, log=lambda _: None)


def test_result_has_every_phase_with_positive_numbers(result):
    assert result["items"] == ITEMS
    phases = ("generate_raw", "full_build", "append_delta", "incremental_build", "floor_query", "publish", "report")
    for phase in phases:
        assert result["phases"][phase]["seconds"] > 0, phase
    for phase in ("full_build", "incremental_build"):
        assert result["phases"][phase]["peak_rss_mib"] > 0, phase
        assert result["phases"][phase]["cpu_seconds"] > 0, phase
        # node seconds per folder of the project, the data tests as one group
        groups = result["phases"][phase]["node_groups"]
        assert groups["data tests"] > 0 and groups["intermediate/work_items"] > 0, groups
    assert result["ratios"]["full_build_to_floor"] > 0
    assert result["ratios"]["incremental_to_full_build"] > 0
    assert result["phases"]["report"]["charts"] > 0 and result["ratios"]["report_to_incremental_build"] > 0
    for layer in ("raw", "staging", "intermediate", "core", "marts"):
        assert result["layers"][layer]["rows"] > 0, layer
    assert result["full_build_top_nodes"] and result["incremental_build_top_nodes"]
    json.dumps(result)  # what --json writes


def test_synthetic_org_is_sensible(result):
    counts = result["counts"]
    assert counts["work_items"] == ITEMS == result["floor_rows"]
    assert 0.5 * ITEMS < counts["work_items_completed"] < ITEMS
    assert counts["work_item_transitions"] > 4 * ITEMS
    assert counts["pull_requests"] > 0.2 * ITEMS
    assert counts["deployments"] > 0
    assert 0 < result["delta"]["pct_raw_rows"] < 5
    assert result["delta"]["new_items"] > 0


def test_incremental_build_equals_full_refresh(result):
    assert result["verify"]["tables"] > 40, "every core and mart table"
    assert result["verify"]["differing"] == {}


def test_the_night_after_leaves_out_what_cannot_have_changed(result):
    """orchestration/nightly_selection.py. The writer loads Jira, GitHub and GitLab, and the night's
    delta adds no column. So the night after the first build leaves out the 67 of the project's 77
    views that do not read the clock (Jenkins', Linear's and PagerDuty's 14 staging models among
    them) and those three sources' 22 data tests: a not_null on each staging model's key, and 1, 4
    and 3 keys of their raw tables. Its tables are still those of a full refresh
    (test_incremental_build_equals_full_refresh)."""
    assert result["phases"]["full_build"]["skipped_nodes"] == 0
    assert result["phases"]["incremental_build"]["skipped_nodes"] == 67 + 22
    idle = {"staging/jenkins", "staging/linear", "staging/pagerduty"}
    assert idle <= set(result["phases"]["full_build"]["node_groups"])
    assert not idle & set(result["phases"]["incremental_build"]["node_groups"])


def test_every_node_leaves_nothing_out(result, workdir, monkeypatch):
    """--every-node: a night as a version of the project from before the nightly selection ran."""
    built = []
    monkeypatch.setattr(run, "run_dbt", lambda db, workdir, *args, **settings: built.append((args, settings)) or {})
    monkeypatch.setattr(run, "record_nightly_build", lambda *args: None)
    after_a_good_night = Tonight(last_night_stands=True, left_out=["streamgauge.staging.jenkins.stg_jenkins__builds"])
    monkeypatch.setattr(run, "plan_tonight", lambda *args: after_a_good_night)
    run.run_nightly(workdir / "bench.duckdb", workdir)
    monkeypatch.setenv("STREAMGAUGE_BENCH_EVERY_NODE", "1")
    run.run_nightly(workdir / "bench.duckdb", workdir)
    monkeypatch.setattr(run, "plan_tonight", lambda *args: EVERY_NODE)
    run.run_nightly(workdir / "bench.duckdb", workdir)
    assert "--exclude" in built[0][0] and built[1][0] == run.NIGHTLY_BUILD
    # as the nightly job: the chain's tests read the items a night rewrites after a good one
    assert [settings["data_tests"] for _, settings in built] == ["rewritten", "rewritten", "every_row"]


def test_dbt_overhead_builds_the_project_graph_doing_no_work(result, workdir, tmp_path):
    """benchmarks/dbt_overhead.py: a node per model, seed and data test of the project, each built after its parents."""
    manifest = json.loads((workdir / "target" / "manifest.json").read_text())
    project = tmp_path / "overhead"
    nodes = dbt_overhead.write_project(manifest, project)
    kinds = [n["resource_type"] for n in manifest["nodes"].values()]
    assert nodes == sum(kinds.count(kind) for kind in dbt_overhead.KINDS) > 350
    wall, cpu = dbt_overhead.timed_build(project)
    assert wall > 0 and cpu > 0
    models = {n["name"] for n in manifest["nodes"].values() if n["resource_type"] == "model"}
    with duckdb.connect(str(project / "overhead.duckdb"), read_only=True) as db:
        built = {name for (name,) in db.execute("select table_name from information_schema.tables").fetchall()}
    assert models <= built
    results = json.loads((project / "target" / "run_results.json").read_text())["results"]
    assert len(results) == nodes and {r["status"] for r in results} == {"success", "pass"}


def test_nightly_rounds_interleave_the_versions_on_fresh_copies(tmp_path, monkeypatch):
    """benchmarks/nightly_rounds.py: each version's full build as of the night before the delta,
    then round after round each version in turn (the order reversed every other round), on a
    fresh copy of its own kept warehouse with the delta appended, with its own project. The builds
    are recorded, not run (the bench fixture runs the real ones); a full build leaves a mark of
    its version in the warehouse, which every night of that version must find."""
    versions = {}
    for label in ("before", "after"):
        versions[label] = tmp_path / label
        versions[label].mkdir()
        (versions[label] / "dbt_project.yml").write_text("name: streamgauge\n")
    builds = []

    def record(db, workdir, as_of=run.AS_OF):
        project = run.bench_project_dir().name
        with duckdb.connect(str(db)) as con:
            if as_of != run.AS_OF:  # the full build
                con.execute(f"create table main.built_by as select '{project}' as project")
            built_by = con.execute("select project from main.built_by").fetchone()[0]
        raw_rows = sum(raw_writer.table_counts(str(db), ("raw_jira", "raw_github", "raw_gitlab")).values())
        builds.append((project, workdir.name, db.parent.name, as_of, built_by, raw_rows))
        return {"seconds": {"before": 10.0, "after": 8.0}[project] + len(builds), "cpu_seconds": 1.0,
                "peak_rss_mib": 1.0, "skipped_nodes": 89}  # fmt: skip

    monkeypatch.setattr(run, "run_nightly", record)
    monkeypatch.delenv("STREAMGAUGE_BENCH_PROJECT_DIR", raising=False)
    out = tmp_path / "rounds.json"
    args = [f"--project-dir={label}={path}" for label, path in versions.items()]
    assert nightly_rounds.main([*args, "--scale", "300", "--rounds", "2", "--workdir", str(tmp_path / "w"),
                                "--json", str(out)]) == 0  # fmt: skip
    cutoff = nightly_rounds.CUTOFF.strftime("%Y-%m-%d %H:%M:%S")
    nights = ["before", "after", "after", "before", "before", "after"]
    assert [build[:4] for build in builds] == [
        ("before", "before", "kept", cutoff), ("after", "after", "kept", cutoff),
        *[(label, label, "night", run.AS_OF) for label in nights],
    ]  # fmt: skip
    assert all(project == built_by for project, *_, built_by, _ in builds), "each night on its own version's warehouse"
    kept_rows, night_rows = builds[0][5], {rows for *_, rows in builds[2:]}
    assert len(night_rows) == 1 and night_rows.pop() > kept_rows, "every night: the same delta on a fresh copy"
    assert "STREAMGAUGE_BENCH_PROJECT_DIR" not in os.environ
    summary = json.loads(out.read_text())["summary"]
    # counted rounds (round 0 left out): before 10+6, 10+7 and after 8+5, 8+8: 3 and 1 s faster
    assert summary["before"] == {"rounds": 2, "wall_median": 16.5, "wall_mean": 16.5, "cpu_median": 1.0,
                                 "cpu_mean": 1.0, "paired_gain_median": 0.0, "faster_rounds": 0,
                                 "skipped_nodes": 89}  # fmt: skip
    assert summary["after"]["wall_median"] == 14.5 and summary["after"]["paired_gain_median"] == 2.0
    assert summary["after"]["faster_rounds"] == 2


def test_table_lists_the_scale(result):
    table = run.format_table([result])
    assert str(ITEMS) in table and "full/floor" in table


def test_no_unmapped_statuses(tmp_path):
    """Every raw status the writer produces is mapped by the status_stage_map seed."""
    seeds = run.PROJECT_DIR / "seeds" / "status_stage_map.csv"
    with duckdb.connect() as con:
        mapped = {
            (s, r.lower())
            for s, r in con.execute(f"select source_system, raw_status from read_csv('{seeds}')").fetchall()
        }
    for status in raw_writer.JIRA:
        assert ("jira", status.lower()) in mapped, status
    for status in filter(None, raw_writer.GITHUB):
        assert ("github", status.lower()) in mapped, status
    for status in filter(None, raw_writer.GITLAB):
        assert ("gitlab", status.lower()) in mapped, status


def test_ingestion_benchmark_times_every_dlt_step(tmp_path):
    """benchmarks/ingestion.py at a small scale: every source loads, each dlt step is timed, and
    the nightly load makes a small fraction of the full load's requests."""
    result = ingestion.bench_ingestion(20, tmp_path)
    full, nightly = result["full"], result["incremental"]
    sources = {"github", "jira", "gitlab", "pagerduty", "jenkins", "linear"}
    assert set(full["sources"]) == set(nightly["sources"]) == sources
    for name, source in full["sources"].items():
        assert source["rows"] > 0 and source["requests"] > 0, name
        assert all(source["step_seconds"][step] > 0 for step in ("extract", "normalize", "load")), name
    assert 0 < nightly["requests"] < full["requests"] / 5
    assert nightly["rows"] < full["rows"]
    assert result["loader_file_format"] == "parquet"
    assert full["load_cpu_seconds"] > 0 and full["simulator_cpu_seconds"] > 0  # the simulator answers elsewhere
    assert "extract" in ingestion.format_result(result) and "in the simulator's" in ingestion.format_result(result)
