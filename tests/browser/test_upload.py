"""An officer uploads returns on /data in headless Chromium: a bad file shows its problems and cannot be
confirmed; a good one shows its preview, is confirmed, and its figures appear on the pages."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from data_access.uploads import format_size
from tests.browser.helpers import console_errors, format_violations, run_axe, wait_for_dash_idle
from tests.serving import serving
from tests.workbooks import D, as_xlsx, as_zip, frame, small_partnership

pytestmark = pytest.mark.browser

# Knife crime offences in Eastmoor (D3) for Jul-Sep 2024: not in the small partnership until uploaded.
NEW_VALUE = 987


def page_text(driver) -> str:
    return " ".join(driver.find_element(By.TAG_NAME, "body").text.split())


def upload(driver, path, answer: str) -> None:
    """Choose ``path`` in the upload box and wait until the page gives ``answer`` (the clientside size check's,
    or the server's preview): the browser reads the file before Dash hears of it, so Dash can look idle
    before the upload has even begun."""
    driver.find_element(By.CSS_SELECTOR, ".upload-drop input[type=file]").send_keys(str(path))
    WebDriverWait(driver, 30).until(lambda driver: answer in page_text(driver))
    wait_for_dash_idle(driver, timeout=30)


def test_an_officer_uploads_a_bad_then_a_good_return_and_sees_the_new_figures(
    dash_duo, dashboard, tmp_path, monkeypatch
):
    bad = tmp_path / "q2 return.xlsx"
    bad.write_bytes(
        as_xlsx(
            {
                "indicator_values": frame(
                    "indicator_values",
                    [
                        {
                            "indicator": "knife",
                            "period": D(2024, 7, 1),
                            "value": "about 900",
                            "district": "D3",
                        },
                        {"indicator": "knife", "period": D(2024, 7, 1), "value": 5, "district": "Westfold"},
                    ],
                )
            }
        )
    )
    good = tmp_path / "q2 return.zip"
    good.write_bytes(
        as_zip(
            {
                "indicator_values": frame(
                    "indicator_values",
                    [{"indicator": "knife", "period": D(2024, 7, 1), "value": NEW_VALUE, "district": "D3"}],
                )
            }
        )
    )
    with serving(small_partnership(), tmp_path / "upload.db"):
        dash_duo.serve(dashboard.app)
        driver = dash_duo.driver
        # Over the limit: refused in the browser, before the file is sent.
        monkeypatch.setenv("UPLOAD_MAX_MB", "0.001")
        driver.get(dash_duo.server_url + "/data")
        wait_for_dash_idle(driver, timeout=30)
        assert "Upload a return" in page_text(driver)
        upload(driver, bad, "uploads may be at most 1 KB")
        notice = driver.find_element(By.ID, "data-size-notice").text
        assert notice.startswith(
            f"The file is {format_size(bad.stat().st_size)}; uploads may be at most 1 KB."
        )
        assert "cannot be imported" not in page_text(driver)

        monkeypatch.delenv("UPLOAD_MAX_MB")
        driver.get(dash_duo.server_url + "/data")
        wait_for_dash_idle(driver, timeout=30)

        upload(driver, bad, "cannot be imported")
        text = page_text(driver)
        assert "q2 return.xlsx cannot be imported: 2 problems found" in text
        assert "'about 900' is not a number" in text
        assert "'Westfold' is not a known district" in text
        assert not driver.find_element(By.ID, "data-confirm").is_displayed()
        violations = run_axe(driver)
        assert violations == [], format_violations(violations)

        upload(driver, good, "is valid")
        text = page_text(driver)
        assert "q2 return.zip is valid: check what it will change, then confirm" in text
        assert "indicator_values: 1 new row, 0 changed rows, 0 unchanged" in text
        confirm = driver.find_element(By.ID, "data-confirm")
        assert confirm.is_displayed()
        violations = run_axe(driver)
        assert violations == [], format_violations(violations)

        driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", confirm)
        confirm.click()
        wait_for_dash_idle(driver, timeout=30)
        text = page_text(driver)
        assert "Imported q2 return.zip" in text
        assert "local mode (no sign-in) Uploaded in the browser q2 return.zip" in text  # the log's newest row

        driver.get(dash_duo.server_url + "/priority/violence?district=D3&as_at=2024-12-01")
        wait_for_dash_idle(driver, timeout=30)
        assert f"Eastmoor: {NEW_VALUE} in Q2 2024/25" in page_text(driver)
        assert console_errors(dash_duo) == []
