"""Property tests for the filters in a link: whatever a link holds, parsing never fails, keeps only real
districts, and round-trips what it keeps."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from components.filters import parse_filters, parse_search, to_search

# Codes as partnerships write them (ONS codes, Welsh names, spaces), and hostile text.
district_codes = st.one_of(
    st.from_regex(r"[EW]0[67][0-9]{6}", fullmatch=True),
    st.sampled_from(["Caerdydd", "Ynys Môn", "Rhondda Cynon Taf", "north", "N-1"]),
)
query_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)


@given(known=st.sets(district_codes, max_size=8), search=query_text)
def test_any_search_string_parses_to_known_districts_and_a_date_or_today(known, search):
    filters = parse_search(search, known)

    assert set(filters.districts) <= known
    assert len(set(filters.districts)) == len(filters.districts)
    assert filters.as_at is None or isinstance(filters.as_at, dt.date)


@given(
    known=st.sets(district_codes, min_size=1, max_size=8),
    data=st.data(),
    as_at=st.none() | st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 12, 31)),
)
def test_filters_survive_a_round_trip_through_the_link(known, data, as_at):
    chosen = data.draw(st.lists(st.sampled_from(sorted(known)), unique=True, max_size=len(known)))

    parsed = parse_search(to_search(chosen, as_at), known)

    assert parsed.districts == tuple(code.strip() for code in chosen)
    assert parsed.as_at == as_at
    assert parsed.notices == ()


@given(
    known=st.sets(district_codes, max_size=5),
    district=st.none() | query_text | st.lists(query_text, max_size=3),
    as_at=st.none() | query_text | st.lists(query_text, max_size=3),
    stray=st.dictionaries(query_text, query_text, max_size=3),
)
def test_any_page_query_gives_filters_and_a_notice_for_everything_dropped(known, district, as_at, stray):
    query = {**stray, "district": district, "as_at": as_at}

    filters = parse_filters(query, known)

    assert set(filters.districts) <= known
    raw_codes = [district] if isinstance(district, str) else (district or [])
    unknown = {code.strip() for part in raw_codes for code in part.split(",") if code.strip()} - known
    assert len(filters.notices) >= len(unknown)
    assert all(f"'{code}'" in " ".join(filters.notices) for code in unknown)
