"""A refresh killed at any step is recovered by the next one: nothing hangs, nothing is lost or loaded twice.

The main test runs `make refresh` in subprocesses, with the Dagster instance on disk as `make
refresh` keeps it, and kills it (tests/killed_refresh.py: SIGKILL to its process group, as when
the machine goes down) in each of its five steps in turn: extract, normalize, load, dbt build,
publish. Each rerun must first recover what the kill before left, and is itself killed one step
further on; the last one completes. Every step is thus followed by a run that gets past a kill
there, at half the cost of five kills each followed by a full rerun. The last run must publish
core and mart tables equal to those of the session's clean refresh, from the same simulator, and
leave raw tables with the same rows and no key twice. A warehouse loaded on two nights holds the
raw rows of one loaded at once too. Smaller tests cover waiting for a live run or process, a
reused pid, and the daemon's sensor.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import dagster as dg
import duckdb
import psutil
import pytest
from conftest import Refreshed, configure, published_run
from dbt_helpers import load_all_sources

from benchmarks.compare import compare
from orchestration.recovery import (
    WAIT_SECONDS_ENV,
    NotStarted,
    RunInFlight,
    runs_in_flight,
    wait_for_warehouse,
    wait_seconds,
)
from orchestration.schedules import recover_dead_runs_sensor
from orchestration.serving import SERVING_PATH_ENV
from orchestration.warehouse import DUCKDB_PATH_ENV, DUCKDB_POOL, source_pool, warehouse_lock
from simulator.model import Org
from simulator.server import Simulator

REPOSITORY = Path(__file__).resolve().parents[1]
STEPS = ("extract", "normalize", "load", "dbt", "publish")
SOURCES = ("github", "gitlab", "jira")
REFRESH_TIMEOUT = 600  # seconds: a refresh of the small organisation takes one to four minutes, a hung one for ever


@dataclass
class Ran:
    pid: int
    returncode: int
    stdout: str
    stderr: str
    killed_during: str | None


def run_refresh(killed_during: str | None = None) -> Ran:
    """`python -m orchestration.refresh` in a subprocess, or one killed during a step."""
    command = ["tests/killed_refresh.py", killed_during] if killed_during else ["-m", "orchestration.refresh"]
    process = subprocess.Popen(
        [sys.executable, *command],
        cwd=REPOSITORY,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # a process group of its own, dbt included: killed_refresh.py kills it whole
    )
    try:
        stdout, stderr = process.communicate(timeout=REFRESH_TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        raise
    return Ran(process.pid, process.returncode, stdout, stderr, killed_during)


def assert_recovered(rerun: Ran, killed: Ran) -> None:
    """The rerun says first that it failed the killed run, known by its pid, and freed the slot of the
    step it was killed in: a source's pool (GitHub's first, GitLab's at the load), then the warehouse's."""
    recovered = [line for line in rerun.stdout.splitlines() if line.startswith("Recovered run ")]
    assert len(recovered) == 1, rerun.stdout + rerun.stderr
    pool = {"extract": "github", "normalize": "github", "load": "gitlab"}.get(killed.killed_during)
    assert recovered[0].endswith(
        f"(pid {killed.pid}): its process is gone; marked it failed and freed its slot in "
        f"{source_pool(pool) if pool else DUCKDB_POOL}."
    )


def logged(instance: dg.DagsterInstance, run: dg.DagsterRun) -> str:
    return "\n".join(entry.message for entry in instance.all_logs(run.run_id))


def keys_held_twice(warehouse: Path) -> dict[str, int]:
    """The raw tables that hold a key twice, and how many extra rows: the key dlt merges on, or for a
    nested table its rows' own id."""
    twice = {}
    with duckdb.connect(str(warehouse), read_only=True) as db:
        for source in SOURCES:
            (stored,) = db.execute(f"select schema from raw_{source}._dlt_version order by inserted_at desc").fetchone()
            for name, table in json.loads(stored)["tables"].items():
                if name.startswith("_dlt") or not table.get("columns"):
                    continue
                key = [c for c, column in table["columns"].items() if column.get("primary_key")] or ["_dlt_id"]
                extra = db.execute(f"select count(*) - count(distinct ({', '.join(key)})) from raw_{source}.{name}")
                if count := extra.fetchone()[0]:
                    twice[f"raw_{source}.{name}"] = count
    return twice


def test_a_refresh_killed_at_each_step_is_recovered_by_the_next(
    refreshed: Refreshed, session_simulator: Simulator, small_org: Org, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clean = refreshed.root
    configure(monkeypatch, session_simulator, tmp_path, as_of=small_org.end)
    home, serving = tmp_path / "dagster", Path(os.environ[SERVING_PATH_ENV])
    home.mkdir()
    shutil.copy(REPOSITORY / "orchestration" / "dagster.yaml", home)
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    serving.parent.mkdir()
    shutil.copy(clean / "serving" / "serving.duckdb", serving)  # yesterday's copy
    yesterday = serving.read_bytes()

    previous = None
    for step in STEPS:
        killed = run_refresh(killed_during=step)
        assert killed.returncode == -signal.SIGKILL, killed.stdout + killed.stderr
        assert f"killed during {step}" in killed.stderr
        if previous:
            assert_recovered(killed, previous)
        assert serving.read_bytes() == yesterday
        previous = killed
    left = {f.name for f in serving.parent.iterdir()} - {serving.name}
    assert left and all(name.startswith(".serving.duckdb.tmp") for name in left), left
    (serving.parent / ".serving.duckdb.5e1f0a2b.tmp").touch()  # as earlier versions named it

    done = run_refresh()
    assert done.returncode == 0, done.stdout + done.stderr
    assert_recovered(done, previous)
    assert "Published the serving copy" in done.stdout
    assert not list(serving.parent.glob(".*tmp*"))

    with dg.DagsterInstance.from_config(str(home)) as instance:
        runs = list(reversed(instance.get_runs()))
        assert [r.status for r in runs] == [dg.DagsterRunStatus.FAILURE] * len(STEPS) + [dg.DagsterRunStatus.SUCCESS]
        assert all("is gone" in logged(instance, run) for run in runs[: len(STEPS)])
        # What each source did with what the kill before left, said where the run's log keeps it.
        assert "github: discarded the extract an interrupted run cut off" in logged(instance, runs[1])
        assert "github: loaded package" in logged(instance, runs[2])
        assert "gitlab: discarded package" in logged(instance, runs[3])
    assert published_run(serving) == runs[-1].run_id

    schemas = ["core", "marts", *(f"raw_{source}" for source in SOURCES)]
    tables = compare(clean / "warehouse.duckdb", tmp_path / "warehouse.duckdb", schemas)
    assert {name.split(".")[0] for name, *_ in tables} == set(schemas)
    assert [t for t in tables if t[3] or None in t] == []
    assert keys_held_twice(tmp_path / "warehouse.duckdb") == {}


def test_loaded_on_two_nights_the_raw_tables_hold_the_rows_of_one_load(
    refreshed: Refreshed, session_simulator: Simulator, small_org: Org, tmp_path: Path
) -> None:
    """Every event is listed from its own moment on, so paging newest first down to the stored cursor
    misses none. `reconciliations` records each listing of the issue ids: two nights, two listings."""
    warehouse = tmp_path / "warehouse.duckdb"
    try:
        session_simulator.set_clock(small_org.end - timedelta(days=30))
        load_all_sources(session_simulator, warehouse)
    finally:
        session_simulator.set_clock(small_org.end)
    load_all_sources(session_simulator, warehouse)
    tables = compare(refreshed.root / "warehouse.duckdb", warehouse, [f"raw_{source}" for source in SOURCES])
    assert "raw_github.issue_events" in {name for name, *_ in tables}
    differ = [t for t in tables if t[3] or None in t]
    assert [name for name, *_ in differ] == [f"raw_{source}.reconciliations" for source in SOURCES], differ
    assert keys_held_twice(warehouse) == {}


# ---------------------------------------------------------------------- waiting, pids, the daemon
def started_run(instance: dg.DagsterInstance, pid: int) -> str:
    """A run the process `pid` has started, as far as the instance knows."""

    @dg.op
    def step() -> None:
        pass

    @dg.job(name="nightly_refresh")
    def job() -> None:
        step()

    run = instance.create_run_for_job(job)
    instance.report_dagster_event(
        dg.DagsterEvent(dg.DagsterEventType.RUN_START.value, run.job_name, pid=pid), run.run_id
    )
    return run.run_id


def gone_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_a_refresh_waits_for_a_live_run_says_so_at_once_and_gives_up_in_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(WAIT_SECONDS_ENV, "1")
    with dg.instance_for_test() as instance:
        run_id = started_run(instance, os.getpid())
        (live,) = runs_in_flight(instance)
        started = f"{datetime.fromtimestamp(live.started_at, UTC):%Y-%m-%d %H:%M:%S}"
        said: list[str] = []
        began = time.monotonic()
        with pytest.raises(NotStarted) as gave_up:
            wait_for_warehouse(instance, wait_seconds(), said.append, poll_seconds=0.1)
        assert 1 <= time.monotonic() - began < 10
        assert said == [
            f"Waiting for run {run_id[:8]} (nightly_refresh) started at {started} UTC (pid {os.getpid()}) to finish "
            f"(at most 1 s, {WAIT_SECONDS_ENV}) ..."
        ]
        assert str(gave_up.value).startswith(f"Gave up after 1 s waiting for run {run_id[:8]}")
        assert WAIT_SECONDS_ENV in str(gave_up.value)
        assert instance.get_run_by_id(run_id).status == dg.DagsterRunStatus.STARTED  # a live run is left alone


HOLD = """
import sys, duckdb
db = duckdb.connect(sys.argv[1])
print("open", flush=True)
sys.stdin.read()
"""


def test_a_refresh_waits_for_a_process_that_has_the_warehouse_open(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """E.g. the `dbt build` of a refresh killed meanwhile, which goes on writing until it ends."""
    warehouse = tmp_path / "warehouse.duckdb"
    monkeypatch.setenv(DUCKDB_PATH_ENV, str(warehouse))
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(warehouse)], stdin=subprocess.PIPE, stdout=subprocess.PIPE
    )
    said: list[str] = []
    with dg.instance_for_test() as instance:
        try:
            assert holder.stdout.readline() == b"open\n"
            with pytest.raises(NotStarted, match=f"waiting for pid {holder.pid} "):
                wait_for_warehouse(instance, 1, said.append, poll_seconds=0.1)
        finally:
            holder.kill()
            holder.wait()
        assert len(said) == 1 and said[0].startswith(f"Waiting for pid {holder.pid} (")
        assert "to close the warehouse" in said[0]
        wait_for_warehouse(instance, 1, said.append)  # closed now: no wait, nothing said
    assert len(said) == 1


LOCK = """
import sys, time
from orchestration.warehouse import warehouse_lock
with warehouse_lock():
    print("held", flush=True)
    time.sleep(600)
"""


def test_a_step_waits_for_the_warehouse_lock_which_a_killed_holder_lets_go(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Steps side by side take turns in the warehouse; one killed in its turn blocks nobody after."""
    monkeypatch.setenv(DUCKDB_PATH_ENV, str(tmp_path / "warehouse.duckdb"))
    holder = subprocess.Popen([sys.executable, "-c", LOCK], cwd=REPOSITORY, stdout=subprocess.PIPE)
    acquired: list[float] = []

    def take_turn() -> None:
        with warehouse_lock(), warehouse_lock():  # a block inside another one is already held
            acquired.append(time.monotonic())

    try:
        assert holder.stdout.readline() == b"held\n"
        waiting = threading.Thread(target=take_turn, daemon=True)
        waiting.start()
        waiting.join(timeout=1)
        assert waiting.is_alive() and not acquired  # still waiting for its turn
        killed = time.monotonic()
        holder.kill()
        waiting.join(timeout=10)
        assert acquired and acquired[0] >= killed
    finally:
        holder.kill()
        holder.wait()
    with (tmp_path / "warehouse.duckdb.lock").open() as lock:  # let go after the blocks: free to take now
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)


def test_a_run_whose_worker_died_is_alive_while_a_step_process_of_it_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    """Steps side by side run in processes of their own, which outlive a killed run worker: the run
    is not failed (nor its source's slot freed for the next run) while one of them may still be loading."""
    monkeypatch.setenv(WAIT_SECONDS_ENV, "1")
    with dg.instance_for_test() as instance:
        run_id = started_run(instance, gone_pid())
        step = dg.DagsterEvent(
            dg.DagsterEventType.STEP_START.value, "nightly_refresh", step_key="step", pid=os.getpid()
        )
        instance.report_dagster_event(step, run_id)
        (run,) = runs_in_flight(instance)
        assert run.steps == ((os.getpid(), run.steps[0][1]),) and run.is_alive()
        with pytest.raises(NotStarted, match=f"waiting for run {run_id[:8]}"):
            wait_for_warehouse(instance, wait_seconds(), lambda line: None, poll_seconds=0.1)
        assert instance.get_run_by_id(run_id).status == dg.DagsterRunStatus.STARTED
    assert not RunInFlight(run.run, run.started_at, run.pid, ((gone_pid(), run.steps[0][1]),)).is_alive()


def test_a_pid_now_held_by_a_process_started_after_the_run_is_not_the_runs() -> None:
    with dg.instance_for_test() as instance:
        started_run(instance, os.getpid())
        (run,) = runs_in_flight(instance)
    assert run.is_alive()
    assert not RunInFlight(run.run, psutil.Process().create_time() - 60, os.getpid()).is_alive()
    assert not RunInFlight(run.run, run.started_at, gone_pid()).is_alive()


def test_the_daemon_sensor_fails_runs_whose_process_is_gone_and_frees_their_slots() -> None:
    with dg.instance_for_test() as instance:
        storage = instance.event_log_storage
        github, gitlab = source_pool("github"), source_pool("gitlab")
        for pool in (github, gitlab, DUCKDB_POOL):
            storage.set_concurrency_slots(pool, 1)
        dead = started_run(instance, gone_pid())
        storage.claim_concurrency_slot(github, dead, "load_github")  # two sources loading side by side
        storage.claim_concurrency_slot(gitlab, dead, "load_gitlab")
        live = started_run(instance, os.getpid())

        result = recover_dead_runs_sensor()(dg.build_sensor_context(instance=instance))

        assert isinstance(result, dg.SkipReason)
        assert result.skip_message.startswith(f"Recovered run {dead[:8]} (nightly_refresh) started at ")
        assert result.skip_message.endswith(f"marked it failed and freed its slots in {github}, {gitlab}.")
        assert instance.get_run_by_id(dead).status == dg.DagsterRunStatus.FAILURE
        assert instance.get_run_by_id(live).status == dg.DagsterRunStatus.STARTED
        (failure,) = instance.all_logs(dead, of_type=dg.DagsterEventType.RUN_FAILURE)
        assert "is gone" in failure.message
        assert not any(storage.get_concurrency_info(pool).claimed_slots for pool in (github, gitlab))

        # A run that ended but kept its slot (stopped from the UI, say) gets it freed too.
        storage.claim_concurrency_slot(DUCKDB_POOL, dead, "dbt_build")
        result = recover_dead_runs_sensor()(dg.build_sensor_context(instance=instance))
        assert result.skip_message == f"Run {dead[:8]} had ended but still held its slot in {DUCKDB_POOL}: freed."
        assert not storage.get_concurrency_info(DUCKDB_POOL).claimed_slots
