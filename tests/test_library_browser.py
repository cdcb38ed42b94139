"""The 报告库 panel in a real browser: upload a saved web page, see its entry, correct it, ask about it,
remove it. Debian Chromium through Playwright, a real Assistant with its own data dir."""
from __future__ import annotations

import re

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

            # Correct the entry through the form: Chinese labels, current values prefilled, the level
            # chosen by its Chinese name (stored as its code); then remove it, confirmed.
            doc = page.locator("#rag-lib-doc input")
            doc.click()
            page.get_by_role("option", name=re.compile("^鼓楼区-2022")).click()
            region = page.locator("#rag-lib-region textarea")
            expect(region).to_have_value("江苏省徐州市鼓楼区", timeout=TIMEOUT)
            expect(page.locator("#rag-lib-year textarea")).to_have_value("2022")
            expect(page.locator("#rag-lib-level input")).to_have_value("市辖区")
            expect(page.locator("#rag-lib-form").first).to_contain_text("别名（用逗号分隔）")
            page.locator("#rag-lib-aliases textarea").fill("南京鼓楼")
            page.locator("#rag-lib-level input").click()
            page.get_by_role("option", name="县、县级市、旗").click()
            page.locator("#rag-lib-save").click()
            expect(status).to_contain_text("已更新", timeout=TIMEOUT)
            expect(status).to_contain_text("县、县级市、旗")
            entry = assistant.library_reports()[0]
            assert entry["aliases"] == ["南京鼓楼"] and entry["level"] == "county"
            assert entry["region"] == "江苏省徐州市鼓楼区"  # unchanged fields are not rewritten
            page.locator("#rag-lib-remove").click()
            page.locator("#rag-lib-confirm-yes").click()
            expect(status).to_contain_text("已删除", timeout=TIMEOUT)
            assert assistant.library_reports() == [] and assistant.removed_reports()
            assert not errors, errors
        finally:
            page.close()
