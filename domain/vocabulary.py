"""The dashboard's vocabulary, defined once: the codes a workbook uses and the words users see for them.

Models (check constraints), workbook validation (allowed values, the template's guide), the RAG rules,
the components and the downloads all import these, so a status or a frequency can never mean one thing
in the database and another on the page.  Each member is its workbook code (a ``str``) and carries the
``label`` users read.
"""

from __future__ import annotations

from enum import StrEnum

# What the dashboard calls itself before a partnership has given its name (and when the database is down).
PRODUCT_NAME = "Community safety priorities"

# What an action with no district is called wherever actions are listed, searched or downloaded.
PARTNERSHIP_WIDE = "Partnership-wide"
# What an actions table's RAG column says of an overdue action, instead of its rating word.
OVERDUE_WORD = "Overdue"


class _Vocabulary(StrEnum):
    """A StrEnum whose members also carry the words users see for them."""

    label: str

    def __new__(cls, code: str, label: str):
        member = str.__new__(cls, code)
        member._value_ = code
        member.label = label
        return member

    @classmethod
    def codes(cls) -> tuple[str, ...]:
        """Every code, in the order users see them listed."""
        return tuple(member.value for member in cls)

    @classmethod
    def labels(cls) -> dict[str, str]:
        """code -> label, for option lists and downloads."""
        return {member.value: member.label for member in cls}


class ActionStatus(_Vocabulary):
    NOT_STARTED = "not_started", "Not started"
    ON_TRACK = "on_track", "On track"
    AT_RISK = "at_risk", "At risk"
    OFF_TRACK = "off_track", "Off track"
    COMPLETE = "complete", "Complete"
    CANCELLED = "cancelled", "Cancelled"


CLOSED_ACTION_STATUSES: frozenset[str] = frozenset({ActionStatus.COMPLETE, ActionStatus.CANCELLED})
OPEN_ACTION_STATUSES: tuple[str, ...] = tuple(
    s for s in ActionStatus.codes() if s not in CLOSED_ACTION_STATUSES
)


class GoodDirection(_Vocabulary):
    UP = "up", "Higher is better"
    DOWN = "down", "Lower is better"
    NONE = "none", "Tracked for context (no RAG)"


class Frequency(_Vocabulary):
    """How often an indicator is reported; the label completes "Reported ..."."""

    MONTH = "month", "monthly"
    QUARTER = "quarter", "quarterly"
    YEAR = "year", "yearly"


class FreshnessState(_Vocabulary):
    """Whether an indicator's data is up to date as at a date (domain.freshness)."""

    ON_TIME = "on_time", "On time"
    LATE = "late", "Late"
    NO_DATA = "no_data", "No data yet"


class BoardRag(_Vocabulary):
    """The RAG a board may set for a priority."""

    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"


class Rating(_Vocabulary):
    """Every rating the dashboard shows: the board's three, plus the states the rules can reach."""

    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"
    NO_DATA = "no_data", "Not enough data"
    NEUTRAL = "neutral", "No RAG (tracked only)"
    CLOSED = "closed", "Closed"


class Unit(_Vocabulary):
    """Units the dashboard knows how to format and derive; any other word is shown as given."""

    COUNT = "count", "Count"
    RATE = "rate", "Rate"
    PERCENT = "percent", "Percent"


# Spellings of the same unit that people type into a workbook.
PERCENT_UNITS = frozenset({Unit.PERCENT.value, "%"})
POUND_UNITS = frozenset({"£", "gbp"})


class Role(_Vocabulary):
    """What a signed-in user may see and do; each role can do everything the one before it can."""

    PUBLIC = "public", "Public (nothing marked restricted)"
    VIEWER = "viewer", "Viewer (everything)"
    OFFICER = "officer", "Officer (everything, and may upload data)"
    ADMIN = "admin", "Admin (everything)"

    @property
    def sees_restricted(self) -> bool:
        return self is not Role.PUBLIC

    @property
    def may_upload(self) -> bool:
        return self in (Role.OFFICER, Role.ADMIN)


class ImportChannel(_Vocabulary):
    """How data reached the database, as the import log records it."""

    BROWSER = "browser", "Uploaded in the browser"
    COMMAND_LINE = "command_line", "Command line"
    DEMO = "demo", "Demo data"
