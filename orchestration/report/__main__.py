"""`python -m orchestration.report`: the report of an existing serving copy (what `make report` runs)."""

import argparse
import sys
import time
from pathlib import Path

from orchestration.report import build_report, report_path
from orchestration.serving import SERVING_PATH_ENV, serving_path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write the HTML report of the serving copy.")
    parser.add_argument("--serving", type=Path, help=f"the serving copy (default ${SERVING_PATH_ENV})")
    parser.add_argument("--out", type=Path, help="the HTML file (default report.html beside the serving copy)")
    args = parser.parse_args(argv)
    serving = (args.serving or serving_path()).resolve()
    if not serving.exists():
        print(f"no serving copy at {serving}: run `make refresh` (or `make demo`), or set {SERVING_PATH_ENV}")
        return 1
    out = (args.out or report_path(serving)).resolve()
    started = time.perf_counter()
    written = build_report(serving, out)
    print(
        f"Report: {out} ({written['teams']} teams, {written['charts']} charts, {written['bytes'] / 1e6:.1f} MB, "
        f"{time.perf_counter() - started:.1f}s)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
