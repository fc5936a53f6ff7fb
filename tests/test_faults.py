"""Faults an operator meets, one at a time, against the simulator: what the user sees, and that nothing is lost.

Each source is loaded the way the nightly job loads it. Where data is involved, a clean run after
the fault must leave the raw tables row for row as a load that never saw the fault
(`clean_raw`); `test_fault_night.py` takes the same faults through dbt to the core and mart tables.
"""

from __future__ import annotations

import re
import socket
import threading
from datetime import timedelta
from pathlib import Path

import dagster as dg
import duckdb
import pytest
import requests
from conftest import configure_sources, load_source, simulated_settings
from dagster_dlt import DagsterDltResource
from dbt_helpers import dbt, load_all_sources
from test_dbt_canonical import query

from ingestion.api_client import ApiClient, NotFoundError, _parses
from ingestion.settings import unknown_settings
from orchestration import refresh
from orchestration.defs.ingestion import SOURCES, configured_sources, source_assets, unread_settings
from orchestration.defs.transform import NIGHTLY_BUILD
from orchestration.settings import setting_problems
from orchestration.source_runs import SourceRun, source_runs
from simulator.model import Org
from simulator.server import (
    BROKEN_CHUNKS,
    CUT_OFF,
    FORBIDDEN,
    FUTURE_DATED,
    GARBLED,
    NOT_FOUND,
    SLOW,
    Fault,
    Simulator,
)

# The first page of each source's first list of changed issues (not the list of ids of a reconciliation).
ISSUES = {
    "github": r"github:/repos/acme/payments-api/issues\?.*sort=updated",
    "jira": r"jira:/rest/api/3/search/jql\?.*fields=",
    "gitlab": r"gitlab:/api/v4/projects/acme%2Fplatform/issues\?.*order_by=updated_at",
    "pagerduty": r"pagerduty:/incidents\?.*offset=0",
    "jenkins": r"jenkins:/job/releases/job/mobile-app-deploy/api/json\?.*allBuilds",  # its first page of builds
}
# The tests' organisation plans nothing in Linear: its faults are in test_linear_source.py.
FAULTED = [source for source in SOURCES if source != "linear"]


def load(sim: Simulator, source: str, path: Path, **settings: object) -> SourceRun:
    return load_source(sim, source, path, retry_backoff_seconds=0.01, **settings)


def raw_rows(path: Path, source: str) -> dict[str, list[tuple]]:
    """Every raw table of the source without dlt's bookkeeping columns, its rows in a stable order
    (and the simulator's port left out of URLs: each test has a server of its own). Left out too:
    `reconciliations`, the record of when the ids were listed, which every run may add to."""
    with duckdb.connect(str(path), read_only=True) as db:
        tables = db.execute(
            "select table_name from information_schema.tables where table_schema = ? "
            "and table_name not like '\\_dlt%' escape '\\' and table_name <> 'reconciliations'",
            [f"raw_{source}"],
        ).fetchall()
        rows = {}
        for (table,) in tables:
            columns = db.execute(
                "select column_name from information_schema.columns where table_schema = ? and table_name = ? "
                "and column_name not like '\\_dlt%' escape '\\' order by column_name",
                [f"raw_{source}", table],
            ).fetchall()
            listed = ", ".join(f'"{c}"' for (c,) in columns)
            found = db.execute(f"select {listed} from raw_{source}.{table}").fetchall()
            rows[table] = sorted((tuple(map(_portless, row)) for row in found), key=repr)
        return rows


def _portless(value: object) -> object:
    return re.sub(r"//127\.0\.0\.1:\d+/", "//127.0.0.1/", value) if isinstance(value, str) else value


@pytest.fixture(scope="session")
def clean_raw(small_org: Org, tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, list[tuple]]]:
    """Each source's raw tables after one load that never saw a fault."""
    rows = {}
    with Simulator(small_org) as sim:
        for source in FAULTED:
            path = tmp_path_factory.mktemp(f"clean_{source}") / "warehouse.duckdb"
            assert load(sim, source, path).ok
            rows[source] = raw_rows(path, source)
    return rows


# ---------------------------------------------------------------------- a row dated in the future
# PagerDuty's first windows of a year back are empty: its case is in test_pagerduty_source.py. Jenkins'
# cursor is a build number, which no date can move.
@pytest.mark.parametrize("source", [source for source in FAULTED if source not in ("pagerduty", "jenkins")])
def test_a_row_dated_in_the_future_loads_with_one_warning_and_the_next_run_loses_nothing(
    simulator: Simulator, warehouse: Path, small_org: Org, clean_raw: dict, source: str
) -> None:
    night = small_org.end - timedelta(days=30)
    future = night + timedelta(days=270)
    simulator.set_clock(night)
    simulator.inject(Fault(ISSUES[source], FUTURE_DATED, dated=future))
    skewed = load(simulator, source, warehouse)
    assert skewed.ok, skewed.error
    (line,) = skewed.warnings
    assert f"is dated {future:%Y-%m-%d %H:%M:%S} UTC, after this run began ({night:%Y-%m-%d %H:%M:%S} UTC)" in line
    assert line.startswith(f"{source}: ") and "no cursor moves past the run's start" in line

    # A month later the row is as it was; nothing updated in that month is skipped.
    simulator.clear()
    simulator.set_clock(small_org.end)
    assert load(simulator, source, warehouse).ok
    assert raw_rows(warehouse, source) == clean_raw[source]


# ---------------------------------------------------------------------- replies broken in transit
@pytest.mark.parametrize(
    ("source", "kind"),
    [
        ("github", CUT_OFF),
        ("github", BROKEN_CHUNKS),
        ("github", GARBLED),
        ("jira", CUT_OFF),
        ("jira", BROKEN_CHUNKS),
        ("gitlab", CUT_OFF),
        ("gitlab", BROKEN_CHUNKS),
        ("pagerduty", CUT_OFF),
        ("pagerduty", BROKEN_CHUNKS),
        ("jenkins", CUT_OFF),
        ("jenkins", BROKEN_CHUNKS),
    ],
)
def test_a_reply_broken_in_transit_is_retried_and_nothing_is_lost(
    simulator: Simulator, warehouse: Path, clean_raw: dict, source: str, kind: str
) -> None:
    fault = Fault(ISSUES[source], kind)
    simulator.inject(fault)
    run = load(simulator, source, warehouse)
    assert run.ok, run.error
    assert fault.seen >= 2, "the broken reply was asked again"
    assert raw_rows(warehouse, source) == clean_raw[source]


# ---------------------------------------------------------------------- a host that cannot be reached
def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.parametrize(
    ("source", "title", "host"),
    [
        ("github", "GitHub", "127.0.0.1:{port}"),
        ("jira", "Jira", "127.0.0.1:{port}"),
        ("gitlab", "GitLab", "127.0.0.1:{port}"),
        ("pagerduty", "PagerDuty", "127.0.0.1:{port}"),
        ("jenkins", "Jenkins", "127.0.0.1:{port}"),
        ("github", "GitHub", "streamgauge.invalid"),  # a name no resolver knows
    ],
)
def test_an_unreachable_host_fails_at_once_with_one_line_naming_the_base_url(
    simulator: Simulator, warehouse: Path, monkeypatch: pytest.MonkeyPatch, source: str, title: str, host: str
) -> None:
    base_url = f"http://{host.format(port=closed_port())}/{source}"
    settings = simulated_settings(simulator, source, base_url=base_url, retry_backoff_seconds=0.01)
    configure_sources(monkeypatch, settings, warehouse)
    result = dg.materialize(
        [source_assets(setup) for setup in configured_sources()],
        resources={"dlt": DagsterDltResource()},
        raise_on_error=False,
    )
    (run,) = source_runs(result)
    api_root = f"{base_url}/api/v4" if source == "gitlab" else base_url
    assert run.error == f"{source}: cannot reach {title} at {api_root}; check sources.{source}.base_url"
    assert run.requests == 1, "the client did not try again"
    assert result.retry_attempts_for_node(f"load_{source}") == 0, "nor did Dagster"


def test_a_connection_refused_in_the_middle_of_a_run_is_retried(small_org: Org) -> None:
    with Simulator(small_org) as sim:
        client = ApiClient("github", sim.base_url("github"), {"Authorization": "Bearer ghp_simulated_token"}, "token")
        assert client.get("/repos/acme/web").ok
        sim.stop()  # the server goes away; it is back by the time the client tries again
        client.sleep = lambda seconds: sim.start()
        assert client.get("/repos/acme/web/issues").ok


def test_requests_sent_per_row_go_out_side_by_side_and_come_back_in_the_rows_order(small_org: Org) -> None:
    with Simulator(small_org) as sim:
        headers = {"Authorization": "Bearer ghp_simulated_token"}
        client = ApiClient("github", sim.base_url("github"), headers, "token", concurrent_requests=4)
        page = {"state": "all", "per_page": 1}

        def first_issue(n: int) -> int:
            return client.get("/repos/acme/web/issues", {**page, "page": n}).json()[0]["id"]

        expected = [first_issue(n) for n in range(1, 9)]
        in_flight, most = 0, 0
        lock = threading.Lock()
        send = client._session.request

        def counted(*args: object, **kwargs: object) -> object:
            nonlocal in_flight, most
            with lock:
                in_flight += 1
                most = max(most, in_flight)
            try:
                return send(*args, **kwargs)
            finally:
                with lock:
                    in_flight -= 1

        client._session.request = counted
        sim.inject(Fault("github:/repos/acme/web/issues", SLOW, times=1000, delay=0.3))
        assert list(client.each(range(1, 9), first_issue)) == expected
        assert most == 4
        most = 0  # two at once, as dlt runs a page's transformers: still 4 requests in flight at the most
        both = zip(client.each(range(1, 9), first_issue), client.each(range(8, 0, -1), first_issue), strict=True)
        assert list(both) == list(zip(expected, reversed(expected), strict=True))
        assert most == 4

        sim.clear()  # the third row's page is not found; the others are slow as before
        slow = Fault("github:/repos/acme/web/issues", SLOW, times=100, delay=0.3)
        sim.inject(Fault(r"github:/repos/acme/web/issues\?.*&page=3$", NOT_FOUND, times=100), slow)
        got = []
        with pytest.raises(NotFoundError):
            got.extend(client.each(range(1, 41), first_issue))
        assert got == expected[:2], "the rows before the one that failed"
        assert sim.request_count("github") < 40, "the rows not yet begun were not asked"


def test_a_reply_is_parsed_once_and_json_that_orjson_refuses_still_reads() -> None:
    reply = requests.Response()
    reply.status_code, reply.encoding = 200, "utf-8"
    reply._content = b'{"title": "half a pair: \\ud83d", "n": 1}'  # a lone surrogate escape: JSON, not UTF-8
    assert _parses(reply)
    assert reply.json() == {"title": "half a pair: \ud83d", "n": 1}
    assert reply.json() is reply.json(), "parsed once"
    reply._content = b'{"title": "cut off'
    assert not _parses(reply)


# ---------------------------------------------------------------------- a resource one repository refuses
RUNS, DEPLOYMENTS = "github:/repos/acme/web/actions/runs", "github:/repos/acme/web/deployments"
PIPELINES = "gitlab:/api/v4/projects/acme%2Fplatform/pipelines"


@pytest.mark.parametrize(
    ("source", "fault", "line", "tables"),
    [
        (
            "github",
            Fault(RUNS, FORBIDDEN, times=1000),
            "github: actions/runs of acme/web answered HTTP 403; skipped there, everything else loads: the token "
            "(sources.github.access_token (.dlt/secrets.toml) or SOURCES__GITHUB__ACCESS_TOKEN) needs the Actions "
            "(read) permission on acme/web",
            {"workflow_runs"},
        ),
        (
            "github",
            Fault(DEPLOYMENTS, NOT_FOUND, times=1000),
            "github: deployments of acme/web answered HTTP 404; skipped there, everything else loads: the token "
            "(sources.github.access_token (.dlt/secrets.toml) or SOURCES__GITHUB__ACCESS_TOKEN) needs the "
            "Deployments (read) permission on acme/web",
            {"deployments", "deployment_statuses"},
        ),
        (
            "gitlab",
            Fault(PIPELINES, FORBIDDEN, times=1000),
            "gitlab: pipelines of acme/platform answered HTTP 403; skipped there, everything else loads: the token "
            "(sources.gitlab.access_token (.dlt/secrets.toml) or SOURCES__GITLAB__ACCESS_TOKEN) needs the read_api "
            "scope and at least the Reporter role on acme/platform",
            {"pipelines"},
        ),
    ],
    ids=["github-403-actions", "github-404-deployments", "gitlab-403-pipelines"],
)
def test_a_resource_one_repository_refuses_is_skipped_there_and_everything_else_loads(
    simulator: Simulator, warehouse: Path, clean_raw: dict, source: str, fault: Fault, line: str, tables: set[str]
) -> None:
    simulator.inject(fault)
    run = load(simulator, source, warehouse)
    assert run.ok, run.error
    assert run.warnings == [line]

    loaded = raw_rows(warehouse, source)
    assert {
        table.split("__")[0] for table in clean_raw[source] if loaded.get(table) != clean_raw[source][table]
    } == tables
    column, repo = ("repository", "acme/web") if source == "github" else ("project_path", "acme/platform")
    with duckdb.connect(str(warehouse), read_only=True) as db:
        for table in tables:
            rows = dict(db.execute(f"select {column}, count(*) from raw_{source}.{table} group by 1").fetchall())
            assert repo not in rows and rows, f"{table}: only the other repositories' rows"

    simulator.clear()  # access granted: the skipped resource loads in full, as its cursor never moved
    assert load(simulator, source, warehouse).ok
    assert raw_rows(warehouse, source) == clean_raw[source]


# ---------------------------------------------------------------------- typos
@pytest.mark.parametrize(
    ("source", "listed", "line"),
    [
        (
            "github",
            {"repositories": ["acme/ghost", "acme/web"]},
            "github: repository acme/ghost was not found (HTTP 404); check the name and the token's access; skipped "
            "(listed in sources.github.repositories (.dlt/config.toml) or SOURCES__GITHUB__REPOSITORIES)",
        ),
        (
            "jira",
            {"projects": ["PAY", "GHOST"]},
            "jira: project GHOST was not found (HTTP 404); check the name and the token's access; skipped "
            "(listed in sources.jira.projects (.dlt/config.toml) or SOURCES__JIRA__PROJECTS)",
        ),
        (
            "gitlab",
            {"projects": ["acme/ghost", "acme/platform"]},
            "gitlab: project acme/ghost was not found (HTTP 404); check the name and the token's access; skipped "
            "(listed in sources.gitlab.projects (.dlt/config.toml) or SOURCES__GITLAB__PROJECTS)",
        ),
        (
            "pagerduty",
            {"services": ["PGHOST1", "P1F6HIP"]},
            "pagerduty: service PGHOST1 was not found (HTTP 404); check the name and the token's access; skipped "
            "(listed in sources.pagerduty.services (.dlt/config.toml) or SOURCES__PAGERDUTY__SERVICES)",
        ),
    ],
)
def test_an_unknown_repository_or_project_gets_one_line_naming_it_and_the_setting(
    simulator: Simulator, warehouse: Path, source: str, listed: dict, line: str
) -> None:
    run = load(simulator, source, warehouse, **listed)
    assert run.ok, run.error
    assert run.warnings == [line]
    assert run.rows["incidents" if source == "pagerduty" else "issues"] > 0


def test_a_misspelt_setting_of_a_source_gets_one_line_with_the_nearest_known_key(
    simulator: Simulator, warehouse: Path
) -> None:
    run = load(simulator, "github", warehouse, pagesize="20")
    assert run.ok, run.error
    assert run.warnings == [
        "github: SOURCES__GITHUB__PAGESIZE is not a setting; ignored; did you mean SOURCES__GITHUB__PAGE_SIZE?"
    ]


def test_misspelt_keys_and_sections_in_the_setting_files_get_one_line_each(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text(
        '[runtime]\nlog_level = "WARNING"\n\n'
        '[sources.github]\nrepositories = ["acme/web"]\nlookback_day = 2\n\n'
        '[source.gitlab]\nprojects = ["acme/platform"]\n\n'
        '[sources.jira]\nprojects = ["PAY"]\n'
    )
    assert unknown_settings(SOURCES, [config], environ={"SOURCE__JIRA__PROJECTS": '["PAY"]'}) == {
        "github": [f"github: 'lookback_day' in [sources.github] of {config} is not a setting; ignored; did you mean "
                   "'lookback_days'?"],
        "": [
            f"settings: [source.gitlab] in {config} matches no source; ignored; did you mean [sources.gitlab]?",
            "settings: SOURCE__JIRA__PROJECTS matches no source; ignored; did you mean SOURCES__JIRA__PROJECTS?",
        ],
    }  # fmt: skip


def test_a_source_misspelt_out_of_the_run_is_named_before_it_starts(
    simulator: Simulator, warehouse: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    misspelt = {
        name.replace("SOURCES__", "SOURCE__"): value
        for name, value in simulator.source_settings().items()
        if not name.startswith("SOURCES__JIRA__")
    }
    configure_sources(monkeypatch, misspelt | simulated_settings(simulator, "jira"), warehouse)
    assert {setup.name for setup in configured_sources()} == {"jira"}
    assert unread_settings() == [
        f"settings: {name} matches no source; ignored; did you mean {name.replace('SOURCE__', 'SOURCES__')}?"
        for name in sorted(misspelt)
    ]


# ---------------------------------------------------------------------- invalid settings
@pytest.mark.parametrize(
    ("name", "value", "problem"),
    [
        ("STREAMGAUGE_AS_OF", "yesterday", "is not a date and time; write it like '2026-11-02 00:00:00' (UTC)"),
        (
            "STREAMGAUGE_AS_OF",
            "2026-11-02T00:00:00+01:00",
            "has a time zone offset; write it in UTC without one, like '2026-11-02 00:00:00' (UTC)",
        ),
        (
            "STREAMGAUGE_DBT_VARS",
            "{as_of: yesterday}",
            "sets as_of, which is not a date and time; write it like '2026-11-02 00:00:00' (UTC)",
        ),
        (
            "STREAMGAUGE_DBT_VARS",
            "as_of=2026-11-02",
            """is not a YAML mapping; write it like '{as_of: "2026-11-02 00:00:00"}'""",
        ),
        ("STREAMGAUGE_SCHEDULE_CRON", "at two", "is not a cron schedule; write it like '0 2 * * *' (daily at 02:00)"),
        (
            "STREAMGAUGE_WEEKLY_CHECKS_CRON",
            "sundays",
            "is not a cron schedule; write it like '0 8 * * 0' (Sundays at 08:00)",
        ),
        ("STREAMGAUGE_SCHEDULE_TIMEZONE", "Mars/Base", "is not a time zone; write it like 'Europe/Berlin' or 'UTC'"),
        ("STREAMGAUGE_SOURCE_RETRY_SECONDS", "a minute", "is not a number of seconds; write it like 60"),
        ("STREAMGAUGE_REFRESH_WAIT_SECONDS", "-1", "is negative; give the seconds to wait, like 60"),
        ("STREAMGAUGE_DUCKDB_MEMORY_LIMIT", "lots", "is not an amount of memory; write it like '3GB'"),
    ],
)
def test_an_invalid_setting_is_named_in_one_line(name: str, value: str, problem: str) -> None:
    assert setting_problems({name: value}) == [f"{name}={value!r} {problem}"]


def test_valid_settings_pass() -> None:
    valid = {
        "STREAMGAUGE_AS_OF": "2026-11-02 00:00:00",
        "STREAMGAUGE_DBT_VARS": '{as_of: "2026-11-02", reporting_timezone: Europe/Berlin}',
        "STREAMGAUGE_SCHEDULE_CRON": "30 3 * * 1-5",
        "STREAMGAUGE_WEEKLY_CHECKS_CRON": "0 12 * * 6",
        "STREAMGAUGE_SCHEDULE_TIMEZONE": "Europe/Berlin",
        "STREAMGAUGE_SOURCE_RETRY_SECONDS": "0",
        "STREAMGAUGE_REFRESH_WAIT_SECONDS": "3600",
        "STREAMGAUGE_DUCKDB_MEMORY_LIMIT": "512MiB",
    }
    assert setting_problems(valid) == []


def test_an_invalid_setting_stops_the_refresh_before_it_starts_and_keeps_yesterdays_copy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    serving, warehouse = tmp_path / "serving.duckdb", tmp_path / "warehouse.duckdb"
    serving.write_bytes(b"yesterday's copy")
    monkeypatch.setenv("STREAMGAUGE_SERVING_DUCKDB", str(serving))
    monkeypatch.setenv("STREAMGAUGE_DUCKDB", str(warehouse))
    monkeypatch.setenv("STREAMGAUGE_AS_OF", "yesterday")
    assert refresh.main() == 2
    assert capsys.readouterr().out == (
        "STREAMGAUGE_AS_OF='yesterday' is not a date and time; write it like '2026-11-02 00:00:00' (UTC)\n"
    )
    assert serving.read_bytes() == b"yesterday's copy" and not warehouse.exists()


# ---------------------------------------------------------------------- issues deleted upstream
def test_issues_deleted_upstream_are_marked_at_the_next_reconciliation_and_leave_the_marts(
    simulator: Simulator, small_org: Org, built_warehouse: Path, tmp_path: Path
) -> None:
    night = small_org.end - timedelta(days=30)
    started = query(  # one started item per source, created before the night, counted in the flow marts
        built_warehouse,
        "select any_value(work_item_id order by work_item_id) from marts.flow_item_metrics "
        f"where created_at < '{night:%Y-%m-%d %H:%M:%S}' group by source_system order by 1",
    )
    gone = [work_item_id for (work_item_id,) in started]
    path = tmp_path / "warehouse.duckdb"
    simulator.set_clock(night)
    load_all_sources(simulator, path)  # the first load reconciles too
    # built before the deletion, so that the build after it is incremental
    dbt(path, tmp_path, *NIGHTLY_BUILD, variables={"as_of": f"{night:%Y-%m-%d %H:%M:%S}"})
    simulator.delete_items(*(_native_id(small_org, work_item_id) for work_item_id in gone))
    simulator.set_clock(small_org.end)
    simulator.clear()
    load_all_sources(simulator, path)  # a month later: reconciled again
    listings = [  # the lists of ids: not the incremental ones, which ask for fields or what changed since
        r for r in simulator.requests if re.search(r"/issues$|/search/jql$", r.path) and "since=" not in r.query
        and "updated_after=" not in r.query and "fields=" not in r.query
    ]  # fmt: skip
    assert len(listings) == 3 + 2 + 2, "one request per repository or project (up to 100 issues each, 5,000 on Jira)"
    dbt(path, tmp_path, *NIGHTLY_BUILD, variables={"as_of": f"{small_org.end:%Y-%m-%d %H:%M:%S}"})

    assert query(
        path, "select work_item_id, deleted_at from core.work_items where deleted_at is not null order by 1"
    ) == [(work_item_id, small_org.end.replace(tzinfo=None)) for work_item_id in gone]
    for mart in ("flow_item_metrics", "flow_stage_time", "value_stream_items"):
        assert query(path, f"select count(*) from marts.{mart} where work_item_id in {tuple(gone)}") == [(0,)], mart
    counted = "select count(*) from marts.flow_item_metrics"
    assert query(path, counted)[0][0] == query(built_warehouse, counted)[0][0] - len(gone)


def _native_id(org: Org, work_item_id: str) -> int:
    """The simulated item behind a work item id: `github:<repository id>:issue:42`,
    `gitlab:host:issue:140000007` and `jira:host:10042` (the issue ids)."""
    source, container, *_, number = work_item_id.split(":")
    if source in ("jira", "gitlab"):
        return int(number)
    if source == "github":
        container = next(r.full_name for r in org.repositories if r.source == source and str(r.native_id) == container)
    return next(
        i.native_id for i in org.work_items if (i.source, i.container, str(i.number)) == (source, container, number)
    )
