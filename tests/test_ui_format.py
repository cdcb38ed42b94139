"""ui.format: answers, citations and reports → HTML/Markdown, tested without a browser."""
from __future__ import annotations

import html
import re
import sys

import pytest

from rag.corpus import load_corpus
from rag.types import Answer, Citation
from ui import format as fmt
from ui import report_format as rfmt

from .conftest import SEEDS

PASSAGE = ("一是发挥行政复议主渠道作用,打造“复议+调解”品牌矩阵。"
           "2024年共接收行政复议申请1723件,同比增长48.2%。二是提升矛盾源头预防治理水平。")
QUOTE = "2024年共接收行政复议申请1723件,同比增长48.2%。"


def cite(**kw) -> Citation:
    start = PASSAGE.index(QUOTE) + 1000
    base = dict(doc_id="changping-2024", title="北京市昌平区2024年法治政府建设年度情况报告",
                section="一、主要举措 › (五)坚持优化法治服务", text=QUOTE, start=start,
                end=start + len(QUOTE), score=0.9, passage=PASSAGE)
    base.update(kw)
    return Citation(**base)


def answer(**kw) -> Answer:
    base = dict(question="昌平区2024年共接收行政复议申请多少件？", text="1723件。\n依据[1]：「…」",
                answered=True, citations=[cite()], mode="extractive")
    base.update(kw)
    return Answer(**base)


@pytest.fixture(scope="module")
def corpus():
    return load_corpus(SEEDS)


def visible_text(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


# ---- answers ------------------------------------------------------------------
def test_quote_is_highlighted_inside_its_passage():
    out = fmt.highlight(PASSAGE, QUOTE)
    assert out.count("<mark>") == 1
    assert f"<mark>{html.escape(QUOTE)}</mark>" in out
    assert "复议+调解" in html.unescape(out)  # the passage around the quote is kept


def test_long_passage_is_trimmed_around_the_quote():
    passage = "甲" * 1000 + QUOTE + "乙" * 1000
    out = fmt.highlight(passage, QUOTE, context=50)
    assert out.startswith("…") and out.endswith("…")
    assert visible_text(out).count("甲") == 50 and visible_text(out).count("乙") == 50


def test_quote_missing_from_passage_is_still_shown_marked():
    assert fmt.highlight("完全不同的段落。", "引文。") == "<mark>引文。</mark>"
    assert fmt.highlight("", QUOTE) == f"<mark>{QUOTE}</mark>"
    assert fmt.highlight(" 前文。引文。", " 引文。 ").count("<mark>引文。</mark>") == 1


def test_report_text_is_escaped_everywhere():
    evil = "<script>alert(1)</script>"
    c = cite(title=f"标题{evil}", section=f"章节{evil}", passage=f"前{evil}后。{QUOTE}", text=QUOTE)
    out = fmt.format_answer_html(answer(text=f"答案{evil}", citations=[c], notice=evil))
    assert "<script>" not in out
    assert out.count("&lt;script&gt;") == 5  # answer, notice, title, section, passage
    md = fmt.format_answer_markdown(answer(text=f"答案{evil}", citations=[c]))
    assert "<script>" not in md


def test_highlight_escapes_quote_and_keeps_line_breaks():
    out = fmt.highlight("第一行\n<b>第二行</b>", "<b>第二行</b>")
    assert out == "第一行<br><mark>&lt;b&gt;第二行&lt;/b&gt;</mark>"


def test_mode_badge_extractive_and_llm():
    assert "离线摘录" in fmt.mode_badge(answer())
    llm = answer(mode="llm", model="qwen-plus")
    assert "qwen-plus" in fmt.mode_badge(llm) and "rag-badge-llm" in fmt.mode_badge(llm)
    assert fmt.mode_label(answer(mode="llm", model=None)) == "大模型"
    assert "*qwen-plus*" in fmt.format_answer_markdown(llm)


def test_notices_are_shown_once_each():
    out = fmt.format_answer_html(answer(notice="理解为：恩阳区共接收行政复议申请多少件"),
                                 notices=["问题过长，已截取前 500 个字符。", None, "问题过长，已截取前 500 个字符。"])
    assert out.count('class="rag-notice"') == 1  # the cut question: a warning
    assert out.count('class="rag-info"') == 1  # the follow-up rewrite: information, not a warning
    assert re.search(r'class="rag-info">理解为：恩阳区', out) and "问题过长" in out
    md = fmt.format_answer_markdown(answer(notice="注意"), notices=["截取"])
    assert "> ⚠️ 截取" in md and "> ⚠️ 注意" in md


def test_answer_html_has_badge_text_and_a_card_per_citation():
    second = cite(doc_id="enyang-2024", title="恩阳区报告", start=5, end=9)
    out = fmt.format_answer_html(answer(citations=[cite(), second]))
    assert "\n" not in out  # one HTML block: a Markdown renderer must not split it
    assert out.count('class="rag-card rag-card-') == 2
    assert "来源（2）" in out and "1723件。<br>依据" in out
    # the [1] marker links to card 1 and shows the quote on hover
    marker = re.search(r'<a class="rag-cite" href="#cite-1" title="([^"]+)">\[1\]</a>', out)
    assert marker and QUOTE[:20] in html.unescape(marker.group(1))
    assert 'class="rag-card rag-card-1"' in out and 'class="rag-card rag-card-2"' in out
    assert 'href="#open/changping-2024/' in out and 'href="#open/enyang-2024/5/r-enyang-2024-5"' in out
    assert "第 5–9 字" in out  # offsets kept for tools (href and title), not shown as the place
    assert out.count('class="rag-card-section"') == 2  # where the quote stands, in words


def test_unanswered_answer_lists_related_passages():
    out = fmt.format_answer_html(answer(answered=False, text="报告中未找到……"))
    assert "最接近的段落" in out and "仅供参考" in out and "（1）" in out
    assert "<mark>" not in out and "rag-refusal" in out  # nearest passages are not evidence: no highlight
    assert "2024年共接收行政复议申请1723件" in visible_text(out)
    assert "来源" not in fmt.format_answer_html(answer(answered=False, citations=[]))


def test_streaming_flag_and_error_message():
    assert "rag-streaming" in fmt.format_answer_html(answer(citations=[]), streaming=True)
    err = fmt.format_error_html("出错了 <b>x</b>")
    assert "rag-error" in err and "&lt;b&gt;" in err


def test_markdown_answer_lists_sources():
    md = fmt.format_answer_markdown(answer())
    assert md.startswith("1723件。")
    assert "**来源**" in md
    assert "1. 《北京市昌平区2024年法治政府建设年度情况报告》 · " in md
    assert f"「{QUOTE}」" in md and "（第 " in md


# ---- anchors and links ------------------------------------------------------------
def test_card_links_to_the_nearest_anchor_before_the_quote():
    c = cite(start=1408, end=1452)
    assert 'href="#open/changping-2024/1408/r-changping-2024-1400"' in fmt.source_card(
        c, 1, {"changping-2024": [0, 1300, 1400, 1500]})
    assert 'href="#open/changping-2024/1408/r-changping-2024-1408"' in fmt.source_card(c, 1)  # no anchors: the offset
    assert fmt.open_href("a/b c") == "#open/a%2Fb%20c"  # any doc_id survives the trip
    assert fmt.nearest_anchor([10, 20], 5) == 10
    assert fmt.nearest_anchor([10, 20], 20) == 20


def test_anchor_ids_are_safe():
    assert fmt.anchor_id("changping-2024", 12) == "r-changping-2024-12"
    assert fmt.anchor_id('a"b <c>', 3) == "r-a_b__c_-3"


def test_every_citation_start_of_the_real_reports_lands_on_an_anchor(corpus):
    """Sentence starts are anchors, so a quote that starts a sentence links to itself."""
    from rag.text.sentences import sentence_spans

    for report in corpus.reports:
        anchors = fmt.report_anchors(report)
        page = rfmt.fulltext_html(report, anchors=anchors)
        for a in anchors:
            assert f'id="{fmt.anchor_id(report.doc_id, a)}"' in page
        text = report.text
        for a, b in sentence_spans(text, 0, len(text)):
            a += len(text[a:b]) - len(text[a:b].lstrip(" \t\r\n\u3000"))
            if a < b:
                assert fmt.nearest_anchor(anchors, a) == a


def test_fulltext_keeps_the_whole_original_text(corpus):
    for report in corpus.reports:
        page = rfmt.fulltext_html(report)
        shown = visible_text(page)
        squash = re.compile(r"\s+")
        assert squash.sub("", shown) == squash.sub("", report.text)
        assert page.count('class="rag-p rag-h1"') >= 2


def test_web_residue_line_is_marked(corpus):
    page = rfmt.fulltext_html(corpus.by_id()["zhangziying-2023"])
    residue = re.search(r'<p class="rag-p rag-residue">(.*?)</p>', page).group(1)
    assert "来源" in visible_text(residue)


def test_outline_is_a_tree_of_links_to_anchors(corpus):
    report = corpus.by_id()["changping-2024"]
    out = rfmt.outline_html(report)
    assert out.startswith('<nav class="rag-outline"><ul><li>')
    first = re.search(r'<li><a class="rag-outline-link" href="#(r-[^"]+)">([^<]+)</a><ul>', out)
    assert first and first.group(2) == "一、2024年法治政府建设主要举措和成效"
    assert f'id="{first.group(1)}"' in rfmt.fulltext_html(report)
    assert "(五)坚持优化法治服务,保障基层法治供给" in out
    assert "一是" not in out  # items stay out of the outline by default


def test_traditional_report_outline_keeps_original_script(corpus):
    out = rfmt.outline_html(corpus.by_id()["tongzhou-2020"])
    assert "法治政府建設" in out


def test_catalogue_lists_every_report_without_its_text(corpus):
    page = rfmt.catalogue_html(corpus.catalog, corpus.by_id(), ["某报告无法读取"])
    for e in corpus.catalog:
        assert f'href="#open/{e.doc_id}"' in page and html.escape(e.title) in page
    assert "某报告无法读取" in page
    assert "1723件" not in page  # no report text until a report is opened
    assert "（未能加载）" in rfmt.catalogue_html(corpus.catalog, [])


def test_opened_report_has_entry_outline_text_and_a_way_back(corpus):
    report = corpus.by_id()["tongzhou-2020"]
    page = rfmt.report_view_html(report, loaded_at=7)
    assert f'id="{fmt.report_dom_id(report.doc_id)}"' in page and 'data-loaded="7"' in page
    assert "2020" in page and "繁体" in page and 'class="rag-back"' in page
    assert "rag-outline" in page and "rag-fulltext" in page
    assert "选择一份报告" in rfmt.report_view_html(None)
    assert "已不在报告库中" in rfmt.report_view_html(None, "gone-2020")


def test_heading_sharing_its_line_with_text_styles_only_the_heading(tmp_path):
    from rag.types import CatalogEntry, Report

    text = "某区2024年法治政府建设情况\n一、主要举措。全年办理案件12件，比上年增加。\n二、存在的问题\n人员不足。\n"
    entry = CatalogEntry(doc_id="x-2024", file="x.txt", title="某区报告", region="某区", aliases=(),
                         level="district", parent="某市", year=2024, published=None, script="simplified")
    page = rfmt.fulltext_html(Report(entry, text, text, "0"))
    shared = re.search(r'<p class="([^"]+)">(<span class="rag-s rag-hs rag-hs1"[^>]*>一、主要举措。</span>.*?)</p>', page)
    assert shared and shared.group(1) == "rag-p", page  # the paragraph itself is not bold
    assert "全年办理案件12件" in shared.group(2)
    assert re.search(r'<p class="rag-p rag-h1"><span class="rag-s"[^>]*>二、存在的问题</span></p>', page), page


# ---- chat history, catalogue, examples --------------------------------------------
def test_history_for_assistant_keeps_plain_text():
    reply = fmt.format_answer_html(answer(text="1723件。\n依据[1]：「A&B」"))
    history = [
        {"role": "user", "content": "昌平区2024年共接收行政复议申请多少件？"},
        {"role": "assistant", "content": reply},
        {"role": "user", "content": [{"type": "text", "text": "那恩阳区呢？"}]},
        {"role": "assistant", "content": [{"type": "text", "text": fmt.format_error_html("出错")}]},
        {"role": "user", "content": "   "},
        {"role": "system", "content": "x"},
    ]
    assert fmt.history_for_assistant(history) == [
        {"role": "user", "content": "昌平区2024年共接收行政复议申请多少件？"},
        {"role": "assistant", "content": "1723件。\n依据[1]：「A&B」"},
        {"role": "user", "content": "那恩阳区呢？"},
    ]
    assert fmt.history_for_assistant(None) == []


def test_history_user_text_is_unescaped():
    """The chat shows the user's question escaped; the assistant gets it back as typed."""
    msgs = [{"role": "user", "content": html.escape("A<B & C")}]
    assert fmt.history_for_assistant(msgs) == [{"role": "user", "content": "A<B & C"}]


def test_catalog_choices_and_examples(corpus):
    choices = fmt.catalog_choices(corpus.catalog)
    assert ("昌平区（2024）", "changping-2024") in choices
    assert sorted(v for _, v in choices) == sorted(e.doc_id for e in corpus.catalog)
    examples = fmt.example_questions(corpus.catalog)
    assert examples[:3] == ["昌平区2024年共接收行政复议申请多少件？", "通州区2020年黑名单有多少家？",
                            "恩阳区给企业兑现了多少惠企政策资金？"]
    assert len(examples) == len({q for q in examples}) <= 6
    only_xicheng = [e for e in corpus.catalog if e.doc_id == "xicheng-2023"]
    assert fmt.example_questions(only_xicheng) == ["西城区2023年法治政府建设有哪些主要举措？"]


def test_format_module_does_not_import_gradio():
    assert "gradio" not in getattr(fmt, "__dict__", {})
    src = open(fmt.__file__, encoding="utf-8").read()
    assert "import gradio" not in src and "from gradio" not in src
    assert sys.modules.get("ui.format") is fmt


def test_markers_without_a_citation_stay_text():
    out = fmt.link_markers("见[1]与[3]", [cite()])
    assert out.count("rag-cite") == 1 and out.endswith("与[3]")


# ---- what the user typed is text -------------------------------------------------
@pytest.mark.parametrize("typed", [
    "![q](http://127.0.0.1:8999/x.png)", "<img src=x onerror=alert(1)>", "**粗体** [链接](http://a) `代码` $x$",
    "第一行\n\n第二行 # 标题",
])
def test_user_message_is_one_escaped_block_and_round_trips(typed):
    out = fmt.user_message_html(typed)
    assert out.startswith('<div class="rag-question">') and "\n" not in out  # no blank line ends the HTML block
    assert "<img" not in out and "<a" not in out
    assert fmt.user_text(out) == typed
    assert fmt.history_for_assistant([{"role": "user", "content": out}]) == [{"role": "user", "content": typed.strip()}]


def test_history_is_bounded_in_turns_and_characters():
    turns = [{"role": "user" if i % 2 == 0 else "assistant", "content": f"第{i}条"} for i in range(4000)]
    kept = fmt.bound_history(turns)
    assert len(kept) == fmt.MAX_HISTORY_MESSAGES and kept[-1] == turns[-1]
    big = [{"role": "user", "content": "长" * 50_000}, {"role": "user", "content": "短"}, {"role": "user", "content": "长" * 50_000}]
    assert fmt.bound_history(big) == big[1:]  # whole messages, newest first, within the character budget
    assert fmt.bound_history("not a list") == [] and fmt.bound_history([1, None, {"role": "user", "content": "x"}]) == [
        {"role": "user", "content": "x"}]


def test_waiting_status_names_the_llm_and_the_time():
    assert fmt.waiting_status(0.4, llm=True) == "正在检索报告…"
    assert fmt.waiting_status(12.7, llm=True) == "正在等待大模型…（已等待 12 秒）"
    assert "大模型" not in fmt.waiting_status(5, llm=False)


# ---- stopping, checking, Markdown copies (issue 19 item 1–2, issue 20 finding 3) -------------
def test_a_stopped_answer_says_so():
    status = [{"role": "user", "content": "问"}, {"role": "assistant", "content": fmt.thinking_html()}]
    out = fmt.stopped_history(status)
    assert fmt.STOPPED in out[-1]["content"] and "rag-streaming" not in out[-1]["content"]
    assert "正在检索" not in out[-1]["content"]

    lead = fmt.format_answer_html(answer(citations=[]), streaming=True)
    out = fmt.stopped_history([{"role": "user", "content": "问"}, {"role": "assistant", "content": lead}])
    assert "1723件" in out[-1]["content"] and fmt.STOPPED_PARTIAL in out[-1]["content"]
    assert "rag-streaming" not in out[-1]["content"]

    checking = fmt.checking_html(answer(text="共9999件[9"))
    assert "9999" not in checking and "正在核对" in checking
    out = fmt.stopped_history([{"role": "user", "content": "问"}, {"role": "assistant", "content": checking}])
    assert fmt.STOPPED_UNCHECKED in out[-1]["content"]

    done = [{"role": "user", "content": "问"}, {"role": "assistant", "content": fmt.format_answer_html(answer())}]
    assert fmt.stopped_history(done) == done  # finished before the click: unchanged
    # a stopped turn is not fed back to the assistant as an answer
    assert fmt.history_for_assistant(fmt.stopped_history(status)) == [{"role": "user", "content": "问"}]


def test_each_answer_carries_its_markdown_for_copy_and_export():
    out = fmt.format_answer_html(answer(citations=[cite()]))
    block = re.search(r'<div class="rag-md">(.*?)</div>', out).group(1)
    assert "\n" not in out  # one HTML block, so the chat's Markdown renderer passes it through
    md = html.unescape(block)
    assert md.startswith("### 问：") and "1723件" in md and "**来源**" in md and f"第 {cite().start}–" in md
    assert 'href="#rag-copy"' in out
    assert "rag-md" not in fmt.format_answer_html(answer(), streaming=True)
