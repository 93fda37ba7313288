"""A worker draws the board's pages once before its first request (pages._warm_up), on the demo."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import event

from data_access import db, views
from data_access.cache import VIEWS
from data_access.db import DatabaseUnavailable


def statements_run(draw) -> int:
    """How many SQL statements ``draw()`` runs."""
    ran = []

    def count(*_args) -> None:
        ran.append(1)

    engine = db.get_engine()
    event.listen(engine, "before_cursor_execute", count)
    try:
        draw()
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return len(ran)


def test_each_board_page_is_drawn_for_the_whole_partnership_one_district_and_two(dashboard):
    from pages._warm_up import WARMED_PAGES, warm_up

    with db.session_scope() as session:
        first, second = list(views.reference_view(session).district_names)[:2]

    drawn = [(page.module, page.query) for page in warm_up(dashboard.server)]

    kinds = [{}, {"district": first}, {"district": f"{first},{second}"}]
    expected = [
        (module, {**({"code": "county-lines"} if module == "pages.priority" else {}), **kind})
        for module in WARMED_PAGES
        for kind in kinds
    ]
    assert drawn == expected


def test_after_the_warm_up_the_first_visitor_reads_the_pages_views_from_the_cache(dashboard):
    from pages import overview, priority
    from pages._warm_up import warm_up

    def first_visits() -> int:
        return statements_run(overview.layout) + statements_run(lambda: priority.layout(code="county-lines"))

    VIEWS.clear()
    cold = first_visits()
    VIEWS.clear()
    warm_up(dashboard.server)
    warm = first_visits()

    assert cold > 20
    assert warm == 2  # each page reads the data's version, to check the cached views are current


def test_where_visitors_must_sign_in_the_pages_are_drawn_as_the_staff_will_see_them(dashboard, monkeypatch):
    from flask import Response

    from pages import overview
    from pages._warm_up import warm_up

    # As sign-in's check answers an anonymous request once users exist: a redirect to the sign-in form.
    monkeypatch.setattr(dashboard.server, "preprocess_request", lambda: Response(status=302))
    VIEWS.clear()
    warm_up(dashboard.server)

    # Called outside a request, the layout sees restricted indicators and actions, as signed-in staff do.
    assert statements_run(overview.layout) == 1


@pytest.mark.parametrize(
    ("failure", "level"),
    [
        # The database is down as the worker starts: a warning, and the worker starts cold.
        (DatabaseUnavailable("The database cannot be reached: connection refused"), logging.WARNING),
        # Anything else: logged with its traceback, and still the worker starts (a worker whose
        # post_worker_init raised would be started again and again, and never serve).
        (RuntimeError("something unforeseen"), logging.ERROR),
    ],
)
def test_a_failure_while_drawing_never_stops_a_worker_from_starting(
    dashboard, monkeypatch, caplog, failure, level
):
    from pages import _warm_up

    def failing(_session):
        raise failure

    monkeypatch.setattr(_warm_up.views, "reference_view", failing)
    with caplog.at_level(level, logger=_warm_up.LOG.name):
        assert _warm_up.warm_up(dashboard.server) == []
    assert [record.levelno for record in caplog.records] == [level]
    assert str(failure) in caplog.text
