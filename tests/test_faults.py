"""Faults an operator meets, one at a time, against the simulator: what the user sees, and that nothing is lost.

Each source is loaded the way the nightly job loads it. Where data is involved, a clean run after
the fault must leave the raw tables row for row as a load that never saw the fault
(`clean_raw`); `test_fault_night.py` takes the same faults through dbt to the core and mart tables.
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import duckdb
import pytest
from conftest import load_source

from orchestration.source_runs import SourceRun
from simulator.model import Org
from simulator.server import BROKEN_CHUNKS, CUT_OFF, FUTURE_DATED, GARBLED, Fault, Simulator

SOURCES = ("github", "jira", "gitlab")
# The first page of each source's first list of issues.
ISSUES = {
    "github": r"github:/repos/acme/payments-api/issues\?",
    "jira": r"jira:/rest/api/3/search/jql\?",
    "gitlab": r"gitlab:/api/v4/projects/acme%2Fplatform/issues\?",
}


def load(sim: Simulator, source: str, path: Path, **settings: object) -> SourceRun:
    return load_source(sim, source, path, retry_backoff_seconds=0.01, **settings)


def raw_rows(path: Path, source: str) -> dict[str, list[tuple]]:
    """Every raw table of the source without dlt's bookkeeping columns, its rows in a stable order
    (and the simulator's port left out of URLs: each test has a server of its own)."""
    with duckdb.connect(str(path), read_only=True) as db:
        tables = db.execute(
            "select table_name from information_schema.tables where table_schema = ? "
            "and table_name not like '\\_dlt%' escape '\\'",
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
        for source in SOURCES:
            path = tmp_path_factory.mktemp(f"clean_{source}") / "warehouse.duckdb"
            assert load(sim, source, path).ok
            rows[source] = raw_rows(path, source)
    return rows


# ---------------------------------------------------------------------- a row dated in the future
@pytest.mark.parametrize("source", SOURCES)
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
