"""The chat in a real browser: Debian Chromium driven by Playwright, against the real Assistant.

Needs /usr/bin/chromium (`apt-get install chromium`; `.ci/run` installs it). Without it the
test is skipped locally and FAILS when the CI environment variable is set.
"""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from .conftest import ROOT
from .test_ui_client import GOLD_QUESTION, running

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "tests" / "artifacts"
SCREENSHOT = ARTIFACTS / "ui.png"
OFFLINE_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]
TIMEOUT = 60_000  # ms; the first question also warms the retriever up


def _need(condition: bool, reason: str) -> None:
    if condition:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (required when CI is set)")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser():
    _need(CHROMIUM.exists(), f"{CHROMIUM} is not installed: apt-get install -y chromium chromium-driver")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _need(False, "the playwright package is not installed: pip install playwright")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=OFFLINE_ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture(scope="module")
def app_url(assistant):
    from ui.app import build_app

    with running(build_app(assistant)) as url:
        yield url


def ask(page, question: str) -> None:
    box = page.locator("#rag-input textarea")
    box.fill(question)
    box.press("Enter")


def test_chat_question_follow_up_and_source_link(browser, app_url):
    from playwright.sync_api import expect

    page = browser.new_page(viewport={"width": 1280, "height": 1500}, locale="zh-CN")
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        page.goto(app_url)
        expect(page.locator("#rag-input textarea")).to_be_visible(timeout=TIMEOUT)
        bot, user = page.locator('[data-testid="bot"]'), page.locator('[data-testid="user"]')

        # Empty input does nothing.
        ask(page, "   ")
        page.wait_for_timeout(500)
        expect(user).to_have_count(0)

        # 1. The gold question: answer, mode badge, a source card with the quote highlighted.
        ask(page, GOLD_QUESTION)
        first = bot.nth(0)
        expect(first.locator(".rag-card")).to_have_count(1, timeout=TIMEOUT)
        expect(first.locator(".rag-answer")).to_contain_text("1723", timeout=TIMEOUT)
        expect(first.locator(".rag-badge")).to_have_text("离线摘录")
        card = first.locator(".rag-card")
        expect(card.locator(".rag-card-title")).to_contain_text("北京市昌平区2024年法治政府建设年度情况报告")
        expect(card.locator(".rag-card-section")).to_contain_text("行政复议")
        expect(card.locator("mark")).to_contain_text("1723")
        expect(card.locator("a.rag-src-link")).to_have_attribute("href", "#r-changping-2024-1408")

        # 2. A follow-up that needs the history: the same question, asked of 恩阳区.
        ask(page, "那恩阳区呢？")
        expect(user).to_have_count(2, timeout=TIMEOUT)
        expect(bot).to_have_count(2, timeout=TIMEOUT)
        second = bot.nth(1)
        expect(second.locator(".rag-streaming")).to_have_count(0, timeout=TIMEOUT)
        expect(second.locator(".rag-notice")).to_contain_text("恩阳区", timeout=TIMEOUT)
        expect(second.locator(".rag-card-title").first).to_contain_text("恩阳区")
        expect(second.locator(".rag-card mark").first).to_be_visible()

        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOT))

        # 3. The card's link opens the 报告 tab at the cited sentence.
        first.locator("a.rag-src-link").click()
        expect(page.locator('button[role="tab"]', has_text="报告")).to_have_attribute("aria-selected", "true")
        target = page.locator("#r-changping-2024-1408")
        expect(target).to_be_visible(timeout=TIMEOUT)
        expect(target).to_contain_text("2024年共接收行政复议申请1723件")
        expect(target).to_be_in_viewport()
        expect(target).to_have_class(re.compile(r"\brag-flash\b"))  # the cited sentence lights up
        page.screenshot(path=str(ARTIFACTS / "ui-report.png"))
        assert not errors, errors
    finally:
        page.close()
