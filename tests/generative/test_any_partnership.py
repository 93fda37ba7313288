"""Any valid partnership works on every page, and the figures the pages state agree with its data.

Each example imports a random partnership (tests/generative/strategies.py) into a fresh SQLite file,
points the process-wide engine at it, and calls every page layout and callback as a function with
random district filters and dates.  Expected figures are computed from the generated sheets with the
domain rules (domain.rag, domain.derive, domain.periods, domain.formatting), never from the queries
under test.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import itertools
import os
from contextlib import contextmanager

import pandas as pd
import pytest
from dash._callback_context import context_value
from dash._utils import AttributeDict
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from components.rag import RATING_SYMBOLS
from data_access.db import get_engine
from data_access.models import DEFAULT_TOLERANCE
from domain.derive import combine_with_supplied, derive_whole_partnership
from domain.formatting import format_number
from domain.freshness import age_in_words, judge, missing_value
from domain.periods import period_end, period_label
from domain.rag import RATING_WORDS, indicator_rating, is_overdue
from domain.vocabulary import CLOSED_ACTION_STATUSES, OPEN_ACTION_STATUSES
from tests.callbacks.test_pages import text_of
from tests.data.test_district_tallies import assert_same_matrix
from tests.generative.strategies import AFTER_EVERYTHING, BEFORE_ANY_DATA, LAST_DAY, partnerships
from tests.serving import empty_database, serving

UNKNOWN_DISTRICT = "X99999999"


# ---------------------------------------------------------------------------------------------------------
# Fixtures: an empty migrated database copied per example; the engine pointed at it and restored after.

_numbers = itertools.count()


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    return empty_database(tmp_path_factory.mktemp("generative") / "empty.db")


@pytest.fixture(scope="module")
def pages(dashboard):
    import shell
    from pages import actions, districts, overview, priority

    return {
        "overview": overview,
        "priority": priority,
        "actions": actions,
        "districts": districts,
        "shell": shell,
    }


@contextmanager
def triggered(component_id: str, prop: str = "n_clicks"):
    """A callback context in which ``component_id`` triggered the callback (as Dash's docs test it)."""
    token = context_value.set(
        AttributeDict(triggered_inputs=[{"prop_id": f"{component_id}.{prop}", "value": 1}])
    )
    try:
        yield
    finally:
        context_value.reset(token)


# ---------------------------------------------------------------------------------------------------------
# Expected figures, from the generated sheets and the domain rules.


def _blank(value) -> bool:
    return value is None or (not isinstance(value, str) and pd.isna(value))


def in_force(priority: dict, as_at: dt.date) -> bool:
    start, end = priority["valid_from"], priority["valid_to"]
    return (_blank(start) or start <= as_at) and (_blank(end) or end >= as_at)


def status_as_at(action: dict, updates: pd.DataFrame, as_at: dt.date) -> str:
    """The README's rule: the latest update by then; no updates at all: recorded; only later: not started."""
    own = updates[updates["ref"] == action["ref"]]
    by_then = own[own["date"] <= as_at]
    if not by_then.empty:
        return by_then.sort_values("date")["status"].iloc[-1]
    return action["status"] if own.empty else "not_started"


def actions_as_at(frames, as_at, districts, priority_codes=None) -> list[dict]:
    """Actions opened by ``as_at`` in the chosen districts (plus partnership-wide), with status then."""
    rows = []
    for action in frames["actions"].to_dict("records"):
        if priority_codes is not None and action["priority"] not in priority_codes:
            continue
        if not _blank(action["opened_on"]) and action["opened_on"] > as_at:
            continue
        if districts and not _blank(action["district"]) and action["district"] not in districts:
            continue
        status = status_as_at(action, frames["action_updates"], as_at)
        rows.append(action | {"status": status, "overdue": is_overdue(status, action["due_date"], as_at)})
    return rows


def whole_partnership_series(frames, indicator: dict, as_at: dt.date) -> pd.DataFrame:
    """The whole-partnership values by ``as_at``: supplied, else derived (domain.derive); blanks dropped."""
    values = frames["indicator_values"]
    values = values[values["indicator"] == indicator["code"]]
    ended = [period_end(p, indicator["frequency"]) <= as_at for p in values["period"]]
    values = values[ended] if len(values) else values
    if values.empty:
        return pd.DataFrame(columns=["period_start", "value", "lower_ci", "upper_ci"])
    numeric = ["value", "lower_ci", "upper_ci", "numerator", "denominator"]
    values = values.assign(**{c: pd.to_numeric(values[c]).astype(float) for c in numeric})
    whole = values["district"].isna()
    supplied = values.loc[whole, ["period", *numeric, "note"]].rename(columns={"period": "period_start"})
    district_rows = values.loc[~whole, ["period", "district", "value", "numerator", "denominator"]].rename(
        columns={"period": "period_start", "district": "district_code"}
    )
    derived = derive_whole_partnership(
        district_rows, district_codes=frames["districts"]["code"].tolist(), unit=indicator["unit"]
    )
    return combine_with_supplied(supplied.reset_index(drop=True), derived).dropna(subset=["value"])


def district_series(frames, indicator: dict, district: str, as_at: dt.date) -> pd.DataFrame:
    """One district's own values by ``as_at``, blanks dropped."""
    values = frames["indicator_values"]
    values = values[(values["indicator"] == indicator["code"]) & (values["district"] == district)]
    ended = pd.Series([period_end(p, indicator["frequency"]) <= as_at for p in values["period"]], dtype=bool)
    values = values[ended.to_numpy()]
    numeric = ["value", "lower_ci", "upper_ci"]
    values = values.assign(**{c: pd.to_numeric(values[c]).astype(float) for c in numeric})
    series = values.rename(columns={"period": "period_start"})[["period_start", *numeric]]
    return series.dropna(subset=["value"]).sort_values("period_start")


def series_rating(indicator: dict, series: pd.DataFrame):
    """The indicator's RAG on that series (domain.rag)."""
    return indicator_rating(
        series,
        good_direction=indicator["good_direction"],
        target=None if _blank(indicator["target"]) else float(indicator["target"]),
        tolerance=DEFAULT_TOLERANCE if _blank(indicator["tolerance"]) else float(indicator["tolerance"]),
        unit=indicator["unit"],
        frequency=indicator["frequency"],
    )


# ---------------------------------------------------------------------------------------------------------
# Reading pages


def walk(component):
    """Every component in a layout, depth first."""
    if isinstance(component, list | tuple):
        for item in component:
            yield from walk(item)
        return
    if not hasattr(component, "to_plotly_json"):
        return
    yield component
    yield from walk(getattr(component, "children", None))


def find(layout, **props) -> list:
    return [c for c in walk(layout) if all(getattr(c, k, None) == v for k, v in props.items())]


def words(component_or_text) -> str:
    """The text a user reads, spaces normalised."""
    text = component_or_text if isinstance(component_or_text, str) else text_of(component_or_text)
    return " ".join(text.split())


def freshness_lines(frames, indicator: dict, as_at: dt.date, priority_in_force: bool) -> list[str]:
    """An indicator card's freshness lines: its latest period with any value ended by the date, how long
    ago that ended and, when its priority is in force and the next period is overdue, which it is."""
    frequency = indicator["frequency"]
    values = frames["indicator_values"]
    starts = sorted(
        {
            start
            for start in values.loc[values["indicator"] == indicator["code"], "period"]
            if period_end(start, frequency) <= as_at
        }
    )
    if not starts:
        return []
    latest, previous = starts[-1], (starts[-2] if len(starts) > 1 else None)
    ended = age_in_words(period_end(latest, frequency), as_at)
    lines = [f"Latest data: {period_label(latest, frequency)}, {ended}."]
    freshness = judge(latest, frequency, as_at, previous)
    if freshness.is_late and priority_in_force:
        lines.append(f"Late: {missing_value(freshness, frequency)}.")
    return lines


def summary_figures(overview_layout) -> dict[str, str]:
    """The overview's summary strip as label -> number."""
    figures = {}
    for item in find(overview_layout, className="summary-item"):
        number, label = item.children
        figures[label] = number.children
    return figures


# ---------------------------------------------------------------------------------------------------------
# The test


@st.composite
def views(draw, frames):
    """A district filter (none, one, several, maybe an unknown code) and an "as at" date."""
    codes = frames["districts"]["code"].tolist()
    chosen = draw(
        st.one_of(
            st.just([]),
            st.lists(st.sampled_from(codes), min_size=1, max_size=1),
            st.lists(st.sampled_from(codes), min_size=min(2, len(codes)), max_size=4, unique=True),
        )
    )
    if draw(st.booleans()):
        chosen = [*chosen, UNKNOWN_DISTRICT]
    as_at = draw(
        st.one_of(
            st.just(BEFORE_ANY_DATA), st.dates(dt.date(2021, 6, 1), LAST_DAY), st.just(AFTER_EVERYTHING)
        )
    )
    return chosen, as_at


@settings(
    # GENERATIVE_EXAMPLES=500 for a longer hunt; 30 keeps the suite's run short.
    max_examples=int(os.getenv("GENERATIVE_EXAMPLES", "30")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
)
@given(data=st.data())
def test_any_partnership_works_on_every_page(pages, template, data):
    frames = data.draw(partnerships(), label="partnership")
    chosen, as_at = data.draw(views(frames), label="view")
    path = template.parent / f"example-{next(_numbers)}.db"
    with serving(frames, path, template=template) as url:
        check_every_page(pages, frames, chosen, as_at)
        # The district matrix, read from the tallies imports keep: the one rated series by series.
        assert_same_matrix(get_engine(url), [as_at])


def check_every_page(pages, frames, chosen, as_at):
    known = [code for code in dict.fromkeys(chosen) if code in set(frames["districts"]["code"])]
    district = ",".join(chosen) or None
    query = {"district": district, "as_at": as_at.isoformat()}
    priorities = frames["priorities"].to_dict("records")
    in_force_codes = [p["code"] for p in priorities if in_force(p, as_at)]

    # The header names the partnership, or says it has not been named yet.
    header = words(pages["shell"].layout())
    assert (
        words(named[0]["name"])
        if (named := frames["partnership"].to_dict("records"))
        else "no partnership name"
    ) in header

    # Overview: the summary counts.
    overview = pages["overview"].layout(**query)
    page = text_of(overview)
    if in_force_codes:
        figures = summary_figures(overview)
        open_actions = [
            a
            for a in actions_as_at(frames, as_at, known, in_force_codes)
            if a["status"] not in CLOSED_ACTION_STATUSES
        ]
        assert figures[next(label for label in figures if label.endswith("in force"))] == str(
            len(in_force_codes)
        )
        assert figures["open actions"] == f"{len(open_actions):,}"
        assert figures["overdue actions"] == f"{sum(a['overdue'] for a in open_actions):,}"
    else:
        assert "No priorities were in force" in page

    # Every priority page states each indicator's latest whole-partnership value.
    indicators = frames["indicators"]
    for priority in priorities:
        layout = pages["priority"].layout(code=priority["code"], **query)
        for indicator in indicators[indicators["priority"] == priority["code"]].to_dict("records"):
            (article,) = find(layout, **{"aria-labelledby": f"indicator-{indicator['code']}"})
            # The whole partnership's latest value and RAG, and with districts chosen each district's
            # own before it, all in words.
            expected = [(district_series(frames, indicator, code, as_at), code) for code in known] + [
                (whole_partnership_series(frames, indicator, as_at), None)
            ]
            latest_spans = find(article, className="indicator-latest")
            assert len(latest_spans) == len(expected)
            text = words(article)
            for (series, _code), latest in zip(expected, latest_spans, strict=True):
                if series.empty:
                    assert latest.children.lower() == "no value reported yet"
                else:
                    period, value = series["period_start"].iloc[-1], float(series["value"].iloc[-1])
                    label = period_label(period, indicator["frequency"])
                    assert latest.children == f"{format_number(value, indicator['unit'])} in {label}"
                rating = series_rating(indicator, series)
                assert (
                    words(f"{RATING_SYMBOLS[rating.rating]} {RATING_WORDS[rating.rating]} {rating.reason}")
                    in text
                )
            # How old its latest data is and whether it is late, from the sheets by the domain rule.
            lines = freshness_lines(frames, indicator, as_at, in_force(priority, as_at))
            assert all(line in text for line in lines)
            assert ("Latest data:" in text) is bool(lines)
            assert ("Late:" in text) is (len(lines) == 2)
        grids = find(layout, id=pages["priority"].Ids.ACTIONS_GRID)
        if grids:
            (scope_store,) = find(layout, id=pages["priority"].Ids.SCOPE)
            request = {"startRow": 0, "endRow": 25, "sortModel": [], "filterModel": {}}
            answer, _ = pages["priority"].serve_action_rows(request, as_at.isoformat(), scope_store.data)
            row = answer["rowData"][-1]
            history = pages["priority"].show_action_history([row], as_at.isoformat())
            assert f"History of {row['ref']}" in text_of(history)
    assert "Page not found" in text_of(pages["priority"].layout(code="no-such-priority", **query))

    # Actions page: the layout, the filter callback's count, and both downloads.
    actions_page = pages["actions"]
    layout = actions_page.layout(**query)
    (scope_store,) = find(layout, id=actions_page.Ids.SCOPE)
    scope = scope_store.data
    named = frames["partnership"].to_dict("records")
    short_name = (named[0]["short_name"] or named[0]["name"]) if named else ""
    assert scope == {"districts": known, "as_at": as_at.isoformat(), "partnership": short_name}
    statuses = list(OPEN_ACTION_STATUSES)
    count, _by_owner, _hidden, _empty = actions_page.update_actions("all", "all", statuses, False, scope)
    shown = [a for a in actions_as_at(frames, as_at, known) if a["status"] in statuses]
    overdue = sum(a["overdue"] for a in shown)
    assert count == f"{len(shown):,} action{'s' if len(shown) != 1 else ''} shown, {overdue:,} overdue."
    # The grid's pages, as it asks for them, hold those actions once each.
    paged, start = [], 0
    while start == 0 or start < len(shown):
        answer, _ = actions_page.serve_rows(
            {"startRow": start, "endRow": start + 10, "sortModel": [], "filterModel": {}},
            "all", "all", statuses, False, None, scope,
        )  # fmt: skip
        assert answer["rowCount"] == len(shown)
        paged += [row["ref"] for row in answer["rowData"]]
        start += 10
    assert sorted(paged) == sorted(a["ref"] for a in shown)
    for button in (actions_page.Ids.DOWNLOAD_CSV, actions_page.Ids.DOWNLOAD_XLSX):
        with triggered(button):
            download = actions_page.download_actions(1, None, "all", "all", statuses, False, scope)
        content = base64.b64decode(download["content"])
        if download["filename"].endswith(".csv"):
            table = pd.read_csv(io.BytesIO(content), encoding="utf-8-sig")
        else:
            table = pd.read_excel(io.BytesIO(content), sheet_name="actions")
        assert sorted(table["ref"].astype(str)) == sorted(a["ref"] for a in shown)
    for priority_code in ["all", *in_force_codes[:2]]:
        actions_page.update_actions(priority_code, "all", [*statuses, "complete"], True, scope)

    # Districts page.
    pages["districts"].layout(**query)

    # The shell: filters from the link and from each control, and the navigation.
    shell = pages["shell"]
    names = frames["districts"].set_index("code")["name"].to_dict()
    district_options = [{"label": n, "value": c} for c, n in names.items()]
    meeting_options = [{"label": str(d), "value": d.isoformat()} for d in frames["meetings"]["date"]]
    search = f"?district={district}&as_at={as_at.isoformat()}" if district else f"?as_at={as_at.isoformat()}"
    for trigger, districts_value, as_at_value, meeting in [
        (shell.Ids.URL, [], "", ""),
        (shell.Ids.DISTRICTS, known, as_at.isoformat(), ""),
        (shell.Ids.AS_AT, known, as_at.isoformat(), ""),
        (shell.Ids.MEETING, known, as_at.isoformat(), meeting_options[0]["value"] if meeting_options else ""),
        (shell.Ids.TODAY, known, as_at.isoformat(), ""),
        (shell.Ids.CLEAR_DISTRICTS, known, as_at.isoformat(), ""),
    ]:
        with triggered(trigger, "value"):
            result = shell.sync_filters(
                search, districts_value, as_at_value, meeting, 1, 1, district_options, meeting_options
            )
        assert sorted(result[1]) == (sorted(known) if trigger != shell.Ids.CLEAR_DISTRICTS else [])
    link_ids = [{"type": shell.Ids.NAV, "path": path} for _, path in shell.NAV_ITEMS]
    hrefs, _classes, _labels = shell.keep_filters_in_navigation(
        search, f"/priority/{priorities[0]['code']}", link_ids
    )
    assert hrefs == [path + search for _, path in shell.NAV_ITEMS]
