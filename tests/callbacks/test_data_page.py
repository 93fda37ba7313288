"""The data page's callbacks called as functions: bad, good and oversize uploads, confirmation, who may."""

from __future__ import annotations

import base64

import pytest
from dash import no_update
from sqlalchemy import func, select

from data_access.db import get_engine, session_scope
from data_access.importer import import_frames
from data_access.models import ImportRecord, IndicatorValue
from tests.callbacks.test_pages import text_of
from tests.data.test_uploads import quarterly_return
from tests.startup.conftest import app_factory  # noqa: F401  (fixture)
from tests.web.test_sign_in import sign_in
from tests.workbooks import D, as_xlsx, as_zip, frame, small_partnership


def uploaded(name: str, content: bytes) -> dict:
    """The file store's data, as the page's clientside check passes it on."""
    return {
        "name": name,
        "contents": "data:application/octet-stream;base64," + base64.b64encode(content).decode(),
    }


@pytest.fixture
def data_app(app_factory, tmp_path, monkeypatch):  # noqa: F811
    """The dashboard in local mode (no users) on its own database holding a small partnership."""
    from data_access.config import Settings

    url = f"sqlite:///{tmp_path / 'data.db'}"
    app = app_factory(Settings(database_url=url))
    import_frames(get_engine(url), small_partnership())
    yield app
    get_engine(url).dispose()


@pytest.fixture
def page(data_app):
    """The page module, called inside one request to the app (so one session, with one token)."""
    from pages import data

    with data_app.server.test_request_context("/data"):
        assert data_app.server.preprocess_request() is None  # let in: local mode
        yield data


def value_count() -> int:
    with session_scope() as session:
        return session.scalar(select(func.count()).select_from(IndicatorValue))


def log_entries() -> list[tuple[str, str, str | None]]:
    with session_scope() as session:
        rows = session.execute(
            select(ImportRecord.imported_by, ImportRecord.channel, ImportRecord.file_name).order_by(
                ImportRecord.id
            )
        ).all()
    return [tuple(row) for row in rows]


def test_a_bad_file_gets_its_report_and_cannot_be_confirmed(page):
    bad = {
        "indicator_values": frame(
            "indicator_values", [{"indicator": "knife", "period": D(2024, 5, 1), "value": "x"}]
        )
    }

    result, status, previewed, confirm_hidden, outcome = page.check_upload(uploaded("q3.xlsx", as_xlsx(bad)))

    shown = text_of(result)
    assert "q3.xlsx cannot be imported: 2 problems found" in shown
    assert "Nothing has been written" in shown
    grid = _find(result, page.Ids.REPORT_GRID)
    rows = {(row["row"], row["column"]): row for row in grid.rowData}
    assert rows[(2, "value")]["value"] == "x" and rows[(2, "value")]["problem"] == "'x' is not a number"
    assert "first day of a quarter" in rows[(2, "period")]["problem"]
    assert status == "q3.xlsx cannot be imported: 2 problems found. Nothing was written."
    assert previewed is None and confirm_hidden is True and outcome is None


def test_a_good_file_is_previewed_and_confirmed_into_the_log(page):
    file = uploaded("q3.zip", as_zip(quarterly_return()))

    result, status, previewed, confirm_hidden, _ = page.check_upload(file)

    assert value_count() == 8  # nothing written by the preview
    assert confirm_hidden is False
    assert status == "q3.zip is valid. Check the preview, then confirm to import it."
    assert "q3.zip is valid: check what it will change, then confirm" in text_of(result)
    assert previewed["sha256"] and previewed["data_version"].isdigit()

    outcome, cleared, status, previewed_after, hidden, log = page.confirm_upload(
        1, file, previewed, _token(page)
    )

    assert "Imported q3.zip" in text_of(outcome)
    assert "indicator_values: 1 new row, 1 changed row, 1 unchanged" in text_of(outcome)
    assert cleared is None and previewed_after is None and hidden is True
    assert value_count() == 9
    assert log_entries()[-1] == ("local mode (no sign-in)", "browser", "q3.zip")
    assert "q3.zip" in text_of(log)
    # A second click of the same confirmation cannot import twice.
    again = page.confirm_upload(2, file, previewed, _token(page))
    assert "the data changed after your preview" in again[2]
    assert value_count() == 9 and len(log_entries()) == 2


def test_an_oversize_file_is_refused_by_the_server_too(page, monkeypatch):
    monkeypatch.setenv("UPLOAD_MAX_MB", "0.001")  # 1,000 bytes

    result, status, previewed, confirm_hidden, _ = page.check_upload(
        uploaded("q3.xlsx", as_xlsx(quarterly_return()))
    )

    assert "uploads may be at most 1 KB" in status and "UPLOAD_MAX_MB" in text_of(result)
    assert previewed is None and confirm_hidden is True


def test_a_file_the_browser_sent_garbled_is_refused_plainly(page):
    _, status, previewed, _, _ = page.check_upload({"name": "q3.xlsx", "contents": "data:;base64,@@@"})
    assert status == "The file could not be read from the browser. Choose it again."
    assert previewed is None


def test_confirmation_refuses_another_file_than_the_one_previewed(page):
    first = uploaded("q3.zip", as_zip(quarterly_return()))
    _, _, previewed, _, _ = page.check_upload(first)
    other = uploaded("q3.zip", as_zip(small_partnership()))

    outcome, *_ = page.confirm_upload(1, other, previewed, _token(page))

    assert "not the file that was previewed" in text_of(outcome)
    assert value_count() == 8


def test_confirmation_without_the_session_token_is_refused(page):
    file = uploaded("q3.zip", as_zip(quarterly_return()))
    _, _, previewed, _, _ = page.check_upload(file)
    outcome, *_ = page.confirm_upload(1, file, previewed, "forged")
    assert "Reload the page" in text_of(outcome)
    assert value_count() == 8


def test_after_another_import_the_confirmation_is_refused_and_a_new_preview_shown(page):
    file = uploaded("q3.zip", as_zip(quarterly_return()))
    _, _, previewed, _, _ = page.check_upload(file)
    import_frames(get_engine(), {"meetings": frame("meetings", [{"date": D(2025, 1, 9), "name": "Extra"}])})

    outcome, result, status, previewed_again, hidden, log = page.confirm_upload(
        1, file, previewed, _token(page)
    )

    assert outcome is None and log is no_update
    assert "Not imported: the data changed after your preview" in text_of(result)
    assert "check what it will change, then confirm" in text_of(result)
    assert previewed_again["data_version"] != previewed["data_version"] and hidden is False
    assert value_count() == 8


def test_the_template_and_the_report_download(page):
    template = page.download_template(1)
    assert template["filename"] == "partnership-workbook-template.xlsx" and template["base64"]
    report = page.download_report(
        1,
        [
            {
                "sheet": "indicator_values",
                "row": 2,
                "column": "value",
                "value": "=1+1",
                "problem": "p",
                "expected": "e",
            }
        ],
    )
    text = (
        base64.b64decode(report["content"]).decode("utf-8-sig") if report.get("base64") else report["content"]
    )
    assert text.splitlines()[0] == "sheet,row,column,value,problem,expected"
    assert "'=1+1" in text  # formula-like text neutralised, as every download does


@pytest.mark.parametrize(
    ("role", "may"), [("viewer", False), ("public", False), ("officer", True), ("admin", True)]
)
def test_only_officers_and_admins_may_use_the_page_once_users_exist(data_app, page, role, may):
    from data_access.users import add_user
    from tests.web.conftest import PASSWORD

    with session_scope() as session:
        add_user(session, "someone", role, PASSWORD)
    client = data_app.server.test_client()
    sign_in(client, "someone")
    cookie = {"Cookie": f"session={client.get_cookie('session').value}"}

    with data_app.server.test_request_context("/data", headers=cookie):
        assert data_app.server.preprocess_request() is None
        shown = text_of(page.layout())
        checked = page.check_upload(uploaded("q3.zip", as_zip(quarterly_return())))
        log_download = page.download_log(1)

    assert ("Upload a return" in shown) is may
    assert ("Uploading data and its log are for officers and admins." in shown) is not may
    assert (checked[2] is not None) is may  # a preview only for those who may
    assert (log_download is not no_update) is (role == "admin")


def test_the_log_download_has_a_row_per_sheet_with_full_hashes(page):
    file = uploaded("q3.zip", as_zip(quarterly_return()))
    _, _, previewed, _, _ = page.check_upload(file)
    page.confirm_upload(1, file, previewed, _token(page))

    download = page.download_log(1)

    text = base64.b64decode(download["content"]).decode("utf-8-sig")
    lines = text.splitlines()
    assert (
        lines[0]
        == "import_id,imported_at,imported_by,channel,file_name,sha256,sheet,inserted,updated,unchanged"
    )
    assert any(f",q3.zip,{previewed['sha256']},indicator_values,1,1,1" in line for line in lines)


def _token(page) -> str:
    """The session's token, as the layout hands it to the page."""
    return page.signin.csrf_token()


def _find(component, component_id):
    """The component with ``component_id`` inside ``component``."""
    if getattr(component, "id", None) == component_id:
        return component
    children = getattr(component, "children", None)
    for child in children if isinstance(children, list) else [children] if children is not None else []:
        if hasattr(child, "children") or hasattr(child, "id"):
            found = _find(child, component_id)
            if found is not None:
                return found
    return None


def test_the_page_lists_every_indicators_freshness_as_at_the_date(page):
    shown = page.layout(as_at="2024-12-01")
    grid = _find(shown, page.Ids.FRESHNESS)
    rows = {row["indicator"]: row for row in grid.rowData}
    assert set(rows) == {"Knife crime offences", "Admissions for assault", "Online harm referrals"}
    # Knife crime's latest quarter is Jul-Sep 2024 (Q2 2024/25): Oct-Dec is not due until 1 Mar 2025.
    assert rows["Knife crime offences"]["status"] == "On time"
    assert "as at 1 Dec 2024" in text_of(shown)
