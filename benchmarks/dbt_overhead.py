"""What dbt itself costs for this project's graph: the same nodes with SQL that does no work.

    python -m benchmarks.dbt_overhead [--rounds 3] [--run-results path/to/run_results.json]

Writes a project with one model per model of dbt_project/ (the same name, materialization and
parents, each `select 1 as id`), one single-row seed per seed and one test per data test (the
same name, on the same nodes, returning no row), into a fresh DuckDB file. It then times, in a
child process each and `--rounds` times: a `dbt build` that selects nothing (dbt's start), one of
every node, and, with `--run-results` from a measured build, one of the nodes that build ran. What
a real build costs beyond these figures is its SQL's work. They are lower bounds of dbt's share:
the project's hooks (the record a night drops, the incremental models' pre-hooks), schemas and
exposures are left out.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from benchmarks.run import PROJECT_DIR, run_timed
from orchestration.defs.transform import DBT_EXECUTABLE, dbt_project, load_manifest

KINDS = ("model", "seed", "test")  # what the project of no-work nodes has one of for each


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
        f"      path: {json.dumps(str(directory / 'overhead.duckdb'))}\n      threads: 2\n"
    )
    names = node_names(manifest)
    count = 0
    for node in manifest["nodes"].values():
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


def node_names(manifest: Mapping[str, Any]) -> dict[str, str]:
    """The name of every model, seed and data test, by unique id."""
    return {uid: node["name"] for uid, node in manifest["nodes"].items() if node["resource_type"] in KINDS}


def timed_build(project: Path, *selection: str) -> tuple[float, float]:
    """Wall and CPU seconds of `dbt build <selection>` in a child process."""
    seconds, usage = run_timed(
        [DBT_EXECUTABLE, "build", *selection, "--project-dir", str(project), "--profiles-dir", str(project),
         "--target-path", str(project / "target"), "--log-path", str(project / "logs"), "--quiet"],
        project / "dbt_output.log",
    )  # fmt: skip
    return seconds, usage.ru_utime + usage.ru_stime


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3, help="builds of each kind (medians are printed)")
    parser.add_argument("--run-results", type=Path, help="also build only the nodes this measured build ran")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as temp:
        project = Path(temp) / "overhead"
        manifest = load_manifest(dbt_project().manifest_path)  # parsed when the project's files changed
        nodes = write_project(manifest, project)
        names = node_names(manifest)
        kinds = {"nothing": ["--select", "none_such_node"], "every node": []}
        if args.run_results:
            results = json.loads(args.run_results.read_text())["results"]
            ran = [names[r["unique_id"]] for r in results if r["unique_id"] in names]
            if not ran:
                parser.error(f"{args.run_results} names no model, seed or data test of {PROJECT_DIR}")
            # as a night selects: the nodes named and nothing else (orchestration/nightly_selection.py)
            night = ["--indirect-selection", "empty", "--select", *ran]
            kinds[f"the {len(ran)} nodes of {args.run_results.name}"] = night
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
