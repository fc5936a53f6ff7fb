"""Vega-Lite specifications of the report's charts, one function per chart, data inline.

Only presentation happens here: which mart column goes on which axis, titles with units, stage
order, team colours. Percentile lines are the marts' percentiles, drawn as rules.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from orchestration.report.queries import Rows

SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"  # names the version; nothing is fetched
WIDTH = 560
HEIGHT = 220
# One colour per team wherever teams appear (Tableau 10, colour-blind safer order first).
TEAM_COLOURS = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#ff9da7", "#9c755f"]
# Stage colours by category: queue greys, active greens, wait oranges, done blue.
STAGE_COLOURS = {
    "backlog": "#cfd4da",
    "ready": "#9aa5b1",
    "in_progress": "#59a14f",
    "blocked": "#e15759",
    "review": "#f28e2b",
    "testing": "#8cd17d",
    "ready_to_deploy": "#f1ce63",
    "done": "#4e79a7",
    "unmapped": "#b07aa1",
}
PERCENTILE_DASH = {"p50": [2, 2], "p85": [6, 3], "p95": [10, 3]}


def team_colour(teams: Sequence[str], team: str) -> str:
    return TEAM_COLOURS[list(teams).index(team) % len(TEAM_COLOURS)]


def _spec(data: Rows, title: str, **rest: object) -> dict:
    return {
        "$schema": SCHEMA,
        "title": {"text": title, "anchor": "start", "fontSize": 13},
        "width": WIDTH,
        "height": HEIGHT,
        "data": {"values": data},
        "config": {"axis": {"labelFontSize": 11, "titleFontSize": 11}, "view": {"stroke": None}},
        **rest,
    }


def _rules(values: dict[str, float | None], field: str, unit: str) -> dict:
    """Horizontal dashed percentile lines with a label at the right end."""
    points = [{"p": name, field: value} for name, value in values.items() if value is not None]
    return {
        "data": {"values": points},
        "layer": [
            {
                "mark": {"type": "rule", "color": "#333", "strokeWidth": 1},
                "encoding": {
                    "y": {"field": field, "type": "quantitative"},
                    "strokeDash": {"field": "p", "type": "nominal", "legend": None,
                                   "scale": {"domain": list(PERCENTILE_DASH), "range": list(PERCENTILE_DASH.values())}},
                },
            },
            {
                "mark": {"type": "text", "align": "right", "dy": -6, "x": "width", "fontSize": 10, "color": "#333"},
                "encoding": {
                    "y": {"field": field, "type": "quantitative"},
                    "text": {"field": "label"},
                },
                "transform": [{"calculate": f"datum.p + ' ' + format(datum['{field}'], '.1f') + ' {unit}'",
                               "as": "label"}],
            },
        ],
    }  # fmt: skip


def cfd(data: Rows, stages: Sequence[str]) -> dict:
    """Stacked `items` per stage, the first stage of the workflow on top as the boards read."""
    return _spec(
        data,
        "Cumulative flow: items in each stage at the end of the day",
        mark={"type": "area", "interpolate": "step-after"},
        encoding={
            "x": {"field": "period_start", "type": "temporal", "title": "day"},
            "y": {"field": "items", "type": "quantitative", "stack": "zero", "title": "work items"},
            "color": {
                "field": "stage",
                "type": "nominal",
                "title": "stage",
                "sort": list(stages),
                "scale": {"domain": list(stages), "range": [STAGE_COLOURS.get(s, "#999") for s in stages]},
            },
            "order": {"field": "stage_order", "type": "quantitative", "sort": "descending"},
            "tooltip": [
                {"field": "period_start", "type": "temporal", "title": "day"},
                {"field": "stage"},
                {"field": "items", "title": "items"},
            ],
        },
    )


def cycle_scatter(data: Rows, percentiles: dict, colour: str) -> dict:
    dots = {
        "mark": {"type": "circle", "size": 36, "opacity": 0.7, "color": colour},
        "encoding": {
            "x": {"field": "completed_date", "type": "temporal", "title": "completion date"},
            "y": {"field": "cycle_time_days", "type": "quantitative", "title": "cycle time (days)"},
            "tooltip": [
                {"field": "item_key", "title": "item"},
                {"field": "completed_date", "type": "temporal", "title": "completed"},
                {"field": "cycle_time_days", "title": "cycle time (days)"},
            ],
        },
    }
    lines = {
        "p50": percentiles.get("cycle_time_p50_days"),
        "p85": percentiles.get("cycle_time_p85_days"),
        "p95": percentiles.get("cycle_time_p95_days"),
    }
    return _spec(
        data,
        "Cycle time of the items completed in the last 12 weeks",
        width=WIDTH - 140,
        layer=[dots, _rules(lines, "days", "d")],
    )


def cycle_histogram(data: Rows, colour: str) -> dict:
    return _spec(
        data,
        "How many items took how long",
        width=300,
        mark={"type": "bar", "color": colour},
        encoding={
            "x": {
                "field": "cycle_time_days",
                "type": "quantitative",
                "bin": {"maxbins": 20},
                "title": "cycle time (days)",
            },
            "y": {"aggregate": "count", "type": "quantitative", "title": "items"},
        },
    )


def throughput(data: Rows, colour: str) -> dict:
    return _spec(
        data,
        "Throughput per complete week",
        height=180,
        mark={"type": "line", "point": True, "color": colour},
        encoding={
            "x": {"field": "period_start", "type": "temporal", "title": "week (Monday)"},
            "y": {"field": "throughput", "type": "quantitative", "title": "items completed"},
            "tooltip": [{"field": "period_start", "type": "temporal", "title": "week of"}, {"field": "throughput"}],
        },
    )


def wip(data: Rows, colour: str) -> dict:
    return _spec(
        data,
        "Work in progress at the end of each day",
        height=180,
        mark={"type": "area", "interpolate": "step-after", "color": colour, "opacity": 0.35, "line": {"color": colour}},
        encoding={
            "x": {"field": "period_start", "type": "temporal", "title": "day"},
            "y": {"field": "wip", "type": "quantitative", "title": "items in progress"},
            "tooltip": [
                {"field": "period_start", "type": "temporal", "title": "day"},
                {"field": "wip", "title": "WIP"},
            ],
        },
    )


def aging(data: Rows, stages: Sequence[str], p50: float | None, p85: float | None) -> dict:
    dots = {
        "mark": {"type": "circle", "size": 80, "opacity": 0.85},
        "encoding": {
            "x": {"field": "current_stage", "type": "nominal", "sort": list(stages), "title": "current stage",
                  "scale": {"domain": list(stages)}, "axis": {"labelAngle": 0}},
            "xOffset": {"field": "jitter", "type": "quantitative", "scale": {"domain": [0, 1]}},
            "y": {"field": "age_days", "type": "quantitative", "title": "age (days since start)"},
            "color": {"field": "risk", "type": "nominal", "title": None,
                      "scale": {"domain": ["at risk", "on track"], "range": ["#e15759", "#4e79a7"]}},
            "tooltip": [
                {"field": "item_key", "title": "item"},
                {"field": "age_days", "title": "age (days)"},
                {"field": "days_in_current_stage", "title": "days in stage"},
            ],
        },
        "transform": [
            {"calculate": "datum.at_risk ? 'at risk' : 'on track'", "as": "risk"},
            # Spread dots of one stage sideways, the same way on every render.
            {"window": [{"op": "row_number", "as": "n"}], "groupby": ["current_stage"]},
            {"calculate": "((datum.n * 0.618) % 1) * 0.8 + 0.1", "as": "jitter"},
        ],
    }  # fmt: skip
    return _spec(
        data,
        "Age of the work in progress, by stage, against recent cycle times",
        layer=[dots, _rules({"p50": p50, "p85": p85}, "days", "d")],
    )


def forecast_how_many(data: Rows, colour: str) -> dict:
    return _spec(
        data,
        "How many items will be done? (chance of at least this many)",
        width=260,
        height={"step": 16},
        mark={"type": "bar", "color": colour},
        encoding={
            "y": {"field": "chance", "type": "nominal", "title": None, "sort": ["50%", "85%", "95%"]},
            "x": {"field": "value", "type": "quantitative", "title": "items"},
            "row": {"field": "horizon", "type": "nominal", "title": None, "header": {"labelAngle": 0,
                    "labelAlign": "left", "labelFontSize": 11}},
            "tooltip": [{"field": "horizon"}, {"field": "chance"}, {"field": "value", "title": "items"}],
        },
        transform=[
            {"calculate": "'in ' + datum.horizon_days + ' days'", "as": "horizon"},
            {"calculate": "datum.confidence + '%'", "as": "chance"},
        ],
    )  # fmt: skip


def forecast_when(data: Rows, colour: str) -> dict:
    return _spec(
        data,
        "When will the next N items be done? (days from the as-of day)",
        width=300,
        height=160,
        mark={"type": "point", "filled": True, "size": 90, "color": colour},
        encoding={
            "y": {"field": "items", "type": "nominal", "title": None, "sort": {"field": "item_count"}},
            "x": {"field": "value", "type": "quantitative", "title": "days"},
            "shape": {"field": "chance", "type": "nominal", "title": "chance",
                      "scale": {"domain": ["50%", "85%", "95%"], "range": ["circle", "square", "triangle-up"]}},
            "tooltip": [{"field": "items"}, {"field": "chance"}, {"field": "value", "title": "days"},
                        {"field": "done_by", "title": "done by"}],
        },
        transform=[
            {"calculate": "'next ' + datum.item_count", "as": "items"},
            {"calculate": "datum.confidence + '%'", "as": "chance"},
        ],
    )  # fmt: skip


def sparkline(data: Rows, field: str, colour: str, label: str) -> dict:
    return {
        "$schema": SCHEMA,
        "width": 150,
        "height": 34,
        "data": {"values": data},
        "mark": {"type": "line", "color": colour, "point": {"size": 10, "color": colour}},
        "encoding": {
            "x": {"field": "period_start", "type": "temporal", "axis": None},
            "y": {"field": field, "type": "quantitative", "axis": None, "scale": {"zero": False}},
            "tooltip": [
                {"field": "period_start", "type": "temporal", "title": "week of"},
                {"field": field, "title": label},
            ],
        },
        "config": {"view": {"stroke": None}},
    }


PR_PHASES = {
    "coding_hours_p50": "coding",
    "pickup_hours_p50": "pickup",
    "review_hours_p50": "review",
    "deploy_hours_p50": "deploy",
}


def pr_phases(data: Rows) -> dict:
    """One small chart per phase: medians of different phases are not parts of one total, so never stacked."""
    return {
        "$schema": SCHEMA,
        "title": {"text": "Pull request cycle time by phase: median hours per complete week", "anchor": "start",
                  "fontSize": 13},
        "data": {"values": data},
        "transform": [{"fold": list(PR_PHASES), "as": ["column", "hours"]},
                      {"calculate": f"{json.dumps(PR_PHASES)}[datum.column]", "as": "phase"}],
        "facet": {"column": {"field": "phase", "type": "nominal", "sort": list(PR_PHASES.values()), "title": None,
                             "header": {"labelFontSize": 12, "labelFontWeight": "bold"}}},
        "resolve": {"scale": {"y": "independent"}},
        "spec": {
            "width": 190,
            "height": 120,
            "mark": {"type": "line", "point": True, "color": "#486581"},
            "encoding": {
                "x": {"field": "period_start", "type": "temporal", "title": "week merged"},
                "y": {"field": "hours", "type": "quantitative", "title": "median hours"},
                "detail": {"field": "repository"},
                "tooltip": [{"field": "repository"}, {"field": "period_start", "type": "temporal", "title": "week of"},
                            {"field": "phase"}, {"field": "hours", "format": ".1f", "title": "median hours"}],
            },
        },
        "config": {"axis": {"labelFontSize": 10, "titleFontSize": 11}, "view": {"stroke": None}},
    }  # fmt: skip


def org_throughput(data: Rows, teams: Sequence[str]) -> dict:
    """Weekly throughput stacked by team: throughput adds up over teams, so the stack is the organisation's."""
    return _spec(
        data,
        "Throughput per complete week, by team",
        height=200,
        mark={"type": "bar", "stroke": "#fff", "strokeWidth": 1},
        transform=[{"calculate": "timeOffset('day', datetime(datum.period_start), 7)", "as": "week_end"}],
        encoding={
            "x": {"field": "period_start", "type": "temporal", "title": "week (Monday)"},
            "x2": {"field": "week_end"},
            "y": {"field": "throughput", "type": "quantitative", "stack": "zero", "title": "items completed"},
            "color": {"field": "team", "type": "nominal", "title": "team",
                      "scale": {"domain": list(teams), "range": [team_colour(teams, t) for t in teams]}},
            "order": {"field": "team"},
            "tooltip": [{"field": "team"}, {"field": "period_start", "type": "temporal", "title": "week of"},
                        {"field": "throughput"}],
        },
    )  # fmt: skip


SIDE_COLOURS = {"before": "#9aa5b1", "after": "#4e79a7"}


def improvement_timeline(samples: Rows, impact: dict, unit: str) -> dict:
    """Each item (or week) of both windows by date, the change day as a red rule, each window's
    value of the measure as a level line across it. Weekly ratios are drawn week by week as
    value ÷ denominator, the parts improvement_samples holds."""
    windows = [
        {"side": side, "start": impact[start], "end": impact[end], "level": impact[f"{side}_value"]}
        for side, start, end in (("before", "baseline_start", "baseline_end"), ("after", "after_start", "after_end"))
    ]
    side_scale = {"domain": list(SIDE_COLOURS), "range": list(SIDE_COLOURS.values())}
    dots = {
        "transform": [
            {
                "calculate": "datum.denominator == null ? datum.value"
                " : (datum.denominator == 0 ? null : datum.value / datum.denominator)",
                "as": "shown",
            }
        ],
        "mark": {"type": "circle", "size": 40, "opacity": 0.75},
        "encoding": {
            "x": {"field": "measured_on", "type": "temporal", "title": "completed (items) or week"},
            "y": {"field": "shown", "type": "quantitative", "title": unit},
            "color": {"field": "side", "type": "nominal", "title": None, "scale": side_scale},
            "tooltip": [{"field": "measured_on", "type": "temporal", "title": "on"}, {"field": "shown", "title": unit}],
        },
    }
    levels = {
        "data": {"values": [w for w in windows if w["level"] is not None]},
        "mark": {"type": "rule", "strokeWidth": 2},
        "encoding": {
            "x": {"field": "start", "type": "temporal"},
            "x2": {"field": "end"},
            "y": {"field": "level", "type": "quantitative"},
            "color": {"field": "side", "type": "nominal", "scale": side_scale},
        },
    }
    change = {
        "data": {"values": [{"day": impact["changed_on"], "label": "changed"}]},
        "layer": [
            {"mark": {"type": "rule", "color": "#e15759", "strokeDash": [4, 3], "strokeWidth": 2},
             "encoding": {"x": {"field": "day", "type": "temporal"}}},
            {"mark": {"type": "text", "color": "#e15759", "align": "left", "dx": 4, "y": 8, "fontSize": 11},
             "encoding": {"x": {"field": "day", "type": "temporal"}, "text": {"field": "label"}}},
        ],
    }  # fmt: skip
    return _spec(
        samples,
        f"{impact['measure']}: each item or week, and the window's value",
        width=WIDTH - 60,
        layer=[dots, levels, change],
    )


def improvement_sides(samples: Rows, unit: str) -> dict:
    """The two windows' values side by side, one tick each."""
    return _spec(
        samples,
        "Before and after, side by side",
        width=220,
        transform=[{"calculate": "datum.denominator == null ? datum.value"
                                 " : (datum.denominator == 0 ? null : datum.value / datum.denominator)",
                    "as": "shown"}],
        mark={"type": "tick", "thickness": 2, "opacity": 0.7},
        encoding={
            "x": {"field": "side", "type": "nominal", "sort": list(SIDE_COLOURS), "title": None,
                  "axis": {"labelAngle": 0}},
            "y": {"field": "shown", "type": "quantitative", "title": unit},
            "color": {"field": "side", "type": "nominal", "legend": None,
                      "scale": {"domain": list(SIDE_COLOURS), "range": list(SIDE_COLOURS.values())}},
        },
    )  # fmt: skip
