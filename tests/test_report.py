"""The nightly report, opened in headless Chromium as a reader opens it from disk.

Every chart of every team is drawn (its SVG has marks), the console stays free of errors,
nothing is fetched, and every number in a tile is the mart's. Screenshots of each team's page
are kept in the test's temporary directory. Chromium is Debian's `chromium` (`make chromium`).
"""

from __future__ import annotations

import json
import math
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from orchestration.report import build_report
from orchestration.serving import CheckOutcome, publish

CHARTS = "#overview [data-chart], section.team:not([hidden]) [data-chart]"
UNMAPPED = [{"source": "jira", "project": "PAY", "status": "Limbo", "transitions": 7}]
CHECKS = [
    CheckOutcome("unmapped_status_share", "core/work_item_transitions", False, "WARN",
                 "2.0% of transitions have a status no row of the status_stage_map seed maps",
                 {"share": 0.02, "statuses": UNMAPPED}),
    CheckOutcome("loaded_recently", "github/issues", False, "WARN", None, {"age_hours": 50.0}),
    CheckOutcome("not_empty", "core/work_items", True, "ERROR"),
]  # fmt: skip


@pytest.fixture(scope="module")
def published(built_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The small organisation's serving copy with a night's check outcomes, and its report."""
    directory = tmp_path_factory.mktemp("report")
    warehouse = directory / built_warehouse.name  # views name their catalog by the file's stem
    for file in (built_warehouse, built_warehouse.with_name(built_warehouse.name + ".wal")):
        if file.exists():
            shutil.copyfile(file, directory / file.name)
    serving = directory / "serving.duckdb"
    publish(warehouse, serving, run_id="test-run", checks=CHECKS)
    html = directory / "report.html"
    build_report(serving, html)
    return serving, html


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.fail("chromium is not on PATH: `make chromium` installs Debian's package")
    with sync_playwright() as playwright:
        # --no-sandbox: the tests run as root, where Chromium's sandbox refuses to start.
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser, published: tuple[Path, Path]) -> Iterator[Page]:
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.errors = []  # type: ignore[attr-defined]
    page.requests = []  # type: ignore[attr-defined]
    page.on("console", lambda message: message.type == "error" and page.errors.append(message.text))
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.on("request", lambda request: page.requests.append(request.url))
    page.goto(published[1].as_uri())
    yield page
    page.close()


def test_the_file_carries_everything_it_needs(published: tuple[Path, Path]) -> None:
    html = published[1].read_text()
    assert not re.search(r"<script[^>]+src=|<link[^>]+href=|@import", html)
    assert "vegaEmbed" in html


def test_every_chart_of_every_team_is_drawn_without_errors(page: Page, tmp_path: Path) -> None:
    teams = page.eval_on_selector_all("#team option", "options => options.map(o => o.value)")
    assert len(teams) >= 3
    for team in teams:
        page.select_option("#team", team)
        page.wait_for_function(f"() => [...document.querySelectorAll('{CHARTS}')].every(e => e.dataset.rendered)")
        drawn = page.eval_on_selector_all(
            CHARTS,
            "els => els.map(e => [e.dataset.chart, e.dataset.rendered,"
            " e.querySelectorAll('svg g.role-mark > *').length])",
        )
        assert len(drawn) >= 8, team
        assert [chart for chart, rendered, marks in drawn if rendered != "true" or marks == 0] == [], team
        stages = page.locator(f'section.team[data-team="{team}"] svg.vsm g.vsm-stage')
        assert stages.count() >= 3, team
        page.screenshot(path=tmp_path / f"report-{team}.png", full_page=True)
    assert page.errors == []  # type: ignore[attr-defined]
    assert [url for url in page.requests if not url.startswith(("file:", "data:", "blob:"))] == []  # type: ignore[attr-defined]
    assert (tmp_path / f"report-{teams[0]}.png").stat().st_size > 50_000


def shown(text: str) -> float:
    return float(re.sub(r"[^0-9.\-]", "", text.split()[0]))


def test_every_tile_shows_its_marts_number(page: Page, published: tuple[Path, Path]) -> None:
    tiles = page.eval_on_selector_all(
        ".tile[data-mart]",
        "els => els.map(e => ({mart: e.dataset.mart, where: e.dataset.where, column: e.dataset.column,"
        " unit: e.dataset.unit, value: e.dataset.value, text: e.querySelector('.value').textContent}))",
    )
    assert len(tiles) >= 40
    with duckdb.connect(str(published[0]), read_only=True) as db:
        for tile in tiles:
            conditions = [pair.split("=", 1) for pair in tile["where"].split("&") if pair]
            sql = f"select {tile['column']} from {tile['mart']}" + (
                " where " + " and ".join(f"cast({column} as varchar) = ?" for column, _ in conditions)
                if conditions
                else ""
            )
            rows = db.execute(sql, [value for _, value in conditions]).fetchall()
            assert len(rows) == 1, tile
            (expected,) = rows[0]
            if expected is None:
                assert tile["value"] == "" and tile["text"].startswith("–"), tile
                continue
            assert math.isclose(float(tile["value"]), expected), tile
            scale = {"days": 1 / 24, "percent": 100}.get(tile["unit"], 1)
            decimals = {"days": 1, "hours": 1, "percent": 0, "rate": 2}.get(tile["unit"], 6)
            assert shown(tile["text"]) == pytest.approx(round(expected * scale, decimals), abs=10**-decimals), tile


def test_the_value_stream_map_follows_its_marts(page: Page, published: tuple[Path, Path]) -> None:
    with duckdb.connect(str(published[0]), read_only=True) as db:
        summaries = db.execute("select team, constraint_stage from marts.value_stream_summary").fetchall()
        loops = db.execute("select team, count(*) from marts.value_stream_rework group by team").fetchall()
        stages = db.execute(
            "select team, list(stage order by stage_order) from marts.value_stream_stages"
            " where stage <> 'done' group by team"
        ).fetchall()
    assert summaries
    for team, constraint in summaries:
        section = f'section.team[data-team="{team}"] svg.vsm'
        marked = page.eval_on_selector_all(f"{section} g.vsm-constraint", "els => els.map(e => e.dataset.stage)")
        assert marked == ([constraint] if constraint else [])
    for team, count in loops:
        assert page.locator(f'section.team[data-team="{team}"] svg.vsm g.vsm-loop').count() == count
    for team, ordered in stages:
        drawn = page.eval_on_selector_all(
            f'section.team[data-team="{team}"] svg.vsm g.vsm-stage', "els => els.map(e => e.dataset.stage)"
        )
        assert drawn == [*ordered, "done"]


def test_trend_charts_leave_out_the_running_period(page: Page, published: tuple[Path, Path]) -> None:
    specs = json.loads(page.eval_on_selector("#chart-specs", "e => e.textContent"))
    with duckdb.connect(str(published[0]), read_only=True) as db:
        (current_week,) = db.execute("select cast(date_trunc('week', as_of) as varchar) from main.published").fetchone()
    weekly = [key for key in specs if key.endswith(("-throughput", "-pr-phases")) or key == "org-throughput"]
    assert weekly
    for key in weekly:
        starts = {row["period_start"] for row in specs[key]["data"]["values"]}
        assert starts and max(starts) < current_week, key


def test_data_quality_names_what_warned(page: Page) -> None:
    quality = page.locator("#quality").inner_text()
    assert "loaded_recently" in quality and "unmapped_status_share" in quality
    assert "Limbo" in quality and "not_empty" not in quality
    assert page.locator("header .stale").all_inner_texts() == ["stale"]  # github, from the failed check


def test_each_improvement_shows_its_verdict_and_its_two_sides(page: Page, published: tuple[Path, Path]) -> None:
    with duckdb.connect(str(published[0]), read_only=True) as db:
        rows = db.execute("select team, improvement, measure, verdict from marts.improvement_impact").fetchall()
    assert rows
    for team, improvement, measure, verdict in rows:
        block = (
            f'section.team[data-team="{team}"] .improvement[data-improvement="{improvement}"][data-measure="{measure}"]'
        )
        assert page.locator(f"{block} .verdict").text_content() == verdict
        assert page.locator(f"{block} [data-chart]").count() == 2
