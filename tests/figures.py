"""The figures pages show, read through the pages' own views (data_access.views), for data tests."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from data_access import views


def indicator_statuses(session, as_at: dt.date, priority: str, districts=None) -> pd.DataFrame:
    """progress.INDICATOR_STATUS_COLUMNS for one priority's indicators, as its page shows them."""
    return views.priority_view(
        session, priority, as_at, districts, include_restricted=True
    ).indicator_statuses


def trend(session, as_at: dt.date, priority: str, indicator: str, districts=None) -> pd.DataFrame:
    """progress.TREND_COLUMNS for one indicator, as its priority page charts it."""
    trends = views.priority_view(session, priority, as_at, districts, include_restricted=True).trends
    return trends[trends["indicator_code"] == indicator].reset_index(drop=True)


def priority_statuses(session, as_at: dt.date, districts=None) -> pd.DataFrame:
    """progress.PRIORITY_STATUS_COLUMNS for the priorities in force, as the overview shows them."""
    return views.statuses_view(session, as_at, districts, include_restricted=True).priorities


def district_matrix(session, as_at: dt.date) -> pd.DataFrame:
    """progress.DISTRICT_MATRIX_COLUMNS, as the districts page shows them."""
    return views.districts_view(session, as_at, include_restricted=True).matrix
