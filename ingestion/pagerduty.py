"""PagerDuty source: the configured services, their incidents, and each incident's log entries.

What PagerDuty's REST v2 API makes hard, and how this source meets it:
- `GET /incidents` filters on *creation* time (`since`/`until`) and pages by offset, refusing
  `offset + limit` past 10,000 (HTTP 400, code 2002). Each service is read in creation-time
  windows of `window_days`; the first page asks for the `total`, and a window holding more than
  the ceiling is split in half until each part fits, so no incident is out of reach.
- A creation-time cursor never sees an old incident change: each run re-reads, one request
  each, the incidents that were still open (triggered or acknowledged) at the previous load.
- PagerDuty empties `acknowledgements` when an incident resolves, and `updated_at` moves with
  any note or reassignment: acknowledge and resolve times come from the incident's log entries,
  read for every incident that is new or whose status changed.
Cursors live in dlt resource state, which dlt commits only with the data it describes.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import dlt
from dlt.sources import DltResource

from ingestion.api_client import ApiClient, NotFoundError, RetryPolicy, SourceError
from ingestion.rows import nullable_columns, parse_time
from ingestion.scope import ConfiguredScope

log = logging.getLogger("streamgauge.ingestion")

TOKEN_SETTING = "sources.pagerduty.api_key (.dlt/secrets.toml) or SOURCES__PAGERDUTY__API_KEY"
SERVICES_SETTING = "sources.pagerduty.services (.dlt/config.toml) or SOURCES__PAGERDUTY__SERVICES"
OFFSET_CEILING = 10_000  # PagerDuty refuses offset + limit above this
MAX_LIMIT = 100
MAX_WINDOW_DAYS = 180  # since..until may span at most about six months
SMALLEST_WINDOW = timedelta(seconds=1)
PERMISSIONS = {"incidents": "read access to the service's incidents (its team, or a read-only account-wide key)"}

INCIDENT_COLUMNS = nullable_columns(
    resolved_at="timestamp",
    priority__id="text",
    priority__summary="text",
    escalation_policy__summary="text",
    description="text",
)
LOG_ENTRY_COLUMNS = nullable_columns(agent__id="text", agent__type="text", agent__summary="text", channel__type="text")


@dlt.source(name="pagerduty", max_table_nesting=1)
def pagerduty_source(
    services: list[str] = dlt.config.value,
    api_key: str = dlt.secrets.value,
    base_url: str = "https://api.pagerduty.com",
    history_days: float = 365,
    window_days: float = 30,
    retry_backoff_seconds: float = 1.0,
    page_size: int = MAX_LIMIT,
) -> list[DltResource]:
    """Every configured service's incidents and their log entries.

    `services` lists service ids (`PABC123`, the last part of the service's URL in PagerDuty);
    `api_key` is a REST API key (read-only is enough), sent as `Token token=…`. The first load
    reads `history_days` back; every load reads creation-time windows of `window_days` (at most
    180, PagerDuty's limit). `page_size` is the `limit` asked (100, PagerDuty's maximum, unless
    testing paging). A service that is unknown or not visible is reported in one line and skipped.
    """
    if isinstance(services, str):
        services = [s.strip() for s in services.split(",") if s.strip()]
    if not services:
        raise SourceError(f"pagerduty: no services configured; set {SERVICES_SETTING}")
    if not 0 < window_days <= MAX_WINDOW_DAYS:
        raise SourceError(
            f"pagerduty: window_days must be above 0 and at most {MAX_WINDOW_DAYS}; "
            "check sources.pagerduty.window_days or SOURCES__PAGERDUTY__WINDOW_DAYS"
        )
    client = ApiClient(
        "pagerduty",
        base_url,
        {"Authorization": f"Token token={api_key}", "Accept": "application/vnd.pagerduty+json;version=2"},
        TOKEN_SETTING,
        RetryPolicy(backoff_seconds=retry_backoff_seconds),
        page_size=min(page_size, MAX_LIMIT),
        title="PagerDuty",
    )
    found = ConfiguredScope(client, "services", SERVICES_SETTING, services, _service, "id", PERMISSIONS)
    changed = _changed_incidents(client, found, timedelta(days=history_days), timedelta(days=window_days))
    return [_services(found), changed, changed | _incidents, changed | _log_entries(client)]


def _service(client: ApiClient, service_id: str) -> dict:
    row = client.get(f"/services/{service_id}", what=f"service {service_id}").json()["service"]
    return {
        "id": row["id"],
        "name": row.get("name") or row.get("summary"),
        "description": row.get("description"),
        "status": row.get("status"),
        "html_url": row.get("html_url"),
        "teams": [{"id": t["id"], "summary": t.get("summary")} for t in row.get("teams") or []],
    }


def _services(found: ConfiguredScope) -> DltResource:
    @dlt.resource(name="services", primary_key="id", write_disposition="merge")
    def services() -> Iterator[list[dict]]:
        if found.rows:
            yield found.rows

    return services


# ---------------------------------------------------------------------- incidents
def _changed_incidents(client: ApiClient, found: ConfiguredScope, history: timedelta, window: timedelta) -> DltResource:
    """Incidents created since the last load, and those open then whose status changed; loads nothing itself."""

    @dlt.resource(name="changed_incidents", selected=False)
    def changed_incidents() -> Iterator[list[dict]]:
        state = dlt.current.resource_state()
        cursors = state.setdefault("created_until", {})  # per service: the end of the last window read
        watched = state.setdefault("open", {})  # per service: open incidents → their last_status_change_at
        names = found.names  # looks the services up first: the server's clock is known from here on
        until = client.cursor_limit()
        for service in names:
            since = parse_time(cursors[service]) if service in cursors else until - history
            previous = watched.get(service, {})
            still_open: dict[str, str] = {}
            read: set[str] = set()
            listed = _windows(client, service, since, until, window)
            for rows in found.readable(service, "incidents", listed):
                read.update(row["id"] for row in rows)
                still_open.update(_open(client, rows))
                yield rows
            if (service, "incidents") in found.refused:  # its cursor stays: a later run reads what was skipped
                continue
            rechecked = []
            for incident_id, changed_at in previous.items():
                if incident_id in read:
                    continue
                row = _incident(client, incident_id)
                if row is None:
                    continue
                still_open.update(_open(client, [row]))
                if row.get("last_status_change_at") != changed_at:
                    rechecked.append(row)
            if rechecked:
                yield rechecked
            cursors[service] = _pd_time(max(until, since))
            watched[service] = still_open

    return changed_incidents


def _open(client: ApiClient, rows: list[dict]) -> dict[str, str]:
    """The incidents to read again next time: those not resolved, and those dated after the run began."""
    again = {}
    for row in rows:
        future = client.is_future(
            max(row["created_at"], row.get("updated_at") or ""), f"incident #{row['incident_number']}"
        )
        if row["status"] != "resolved" or future:
            again[row["id"]] = "" if future else row.get("last_status_change_at") or ""
    return again


def _windows(
    client: ApiClient, service: str, since: datetime, until: datetime, window: timedelta
) -> Iterator[list[dict]]:
    start = since
    while start < until:
        end = min(start + window, until)
        yield from _window(client, service, start, end)
        start = end


def _window(client: ApiClient, service: str, since: datetime, until: datetime) -> Iterator[list[dict]]:
    """Pages of one service's incidents created in [since, until); split while more than the offset ceiling."""
    params = {
        "service_ids[]": service,
        "since": _pd_time(since),
        "until": _pd_time(until),
        "sort_by": "created_at:asc",
        "time_zone": "UTC",
        "limit": client.page_size,
        "offset": 0,
        "total": "true",
    }
    body = client.get("/incidents", params, what=f"incidents of service {service}").json()
    total = body.get("total")
    if total is not None and total + client.page_size > OFFSET_CEILING:
        if until - since <= SMALLEST_WINDOW:
            raise SourceError(
                f"pagerduty: service {service} has {total} incidents created within one second at {_pd_time(since)}, "
                f"more than PagerDuty lists ({OFFSET_CEILING}); they cannot all be read"
            )
        middle = since + (until - since) / 2
        yield from _window(client, service, since, middle)
        yield from _window(client, service, middle, until)
        return
    while True:
        if body["incidents"]:
            yield [_slim(row) for row in body["incidents"]]
        if not body.get("more"):
            return
        params = {**params, "offset": params["offset"] + client.page_size, "total": "false"}
        body = client.get("/incidents", params, what=f"incidents of service {service}").json()


def _incident(client: ApiClient, incident_id: str) -> dict | None:
    try:
        return _slim(client.get(f"/incidents/{incident_id}", what=f"incident {incident_id}").json()["incident"])
    except NotFoundError as error:  # merged into another incident, or its service deleted
        log.warning("%s; it was open at the previous load and is no longer listed, skipped", error)
        return None


@dlt.transformer(name="incidents", primary_key="id", write_disposition="merge", columns=INCIDENT_COLUMNS)
def _incidents(rows: list[dict]) -> Iterator[list[dict]]:
    yield rows


def _log_entries(client: ApiClient) -> DltResource:
    """Each changed incident's log: trigger, acknowledge, resolve, assign, escalate (the overview)."""

    @dlt.transformer(
        name="incident_log_entries", primary_key="id", write_disposition="merge", columns=LOG_ENTRY_COLUMNS
    )
    def incident_log_entries(rows: list[dict]) -> Iterator[list[dict]]:
        for row in rows:
            params = {"is_overview": "true", "time_zone": "UTC", "limit": client.page_size, "offset": 0}
            while True:
                body = client.get(
                    f"/incidents/{row['id']}/log_entries", params, what=f"log of incident {row['id']}"
                ).json()
                entries = [_log_entry(entry, row["id"]) for entry in body["log_entries"]]
                if entries:
                    yield entries
                if not body.get("more"):
                    break
                params = {**params, "offset": params["offset"] + client.page_size}

    return incident_log_entries


def _log_entry(entry: dict, incident_id: str) -> dict:
    agent = entry.get("agent") or {}
    return {
        "id": entry["id"],
        "incident_id": incident_id,
        "type": entry["type"],
        "created_at": entry["created_at"],
        "summary": entry.get("summary"),
        "agent": {key: agent.get(key) for key in ("id", "type", "summary")},
        "channel": {"type": (entry.get("channel") or {}).get("type")},
    }


def _slim(row: dict) -> dict:
    """The incident without what analysts never need (assignments and acknowledgements, emptied on
    resolve anyway; alert counts; links), its references cut to id and name."""

    def ref(value: dict | None) -> dict | None:
        return {"id": value["id"], "summary": value.get("summary")} if value else None

    keys = (
        "id", "incident_number", "title", "description", "status", "urgency", "created_at", "updated_at",
        "resolved_at", "last_status_change_at", "html_url", "incident_key",
    )  # fmt: skip
    slim = {key: row.get(key) for key in keys if row.get(key) is not None}
    slim.update(
        service=ref(row.get("service")),
        priority=ref(row.get("priority")),
        escalation_policy=ref(row.get("escalation_policy")),
        teams=[ref(team) for team in row.get("teams") or []],
    )
    return {key: value for key, value in slim.items() if value is not None}


def _pd_time(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
