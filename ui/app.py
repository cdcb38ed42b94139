"""The Gradio app: a 问答 tab (streaming answers with source cards) and a 报告 tab.

Thin on purpose: every answer comes from `Assistant.ask_stream` / `.ask`; this module only
wires components and calls the formatters in `ui.format`.
"""
import html
import ipaddress
import logging
import os
import sys

from rag.answer.question import MAX_QUESTION_CHARS, clean_question_with_notice
from rag.errors import QuestionError, RagError

from .assets import CSS, LINKS_JS
from .format import (
    catalog_choices,
    example_questions,
    format_answer_html,
    format_answer_markdown,
    format_error_html,
    history_for_assistant,
    message_text,
    report_anchors,
    reports_page_html,
    thinking_html,
)

log = logging.getLogger(__name__)

TITLE = "法治政府建设年度报告问答"
FRIENDLY_ERROR = "抱歉，处理这个问题时出现内部错误（已记录日志）。请稍后重试，或换一种问法。"


def _quiet_gradio_env() -> None:
    """No analytics or telemetry: must run before gradio is imported."""
    os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
    os.environ["HF_HUB_DISABLE_TELEMETRY"] = "1"


def build_app(assistant):
    """The whole UI over one `Assistant`. Returns a `gr.Blocks` (not launched)."""
    _quiet_gradio_env()
    import gradio as gr

    catalog = assistant.catalog
    corpus = assistant.corpus
    reports = corpus.by_id()
    anchors = {doc_id: report_anchors(r) for doc_id, r in reports.items()}
    settings = assistant.settings
    llm = settings.llm_configured

    # ---- handlers (all answer logic lives in the Assistant) ----------------
    def answer_turn(question, notice, history, doc_ids, mode):
        """Yield the chat history while the answer streams in."""
        turn = list(history) + [{"role": "user", "content": html.escape(question)}]
        yield turn + [{"role": "assistant", "content": thinking_html()}]
        previous = history_for_assistant(history)
        scope = list(doc_ids) if doc_ids else None
        chosen = mode if llm and mode else None
        try:
            final = None
            for partial in assistant.ask_stream(question, previous, doc_ids=scope, mode=chosen):
                final = partial
                reply = format_answer_html(partial, anchors, [notice], streaming=True)
                yield turn + [{"role": "assistant", "content": reply}]
            if final is None:
                raise RuntimeError("ask_stream yielded nothing")
            reply = format_answer_html(final, anchors, [notice])
        except RagError as exc:  # user-readable by design
            log.warning("question %r: %s", question[:80], exc)
            reply = format_error_html(str(exc))
        except Exception:
            log.exception("internal error while answering %r", question[:80])
            reply = format_error_html(FRIENDLY_ERROR)
        yield turn + [{"role": "assistant", "content": reply}]

    def prepare(message):
        """The question as typed (cut at the limit, with a notice); None when there is nothing to ask."""
        try:
            clean_question_with_notice(message, MAX_QUESTION_CHARS)  # the assistant's own hygiene rules
        except QuestionError:
            return None, None
        question = str(message).strip()
        if len(question) > MAX_QUESTION_CHARS:
            return question[:MAX_QUESTION_CHARS], f"问题过长，已截取前 {MAX_QUESTION_CHARS} 个字符。"
        return question, None

    def submit(message, history, doc_ids, mode):
        question, notice = prepare(message)
        if question is None:  # empty input: nothing happens
            yield gr.skip(), gr.skip()
            return
        for value in answer_turn(question, notice, history or [], doc_ids, mode):
            yield "", value

    def _last_user(history):
        for i in range(len(history) - 1, -1, -1):
            if history[i].get("role") == "user":
                return i
        return None

    def retry(history, doc_ids, mode):
        history = list(history or [])
        i = _last_user(history)
        if i is None:
            yield gr.skip()
            return
        question, notice = prepare(html.unescape(message_text(history[i].get("content"))))
        if question is None:
            yield gr.skip()
            return
        yield from answer_turn(question, notice, history[:i], doc_ids, mode)

    def undo(history):
        history = list(history or [])
        i = _last_user(history)
        if i is None:
            return gr.skip(), gr.skip()
        return history[:i], html.unescape(message_text(history[i].get("content")))

    def chat(question: str, doc_ids: list[str] | None = None, mode: str | None = None) -> str:
        """回答一个问题（单轮），返回 Markdown：答案、回答方式、提示与引文来源。"""
        try:
            question, notice = prepare(question)
            if question is None:
                raise QuestionError("问题不能为空。")
            answer = assistant.ask(question, [], doc_ids=list(doc_ids) if doc_ids else None,
                                   mode=(mode or None) if llm else None)
        except RagError as exc:
            raise gr.Error(str(exc)) from None
        except Exception:
            log.exception("internal error in /chat for %r", str(question)[:80])
            raise gr.Error(FRIENDLY_ERROR) from None
        return format_answer_markdown(answer, [notice])

    # ---- layout --------------------------------------------------------------
    with gr.Blocks(title=TITLE) as demo:
        gr.HTML(f"<style>{CSS}</style>", js_on_load=LINKS_JS,
                elem_id="rag-glue", container=False, padding=False, apply_default_css=False)
        mode_text = f"大模型 {settings.llm_model}" if llm and settings.llm_model else ("大模型" if llm else "离线摘录")
        gr.Markdown(f"# {TITLE}\n依据各地《法治政府建设年度报告》原文作答，每个答案都附有可核对的出处。"
                    f"当前回答方式：**{mode_text}**；收录 {len(reports)} 份报告。", elem_id="rag-header")
        with gr.Tabs(elem_id="rag-tabs"):
            with gr.Tab("问答", id="chat", elem_id="rag-tab-chat"):
                with gr.Row(equal_height=False):
                    with gr.Column(scale=3):
                        chatbot = gr.Chatbot(
                            label="对话", elem_id="rag-chatbot", height="72vh", min_height=420,
                            autoscroll=True, buttons=["copy"],
                            placeholder="### 请提问\n例如各区县的行政复议、执法、营商环境等数据与做法；可以追问。",
                            feedback_options=None,
                        )
                        with gr.Row():
                            textbox = gr.Textbox(
                                placeholder=f"输入问题，按回车发送（最多 {MAX_QUESTION_CHARS} 字）",
                                show_label=False, lines=1, max_lines=5, scale=6, autofocus=True,
                                elem_id="rag-input",
                            )
                            send = gr.Button("发送", variant="primary", scale=1, min_width=80, elem_id="rag-send")
                        with gr.Row():
                            retry_btn = gr.Button("重新回答", size="sm", elem_id="rag-retry")
                            undo_btn = gr.Button("撤回上一问", size="sm", elem_id="rag-undo")
                            clear_btn = gr.Button("清空对话", size="sm", elem_id="rag-clear")
                        gr.Examples(example_questions(catalog), inputs=[textbox], label="示例问题（点击填入）")
                    with gr.Column(scale=1, min_width=240):
                        scope = gr.CheckboxGroup(
                            catalog_choices(catalog), value=[], label="限定检索的报告",
                            info="不选则检索全部报告；问题中的地区、年份也会自动识别。", elem_id="rag-scope",
                        )
                        mode = gr.Radio(
                            [(f"大模型（{settings.llm_model or '默认模型'}）", "llm"), ("离线摘录", "extractive")],
                            value="llm", label="回答方式", visible=llm, elem_id="rag-mode",
                            info="大模型失败时自动改用离线摘录。",
                        )
                        gr.Markdown("来源卡片中的 **在报告中查看 ›** 会跳到「报告」页中的原文位置。",
                                    elem_classes=["rag-muted"])
            with gr.Tab("报告", id="reports", elem_id="rag-tab-reports"):
                if hasattr(assistant, "add_reports"):  # issue 11: users' own reports (fakes have none)
                    from .library_tab import build_library_tab

                    build_library_tab(assistant)
                gr.HTML(reports_page_html(catalog, reports, [str(e) for e in corpus.errors]),
                        elem_id="rag-reports", apply_default_css=False)

        # ---- events ----------------------------------------------------------
        hidden = {"api_visibility": "undocumented"}
        ask_inputs = [textbox, chatbot, scope, mode]
        textbox.submit(submit, ask_inputs, [textbox, chatbot], **hidden)
        send.click(submit, ask_inputs, [textbox, chatbot], **hidden)
        retry_btn.click(retry, [chatbot, scope, mode], [chatbot], **hidden)
        chatbot.retry(retry, [chatbot, scope, mode], [chatbot], **hidden)
        undo_btn.click(undo, [chatbot], [chatbot, textbox], **hidden)
        chatbot.undo(undo, [chatbot], [chatbot, textbox], **hidden)
        clear_btn.click(lambda: ([], ""), None, [chatbot, textbox], queue=False, **hidden)
        gr.api(chat, api_name="chat")
    return demo


# ---- launching -------------------------------------------------------------
def _is_loopback(host: str) -> bool:
    if host in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _auth_from_env(env=None):
    """RAG_AUTH=user:password → (user, password); None when unset."""
    value = (os.environ if env is None else env).get("RAG_AUTH", "").strip()
    if not value:
        return None
    user, sep, password = value.partition(":")
    if not sep or not user or not password:
        raise ValueError("RAG_AUTH 的格式应为 用户名:密码。")
    return user, password


def launch(settings=None, host: str = "127.0.0.1", port: int = 7860) -> int:
    """Start the web UI (blocking) for `rag chat`; returns an exit code."""
    _quiet_gradio_env()
    from rag.api import Assistant
    from rag.progress import console_progress

    root = logging.getLogger()
    if not root.handlers:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
        root.handlers[0].setLevel(logging.INFO)  # libraries that set their own loggers to DEBUG stay quiet
        logging.getLogger("httpx").setLevel(logging.WARNING)  # gradio's own startup probes
    auth = None
    if not _is_loopback(host):
        try:
            auth = _auth_from_env()
        except ValueError as exc:
            print(f"错误：{exc}", file=sys.stderr)
            return 2
        if auth is None:
            log.warning("监听 %s（非本机地址）但未设置 RAG_AUTH=用户名:密码，任何能访问该地址的人都可以使用本服务。", host)
    assistant = Assistant(settings, progress=console_progress())
    try:
        print("正在加载索引（首次运行会先建立索引）…", file=sys.stderr, flush=True)
        assistant.retriever  # opens the index, building it first when there is none
        demo = build_app(assistant)
    except RagError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 1
    try:
        demo.launch(server_name=host, server_port=port, share=False, auth=auth, inbrowser=False,
                    prevent_thread_lock=True, quiet=True, footer_links=["api"])
    except OSError as exc:
        print(f"错误：无法在 {host}:{port} 启动网页服务：{exc}", file=sys.stderr)
        return 1
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    url = f"http://{'[' + shown + ']' if ':' in shown else shown}:{demo.server_port or port}/"
    where = "" if shown == host else f"（监听 {host}:{demo.server_port or port}）"
    print(f"{TITLE} 已启动：{url}{where}  按 Ctrl+C 退出。", flush=True)
    demo.block_thread()
    return 0
