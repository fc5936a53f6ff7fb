"""The Linear source against the simulator: complete, incremental, inside the complexity cap, fault tolerant."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import duckdb
import pytest
import requests
from conftest import SMALL, assert_never_leaked, configure_sources, load_source, simulated_settings

from ingestion.api_client import SAFETY_LAG
from ingestion.pipeline import make_pipeline
from orchestration.defs.ingestion import configured_sources
from orchestration.source_runs import SourceRun
from simulator.generator import OrgConfig, generate_org
from simulator.linear_api import archived_at, issue_id, linear_items, updated_at
from simulator.model import ASSIGNED, LABELED, STATUS, UNLABELED, Org
from simulator.server import CUT_OFF, SERVER_ERROR, Fault, Simulator

# The small organisation with its sixth team, which plans in Linear.
LINEAR_SMALL = dataclasses.replace(SMALL, teams=6)
HISTORY_KINDS = (STATUS, ASSIGNED, LABELED, UNLABELED)


@pytest.fixture(scope="module")
def linear_org() -> Org:
    return generate_org(LINEAR_SMALL)


@pytest.fixture
def sim(linear_org: Org) -> Iterator[Simulator]:
    with Simulator(linear_org) as running:
        yield running


def load_linear(sim: Simulator, path: Path, **settings: object) -> SourceRun:
    return load_source(sim, "linear", path, **{"retry_backoff_seconds": 0.01, **settings})


def query(path: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(path), read_only=True) as db:
        return db.execute(sql).fetchall()


def assert_complete(path: Path, org: Org) -> None:
    """Every issue once with its state now, archived ones too, and every change in its history."""
    items = linear_items(org)
    rows = dict(query(path, "select id, state__name from raw_linear.issues"))
    assert rows == {issue_id(i): i.status for i in items}
    history = dict(query(path, "select issue_id, count(*) from raw_linear.issue_history group by issue_id"))
    expected = {issue_id(i): sum(e.kind in HISTORY_KINDS for e in i.events) for i in items}
    assert history == {k: v for k, v in expected.items() if v}
    assert query(path, "select count(*) = count(distinct id) from raw_linear.issue_history") == [(True,)]


def cursor(path: Path) -> dict:
    return make_pipeline("linear", path).state["sources"]["linear"]["resources"]["changed_issues"]["updated_until"]


def test_the_small_organisation_has_a_linear_team_whose_closed_issues_get_archived(linear_org: Org) -> None:
    items = linear_items(linear_org)
    assert {i.container for i in items} == {"GRO"} and len(items) > 25, "more than one page of 25"
    assert any(archived_at(i, linear_org.end) for i in items)
    assert not linear_items(generate_org(OrgConfig(items_per_project=5, days=30))), "five teams: no Linear"


def test_full_load_matches_the_organisation(sim: Simulator, warehouse: Path, linear_org: Org) -> None:
    run = load_linear(sim, warehouse)
    assert run.ok, run.error
    assert_complete(warehouse, linear_org)
    items = linear_items(linear_org)
    archived = [i for i in items if archived_at(i, linear_org.end)]
    assert query(warehouse, "select count(*) from raw_linear.issues where archived_at is not null") == [
        (len(archived),)
    ]
    assert run.rows["workflow_states"] == 9 and run.rows["teams"] == 1
    # The team and its states in one request; then the issues, 25 a page, each with its history.
    assert run.requests == 1 + -(-len(items) // 25)
    assert_never_leaked([sim.credentials.linear_token], run.warnings, warehouse.parent)


def test_a_nightly_load_reads_only_what_changed_since_and_ends_like_a_full_one(
    sim: Simulator, warehouse: Path, linear_org: Org
) -> None:
    night = linear_org.end - timedelta(days=10)
    sim.set_clock(night)
    assert load_linear(sim, warehouse).ok
    assert cursor(warehouse) == {"GRO": f"{night - SAFETY_LAG:%Y-%m-%dT%H:%M:%S}.000Z"}
    sim.set_clock(linear_org.end)
    sim.clear()
    run = load_linear(sim, warehouse)
    assert run.ok, run.error
    changed = [i for i in linear_items(linear_org) if updated_at(i, linear_org.end) > night - SAFETY_LAG]
    assert 0 < run.rows["issues"] == len(changed)
    assert sim.request_count("linear") == 1 + -(-len(changed) // 25)
    assert_complete(warehouse, linear_org)


def test_history_and_labels_past_the_first_page_are_read_page_by_page(
    sim: Simulator, warehouse: Path, linear_org: Org
) -> None:
    run = load_linear(sim, warehouse, history_page_size=2, labels_page_size=1)
    assert run.ok, run.error
    assert_complete(warehouse, linear_org)
    items = linear_items(linear_org)
    longer = [i for i in items if sum(e.kind in HISTORY_KINDS for e in i.events) > 2]
    more_labels = [i for i in items if len(i.labels) > 1]
    assert run.requests == 1 + -(-len(items) // 25) + len(longer) + len(more_labels)


def test_a_page_linear_finds_too_complex_is_asked_again_with_half_as_many_issues(
    sim: Simulator, warehouse: Path, linear_org: Org
) -> None:
    run = load_linear(sim, warehouse, page_size=100)  # 100 issues × 20 history entries: over 10,000 points
    assert run.ok, run.error
    refused = [r for r in sim.requests if r.status == 400]
    assert len(refused) == 2, "100, then 50 refused; 25 fits"
    assert run.warnings == [
        "linear: Linear found a page of issues too complex; asking 50 at a time",
        "linear: Linear found a page of issues too complex; asking 25 at a time",
    ]
    assert_complete(warehouse, linear_org)


def test_ratelimited_is_waited_out_until_the_reset_the_headers_give(linear_org: Org, warehouse: Path) -> None:
    with Simulator(linear_org, rate_limit=3, rate_limit_window_seconds=15) as limited:
        for _ in range(3):  # another client of the same key spends the window's requests
            requests.post(f"{limited.base_url('linear')}/graphql", json={"query": "{ viewer { id } }"},
                          headers={"Authorization": limited.credentials.linear_token}, timeout=10)  # fmt: skip
        run = load_linear(limited, warehouse)
        statuses = [r.status for r in limited.requests]
    assert run.ok, run.error
    assert statuses[3] == 400, "the load's first request found the budget spent: RATELIMITED"
    assert run.warnings[0].startswith("linear: rate limited (HTTP 400 RATELIMITED); waiting ")
    assert_complete(warehouse, linear_org)


def test_a_spent_complexity_budget_is_waited_out_too(linear_org: Org, warehouse: Path) -> None:
    with Simulator(linear_org, complexity_limit=12_000, rate_limit_window_seconds=2) as limited:
        run = load_linear(limited, warehouse)
    assert run.ok, run.error
    assert any(w.startswith("linear: complexity budget used up; waiting ") for w in run.warnings)
    assert not [r for r in limited.requests if r.status != 200], "waited before the budget ran out"
    assert_complete(warehouse, linear_org)


def test_a_page_refused_for_complexity_a_smaller_query_left_waits_for_the_complexity_reset(
    linear_org: Org, warehouse: Path
) -> None:
    """The refused page costs more than the query before it: the complexity budget is what ran out."""
    with Simulator(linear_org, complexity_limit=10_000, rate_limit_window_seconds=8) as limited:
        spend = "{ issues(first: 250) { nodes { id title } } }"  # another client of the key: 300 points a query
        for _ in range(12):
            requests.post(f"{limited.base_url('linear')}/graphql", json={"query": spend},
                          headers={"Authorization": limited.credentials.linear_token}, timeout=10)  # fmt: skip
        run = load_linear(limited, warehouse)
        statuses = [r.status for r in limited.requests]
    assert run.ok, run.error
    assert 400 in statuses[12:], "a page of issues found too little complexity left: RATELIMITED"
    waits = [float(w.split("waiting ")[1].split("s")[0]) for w in run.warnings if "RATELIMITED" in w]
    assert waits and max(waits) <= 9, f"waited for the window's reset, not a guess: {run.warnings}"
    assert_complete(warehouse, linear_org)


def test_a_server_error_mid_paging_and_a_reply_cut_off_are_retried_and_nothing_is_lost(
    sim: Simulator, warehouse: Path, linear_org: Org
) -> None:
    sim.inject(Fault("linear:/graphql", SERVER_ERROR, skip=2), Fault("linear:/graphql", CUT_OFF, skip=5))
    run = load_linear(sim, warehouse, page_size=5)
    assert run.ok, run.error
    assert 500 in [r.status for r in sim.requests]
    assert_complete(warehouse, linear_org)


def test_a_server_error_that_persists_moves_no_cursor_and_the_next_run_loses_nothing(
    sim: Simulator, warehouse: Path, linear_org: Org
) -> None:
    sim.inject(Fault("linear:/graphql", SERVER_ERROR, skip=3, times=1000))
    failed = load_linear(sim, warehouse, page_size=5)
    assert failed.error == (
        f"linear: {sim.base_url('linear')}/graphql kept failing (HTTP 500) after 6 attempts; "
        "rerun later, the load resumes where it stopped"
    )
    loaded = (
        "select count(*) from information_schema.tables where table_schema = 'raw_linear' and table_name = 'issues'"
    )
    assert not warehouse.exists() or query(warehouse, loaded) == [(0,)], "nothing of the failed run was kept"
    sim.clear()
    assert load_linear(sim, warehouse).ok
    assert_complete(warehouse, linear_org)


def test_a_rejected_key_gets_one_line_and_is_never_shown(sim: Simulator, warehouse: Path) -> None:
    run = load_linear(sim, warehouse, api_key="lin_api_wrongKey")
    assert run.error == (
        "linear: the API key was rejected; check sources.linear.api_key (.dlt/secrets.toml) or SOURCES__LINEAR__API_KEY"
    )
    assert_never_leaked(["lin_api_wrongKey"], [run.error, *run.warnings], warehouse.parent)


def test_an_unknown_team_gets_one_line_and_the_others_load(sim: Simulator, warehouse: Path, linear_org: Org) -> None:
    run = load_linear(sim, warehouse, teams=["GRO", "NOPE"])
    assert run.ok, run.error
    assert run.warnings == [
        "linear: team NOPE was not found (no team has that key); check the key and the key's access; skipped "
        "(listed in sources.linear.teams (.dlt/config.toml) or SOURCES__LINEAR__TEAMS)"
    ]
    assert_complete(warehouse, linear_org)
    alone = load_linear(sim, warehouse, teams=["NOPE"])
    assert alone.error == (
        "linear: none of the configured teams could be read; see sources.linear.teams (.dlt/config.toml) "
        "or SOURCES__LINEAR__TEAMS"
    )


def test_a_bad_page_size_gets_one_line_naming_it(sim: Simulator, warehouse: Path) -> None:
    run = load_linear(sim, warehouse, history_page_size=500)
    assert run.error == (
        "linear: history_page_size must be between 1 and 250; check sources.linear.history_page_size "
        "or SOURCES__LINEAR__HISTORY_PAGE_SIZE"
    )


def test_a_missing_key_gets_one_line_and_an_unconfigured_linear_is_not_loaded(
    sim: Simulator, warehouse: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run = load_linear(sim, warehouse, api_key=None)
    assert run.error == (
        "linear: missing setting api_key; set it in .dlt/secrets.toml or .dlt/config.toml under "
        "[sources.linear], or as SOURCES__LINEAR__API_KEY"
    )
    configure_sources(monkeypatch, simulated_settings(sim, "jira"), warehouse)
    assert [setup.name for setup in configured_sources()] == ["jira"]
