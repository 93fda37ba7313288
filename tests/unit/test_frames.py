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
