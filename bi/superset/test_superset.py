"""Superset as `make superset` provisions it, checked as a user meets it (`make superset-test`).

A Superset of its own (its home in a temporary directory) is initialised, provisioned twice from
a copy of the demo's serving copy, and served on a free loopback port; the checks go through
its REST API and headless Chromium (Debian's `chromium`), and the server is stopped by its PID.
Not part of `make test`: the Superset environment takes minutes to install.
"""

from __future__ import annotations

import csv
import json
import math
import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pytest
import requests
from playwright.sync_api import sync_playwright

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
BIN = Path(os.environ.get("SUPERSET_BIN", REPO / ".cache" / "superset" / "venv" / "bin"))
DEMO_SERVING = REPO / "data" / "demo" / "serving.duckdb"
CATALOGUE = REPO / "dbt_project" / "seeds" / "metric_catalogue.csv"
SCREENSHOTS = REPO / "data" / "superset-test"
DASHBOARDS = {"flow": 6, "delivery": 7}  # slug → charts in bi/superset/dashboards.yaml


@dataclass
class Instance:
    url: str
    serving: Path
    password: str
    provisioned: list[str]
    timings: dict[str, float]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def timed(timings: dict[str, float], name: str, command: list[str], env: dict[str, str]) -> str:
    start = time.monotonic()
    done = subprocess.run(command, env=env, cwd=REPO, capture_output=True, text=True)
    timings[name] = time.monotonic() - start
    assert done.returncode == 0, f"{name} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done.stdout.strip().rpartition("\n")[2]


@pytest.fixture(scope="module")
def instance(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Instance]:
    if not (BIN / "superset").exists():
        pytest.fail(f"no Superset in {BIN}: `make superset-install`")
    if not DEMO_SERVING.exists():
        pytest.fail(f"no serving copy at {DEMO_SERVING}: `make demo`")
    directory = tmp_path_factory.mktemp("superset")
    serving = directory / "serving.duckdb"
    shutil.copyfile(DEMO_SERVING, serving)
    home = directory / "home"
    env = {
        **os.environ,
        "SUPERSET_HOME": str(home),
        "SUPERSET_CONFIG_PATH": str(HERE / "superset_config.py"),
        "SUPERSET_BIN": str(BIN),
    }
    timings: dict[str, float] = {}
    timed(timings, "init", ["bash", str(HERE / "init.sh")], env)
    provision = [str(BIN / "python"), str(HERE / "provision.py"), str(serving)]
    provisioned = [timed(timings, f"provision {run}", provision, env) for run in (1, 2)]

    port = free_port()
    log = (directory / "server.log").open("w")
    start = time.monotonic()
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "--bind", f"127.0.0.1:{port}", "--workers", "1", "--threads", "4",
         "--timeout", "120", "--no-control-socket", "superset.app:create_app()"],
        env=env, cwd=directory, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        while time.monotonic() - start < 180:
            assert server.poll() is None, (directory / "server.log").read_text()[-3000:]
            try:
                # The worker loads Superset on its first request: the first answer can take a while.
                if requests.get(f"{url}/health", timeout=60).status_code == 200:
                    break
            except (requests.ConnectionError, requests.Timeout):
                time.sleep(1)
        else:
            pytest.fail("Superset did not answer /health within 180 s")
        timings["server start"] = time.monotonic() - start
        yield Instance(url, serving, (home / "admin_password").read_text().strip(), provisioned, timings)
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()
        print("\nSuperset timings: " + ", ".join(f"{name} {seconds:.1f} s" for name, seconds in timings.items()))


@pytest.fixture(scope="module")
def api(instance: Instance) -> requests.Session:
    session = requests.Session()
    login = session.post(
        f"{instance.url}/api/v1/security/login",
        json={"username": "admin", "password": instance.password, "provider": "db", "refresh": False},
        timeout=30,
    )
    assert login.status_code == 200, login.text
    session.headers["Authorization"] = f"Bearer {login.json()['access_token']}"
    return session


def listed(api: requests.Session, instance: Instance, resource: str) -> list[dict[str, Any]]:
    reply = api.get(f"{instance.url}/api/v1/{resource}/", params={"q": "(page_size:100)"}, timeout=30)
    assert reply.status_code == 200, reply.text
    return reply.json()["result"]


def dashboard_charts(api: requests.Session, instance: Instance, slug: str) -> dict[str, dict[str, Any]]:
    reply = api.get(f"{instance.url}/api/v1/dashboard/{slug}/charts", timeout=30)
    assert reply.status_code == 200, reply.text
    return {chart["slice_name"]: chart for chart in reply.json()["result"]}


def chart_id(api: requests.Session, instance: Instance, slug: str, name: str) -> int:
    return dashboard_charts(api, instance, slug)[name]["id"]


def chart_rows(api: requests.Session, instance: Instance, chart: int) -> list[dict[str, Any]]:
    reply = api.get(f"{instance.url}/api/v1/chart/{chart}/data/", timeout=60)
    assert reply.status_code == 200, reply.text
    (result,) = reply.json()["result"]
    assert result.get("error") is None, result
    return result["data"]


def mart_value(instance: Instance, sql: str) -> Any:
    with duckdb.connect(str(instance.serving), read_only=True) as db:
        return db.execute(sql).fetchone()[0]


def test_provisioning_twice_creates_nothing_twice(api: requests.Session, instance: Instance) -> None:
    first, second = instance.provisioned
    assert first == second
    with duckdb.connect(str(instance.serving), read_only=True) as db:
        marts = {
            row[0]
            for row in db.execute("select table_name from duckdb_tables() where schema_name = 'marts'").fetchall()
        }
    datasets = [dataset["table_name"] for dataset in listed(api, instance, "dataset")]
    assert sorted(datasets) == sorted(marts)
    charts = [chart["slice_name"] for chart in listed(api, instance, "chart")]
    assert len(charts) == len(set(charts)) == sum(DASHBOARDS.values())
    assert sorted(dashboard["slug"] for dashboard in listed(api, instance, "dashboard")) == sorted(DASHBOARDS)
    (database,) = listed(api, instance, "database")
    assert database["database_name"] == "Streamgauge serving copy"


def test_the_database_is_the_serving_copy_read_only(api: requests.Session, instance: Instance) -> None:
    (database,) = listed(api, instance, "database")
    detail = api.get(f"{instance.url}/api/v1/database/{database['id']}/connection", timeout=30).json()["result"]
    assert detail["sqlalchemy_uri"] == f"duckdb:///{instance.serving}?access_mode=read_only"
    assert detail["allow_dml"] is False


def test_every_mart_column_has_its_description(api: requests.Session, instance: Instance) -> None:
    with duckdb.connect(str(instance.serving), read_only=True) as db:
        comments = {
            (table, column): comment
            for table, column, comment in db.execute(
                "select table_name, column_name, comment from duckdb_columns() where schema_name = 'marts'"
            ).fetchall()
        }
    seen = {}
    for dataset in listed(api, instance, "dataset"):
        detail = api.get(f"{instance.url}/api/v1/dataset/{dataset['id']}", timeout=30).json()["result"]
        for column in detail["columns"]:
            seen[(detail["table_name"], column["column_name"])] = column["description"]
    assert seen == comments
    assert all(seen.values())


def test_the_catalogues_metrics_are_never_summed_where_they_must_not_be(
    api: requests.Session, instance: Instance
) -> None:
    metrics = {}
    for dataset in listed(api, instance, "dataset"):
        detail = api.get(f"{instance.url}/api/v1/dataset/{dataset['id']}", timeout=30).json()["result"]
        for metric in detail["metrics"]:
            metrics[(detail["table_name"], metric["metric_name"])] = metric["expression"]
    with CATALOGUE.open(newline="") as file:
        catalogue = list(csv.DictReader(file))
    for row in catalogue:
        expression = metrics[(row["mart"], row["metric"])]
        column = row["column_name"]
        if row["aggregation"] == "sum":
            assert expression == f"SUM({column})", row
        elif row["aggregation"] == "never":
            assert expression == f"CASE WHEN COUNT(*) = 1 THEN MAX({column}) END", row
        else:
            assert "NULLIF(" in expression or expression == f"CASE WHEN COUNT(*) = 1 THEN MAX({column}) END", row
    assert metrics[("dora_weekly", "change_failure_rate")] == "SUM(failed_deployments) / NULLIF(SUM(deployments), 0)"
    assert metrics[("dora_summary", "change_failure_rate")] == "SUM(failed_deployments) / NULLIF(SUM(deployments), 0)"
    assert metrics[("flow_weekly", "flow_efficiency")] == "CASE WHEN COUNT(*) = 1 THEN MAX(flow_efficiency) END"
    # The per-item marts answer percentiles over the items at any grouping.
    assert metrics[("flow_item_metrics", "cycle_time_p85_hours")] == (
        "QUANTILE_CONT(case when state = 'done' and not created_done then cycle_time_hours end, 0.85)"
    )


def test_every_chart_of_both_dashboards_answers(api: requests.Session, instance: Instance) -> None:
    for slug, count in DASHBOARDS.items():
        charts = dashboard_charts(api, instance, slug)
        assert len(charts) == count, slug
        for name, chart in charts.items():
            assert chart_rows(api, instance, chart["id"]), f"{slug}: {name} returned no rows"


def test_the_figures_are_the_marts(api: requests.Session, instance: Instance) -> None:
    # The organisation's figures from the _org marts, which the charts (on team marts) never read.
    (row,) = chart_rows(api, instance, chart_id(api, instance, "flow", "Items completed (complete weeks)"))
    assert row["throughput"] == mart_value(
        instance, "select sum(throughput) from marts.flow_weekly_org where is_complete"
    )
    (row,) = chart_rows(api, instance, chart_id(api, instance, "delivery", "Deployments (complete weeks)"))
    deployments = mart_value(instance, "select sum(deployments) from marts.dora_weekly_org where is_complete")
    assert row["deployments"] == deployments > 0
    (row,) = chart_rows(api, instance, chart_id(api, instance, "delivery", "Change failure rate (complete weeks)"))
    failed = mart_value(instance, "select sum(failed_deployments) from marts.dora_weekly_org where is_complete")
    assert math.isclose(row["change_failure_rate"], failed / deployments)

    # A precomputed percentile is shown as the mart holds it, one team-week at a time.
    with duckdb.connect(str(instance.serving), read_only=True) as db:
        expected = {
            (team, epoch_ms): p85
            for team, epoch_ms, p85 in db.execute(
                "select team, epoch_ms(period_start::timestamp), cycle_time_p85_hours"
                " from marts.flow_trailing_percentiles where is_complete and window_weeks = 12"
            ).fetchall()
        }
        done = db.execute(
            "select team, list(cycle_time_hours order by cycle_time_hours) from marts.flow_item_metrics"
            " where state = 'done' and not created_done group by team"
        ).fetchall()
    rows = chart_rows(api, instance, chart_id(api, instance, "flow", "Cycle time p85, trailing 12 weeks (hours)"))
    assert {(r["team"], r["period_start"]): r["cycle_time_p85_hours"] for r in rows} == expected

    # Over the items (those created done left out), the 85th percentile interpolates between the
    # two nearest ranks: metrics.md.
    table = chart_rows(
        api, instance, chart_id(api, instance, "flow", "Completed items per team (percentiles over the items)")
    )
    shown = {row["team"]: row["cycle_time_p85_hours"] for row in table}
    for team, hours in done:
        rank = 0.85 * (len(hours) - 1)
        low, high = hours[math.floor(rank)], hours[math.ceil(rank)]
        assert math.isclose(shown[team], low + (high - low) * (rank - math.floor(rank))), team


def test_the_team_filter_reaches_every_chart(api: requests.Session, instance: Instance) -> None:
    for slug in DASHBOARDS:
        charts = dashboard_charts(api, instance, slug)
        detail = api.get(f"{instance.url}/api/v1/dashboard/{slug}", timeout=30).json()["result"]
        (team_filter,) = json.loads(detail["json_metadata"])["native_filter_configuration"]
        assert team_filter["name"] == "Team" and team_filter["filterType"] == "filter_select"
        assert team_filter["scope"] == {"rootPath": ["ROOT_ID"], "excluded": []}
        assert sorted(team_filter["chartsInScope"]) == sorted(chart["id"] for chart in charts.values())
        assert team_filter["targets"][0]["column"] == {"name": "team"}
        # What the filter adds to each chart's query: every chart answers it, for one team only.
        for name, chart in charts.items():
            saved = api.get(f"{instance.url}/api/v1/chart/{chart['id']}", timeout=30).json()["result"]
            query_context = json.loads(saved["query_context"])
            for query in query_context["queries"]:
                query["filters"].append({"col": "team", "op": "IN", "val": ["payments"]})
            reply = api.post(f"{instance.url}/api/v1/chart/data", json=query_context, timeout=60)
            assert reply.status_code == 200, (slug, name, reply.text)
            data = reply.json()["result"][0]["data"]
            assert {row["team"] for row in data if "team" in row} <= {"payments"}, (slug, name)
            if name == "Deployments (complete weeks)":
                assert data[0]["deployments"] == mart_value(
                    instance, "select sum(deployments) from marts.dora_weekly where is_complete and team = 'payments'"
                )


def test_the_next_query_reads_a_republished_copy(api: requests.Session, instance: Instance) -> None:
    chart = chart_id(api, instance, "delivery", "Deployments (complete weeks)")
    before = chart_rows(api, instance, chart)[0]["deployments"]
    # A republish as the nightly job does it: a new file renamed over the old one.
    republished = instance.serving.with_name("republished.duckdb")
    shutil.copyfile(instance.serving, republished)
    with duckdb.connect(str(republished)) as db:
        removed = db.execute(
            "select sum(deployments) from marts.dora_weekly where is_complete and team = 'web'"
        ).fetchone()[0]
        db.execute("delete from marts.dora_weekly where team = 'web'")
    original = instance.serving.with_name("original.duckdb")
    shutil.copyfile(instance.serving, original)
    os.replace(republished, instance.serving)
    try:
        assert removed > 0
        assert chart_rows(api, instance, chart)[0]["deployments"] == before - removed
    finally:
        os.replace(original, instance.serving)
    assert chart_rows(api, instance, chart)[0]["deployments"] == before


def test_both_dashboards_draw_every_chart_in_chromium(instance: Instance) -> None:
    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.fail("chromium is not on PATH: `make chromium` installs Debian's package")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        # --no-sandbox: the tests run as root, where Chromium's sandbox refuses to start.
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1600, "height": 1400})
        errors: list[str] = []
        outside: list[str] = []
        blocked: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("console", lambda message: message.type == "error" and errors.append(message.text))
        page.on("request", lambda request: request.url.startswith(instance.url) or outside.append(request.url))
        page.on(
            "requestfailed", lambda request: "csp" in (request.failure or "").lower() and blocked.append(request.url)
        )
        page.goto(f"{instance.url}/login/")
        page.fill("#username", "admin")
        page.fill("#password", instance.password)
        page.keyboard.press("Enter")
        page.wait_for_url("**/superset/welcome/**", timeout=60_000)
        for slug, count in DASHBOARDS.items():
            page.goto(f"{instance.url}/superset/dashboard/{slug}/")
            # Drawn: an ECharts canvas, a table, or a big number's figure in every chart.
            page.wait_for_function(
                "count => { const charts = [...document.querySelectorAll('[data-test-chart-id]')];"
                " return charts.length === count && charts.every(c => c.querySelector('canvas, table')"
                " || /\\d/.test(c.querySelector('[data-test=chart-container]')?.textContent ?? '')) }",
                arg=count,
                timeout=90_000,
            )
            page.wait_for_timeout(1_000)  # animations settle before the screenshot
            page.screenshot(path=SCREENSHOTS / f"{slug}.png", full_page=True)
            assert page.locator(".ant-alert-error, [data-test='error-message']").count() == 0, slug
            assert page.get_by_text("No results were returned").count() == 0, slug

        # The Team filter, used as a reader uses it: every chart of the page says it applies.
        page.goto(f"{instance.url}/superset/dashboard/flow/")
        page.locator("[data-test=filter-bar] .ant-select-selector").first.click()
        page.keyboard.type("payments")
        page.locator(".ant-select-item-option[title=payments]").click()
        page.locator("[data-test=filter-bar__apply-button]").click()
        page.wait_for_function(
            "count => [...document.querySelectorAll('[data-test-chart-id]')].filter(c =>"
            " c.querySelector('[data-test=applied-filter-count]')?.textContent.trim() === '1').length === count",
            arg=DASHBOARDS["flow"],
            timeout=60_000,
        )
        payments = mart_value(
            instance, "select sum(throughput) from marts.flow_weekly where is_complete and team = 'payments'"
        )
        figure = page.locator("[data-test-chart-id]", has_text="Items completed").locator("[data-test=chart-container]")
        figure.get_by_text(str(payments), exact=True).wait_for(timeout=30_000)
        page.wait_for_timeout(1_000)
        page.screenshot(path=SCREENSHOTS / "flow-payments.png", full_page=True)
        browser.close()
    # Superset's pages embed a usage-counting image from another host: the CSP blocks it, nothing else goes out.
    assert sorted(set(outside)) == sorted(set(blocked))
    assert [error for error in errors if "Content Security Policy" not in error] == []
