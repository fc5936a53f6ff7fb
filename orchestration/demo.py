"""The demo: a simulated organisation, served on loopback, loaded by the real sources.

    python -m orchestration.demo [--seed N] [--items-per-project N]

Generates the organisation, starts the simulator on a free port, points the sources at it
through the same environment variables a user would set, runs the pipeline into a DuckDB file
of its own (`data/demo/streamgauge.duckdb`, rebuilt on every run), and prints headline figures.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import shutil
import sys
import time
from pathlib import Path

import duckdb

from ingestion.github import github_source
from ingestion.gitlab import gitlab_source
from ingestion.jira import jira_source
from ingestion.pipeline import DUCKDB_PATH_ENV, LoadResult, load
from ingestion.simulator.generator import OrgConfig, generate_org
from ingestion.simulator.model import Org
from ingestion.simulator.server import Simulator

DEMO_DIR = Path("data/demo")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=OrgConfig.seed)
    parser.add_argument("--items-per-project", type=int, default=OrgConfig.items_per_project)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(message)s")
    os.environ.setdefault("RUNTIME__DLTHUB_TELEMETRY", "false")

    started = time.perf_counter()
    org = generate_org(OrgConfig(seed=args.seed, items_per_project=args.items_per_project))
    print(
        f"Simulated organisation: {len(org.teams)} teams, {len(org.work_items)} work items, "
        f"{len(org.pull_requests)} pull requests, {len(org.deployments)} deployments, "
        f"{org.start:%Y-%m-%d} to {org.end:%Y-%m-%d}"
    )
    shutil.rmtree(DEMO_DIR, ignore_errors=True)
    path = (DEMO_DIR / "streamgauge.duckdb").resolve()
    os.environ[DUCKDB_PATH_ENV] = str(path)
    with Simulator(org) as simulator:
        print(f"Simulator listening on {simulator.url}")
        configure_sources(simulator, org)
        results = [
            load("github", github_source, path),
            load("jira", jira_source, path),
            load("gitlab", gitlab_source, path),
        ]
    print_results(results)
    if path.exists():
        print_headlines(path)
    print(f"\nDone in {time.perf_counter() - started:.1f}s. The data is in {path}")
    return 0 if all(r.ok for r in results) else 1


def configure_sources(simulator: Simulator, org: Org) -> None:
    """Point every source at the simulator the way a user points them at the real APIs."""
    credentials = simulator.credentials
    repositories = [r.full_name for r in org.repositories if r.source == "github"]
    os.environ.update(
        {
            "SOURCES__GITHUB__BASE_URL": simulator.base_url("github"),
            "SOURCES__GITHUB__ACCESS_TOKEN": credentials.github_token,
            "SOURCES__GITHUB__REPOSITORIES": json.dumps(repositories),
            "SOURCES__JIRA__BASE_URL": simulator.base_url("jira"),
            "SOURCES__JIRA__EMAIL": credentials.jira_email,
            "SOURCES__JIRA__API_TOKEN": credentials.jira_token,
            "SOURCES__JIRA__PROJECTS": json.dumps([p.key for p in org.jira_projects]),
            "SOURCES__GITLAB__BASE_URL": simulator.base_url("gitlab"),
            "SOURCES__GITLAB__ACCESS_TOKEN": credentials.gitlab_token,
            "SOURCES__GITLAB__PROJECTS": json.dumps([r.full_name for r in org.repositories if r.source == "gitlab"]),
        }
    )


def print_results(results: list[LoadResult]) -> None:
    print(f"\n{'source':<8} {'status':<7} {'requests':>8} {'seconds':>8}  rows per table")
    for r in results:
        rows = ", ".join(f"{table} {n}" for table, n in r.rows.items())
        status = "ok" if r.ok else "FAILED"
        print(f"{r.source:<8} {status:<7} {r.requests:>8} {r.seconds:>8.1f}  {rows or r.error}")


def print_headlines(path: Path) -> None:
    with duckdb.connect(str(path), read_only=True) as db:
        figures = db.execute(
            """
            select
                (select count(*) from raw_github.issues) as issues,
                (select count(*) from raw_github.issues where state = 'open') as open_issues,
                (select count(*) from raw_github.pull_requests where merged_at is not null) as merged_prs,
                (select median(date_diff('minute', created_at, merged_at)) / 60.0
                   from raw_github.pull_requests where merged_at is not null) as median_pr_open_to_merge_hours,
                (select count(*) from raw_github.deployments where environment = 'production') as deployments,
                (select count(*) from raw_github.workflow_runs where conclusion = 'failure') as failed_ci_runs
            """
        ).fetchone()
    names = (
        "issues",
        "open issues",
        "merged PRs",
        "median PR open→merge (h)",
        "production deployments",
        "failed CI runs",
    )
    print("\nHeadline figures (GitHub)")
    for name, value in zip(names, figures, strict=True):
        print(f"  {name:<28} {value:.1f}" if isinstance(value, float) else f"  {name:<28} {value}")


if __name__ == "__main__":
    sys.exit(main())
