"""Load the simulated organisation with the real sources and build the dbt project over it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from dbt.cli.main import dbtRunner

from ingestion.github import github_source
from ingestion.gitlab import gitlab_source
from ingestion.jira import jira_source
from ingestion.pipeline import load
from simulator.model import Org
from simulator.server import Simulator

PROJECT_DIR = Path(__file__).resolve().parents[1] / "dbt_project"


def load_all_sources(simulator: Simulator, org: Org, path: Path) -> None:
    """Every source, pointed at the simulator, into the warehouse at `path`."""
    credentials = simulator.credentials
    github = [r.full_name for r in org.repositories if r.source == "github"]
    gitlab = [r.full_name for r in org.repositories if r.source == "gitlab"]
    results = [
        load(
            "github",
            lambda: github_source(
                repositories=github, access_token=credentials.github_token, base_url=simulator.base_url("github")
            ),
            path,
        ),
        load(
            "jira",
            lambda: jira_source(
                base_url=simulator.base_url("jira"),
                projects=[p.key for p in org.jira_projects],
                email=credentials.jira_email,
                api_token=credentials.jira_token,
            ),
            path,
        ),
        load(
            "gitlab",
            lambda: gitlab_source(
                projects=gitlab, access_token=credentials.gitlab_token, base_url=simulator.base_url("gitlab")
            ),
            path,
        ),
    ]
    failed = [r.error for r in results if not r.ok]
    assert not failed, failed


def dbt(path: Path, target: Path, *args: str, variables: dict | None = None) -> None:
    """Run a dbt command against the warehouse at `path`; fail the test if dbt fails."""
    with pytest.MonkeyPatch.context() as env:
        env.setenv("STREAMGAUGE_DUCKDB", str(path))
        command = [
            *args,
            "--project-dir", str(PROJECT_DIR),
            "--profiles-dir", str(PROJECT_DIR),
            "--target-path", str(target / "target"),
            "--log-path", str(target / "logs"),
            "--quiet",
        ]  # fmt: skip
        if variables:
            command += ["--vars", json.dumps(variables)]
        result = dbtRunner().invoke(command)
    if not result.success:
        failures = [f"{r.node.name}: {r.message}" for r in (result.result or []) if str(r.status) in ("error", "fail")]
        raise AssertionError(f"dbt {' '.join(args)} failed: {result.exception or failures}")
