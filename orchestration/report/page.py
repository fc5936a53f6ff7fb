"""The report's HTML: one self-contained page, the Vega bundle, styles and script inlined.

Tiles carry the mart, the row and the column they show (`data-mart`, `data-where`,
`data-column`, `data-value`), so a test can check every number against the serving copy.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import date, datetime
from functools import cache
from html import escape
from pathlib import Path

import vl_convert

from orchestration.report import charts, vsm
from orchestration.report.queries import ReportData, Rows, TeamData

HERE = Path(__file__).parent


@cache
def vega_bundle() -> str:
    """Vega, Vega-Lite and vega-embed as one script, from the vl-convert package: nothing fetched."""
    return vl_convert.javascript_bundle()


def _json(value: object) -> str:
    """JSON safe inside a <script> element."""
    return json.dumps(value, default=_plain, separators=(",", ":")).replace("</", "<\\/")


def _plain(value: object) -> object:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def slug(team: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", team.lower()).strip("-") or "team"


# ---------------------------------------------------------------------- formatting
def as_days(hours: float) -> str:
    return f"{hours / 24:.1f} d"


def as_hours(hours: float) -> str:
    return f"{hours:.1f} h"


def as_percent(ratio: float) -> str:
    return f"{ratio:.0%}"


def as_number(value: float) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def as_rate(value: float) -> str:
    return f"{value:.2f}"


UNITS: dict[str, Callable[[float], str]] = {
    "days": as_days,
    "hours": as_hours,
    "percent": as_percent,
    "count": as_number,
    "rate": as_rate,
}

# How improvement_impact's units show in tiles.
IMPROVEMENT_UNITS = {"hours": "hours", "ratio": "percent"}
VERDICT_SENTENCES = {
    "improved": "The whole {level} interval of the change, {low} to {high}, lies on the expected side of no change.",
    "worse": "The whole {level} interval of the change, {low} to {high}, lies on the wrong side of no change.",
    "no clear change": "The {level} interval of the change, {low} to {high}, holds zero: the data cannot tell "
    "this change from chance.",
    "too little data": "A side rests on fewer items or weeks than a verdict needs ({before} before, {after} after).",
}


def tile(
    label: str,
    mart: str,
    where: dict[str, str],
    row: dict | None,
    column: str,
    unit: str,
    extra: str = "",
    below: str = "",
) -> str:
    """One number of one mart row, with where it comes from; `extra` follows the value, `below` under it."""
    value = row.get(column) if row else None
    shown = "–" if value is None else UNITS[unit](value)
    where_attr = "&".join(f"{k}={v}" for k, v in where.items())
    raw = "" if value is None else repr(value)
    return (
        f'<div class="tile" data-mart="{escape(mart)}" data-where="{escape(where_attr)}" data-column="{column}" '
        f'data-unit="{unit}" data-value="{escape(raw)}"><div class="label">{escape(label)}</div>'
        f'<div class="value">{escape(shown)}{extra}</div>{below}</div>'
    )


def tier(name: str | None) -> str:
    return f'<span class="tier tier-{escape(name)}">{escape(name)}</span>' if name else ""


# The DORA tiles: label, dora_summary column, unit, tier column; the dora_weekly column of the sparkline.
DORA_TILES = [
    ("deploy days per week (median)", "deploy_days_per_week_p50", "count", "deploy_frequency_tier",
     "deployments", "deployments per week"),
    ("lead time for changes (median)", "lead_time_p50_hours", "days", "lead_time_tier",
     "lead_time_p50_hours", "weekly median (hours)"),
    ("change failure rate", "change_failure_rate", "percent", "change_failure_rate_tier",
     "change_failure_rate", "weekly rate"),
    ("failed deployment recovery (median)", "failed_deployment_recovery_p50_hours", "hours", "recovery_tier",
     "failed_deployment_recovery_p50_hours", "weekly median (hours)"),
]  # fmt: skip


# What the aging chart's dots carry (titles and links stay in the at-risk list, which shows the oldest).
AGING_FIELDS = ("item_key", "current_stage", "age_days", "days_in_current_stage", "at_risk")
AT_RISK_LISTED = 50


# ---------------------------------------------------------------------- page
class Page:
    """Collects chart specs while the sections are written."""

    def __init__(self, data: ReportData) -> None:
        self.data = data
        self.specs: dict[str, dict] = {}
        self.teams = [t.team for t in data.teams]

    def chart(self, chart_id: str, spec: dict, rows: Rows | None = None, empty: str = "No data.") -> str:
        if rows is not None and not rows:
            return f'<p class="empty">{escape(empty)}</p>'
        self.specs[chart_id] = spec
        return f'<div class="chart" data-chart="{chart_id}"></div>'

    def html(self) -> str:
        data = self.data
        as_of = data.published.get("as_of")
        title = f"Flow and delivery report, as of {as_of:%Y-%m-%d %H:%M} UTC" if as_of else "Flow and delivery report"
        body = [
            self.header(title),
            self.nav(),
            "<main>",
            self.overview(),
            *(self.team(t) for t in data.teams),
            self.quality(),
            "</main>",
        ]
        return (
            '<!doctype html><html lang="en"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{escape(title)}</title><style>{(HERE / 'report.css').read_text()}</style>"
            f"<script>{vega_bundle()}</script></head><body>{''.join(body)}"
            f'<script type="application/json" id="chart-specs">{_json(self.specs)}</script>'
            f"<script>{(HERE / 'report.js').read_text()}</script></body></html>"
        )

    def header(self, title: str) -> str:
        published = self.data.published
        stale = {c["asset"].split("/")[0] for c in self.data.checks if c["check_name"] == "loaded_recently"}
        rows = "".join(
            f"<tr><td>{escape(f['source'])}</td><td>{f['last_loaded_at']:%Y-%m-%d %H:%M} UTC</td>"
            f"<td>{f['hours_before_publish']:.1f} h before publishing</td><td>{f['rows']:,} rows held</td>"
            f"<td>{'<span class=stale>stale</span>' if f['source'] in stale else ''}</td></tr>"
            for f in self.data.freshness
        )
        meta = (
            f"Published {published['published_at']:%Y-%m-%d %H:%M} UTC by run "
            f"{escape(published.get('run_id') or '–')}; ages and open intervals run to the as-of time."
            if published
            else "This copy has no main.published row."
        )
        return (
            f'<header><h1>{escape(title)}</h1><div class="meta">{meta}</div>'
            f"<table><tr><th>source</th><th>last successful load</th><th></th><th></th><th></th></tr>{rows}</table>"
            "</header>"
        )

    def nav(self) -> str:
        options = "".join(f'<option value="{escape(t)}">{escape(t)}</option>' for t in self.teams)
        swatches = " ".join(
            f'<span><span class="swatch" style="background:{charts.team_colour(self.teams, t)}"></span>'
            f"{escape(t)}</span>"
            for t in self.teams
        )
        return (
            f'<nav><label for="team">Team</label><select id="team">{options}</select>'
            f'<span class="legend">{swatches}</span>'
            '<a href="#overview">Organisation</a><a href="#quality">Data quality</a></nav>'
        )

    def overview(self) -> str:
        org = self.data.dora_org
        mart = "marts.dora_summary_org"
        tiles = "".join(
            [
                tile("deploy days per week (median)", mart, {}, org, "deploy_days_per_week_p50", "count",
                     tier(org and org["deploy_frequency_tier"])),
                tile("lead time for changes (median)", mart, {}, org, "lead_time_p50_hours", "days",
                     tier(org and org["lead_time_tier"])),
                tile("change failure rate", mart, {}, org, "change_failure_rate", "percent",
                     tier(org and org["change_failure_rate_tier"])),
                tile("failed deployment recovery (median)", mart, {}, org, "failed_deployment_recovery_p50_hours",
                     "hours", tier(org and org["recovery_tier"])),
                tile("production deployments", mart, {}, org, "deployments", "count"),
            ]
        )  # fmt: skip
        window = f"{org['window_start']} to {org['window_end']}" if org else "no deployments"
        return (
            '<section class="part" id="overview" data-rendered=""><h2>Organisation</h2>'
            f'<p class="reads">DORA over the trailing window ({window}): marts.dora_summary_org. '
            "Weekly throughput: marts.flow_weekly, complete weeks only.</p>"
            f'<div class="tiles">{tiles}</div>'
            + self.chart("org-throughput", charts.org_throughput(self.data.org_throughput, self.teams),
                         self.data.org_throughput)
            + "</section>"
        )  # fmt: skip

    # ------------------------------------------------------------------ one team
    def team(self, t: TeamData) -> str:
        colour = charts.team_colour(self.teams, t.team)
        key = slug(t.team)
        parts = [
            f'<section class="team" data-team="{escape(t.team)}" style="--team:{colour}" hidden>',
            f'<h2 class="team-name">{escape(t.team)}</h2>',
            self.value_stream(t),
            self.cfd(t, key),
            self.cycle_time(t, key, colour),
            self.throughput_and_wip(t, key, colour),
            self.aging(t, key),
            self.forecast(t, key, colour),
            self.dora(t, key, colour),
            self.improvements(t, key),
            "</section>",
        ]
        return "".join(parts)

    def value_stream(self, t: TeamData) -> str:
        s = t.vsm_summary
        mart, where = "marts.value_stream_summary", {"team": t.team}
        if not s:
            return self._part(
                "1. Value stream map",
                "marts.value_stream_stages",
                '<p class="empty">Nothing completed in the window.</p>',
            )
        tiles = "".join(
            [
                tile("items completed", mart, where, s, "completed_items", "count"),
                tile("lead time (median)", mart, where, s, "lead_time_p50_hours", "days"),
                tile("lead time (85th percentile)", mart, where, s, "lead_time_p85_hours", "days"),
                tile("cycle time (median)", mart, where, s, "cycle_time_p50_hours", "days"),
                tile("cycle time (85th percentile)", mart, where, s, "cycle_time_p85_hours", "days"),
                tile("flow efficiency (active ÷ cycle time)", mart, where, s, "flow_efficiency", "percent"),
                tile("touch time ÷ lead time", mart, where, s, "lead_flow_efficiency", "percent"),
                tile("rework moves", mart, where, s, "rework_moves", "count"),
            ]
        )
        constraint = s["constraint_stage"]
        note = (
            f'<div class="tile constraint"><div class="label">constraint</div><div class="value">'
            f"{escape(constraint.replace('_', ' '))}</div></div>"
            if constraint
            else ""
        )
        window = f"{s['window_start']:%Y-%m-%d} to {s['window_end']:%Y-%m-%d}"
        body = (
            f'<div class="vsm-wrap">{vsm.draw(t.vsm_stages, t.vsm_rework, s)}</div>'
            f'<div class="tiles">{tiles}{note}</div>'
        )
        return self._part(
            "1. Value stream map",
            f"Items completed {window}. Boxes: marts.value_stream_stages (medians per item that passed through the "
            "stage); loops: marts.value_stream_rework; ladder and totals: value_stream_stages per item and "
            "marts.value_stream_summary.",
            body,
        )

    def cfd(self, t: TeamData, key: str) -> str:
        stages = list(dict.fromkeys(r["stage"] for r in sorted(t.cfd, key=lambda r: r["stage_order"] or 0)))
        return self._part(
            "2. Cumulative flow",
            "marts.flow_cfd_daily: items per stage at the end of each day, stacked in workflow order (canceled "
            "left out; items completed in a bulk clean-up are left out of the mart).",
            self.chart(f"{key}-cfd", charts.cfd(t.cfd, stages), t.cfd),
        )

    def cycle_time(self, t: TeamData, key: str, colour: str) -> str:
        p = t.cycle_percentiles or {}
        shown = f"{len(t.cycle_items)} of {p.get('completed_items', 0)} items" if p else ""
        return self._part(
            "3. Cycle time",
            f"Dots: marts.flow_item_metrics, items completed since {p.get('window_start', '–')} ({shown}); lines: "
            "the 12-week p50/p85/p95 of marts.flow_trailing_percentiles for the as-of week.",
            '<div class="row">'
            + self.chart(f"{key}-scatter", charts.cycle_scatter(t.cycle_items, p, colour), t.cycle_items)
            + self.chart(f"{key}-histogram", charts.cycle_histogram(t.cycle_items, colour), t.cycle_items)
            + "</div>",
        )

    def throughput_and_wip(self, t: TeamData, key: str, colour: str) -> str:
        return self._part(
            "4. Throughput and work in progress",
            "marts.flow_weekly (complete weeks only: the running week is left out rather than drawn as a drop) "
            "and marts.flow_daily (WIP summed over flow types, complete days).",
            '<div class="row">'
            + self.chart(f"{key}-throughput", charts.throughput(t.throughput, colour), t.throughput)
            + self.chart(f"{key}-wip", charts.wip(t.wip, colour), t.wip)
            + "</div>",
        )

    def aging(self, t: TeamData, key: str) -> str:
        stages = list(
            dict.fromkeys(r["current_stage"] for r in sorted(t.aging, key=lambda r: r["current_stage_order"] or 0))
        )
        first = t.aging[0] if t.aging else {}
        risky = [r for r in t.aging if r["at_risk"]]
        rows = "".join(
            f'<tr><td><a href="{escape(r["url"] or "#")}">{escape(r["item_key"])}</a></td>'
            f"<td>{escape(r['title'] or '')}</td>"
            f'<td>{escape(r["current_stage"])}</td><td class="num">{r["age_days"]}</td>'
            f'<td class="num">{r["days_in_current_stage"]}</td><td class="num">{r["age_percentile_rank"]:.0%}</td></tr>'
            for r in risky[:AT_RISK_LISTED]
        )
        table = (
            '<table class="list at-risk"><tr><th>item</th><th>title</th><th>stage</th><th class="num">age (days)</th>'
            f'<th class="num">days in stage</th><th class="num">older than</th></tr>{rows}</table>'
            if risky
            else '<p class="empty">No item is older than the p85 cycle time.</p>'
        )
        return self._part(
            "5. Aging work in progress",
            "marts.aging_wip: each item in progress now, with the team's p50/p85 cycle time of items completed in "
            "the trailing window; at risk when older than the p85.",
            self.chart(
                f"{key}-aging",
                charts.aging(
                    [{k: r[k] for k in AGING_FIELDS} for r in t.aging],
                    stages,
                    first.get("cycle_time_p50_days"),
                    first.get("cycle_time_p85_days"),
                ),
                t.aging,
                "Nothing in progress.",
            )
            + f"<h3>At risk ({len(risky)})</h3>{table}",
        )

    def forecast(self, t: TeamData, key: str, colour: str) -> str:
        how_many = [r for r in t.forecast if r["question"] == "how_many"]
        when = [r for r in t.forecast if r["question"] == "when" and r["value"] is not None]
        days = t.forecast[0]["sample_days"] if t.forecast else 0
        return self._part(
            "6. Forecast (Monte Carlo)",
            f"marts.flow_forecast: trials drawn from {days} days of the team's daily throughput; 50/85/95% answers.",
            '<div class="row">'
            + self.chart(f"{key}-forecast-how-many", charts.forecast_how_many(how_many, colour), how_many)
            + self.chart(f"{key}-forecast-when", charts.forecast_when(when, colour), when,
                         "Beyond the forecast's horizon.")
            + "</div>",
        )  # fmt: skip

    def dora(self, t: TeamData, key: str, colour: str) -> str:
        blocks = []
        for n, repo in enumerate(t.dora):
            weekly = [w for w in t.dora_weekly if w["repository"] == repo["repository"]]
            where = {"team": t.team, "repository": repo["repository"]}
            tiles = []
            for i, (label, column, unit, tier_column, weekly_column, weekly_label) in enumerate(DORA_TILES):
                spark = self.chart(
                    f"{key}-dora-{n}-{i}", charts.sparkline(weekly, weekly_column, colour, weekly_label), weekly, ""
                )
                below = f'<span class="label">{escape(weekly_label)}</span><span class="spark">{spark}</span>'
                extra = tier(repo[tier_column])
                tiles.append(tile(label, "marts.dora_summary", where, repo, column, unit, extra, below))
            blocks.append(
                f"<h3>{escape(repo['repository'])} <small>({repo['window_start']} to {repo['window_end']})</small></h3>"
                f'<div class="tiles">{"".join(tiles)}</div>'
            )
        trailing = t.pr_trailing
        mart = "marts.pr_trailing_percentiles"
        where = {"team": t.team, "window_weeks": "12", "period_start": str(trailing and trailing["period_start"])}
        pr_tiles = (
            '<div class="tiles">'
            + tile("PR cycle time (median, 12 weeks)", mart, where, trailing, "pr_cycle_hours_p50", "hours")
            + tile("pickup (median)", mart, where, trailing, "pickup_hours_p50", "hours")
            + tile("review (median)", mart, where, trailing, "review_hours_p50", "hours")
            + "</div>"
        )
        return self._part(
            "7. Delivery (DORA) and pull requests",
            "Tiles: marts.dora_summary (trailing window, with the tier of seeds.dora_tiers); sparklines: "
            "marts.dora_weekly, complete weeks; pull requests: marts.pr_trailing_percentiles and marts.pr_weekly.",
            ("".join(blocks) or '<p class="empty">No deployments.</p>')
            + pr_tiles
            + self.chart(f"{key}-pr-phases", charts.pr_phases(t.pr_weekly), t.pr_weekly),
        )

    def improvements(self, t: TeamData, key: str) -> str:
        blocks = []
        for n, r in enumerate(t.improvements):
            samples = [
                s for s in t.improvement_samples if (s["improvement"], s["measure"]) == (r["improvement"], r["measure"])
            ]
            unit = IMPROVEMENT_UNITS.get(r["unit"], "rate")
            where = {"improvement": r["improvement"], "team": t.team, "measure": r["measure"]}
            mart = "marts.improvement_impact"
            counted = r["sample_unit"]
            tiles = "".join(
                [
                    tile(f"before ({r['before_count']} {counted})", mart, where, r, "before_value", unit),
                    tile(f"after ({r['after_count']} {counted})", mart, where, r, "after_value", unit),
                    tile("change", mart, where, r, "change", unit),
                    tile(f"{r['interval_level']:.0%} interval: low", mart, where, r, "change_low", unit),
                    tile(f"{r['interval_level']:.0%} interval: high", mart, where, r, "change_high", unit),
                ]
            )
            shown = UNITS[unit]
            sentence = VERDICT_SENTENCES[r["verdict"]].format(
                level=f"{r['interval_level']:.0%}",
                low="–" if r["change_low"] is None else shown(r["change_low"]),
                high="–" if r["change_high"] is None else shown(r["change_high"]),
                before=r["before_count"],
                after=r["after_count"],
            )
            notes = []
            if r["after_is_partial"]:
                notes.append(f"The after window is still filling up (to {r['after_end']}): the verdict may change.")
            if r["overlapping_improvements"]:
                notes.append(f"Overlapping, so mixed into this one: {r['overlapping_improvements']}.")
            verdict_class = r["verdict"].replace(" ", "-")
            blocks.append(
                f'<div class="improvement" data-improvement="{escape(r["improvement"])}" '
                f'data-measure="{escape(r["measure"])}"><h3>{escape(r["improvement"])} '
                f"<small>({escape(r['measure'])} expected {escape(r['expected_direction'])}, changed "
                f"{r['changed_on']}; baseline {r['baseline_start']} to {r['baseline_end']}, after from "
                f'{r["after_start"]})</small> <span class="verdict verdict-{verdict_class}">{escape(r["verdict"])}'
                f"</span></h3><p>{escape(r['description'] or '')}</p>"
                f"<p>{escape(' '.join([sentence, *notes]))}</p>"
                f'<div class="tiles">{tiles}</div><div class="row">'
                + self.chart(f"{key}-improvement-{n}-timeline", charts.improvement_timeline(samples, r, r["unit"]),
                             samples)
                + self.chart(f"{key}-improvement-{n}-sides", charts.improvement_sides(samples, r["unit"]), samples)
                + "</div></div>"
            )  # fmt: skip
        return self._part(
            "8. Improvements: did it help?",
            "marts.improvement_impact (the seed improvements: before and after, the change with its bootstrap "
            "interval, the verdict) and marts.improvement_samples (the items or weeks each side rests on).",
            "".join(blocks) or '<p class="empty">No improvement of this team is recorded in the seed improvements.</p>',
        )

    # ------------------------------------------------------------------ data quality
    def quality(self) -> str:
        checks = self.data.checks
        grouped: dict[tuple[str, str], list[dict]] = {}
        for c in checks:
            grouped.setdefault((c["check_name"], c["severity"]), []).append(c)
        rows = "".join(
            f'<tr><td class="warn">{escape(name)}</td><td>{escape(severity.lower())}</td><td>{len(found)}</td>'
            f"<td>{escape(', '.join(c['asset'] for c in found[:4]))}{' …' if len(found) > 4 else ''}</td>"
            f"<td>{escape(found[0]['description'] or '')}</td></tr>"
            for (name, severity), found in grouped.items()
        )
        if not self.data.unmapped and not checks:
            return (
                '<section class="part" id="quality"><h2>9. Data quality</h2><p class="reads">main.quality_checks '
                'and main.source_freshness.</p><p class="empty">This copy carries no check results: it was not '
                "published by the nightly job. Source freshness is in the header.</p></section>"
            )
        warned = (
            '<table class="list checks"><tr><th>check</th><th>severity</th><th>tables</th><th>on</th><th>why</th></tr>'
            f"{rows}</table>"
            if checks
            else '<p class="ok">Every check passed in the run that published this copy.</p>'
        )
        statuses = []
        for row in self.data.unmapped:
            metadata = json.loads(row["metadata"] or "{}")
            statuses = metadata.get("statuses") or []
            share = metadata.get("share")
        if statuses:
            items = "".join(
                f"<tr><td>{escape(s['source'])}</td><td>{escape(s['project'] or '')}</td><td>{escape(s['status'])}</td>"
                f'<td class="num">{s["transitions"]}</td></tr>'
                for s in statuses
            )
            unmapped = (
                f"<p>{share:.1%} of transitions touch a status nothing maps (the check warns above 1%):</p>"
                '<table class="list unmapped"><tr><th>source</th><th>project</th><th>status</th>'
                f'<th class="num">transitions</th></tr>{items}</table>'
            )
        else:
            unmapped = '<p class="ok">Every status maps to a stage.</p>'
        return (
            '<section class="part" id="quality"><h2>9. Data quality</h2>'
            '<p class="reads">main.quality_checks (the checks of the run that published this copy) and '
            "main.source_freshness (in the header).</p>"
            f"<h3>Checks that did not pass</h3>{warned}<h3>Unmapped statuses</h3>{unmapped}</section>"
        )

    @staticmethod
    def _part(title: str, reads: str, body: str) -> str:
        return f'<section class="part"><h2>{escape(title)}</h2><p class="reads">{escape(reads)}</p>{body}</section>'
