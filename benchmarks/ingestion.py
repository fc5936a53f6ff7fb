"""Ingestion throughput through dlt from the loopback simulator.

    python -m benchmarks.ingestion [--items-per-project 2000] [--json out.json]

Generates a larger organisation, serves it with the simulator, and loads every source through
its Dagster assets (`orchestration.source_runs.load_sources`) into a fresh DuckDB file: side by
side in processes of their own, as the scheduled job does (`--at-once 1`: one after another in
this process, as `make refresh` does); once as of one day before the end (the full load) and
once at the end (the incremental nightly load).
The simulator answers from a process per API, as a real API answers from its own machines
(`--simulator-in-process` serves every API from the loading process, as measured before); `--latency-ms`
delays every reply, as the network to a real API does.
Reports records per second (rows dlt normalised / wall seconds: each source's own, and the whole
load's), the wall seconds of each dlt step (extract, normalize, load; from the pipeline's trace),
the CPU seconds of the loading processes (steps and normalize workers) and of the simulator's,
API requests and GitHub GraphQL points per 1,000 work items for each load, and GitHub's requests
by endpoint. `--rest` reads GitHub's pull request details and GitLab's merge requests' commits,
approvals and notes through REST instead of GraphQL, to compare the two paths.
`--loader-file-format` overrides the project's loader file format to compare them;
`--sources github` loads only the sources named (their work items still count every source's);
dlt settings such as `NORMALIZE__WORKERS` are read from the environment as usual.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.metadata
import json
import multiprocessing
import os
import re
import resource
import shutil
import sys
import tempfile
import time
from datetime import datetime, timedelta
from multiprocessing.connection import Connection
from pathlib import Path
from unittest import mock

import dlt

import ingestion.pipeline
from ingestion.pipeline import make_pipeline
from orchestration.defs.ingestion import SOURCES_AT_ONCE
from orchestration.source_runs import load_sources
from orchestration.warehouse import DUCKDB_PATH_ENV
from simulator.generator import OrgConfig, generate_org
from simulator.model import Org
from simulator.server import SLOW, Fault, RequestRecord, Simulator

STEPS = ("extract", "normalize", "load")  # the dlt steps timed
APIS = ("github", "jira", "gitlab", "pagerduty", "jenkins", "linear")
# GitHub's endpoints, named as the simulator's request log shows them (first match wins).
GITHUB_ENDPOINTS = (
    ("graphql", r"^/graphql$"),
    ("pulls/{n}/reviews", r"/pulls/\d+/reviews$"),
    ("pulls/{n}/commits", r"/pulls/\d+/commits$"),
    ("pulls/{n}", r"/pulls/\d+$"),
    ("issues/{n}/events", r"/issues/\d+/events$"),
    ("issues/events", r"/issues/events$"),
    ("issues", r"/issues$"),
    ("actions/runs", r"/actions/runs$"),
    ("deployments/{id}/statuses", r"/deployments/\d+/statuses$"),
    ("deployments/{id}", r"/deployments/\d+$"),
    ("deployments", r"/deployments$"),
    ("repository", r"^/repos/[^/]+/[^/]+$"),
)


def github_requests_by_endpoint(simulator: Simulator | SimulatorProcesses) -> dict[str, int]:
    counts: dict[str, int] = {}
    for record in simulator.requests:
        if record.api == "github":
            name = next((n for n, pattern in GITHUB_ENDPOINTS if re.search(pattern, record.path)), "other")
            counts[name] = counts.get(name, 0) + 1
    return dict(sorted(counts.items(), key=lambda item: -item[1]))


class SimulatorProcess:
    """The simulator serving from a process of its own, steered through a pipe.

    Against a real API the answering happens on the API's machines. In this process it would share
    the interpreter lock with the load being measured, and the load's seconds would include it.
    """

    def __init__(self, org: Org, **options: object) -> None:
        context = multiprocessing.get_context("fork")  # the child inherits the generated organisation
        self._pipe, self._child_end = context.Pipe()
        self._process = context.Process(
            target=_serve, args=(org, options, self._child_end, self._pipe), name="simulator", daemon=True
        )

    def __enter__(self) -> SimulatorProcess:
        self._process.start()
        self._child_end.close()  # the child's now: a child that dies ends the pipe, and `_call` raises
        return self

    def __exit__(self, *exc: object) -> None:
        with contextlib.suppress(OSError, EOFError):  # a child already gone: what ended the block matters
            self._call("stop")
        self._process.join(timeout=30)
        self._process.kill()

    def _call(self, method: str, *args: object) -> object:
        self._pipe.send((method, args))
        failed, answer = self._pipe.recv()
        if failed:
            raise RuntimeError(f"the simulator's {method} failed: {answer}")
        return answer

    def set_clock(self, moment: datetime) -> None:
        self._call("set_clock", moment)

    def clear(self) -> None:
        self._call("clear")

    def inject(self, *faults: Fault) -> None:
        self._call("inject", *faults)

    def source_settings(self) -> dict[str, str]:
        return self._call("source_settings")

    @property
    def requests(self) -> list[RequestRecord]:
        return self._call("requests")

    def cpu_seconds(self) -> float:
        """CPU seconds the simulator's process has used so far, all its threads."""
        return self._call("cpu_seconds")


class SimulatorProcesses:
    """A simulator process per API, as each API answers from machines of its own: sources loading side
    by side then wait on their own API only, not on one process answering them all in turn."""

    def __init__(self, org: Org, **options: object) -> None:
        self._processes = {api: SimulatorProcess(org, **options) for api in APIS}

    def __enter__(self) -> SimulatorProcesses:
        self._stack = contextlib.ExitStack()
        for process in self._processes.values():
            self._stack.enter_context(process)
        return self

    def __exit__(self, *exc: object) -> None:
        self._stack.close()

    def set_clock(self, moment: datetime) -> None:
        for process in self._processes.values():
            process.set_clock(moment)

    def clear(self) -> None:
        for process in self._processes.values():
            process.clear()

    def inject(self, *faults: Fault) -> None:
        for process in self._processes.values():
            process.inject(*faults)

    def source_settings(self) -> dict[str, str]:
        """Each source's settings from the process of its API."""
        return {
            key: value
            for api, process in self._processes.items()
            for key, value in process.source_settings().items()
            if key.startswith(f"SOURCES__{api.upper()}__")
        }

    @property
    def requests(self) -> list[RequestRecord]:
        return [record for process in self._processes.values() for record in process.requests]

    def cpu_seconds(self) -> float:
        return sum(process.cpu_seconds() for process in self._processes.values())


def _serve(org: Org, options: dict, pipe: Connection, parent_end: Connection) -> None:
    parent_end.close()  # the parent's alone: should it die, `recv` here ends instead of waiting forever
    with Simulator(org, **options) as simulator:
        while True:
            try:
                method, args = pipe.recv()
            except EOFError:  # the benchmark's process is gone
                return
            if method == "stop":
                pipe.send((False, None))
                return
            if method == "cpu_seconds":
                pipe.send((False, time.process_time()))
                continue
            try:
                answer = getattr(simulator, method)
                pipe.send((False, answer(*args) if callable(answer) else answer))
            except Exception as error:  # noqa: BLE001 - said in the benchmark's process, which stops there
                pipe.send((True, repr(error)))


def _loading_cpu_seconds() -> float:
    """CPU seconds of this process and of the processes it started that have ended: dlt's normalize
    workers (the simulator's process runs on until the end, and is counted on its own)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def _largest_child_mib() -> float:
    """The peak memory of the largest process this one started that has ended (steps side by side,
    normalize workers), in MiB: so far in the benchmark, so the full load's counts in the nightly's."""
    return round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1)


def _load_all(
    simulator: Simulator | SimulatorProcesses, path: Path, sources: list[str] | None, at_once: int
) -> dict[str, dict]:
    settings = {
        key: value
        for key, value in simulator.source_settings().items()
        if not sources or key.split("__")[1].lower() in sources
    }
    with mock.patch.dict(os.environ, {**settings, DUCKDB_PATH_ENV: str(path)}):
        runs = load_sources(log_level="WARNING", at_once=at_once)
    out = {}
    for run in runs:
        if not run.ok:
            raise RuntimeError(run.error)
        rows = sum(run.rows.values())
        out[run.source] = {
            "rows": rows,
            "seconds": run.seconds,
            "step_seconds": step_seconds(make_pipeline(run.source, path)),
            "rows_per_second": round(rows / run.seconds, 1) if run.seconds else None,
            "requests": run.requests,
            "graphql_points": run.points,
        }
    return out


def step_seconds(pipeline: dlt.Pipeline) -> dict[str, float]:
    """Wall seconds of each dlt step of the pipeline's last run, from the trace dlt keeps beside its state.

    A step that ran twice (pending packages first) is summed.
    """
    seconds = dict.fromkeys(STEPS, 0.0)
    for step in pipeline.last_trace.steps:
        if step.step in seconds and step.started_at and step.finished_at:
            seconds[step.step] += (step.finished_at - step.started_at).total_seconds()
    return {step: round(value, 2) for step, value in seconds.items()}


def bench_ingestion(
    items_per_project: int,
    workdir: Path,
    rest: bool = False,
    sources: list[str] | None = None,
    simulator_in_process: bool = False,
    latency_ms: float = 0,
    at_once: int = SOURCES_AT_ONCE,
) -> dict:
    started = time.perf_counter()
    org = generate_org(OrgConfig(items_per_project=items_per_project, teams=6))  # the sixth plans in Linear
    generate_seconds = time.perf_counter() - started
    n_items = len(org.work_items)
    path = workdir / "ingest.duckdb"
    path.unlink(missing_ok=True)  # a fresh warehouse and fresh dlt state: the first load is a full one
    shutil.rmtree(workdir / ".dlt_pipelines", ignore_errors=True)
    result = {"items_per_project": items_per_project, "work_items": n_items,
              "pull_requests": len(org.pull_requests), "generate_seconds": round(generate_seconds, 2),
              "loader_file_format": ingestion.pipeline.LOADER_FILE_FORMAT,
              "pull_requests_through": "REST" if rest else "GraphQL",
              "simulator": "in the load's process" if simulator_in_process else "in a process per API",
              "latency_ms": latency_ms,
              "sources_at_once": at_once,
              "versions": {package: importlib.metadata.version(package) for package in ("dlt", "duckdb")}}  # fmt: skip
    # Only for the sources loaded: a setting of one not configured would make it look half-configured.
    chosen = [name for name in ("github", "gitlab") if rest and (sources is None or name in sources)]
    paths = {f"SOURCES__{name.upper()}__GRAPHQL": "false" for name in chosen}
    unlimited = {"rate_limit": 10**9, "graphql_rate_limit": 10**9, "complexity_limit": 10**12}
    serve = Simulator if simulator_in_process else SimulatorProcesses
    with serve(org, **unlimited) as simulator, mock.patch.dict(os.environ, paths):
        for phase, moment in (("full", org.end - timedelta(days=1)), ("incremental", org.end)):
            simulator.set_clock(moment)
            simulator.clear()
            if latency_ms:  # every reply waits, as one from a server across the network does
                simulator.inject(Fault(".", SLOW, times=10**12, delay=latency_ms / 1000))
            serving = simulator.cpu_seconds if isinstance(simulator, SimulatorProcesses) else lambda: None
            cpu_before, serving_before = _loading_cpu_seconds(), serving()
            wall_before = time.perf_counter()
            loads = _load_all(simulator, path, sources, at_once)
            seconds = time.perf_counter() - wall_before
            cpu_seconds = _loading_cpu_seconds() - cpu_before
            serving_seconds = None if serving_before is None else serving() - serving_before
            rows = sum(v["rows"] for v in loads.values())
            requests = sum(v["requests"] for v in loads.values())
            points = sum(v["graphql_points"] for v in loads.values())
            result[phase] = {
                "sources": loads,
                "rows": rows,
                "seconds": round(seconds, 2),
                "step_seconds": {
                    step: round(sum(v["step_seconds"][step] for v in loads.values()), 2) for step in STEPS
                },
                "rows_per_second": round(rows / seconds, 1) if seconds else None,
                "load_cpu_seconds": round(cpu_seconds, 2),
                "largest_step_mib": _largest_child_mib() if at_once > 1 else None,
                "simulator_cpu_seconds": None if serving_seconds is None else round(serving_seconds, 2),
                "requests": requests,
                "requests_per_1000_items": round(1000.0 * requests / n_items, 1),
                "graphql_points": points,
                "github_requests_by_endpoint": github_requests_by_endpoint(simulator),
            }
    return result


def format_result(r: dict) -> str:
    versions = ", ".join(f"{package} {version}" for package, version in r["versions"].items())
    lines = [f"{r['work_items']} work items, {r['pull_requests']} PRs (items_per_project={r['items_per_project']}); "
             f"org generated in {r['generate_seconds']} s; {r['loader_file_format']} files; {versions}; "
             f"pull and merge requests through {r['pull_requests_through']}; "
             f"simulator {r['simulator']}, {r['latency_ms']} ms added to each reply; "
             f"{r['sources_at_once']} sources at once"]  # fmt: skip
    lines.append(f"{'load':<12} {'source':<7} {'rows':>9} {'s':>8} {'extract':>8} {'normal.':>8} {'load':>8} "
                 f"{'rows/s':>9} {'requests':>9} {'req/1k items':>12} {'points':>7} {'pts/1k':>7}")  # fmt: skip

    def line(phase: str, name: str, s: dict) -> str:
        steps = " ".join(f"{s['step_seconds'][step]:>8}" for step in STEPS)
        per_1000 = round(1000 * s["requests"] / r["work_items"], 1)
        points = s.get("graphql_points", 0)
        points_per_1000 = round(1000 * points / r["work_items"], 1)
        return (f"{phase:<12} {name:<7} {s['rows']:>9} {s['seconds']:>8} {steps} {s['rows_per_second']!s:>9} "
                f"{s['requests']:>9} {per_1000:>12} {points:>7} {points_per_1000:>7}")  # fmt: skip

    for phase in ("full", "incremental"):
        p = r[phase]
        for name, s in p["sources"].items():
            lines.append(line(phase, name, s))
        lines.append(line(phase, "all", p))
    for phase in ("full", "incremental"):
        serving = r[phase]["simulator_cpu_seconds"]
        loading = r[phase]["load_cpu_seconds"]
        largest = r[phase]["largest_step_mib"]
        lines.append(f"{phase} load: {loading} CPU s in the loading processes (steps and normalize workers)"
                     + ("" if serving is None else f", {serving} in the simulator's")
                     + ("" if largest is None else f"; the largest step's peak memory {largest} MiB"))  # fmt: skip
    for phase in ("full", "incremental"):
        endpoints = ", ".join(f"{name} {count}" for name, count in r[phase]["github_requests_by_endpoint"].items())
        lines.append(f"GitHub requests by endpoint, {phase}: {endpoints}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--items-per-project", type=int, default=2000)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--workdir", type=Path)
    parser.add_argument(
        "--loader-file-format",
        choices=("insert_values", "parquet", "jsonl"),
        help="override ingestion.pipeline.LOADER_FILE_FORMAT, to compare formats",
    )
    parser.add_argument("--rest", action="store_true",
                        help="pull and merge requests' children through REST, not GraphQL, to compare")  # fmt: skip
    parser.add_argument("--sources", help="comma-separated sources to load (default: all), e.g. github")
    parser.add_argument("--simulator-in-process", action="store_true",
                        help="serve from the load's own process (its answering then counts in the load)")  # fmt: skip
    parser.add_argument("--latency-ms", type=float, default=0,
                        help="delay every reply this long, as a network would")  # fmt: skip
    parser.add_argument("--at-once", type=int, default=SOURCES_AT_ONCE,
                        help="sources loaded side by side, as the scheduled job does; 1: one after another in "
                             "this process, as `make refresh` does")  # fmt: skip
    args = parser.parse_args(argv)
    if args.loader_file_format and args.at_once != 1:
        parser.error("--loader-file-format needs --at-once 1: the override is made in this process")
    if args.loader_file_format:
        ingestion.pipeline.LOADER_FILE_FORMAT = args.loader_file_format
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="streamgauge-ingest-"))
    workdir.mkdir(parents=True, exist_ok=True)
    sources = [name.strip().lower() for name in args.sources.split(",")] if args.sources else None
    result = bench_ingestion(
        args.items_per_project,
        workdir,
        args.rest,
        sources,
        args.simulator_in_process,
        args.latency_ms,
        at_once=args.at_once,
    )
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))
    print(format_result(result))
    print(f"(warehouse: {workdir})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
