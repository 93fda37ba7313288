"""Query results as DataFrames, read the quick way: what every page's view is built from.

Two costs used to dominate reading a large partnership's values, beyond the database's own work:

* an ORM session's ``execute`` runs each row through the ORM's result machinery, even for a select of
  plain columns; the session's connection runs the same statement, in the same transaction, with
  Core's row handling, two to three times faster;
* ``pd.DataFrame(rows)`` probes every row object to learn what it is (a named tuple? a dict?), about a
  tenth of a large priority page; handing pandas one list per column skips the probing and gives the
  same frame.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from sqlalchemy import Connection, Executable
from sqlalchemy.orm import Session

# Rows are turned into columns a few hundred at a time, so each batch of row objects is freed while
# still young: holding 15,000 at once (the district matrix) promoted them all to the oldest generation of
# Python's garbage collector, and every page or two paid for a full collection of the whole process.
_ROWS_AT_A_TIME = 500


def rows_frame(rows: Sequence[Sequence[object]], columns: Sequence[str], *, dtype=None) -> pd.DataFrame:
    """``pd.DataFrame(rows, columns=columns, dtype=dtype)``, the same frame, built column by column."""
    names = list(columns)
    if not rows:
        return pd.DataFrame([], columns=names, dtype=dtype)
    values = zip(*rows, strict=True)
    return pd.DataFrame(
        {name: list(column) for name, column in zip(names, values, strict=True)}, columns=names, dtype=dtype
    )


def read_frame(
    session: Session, statement: Executable, columns: Sequence[str], *, dtype=None, params: dict | None = None
) -> pd.DataFrame:
    """The rows of a select of plain columns (no ORM entities) as a frame of ``columns``, in order;
    ``params``: the values of its bound parameters, for a statement built once and run again.

    Runs on the session's connection, so it reads in the session's transaction like every other
    statement of the request.
    """
    result = session.connection().execute(statement, params)
    names = list(columns)
    values: list[list[object]] = [[] for _ in names]
    for rows in result.partitions(_ROWS_AT_A_TIME):
        for column, column_values in zip(values, zip(*rows, strict=True), strict=True):
            column.extend(column_values)
    if not values or not values[0]:
        return pd.DataFrame([], columns=names, dtype=dtype)
    return pd.DataFrame(dict(zip(names, values, strict=True)), columns=names, dtype=dtype)


def read_numbers(
    connection: Connection, statement: Executable, *, rows_at_a_time: int = 20_000
) -> np.ndarray:
    """The rows of a select whose every column is a number or NULL, as one float64 array (NaN for NULL),
    a row per result row.

    For reading millions of rows at once (rebuilding a derived table from every value): each batch of
    the driver's tuples goes straight into numpy, without SQLAlchemy's row objects or Python lists by
    column, which cost several times the database's own work.  The statement's bound parameters, if
    any, must need no conversion by SQLAlchemy (numbers or text).
    """
    compiled = statement.compile(dialect=connection.dialect)
    parameters = compiled.construct_params()
    if compiled.positional:
        parameters = [parameters[name] for name in compiled.positiontup]
    cursor = connection.connection.cursor()
    try:
        cursor.execute(str(compiled), parameters)
        width = len(cursor.description)
        batches = [np.empty((0, width), dtype="float64")]
        while rows := cursor.fetchmany(rows_at_a_time):
            batches.append(np.array(rows, dtype="float64"))
    finally:
        cursor.close()
    return np.concatenate(batches)


def records(frame: pd.DataFrame) -> list[dict[str, object]]:
    """``frame.to_dict("records")``, the same records (the same values of the same types), built from
    each column's values as a list: pandas works out each value's type one at a time, which cost a
    large priority page about 1.2 ms for a frame of 68 statuses against 0.3 ms this way.  A frame with a
    column of another kind (nullable integers, categories), whose list would differ, goes to pandas."""
    if not all(isinstance(dtype, _LISTED_AS_RECORDS) for dtype in frame.dtypes):
        return frame.to_dict("records")
    columns = list(frame.columns)
    return [
        dict(zip(columns, row, strict=True))
        for row in zip(*(frame[column].tolist() for column in columns), strict=True)
    ]


# The dtypes whose Series.tolist() gives each value as to_dict("records") does.
_LISTED_AS_RECORDS = (np.dtype, pd.StringDtype, pd.DatetimeTZDtype)
