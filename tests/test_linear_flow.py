"""One Linear issue through the source, the canonical work items and the flow marts, by hand.

GRO-n (created in team OLD as OLD-3, moved to GRO an hour later), as of the organisation's end,
reporting in UTC:

    Mon 06-01 09:00  created, Backlog (backlog)        Wed 06-03 10:00  label `blocked` added
    Mon 06-01 10:00  moved OLD → GRO                   Wed 06-03 16:00  label `blocked` removed
    Mon 06-01 12:00  → Todo (unstarted: ready)         Thu 06-04 10:00  → In Review (started, but
    Tue 06-02 10:00  → In Progress (started), Ann                           its own row: review)
                                                       Thu 06-04 11:00  Bob takes it over
                                                       Fri 06-05 10:00  → Done (completed: done)

lead time = Fri 10:00 − Mon 09:00 = 97 h; cycle time = Fri 10:00 − Tue 10:00 = 72 h, 4 days
(Tue to Fri); active = in progress Tue 10:00 → Thu 10:00 (48 h) less the 6 h blocked = 42 h;
wait = 72 − 42 = 30 h; flow efficiency = 42 / 72; one handoff (Ann → Bob, while started), made
in review (a wait stage) with no active stage after it: it waits until done, 23 h. A second
issue went In Progress (Tue 10:00) → Duplicate (Wed 10:00): canceled, never delivered. Both
closed three months before the end and were archived since: only `includeArchived` reads them.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from pathlib import Path

import pytest
from conftest import load_source
from dbt_helpers import dbt
from test_dbt_canonical import query
from test_linear_source import LINEAR_SMALL

from simulator.generator import generate_org
from simulator.linear_api import archived_at, issue_id
from simulator.model import ASSIGNED, LABELED, STATUS, UNLABELED, ItemEvent, Org, WorkItem
from simulator.server import Simulator


def at(day: int, hour: int) -> datetime:
    return datetime(2026, 6, day, hour, tzinfo=UTC)


def hand_made(org: Org) -> tuple[Org, WorkItem, WorkItem]:
    items = [i for i in org.work_items if i.source == "linear"]
    first, second = items[0], items[1]
    ann, bob = org.teams["growth"][:2]
    moved = dataclasses.replace(
        first,
        created_at=at(1, 9),
        initial_status="Backlog",
        initial_labels=(),
        moved_from=("OLD", 3, at(1, 10)),
        events=[
            ItemEvent(1, at(1, 12), ann, STATUS, "Backlog", "Todo"),
            ItemEvent(2, at(2, 10), ann, STATUS, "Todo", "In Progress"),
            ItemEvent(3, at(2, 10), ann, ASSIGNED, assignee=ann),
            ItemEvent(4, at(3, 10), ann, LABELED, to_value="blocked"),
            ItemEvent(5, at(3, 16), ann, UNLABELED, to_value="blocked"),
            ItemEvent(6, at(4, 10), ann, STATUS, "In Progress", "In Review"),
            ItemEvent(7, at(4, 11), bob, ASSIGNED, assignee=bob),
            ItemEvent(8, at(5, 10), bob, STATUS, "In Review", "Done"),
        ],
    )
    duplicate = dataclasses.replace(
        second,
        created_at=at(1, 9),
        initial_status="Backlog",
        initial_labels=(),
        events=[
            ItemEvent(11, at(2, 10), ann, STATUS, "Backlog", "In Progress"),
            ItemEvent(12, at(3, 10), ann, STATUS, "In Progress", "Duplicate"),
        ],
    )
    replaced = {first.native_id: moved, second.native_id: duplicate}
    org = dataclasses.replace(org, work_items=[replaced.get(i.native_id, i) for i in org.work_items])
    return org, moved, duplicate


@pytest.fixture(scope="module")
def flow(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Org, WorkItem, WorkItem]:
    org, moved, duplicate = hand_made(generate_org(LINEAR_SMALL))
    assert archived_at(moved, org.end) and archived_at(duplicate, org.end)
    directory = tmp_path_factory.mktemp("linear_flow")
    path = directory / "warehouse.duckdb"
    with Simulator(org) as sim:
        run = load_source(sim, "linear", path, retry_backoff_seconds=0.01)
    assert run.ok, run.error
    selected = "+flow_item_metrics +work_item_transitions +work_item_handoffs"
    as_of = {"as_of": f"{org.end:%Y-%m-%d %H:%M:%S}"}
    dbt(path, directory, "build", "--select", selected, "--indirect-selection", "cautious", variables=as_of)
    return path, org, moved, duplicate


def work_item_id(item: WorkItem) -> str:
    return f"linear:acme:{issue_id(item)}"


def test_the_moved_issue_is_one_work_item_keyed_by_its_id_under_its_identifier_now(flow) -> None:
    path, _, moved, _ = flow
    rows = query(
        path,
        "select item_key, project_key, team, current_stage, is_done from core.work_items "
        f"where work_item_id = '{work_item_id(moved)}'",
    )
    assert rows == [(f"GRO-{moved.number}", "GRO", "growth", "done", True)]


def test_its_transitions_are_its_state_changes_mapped_by_type_or_by_name(flow) -> None:
    path, _, moved, _ = flow
    rows = query(
        path,
        "select transitioned_at, from_status_raw, to_status_raw, from_stage, to_stage from core.work_item_transitions "
        f"where work_item_id = '{work_item_id(moved)}' order by transition_number",
    )
    naive = lambda moment: moment.replace(tzinfo=None)  # noqa: E731
    assert rows == [
        (naive(at(1, 12)), "Backlog", "Todo", "backlog", "ready"),
        (naive(at(2, 10)), "Todo", "In Progress", "ready", "in_progress"),
        (naive(at(4, 10)), "In Progress", "In Review", "in_progress", "review"),
        (naive(at(5, 10)), "In Review", "Done", "review", "done"),
    ]


def test_lead_and_cycle_time_active_wait_blocked_and_handoffs_as_computed_by_hand(flow) -> None:
    path, _, moved, _ = flow
    (row,) = query(
        path,
        "select state, lead_time_hours, cycle_time_hours, cycle_time_days, active_hours, wait_hours, blocked_hours,"
        " flow_efficiency, handoff_count, handoff_wait_hours from marts.flow_item_metrics"
        f" where work_item_id = '{work_item_id(moved)}'",
    )
    assert row[0] == "done"
    assert row[1:4] == (97.0, 72.0, 4)
    assert row[4:7] == (42.0, 30.0, 6.0)
    assert row[7] == pytest.approx(42 / 72)
    assert row[8:] == (1, 23.0)


def test_a_duplicate_is_canceled_and_never_delivered(flow) -> None:
    path, _, _, duplicate = flow
    rows = query(
        path,
        "select current_stage, is_done, is_canceled from core.work_items "
        f"where work_item_id = '{work_item_id(duplicate)}'",
    )
    assert rows == [("canceled", False, True)]
    (state,) = query(
        path,
        f"select state, lead_time_hours from marts.flow_item_metrics where work_item_id = '{work_item_id(duplicate)}'",
    )
    assert state == ("canceled", None)
