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


PHONE = {"width": 390, "height": 844}
ZOOM200 = {"width": 640, "height": 450}  # a 1280×900 window at 200% zoom
DESKTOP = {"width": 1280, "height": 1000}
REFUSED = "昌平区2024年共有多少只大熊猫？"


def open_chat(browser, url, scheme="light", viewport=None, errors=None, **kw):
    from playwright.sync_api import expect

    page = browser.new_page(viewport=viewport or DESKTOP, locale="zh-CN", color_scheme=scheme, **kw)
    if errors is not None:
        page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(url)
    expect(page.locator("#rag-input textarea")).to_be_visible(timeout=TIMEOUT)
    return page


def final_reply(page, n: int):
    """The n-th (0-based) bot message once it has stopped streaming."""
    from playwright.sync_api import expect

    bot = page.locator('[data-testid="bot"]')
    expect(bot).to_have_count(n + 1, timeout=TIMEOUT)
    reply = bot.nth(n)
    expect(reply.locator(".rag-reply")).to_have_count(1, timeout=TIMEOUT)
    expect(reply.locator(".rag-streaming")).to_have_count(0, timeout=TIMEOUT)
    page.wait_for_timeout(300)  # the page script's scroll runs after the last update
    return reply


def _channel(c: float) -> float:
    c /= 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def rgb(css: str) -> tuple[float, float, float, float]:
    nums = [float(x) for x in re.findall(r"[\d.]+", css)]
    return (*nums[:3], nums[3] if len(nums) > 3 else 1.0)


def contrast(fg: str, bg: str) -> float:
    """WCAG contrast ratio of two rendered colours (opaque background expected)."""
    f, b = rgb(fg), rgb(bg)
    assert b[3] == 1.0, f"background not opaque: {bg}"
    f = tuple(f[i] * f[3] + b[i] * (1 - f[3]) for i in range(3))  # text alpha over the background
    lum = [0.2126 * _channel(c[0]) + 0.7152 * _channel(c[1]) + 0.0722 * _channel(c[2]) for c in (f, b)]
    hi, lo = max(lum), min(lum)
    return (hi + 0.05) / (lo + 0.05)


def test_contrast_formula():
    assert contrast("rgb(0, 0, 0)", "rgb(255, 255, 255)") == pytest.approx(21.0)
    assert contrast("rgb(119, 119, 119)", "rgb(255, 255, 255)") == pytest.approx(4.48, abs=0.01)


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
        expect(card.locator("a.rag-src-link")).to_have_attribute("href", "#open/changping-2024/1408/r-changping-2024-1408")
        assert page.locator("#rag-report-view .rag-report").count() == 0  # no report text before one is opened

        # 2. A follow-up that needs the history: the same question, asked of 恩阳区.
        ask(page, "那恩阳区呢？")
        expect(user).to_have_count(2, timeout=TIMEOUT)
        expect(bot).to_have_count(2, timeout=TIMEOUT)
        second = bot.nth(1)
        expect(second.locator(".rag-streaming")).to_have_count(0, timeout=TIMEOUT)
        expect(second.locator(".rag-info")).to_contain_text("理解为：恩阳区", timeout=TIMEOUT)  # information, not a warning
        expect(second.locator(".rag-card-title").first).to_contain_text("恩阳区")
        expect(second.locator(".rag-card mark").first).to_be_visible()

        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOT))

        # 3. The card's link opens the report in a panel beside the answer, at the cited sentence, which
        #    stays highlighted; a 「‹ 返回」 link stands at the sentence.
        first.locator("a.rag-src-link").click()
        expect(page.locator('button[role="tab"]', has_text="问答")).to_have_attribute("aria-selected", "true")
        target = page.locator("#r-changping-2024-1408")
        expect(target).to_be_visible(timeout=TIMEOUT)
        expect(target).to_contain_text("2024年共接收行政复议申请1723件")
        expect(target).to_be_in_viewport()
        expect(target).to_have_class(re.compile(r"\brag-flash\b"))  # the cited sentence lights up
        page.wait_for_timeout(5000)
        expect(target).to_have_class(re.compile(r"\brag-cited\b"))  # and is still highlighted 5 s later
        expect(target).to_be_in_viewport()
        panel, chat = page.locator("#rag-panel").bounding_box(), page.locator("#rag-chatbot").bounding_box()
        assert panel["x"] >= chat["x"] + chat["width"] - 1, (panel, chat)  # beside the chat, not instead of it
        expect(first.locator(".rag-answer")).to_be_in_viewport()
        back_here = page.locator("#rag-report-view a.rag-back-here")
        expect(back_here).to_be_visible()
        assert back_here.evaluate("a => a.previousElementSibling.id") == "r-changping-2024-1408"
        page.screenshot(path=str(ARTIFACTS / "ui-report.png"))

        # 4. Browser Back closes the panel and returns to the card the reader came from (not leaving the app).
        page.go_back()
        expect(page.locator("#rag-panel")).to_be_hidden(timeout=TIMEOUT)
        assert page.url.startswith(app_url)
        expect(first.locator(".rag-card")).to_be_in_viewport(timeout=TIMEOUT)
        # ... and so does the 「‹ 返回」 at the sentence
        first.locator("a.rag-src-link").click()
        expect(back_here).to_be_visible(timeout=TIMEOUT)
        back_here.click()
        expect(page.locator("#rag-panel")).to_be_hidden(timeout=TIMEOUT)
        expect(first.locator(".rag-card")).to_be_in_viewport(timeout=TIMEOUT)

        # 5. [1] shows its quote in a popover on hover and on keyboard focus.
        marker = first.locator("a.rag-cite").first
        marker.hover()
        expect(page.locator("#rag-pop")).to_be_visible()
        expect(page.locator("#rag-pop")).to_contain_text("1723")
        page.mouse.move(1, 1)
        expect(page.locator("#rag-pop")).to_be_hidden()
        marker.focus()
        expect(page.locator("#rag-pop")).to_be_visible()
        assert not errors, errors
    finally:
        page.close()


def test_a_follow_up_over_two_earlier_answers_and_undo(browser, app_url):
    """The page keeps each turn's parsed question: 「这两个加起来」 adds the two earlier answers, each cited;
    after 「撤回上一问」 the next follow-up still composes the two that remain."""
    from playwright.sync_api import expect

    page = browser.new_page(viewport=DESKTOP, locale="zh-CN")
    try:
        page.goto(app_url)
        expect(page.locator("#rag-input textarea")).to_be_visible(timeout=TIMEOUT)
        bot = page.locator('[data-testid="bot"]')
        for i, question in enumerate((GOLD_QUESTION, "那恩阳区呢？", "这两个加起来是多少？")):
            ask(page, question)
            expect(bot).to_have_count(i + 1, timeout=TIMEOUT)
            expect(bot.nth(i).locator(".rag-streaming")).to_have_count(0, timeout=TIMEOUT)
        total = bot.nth(2)
        expect(total.locator(".rag-answer")).to_contain_text("合计1764件", timeout=TIMEOUT)
        expect(total.locator(".rag-card")).to_have_count(2)
        page.locator("#rag-undo").click()
        expect(bot).to_have_count(2, timeout=TIMEOUT)
        page.locator("#rag-input textarea").fill("两者相差多少？")  # undo put the question back: replace it
        page.locator("#rag-input textarea").press("Enter")
        expect(bot).to_have_count(3, timeout=TIMEOUT)
        expect(bot.nth(2).locator(".rag-answer")).to_contain_text("相差1682件", timeout=TIMEOUT)
        page.screenshot(path=str(ARTIFACTS / "ui-follow-up-over-answers.png"))
    finally:
        page.close()


@pytest.mark.parametrize("scheme,viewport,name", [
    ("light", DESKTOP, "light"), ("dark", DESKTOP, "dark"), ("light", PHONE, "phone"), ("dark", PHONE, "phone-dark"),
    ("light", ZOOM200, "zoom200"),
])
def test_answer_reads_well_in_each_scheme_and_width(browser, app_url, scheme, viewport, name):
    """After an answer its first line and first source card are on screen; the quote is legible
    (contrast >= 4.5:1 from the rendered colours); [1] reaches card 1."""
    from playwright.sync_api import expect

    errors: list[str] = []
    page = open_chat(browser, app_url, scheme, viewport, errors)
    try:
        if scheme == "dark":
            assert page.evaluate("document.body.classList.contains('dark')"), "the page did not follow the dark scheme"
        # the report filter: beside the chat on a desktop; above it, folded, on a phone
        scope_box = page.locator("#rag-scope")
        if viewport["width"] <= 640:  # a phone, or 200% zoom
            expect(scope_box).to_be_hidden(timeout=TIMEOUT)
            side, chat = (page.locator(sel).bounding_box() for sel in ("#rag-side", "#rag-chatbot"))
            assert side["y"] < chat["y"], (side, chat)
        else:
            expect(scope_box).to_be_visible()
        ask(page, GOLD_QUESTION)
        reply = final_reply(page, 0)
        expect(reply.locator(".rag-answer")).to_contain_text("1723")
        expect(reply.locator(".rag-answer")).to_be_in_viewport()
        expect(reply.locator(".rag-card").first).to_be_in_viewport()
        mark = reply.locator(".rag-card mark").first
        fg, bg = mark.evaluate("m => [getComputedStyle(m).color, getComputedStyle(m).backgroundColor]")
        ratio = contrast(fg, bg)
        print(f"{name}: quote {fg} on {bg}: contrast {ratio:.2f}")
        assert ratio >= 4.5, (fg, bg, ratio)
        badge = reply.locator(".rag-badge")
        bfg, bbg = badge.evaluate("m => [getComputedStyle(m).color, getComputedStyle(m).backgroundColor]")
        reply_bg = reply.evaluate("""m => { for (let e = m; e; e = e.parentElement) {
            const c = getComputedStyle(e).backgroundColor; if (!/rgba\\(.*, 0\\)$/.test(c) && c !== 'transparent') return c; }
            return 'rgb(255, 255, 255)'; }""")
        print(f"{name}: badge {bfg} on {bbg} over {reply_bg}")
        assert contrast(bfg, reply_bg) >= 3.0  # the 离线摘录 badge stands out from the message
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"ui-{name}.png"))

        # the [1] marker is a link to its card
        marker = reply.locator("a.rag-cite").first
        expect(marker).to_have_attribute("title", re.compile("1723"))
        marker.click()
        card = reply.locator(".rag-card-1")
        expect(card).to_be_in_viewport()
        expect(card).to_have_class(re.compile(r"\brag-flash\b"))
        assert not errors, errors
    finally:
        page.close()


def test_refusal_shows_nearest_passages_without_highlight(browser, app_url):
    from playwright.sync_api import expect

    page = open_chat(browser, app_url, "dark", PHONE)
    try:
        ask(page, REFUSED)
        reply = final_reply(page, 0)
        expect(reply.locator(".rag-answer")).to_contain_text("未找到")
        expect(reply.locator(".rag-sources-title")).to_contain_text("仅供参考")
        assert reply.locator(".rag-card").count() >= 1
        assert reply.locator("mark").count() == 0
        page.screenshot(path=str(ARTIFACTS / "ui-refusal.png"))
    finally:
        page.close()


def test_markdown_in_a_question_is_shown_as_text(browser, app_url):
    from playwright.sync_api import expect

    page = open_chat(browser, app_url)
    fetched: list[str] = []
    page.on("request", lambda req: fetched.append(req.url) if "x.png" in req.url else None)
    typed = f"![q]({app_url}x.png) **粗体** <b>b</b>"
    try:
        ask(page, typed)
        final_reply(page, 0)
        user = page.locator('[data-testid="user"]').first
        expect(user).to_contain_text(typed)
        assert user.locator("img").count() == 0 and user.locator("strong, b").count() == 0
        page.wait_for_timeout(300)
        assert fetched == []
    finally:
        page.close()


def test_ranking_answer_shows_a_bar_chart_and_the_data_tab_exports(browser, app_url):
    from playwright.sync_api import expect

    page = open_chat(browser, app_url)
    try:
        ask(page, "哪个地方的行政复议案件最多？")
        reply = final_reply(page, 0)
        expect(reply.locator(".rag-answer")).to_contain_text("昌平区")
        chart = reply.locator(".rag-chart")
        expect(chart).to_be_visible()
        assert chart.locator(".rag-bar-row").count() >= 2
        expect(chart.locator(".rag-bar-row").first).to_contain_text("昌平区")
        expect(chart.locator(".rag-bar-row").first).to_contain_text("1723件")
        page.screenshot(path=str(ARTIFACTS / "ui-ranking-chart.png"))

        page.locator('button[role="tab"]', has_text="数据").click()
        box = page.locator("#rag-data-metric input")
        box.click()  # the list of measured things, each with how many reports state it
        options = page.get_by_role("option")
        expect(options.first).to_be_visible(timeout=TIMEOUT)
        assert re.search(r"（\d+ 份报告）$", options.first.inner_text().strip()), options.first.inner_text()
        page.keyboard.press("Escape")
        box.fill("行政复议案件")
        page.keyboard.press("Enter")  # no 查询 needed: any change re-queries
        result = page.locator("#rag-data-result")
        expect(result.locator(".rag-chart")).to_be_visible(timeout=TIMEOUT)
        first_row = result.locator("table.rag-facts tbody tr").first
        expect(first_row).to_contain_text("昌平区", timeout=TIMEOUT)
        expect(first_row).to_contain_text("2024")  # year, measure as written and report title in every row
        expect(first_row).to_contain_text("共接收行政复议申请")
        expect(first_row).to_contain_text("北京市昌平区2024年法治政府建设年度情况报告")
        csv_link = page.locator("#rag-data-csv a").first
        expect(csv_link).to_be_visible(timeout=TIMEOUT)
        expect(page.locator("#rag-data-csv")).to_contain_text("数据-行政复议案件-")
        page.locator("#rag-data-sort input").click()
        page.get_by_role("option", name="数值从小到大").click()
        expect(result.locator("table.rag-facts tbody tr").first).not_to_contain_text("昌平区", timeout=TIMEOUT)
        expect(result.locator("table.rag-facts tbody tr").last).to_contain_text("昌平区")
        page.screenshot(path=str(ARTIFACTS / "ui-data-tab.png"), full_page=True)
    finally:
        page.close()


# ---- issue 19: a working day without losing anything ---------------------------------------
class _Slow:
    """The real assistant, but every answer starts 1.5 s late (as an LLM would): time to send another."""

    def __init__(self, assistant, delay=1.5):
        self._a, self._delay = assistant, delay

    def __getattr__(self, name):
        return getattr(self._a, name)

    def ask_stream(self, *args, **kw):
        import time

        time.sleep(self._delay)
        yield from self._a.ask_stream(*args, **kw)


@pytest.fixture(scope="module")
def slow_url(assistant):
    from ui.app import build_app

    with running(build_app(_Slow(assistant))) as url:
        yield url


SECOND = "恩阳区2024年办理行政复议案件多少件？"


def test_a_question_sent_while_answering_is_queued_and_answered_intact(browser, slow_url):
    from playwright.sync_api import expect

    errors: list[str] = []
    page = open_chat(browser, slow_url, errors=errors)
    try:
        stop = page.locator("#rag-stop")
        expect(stop).to_be_disabled()  # nothing to stop yet
        ask(page, GOLD_QUESTION)
        expect(stop).to_be_enabled(timeout=TIMEOUT)
        ask(page, SECOND)  # while the first is still answering
        pending = page.locator("#rag-pending .rag-pending-item")
        expect(pending).to_have_count(1)
        expect(pending).to_contain_text(SECOND)
        ask(page, "这个会被取消吗？")
        expect(pending).to_have_count(2)
        pending.nth(1).locator("button").click()  # a queued question can be cancelled
        expect(pending).to_have_count(1)
        user = page.locator('[data-testid="user"]')
        expect(user).to_have_count(2, timeout=TIMEOUT)
        final_reply(page, 1)
        assert user.all_inner_texts() == [GOLD_QUESTION, SECOND]  # the text as typed, in order
        bot = page.locator('[data-testid="bot"]')
        expect(bot.nth(0).locator(".rag-answer")).to_contain_text("1723")
        expect(bot.nth(1).locator(".rag-answer")).to_contain_text("41")
        expect(pending).to_have_count(0)
        expect(stop).to_be_disabled(timeout=TIMEOUT)  # enabled only while answering
        page.wait_for_timeout(1500)
        expect(user).to_have_count(2)  # the cancelled one was never sent

        # 停止回答 while the answer is pending: the bubble says 已停止, not 「正在检索报告…」 for ever
        ask(page, GOLD_QUESTION)
        expect(stop).to_be_enabled(timeout=TIMEOUT)
        stop.click()
        third = bot.nth(2)
        expect(third).to_contain_text("已停止", timeout=TIMEOUT)
        expect(third.locator(".rag-streaming")).to_have_count(0)
        expect(stop).to_be_disabled(timeout=TIMEOUT)
        page.wait_for_timeout(2500)
        expect(third).to_contain_text("已停止")  # the cancelled answer never comes back over it
        assert not errors, errors
    finally:
        page.close()


# The page's own click on 发送 for a queued question is dropped once, as a busy page can lose it.
DROP_FIRST_QUEUED_SEND = """
(() => {
  const dispatch = EventTarget.prototype.dispatchEvent;
  EventTarget.prototype.dispatchEvent = function (ev) {
    if (ev && ev.__ragQueued && !window.__ragDropped) { window.__ragDropped = true; return true; }
    return dispatch.call(this, ev);
  };
})();
"""


def test_a_queued_question_whose_send_is_lost_is_sent_again_once(browser, slow_url):
    from playwright.sync_api import expect

    errors: list[str] = []
    page = browser.new_page(viewport=DESKTOP, locale="zh-CN")
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.add_init_script(DROP_FIRST_QUEUED_SEND)
    try:
        page.goto(slow_url)
        expect(page.locator("#rag-input textarea")).to_be_visible(timeout=TIMEOUT)
        ask(page, GOLD_QUESTION)
        expect(page.locator("#rag-stop")).to_be_enabled(timeout=TIMEOUT)
        ask(page, SECOND)
        expect(page.locator("#rag-pending .rag-pending-item")).to_have_count(1)
        user = page.locator('[data-testid="user"]')
        expect(user).to_have_count(2, timeout=TIMEOUT)
        assert page.evaluate("window.__ragDropped") is True  # the first send really was lost
        expect(page.locator('[data-testid="bot"]').nth(1).locator(".rag-answer")).to_contain_text("41", timeout=TIMEOUT)
        final_reply(page, 1)
        page.wait_for_timeout(4000)
        assert user.all_inner_texts() == [GOLD_QUESTION, SECOND]  # sent again, and only once
        assert page.locator("#rag-input textarea").input_value() == ""
        assert not errors, errors
    finally:
        page.close()


def test_the_conversation_survives_a_reload_until_cleared(browser, app_url):
    from playwright.sync_api import expect

    context = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    page = context.new_page()
    try:
        page.goto(app_url)
        expect(page.locator("#rag-input textarea")).to_be_visible(timeout=TIMEOUT)
        ask(page, GOLD_QUESTION)
        final_reply(page, 0)
        page.reload()
        user = page.locator('[data-testid="user"]')
        expect(user).to_have_count(1, timeout=TIMEOUT)
        expect(user).to_have_text(GOLD_QUESTION)
        reply = page.locator('[data-testid="bot"]').first
        expect(reply.locator(".rag-card mark")).to_contain_text("1723")
        # a follow-up still reads the restored turn
        ask(page, "那恩阳区呢？")
        expect(page.locator('[data-testid="bot"]').nth(1).locator(".rag-info")).to_contain_text("理解为：恩阳区",
                                                                                            timeout=TIMEOUT)
        final_reply(page, 1)
        # the answer as Markdown: what 「复制」 and 「导出对话」 give
        md = page.evaluate("window.__ragConversationMarkdown()")
        assert md.startswith(f"### 问：{GOLD_QUESTION}") and "1723件" in md and "**来源**" in md and "恩阳区" in md
        with page.expect_download() as dl:
            page.locator("#rag-export").click()
        assert dl.value.suggested_filename.startswith("对话-") and dl.value.suggested_filename.endswith(".md")
        page.locator("#rag-clear").click()
        expect(user).to_have_count(0, timeout=TIMEOUT)
        page.wait_for_timeout(500)
        page.reload()
        expect(page.locator("#rag-input textarea")).to_be_visible(timeout=TIMEOUT)
        page.wait_for_timeout(1500)
        expect(user).to_have_count(0)  # cleared for good
    finally:
        context.close()


def test_phone_has_one_scrolling_area_and_the_report_below_the_chat(browser, app_url):
    from playwright.sync_api import expect

    page = open_chat(browser, app_url, "light", PHONE, has_touch=True, is_mobile=True)
    try:
        ask(page, GOLD_QUESTION)
        reply = final_reply(page, 0)
        inner = page.evaluate("""() => [...document.querySelectorAll('#rag-chatbot *')]
            .filter(e => ['auto', 'scroll'].includes(getComputedStyle(e).overflowY) && e.scrollHeight > e.clientHeight + 2)
            .map(e => e.className).slice(0, 3)""")
        assert inner == [], f"the answer scrolls inside the chat box: {inner}"
        expect(reply.locator(".rag-answer")).to_be_in_viewport()
        reply.locator("a.rag-cite").first.tap()  # a tap shows the quote too
        expect(page.locator("#rag-pop")).to_be_visible()
        expect(page.locator("#rag-pop")).to_contain_text("1723")
        reply.locator("a.rag-src-link").first.tap()
        target = page.locator("#r-changping-2024-1408")
        expect(target).to_be_in_viewport(timeout=TIMEOUT)
        panel, chat = page.locator("#rag-panel").bounding_box(), page.locator("#rag-chatbot").bounding_box()
        assert panel["y"] >= chat["y"] + chat["height"] - 1, (panel, chat)  # below the chat on a phone
        expect(page.locator("#rag-report-view a.rag-back-here")).to_be_in_viewport()
        page.screenshot(path=str(ARTIFACTS / "ui-phone-report.png"))
        page.locator("#rag-report-view a.rag-back-here").tap()
        expect(reply.locator(".rag-card").first).to_be_in_viewport(timeout=TIMEOUT)
        # no English from Gradio itself on the 报告 tab (its upload zone)
        page.get_by_role("tab", name="报告").tap()
        page.wait_for_timeout(500)
        text = page.locator("body").inner_text()
        assert "Drop File Here" not in text and "Click to Upload" not in text
    finally:
        page.close()


def test_the_open_page_follows_a_rag_add_from_another_process_and_a_removal_is_undone(browser, tmp_path, embedder):
    import subprocess
    import sys

    from playwright.sync_api import expect

    from rag.api import Assistant
    from rag.settings import Settings
    from ui.app import build_app

    from .conftest import SEEDS
    from .report_files import DATA

    settings = Settings(seeds_dir=SEEDS, data_dir=tmp_path / "data")
    assistant = Assistant(settings, embedder=embedder)
    assistant.retriever  # the seed index, as `rag chat` builds it before serving
    with running(build_app(assistant, poll_seconds=1.0)) as url:
        page = browser.new_page(viewport={"width": 1280, "height": 1400}, locale="zh-CN")
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        try:
            page.goto(url)
            header = page.locator("#rag-header")
            expect(header).to_contain_text("收录 5 份报告", timeout=TIMEOUT)
            assert "鼓楼区" not in page.locator("#rag-scope").inner_text()
            env = {**os.environ, "RAG_DATA_DIR": str(settings.data_dir), "RAG_SEEDS_DIR": str(SEEDS)}
            done = subprocess.run([sys.executable, "-m", "rag.cli", "add", str(DATA / "gulou-2022.html")],
                                  env=env, capture_output=True, text=True, timeout=300, cwd=ROOT)
            assert done.returncode == 0, done.stderr
            # the open page, untouched: count, scope picker, catalogue, report picker, 数据 filters
            expect(header).to_contain_text("收录 6 份报告", timeout=TIMEOUT)
            expect(page.locator("#rag-scope")).to_contain_text("鼓楼区")
            page.get_by_role("tab", name="报告").click()
            expect(page.locator("#rag-catalogue")).to_contain_text("鼓楼区", timeout=TIMEOUT)
            expect(page.locator("#rag-lib-table")).to_contain_text("鼓楼区-2022", timeout=TIMEOUT)
            expect(page.locator("#rag-lib-files")).to_be_hidden()  # the upload panel folds: the library has reports
            page.get_by_role("tab", name="数据").click()
            page.locator("#rag-data-regions input").click()
            expect(page.get_by_role("option", name="鼓楼区")).to_be_visible(timeout=TIMEOUT)
            page.keyboard.press("Escape")

            # The new report answers on the open page, and its source opens in the panel.
            page.get_by_role("tab", name="问答").click()
            ask(page, "鼓楼区2022年收到行政复议申请多少件？")
            reply = final_reply(page, 0)
            expect(reply.locator(".rag-answer")).to_contain_text("157")
            reply.locator("a.rag-src-link").first.click()
            view = page.locator("#rag-report-view")
            expect(view.locator("section.rag-report")).to_have_attribute("data-doc", "鼓楼区-2022", timeout=TIMEOUT)

            # Removal: asked first, then undone.
            page.get_by_role("tab", name="报告").click()
            page.locator("#rag-lib-doc input").click()
            page.get_by_role("option", name=re.compile("^鼓楼区-2022")).click()
            expect(page.locator("#rag-lib-region textarea, #rag-lib-region input").first).to_have_value(
                "江苏省徐州市鼓楼区", timeout=TIMEOUT)  # the correction form is prefilled
            page.locator("#rag-lib-remove").click()
            confirm = page.locator("#rag-lib-confirm")
            expect(confirm).to_be_visible(timeout=TIMEOUT)
            expect(confirm).to_contain_text("确定删除")
            assert [e["doc_id"] for e in assistant.library_reports()] == ["鼓楼区-2022"]  # nothing removed yet
            page.locator("#rag-lib-confirm-yes").click()
            status = page.locator("#rag-lib-status")
            expect(status).to_contain_text("已删除", timeout=TIMEOUT)
            expect(header).to_contain_text("收录 5 份报告", timeout=TIMEOUT)
            assert assistant.library_reports() == []
            expect(view).to_contain_text("已不在报告库中", timeout=TIMEOUT)  # the open panel says it is gone
            expect(page.locator("#rag-scope")).not_to_contain_text("鼓楼区")
            # its source link no longer pulls the page anywhere: the panel says it is gone, the tab stays
            page.get_by_role("tab", name="问答").click()
            reply.locator("a.rag-src-link").first.click()
            expect(view).to_contain_text("已不在报告库中", timeout=TIMEOUT)
            page.wait_for_timeout(1500)
            expect(page.get_by_role("tab", name="问答")).to_have_attribute("aria-selected", "true")
            page.get_by_role("tab", name="报告").click()
            page.locator("#rag-lib-undo").click()
            expect(status).to_contain_text("已恢复", timeout=TIMEOUT)
            expect(header).to_contain_text("收录 6 份报告", timeout=TIMEOUT)
            assert [e["doc_id"] for e in assistant.library_reports()] == ["鼓楼区-2022"]
            assert assistant.ask("鼓楼区2022年收到行政复议申请多少件？").answered
            page.screenshot(path=str(ARTIFACTS / "library-undo.png"), full_page=True)
            assert not errors, errors
        finally:
            page.close()


ALLOWED_LATIN = {"API", "Gradio", "PDF", "CSV", "OCR", "YYYY", "MM", "DD", "txt", "md", "html", "htm", "docx", "pdf",
                 "Markdown"}


def test_every_visible_string_is_chinese_even_for_an_english_browser(browser, app_url):
    """Gradio's own strings (the upload zone, the footer, table tools) follow the browser's language;
    the page shows them in Chinese whatever it is."""
    from playwright.sync_api import expect

    page = browser.new_page(viewport=DESKTOP, locale="en-US")
    try:
        page.goto(app_url)
        expect(page.locator("#rag-input textarea")).to_be_visible(timeout=TIMEOUT)
        ask(page, GOLD_QUESTION)
        final_reply(page, 0)
        for tab in ("问答", "报告", "数据"):
            page.get_by_role("tab", name=tab).click()
            page.wait_for_timeout(800)
            words = set(re.findall(r"[A-Za-z]{2,}", page.locator("body").inner_text()))
            labels = page.evaluate("""() => [...document.querySelectorAll('[aria-label], [placeholder]')]
                .filter(e => e.offsetParent !== null)
                .map(e => e.getAttribute('aria-label') || e.getAttribute('placeholder'))""")
            label_words = {w for v in labels if not re.fullmatch(r"[\w-]+-\d{4}", v or "")  # doc ids as values
                           for w in re.findall(r"[A-Za-z]{2,}", v or "")}
            assert words <= ALLOWED_LATIN, (tab, words - ALLOWED_LATIN)
            assert label_words <= ALLOWED_LATIN, (tab, label_words - ALLOWED_LATIN)
    finally:
        page.close()
