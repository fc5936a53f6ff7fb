"""The PagerDuty source against the simulator: complete, incremental, inside the offset ceiling, fault tolerant."""

from __future__ import annotations

import time
from datetime import timedelta
from pathlib import Path

import duckdb
import pytest
import requests
from conftest import assert_never_leaked, configure_sources, load_source, simulated_settings

from ingestion import pagerduty
from ingestion.api_client import SAFETY_LAG, ApiClient
from ingestion.pipeline import make_pipeline
from orchestration.defs.ingestion import configured_sources
from orchestration.source_runs import SourceRun
from simulator import pagerduty_api
from simulator.model import Org
from simulator.pagerduty_api import Incident, all_incidents
from simulator.server import FORBIDDEN, FUTURE_DATED, RATE_LIMIT, SERVER_ERROR, Fault, Simulator


def load_pagerduty(sim: Simulator, path: Path, **settings: object) -> SourceRun:
    return load_source(sim, "pagerduty", path, **{"retry_backoff_seconds": 0.01, **settings})


def query(path: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(path), read_only=True) as db:
        return db.execute(sql).fetchall()


def expected(org: Org) -> dict[str, Incident]:
    return {i.id: i for i in all_incidents(org)}


def assert_complete(path: Path, org: Org) -> None:
    """Every incident once, with its status as of the organisation's end, and its acknowledge and resolve entries."""
    incidents = expected(org)
    rows = {i: s for i, s in query(path, "select id, status from raw_pagerduty.incidents")}
    assert rows == {i.id: pagerduty_api._status(i, org.end) for i in incidents.values()}
    logged = query(
        path,
        "select incident_id, type, created_at from raw_pagerduty.incident_log_entries "
        "where type in ('acknowledge_log_entry', 'resolve_log_entry')",
    )
    times = {(incident, kind): at for incident, kind, at in logged}
    for incident in incidents.values():
        if incident.resolved_at <= org.end:
            assert times[(incident.id, "resolve_log_entry")] == incident.resolved_at
        if incident.acknowledged_at and incident.acknowledged_at <= org.end:
            assert times[(incident.id, "acknowledge_log_entry")] == incident.acknowledged_at
    assert query(path, "select count(*) = count(distinct id) from raw_pagerduty.incident_log_entries") == [(True,)]


def state(path: Path) -> dict:
    return make_pipeline("pagerduty", path).state["sources"]["pagerduty"]["resources"]["changed_incidents"]


def test_full_load_matches_the_organisation(simulator: Simulator, warehouse: Path, small_org: Org) -> None:
    run = load_pagerduty(simulator, warehouse)
    assert run.ok, run.error
    assert_complete(warehouse, small_org)
    assert run.rows["services"] == 5
    # Per service: its lookup and one window request per 30 days of the year read back;
    # per incident: one request for its log.
    windows = -(-365 // 30)
    assert run.requests == 5 + 5 * windows + len(expected(small_org))
    assert {"notify_log_entry"}.isdisjoint(
        {t for (t,) in query(warehouse, "select type from raw_pagerduty.incident_log_entries")}
    )
    assert_never_leaked([simulator.credentials.pagerduty_token], run.warnings, warehouse.parent)


def test_a_rerun_with_nothing_new_reads_only_the_open_incidents(
    simulator: Simulator, warehouse: Path, small_org: Org
) -> None:
    assert load_pagerduty(simulator, warehouse).ok
    still_open = [i for i in expected(small_org).values() if i.resolved_at > small_org.end]
    simulator.clear()
    run = load_pagerduty(simulator, warehouse)
    assert run.ok, run.error
    assert simulator.request_count("pagerduty") == 5 + len(still_open), "the services, then each open incident"
    assert "incidents" not in run.rows, "nothing changed, nothing loaded"
    assert_complete(warehouse, small_org)


def test_an_incident_open_at_the_previous_load_is_read_again_and_gets_its_resolve_time(
    simulator: Simulator, warehouse: Path, small_org: Org
) -> None:
    incidents = expected(small_org)
    long_one = next(i for i in incidents.values() if i.resolved_at - i.created_at > timedelta(hours=2))
    night = long_one.created_at + timedelta(hours=1)
    simulator.set_clock(night)
    assert load_pagerduty(simulator, warehouse).ok
    assert query(warehouse, f"select status, resolved_at from raw_pagerduty.incidents where id = '{long_one.id}'") in (
        [("triggered", None)],
        [("acknowledged", None)],
    )
    assert long_one.id in state(warehouse)["open"][long_one.service.id]

    simulator.set_clock(small_org.end)
    simulator.clear()
    run = load_pagerduty(simulator, warehouse)
    assert run.ok, run.error
    assert simulator.request_count("pagerduty", f"^/incidents/{long_one.id}$") == 1
    assert_complete(warehouse, small_org)
    created_since = [i for i in incidents.values() if i.created_at >= night - SAFETY_LAG]
    assert run.rows["incidents"] <= len(created_since) + len(state(warehouse)["open"]) + 5


def test_a_window_past_the_offset_ceiling_is_split_until_every_part_fits(
    simulator: Simulator, warehouse: Path, small_org: Org, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pagerduty_api, "OFFSET_CEILING", 4)
    monkeypatch.setattr(pagerduty, "OFFSET_CEILING", 4)
    run = load_pagerduty(simulator, warehouse, page_size=2, window_days=180)
    assert run.ok, run.error
    assert not [r for r in simulator.requests if r.status == 400], "never asked past the ceiling"
    windows = [r for r in simulator.requests if r.path == "/incidents" and "total=true" in r.query]
    assert len(windows) > 5 * 3, "the 3 windows of 180 days per service were split"
    assert_complete(warehouse, small_org)


def test_a_server_error_that_persists_moves_no_cursor_and_the_next_run_loses_nothing(
    simulator: Simulator, warehouse: Path, small_org: Org
) -> None:
    simulator.inject(Fault(r"pagerduty:/incidents/P[A-Z0-9]+/log_entries", SERVER_ERROR, skip=10, times=1000))
    failed = load_pagerduty(simulator, warehouse)
    assert failed.error is not None and failed.error.startswith("pagerduty: ")
    assert "kept failing (HTTP 500)" in failed.error
    loaded = (
        "select count(*) from information_schema.tables "
        "where table_schema = 'raw_pagerduty' and table_name = 'incidents'"
    )
    assert not warehouse.exists() or query(warehouse, loaded) == [(0,)], "nothing of the failed run was kept"
    simulator.clear()
    assert load_pagerduty(simulator, warehouse).ok
    assert_complete(warehouse, small_org)


def test_a_bad_window_setting_gets_one_line_naming_it(simulator: Simulator, warehouse: Path) -> None:
    run = load_pagerduty(simulator, warehouse, window_days=365)
    assert run.error == (
        "pagerduty: window_days must be above 0 and at most 180; "
        "check sources.pagerduty.window_days or SOURCES__PAGERDUTY__WINDOW_DAYS"
    )


def test_a_rejected_key_gets_one_line_and_is_never_shown(simulator: Simulator, warehouse: Path) -> None:
    run = load_pagerduty(simulator, warehouse, api_key="u+wrongKey")
    assert run.error == (
        "pagerduty: the credentials were rejected (HTTP 401); check sources.pagerduty.api_key (.dlt/secrets.toml) "
        "or SOURCES__PAGERDUTY__API_KEY"
    )
    assert_never_leaked(["u+wrongKey"], [run.error, *run.warnings], warehouse.parent)


def test_an_incident_dated_in_the_future_loads_with_one_warning_and_is_read_again_next_run(
    simulator: Simulator, warehouse: Path, small_org: Org, tmp_path: Path
) -> None:
    settings = {"history_days": 150, "window_days": 180}  # one window holds the whole organisation
    clean = tmp_path / "clean" / "warehouse.duckdb"
    assert load_pagerduty(simulator, clean, **settings).ok
    night = small_org.end - timedelta(days=30)
    future = night + timedelta(days=270)
    simulator.set_clock(night)
    simulator.inject(Fault(r"pagerduty:/incidents\?", FUTURE_DATED, dated=future))
    skewed = load_pagerduty(simulator, warehouse, **settings)
    assert skewed.ok, skewed.error
    (line,) = skewed.warnings
    assert line.startswith("pagerduty: incident #") and (
        f"is dated {future:%Y-%m-%d %H:%M:%S} UTC, after this run began ({night:%Y-%m-%d %H:%M:%S} UTC)" in line
    )

    simulator.clear()
    simulator.set_clock(small_org.end)
    assert load_pagerduty(simulator, warehouse, **settings).ok
    columns = "id, status, created_at, updated_at, last_status_change_at, resolved_at"
    assert query(warehouse, f"select {columns} from raw_pagerduty.incidents order by id") == query(
        clean, f"select {columns} from raw_pagerduty.incidents order by id"
    )


def test_a_server_error_in_the_middle_of_paging_and_a_429_are_retried_and_nothing_is_lost(
    simulator: Simulator, warehouse: Path, small_org: Org
) -> None:
    simulator.inject(
        Fault(r"pagerduty:/incidents\?.*offset=2(&|$)", SERVER_ERROR),  # the second page of a window
        Fault(r"pagerduty:/incidents/P[A-Z0-9]+/log_entries", RATE_LIMIT, skip=3),
    )
    run = load_pagerduty(simulator, warehouse, page_size=2, history_days=150, window_days=180)
    assert run.ok, run.error
    assert [r.status for r in simulator.requests if r.status >= 400] == [500, 429]
    assert_complete(warehouse, small_org)


def test_pagerdutys_ratelimit_reset_is_read_as_seconds_from_now() -> None:
    client = ApiClient("pagerduty", "http://127.0.0.1:9", {}, "token")
    reply = requests.Response()
    reply.status_code = 429
    reply.headers.update({"ratelimit-limit": "960", "ratelimit-remaining": "0", "ratelimit-reset": "30"})
    assert 30 <= client._until_reset(reply) <= 31.5
    reply.headers["ratelimit-reset"] = str(int(time.time()) + 30)  # GitLab's: an epoch
    assert 29 <= client._until_reset(reply) <= 31.5


def test_services_without_a_key_get_one_line_and_an_unconfigured_pagerduty_is_not_loaded(
    simulator: Simulator, warehouse: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run = load_pagerduty(simulator, warehouse, api_key=None)
    assert run.error == (
        "pagerduty: missing setting api_key; set it in .dlt/secrets.toml or .dlt/config.toml under "
        "[sources.pagerduty], or as SOURCES__PAGERDUTY__API_KEY"
    )
    configure_sources(monkeypatch, simulated_settings(simulator, "jira"), warehouse)
    assert [setup.name for setup in configured_sources()] == ["jira"]


def test_a_service_whose_incidents_are_refused_is_skipped_and_read_in_full_once_allowed(
    simulator: Simulator, warehouse: Path, small_org: Org
) -> None:
    web = next(s for s in pagerduty_api.services(small_org) if s.name == "web")
    simulator.inject(Fault(rf"pagerduty:/incidents\?.*service_ids%5B%5D={web.id}", FORBIDDEN, times=1000))
    run = load_pagerduty(simulator, warehouse)
    assert run.ok, run.error
    assert run.warnings == [
        f"pagerduty: incidents of {web.id} answered HTTP 403; skipped there, everything else loads: the token "
        "(sources.pagerduty.api_key (.dlt/secrets.toml) or SOURCES__PAGERDUTY__API_KEY) needs read access to the "
        f"service's incidents (its team, or a read-only account-wide key) on {web.id}"
    ]
    services = {s for (s,) in query(warehouse, "select distinct service__id from raw_pagerduty.incidents")}
    assert web.id not in services and len(services) == 4
    simulator.clear()
    assert load_pagerduty(simulator, warehouse).ok
    assert_complete(warehouse, small_org)
