"""The value stream map of one team, drawn as SVG from value_stream_stages, _rework and _summary.

Boxes are the stages in workflow order, each with the mart's medians per item that passed
through it; arcs above the boxes are the rework loops with their counts; the ladder below shows
the waiting (upper step) and active (lower step) time per completed item along the stream, which
add up to the mean lead time shown at its end. Positions come from the data; no figure is derived.
"""

from __future__ import annotations

from html import escape

from orchestration.report.charts import STAGE_COLOURS
from orchestration.report.queries import Rows

BOX_W, BOX_H, GAP = 150, 112, 46
TOP = 96  # room for the rework arcs
LADDER_TOP = TOP + BOX_H + 74
LADDER_STEP = 38
WIDTH_END = 240  # the ladder's total at the right


def days(hours: float | None) -> str:
    return "–" if hours is None else f"{hours / 24:.1f} d"


def _label(stage: str) -> str:
    return stage.replace("_", " ")


def draw(stages: Rows, rework: Rows, summary: dict | None) -> str:
    """The SVG of one team's map; an empty string when the team completed nothing in the window."""
    if not summary:
        return ""
    by_stage = {row["stage"]: row for row in stages}
    order = {row["stage"]: row["stage_order"] for row in stages}
    for loop in rework:
        order.setdefault(loop["from_stage"], loop["from_stage_order"])
        order.setdefault(loop["to_stage"], loop["to_stage_order"])
    order.setdefault("done", 90)
    names = sorted(order, key=lambda s: (order[s] is None, order[s] or 0, s))
    names = [s for s in names if s != "done"] + ["done"]  # the stream ends in done
    x = {name: 20 + i * (BOX_W + GAP) for i, name in enumerate(names)}
    width = 20 + len(names) * (BOX_W + GAP) - GAP + WIDTH_END
    height = LADDER_TOP + 2 * LADDER_STEP + 40
    parts = [
        f'<svg class="vsm" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" aria-label="Value stream map">',
        "<defs>"
        '<marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto">'
        '<path d="M0,0 L10,5 L0,10 z" fill="#555"/></marker>'
        '<marker id="loop" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto">'
        '<path d="M0,0 L10,5 L0,10 z" fill="#c0392b"/></marker></defs>',
    ]
    for i, name in enumerate(names):
        parts.append(_box(name, x[name], by_stage.get(name), summary))
        if i:
            start = x[names[i - 1]] + BOX_W
            parts.append(
                f'<line x1="{start + 4}" y1="{TOP + BOX_H / 2}" x2="{x[name] - 4}" y2="{TOP + BOX_H / 2}" '
                'stroke="#555" stroke-width="1.5" marker-end="url(#arrow)"/>'
            )
    parts += [_loop(loop, x) for loop in rework if loop["from_stage"] in x and loop["to_stage"] in x]
    parts.append(_ladder(names, x, by_stage, summary))
    parts.append("</svg>")
    return "".join(parts)


def _box(name: str, left: float, row: dict | None, summary: dict) -> str:
    constraint = bool(row and row["is_constraint"])
    border = ' stroke="#c0392b" stroke-width="3"' if constraint else ' stroke="#8a949e" stroke-width="1"'
    colour = STAGE_COLOURS.get(name, "#ccc")
    out = [
        f'<g class="vsm-stage{" vsm-constraint" if constraint else ""}" data-stage="{escape(name)}">',
        f'<rect x="{left}" y="{TOP}" width="{BOX_W}" height="{BOX_H}" rx="6" fill="#fff"{border}/>',
        f'<rect x="{left}" y="{TOP}" width="{BOX_W}" height="24" rx="6" fill="{colour}"/>',
        f'<text x="{left + BOX_W / 2}" y="{TOP + 17}" text-anchor="middle" class="vsm-title">'
        f"{escape(_label(name))}</text>",
    ]
    if constraint:
        out.append(
            f'<text x="{left + BOX_W / 2}" y="{TOP + BOX_H + 16}" text-anchor="middle" class="vsm-flag">'
            "▲ constraint: most waiting</text>"
        )
    if name == "done":
        lines = [f"{summary['completed_items']} items completed"]
        if row:  # time in done before a reopen: the item was not really done
            lines += [f"{row['items']} sat in a false done", f"median {days(row['median_wait_hours'])} there"]
    elif row:
        lines = [
            f"{row['items']} of {row['completed_items']} items",
            f"active {days(row['median_active_hours'])}",
            f"wait {days(row['median_wait_hours'])}",
            f"{row['share_of_lead_time']:.0%} of lead time",
        ]
    else:
        lines = ["no time recorded"]
    for i, line in enumerate(lines):
        out.append(f'<text x="{left + 10}" y="{TOP + 44 + i * 17}" class="vsm-text">{escape(line)}</text>')
    out.append("</g>")
    return "".join(out)


def _loop(loop: dict, x: dict[str, float]) -> str:
    """An arc above the boxes from the stage left back to the stage entered."""
    start = x[loop["from_stage"]] + BOX_W / 2 + 8
    end = x[loop["to_stage"]] + BOX_W / 2 - 8
    span = abs(start - end) / (BOX_W + GAP)
    rise = min(TOP - 14, 26 + 18 * span)
    mid = (start + end) / 2
    label = f"{loop['moves']}× {'reopened' if loop['is_reopen'] else 'back'}"
    return (
        f'<g class="vsm-loop" data-from="{escape(loop["from_stage"])}" data-to="{escape(loop["to_stage"])}">'
        f'<path d="M{start},{TOP} C{start},{TOP - rise} {end},{TOP - rise} {end},{TOP}" fill="none" '
        'stroke="#c0392b" stroke-width="1.5" stroke-dasharray="5 3" marker-end="url(#loop)"/>'
        f'<text x="{mid}" y="{TOP - rise * 0.75 + 4}" text-anchor="middle" class="vsm-loop-text">{escape(label)}</text>'
        "</g>"
    )


def _ladder(names: list[str], x: dict[str, float], by_stage: dict, summary: dict) -> str:
    """Waiting per item on the upper step, active on the lower, stage by stage."""
    upper, lower = LADDER_TOP, LADDER_TOP + LADDER_STEP
    out = [
        f'<text x="20" y="{upper - 30}" class="vsm-text vsm-strong">Lead-time ladder, per completed item '
        f"(mean): waiting above, active below</text>"
    ]
    path, previous_y = [], None
    for name in names:
        row = by_stage.get(name)
        if not row:
            continue
        steps = [(upper, row["wait_hours_per_item"], "wait"), (lower, row["active_hours_per_item"], "active")]
        steps = [s for s in steps if s[1] and s[1] >= 0.05]
        left = x[name] - GAP / 2 if name != names[0] else x[name]
        right = x[name] + BOX_W + GAP / 2
        for i, (y, hours, kind) in enumerate(steps):
            a = left + (right - left) * i / len(steps)
            b = left + (right - left) * (i + 1) / len(steps)
            if previous_y is not None and previous_y != y:
                path.append(f'<line x1="{a}" y1="{previous_y}" x2="{a}" y2="{y}" stroke="#333"/>')
            colour = "#e67e22" if kind == "wait" else "#2e8b57"
            path.append(f'<line x1="{a}" y1="{y}" x2="{b}" y2="{y}" stroke="{colour}" stroke-width="3"/>')
            text_y = y - 6 if kind == "wait" else y + 15
            path.append(
                f'<text x="{(a + b) / 2}" y="{text_y}" text-anchor="middle" class="vsm-text">{days(hours)}</text>'
            )
            previous_y = y
    out += path
    end = x[names[-1]] + BOX_W + GAP / 2 + 10
    out.append(
        f'<text x="{end}" y="{upper + 4}" class="vsm-text">waiting {days(summary["wait_hours_per_item"])}</text>'
        f'<text x="{end}" y="{lower + 4}" class="vsm-text">active {days(summary["active_hours_per_item"])}</text>'
        f'<text x="{end}" y="{lower + 26}" class="vsm-text vsm-strong">mean lead time '
        f"{days(summary['lead_time_mean_hours'])}</text>"
    )
    return "".join(out)
