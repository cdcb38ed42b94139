"""The 报告库 panel in a real browser: upload a saved web page, see its entry, correct it, ask about it,
remove it. Debian Chromium through Playwright, a real Assistant with its own data dir."""
from __future__ import annotations

import pytest

from rag.api import Assistant
from rag.settings import Settings

from .conftest import SEEDS
from .report_files import DATA
from .test_ui_browser import ARTIFACTS, TIMEOUT, browser  # noqa: F401 - the shared browser fixture
from .test_ui_client import running

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_upload_correct_and_remove_in_the_browser(browser, tmp_path, embedder):  # noqa: F811
    from playwright.sync_api import expect

    from ui.app import build_app

    assistant = Assistant(Settings(seeds_dir=SEEDS, data_dir=tmp_path / "data"), embedder=embedder)
    assistant.retriever  # builds the seed index, as `rag chat` does before serving
    with running(build_app(assistant)) as url:
        page = browser.new_page(viewport={"width": 1280, "height": 1600}, locale="zh-CN")
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        try:
            page.goto(url)
            page.get_by_role("tab", name="报告").click()
            page.locator("#rag-lib-files input[type=file]").set_input_files(str(DATA / "gulou-2022.html"))
            page.wait_for_timeout(1000)  # the upload finishes before the click
            page.locator("#rag-lib-add").click()
            status = page.locator("#rag-lib-status")
            expect(status).to_contain_text("江苏省徐州市鼓楼区", timeout=TIMEOUT)
            expect(status).to_contain_text("2022")
            expect(page.locator("#rag-lib-table")).to_contain_text("鼓楼区-2022")
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "library.png"), full_page=True)
            assert assistant.ask("鼓楼区2022年收到行政复议申请多少件？").answered

            # Correct the year, then remove the report, through the form.
            doc = page.locator("#rag-lib-doc input")
            doc.click()
            page.get_by_role("option", name="鼓楼区-2022").click()
            page.locator("#rag-lib-value textarea").fill("南京鼓楼")  # region stays: edit the aliases instead
            page.locator("#rag-lib-field input").click()
            page.get_by_role("option", name="aliases").click()
            page.locator("#rag-lib-save").click()
            expect(status).to_contain_text("已更新", timeout=TIMEOUT)
            assert assistant.library_reports()[0]["aliases"] == ["南京鼓楼"]
            page.locator("#rag-lib-remove").click()
            expect(status).to_contain_text("已删除", timeout=TIMEOUT)
            assert assistant.library_reports() == []
            assert not errors, errors
        finally:
            page.close()
