"""The nightly report: one self-contained HTML file drawn from the serving copy's marts.

    python -m orchestration.report [--serving PATH] [--out PATH]

Reads only the serving copy (`$STREAMGAUGE_SERVING_DUCKDB`), read-only, as any BI tool does, and
writes `report.html` beside it (`$STREAMGAUGE_REPORT_HTML` to change), replacing the previous one
atomically. The page opens offline: Vega, Vega-Lite and vega-embed (from the vl-convert package),
the styles and the script are inlined. docs/report.md says which mart each chart reads.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import duckdb

from orchestration.report.page import Page
from orchestration.report.queries import read
from orchestration.serving import serving_path

REPORT_PATH_ENV = "STREAMGAUGE_REPORT_HTML"


def report_path(serving: Path | None = None) -> Path:
    """`$STREAMGAUGE_REPORT_HTML`, else `report.html` beside the serving copy."""
    configured = os.environ.get(REPORT_PATH_ENV)
    return Path(configured).resolve() if configured else (serving or serving_path()).with_name("report.html")


def build_report(serving: Path, out: Path) -> dict:
    """Write the report of the serving copy at `serving` to `out`; returns what it holds."""
    with duckdb.connect(str(serving), read_only=True) as db:
        data = read(db)
    page = Page(data)
    html = page.html()
    out.parent.mkdir(parents=True, exist_ok=True)
    temp = out.with_name(f".{out.name}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        temp.write_text(html, encoding="utf-8")
        os.replace(temp, out)
    finally:
        temp.unlink(missing_ok=True)
    return {"teams": len(data.teams), "charts": len(page.specs), "bytes": len(html.encode())}
