"""A night with the data faults at once, through the nightly job to the serving copy; then a clean night.

The faulty night, a month before the organisation's last day: in every source the newest issue
of a list and the newest event of its history claim a date 270 days ahead (clock skew), a reply is
cut off mid-body, and the token may not read one repository's Actions runs. The night publishes:
each fault is one warning line, and the `events_after_as_of` check lists the events held out of
the intervals. The clean night a month later leaves core and marts row for row as a warehouse
that never saw a fault (`built_warehouse`).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import dagster as dg
import duckdb
import pytest
from conftest import configure_sources, simulated_settings

from benchmarks.compare import compare, copy_warehouse
from orchestration.definitions import build_definitions
from orchestration.refresh import Refresh, refresh
from simulator.model import Org
from simulator.server import CUT_OFF, FORBIDDEN, FUTURE_DATED, Fault, Simulator

# The newest issue of one list of changed issues per source, and the newest event of the history read first.
FUTURE_DATED_LISTS = (
    r"github:/repos/acme/payments-api/issues\?.*sort=updated",
    r"github:/repos/acme/payments-api/issues/events\?",
    r"jira:/rest/api/3/search/jql\?.*fields=",
    r"jira:/rest/api/3/changelog/bulkfetch",
    r"gitlab:/api/v4/projects/acme%2Fplatform/issues\?.*order_by=updated_at",
    r"gitlab:/api/v4/projects/acme%2Fplatform/issues/\d+/resource_label_events",
)
CUT_OFF_PAGES = (
    r"github:/repos/acme/web/issues\?",
    r"jira:/rest/api/3/changelog/bulkfetch",
    r"gitlab:/api/v4/projects/acme%2Fplatform/merge_requests\?",
    r"gitlab:/api/graphql",  # a page of merge requests' commits, approvals and notes: asked again, halved
)
RUNS_OF_WEB = r"github:/repos/acme/web/actions/runs"


@dataclass
class Nights:
    root: Path
    faulty: Refresh
    clean: Refresh


@pytest.fixture(scope="module")
def nights(
    small_org: Org, session_simulator: Simulator, built_warehouse: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Nights]:
    """The two nights, served by the server `built_warehouse` was loaded from: the URLs in the rows match."""
    root = tmp_path_factory.mktemp("nights")
    night = small_org.end - timedelta(days=30)
    future = night + timedelta(days=270)
    sim = session_simulator
    with pytest.MonkeyPatch.context() as patch, dg.DagsterInstance.ephemeral() as instance:
        settings = {}
        for source in ("github", "jira", "gitlab", "pagerduty", "jenkins"):
            settings |= simulated_settings(sim, source, retry_backoff_seconds=0.01)
        # These nights start without dlt state, as first loads, which read GitHub's events from GraphQL
        # timelines; the faults here are aimed at the REST lists every later night reads.
        settings["SOURCES__GITHUB__GRAPHQL"] = "false"
        configure_sources(patch, settings, root / "streamgauge.duckdb")  # compare() needs a stem of its own
        patch.setenv("STREAMGAUGE_SERVING_DUCKDB", str(root / "serving.duckdb"))
        patch.setenv("STREAMGAUGE_DBT_TARGET_PATH", str(root / "dbt_target"))
        try:
            patch.setenv("STREAMGAUGE_AS_OF", f"{night:%Y-%m-%d %H:%M:%S}")
            sim.set_clock(night)
            sim.inject(
                *(Fault(pattern, FUTURE_DATED, dated=future) for pattern in FUTURE_DATED_LISTS),
                *(Fault(pattern, CUT_OFF) for pattern in CUT_OFF_PAGES),
                Fault(RUNS_OF_WEB, FORBIDDEN, times=1000),
            )
            faulty = refresh(build_definitions(), instance)
            assert all(fault.seen for fault in sim.faults), [f.pattern for f in sim.faults if not f.seen]
        finally:
            sim.clear()
            sim.set_clock(small_org.end)
        patch.setenv("STREAMGAUGE_AS_OF", f"{small_org.end:%Y-%m-%d %H:%M:%S}")
        clean = refresh(build_definitions(), instance)
    yield Nights(root, faulty, clean)


def test_the_faulty_night_publishes_with_one_warning_line_per_fault(nights: Nights, small_org: Org) -> None:
    faulty = nights.faulty
    assert faulty.published and not faulty.failures, faulty.failures
    warnings = {run.source: run.warnings for run in faulty.sources}
    future = f"{small_org.end - timedelta(days=30) + timedelta(days=270):%Y-%m-%d %H:%M:%S}"
    dated = {source: [line for line in lines if f"is dated {future} UTC" in line] for source, lines in warnings.items()}
    assert {source: len(lines) for source, lines in dated.items()} == {
        "github": 2,
        "jira": 1,
        "gitlab": 1,
        "pagerduty": 0,
        "jenkins": 0,
    }
    assert [line for line in warnings["github"] if "actions/runs of acme/web answered HTTP 403" in line]
    assert sum(len(lines) for lines in warnings.values()) == 5, warnings


def test_events_dated_after_as_of_are_held_out_and_listed_in_a_warning(nights: Nights) -> None:
    (held,) = nights.faulty.warnings["events_after_as_of"]
    assert held.startswith("core/work_item_stage_intervals (")
    assert "events dated after as_of are held out of the intervals of" in held
    with duckdb.connect(str(nights.root / "serving.duckdb"), read_only=True) as db:
        published = db.execute("select count(*) from core.work_item_stage_intervals").fetchone()[0]
    assert published > 0
    assert "durations_possible" not in nights.faulty.warnings


def test_a_clean_night_after_it_leaves_core_and_marts_as_if_no_fault_had_happened(
    nights: Nights, built_warehouse: Path, tmp_path: Path
) -> None:
    clean = nights.clean
    assert clean.published and not clean.failures, clean.failures
    assert all(run.ok and not run.warnings for run in clean.sources), [(r.source, r.warnings) for r in clean.sources]
    assert "events_after_as_of" not in clean.warnings
    never_faulted = copy_warehouse(built_warehouse, tmp_path)  # compare() cannot attach a file dbt holds open
    tables = compare(never_faulted, nights.root / "streamgauge.duckdb", ["core", "marts"])
    assert tables and not [t for t in tables if t[3] or None in t], tables
