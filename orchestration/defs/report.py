"""The nightly report as a Dagster asset: drawn from the serving copy right after it is published.

What the report shows and how: `orchestration/report/`.
"""

import time

import dagster as dg

from orchestration.report import build_report, report_path
from orchestration.serving import serving_path


@dg.asset(
    key="report",
    deps=["serving_copy"],
    group_name="serving",
    kinds={"html"},
    description="A self-contained HTML report of the serving copy's marts (value stream map, flow, forecast, DORA, "
    "data quality), written beside the copy or to $STREAMGAUGE_REPORT_HTML.",
)
def report() -> dg.MaterializeResult:
    started = time.perf_counter()
    serving = serving_path()
    out = report_path(serving)
    written = build_report(serving, out)
    return dg.MaterializeResult(
        metadata={
            "path": dg.MetadataValue.path(str(out)),
            **written,
            "seconds": round(time.perf_counter() - started, 1),
        }
    )
