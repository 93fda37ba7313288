"""Each worker draws the board's pages once before it takes its first request.

A worker's first filter change of each kind paid for everything a process does once: SQLAlchemy compiles
each statement's shape (a district, two, none) the first time it runs it, pandas and plotly set up the
paths a page takes, and the view cache is empty.  On the large partnership that made a worker's first
overview 140-240 ms against 65-85 ms afterwards, and a presenter opening the slides after a deploy, or
after gunicorn recycled a worker (max_requests), waited for it.  gunicorn.conf.py calls ``warm_up`` once
the worker has loaded the app and before it freezes what start-up made (so the compiled statements are
out of the garbage collector's sight too); it costs each worker about 0.3 s on the demo partnership and
1.7 s on the large one.

Nothing here is needed for correctness: a page that fails is logged as it would be for a user, and a
database that cannot be reached leaves the worker to start cold.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from dataclasses import dataclass

import dash
from flask import Flask, g
from plotly.io.json import to_json_plotly

from data_access import queries, views
from data_access.db import DatabaseUnavailable, session_scope

LOG = logging.getLogger(__name__)

# The pages a board opens before and during its meetings, by module.
WARMED_PAGES = (
    "pages.overview",
    "pages.priority",
    "pages.districts",
    "pages.actions",
    "pages.present",
    "pages.changes",
)


@dataclass(frozen=True)
class WarmedPage:
    module: str
    query: dict[str, str]
    milliseconds: float


def warm_up(server: Flask) -> list[WarmedPage]:
    """Draw each of WARMED_PAGES as at today for the whole partnership, one district and two (as its
    JSON for the browser, the router callback's work), so each kind of filter change has run once.

    Never raises: a worker that could not draw its pages starts cold, as it did before (a worker that
    failed here would never start, and gunicorn would start it again and again)."""
    try:
        warmed = _draw_pages(server)
    except DatabaseUnavailable as error:
        LOG.warning("Pages not drawn before the first request: %s", error)
        return []
    except Exception:
        LOG.exception("Pages not drawn before the first request; the worker starts cold")
        return []
    LOG.info(
        "Drew %d pages before the first request, in %.1f s",
        len(warmed),
        sum(page.milliseconds for page in warmed) / 1000,
    )
    return warmed


def _draw_pages(server: Flask) -> list[WarmedPage]:
    with session_scope() as session:
        reference = views.reference_view(session)
        districts = list(reference.district_names)[:2]
        in_force = queries.priorities_in_force(session, dt.date.today())["code"].tolist()
    kinds = [{}, *({"district": ",".join(districts[:count])} for count in (1, 2) if len(districts) >= count)]
    layouts = {page["module"]: page["layout"] for page in dash.page_registry.values()}
    warmed = []
    with server.test_request_context("/"):
        # As an anonymous visitor's request would be: sign-in's check decides who the pages are drawn for
        # (everyone in local mode, the public with PUBLIC_VIEW).  Where it would send the visitor to sign
        # in, the pages are drawn as the signed-in staff see them, who are the ones to come; nothing drawn
        # here is sent anywhere, and it is cached under who may see it, as their own requests would be.
        if server.preprocess_request() is not None:
            g.local_mode = True
        for module in WARMED_PAGES:
            if module not in layouts or (module == "pages.priority" and not in_force):
                continue
            page_query = {"code": in_force[0]} if module == "pages.priority" else {}
            for kind in kinds:
                query = {**page_query, **kind}
                started = time.perf_counter()
                to_json_plotly(layouts[module](**query))  # the pages catch and log their own failures
                warmed.append(WarmedPage(module, query, (time.perf_counter() - started) * 1000))
    return warmed
