"""The dashboard's global filters and their home in the URL query string.

``?district=CODE[,CODE...]&as_at=YYYY-MM-DD``: parsed here (pure, no I/O) so every page reads the
same filters the same way and a pasted link restores them exactly.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlencode

DISTRICT_PARAM = "district"
AS_AT_PARAM = "as_at"


@dataclass(frozen=True)
class Filters:
    districts: tuple[str, ...] = ()  # empty: the whole partnership
    as_at: dt.date | None = None  # None: today
    notices: tuple[str, ...] = field(default=(), compare=False)  # what was dropped from the link, and why

    def as_at_or(self, today: dt.date) -> dt.date:
        return self.as_at or today

    @property
    def district_list(self) -> list[str] | None:
        """The chosen districts, or None for the whole partnership (the queries' convention)."""
        return list(self.districts) or None


def parse_filters(
    query: Mapping[str, str | Sequence[str] | None], known_districts: Collection[str]
) -> Filters:
    """Read the filters from a page's query parameters, dropping what is unknown with a notice."""
    notices: list[str] = []
    districts: list[str] = []
    for code in _split(query.get(DISTRICT_PARAM)):
        if code in districts:
            continue
        if code in known_districts:
            districts.append(code)
        else:
            notices.append(
                f"District code '{code}' in the link is not a district of this partnership and was ignored."
            )
    as_at = None
    raw_date = _first(query.get(AS_AT_PARAM))
    if raw_date:
        try:
            as_at = dt.date.fromisoformat(raw_date)
        except ValueError:
            notices.append(f"'{raw_date}' in the link is not a date (YYYY-MM-DD); showing today instead.")
    return Filters(tuple(districts), as_at, tuple(notices))


def parse_search(search: str | None, known_districts: Collection[str]) -> Filters:
    """Parse ``location.search`` ("?district=...&as_at=...")."""
    parsed = parse_qs((search or "").lstrip("?"), keep_blank_values=False)
    return parse_filters({key: ",".join(values) for key, values in parsed.items()}, known_districts)


def to_search(
    districts: Sequence[str] | None, as_at: dt.date | None, extra: Mapping[str, str] | None = None
) -> str:
    """The query string for these filters ("" when both are defaults), leading "?" included."""
    params: dict[str, str] = {}
    if districts:
        params[DISTRICT_PARAM] = ",".join(districts)
    if as_at is not None:
        params[AS_AT_PARAM] = as_at.isoformat()
    params.update(extra or {})
    return f"?{urlencode(params, safe=',')}" if params else ""


def page_params(search: str | None) -> dict[str, str]:
    """The parameters in ``search`` other than the global filters: a page's own (``slide``, ``from``)."""
    query = parse_qs((search or "").lstrip("?"), keep_blank_values=False)
    return {
        key: ",".join(values) for key, values in query.items() if key not in (DISTRICT_PARAM, AS_AT_PARAM)
    }


def with_params(search: str | None, params: Mapping[str, str | None]) -> str:
    """``search`` ("?district=...&as_at=...") with ``params`` set (None removes one), others kept."""
    query = {key: ",".join(values) for key, values in parse_qs((search or "").lstrip("?")).items()}
    for key, value in params.items():
        if value:
            query[key] = value
        else:
            query.pop(key, None)
    return f"?{urlencode(query, safe=',')}" if query else ""


def href(path: str, filters: Filters) -> str:
    """A link to ``path`` that keeps the filters."""
    return path + to_search(filters.districts, filters.as_at)


def _split(value: str | Sequence[str] | None) -> list[str]:
    if value is None:
        return []
    parts = [value] if isinstance(value, str) else list(value)
    return [code.strip() for part in parts for code in part.split(",") if code.strip()]


def _first(value: str | Sequence[str] | None) -> str | None:
    if value is None or isinstance(value, str):
        return value.strip() if value else None
    return value[0].strip() if value else None
