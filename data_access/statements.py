"""Statements built once and run again with new values, for the statements every page runs.

Building a statement of correlated look-ups in SQLAlchemy (aliases, subqueries, their columns) took a
millisecond or more, as long as running it on a small partnership: the page's few such statements are
built once per shape (``functools.cache`` on a builder whose arguments are the shape: how many dates,
whether districts are chosen) with bound parameters for the values, which each call supplies
(``read_frame(..., params=...)``).
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import BindParameter


def listed(values: Sequence[str] | BindParameter) -> list[str] | BindParameter:
    """The values of an IN list: a list, or an expanding parameter of a statement built once."""
    return values if isinstance(values, BindParameter) else list(values)
