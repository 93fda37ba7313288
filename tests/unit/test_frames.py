"""rows_frame builds exactly the frame pandas builds from rows, whatever the columns hold."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pandas as pd
import pytest

from data_access.frames import rows_frame

COLUMNS = ["code", "when", "value", "amount", "note", "flag", "count"]
ROWS = [
    ("a", date(2024, 4, 1), 1.5, Decimal("2.50"), None, True, 3),
    ("b", None, None, None, "text", False, 4),
    ("c", date(2025, 1, 1), float("nan"), Decimal("0"), "", True, 5),
]


@pytest.mark.parametrize("dtype", [None, object])
@pytest.mark.parametrize("rows", [ROWS, ROWS[:1], []], ids=["several", "one", "none"])
def test_rows_frame_is_the_frame_pandas_builds_from_rows(rows, dtype):
    expected = pd.DataFrame(rows, columns=COLUMNS, dtype=dtype)
    built = rows_frame(rows, COLUMNS, dtype=dtype)
    pd.testing.assert_frame_equal(built, expected)
    assert list(built.dtypes) == list(expected.dtypes)


def test_rows_frame_refuses_rows_of_the_wrong_width():
    with pytest.raises(ValueError):
        rows_frame([("a", 1)], ["code"])


def _numbers_table(count: int):
    from sqlalchemy import Column, Date, Float, Integer, MetaData, String, Table, create_engine, insert

    engine = create_engine("sqlite://")
    numbers = Table(
        "numbers",
        MetaData(),
        Column("id", Integer, primary_key=True),
        Column("code", String),
        Column("day", Date),
        Column("value", Float),
    )
    numbers.metadata.create_all(engine)
    rows = [
        {"id": n, "code": f"c{n}", "day": date(2024, 1, 1 + n % 28), "value": n / 2} for n in range(count)
    ]
    if rows:
        with engine.begin() as connection:
            connection.execute(insert(numbers), rows)
    return engine, numbers


@pytest.mark.parametrize("count", [0, 1, 4999])
def test_read_frame_is_the_frame_of_every_row(count):
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from data_access.frames import read_frame

    engine, numbers = _numbers_table(count)
    statement = select(numbers.c.code, numbers.c.day, numbers.c.value).order_by(numbers.c.id)
    with Session(engine) as session:
        expected = rows_frame(session.connection().execute(statement).all(), ["code", "day", "value"])
        pd.testing.assert_frame_equal(read_frame(session, statement, ["code", "day", "value"]), expected)


def test_read_frame_never_holds_every_row_object_at_once():
    # Row objects held all at once outlive the garbage collector's young generations, and enough of
    # them make it walk every object in the process (see data_access.frames).
    import gc

    from sqlalchemy import Row, select
    from sqlalchemy.orm import Session

    from data_access.frames import read_frame

    engine, numbers = _numbers_table(20_000)
    most_rows_alive = 0

    def count_rows(phase, info):
        nonlocal most_rows_alive
        if phase == "start":
            most_rows_alive = max(most_rows_alive, sum(isinstance(o, Row) for o in gc.get_objects()))

    gc.callbacks.append(count_rows)
    try:
        with Session(engine) as session:
            frame = read_frame(session, select(numbers.c.code, numbers.c.value), ["code", "value"])
    finally:
        gc.callbacks.remove(count_rows)
    assert len(frame) == 20_000
    assert 0 < most_rows_alive <= 5_000


def _same(value, expected) -> bool:
    """The same value of the same type, a blank (NaN, NA) counting as the same blank."""
    if type(value) is not type(expected):
        return False
    if value is pd.NA:
        return expected is pd.NA
    return value == expected or (value != value and expected != expected)


OTHER_KINDS = {
    "nullable integers": pd.array([1, None, 2], dtype="Int64"),
    "categories": pd.Categorical(["x", None, "y"]),
}


@pytest.mark.parametrize("other", [None, *OTHER_KINDS])
@pytest.mark.parametrize("rows", [3, 1, 0], ids=["several", "one", "none"])
def test_records_are_the_records_pandas_gives(rows, other):
    from data_access.frames import records

    columns = {
        "code": pd.array(["a", None, "c"], dtype="str"),
        "when": [date(2024, 4, 1), None, date(2025, 1, 1)],
        "value": [1.5, float("nan"), 3.0],
        "count": [3, 4, 5],
        "flag": [True, False, True],
        "stamp": pd.to_datetime(["2024-01-01 10:00", "2024-06-01 11:30", "2025-01-01 00:00"], utc=True),
        "naive": pd.to_datetime(["2024-01-01", None, "2025-01-01"]),
        "note": ["text", None, Decimal("2.50")],
    }
    if other:
        columns[other] = OTHER_KINDS[other]
    frame = pd.DataFrame(columns).iloc[:rows]
    expected = frame.to_dict("records")
    built = records(frame)
    assert len(built) == len(expected) == rows
    for record, wanted in zip(built, expected, strict=True):
        assert list(record) == list(wanted)
        assert all(_same(record[column], wanted[column]) for column in wanted), (record, wanted)
