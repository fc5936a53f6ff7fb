"""Runs a killed process left behind, and waiting for a run that is still going.

Each step holds a slot of its pool (`streamgauge_duckdb`, or its source's) while it works. When
the process running them is killed (SIGKILL, the out-of-memory killer, a reboot), nothing ends
the run: it stays STARTED in the Dagster instance, its slot stays claimed, and every later run
would wait for that slot for ever. Dagster's run monitoring (orchestration/dagster.yaml) fails
runs that never got going and frees the slots of runs that ended, but the default run launcher
cannot tell whether a run's process still exists, and `make refresh` runs outside the daemon.

`recover` fills that gap. The process that executes a run (`make refresh` itself, or the run
worker the daemon launched) is the pid Dagster records on the run's start event. When no process
has that pid, or the one that has it started after the run did (the pid was reused, e.g. after a
reboot), the run is marked failed with the reason and its pool slots are freed. The instance is
SQLite in `.dagster/` on this machine, so every run it records ran here.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

import dagster as dg
import psutil

from orchestration.warehouse import warehouse_holder

WAIT_SECONDS_ENV = "STREAMGAUGE_REFRESH_WAIT_SECONDS"
DEFAULT_WAIT_SECONDS = 1800
# Runs whose process holds or may hold the warehouse: launched, running, or being stopped.
IN_FLIGHT = [dg.DagsterRunStatus.STARTING, dg.DagsterRunStatus.STARTED, dg.DagsterRunStatus.CANCELING]
STEP_START = dg.DagsterEventType.STEP_START


@dataclass(frozen=True)
class RunInFlight:
    """A run launched, running or being stopped, the process that recorded its start, and those that
    started its steps (steps side by side run in processes of their own)."""

    run: dg.DagsterRun
    started_at: float | None  # when its process recorded the start, or was asked to launch it
    pid: int | None  # the process that recorded it
    steps: tuple[tuple[int, float], ...] = ()  # (pid, when it started the step)

    def __str__(self) -> str:
        started = f"{datetime.fromtimestamp(self.started_at, UTC):%Y-%m-%d %H:%M:%S} UTC" if self.started_at else "?"
        return f"run {self.run.run_id[:8]} ({self.run.job_name}) started at {started} (pid {self.pid or '?'})"

    def is_alive(self) -> bool:
        """Whether the process that recorded the run, or one that ran a step of it, still exists and is
        that process; unknown counts as alive. A step's process outlives a killed run worker: until it
        ends, it may still be loading its source."""
        if self.pid is None or self.started_at is None:
            return True
        return any(_still_running(pid, since) for pid, since in [(self.pid, self.started_at), *self.steps])


def _still_running(pid: int, since: float) -> bool:
    try:
        process = psutil.Process(pid)
        # One that started after `since` was given the pid of the dead one (process start times
        # are exact to about a second).
        return process.create_time() <= since + 1 and process.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False
    except psutil.AccessDenied:
        return True


def runs_in_flight(instance: dg.DagsterInstance) -> list[RunInFlight]:
    """Every run launched, running or being stopped, with the process that runs it as far as known."""
    runs = []
    for run in instance.get_runs(filters=dg.RunsFilter(statuses=IN_FLIGHT)):
        # The run's own start event, else (a run still launching) the last event: the launcher's.
        records = instance.get_records_for_run(run.run_id, of_type=dg.DagsterEventType.RUN_START, limit=1).records
        records = records or instance.get_records_for_run(run.run_id, limit=1, ascending=False).records
        entry = records[0].event_log_entry if records else None
        pid = entry.dagster_event.pid if entry and entry.dagster_event else None
        steps = [r.event_log_entry for r in instance.get_records_for_run(run.run_id, of_type=STEP_START).records]
        step_pids = {(e.dagster_event.pid, e.timestamp) for e in steps if e.dagster_event and e.dagster_event.pid}
        runs.append(RunInFlight(run, entry.timestamp if entry else None, pid, tuple(sorted(step_pids))))
    return runs


def recover(instance: dg.DagsterInstance) -> list[str]:
    """Fail the runs whose process is gone and free the pool slots of every run that has ended.

    Returns one line per run recovered or freed; none when there was nothing to do.
    """
    said = []
    in_flight = runs_in_flight(instance)
    alive = {r.run.run_id for r in in_flight if r.is_alive()}
    for dead in [r for r in in_flight if r.run.run_id not in alive]:
        instance.report_run_failed(
            dead.run,
            f"The process that ran this run (pid {dead.pid}) is gone: it was killed, ran out of memory or the "
            f"machine restarted. Marked failed by pid {os.getpid()}, which freed the run's pool slots.",
        )
        pools = _free_slots(instance, dead.run.run_id)
        freed = f" and freed its {_slots(pools)}" if pools else ""
        said.append(f"Recovered {dead}: its process is gone; marked it failed{freed}.")
    for run_id in sorted(_holders(instance) - alive):
        run = instance.get_run_by_id(run_id)
        if run is None or run.is_finished:  # e.g. stopped from the UI, or failed by the code server
            pools = _free_slots(instance, run_id)
            held = f"its {_slots(pools)}" if pools else "a place in a pool's queue"
            said.append(f"Run {run_id[:8]} had ended but still held {held}: freed.")
    return said


def _slots(pools: list[str]) -> str:
    """`slot in streamgauge_duckdb`; `slots in streamgauge_github, streamgauge_gitlab` (sources side by side)."""
    return f"slot{'s' * (len(pools) > 1)} in {', '.join(pools)}"


def _holders(instance: dg.DagsterInstance) -> set[str]:
    """The runs that hold a pool slot or wait for one."""
    storage = instance.event_log_storage
    holders = set()
    for pool in storage.get_concurrency_keys():
        info = storage.get_concurrency_info(pool)
        holders |= {slot.run_id for slot in info.claimed_slots} | {step.run_id for step in info.pending_steps}
    return holders


def _free_slots(instance: dg.DagsterInstance, run_id: str) -> list[str]:
    """Free the slots the run holds and its places in the pools' queues; returns the pools it held a slot in."""
    storage = instance.event_log_storage
    pools = [
        pool
        for pool in sorted(storage.get_concurrency_keys())
        if run_id in {slot.run_id for slot in storage.get_concurrency_info(pool).claimed_slots}
    ]
    storage.free_concurrency_slots_for_run(run_id)
    return pools


class NotStarted(Exception):
    """A refresh did not start: another run or process kept the warehouse for longer than it waits."""


def wait_seconds() -> float:
    """How long a refresh waits for another run: `$STREAMGAUGE_REFRESH_WAIT_SECONDS` (checked at start
    with the other settings, orchestration/settings.py), else 30 minutes."""
    return float(os.environ.get(WAIT_SECONDS_ENV, "").strip() or DEFAULT_WAIT_SECONDS)


def wait_for_warehouse(
    instance: dg.DagsterInstance, seconds: float, say: Callable[[str], None], poll_seconds: float = 2.0
) -> None:
    """Recover what dead runs left, then wait until no other run is in flight and no process has the warehouse.

    Says at once what it waits for, and again when that changes; raises NotStarted after `seconds`.
    A run the daemon launches in the moment between this and the refresh's first step is waited for
    by Dagster's pool instead, without a limit: the two never write at once either way.
    """
    deadline = time.monotonic() + seconds
    waited_for = None
    while True:
        for line in recover(instance):
            say(line)
        live = runs_in_flight(instance)
        holder = None if live else warehouse_holder()
        if not live and holder is None:
            return
        busy = f"{live[0]} to finish" if live else f"{holder} to close the warehouse"
        if time.monotonic() >= deadline:
            raise NotStarted(
                f"Gave up after {seconds:.0f} s waiting for {busy}. Let it finish or stop it, "
                f"or set {WAIT_SECONDS_ENV} to wait longer."
            )
        if busy != waited_for:
            say(f"Waiting for {busy} (at most {seconds:.0f} s, {WAIT_SECONDS_ENV}) ...")
            waited_for = busy
        time.sleep(poll_seconds)
