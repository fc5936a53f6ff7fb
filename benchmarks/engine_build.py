"""The full `dbt build` timed on another engine's target, once its raw tables are in place."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from orchestration.warehouse import dbt_environment

PROJECT_DIR = Path(__file__).resolve().parents[1] / "dbt_project"


def time_full_build(target_path: Path, as_of: str) -> int:
    """`dbt build --full-refresh` (unit tests left out) as of `as_of`: prints the wall time, the
    nodes that failed and the slowest; returns dbt's exit code."""
    environment = {**os.environ, **dbt_environment(), "STREAMGAUGE_AS_OF": as_of}
    dbt = str(Path(sys.executable).with_name("dbt"))
    command = [dbt, "build", "--exclude-resource-type", "unit_test", "--full-refresh"]
    started = time.perf_counter()
    result = subprocess.run(
        [*command, "--target-path", str(target_path)], cwd=PROJECT_DIR, env=environment, capture_output=True
    )
    seconds = time.perf_counter() - started
    results = json.loads((target_path / "run_results.json").read_text())["results"]
    failed = [r["unique_id"] for r in results if r["status"] in ("error", "fail")]
    slowest = sorted(results, key=lambda r: -r["execution_time"])[:5]
    print(f"full build {seconds:.1f} s, {len(results)} nodes, {len(failed)} failed {failed[:3]}")
    print("slowest: " + ", ".join(f"{r['unique_id'].split('.')[-1]} {r['execution_time']:.1f}s" for r in slowest))
    return result.returncode
