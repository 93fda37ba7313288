"""A priority page's trends reach back as far as the reader asks: the last five years unless told
otherwise, on both databases; the RAG never depends on how far back the charts reach."""

from __future__ import annotations

import pandas as pd
import pandas.testing as pdt

from data_access import views
from data_access.db import session_scope
from data_access.importer import import_frames
from tests.workbooks import D, small_partnership, with_rows

AS_AT = D(2024, 12, 1)


def with_an_old_history() -> dict[str, pd.DataFrame]:
    """The small partnership with knife crime reported by every district in 2015 and 2016 as well, so
    the whole partnership has those years too."""
    old = [
        {"indicator": "knife", "period": D(year, month, 1), "value": 50 + month, "district": district}
        for year in (2015, 2016)
        for month in (4, 7, 10)
        for district in ("D1", "D2", "D3")
    ]
    return with_rows(small_partnership(), "indicator_values", old)


def trends(engine, districts, **span) -> pd.DataFrame:
    with session_scope(engine) as session:
        view = views.priority_view(session, "violence", AS_AT, districts, **span)
    return view.trends


def test_the_trends_cover_the_last_five_years_unless_every_year_is_asked_for(engine):
    import_frames(engine, with_an_old_history())
    for districts in (None, ["D1"]):
        recent = trends(engine, districts)
        every = trends(engine, districts, trend_years=None)
        start = views.trend_start(AS_AT, views.PRIORITY_TREND_YEARS)
        assert start == D(2019, 12, 1)
        assert every["period_start"].min() == D(2015, 4, 1)
        assert recent["period_start"].min() >= start
        # The recent trend is exactly the whole history's rows from the start on, in the same order.
        pdt.assert_frame_equal(
            recent, every[every["period_start"] >= start].reset_index(drop=True), check_dtype=False
        )
        assert set(recent["series_code"]) == set(every["series_code"])
        ten = trends(engine, districts, trend_years=10)
        pdt.assert_frame_equal(ten, every, check_dtype=False)  # 2015 is within ten years of Dec 2024


def test_the_rag_and_everything_else_on_the_page_do_not_depend_on_the_span(engine):
    import_frames(engine, with_an_old_history())
    with session_scope(engine) as session:
        recent = views.priority_view(session, "violence", AS_AT, ["D1"])
        every = views.priority_view(session, "violence", AS_AT, ["D1"], trend_years=None)
    pdt.assert_frame_equal(recent.indicator_statuses, every.indicator_statuses)
    pdt.assert_frame_equal(recent.whole_partnership, every.whole_partnership)
    assert recent.status == every.status
    assert recent.open_actions == every.open_actions


def test_an_indicator_table_covers_the_same_years_as_its_chart(engine):
    import_frames(engine, with_an_old_history())
    with session_scope(engine) as session:
        for span in (5, None):
            page = views.priority_view(session, "violence", AS_AT, ["D1"], trend_years=span).trends
            table = views.indicator_table_view(
                session, "violence", "knife", AS_AT, ["D1"], trend_years=span
            ).trend
            pdt.assert_frame_equal(
                table, page[page["indicator_code"] == "knife"].reset_index(drop=True), check_dtype=False
            )
