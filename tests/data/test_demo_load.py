"""The demo partnership loads through the ordinary importer, on SQLite and PostgreSQL."""

from __future__ import annotations

from data_access.bootstrap import load_demo
from data_access.db import session_scope
from data_access.queries import PartnershipIdentity, holds_partnership, partnership_identity


def test_the_demo_workbook_loads_once_and_a_second_load_changes_nothing(engine):
    first = load_demo(engine)
    again = load_demo(engine)

    assert {name: s.inserted for name, s in first.sheets.items()} == {
        "partnership": 1,
        "districts": 11,
        "partners": 34,
        "priorities": 10,
        "indicators": 35,
        "indicator_values": 5881,
        "actions": 89,
        "action_updates": 223,
        "assessments": 46,
        "meetings": 34,
    }
    assert all(s.inserted == 0 and s.updated == 0 for s in again.sheets.values())
    with session_scope(engine) as session:
        assert holds_partnership(session)
        assert partnership_identity(session) == PartnershipIdentity(
            "Hampshire Community Safety Strategy Group (demonstration data)", "Hampshire CSSG (demo)"
        )
