"""What dbt itself costs for this project's graph: the same nodes with SQL that does no work.

    python -m benchmarks.dbt_overhead [--rounds 3] [--run-results path/to/run_results.json]

Writes a project with one model per model of dbt_project/ (the same name, materialization and
parents, each `select 1 as id`), one single-row seed per seed and one test per data test (the
same name, on the same nodes, returning no row), into a fresh DuckDB file. It then times, in a
child process each and `--rounds` times: a `dbt build` that selects nothing (dbt's start), one of
every node, and, with `--run-results` from a measured build, one of the nodes that build ran. What
a real build costs beyond these figures is its SQL's work; below them no SQL change can go.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from benchmarks.run import PROJECT_DIR, ROOT

KINDS = ("model", "seed", "test")  # what the project of no-work nodes has one of for each


def manifest_of(project_dir: Path, target: Path) -> dict[str, Any]:
    """The project's manifest, from `dbt parse` into `target`."""
    subprocess.run([dbt(), "parse", "--quiet", "--project-dir", str(project_dir), "--profiles-dir", str(project_dir),
                    "--target-path", str(target)], check=True, cwd=ROOT)  # fmt: skip
    return json.loads((target / "manifest.json").read_text())


def write_project(manifest: Mapping[str, Any], directory: Path) -> int:
    """The project of trivial nodes (see above) in `directory`; returns its number of nodes."""
    for folder in ("models", "seeds", "tests"):
        (directory / folder).mkdir(parents=True)
    (directory / "dbt_project.yml").write_text(
        "name: overhead\nversion: '1.0'\nconfig-version: 2\nprofile: overhead\n"
        "flags:\n  send_anonymous_usage_stats: false\n"
    )
    (directory / "profiles.yml").write_text(
        "overhead:\n  target: duckdb\n  outputs:\n    duckdb:\n      type: duckdb\n"
        f"      path: {directory / 'overhead.duckdb'}\n      threads: 2\n"
    )
    nodes = manifest["nodes"]
    names = {unique_id: node["name"] for unique_id, node in nodes.items()}
    count = 0
    for node in nodes.values():
        parents = [names[p] for p in node["depends_on"].get("nodes", []) if p in names]
        refs = "".join(f"-- depends_on: {{{{ ref('{parent}') }}}}\n" for parent in parents)
        kind = node["resource_type"]
        if kind == "model":
            materialized = node["config"]["materialized"]
            (directory / "models" / f"{node['name']}.sql").write_text(
                f"{{{{ config(materialized='{materialized}', unique_key='id') }}}}\n{refs}select 1 as id\n"
            )
        elif kind == "seed":
            (directory / "seeds" / f"{node['name']}.csv").write_text("id\n1\n")
        elif kind == "test":
            (directory / "tests" / f"{node['name']}.sql").write_text(f"{refs}select 1 as id where false\n")
        else:
            continue
        count += 1
    return count


def timed_build(project: Path, *selection: str) -> tuple[float, float]:
    """Wall and CPU seconds of `dbt build <selection>` in a child process."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [dbt(), "build", *selection, "--project-dir", str(project), "--profiles-dir", str(project),
         "--target-path", str(project / "target"), "--log-path", str(project / "logs"), "--quiet"],
        cwd=project, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    _, status, usage = os.wait4(process.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"dbt build {' '.join(selection)} failed in {project}")
    return time.perf_counter() - started, usage.ru_utime + usage.ru_stime


def dbt() -> str:
    return str(Path(sys.executable).parent / "dbt")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3, help="builds of each kind (medians are printed)")
    parser.add_argument("--run-results", type=Path, help="also build only the nodes this measured build ran")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as temp:
        project = Path(temp) / "overhead"
        manifest = manifest_of(PROJECT_DIR, Path(temp) / "target")
        nodes = write_project(manifest, project)
        names = {uid: node["name"] for uid, node in manifest["nodes"].items() if node["resource_type"] in KINDS}
        kinds = {"nothing": ["--select", "none_such_node"], "every node": []}
        if args.run_results:
            ran = [
                names[r["unique_id"]]
                for r in json.loads(args.run_results.read_text())["results"]
                if r["unique_id"] in names
            ]
            kinds[f"the {len(ran)} nodes of {args.run_results.name}"] = ["--select", *ran]
        timed_build(project)  # the first build creates every relation; the rounds are nights after it
        print(f"{nodes} nodes (the project's models, seeds and data tests, doing no work); medians of {args.rounds}")
        print(f"{'dbt build of':<60} {'wall s':>7} {'CPU s':>7}")
        for kind, selection in kinds.items():
            runs = [timed_build(project, *selection) for _ in range(args.rounds)]
            wall, cpu = (statistics.median(values) for values in zip(*runs, strict=True))
            print(f"{kind:<60} {wall:>7.2f} {cpu:>7.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
