"""The simulated PagerDuty REST v2: incident and log-entry shapes, creation-time filters, offset paging and
its 10,000 ceiling, auth, the rate-limit headers.

No package registry ships PagerDuty's OpenAPI description (npm has API clients only, no schema),
so the replies are checked against the field lists of the design notes on PagerDuty.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import requests

from simulator import pagerduty_api
from simulator.model import Org
from simulator.pagerduty_api import all_incidents, services
from simulator.server import RATE_LIMIT, Fault, Simulator

STAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
INCIDENT_FIELDS = {
    "id", "type", "incident_number", "title", "created_at", "status", "resolved_at", "last_status_change_at",
    "urgency", "priority", "service", "teams", "html_url", "acknowledgements", "assignments", "updated_at",
}  # fmt: skip
LOG_ENTRY_FIELDS = {"id", "type", "created_at", "agent", "channel", "incident", "summary"}


@pytest.fixture
def pagerduty(sim: Simulator) -> requests.Session:
    session = requests.Session()
    session.headers["Authorization"] = f"Token token={sim.credentials.pagerduty_token}"
    session.headers["Accept"] = "application/vnd.pagerduty+json;version=2"
    return session


def every_incident(session: requests.Session, sim: Simulator, **params: object) -> list[dict]:
    rows, offset = [], 0
    while True:
        body = session.get(
            f"{sim.base_url('pagerduty')}/incidents", params={**params, "limit": 100, "offset": offset}
        ).json()
        rows += body["incidents"]
        if not body["more"]:
            return rows
        offset += 100


def test_incidents_have_the_documented_fields_and_utc_stamps(pagerduty: requests.Session, sim: Simulator) -> None:
    rows = every_incident(pagerduty, sim, date_range="all")
    assert rows and all(set(row) >= INCIDENT_FIELDS for row in rows)
    assert {row["status"] for row in rows} <= {"triggered", "acknowledged", "resolved"}
    assert {row["urgency"] for row in rows} == {"high", "low"}
    for row in rows:
        assert STAMP.match(row["created_at"]) and STAMP.match(row["last_status_change_at"])
        assert row["service"]["type"] == "service_reference"
        if row["status"] == "resolved":  # emptied on resolve, as PagerDuty does
            assert row["acknowledgements"] == [] and row["assignments"] == [] and STAMP.match(row["resolved_at"])
    assert [row["incident_number"] for row in rows] == list(range(1, len(rows) + 1)), "numbered in creation order"


def test_log_entries_give_acknowledge_and_resolve_times(pagerduty: requests.Session, sim: Simulator, org: Org) -> None:
    incident = next(i for i in all_incidents(org) if i.acknowledged_at and i.resolved_at <= org.end)
    body = pagerduty.get(f"{sim.base_url('pagerduty')}/incidents/{incident.id}/log_entries").json()
    entries = body["log_entries"]
    assert all(set(entry) >= LOG_ENTRY_FIELDS for entry in entries)
    times = {entry["type"]: entry["created_at"] for entry in entries}
    assert times["acknowledge_log_entry"] == pagerduty_api.pd_time(incident.acknowledged_at)
    assert times["resolve_log_entry"] == pagerduty_api.pd_time(incident.resolved_at)
    assert [entry["type"] for entry in entries][0] == "resolve_log_entry", "newest first"
    overview = pagerduty.get(
        f"{sim.base_url('pagerduty')}/incidents/{incident.id}/log_entries", params={"is_overview": "true"}
    ).json()["log_entries"]
    assert "notify_log_entry" not in {entry["type"] for entry in overview}


def test_since_and_until_filter_on_creation_time_and_no_dates_means_the_last_30_days(
    pagerduty: requests.Session, sim: Simulator, org: Org
) -> None:
    since, until = org.start + timedelta(days=30), org.start + timedelta(days=60)
    window = every_incident(pagerduty, sim, since=f"{since:%Y-%m-%dT%H:%M:%SZ}", until=f"{until:%Y-%m-%dT%H:%M:%SZ}")
    assert {row["id"] for row in window} == {i.id for i in all_incidents(org) if since <= i.created_at < until}
    recent = every_incident(pagerduty, sim)
    assert {row["id"] for row in recent} == {
        i.id for i in all_incidents(org) if org.end - timedelta(days=30) <= i.created_at < org.end
    }
    too_long = pagerduty.get(
        f"{sim.base_url('pagerduty')}/incidents",
        params={
            "since": f"{org.end - timedelta(days=200):%Y-%m-%dT%H:%M:%SZ}",
            "until": f"{org.end:%Y-%m-%dT%H:%M:%SZ}",
        },
    )
    assert too_long.status_code == 400 and too_long.json()["error"]["code"] == 2001


def test_service_ids_filter_and_every_service_pages(pagerduty: requests.Session, sim: Simulator, org: Org) -> None:
    for service in services(org):
        rows = every_incident(pagerduty, sim, date_range="all", **{"service_ids[]": service.id})
        assert rows and {row["service"]["id"] for row in rows} == {service.id}
        found = pagerduty.get(f"{sim.base_url('pagerduty')}/services/{service.id}").json()["service"]
        assert found["name"] == service.name == service.repo.rsplit("/", 1)[-1]
    assert pagerduty.get(f"{sim.base_url('pagerduty')}/services/PGHOST1").status_code == 404


def test_offset_and_limit_past_10000_is_refused_with_code_2002(pagerduty: requests.Session, sim: Simulator) -> None:
    url = f"{sim.base_url('pagerduty')}/incidents"
    assert pagerduty.get(url, params={"date_range": "all", "offset": 9900, "limit": 100}).status_code == 200
    refused = pagerduty.get(url, params={"date_range": "all", "offset": 9901, "limit": 100})
    assert refused.status_code == 400 and refused.json()["error"]["code"] == 2002
    total = pagerduty.get(url, params={"date_range": "all", "total": "true"}).json()
    assert total["total"] == len(every_incident(pagerduty, sim, date_range="all")) and total["limit"] == 25


def test_moving_the_clock_shows_the_same_incidents_as_they_were(org: Org) -> None:
    long_one = next(i for i in all_incidents(org) if i.resolved_at - i.created_at > timedelta(hours=2))
    night = long_one.created_at + timedelta(hours=1)
    earlier = {i.id: i for i in all_incidents(org.as_of(night))}
    assert earlier == {i.id: i for i in all_incidents(org) if i.created_at <= night}
    assert any(i.resolved_at > night for i in earlier.values()), "some were still open that night"


def test_a_wrong_key_is_401_and_a_rate_limit_429_with_ratelimit_headers(
    pagerduty: requests.Session, sim: Simulator
) -> None:
    url = f"{sim.base_url('pagerduty')}/incidents"
    denied = requests.get(url, headers={"Authorization": "Token token=wrong"})
    assert denied.status_code == 401 and denied.json()["error"]["message"] == "Authentication failed"
    assert requests.get(url, headers={"Authorization": f"Bearer {sim.credentials.pagerduty_token}"}).status_code == 401
    ok = pagerduty.get(url)
    assert {"ratelimit-limit", "ratelimit-remaining", "ratelimit-reset"} <= {h.lower() for h in ok.headers}
    assert 0 < int(ok.headers["ratelimit-reset"]) <= 3600, "seconds from now, not an epoch"
    sim.inject(Fault("pagerduty:/incidents", RATE_LIMIT))
    try:
        limited = pagerduty.get(url)
    finally:
        sim.clear()
    assert limited.status_code == 429 and limited.json()["error"]["code"] == 2020
