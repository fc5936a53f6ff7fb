"""Benchmark the dbt project at several scales.

    python -m benchmarks.run [--scales 10000,100000,1000000] [--json out.json] [--workdir DIR] [--verify] [--every-node]

Per scale (number of work items): write the organisation as of one day before the end
straight into the raw tables of a fresh DuckDB file (benchmarks/raw_writer.py), run a full
`dbt build` in a subprocess (wall time, CPU time and peak RSS of that process via wait4), append the last
day's new and changed data under a new load id and run `dbt build` again (the incremental
nightly refresh), then time a hand-written reference query over the same raw data computing
the core per-item metrics (the floor), publish the serving copy and write the report from it,
and report rows per layer, times, memory and ratios.
With --verify, every core and mart table after the incremental build is compared, row for row,
with a --full-refresh rebuild of the same data. With --every-node, the nightly build leaves
nothing out, as a version of the project from before orchestration/nightly_selection.py ran.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import duckdb

from benchmarks import compare, raw_writer
from orchestration.defs.transform import DATA_TESTS_ENV, DBT_EXECUTABLE, NIGHTLY_BUILD  # time what the nightly job runs
from orchestration.nightly_selection import (
    leave_out_args,
    nightly_fingerprint,
    plan_tonight,
    record_nightly_build,
)
from orchestration.report import build_report
from orchestration.report.page import vega_bundle
from orchestration.serving import publish
from orchestration.warehouse import Warehouse

ROOT = Path(__file__).resolve().parents[1]
PROJECT_DIR = ROOT / "dbt_project"
AS_OF = raw_writer.END.strftime("%Y-%m-%d %H:%M:%S")
DELTA = timedelta(days=1)  # the nightly window appended after the first build (~1-2% of items touched)
LAYERS = ("raw_jira", "raw_github", "raw_gitlab", "staging", "intermediate", "core", "marts")


def bench_project_dir() -> Path:
    """The project benchmarked: this one, or a copy (`--project-dir`)."""
    return Path(os.environ.get("STREAMGAUGE_BENCH_PROJECT_DIR", PROJECT_DIR))


def run_nightly(db: Path, workdir: Path, as_of: str = AS_OF) -> dict:
    """`run_dbt` of the nightly job's build, which leaves out what cannot have changed since the
    last one (orchestration/nightly_selection.py) unless `$STREAMGAUGE_BENCH_EVERY_NODE` is set,
    and whose data tests of the work-item chain read the items it rewrites after a good night;
    `skipped_nodes` counts what it left out."""
    fingerprint = nightly_fingerprint(bench_project_dir())
    manifest_path = workdir / "target" / "manifest.json"
    skipped, rewritten = [], False
    if manifest_path.exists():
        manifest = json.loads(manifest_path.read_text())
        with duckdb.connect(str(db), read_only=True) as con:
            rewritten, skipped = plan_tonight(manifest, Warehouse("duckdb", con), fingerprint)
        if os.environ.get("STREAMGAUGE_BENCH_EVERY_NODE"):
            skipped = []
    data_tests = "rewritten" if rewritten else "every_row"
    result = run_dbt(db, workdir, *NIGHTLY_BUILD, *leave_out_args(skipped), as_of=as_of, data_tests=data_tests)
    with duckdb.connect(str(db)) as con:
        record_nightly_build(json.loads(manifest_path.read_text()), Warehouse("duckdb", con), fingerprint)
    return {**result, "skipped_nodes": len(skipped)}


def run_dbt(db: Path, workdir: Path, *args: str, as_of: str = AS_OF, data_tests: str = "every_row") -> dict:
    """`dbt <args>` in a child process; wall seconds, the child's peak RSS, and per-node times."""
    env = {**os.environ, "STREAMGAUGE_DUCKDB": str(db), "STREAMGAUGE_AS_OF": as_of, DATA_TESTS_ENV: data_tests}
    project_dir = bench_project_dir()
    target = workdir / "target"
    seconds, usage = run_timed(
        [DBT_EXECUTABLE, *args, "--project-dir", str(project_dir), "--profiles-dir", str(project_dir),
         "--target-path", str(target), "--log-path", str(workdir / "logs"), "--quiet"],
        workdir / "dbt_output.log", env,
    )  # fmt: skip
    nodes = {}
    results = target / "run_results.json"
    if results.exists():
        for r in json.loads(results.read_text())["results"]:
            nodes[r["unique_id"]] = round(r.get("execution_time") or 0.0, 3)
    groups = node_groups(nodes, target / "manifest.json")
    # CPU seconds (user + system) of dbt and its threads: on a shared machine they move far less than wall time.
    cpu = usage.ru_utime + usage.ru_stime
    return {
        "seconds": round(seconds, 2),
        "cpu_seconds": round(cpu, 2),
        "peak_rss_mib": round(usage.ru_maxrss / 1024, 1),
        "node_groups": groups,
        "nodes": nodes,
    }


def run_timed(command: list[str], log_path: Path, env: dict[str, str] | None = None) -> tuple[float, Any]:
    """Wall seconds and the resource usage (`os.wait4`) of `command` in a child process, its output
    appended to `log_path`; a failure raises with the log's tail."""
    started = time.perf_counter()
    with open(log_path, "a") as log:
        process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT)
        _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    if code := os.waitstatus_to_exitcode(status):
        raise RuntimeError(f"{' '.join(command[:3])} … failed ({code}):\n{log_path.read_text()[-3000:]}")
    return seconds, usage


def node_groups(nodes: dict[str, float], manifest_path: Path) -> dict[str, float]:
    """Node seconds summed per folder of the project (`intermediate/work_items`), data tests apart."""
    if not manifest_path.exists():
        return {}
    manifest = json.loads(manifest_path.read_text())["nodes"]
    groups: dict[str, float] = {}
    for unique_id, seconds in nodes.items():
        node = manifest.get(unique_id, {})
        kind = node.get("resource_type", unique_id.split(".")[0])
        group = "data tests" if kind == "test" else "/".join(node.get("fqn", ["", kind])[1:-1]) or kind
        groups[group] = round(groups.get(group, 0.0) + seconds, 2)
    return dict(sorted(groups.items(), key=lambda kv: -kv[1]))


FLOOR_SQL = """
create or replace temp table floor_metrics as
with stage_map as (
    select source_system, lower(trim(raw_status)) as status, stage from seeds.status_stage_map
),
stage_cat as (select stage, category from seeds.stages),
created as (
    select 'jira:' || split_part(split_part(url, '://', 2), '/', 1) || ':' || key as item, 'jira' as src,
        created::timestamp as ts, 'To Do' as status
    from raw_jira.issues
    union all
    select 'github:' || repository || ':issue:' || number, 'github', created_at::timestamp, 'open'
    from raw_github.issues
    union all
    select 'gitlab:' || project_path || ':issue:' || iid, 'gitlab', created_at::timestamp, 'opened'
    from raw_gitlab.issues
),
events as (
    -- Jira: status changes in the changelog
    select 'jira:' || split_part(split_part(i.url, '://', 2), '/', 1) || ':' || i.key as item,
        'jira' as src, c.created::timestamp as ts, c.to_string as status, cast(c.history_id as bigint) as ord
    from raw_jira.issue_changelog c join raw_jira.issues i on c.issue_id = i.id
    where c.field = 'status'
    union all
    -- GitHub: status labels added, closes and reopens
    select 'github:' || repository || ':issue:' || issue_number, 'github', created_at::timestamp,
        case event when 'labeled' then label__name when 'closed' then 'closed' else 'open' end, id
    from raw_github.issue_events
    where not is_pull_request and event in ('labeled', 'closed', 'reopened')
    union all
    select 'gitlab:' || project_path || ':issue:' || issue_iid, 'gitlab', created_at::timestamp, label__name, id
    from raw_gitlab.issue_label_events where action = 'add'
    union all
    select 'gitlab:' || project_path || ':issue:' || issue_iid, 'gitlab', created_at::timestamp,
        case state when 'closed' then 'closed' else 'opened' end, id
    from raw_gitlab.issue_state_events
    union all
    -- creation opens the first (backlog) visit
    select item, src, ts, status, -1 from created
),
staged as (
    select e.item, e.ts, coalesce(m.stage, 'unmapped') as stage,
        lead(e.ts, 1, TIMESTAMP '{as_of}') over (partition by e.item order by e.ts, e.ord) as until
    from events e left join stage_map m on m.source_system = e.src and m.status = lower(trim(e.status))
),
per_stage as (
    select item, stage, sum(epoch(until) - epoch(ts)) / 3600.0 as hours from staged group by all
),
stage_hours as (
    select item, map(list(stage), list(hours)) as hours_per_stage from per_stage group by item
),
per_item as (
    select s.item,
        min(case when c.category in ('active', 'wait') then s.ts end) as started_at,
        max(case when c.category = 'done' then s.ts end) as completed_at
    from staged s join stage_cat c using (stage) group by s.item
)
select created.item, created.ts as created_at, per_item.started_at, per_item.completed_at,
    (epoch(per_item.completed_at) - epoch(created.ts)) / 3600.0 as lead_time_hours,
    (epoch(per_item.completed_at) - epoch(per_item.started_at)) / 3600.0 as cycle_time_hours,
    stage_hours.hours_per_stage
from created left join per_item using (item) left join stage_hours using (item)
"""


def run_floor(db: Path) -> dict:
    """The reference query: per-item lead/cycle time and hours per stage straight from raw."""
    with duckdb.connect(str(db)) as con:
        con.execute("set TimeZone = 'UTC'")
        con.execute("set enable_progress_bar = false")
        started = time.perf_counter()
        con.execute(FLOOR_SQL.format(as_of=AS_OF))
        seconds = time.perf_counter() - started
        rows = con.execute("select count(*) from floor_metrics").fetchone()[0]
    return {"seconds": round(seconds, 3), "rows": rows}


def layer_counts(db: Path) -> dict[str, dict]:
    counts = raw_writer.table_counts(str(db), LAYERS)
    layers: dict[str, dict] = {}
    for name, n in counts.items():
        schema = name.split(".")[0]
        layer = "raw" if schema.startswith("raw_") else schema
        if name.split(".")[1].startswith("_dlt"):
            continue
        entry = layers.setdefault(layer, {"rows": 0, "relations": 0})
        entry["rows"] += n
        entry["relations"] += 1
    return layers


def key_counts(db: Path) -> dict[str, int]:
    with duckdb.connect(str(db), read_only=True) as con:
        queries = {
            "work_items": "select count(*) from core.work_items",
            "work_items_completed": "select count(*) from core.work_items where completed_at is not null",
            "work_item_transitions": "select count(*) from core.work_item_transitions",
            "work_item_stage_intervals": "select count(*) from intermediate.int_stage_intervals_computed",
            "pull_requests": "select count(*) from core.pull_requests",
            "deployments": "select count(*) from core.deployments",
            "raw_transition_rows": """select (select count(*) from raw_jira.issue_changelog)
                + (select count(*) from raw_github.issue_events) + (select count(*) from raw_gitlab.issue_label_events)
                + (select count(*) from raw_gitlab.issue_state_events)""",
        }
        return {k: con.execute(q).fetchone()[0] for k, q in queries.items()}


def verify_incremental(db: Path, workdir: Path) -> dict:
    """Every core and mart table after the incremental build against a --full-refresh rebuild of
    the same raw data, row for row (benchmarks/compare.py)."""
    kept = compare.copy_warehouse(db, workdir / "incremental")
    refresh = run_dbt(db, workdir, *NIGHTLY_BUILD, "--full-refresh")
    tables = compare.compare(kept, db, ["core", "marts"])
    differing = {name: differ for name, _, _, differ in tables if differ}
    return {"tables": len(tables), "differing": differing, "full_refresh_seconds": refresh["seconds"]}


def bench_scale(n_items: int, workdir: Path, verify: bool = False, log=print) -> dict:
    workdir.mkdir(parents=True, exist_ok=True)
    db = workdir / "bench.duckdb"
    for stale in (db, db.with_suffix(".duckdb.wal")):
        stale.unlink(missing_ok=True)
    cutoff = raw_writer.END - DELTA
    result: dict = {"items": n_items, "phases": {}}

    started = time.perf_counter()
    raw_writer.write_snapshot(str(db), n_items, cutoff)
    result["phases"]["generate_raw"] = {"seconds": round(time.perf_counter() - started, 2)}
    log(f"[{n_items}] raw written in {result['phases']['generate_raw']['seconds']} s")

    # As the nightly job: each build measures to its own night, so the current visits move in between.
    full = run_nightly(db, workdir, as_of=cutoff.strftime("%Y-%m-%d %H:%M:%S"))
    result["phases"]["full_build"] = {k: v for k, v in full.items() if k != "nodes"}
    result["full_build_top_nodes"] = nodes_by_time(full["nodes"])
    log(f"[{n_items}] full build {full['seconds']} s, peak {full['peak_rss_mib']} MiB")
    items_before = key_counts(db)["work_items"]

    started = time.perf_counter()
    written = raw_writer.append_delta(str(db), n_items, cutoff, raw_writer.END)
    touched = written.pop("items_touched")
    result["phases"]["append_delta"] = {"seconds": round(time.perf_counter() - started, 2)}
    raw_rows = sum(raw_writer.table_counts(str(db), ("raw_jira", "raw_github", "raw_gitlab")).values())
    result["delta"] = {"raw_rows_written": sum(written.values()), "raw_rows_total": raw_rows,
                       "pct_raw_rows": round(100.0 * sum(written.values()) / raw_rows, 2),
                       "items_touched": touched, "pct_items_touched": round(100.0 * touched / n_items, 2)}  # fmt: skip

    incremental = run_nightly(db, workdir)
    result["phases"]["incremental_build"] = {k: v for k, v in incremental.items() if k != "nodes"}
    result["incremental_build_top_nodes"] = nodes_by_time(incremental["nodes"])
    log(
        f"[{n_items}] incremental build {incremental['seconds']} s, peak {incremental['peak_rss_mib']} MiB, "
        f"{incremental['skipped_nodes']} nodes left out as unchanged"
    )

    floor = run_floor(db)
    result["phases"]["floor_query"] = {"seconds": floor["seconds"]}
    result["floor_rows"] = floor["rows"]

    # What follows the build every night: the serving copy, then the report drawn from it.
    started = time.perf_counter()
    publish(db, workdir / "serving.duckdb")
    result["phases"]["publish"] = {"seconds": round(time.perf_counter() - started, 2)}
    vega_bundle.cache_clear()  # each night's process builds the script bundle once
    started = time.perf_counter()
    report = build_report(workdir / "serving.duckdb", workdir / "report.html")
    result["phases"]["report"] = {"seconds": round(time.perf_counter() - started, 2), **report}
    log(f"[{n_items}] publish {result['phases']['publish']['seconds']} s, report {result['phases']['report']} ")

    started = time.perf_counter()
    result["layers"] = layer_counts(db)
    result["counts"] = key_counts(db)
    result["phases"]["count_rows"] = {"seconds": round(time.perf_counter() - started, 2)}
    result["delta"]["new_items"] = result["counts"]["work_items"] - items_before
    result["ratios"] = {
        "full_build_to_floor": round(full["seconds"] / max(floor["seconds"], 1e-3), 1),
        "incremental_to_full_build": round(incremental["seconds"] / full["seconds"], 3),
        "report_to_incremental_build": round(result["phases"]["report"]["seconds"] / incremental["seconds"], 3),
    }
    if verify:
        result["verify"] = verify_incremental(db, workdir)
    return result


def nodes_by_time(nodes: dict[str, float]) -> list[list]:
    """Every node's seconds, slowest first."""
    return [[k, v] for k, v in sorted(nodes.items(), key=lambda kv: -kv[1])]


def format_table(results: list[dict]) -> str:
    lines = []
    head = f"{'items':>9} | {'raw':>10} {'staging':>10} {'interm.':>10} {'core':>10} {'marts':>8} | " \
           f"{'gen s':>6} {'full s':>7} {'full cpu':>8} {'full MiB':>8} {'incr s':>7} {'incr cpu':>8} " \
           f"{'incr MiB':>8} {'floor s':>7} | {'full/floor':>10} {'incr/full':>9}"  # fmt: skip
    lines += [head, "-" * len(head)]
    for r in results:
        layer = {k: r["layers"].get(k, {}).get("rows", 0) for k in ("raw", "staging", "intermediate", "core", "marts")}
        p = r["phases"]
        lines.append(
            f"{r['items']:>9} | {layer['raw']:>10} {layer['staging']:>10} {layer['intermediate']:>10} "
            f"{layer['core']:>10} {layer['marts']:>8} | {p['generate_raw']['seconds']:>6} "
            f"{p['full_build']['seconds']:>7} {p['full_build']['cpu_seconds']:>8} {p['full_build']['peak_rss_mib']:>8} "
            f"{p['incremental_build']['seconds']:>7} {p['incremental_build']['cpu_seconds']:>8} "
            f"{p['incremental_build']['peak_rss_mib']:>8} "
            f"{p['floor_query']['seconds']:>7} | {r['ratios']['full_build_to_floor']:>10} "
            f"{r['ratios']['incremental_to_full_build']:>9}"
        )
    for r in results:
        lines.append(f"\n[{r['items']} items] delta: {r['delta']}  counts: {r['counts']}")
        lines.append(
            "  slowest nodes, full build: "
            + ", ".join(f"{k.split('.')[-1]} {v}s" for k, v in r["full_build_top_nodes"][:5])
        )
        lines.append(
            "  slowest nodes, incremental: "
            + ", ".join(f"{k.split('.')[-1]} {v}s" for k, v in r["incremental_build_top_nodes"][:5])
        )
        for phase in ("full_build", "incremental_build"):
            groups = r["phases"][phase]["node_groups"]
            lines.append(f"  node seconds by folder, {phase.replace('_', ' ')}: "
                         + ", ".join(f"{k} {v}" for k, v in list(groups.items())[:8]))  # fmt: skip
        report = r["phases"]["report"]
        lines.append(
            f"  publish {r['phases']['publish']['seconds']} s; report {report['seconds']} s "
            f"({report['bytes'] / 1e6:.1f} MB, {report['charts']} charts), "
            f"{r['ratios']['report_to_incremental_build']:.0%} of the incremental build"
        )
        if "verify" in r:
            lines.append(f"  incremental vs full refresh: {r['verify']}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scales", default="10000,100000,1000000", help="comma-separated numbers of work items")
    parser.add_argument("--json", type=Path, help="write the results here as JSON")
    parser.add_argument("--workdir", type=Path, default=ROOT / "data" / "bench", help="where the DuckDB files go")
    parser.add_argument("--verify", action="store_true", help="compare every core and mart table with a full refresh")
    parser.add_argument(
        "--project-dir", type=Path, help="benchmark another copy of the dbt project (to try a SQL change)"
    )
    parser.add_argument(
        "--every-node", action="store_true", help="the nightly build leaves nothing out (to compare older versions)"
    )
    args = parser.parse_args(argv)
    if args.project_dir:
        os.environ["STREAMGAUGE_BENCH_PROJECT_DIR"] = str(args.project_dir.resolve())
    if args.every_node:
        os.environ["STREAMGAUGE_BENCH_EVERY_NODE"] = "1"
    results = []
    for scale in (int(s.replace("_", "")) for s in args.scales.split(",") if s.strip()):
        results.append(bench_scale(scale, args.workdir / str(scale), verify=args.verify,
                                   log=lambda m: print(m, file=sys.stderr, flush=True)))  # fmt: skip
        if args.json:  # after every scale, so a long run leaves what it has
            args.json.write_text(json.dumps({"as_of": AS_OF, "results": results}, indent=2))
    print(format_table(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
