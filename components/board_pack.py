"""The board pack as one self-contained HTML document, for printing to PDF (``printing.chromium``).

A pure function: the board pack's view (``data_access.views.board_pack_view``) in, an HTML string out.
The page is A4 portrait, laid out with CSS paged media: each section starts a page, and every page's
footer carries the partnership, the districts, the date and "Page 3 of 12" (``@page`` margin boxes), so
a printed page never loses its context.  The charts are the dashboard's own figures
(``components.charts``), drawn by the vendored plotly.js as SVG, so they print as vector graphics with
real text; each has a text alternative and its description as a caption.

Everything from the workbook goes through Jinja2 with autoescaping, so a title such as
``<script>alert(1)</script>`` prints as those characters and never becomes markup: in the text by HTML
escaping, in the charts' data by ``tojson`` (which escapes ``<``, ``>`` and ``&``), in the footer by
:func:`css_string`.
"""

from __future__ import annotations

import datetime as dt
import html
import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import jinja2
import pandas as pd
from markupsafe import Markup

from components.charts import describe_trend, trend_figure
from components.rag import RATING_SYMBOLS
from data_access.queries import WHOLE_PARTNERSHIP
from domain.formatting import format_date, format_number, plural
from domain.rag import RATING_WORDS
from domain.vocabulary import PARTNERSHIP_WIDE, ActionStatus, Frequency

if TYPE_CHECKING:
    from data_access.views import BoardPackView, ChangesView

# A4 portrait (210 mm) less two 15 mm margins, in CSS pixels (96 to the inch): the charts' width.
CHART_WIDTH = 680
CHART_HEIGHT = 220  # without a legend; each row of legend adds LEGEND_ROW_HEIGHT
LEGEND_ROW_HEIGHT = 20
LEGEND_FONT_SIZE = 12
# Roughly what one legend entry takes at that size: the line sample and gaps, and each character.
LEGEND_SYMBOL_WIDTH = 46
LEGEND_CHARACTER_WIDTH = 7
LEGEND_WIDTH = 600  # the plot's width, where the legend sits: the chart's less the value axis
SUMMARY_ANCHOR = "summary"
CHANGES_ANCHOR = "changes"
NOT_IN_FORCE = "Not in force"
# The footer names the chosen districts while they fit on its line; beyond that it counts them.
FOOTER_DISTRICTS_CHARS = 60
STATUS_WORDS = ActionStatus.labels()
FREQUENCY_WORDS = Frequency.labels()

_TEMPLATES = jinja2.Environment(
    loader=jinja2.PackageLoader("components", "templates"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,  # a misspelt field fails loudly instead of printing nothing
    trim_blocks=True,
    lstrip_blocks=True,
)


def css_string(text: str) -> Markup:
    """``text`` as a quoted CSS string, every character but ASCII letters and digits escaped as six hex
    digits, so nothing in it can end the string or the ``<style>`` element it sits in.  (Spaces too: CSS
    swallows one space after a hex escape.)"""
    escaped = "".join(
        character if character.isascii() and character.isalnum() else f"\\{ord(character):06x}"
        for character in text
    )
    return Markup(f'"{escaped}"')


_TEMPLATES.filters["css_string"] = css_string


def board_pack_html(
    pack: BoardPackView,
    *,
    generated_at: dt.datetime,
    plotly_script_url: str,
    fallback_name: str,
    page_numbers: Mapping[str, int] | None = None,
) -> str:
    """The board pack for ``pack``'s date and districts as an HTML document.

    ``plotly_script_url``: where the browser that prints it finds plotly.js (a ``file://`` URL of the
    vendored bundle). ``fallback_name``: what to call the partnership before it has a name.
    ``page_numbers``: the page each section starts on, by anchor, for the contents page; numbers are
    laid out in a fixed width, so filling them in moves nothing.  None makes a layout pass, only for
    finding those pages: numbers blank and charts left undrawn in their fixed-size boxes (plotly.js is
    not even loaded), which lays out every page exactly as the finished document in a fraction of the
    time.
    """
    name = pack.identity.name if pack.identity else fallback_name
    short_name = pack.identity.short_name if pack.identity else fallback_name
    districts = list(pack.district_names.values())
    where = _joined(districts) if districts else "Whole partnership"
    as_at = format_date(pack.as_at)
    priorities = _priorities(pack)
    contents = [
        {"anchor": SUMMARY_ANCHOR, "label": "Summary of priorities"},
        *({"anchor": p["anchor"], "label": f"Priority {p['number']}: {p['title']}"} for p in priorities),
        {"anchor": CHANGES_ANCHOR, "label": "Changes since the last meeting"},
    ]
    numbers = page_numbers or {}
    for entry in contents:
        entry["page"] = numbers.get(entry["anchor"], "")
    charts = [
        {"id": indicator["chart_id"], "figure": indicator["figure"]}
        for priority in priorities
        for indicator in priority["indicators"]
        if indicator["figure"] is not None and page_numbers is not None
    ]
    return _TEMPLATES.get_template("board_pack.html").render(
        title=f"Board pack: {name}, as at {as_at}",
        partnership=name,
        meeting=pack.meeting_name,
        as_at=as_at,
        where=where,
        districts_chosen=bool(districts),
        generated=f"{format_date(generated_at.date())} at {generated_at:%H:%M} {generated_at.tzname() or ''}".strip(),
        footer=f"{short_name} board pack · {_footer_districts(districts)} · as at {as_at}",
        rag_key=[_badge(rating) for rating in RATING_WORDS],
        contents=contents,
        summary=[_summary_row(priority) for priority in priorities],
        priorities=priorities,
        changes=_changes(pack.changes, where) if pack.changes is not None else None,
        charts=charts,
        plotly_script_url=plotly_script_url,
    )


def _joined(names: Sequence[str]) -> str:
    """ "Fareham", "Fareham and Gosport", "Fareham, Gosport and Havant"."""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _footer_districts(names: Sequence[str]) -> str:
    """The chosen districts for a footer line: all of them while they fit, else the first few and a count."""
    if not names:
        return "Whole partnership"
    if len(_joined(names)) <= FOOTER_DISTRICTS_CHARS:
        return _joined(names)
    shown: list[str] = []
    for district in names:
        if len(", ".join([*shown, district])) > FOOTER_DISTRICTS_CHARS - 30:
            break
        shown.append(district)
    others = len(names) - len(shown)
    return f"{', '.join(shown)} and {plural(others, 'other district')} (listed on the cover)"


def _badge(rating: str, word: str | None = None) -> dict[str, str]:
    return {"rating": rating, "symbol": RATING_SYMBOLS[rating], "word": word or RATING_WORDS[rating]}


def _summary_row(priority: dict) -> dict[str, Any]:
    return {
        "anchor": priority["anchor"],
        "number": priority["number"],
        "title": priority["title"],
        "badge": priority["badge"],
        # A board's rating is explained by its commentary: "Set by the board on 12 Nov 2026." is not a why.
        "reason": f"{priority['reason']} {priority['commentary']}"
        if priority["rated_by_board"] and priority["commentary"]
        else priority["reason"],
        "board": priority["board_badge"],
        "actions": priority["open_actions"],
        "overdue": priority["overdue_actions"],
    }


def _priorities(pack: BoardPackView) -> list[dict[str, Any]]:
    statuses = pack.statuses
    indicator_rows = dict(tuple(statuses.indicator_statuses.groupby("priority_code", sort=False)))
    whole_by_code = pack.whole_partnership.set_index("indicator_code")
    trends = dict(tuple(pack.trends.groupby("indicator_code", sort=False)))
    actions = dict(tuple(pack.actions.groupby("priority_code", sort=False)))
    no_trend, no_actions = pack.trends.iloc[0:0], pack.actions.iloc[0:0]
    result = []
    for position, status in enumerate(statuses.priorities.to_dict("records"), start=1):
        indicators = []
        rows = indicator_rows.get(status["code"])
        if rows is not None:
            for code, series_rows in rows.groupby("indicator_code", sort=False):
                whole = whole_by_code.loc[code].to_dict() | {"code": code}
                trend = trends.get(code, no_trend).drop(columns="indicator_code")
                indicators.append(
                    _indicator(whole, series_rows, trend, chart_id=f"chart-{position}-{len(indicators) + 1}")
                )
        result.append(
            {
                "anchor": f"priority-{position}",
                "number": status["number"],
                "title": status["title"],
                "description": status["description"] or "",
                "badge": _badge(status["rating"]),
                "reason": status["reason"],
                "explanation": _explanation(status),
                "rated_by_board": status["rating_source"] == "board",
                "lead_partner": status["lead_partner_name"],
                "board_badge": _badge(status["board_rating"]) if status["board_rating"] else None,
                "assessed_on": format_date(status["assessed_on"]) if status["assessed_on"] else None,
                "commentary": status["commentary"],
                "open_actions": int(status["open_actions"]),
                "overdue_actions": int(status["overdue_actions"]),
                "indicators": indicators,
                "actions": _actions(actions.get(status["code"], no_actions)),
                "actions_summary": f"{plural(int(status['open_actions']), 'open action')}, "
                f"{int(status['overdue_actions'])} overdue.",
            }
        )
    return result


def _explanation(status: dict) -> str:
    """Where the priority's RAG comes from, and the counts behind a roll-up."""
    source = (
        "The RAG is the board's own assessment."
        if status["rating_source"] == "board"
        else "The board has not set a RAG for this view, so it is worked out from the indicators and "
        "actions below."
    )
    indicators = (
        "No indicators yet: this priority is tracked by its actions."
        if pd.isna(status["headline_indicator_code"])
        else f"Indicators: {status['indicators_green']} green, {status['indicators_amber']} amber, "
        f"{status['indicators_red']} red, {status['indicators_no_data']} without enough data."
    )
    return f"{source} {indicators}"


def _indicator(
    whole: dict, series_rows: pd.DataFrame, trend: pd.DataFrame, *, chart_id: str
) -> dict[str, Any]:
    """One indicator: its latest figures and RAG in words, its chart (None without values), its caption."""
    unit = whole["unit"]
    target = None if pd.isna(whole["target"]) else float(whole["target"])
    areas = [row for row in series_rows.to_dict("records") if row["series_code"] != WHOLE_PARTNERSHIP]
    if areas:
        areas.append(whole | {"series_name": "Whole partnership (for context)"})
    has_values = not trend.empty and trend["value"].notna().any()
    figure = None
    if has_values:
        figure = trend_figure(
            trend,
            name=whole["name"],
            unit=unit,
            frequency=whole["frequency"],
            good_direction=whole["good_direction"],
            target=target,
            tolerance=float(whole["tolerance"]),
        )
        _fit_for_print(figure)
    return {
        "name": whole["name"],
        "latest": _latest(whole),
        "badge": _badge(whole["rating"]),
        "reason": whole["reason"],
        "target": f"Target: {format_number(target, unit)}." if target is not None else "",
        "areas": [
            {
                "name": row["series_name"],
                "latest": _latest(row),
                "badge": _badge(row["rating"]),
                "reason": row["reason"],
            }
            for row in areas
        ],
        "chart_id": chart_id,
        "figure": figure,
        "description": describe_trend(
            trend, name=whole["name"], unit=unit, frequency=whole["frequency"], target=target
        ),
        "source": whole["source"] or "not recorded",
        "frequency": FREQUENCY_WORDS.get(whole["frequency"], whole["frequency"]),
        "about": whole["description"] or "",
    }


def _fit_for_print(figure: dict[str, Any]) -> None:
    """Give a trend chart a fixed size, the size of its box on the page (so the layout pass, which does
    not draw charts, lays pages out exactly as the print), room for a legend of many districts, and
    series names that are text."""
    for trace in figure["data"]:
        # plotly reads tags in a legend's text (<b>, <a href>): a district's name must print as typed.
        if "name" in trace:
            trace["name"] = html.escape(trace["name"])
    legend_rows = _legend_rows([html.unescape(trace.get("name", "")) for trace in figure["data"]])
    figure["layout"] |= {
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT + LEGEND_ROW_HEIGHT * legend_rows,
        "legend": figure["layout"].get("legend", {}) | {"font": {"size": LEGEND_FONT_SIZE}},
    }


def _legend_rows(names: Sequence[str]) -> int:
    """About how many rows plotly's horizontal legend takes for ``names`` at the print width: one while
    the entries fit side by side, else two to a row, as plotly lines wrapped entries up in columns as wide
    as the widest.  An estimate that errs on the roomy side: plotly's automatic margins make room for the
    legend whatever it takes, and this keeps the plot itself from being squeezed by it."""
    if len(names) < 2:  # plotly shows no legend for a single series
        return 0
    widths = [LEGEND_SYMBOL_WIDTH + LEGEND_CHARACTER_WIDTH * len(name) for name in names]
    return 1 if sum(widths) <= LEGEND_WIDTH else math.ceil(len(names) / 2)


def _latest(row: dict) -> str:
    if row["latest_period"] is None:
        return "No value reported yet"
    return f"{format_number(row['latest_value'], row['unit'])} in {row['latest_period_label']}"


def _actions(actions: pd.DataFrame) -> list[dict[str, Any]]:
    rows = []
    for action in actions.to_dict("records"):
        overdue = bool(action["overdue"])
        rows.append(
            {
                "ref": action["ref"],
                "title": action["title"],
                "owner": action["owner_name"],
                "district": action["district_name"] or PARTNERSHIP_WIDE,
                "due": format_date(action["due_date"]),
                "status": STATUS_WORDS[action["status"]],
                "overdue": overdue,
                "badge": _badge(action["rating"], "Overdue" if overdue else None),
                "reason": action["reason"],
                "last_update": (
                    f"Last update {format_date(action['last_update_date'])}: "
                    f"{action['last_update_commentary'] or 'no commentary'}"
                    if action["last_update_date"]
                    else "No update yet."
                ),
            }
        )
    return rows


def _changes(changes: ChangesView, where: str) -> dict[str, Any]:
    """The changes between the two meetings compared, each list as rows of text ready to print."""

    def meeting(name: str | None, day: dt.date) -> str:
        return f"{name} on {format_date(day)}" if name else format_date(day)

    return {
        "intro": f"What changed between {meeting(changes.since_meeting_name, changes.since)} and "
        f"{meeting(changes.until_meeting_name, changes.until)}, for {where if changes.districts else 'the whole partnership'}.",
        "priorities": [
            {
                "title": f"{row['number']}. {row['title']}",
                "before": _rated(row["rag_before"], row["reason_before"]),
                "after": _rated(row["rag_after"], row["reason_after"]),
            }
            for row in changes.priority_changes.to_dict("records")
        ],
        "indicators": [
            {
                "name": row["indicator_name"],
                "priority": row["priority_number"],
                "area": row["series_name"],
                "before": _rated(row["rag_before"], row["reason_before"]),
                "after": _rated(row["rag_after"], row["reason_after"]),
            }
            for row in changes.indicator_changes.to_dict("records")
        ],
        "completed": _changed_actions(changes.actions_completed),
        "overdue": _changed_actions(changes.actions_became_overdue),
        "new_actions": _changed_actions(changes.new_actions),
        "new_data": _new_data(changes.new_data),
        "commentary": [
            {
                "date": format_date(row["date"]),
                "priority": f"{row['priority_number']}. {row['priority_title']}",
                "badge": _badge(row["rag"]),
                "commentary": row["commentary"] or "No commentary was recorded.",
            }
            for row in changes.new_commentary.to_dict("records")
        ],
    }


def _rated(rating: str | None, reason: str | None) -> dict[str, Any] | None:
    """A rating and its reason on one side of a change; None where the priority was not in force."""
    return None if rating is None else {"badge": _badge(rating), "reason": reason or ""}


def _changed_actions(actions: pd.DataFrame) -> list[dict[str, Any]]:
    return [
        {
            "ref": row["ref"],
            "title": row["title"],
            "priority": row["priority_number"],
            "owner": row["owner"],
            "district": row["district"],
            "due": format_date(row["due_date"]),
            "status": STATUS_WORDS[row["status"]],
            "completed": format_date(row["completed_on"]) if row["completed_on"] else "",
        }
        for row in actions.to_dict("records")
    ]


def _new_data(values: pd.DataFrame) -> list[dict[str, Any]]:
    """One row per indicator and area: the periods newly reported and their values, oldest first."""
    rows = []
    for (_, _, name, area), group in values.groupby(
        ["priority_number", "indicator_code", "indicator_name", "series_name"], sort=False
    ):
        rows.append(
            {
                "name": name,
                "priority": group["priority_number"].iloc[0],
                "area": area,
                "reported": "; ".join(
                    f"{label}: {value}"
                    for label, value in zip(group["period_label"], group["value"], strict=True)
                ),
            }
        )
    return rows
