"""`python -m orchestration.refresh`, killed with SIGKILL in the middle of one step.

    python tests/killed_refresh.py extract|normalize|load|dbt|publish

test_recovery.py runs it in a process group of its own, to leave behind what such a kill leaves.
Each step patches one call the refresh makes there, so that the group is killed at that point,
as when the machine goes down:
- extract: at the 20th request to GitHub, with pages of it already extracted
- normalize: when dlt is about to commit the first package it normalized
- load: once the third load job of GitLab's package has written its rows, before dlt records it
- dbt: after dbt has reported 40 nodes' events, `dbt build` with it
- publish: once the serving copy's new file is written, before it replaces the old one
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable, Iterator
from typing import Any

GITLAB_PACKAGES = f"{os.sep}streamgauge_gitlab{os.sep}"  # the GitLab pipeline's working folder
STDERR = os.dup(2)  # as started: Dagster captures a step's stderr into its compute logs


def kill(step: str) -> None:
    os.write(STDERR, f"killed during {step}\n".encode())
    os.killpg(0, signal.SIGKILL)


def kill_at(
    owner: Any,
    name: str,
    step: str,
    nth: int = 1,
    after: bool = False,
    counted: Callable[..., bool] = lambda *args: True,
) -> None:
    """Patch `owner.name` so that the `nth` call `counted` accepts kills the process group, before it or `after`."""
    original = getattr(owner, name)
    calls = 0

    def patched(*args: Any, **kwargs: Any) -> Any:
        nonlocal calls
        this = counted(*args)
        calls += this
        due = this and calls == nth
        if due and not after:
            kill(step)
        result = original(*args, **kwargs)
        if due and after:
            kill(step)
        return result

    setattr(owner, name, patched)


def kill_during_dbt(events: int) -> None:
    from dagster_dbt.core.dbt_cli_invocation import DbtCliInvocation

    stream = DbtCliInvocation.stream

    def patched(self: DbtCliInvocation, *args: Any, **kwargs: Any) -> Iterator[Any]:
        for seen, event in enumerate(stream(self, *args, **kwargs), start=1):
            if seen == events:
                kill("dbt")
            yield event

    DbtCliInvocation.stream = patched


def arm(step: str) -> None:
    if step == "extract":
        from ingestion.api_client import ApiClient

        kill_at(ApiClient, "request", step, nth=20, counted=lambda client, *args: client.name == "github")
    elif step == "normalize":
        from dlt.common.storages.load_storage import LoadStorage

        kill_at(LoadStorage, "commit_new_load_package", step)
    elif step == "load":
        from dlt.destinations.impl.duckdb.duck import DuckDbCopyJob

        kill_at(DuckDbCopyJob, "run", step, nth=3, after=True, counted=lambda job: GITLAB_PACKAGES in job._file_path)
    elif step == "dbt":
        kill_during_dbt(events=40)
    elif step == "publish":
        from orchestration import serving

        kill_at(serving, "_copy", step, after=True)
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    arm(sys.argv[1])
    from orchestration.refresh import main

    sys.exit(main())
