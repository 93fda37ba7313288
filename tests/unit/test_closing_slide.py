"""The closing slide names a partner's first few overdue actions and counts the rest: two lines hold two
or three, and a large partnership's partners have hundreds each."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from components.slides import CLOSING_ACTIONS, closing_slide
from tests.callbacks.test_pages import text_of


def overdue(owner: str, count: int) -> list[dict]:
    return [
        {
            "ref": f"{owner[:2].upper()}-{n:03d}",
            "title": f"Action {n}",
            "owner_name": owner,
            "due_date": dt.date(2025, 1, 1) + dt.timedelta(days=n),
            "overdue": True,
        }
        for n in range(count)
    ]


def test_a_partner_with_many_overdue_actions_has_the_first_named_and_the_rest_counted():
    actions = pd.DataFrame([*overdue("Police", CLOSING_ACTIONS + 40), *overdue("Fire", CLOSING_ACTIONS)])
    said = text_of([part for part in closing_slide(actions, "1 Jun 2025").body if part is not None])
    named = "; ".join(f"PO-{n:03d} Action {n}" for n in range(CLOSING_ACTIONS))
    assert f"{named}; and 40 more" in said
    assert f"PO-{CLOSING_ACTIONS:03d}" not in said
    # A partner with no more than that has every one named, and nothing counted.
    assert "; ".join(f"FI-{n:03d} Action {n}" for n in range(CLOSING_ACTIONS)) in said
    assert said.count("more") == 1
    assert f"{2 * CLOSING_ACTIONS + 40} actions were overdue on 1 Jun 2025, owned by 2 partners." in said
