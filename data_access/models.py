"""The partnership's tables, as SQLAlchemy 2.0 typed models.

Every table has a natural key (a code, a ref, a date, or a combination) that the workbook
import upserts by; the surrogate ``id`` columns exist only for joins.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Text,
    UniqueConstraint,
    false,
    func,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from domain.vocabulary import ActionStatus, BoardRag, Frequency, GoodDirection, ImportChannel, Role

# Named constraints keep Alembic migrations identical on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

ACTION_STATUSES = ActionStatus.codes()
BOARD_RAGS = BoardRag.codes()
GOOD_DIRECTIONS = GoodDirection.codes()
FREQUENCIES = Frequency.codes()
ROLES = Role.codes()
IMPORT_CHANNELS = ImportChannel.codes()
# Used when an indicator gives no tolerance (a fraction of the target).
DEFAULT_TOLERANCE = 0.05


def _in_list(column: str, allowed: tuple[str, ...]) -> str:
    quoted = ", ".join(f"'{value}'" for value in allowed)
    return f"{column} IN ({quoted})"


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Partnership(Base):
    """The partnership this database describes: its name for the header and page titles.

    One row at most (``id`` is always 1), so "the partnership" never needs a key to find it.
    """

    __tablename__ = "partnership"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False, default=1)
    name: Mapped[str] = mapped_column(String(200))
    short_name: Mapped[str | None] = mapped_column(String(120))

    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)


class District(Base):
    __tablename__ = "districts"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))


class Partner(Base):
    __tablename__ = "partners"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    sector: Mapped[str | None] = mapped_column(String(100))


class Priority(Base):
    __tablename__ = "priorities"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(60), unique=True)
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(Text)
    short_title: Mapped[str | None] = mapped_column(String(120))
    description: Mapped[str | None] = mapped_column(Text)
    lead_partner_id: Mapped[int | None] = mapped_column(ForeignKey("partners.id"))
    # A priority is in force from valid_from to valid_to inclusive; a blank end means still in force.
    valid_from: Mapped[dt.date | None] = mapped_column(Date)
    valid_to: Mapped[dt.date | None] = mapped_column(Date)

    lead_partner: Mapped[Partner | None] = relationship()

    __table_args__ = (
        CheckConstraint(
            "valid_from IS NULL OR valid_to IS NULL OR valid_from <= valid_to", name="valid_window"
        ),
    )


class Indicator(Base):
    __tablename__ = "indicators"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(60), unique=True)
    priority_id: Mapped[int] = mapped_column(ForeignKey("priorities.id"), index=True)
    name: Mapped[str] = mapped_column(Text)
    unit: Mapped[str] = mapped_column(String(40))
    good_direction: Mapped[str] = mapped_column(String(10))
    frequency: Mapped[str] = mapped_column(String(10))
    target: Mapped[float | None] = mapped_column(Float)
    tolerance: Mapped[float] = mapped_column(Float, default=DEFAULT_TOLERANCE)
    source: Mapped[str | None] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    # Hidden from the public role, with its values, everywhere (pages, counts, charts, downloads).
    restricted: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    priority: Mapped[Priority] = relationship()

    __table_args__ = (
        CheckConstraint(_in_list("good_direction", GOOD_DIRECTIONS), name="good_direction"),
        CheckConstraint(_in_list("frequency", FREQUENCIES), name="frequency"),
        CheckConstraint("tolerance >= 0", name="tolerance"),
    )


class IndicatorValue(Base):
    __tablename__ = "indicator_values"

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicators.id"))
    # NULL district: the value is for the whole partnership.
    district_id: Mapped[int | None] = mapped_column(ForeignKey("districts.id"))
    period_start: Mapped[dt.date] = mapped_column(Date)
    # Stored, not derived, so "periods ended on or before a date" is one indexed comparison in SQL.
    period_end: Mapped[dt.date] = mapped_column(Date)
    value: Mapped[float] = mapped_column(Float)
    lower_ci: Mapped[float | None] = mapped_column(Float)
    upper_ci: Mapped[float | None] = mapped_column(Float)
    numerator: Mapped[float | None] = mapped_column(Float)
    denominator: Mapped[float | None] = mapped_column(Float)
    note: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        # The natural key, with NULL (whole partnership) folded to 0 so it is unique too.
        Index(
            "uq_indicator_values_natural_key",
            "indicator_id",
            func.coalesce(district_id, 0),
            "period_start",
            unique=True,
        ),
        Index("ix_indicator_values_indicator_period_end", "indicator_id", "period_end"),
        # A series' latest value by a date, the value a year before, any older one: one seek each
        # (data_access.series).
        Index("ix_indicator_values_series_start", "indicator_id", "district_id", "period_start"),
    )


class WholePartnershipValue(Base):
    """Each indicator's whole-partnership series: the supplied value of a period, else the one derived
    from its districts (``domain.derive``), or a row saying why there is none (``value`` NULL).

    Derived data, rebuilt from ``indicator_values`` in the transaction of every import
    (``data_access.series.refresh_whole_partnership``), so pages read the whole partnership with the
    same indexed queries as a district instead of deriving it on every request.
    """

    __tablename__ = "whole_partnership_values"

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicators.id"))
    period_start: Mapped[dt.date] = mapped_column(Date)
    period_end: Mapped[dt.date] = mapped_column(Date)
    value: Mapped[float | None] = mapped_column(Float)
    lower_ci: Mapped[float | None] = mapped_column(Float)
    upper_ci: Mapped[float | None] = mapped_column(Float)
    numerator: Mapped[float | None] = mapped_column(Float)
    denominator: Mapped[float | None] = mapped_column(Float)
    # "supplied", or how it was derived: "sum", "ratio", "incomplete", "none" (domain.derive).
    method: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text)

    __table_args__ = (
        UniqueConstraint("indicator_id", "period_start"),
        Index("ix_whole_partnership_values_indicator_period_end", "indicator_id", "period_end"),
    )


class _CellTallies:
    """A tallies table's columns: a cell (a priority in a district), whose tallies hold from ``since``
    until the cell's next row, for the public (``includes_restricted`` False: restricted items left out)
    or for everyone; red, amber and green count what has that rating.  Read by its key only: in SQLite
    the rows are then kept in key order."""

    priority_id: Mapped[int] = mapped_column(ForeignKey("priorities.id"), primary_key=True)
    district_id: Mapped[int] = mapped_column(ForeignKey("districts.id"), primary_key=True)
    includes_restricted: Mapped[bool] = mapped_column(Boolean, primary_key=True)
    since: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    red: Mapped[int] = mapped_column(Integer)
    amber: Mapped[int] = mapped_column(Integer)
    green: Mapped[int] = mapped_column(Integer)

    __table_args__ = {"sqlite_with_rowid": False}


class DistrictIndicatorTally(_CellTallies, Base):
    """How many of a district's indicators for a priority are rated red, amber and green (by their latest
    value by the date) and how many have any value (``reported``), from ``since`` on
    (``domain.tallies.indicator_tallies``): a row for every cell on each date on which any cell's tallies change.

    Derived data, rebuilt from ``indicator_values`` and ``indicators`` in the transaction of every import
    that writes either (``data_access.district_tallies``), so the district matrix reads one row per cell
    as at any date instead of rating every series.
    """

    __tablename__ = "district_indicator_tallies"

    reported: Mapped[int] = mapped_column(Integer)

    # Every cell has a row on each date on which any cell's tallies change: the matrix as at a date is
    # the rows of one date, next to each other in this key.
    __table_args__ = (
        PrimaryKeyConstraint("includes_restricted", "since", "priority_id", "district_id"),
        _CellTallies.__table_args__,
    )


class DistrictActionTally(_CellTallies, Base):
    """How many of a district's open actions for a priority are rated red, amber and green, and how many
    are overdue, from ``since`` on (``domain.tallies.action_tallies``).

    Derived data like DistrictIndicatorTally, rebuilt by every import that writes actions or updates.
    """

    __tablename__ = "district_action_tallies"

    overdue: Mapped[int] = mapped_column(Integer)


class PartnershipWideActionTally(Base):
    """How many of a priority's open partnership-wide actions (those in no district) are rated red, amber
    and green, and how many are overdue, from ``since`` on (``domain.tallies.action_tallies``), for the
    public or for everyone.

    With DistrictActionTally it holds every action's RAG as a step function of the date: a priority's
    roll-up for the whole partnership, or for some districts, reads a row per cell rather than working out
    the status of each of its actions (``data_access.district_tallies.priority_action_tallies``). Derived
    data, rebuilt by every import that writes actions or updates.
    """

    __tablename__ = "partnership_wide_action_tallies"

    priority_id: Mapped[int] = mapped_column(ForeignKey("priorities.id"), primary_key=True)
    includes_restricted: Mapped[bool] = mapped_column(Boolean, primary_key=True)
    since: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    red: Mapped[int] = mapped_column(Integer)
    amber: Mapped[int] = mapped_column(Integer)
    green: Mapped[int] = mapped_column(Integer)
    overdue: Mapped[int] = mapped_column(Integer)

    __table_args__ = {"sqlite_with_rowid": False}


class DataVersion(Base):
    """A token that every import replaces, in the import's own transaction.

    Page views are cached under the version they read (``data_access.views``): a worker that reads a
    new version never serves figures computed before the import, whichever worker ran it.  The token
    is random rather than a counter, so a database dropped and built again (or restored from a backup)
    never repeats a version that a running worker has cached different figures under.
    """

    __tablename__ = "data_version"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False, default=1)
    version: Mapped[int] = mapped_column(BigInteger)

    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)


class Action(Base):
    __tablename__ = "actions"

    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = mapped_column(String(60), unique=True)
    priority_id: Mapped[int] = mapped_column(ForeignKey("priorities.id"), index=True)
    title: Mapped[str] = mapped_column(Text)
    owner_partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id"), index=True)
    district_id: Mapped[int | None] = mapped_column(ForeignKey("districts.id"), index=True)
    due_date: Mapped[dt.date] = mapped_column(Date)
    # The current status; the status as at an earlier date comes from action_updates.
    status: Mapped[str] = mapped_column(String(20))
    description: Mapped[str | None] = mapped_column(Text)
    opened_on: Mapped[dt.date | None] = mapped_column(Date)
    # Hidden from the public role, with its updates, everywhere (pages, counts, downloads).
    restricted: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Its latest update's date and status (None without updates), kept by every import that writes actions
    # or updates (data_access.latest_updates). As at any date on or after it that is the action's status,
    # so pages look up updates only for the few actions updated after the date they show.
    latest_update_on: Mapped[dt.date | None] = mapped_column(Date)
    latest_update_status: Mapped[str | None] = mapped_column(String(20))

    __table_args__ = (CheckConstraint(_in_list("status", ACTION_STATUSES), name="status"),)


class ActionUpdate(Base):
    __tablename__ = "action_updates"

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("actions.id"))
    date: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20))
    commentary: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        UniqueConstraint("action_id", "date"),
        # An action's status as at a date (queries.action_state) from the index alone, without reading the
        # update's row: a large partnership's actions page, as at three months back, looks up thousands.
        Index("ix_action_updates_action_date_status", "action_id", "date", "status"),
        CheckConstraint(_in_list("status", ACTION_STATUSES), name="status"),
    )


class Assessment(Base):
    """A RAG the board set for a priority at a meeting, with its commentary."""

    __tablename__ = "assessments"

    id: Mapped[int] = mapped_column(primary_key=True)
    priority_id: Mapped[int] = mapped_column(ForeignKey("priorities.id"))
    date: Mapped[dt.date] = mapped_column(Date)
    rag: Mapped[str] = mapped_column(String(10))
    commentary: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        UniqueConstraint("priority_id", "date"),
        CheckConstraint(_in_list("rag", BOARD_RAGS), name="rag"),
    )


class Meeting(Base):
    __tablename__ = "meetings"

    id: Mapped[int] = mapped_column(primary_key=True)
    date: Mapped[dt.date] = mapped_column(Date, unique=True)
    name: Mapped[str] = mapped_column(Text)


class User(Base):
    """Someone who may sign in. Managed from the command line (``python -m data_access user ...``).

    Not part of the partnership's workbook: imports and exports never touch users.
    """

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    role: Mapped[str] = mapped_column(String(20))
    # An argon2id hash in PHC string format (algorithm, parameters and salt included).
    password_hash: Mapped[str] = mapped_column(String(255))
    # Changed with every new password or role, so sessions signed in before the change end at once.
    session_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))

    __table_args__ = (CheckConstraint(_in_list("role", ROLES), name="role"),)


class SignInAttempt(Base):
    """A sign-in attempt, kept for rate limiting. In the database, not in memory, so the limit
    holds across gunicorn workers and machines behind a load balancer."""

    __tablename__ = "sign_in_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The name typed, folded to lower case, and the client's address: each is limited on its own.
    user_name: Mapped[str] = mapped_column(String(120))
    client_address: Mapped[str] = mapped_column(String(64))
    attempted_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    succeeded: Mapped[bool] = mapped_column(Boolean)


class ImportRecord(Base):
    """One import that wrote to the database, from the command line, the browser or the demo loader.

    Written in the import's own transaction, so an import that fails leaves no record, and a record
    always describes data that is there.  Checked-only runs and previews are not recorded.
    """

    __tablename__ = "import_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    imported_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    # The signed-in user's name, or who ran the command line ("command line (user@host)").
    imported_by: Mapped[str] = mapped_column(String(200))
    channel: Mapped[str] = mapped_column(String(20))
    file_name: Mapped[str | None] = mapped_column(String(255))
    # Of the file's bytes as uploaded or read; None for data that was never a file (the demo's frames).
    sha256: Mapped[str | None] = mapped_column(String(64))

    sheets: Mapped[list[ImportedSheet]] = relationship(
        back_populates="record", cascade="all, delete-orphan", order_by="ImportedSheet.id"
    )

    __table_args__ = (CheckConstraint(_in_list("channel", IMPORT_CHANNELS), name="channel"),)


class ImportedSheet(Base):
    """How many rows of one sheet an import inserted, updated and found unchanged."""

    __tablename__ = "import_log_sheets"

    id: Mapped[int] = mapped_column(primary_key=True)
    import_id: Mapped[int] = mapped_column(ForeignKey("import_log.id", ondelete="CASCADE"), index=True)
    sheet: Mapped[str] = mapped_column(String(40))
    inserted: Mapped[int] = mapped_column(Integer)
    updated: Mapped[int] = mapped_column(Integer)
    unchanged: Mapped[int] = mapped_column(Integer)

    record: Mapped[ImportRecord] = relationship(back_populates="sheets")


class ImportedIndicator(Base):
    """An indicator whose values (district or whole-partnership) an import inserted or changed: what
    "when was data for this indicator last imported" is answered from."""

    __tablename__ = "import_log_indicators"

    id: Mapped[int] = mapped_column(primary_key=True)
    import_id: Mapped[int] = mapped_column(ForeignKey("import_log.id", ondelete="CASCADE"), index=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicators.id", ondelete="CASCADE"), index=True)
    values_written: Mapped[int] = mapped_column(Integer)
