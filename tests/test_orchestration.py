"""The Dagster definitions end to end: real sources against the simulator, the real dbt project, real checks.

The session's refresh (sources → dbt → checks → serving copy, conftest's `refreshed`) is shared
by the tests that only read its outcome or work on a copy of its warehouse; the rest build what
they need.
"""

import copy
import os
import shutil
import subprocess
import sys
from pathlib import Path

import dagster as dg
import dlt
import duckdb
import pytest
from conftest import Refreshed, configure, load_source, published_run

from benchmarks.compare import compare
from orchestration.definitions import build_definitions
from orchestration.defs import ingestion
from orchestration.defs.ingestion import SOURCES_AT_ONCE
from orchestration.defs.quality import dbt_models
from orchestration.defs.transform import DBT_EXECUTABLE, dbt_project, load_manifest
from orchestration.nightly_selection import nightly_fingerprint, plan_tonight
from orchestration.refresh import Refresh, refresh
from orchestration.schedules import nightly_schedule, partial_load
from orchestration.source_runs import load_sources
from orchestration.warehouse import Warehouse
from simulator.model import Org
from simulator.server import SERVER_ERROR, Fault, Simulator

SERVING = dg.AssetKey("serving_copy")
REPOSITORY = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.usefixtures("dbt_target")


def relations(path: Path, schemas: tuple[str, ...]) -> set[str]:
    with duckdb.connect(str(path), read_only=True) as db:
        rows = db.execute(
            "select table_schema || '.' || table_name from information_schema.tables "
            "where list_contains(?, table_schema)",
            [list(schemas)],
        ).fetchall()
    return {r[0] for r in rows}


def materialized(night: Refresh) -> set[str]:
    """The names of the assets a night's runs materialized."""
    return {e.asset_key.path[-1] for result in night.results for e in result.get_asset_materialization_events()}


def checked(night: Refresh) -> set[str]:
    """The names of the assets whose checks a night's runs evaluated."""
    return {e.asset_key.path[-1] for result in night.results for e in result.get_asset_check_evaluations()}


def copy_warehouse(refreshed: Refreshed, root: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """The refreshed warehouse and serving copy, copied under `root` and made current."""
    warehouse, serving = root / "warehouse.duckdb", root / "serving" / "serving.duckdb"
    serving.parent.mkdir(parents=True)
    shutil.copy(refreshed.root / "warehouse.duckdb", warehouse)
    shutil.copytree(refreshed.root / ".dlt_pipelines", root / ".dlt_pipelines")
    shutil.copy(refreshed.root / "serving" / "serving.duckdb", serving)
    monkeypatch.setenv("STREAMGAUGE_DUCKDB", str(warehouse))
    monkeypatch.setenv("STREAMGAUGE_SERVING_DUCKDB", str(serving))
    return warehouse, serving


# ---------------------------------------------------------------------- definitions
def test_definitions_load_validate_and_form_one_graph(
    simulator: Simulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    configure(monkeypatch, simulator, tmp_path)
    # The small organisation plans nothing in Linear; building the definitions sends no request.
    monkeypatch.setenv("SOURCES__LINEAR__TEAMS", '["GRO"]')
    monkeypatch.setenv("SOURCES__LINEAR__API_KEY", simulator.credentials.linear_token)
    monkeypatch.setenv("SOURCES__LINEAR__BASE_URL", simulator.base_url("linear"))
    defs = build_definitions()
    dg.Definitions.validate_loadable(defs)
    # Nor does it touch a pipeline's folder: every step of a run builds them while a source loads.
    assert not (tmp_path / ".dlt_pipelines").exists()

    graph = defs.resolve_asset_graph()
    manifest = load_manifest(dbt_project().manifest_path)
    # Every raw table a dbt model reads is a dlt asset: lineage runs unbroken from API to mart.
    staging = [
        node
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and node["config"].get("schema") == "staging"
    ]
    for node in staging:
        for parent in graph.get(dg.AssetKey(["staging", node["name"]])).parent_keys:
            assert graph.get(parent).is_materializable, f"{node['name']} reads {parent.to_user_string()}, not loaded"
    assert (
        dg.AssetKey(["github", "deployments"])
        in graph.get(dg.AssetKey(["staging", "stg_github__deployment_statuses"])).parent_keys
    )
    # The serving copy waits for every core and mart table.
    core_and_marts = {m.key for m in dbt_models(manifest) if m.schema in ("core", "marts")}
    assert core_and_marts and core_and_marts <= graph.get(SERVING).parent_keys
    checks = {key.name for key in graph.asset_check_keys if key.asset_key.path[0] == "core"}
    assert {"not_empty", "work_items_exist", "durations_possible", "unmapped_status_share"} <= checks


def test_unconfigured_source_is_absent(simulator: Simulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    configure(monkeypatch, simulator, tmp_path, only={"jira"})
    graph = build_definitions().resolve_asset_graph()
    loaded = {key.path[0] for key in graph.materializable_asset_keys if len(key.path) == 2}
    assert "jira" in loaded and not {"github", "gitlab"} & loaded
    # dbt still reads the unconfigured sources' tables: they are there, with nothing upstream.
    assert dg.AssetKey(["github", "issues"]) in graph.get(dg.AssetKey(["staging", "stg_github__issues"])).parent_keys
    assert not graph.get(dg.AssetKey(["github", "issues"])).is_materializable
    assert not any(
        key.asset_key.path[0] == "github" and key.name == "loaded_recently" for key in graph.asset_check_keys
    )


def test_partly_configured_source_fails_with_the_setting_to_fix(
    simulator: Simulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    configure(monkeypatch, simulator, tmp_path, only={"jira"})
    monkeypatch.setenv("SOURCES__GITLAB__ACCESS_TOKEN", "glpat-secret-value")
    defs = build_definitions()
    settings = dg.AssetKey(["gitlab", "settings"])
    result = defs.resolve_implicit_global_asset_job_def().execute_in_process(
        asset_selection=[settings], raise_on_error=False
    )
    (failure,) = result.get_step_failure_events()
    line = failure.step_failure_data.user_failure_data.description
    assert "missing setting projects" in line and "SOURCES__GITLAB__PROJECTS" in line
    assert "glpat-secret-value" not in line


def test_schedule_follows_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in [n for n in os.environ if n.startswith("SOURCES__")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("STREAMGAUGE_SCHEDULE_CRON", "30 3 * * 1-5")
    monkeypatch.setenv("STREAMGAUGE_SCHEDULE_TIMEZONE", "Europe/Berlin")
    monkeypatch.setenv("STREAMGAUGE_WEEKLY_CHECKS_CRON", "0 12 * * 6")
    defs = build_definitions()
    schedule = defs.resolve_schedule_def("nightly")
    assert (schedule.cron_schedule, schedule.execution_timezone) == ("30 3 * * 1-5", "Europe/Berlin")
    assert schedule.job_name == "nightly_refresh"
    weekly = defs.resolve_schedule_def("weekly_checks")
    assert (weekly.cron_schedule, weekly.execution_timezone) == ("0 12 * * 6", "Europe/Berlin")

    job = dg.define_asset_job("nightly_refresh")
    monkeypatch.delenv("STREAMGAUGE_SCHEDULE_CRON")
    monkeypatch.delenv("STREAMGAUGE_SCHEDULE_TIMEZONE")
    default = nightly_schedule(job)
    assert (default.cron_schedule, default.execution_timezone) == ("0 2 * * *", "UTC")


# ---------------------------------------------------------------------- the nightly refresh
def test_nightly_refresh_builds_checks_and_publishes(refreshed: Refreshed) -> None:
    outcome = refreshed.outcome
    assert [r.success for r in outcome.results] == [True], outcome.failures
    assert [(s.source, s.ok) for s in outcome.sources] == [
        ("github", True), ("gitlab", True), ("jenkins", True), ("jira", True), ("pagerduty", True)
    ]  # fmt: skip
    main_table = {"pagerduty": "incidents", "jenkins": "builds"}  # every other source's is issues
    assert all(s.requests > 0 and s.rows.get(main_table.get(s.source, "issues"), 0) > 0 for s in outcome.sources)

    evaluations = outcome.results[0].get_asset_check_evaluations()
    assert {e.check_name for e in evaluations} >= {"not_empty", "work_items_exist", "loaded_recently"}
    assert not outcome.warnings, outcome.warnings  # every check, dbt tests included, passed

    warehouse = refreshed.root / "warehouse.duckdb"
    with duckdb.connect(str(warehouse), read_only=True) as db:
        for table in ("work_items", "work_item_transitions", "work_item_stage_intervals"):
            assert db.execute(f"select count(*) from core.{table}").fetchone()[0] > 0

    serving = refreshed.root / "serving" / "serving.duckdb"
    assert outcome.published
    built = relations(warehouse, ("core", "marts"))
    assert {r.split(".")[0] for r in built} == {"core", "marts"}
    assert relations(serving, ("core", "marts")) == built
    assert not relations(serving, ("raw_github", "staging", "intermediate"))
    assert published_run(serving) == outcome.results[0].run_id
    with duckdb.connect(str(serving), read_only=True) as db:
        recorded = db.execute("select count(*), count(*) filter (where not passed) from main.quality_checks").fetchone()
    assert recorded == (len(evaluations), 0)
    # The report follows the copy, beside it (tests/test_report.py opens one in Chromium).
    assert outcome.reported and (serving.parent / "report.html").stat().st_size > 500_000


def tile_test_sql() -> str:
    """The chain's costliest data test as the last dbt run of the definitions compiled it."""
    (path,) = (dbt_project().target_path / "run" / "run").rglob("intervals_tile_life_*.sql")
    return path.read_text()


def test_the_weekly_checks_run_every_test_over_every_row_and_build_nothing(
    refreshed: Refreshed, session_simulator: Simulator, small_org: Org, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`check_every_row` runs every dbt test and check of the dbt assets over every row, builds nothing,
    and leaves the last good night standing."""
    shutil.copy(refreshed.root / "warehouse.duckdb", tmp_path / "warehouse.duckdb")
    configure(monkeypatch, session_simulator, tmp_path, as_of=small_org.end)
    defs = build_definitions()
    schedule = defs.resolve_schedule_def("weekly_checks")
    assert (schedule.job_name, schedule.cron_schedule) == ("check_every_row", "0 8 * * 0")

    with dg.DagsterInstance.ephemeral() as instance:
        result = defs.resolve_job_def("check_every_row").execute_in_process(instance=instance, raise_on_error=False)
    assert result.success
    assert not result.get_asset_materialization_events()
    evaluations = result.get_asset_check_evaluations()
    assert evaluations and all(e.passed for e in evaluations)
    names = {e.check_name for e in evaluations}
    assert {"intervals_tile_life_work_item_stage_intervals_ref_work_items_", "work_items_exist"} <= names
    assert "rebuilt_at" not in tile_test_sql() and "where 1 = 1" in tile_test_sql()
    # It built nothing, so the good night still stands: the next leaves nodes out and tests what it rewrites.
    assert "main.last_nightly_build" in relations(tmp_path / "warehouse.duckdb", ("main",))


def test_the_scheduled_job_loads_sources_side_by_side_and_publishes_what_one_process_does(
    refreshed: Refreshed, session_simulator: Simulator, small_org: Org, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`nightly_refresh` executed as the daemon's run worker executes it (`dagster job execute`): each step
    in a process of its own, sources side by side, each taking its turns in the warehouse."""
    configure(monkeypatch, session_simulator, tmp_path, as_of=small_org.end)
    home = tmp_path / "dagster"
    home.mkdir()
    shutil.copy(REPOSITORY / "orchestration" / "dagster.yaml", home)
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    command = [sys.executable, "-m", "dagster", "job", "execute", "-m", "orchestration.definitions"]
    ran = subprocess.run(
        [*command, "-j", "nightly_refresh"], cwd=REPOSITORY, capture_output=True, text=True, timeout=900
    )
    assert ran.returncode == 0, ran.stdout[-3000:] + ran.stderr[-3000:]

    with dg.DagsterInstance.from_config(str(home)) as instance:
        (run,) = instance.get_runs()
        assert run.status == dg.DagsterRunStatus.SUCCESS
        events = instance.all_logs(run.run_id)
    started = {e.step_key: (e.timestamp, e.dagster_event.pid) for e in events if e.dagster_event_type == "STEP_START"}
    ended = {e.step_key: e.timestamp for e in events if e.dagster_event_type == "STEP_SUCCESS"}
    loads = sorted((started[step][0], ended[step]) for step in started if step.startswith("load_"))
    assert len(loads) == 5 and len({pid for _, pid in started.values()}) == len(started)
    assert any(later[0] < earlier[1] for earlier, later in zip(loads, loads[1:], strict=False))  # side by side
    tables = compare(refreshed.root / "warehouse.duckdb", tmp_path / "warehouse.duckdb", ["core", "marts"])
    assert tables and [t for t in tables if t[3] or None in t] == []
    assert published_run(tmp_path / "serving" / "serving.duckdb") == run.run_id


READER = """
import sys, duckdb
db = duckdb.connect(sys.argv[1], read_only=True)
for line in sys.stdin:
    print(db.execute("select count(*) from core.work_items").fetchone()[0], flush=True)
"""


def test_publish_while_a_bi_tool_holds_the_serving_copy(
    refreshed: Refreshed, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, serving = copy_warehouse(refreshed, tmp_path, monkeypatch)
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(serving)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        reader.stdin.write("count\n")
        reader.stdin.flush()
        before = reader.stdout.readline()
        result = refreshed.defs.resolve_implicit_global_asset_job_def().execute_in_process(asset_selection=[SERVING])
        assert result.success
        assert published_run(serving) == result.run_id  # the new copy is in place
        reader.stdin.write("count\n")
        reader.stdin.flush()
        assert reader.stdout.readline() == before  # and the reader still reads the one it opened
    finally:
        reader.kill()
        reader.wait()


def test_failed_blocking_check_keeps_yesterdays_serving_copy(
    refreshed: Refreshed, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    warehouse, serving = copy_warehouse(refreshed, tmp_path, monkeypatch)
    yesterday = serving.read_bytes()
    with duckdb.connect(str(warehouse)) as db:  # an item vanishes but its transitions stay
        db.execute(
            "delete from intermediate.int_work_items_enriched where work_item_id = "
            "(select min(work_item_id) from core.work_item_transitions)"
        )
    ours = {"not_empty", "work_items_exist", "durations_possible", "lifecycle_in_order", "unmapped_status_share"}
    checks = [key for key in refreshed.defs.resolve_asset_graph().asset_check_keys if key.name in ours]
    checks_then_publish = dg.AssetSelection.checks(*checks) | dg.AssetSelection.assets(SERVING)
    defs = dg.Definitions.merge(
        refreshed.defs, dg.Definitions(jobs=[dg.define_asset_job("check_and_publish", checks_then_publish)])
    )
    with dg.DagsterInstance.ephemeral() as instance:
        result = defs.resolve_job_def("check_and_publish").execute_in_process(instance=instance, raise_on_error=False)
        failed = {(e.asset_key.path[-1], e.check_name) for e in result.get_asset_check_evaluations() if not e.passed}
        assert ("work_item_transitions", "work_items_exist") in failed
        assert SERVING not in {e.asset_key for e in result.get_asset_materialization_events()}
        assert serving.read_bytes() == yesterday

        # Published on its own, the copy still refuses: the blocking check has not passed since.
        alone = refreshed.defs.resolve_implicit_global_asset_job_def().execute_in_process(
            asset_selection=[SERVING], instance=instance, raise_on_error=False
        )
    (failure,) = alone.get_step_failure_events()
    assert "not published" in failure.step_failure_data.user_failure_data.description
    assert serving.read_bytes() == yesterday


def test_dbt_test_failure_keeps_yesterdays_serving_copy(
    refreshed: Refreshed, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    warehouse, serving = copy_warehouse(refreshed, tmp_path, monkeypatch)
    yesterday = serving.read_bytes()
    with duckdb.connect(str(warehouse)) as db:  # a raw issue loaded twice: dbt's tests catch it
        db.execute("insert into raw_jira.issues select * from raw_jira.issues limit 1")
    result = refreshed.defs.resolve_job_def("build_and_publish").execute_in_process(raise_on_error=False)
    assert not result.success
    (failure,) = result.get_step_failure_events()
    assert failure.step_key == "dbt_build"
    assert failure.step_failure_data.user_failure_data.description.startswith("dbt build failed:")
    assert SERVING not in {e.asset_key for e in result.get_asset_materialization_events()}
    assert serving.read_bytes() == yesterday


# ---------------------------------------------------------------------- how a source loads
def raw_rows(path: Path, schema: str) -> dict[str, list[str]]:
    """Each table of `schema` but dlt's own: its rows sorted, without dlt's columns (their ids are random)."""
    with duckdb.connect(str(path), read_only=True) as db:
        columns = db.execute(
            "select table_name, list(column_name order by column_name) from information_schema.columns "
            "where table_schema = ? and not starts_with(table_name, '_dlt') and not starts_with(column_name, '_dlt') "
            "group by table_name",
            [schema],
        ).fetchall()
        quoted = {table: ", ".join(f'"{name}"' for name in names) for table, names in columns}
        return {
            table: sorted(map(str, db.execute(f'select {quoted[table]} from {schema}."{table}"').fetchall()))
            for table in quoted
        }


def test_a_large_extract_is_normalized_in_two_processes_into_the_same_rows(
    simulator: Simulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    chosen = []
    normalize = dlt.Pipeline.normalize
    monkeypatch.setattr(
        dlt.Pipeline, "normalize", lambda self, workers=1: chosen.append(workers) or normalize(self, workers)
    )
    one, two = tmp_path / "one.duckdb", tmp_path / "two.duckdb"
    assert load_source(simulator, "github", one).ok
    monkeypatch.setattr(ingestion, "PARALLEL_NORMALIZE_BYTES", 1)  # any extract is large
    assert load_source(simulator, "github", two).ok
    assert chosen == [1, 2]
    rows = raw_rows(one, "raw_github")
    assert {"issues", "pull_requests", "issue_events"} <= set(rows)
    assert rows == raw_rows(two, "raw_github")


def test_sources_side_by_side_load_the_rows_they_load_one_after_another(
    simulator: Simulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As the scheduled job runs them: each source's step in a process of its own, taking turns in the warehouse."""
    sources, loaded = ("github", "gitlab", "jenkins", "jira", "pagerduty"), {}
    for way, at_once in (("one_after_another", 1), ("side_by_side", SOURCES_AT_ONCE)):
        configure(monkeypatch, simulator, tmp_path / way)
        runs = load_sources(at_once=at_once)
        assert [(r.source, r.error) for r in runs] == [(source, None) for source in sources]
        path = tmp_path / way / "warehouse.duckdb"
        loaded[way] = [r.rows for r in runs], [raw_rows(path, f"raw_{source}") for source in sources]
    assert loaded["side_by_side"] == loaded["one_after_another"]
    assert all(loaded["side_by_side"][1])  # every source stored rows


def test_a_selection_of_a_sources_assets_loads_only_their_tables(
    simulator: Simulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    configure(monkeypatch, simulator, tmp_path, only={"jira"})
    defs = build_definitions()
    issues = dg.AssetKey(["jira", "issues"])
    job = dg.define_asset_job("issues_only", dg.AssetSelection.assets(issues).without_checks())
    result = dg.Definitions.merge(defs, dg.Definitions(jobs=[job])).resolve_job_def("issues_only").execute_in_process()
    assert {e.asset_key for e in result.get_asset_materialization_events()} == {issues}
    loaded = set(raw_rows(Path(os.environ["STREAMGAUGE_DUCKDB"]), "raw_jira"))
    assert loaded and all(table == "issues" or table.startswith("issues__") for table in loaded), loaded


# ---------------------------------------------------------------------- failing sources
def test_a_failing_source_does_not_stop_the_others(
    simulator: Simulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    configure(monkeypatch, simulator, tmp_path)
    monkeypatch.setenv("SOURCES__GITHUB__ACCESS_TOKEN", "ghp_revoked_token")
    defs = build_definitions()
    with dg.DagsterInstance.ephemeral() as instance:
        result = defs.resolve_job_def("nightly_refresh").execute_in_process(instance=instance, raise_on_error=False)
        (failure,) = result.get_step_failure_events()
        line = failure.step_failure_data.user_failure_data.description
        assert failure.step_key == "load_github" and "\n" not in line
        assert "SOURCES__GITHUB__ACCESS_TOKEN" in line and "ghp_revoked_token" not in line
        assert result.retry_attempts_for_node("load_github") == 0  # a rejected token stays rejected
        loaded = {e.asset_key.path[0] for e in result.get_asset_materialization_events()}
        assert loaded == {"jira", "gitlab", "pagerduty", "jenkins"}
        assert "dbt_build" not in {e.step_key for e in result.get_step_success_events()}  # waits for all
        # What the sensor (and `make refresh`) decide on: build and publish what did load.
        assert partial_load(
            instance, result.run_id, {"load_github", "load_jira", "load_gitlab", "load_pagerduty", "load_jenkins"}
        )


def test_a_source_whose_api_keeps_failing_is_retried(
    simulator: Simulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    configure(monkeypatch, simulator, tmp_path, only={"jira"})
    # Every one of the client's six tries of one request fails: the load fails, and Dagster retries it.
    simulator.inject(Fault("jira:/rest/api/3/myself", SERVER_ERROR, times=6, retry_after=0))
    jira = dg.AssetSelection.groups("jira").without_checks()
    defs = dg.Definitions.merge(build_definitions(), dg.Definitions(jobs=[dg.define_asset_job("load_jira", jira)]))
    result = defs.resolve_job_def("load_jira").execute_in_process()
    assert result.success
    assert result.retry_attempts_for_node("load_jira") == 1


def test_stale_source_and_unmapped_statuses_warn_without_blocking(
    refreshed: Refreshed, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    warehouse, serving = copy_warehouse(refreshed, tmp_path, monkeypatch)
    with duckdb.connect(str(warehouse)) as db:
        db.execute("update raw_jira._dlt_loads set inserted_at = inserted_at - interval 3 day")
        # A status no seed row or fallback maps, on a few transitions.
        db.execute(
            "create or replace table intermediate.int_status_stage_mapping as "
            "select distinct t.source_system, i.project_key, t.to_status_raw as status_raw, 'unmapped' as stage, "
            "'unmapped' as mapping_method from core.work_item_transitions t join core.work_items i using (work_item_id)"
            " where t.to_status_raw = (select mode(to_status_raw) from core.work_item_transitions)"
        )
        status = db.execute("select mode(to_status_raw) from core.work_item_transitions").fetchone()[0]
    graph = refreshed.defs.resolve_asset_graph()
    checks = [k for k in graph.asset_check_keys if k.name in ("loaded_recently", "unmapped_status_share")]
    selection = dg.AssetSelection.checks(*checks) | dg.AssetSelection.assets(SERVING)
    defs = dg.Definitions.merge(refreshed.defs, dg.Definitions(jobs=[dg.define_asset_job("warn", selection)]))
    result = defs.resolve_job_def("warn").execute_in_process()

    failed = {(e.asset_key.path[0], e.check_name): e for e in result.get_asset_check_evaluations() if not e.passed}
    assert {source for source, check in failed if check == "loaded_recently"} == {"jira"}
    unmapped = failed[("core", "unmapped_status_share")]
    assert unmapped.severity == dg.AssetCheckSeverity.WARN and unmapped.metadata["share"].value > 0.01
    assert f"| {status} |" in unmapped.metadata["unmapped_statuses"].value
    assert published_run(serving) == result.run_id  # warnings never hold the copy back
    with duckdb.connect(str(serving), read_only=True) as db:  # and the copy says what warned, for the report
        kept = db.execute(
            "select asset, metadata->'statuses'->0->>'status' from main.quality_checks where not passed order by 1"
        ).fetchall()
    assert ("core/work_item_transitions", status) in kept and ("jira/issues", None) in kept


def test_a_github_only_organisation_whose_prs_name_no_work_item_publishes(
    small_org: Org, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An empty table that can rightly be empty warns; it does not keep the night from publishing."""
    org = copy.deepcopy(small_org)
    for number, pull_request in enumerate(org.pull_requests):
        pull_request.title, pull_request.body, pull_request.head_branch = f"Change {number}", "", f"change-{number}"
    with Simulator(org) as sim, dg.DagsterInstance.ephemeral() as instance:
        configure(monkeypatch, sim, tmp_path, only={"github"})
        defs = build_definitions()
        outcome = refresh(defs, instance)
        assert outcome.published, outcome.failures
        assert "where 1 = 1" in tile_test_sql(), "the first night tests every row"
        assert any(line.startswith("core/pull_request_work_items ") for line in outcome.warnings["not_empty"])
        with duckdb.connect(str(tmp_path / "serving" / "serving.duckdb"), read_only=True) as db:
            assert db.execute("select count(*) from core.pull_requests").fetchone()[0] > 0
            assert db.execute("select count(*) from core.pull_request_work_items").fetchone()[0] == 0

        # The next night leaves out what cannot have changed (orchestration/nightly_selection.py): the
        # staging of the five sources with no raw tables, with its tests, and the views that do not read
        # the clock, whose tests still run. It publishes as before.
        second = refresh(defs, instance)
    assert second.published, second.failures
    assert "rebuilt_at" in tile_test_sql(), "after a good night, the items it rewrites (macros/rewritten_items.sql)"
    manifest = load_manifest(dbt_project().manifest_path)
    nodes = manifest["nodes"].values()
    models = {n["name"] for n in nodes if n["resource_type"] == "model"}
    others = {
        m
        for m in models
        if m.split("__")[0] in ("stg_jira", "stg_gitlab", "stg_jenkins", "stg_linear", "stg_pagerduty")
    }
    views = {n["name"] for n in nodes if n["resource_type"] == "model" and n["config"]["materialized"] == "view"}
    clocked = {  # the views whose SQL reads the as-of time (as_of())
        "int_assignee_changes_unioned", "int_events_after_as_of", "int_team_changes_unioned", "int_dora_window_tiered",
        "int_reporting_days", "work_item_transitions", "work_item_blocked_intervals", "work_items",
        "work_item_stage_intervals", "flow_stage_time",
    }  # fmt: skip
    built = [materialized(night) & models for night in (outcome, second)]
    assert others <= built[0] and built[0] - built[1] == others | (views - clocked)
    left_out = {
        e.asset_key.path[-1]
        for result in second.results
        for e in result.get_asset_observation_events()
        if "left out" in e.asset_observation_data.asset_observation.metadata
    }
    assert left_out == others | (views - clocked), "each asset left out says so on its page"
    tested = [checked(night) for night in (outcome, second)]
    assert tested[0] & others and not tested[1] & others, "the tests of the sources with no raw tables left out"
    assert {"stg_github__issues", "stg_github__pull_requests"} <= tested[1], "the tests of views left out still run"

    # A dbt command that builds forgets the nightly build: the night after builds every node again.
    # One that only tests changes nothing.
    warehouse = tmp_path / "warehouse.duckdb"
    project = str(REPOSITORY / "dbt_project")
    for command in ("test", "run"):  # the record stands until `run`
        assert "main.last_nightly_build" in relations(warehouse, ("main",))
        subprocess.run(
            [DBT_EXECUTABLE, command, "--select", "stg_github__issues", "--project-dir", project, "--profiles-dir",
             project, "--target-path", str(tmp_path / "target"), "--log-path", str(tmp_path / "logs"), "--quiet"],
            check=True,
            env={**os.environ, "STREAMGAUGE_DUCKDB": str(warehouse)},
        )  # fmt: skip
    assert "main.last_nightly_build" not in relations(warehouse, ("main",))
    with duckdb.connect(str(warehouse), read_only=True) as db:
        tonight = plan_tonight(manifest, Warehouse("duckdb", db), nightly_fingerprint(REPOSITORY / "dbt_project"))
    assert not tonight.last_night_stands
