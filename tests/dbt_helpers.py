"""Load the simulated organisation with the real sources and build the dbt project over it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import configure_sources
from dbt.cli.main import dbtRunner, dbtRunnerResult

from orchestration.source_runs import load_sources
from simulator.server import Simulator

PROJECT_DIR = Path(__file__).resolve().parents[1] / "dbt_project"


def load_all_sources(simulator: Simulator, path: Path) -> None:
    """Every source, pointed at the simulator, into the warehouse at `path`, the way the nightly job loads them."""
    with pytest.MonkeyPatch.context() as monkeypatch:
        configure_sources(monkeypatch, simulator.source_settings(), path)
        runs = load_sources()
    failed = [r.error for r in runs if not r.ok]
    configured = {name.split("__")[1] for name in simulator.source_settings()}
    assert len(runs) == len(configured) and not failed, failed


def dbt(path: Path, target: Path, *args: str, variables: dict | None = None) -> None:
    """Run a dbt command against the warehouse at `path`; fail the test if dbt fails."""
    result = invoke_dbt(path, target, *args, variables=variables)
    if not result.success:
        failures = [f"{r.node.name}: {r.message}" for r in (result.result or []) if str(r.status) in ("error", "fail")]
        raise AssertionError(f"dbt {' '.join(args)} failed: {result.exception or failures}")


def invoke_dbt(path: Path, target: Path, *args: str, variables: dict | None = None) -> dbtRunnerResult:
    """Run a dbt command against the warehouse at `path` and return what dbt returned, failed or not."""
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
        return dbtRunner().invoke(command)
