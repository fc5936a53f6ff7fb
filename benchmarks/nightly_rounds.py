"""The nightly build of versions of the project, round after round, the versions interleaved.

    python -m benchmarks.nightly_rounds --project-dir before=/path/to/copy --project-dir after=dbt_project \\
        [--scale 10000] [--rounds 6] [--workdir DIR] [--json out.json]

One benchmark run per version moves by more than a step of a few percent: on a shared or busy
machine a 10k nightly build takes 12 to 16 s from one run to the next. This measures a step as
the performance notes do. Every version gets the same organisation (benchmarks/raw_writer.py)
and a full build as of the night before the delta, which is kept. Then, round after round, each
version in turn (the order reversed every other round, so that neither always goes first): its
kept warehouse copied, the nightly delta appended, and the nightly build run as the nightly job
runs it (`run.run_nightly`, leaving out what cannot have changed). Round 0 parses each project
and is not counted. Printed per version: the median and mean of wall and CPU seconds, and
against the first version the median of the paired differences (a round's builds ran next to
each other, so they shared the machine's state) and in how many rounds the version was faster.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from benchmarks import compare, raw_writer, run

CUTOFF = raw_writer.END - run.DELTA


def prepare(label: str, project: Path, raw: Path, workdir: Path) -> Path:
    """The version's warehouse after its full build, kept in `workdir/versions/<label>/kept/`."""
    directory = empty_directory(workdir / "versions" / label)
    db = compare.copy_warehouse(raw, empty_directory(directory / "kept"))
    with bench_project(project):
        run.run_nightly(db, directory, as_of=CUTOFF.strftime("%Y-%m-%d %H:%M:%S"))
    return db


def night(label: str, project: Path, kept: Path, n_items: int, workdir: Path) -> dict:
    """One night of the version: a fresh copy of its kept warehouse, the delta, the nightly build."""
    db = compare.copy_warehouse(kept, empty_directory(workdir / "versions" / label / "night"))
    raw_writer.append_delta(str(db), n_items, CUTOFF, raw_writer.END)
    with bench_project(project):
        result = run.run_nightly(db, workdir / "versions" / label)
    return {k: result[k] for k in ("seconds", "cpu_seconds", "peak_rss_mib", "skipped_nodes")}


def empty_directory(directory: Path) -> Path:
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir(parents=True)
    return directory


@contextmanager
def bench_project(project: Path) -> Iterator[None]:
    """`run` benchmarks this project while inside (it reads `$STREAMGAUGE_BENCH_PROJECT_DIR`)."""
    before = os.environ.get("STREAMGAUGE_BENCH_PROJECT_DIR")
    os.environ["STREAMGAUGE_BENCH_PROJECT_DIR"] = str(project.resolve())
    try:
        yield
    finally:
        if before is None:
            del os.environ["STREAMGAUGE_BENCH_PROJECT_DIR"]
        else:
            os.environ["STREAMGAUGE_BENCH_PROJECT_DIR"] = before


def summarize(nights: dict[str, list[dict]]) -> dict[str, dict]:
    """Per version, over the counted rounds (all but round 0): medians, means, and the paired
    differences from the first version (positive: this version was faster)."""
    first = next(iter(nights.values()))[1:]
    summary = {}
    for label, rounds in nights.items():
        counted = rounds[1:]
        wall = [r["seconds"] for r in counted]
        cpu = [r["cpu_seconds"] for r in counted]
        gains = [a["seconds"] - b["seconds"] for a, b in zip(first, counted, strict=True)]
        summary[label] = {
            "rounds": len(counted),
            "wall_median": round(statistics.median(wall), 2),
            "wall_mean": round(statistics.mean(wall), 2),
            "cpu_median": round(statistics.median(cpu), 2),
            "cpu_mean": round(statistics.mean(cpu), 2),
            "paired_gain_median": round(statistics.median(gains), 2),
            "faster_rounds": sum(gain > 0 for gain in gains),
            "skipped_nodes": counted[-1]["skipped_nodes"],
        }
    return summary


def format_table(summary: dict[str, dict]) -> str:
    head = (
        f"{'version':<16} {'rounds':>6} {'wall median':>11} {'wall mean':>9} {'CPU median':>10} {'CPU mean':>8} "
        f"{'gain median':>11} {'faster in':>9} {'left out':>8}"
    )
    lines = [head, "-" * len(head)]
    for number, (label, s) in enumerate(summary.items()):
        gain, faster = (s["paired_gain_median"], s["faster_rounds"]) if number else ("", "")  # the baseline's own
        lines.append(
            f"{label:<16} {s['rounds']:>6} {s['wall_median']:>11} {s['wall_mean']:>9} {s['cpu_median']:>10} "
            f"{s['cpu_mean']:>8} {gain:>11} {faster:>9} {s['skipped_nodes']:>8}"
        )
    lines.append("(seconds; gain: the first version's wall time minus this one's, round by round)")
    return "\n".join(lines)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def parse_version(text: str) -> tuple[str, Path]:
    label, _, path = text.partition("=") if "=" in text else ("", "", text)
    project = Path(path)
    if not (project / "dbt_project.yml").is_file():
        raise argparse.ArgumentTypeError(f"{project} has no dbt_project.yml")
    return label or project.name, project


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--project-dir", dest="versions", type=parse_version, action="append", required=True,
        help="LABEL=PATH of a version of the dbt project; give two or more, the first is the baseline",
    )  # fmt: skip
    parser.add_argument("--scale", type=int, default=10000, help="work items")
    parser.add_argument("--rounds", type=int, default=6, help="rounds counted (round 0 comes on top)")
    parser.add_argument("--workdir", type=Path, default=run.ROOT / "data" / "bench" / "rounds")
    parser.add_argument("--json", type=Path, help="write every night and the summary here as JSON")
    args = parser.parse_args(argv)
    versions = dict(args.versions)
    if len(versions) < 2 or len(versions) < len(args.versions):
        parser.error("give two or more versions with distinct labels (--project-dir LABEL=PATH)")
    if args.rounds < 1:
        parser.error("--rounds must be 1 or more: round 0 is not counted")

    raw = empty_directory(args.workdir / "raw") / "bench.duckdb"
    raw_writer.write_snapshot(str(raw), args.scale, CUTOFF)
    kept = {label: prepare(label, project, raw, args.workdir) for label, project in versions.items()}
    log(f"{len(versions)} versions built at {args.scale} items")
    nights: dict[str, list[dict]] = {label: [] for label in versions}
    for round_number in range(args.rounds + 1):
        order = list(versions.items())
        for label, project in order if round_number % 2 == 0 else reversed(order):
            nights[label].append(night(label, project, kept[label], args.scale, args.workdir))
            log(f"round {round_number} {label}: {nights[label][-1]}")
    summary = summarize(nights)
    if args.json:
        args.json.write_text(json.dumps({"scale": args.scale, "nights": nights, "summary": summary}, indent=2))
    print(format_table(summary))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
