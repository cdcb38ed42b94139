"""The 问答 tab: layout and handlers. Every answer comes from `Assistant.ask_stream` / `.ask`;
this module only bounds what the client sends, streams the answer and calls `ui.format`."""
from __future__ import annotations

import logging

from rag.question import MAX_QUESTION_CHARS, Conversation, clean_question_with_notice
from rag.errors import QuestionError, RagError

from .format import (
    bound_history,
    catalog_choices,
    checking_html,
    example_questions,
    format_answer_html,
    format_answer_markdown,
    format_error_html,
    history_for_assistant,
    stopped_history,
    thinking_html,
    user_message_html,
    user_text,
    waiting_status,
)
from .ticks import Tick, with_ticks

log = logging.getLogger("ui.app")

FRIENDLY_ERROR = "抱歉，处理这个问题时出现内部错误（已记录日志）。请稍后重试，或换一种问法。"
# Questions answered at once per event; the rest queue. Retrieval is CPU work (the GIL shares
# it), but an LLM call is a wait: several users' LLM waits must overlap.
DEFAULT_CONCURRENCY = 8


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


def _last_user(history):
    for i in range(len(history) - 1, -1, -1):
        if history[i].get("role") == "user":
            return i
    return None


def aligned_conversation(conversation, history) -> Conversation:
    """The session's Conversation (earlier questions as parsed) when it holds one turn per question on
    screen; otherwise (a page restored from the browser, a stopped answer) the turns read from the chat."""
    asked = sum(1 for m in history if isinstance(m, dict) and m.get("role") == "user")
    if isinstance(conversation, Conversation) and len(conversation.turns) == asked:
        return conversation
    return Conversation.from_history(history_for_assistant(history))


def chat_tab(gr, assistant, saved, *, concurrency: int = DEFAULT_CONCURRENCY):
    """Build the 问答 tab inside the current `gr.Blocks`/`gr.Tabs` and wire its events. `saved` is the
    browser's copy of the conversation (a gr.BrowserState): written when an answer completes."""
    settings = assistant.settings
    catalog = assistant.catalog
    llm = settings.llm_configured

    def answer_turn(question, notice, history, conversation, doc_ids, mode):
        """Yield (chat history, still answering?, conversation) while the answer streams in. In LLM mode the
        model's text is not shown until it has been checked against the passages: meanwhile 「正在核对…」.
        The conversation gains the turn (with its parsed query) when the answer is complete."""
        history = bound_history(history)
        previous = aligned_conversation(conversation, history)
        turn = history + [{"role": "user", "content": user_message_html(question)}]
        yield turn + [{"role": "assistant", "content": thinking_html()}], True, previous
        scope = list(doc_ids) if doc_ids else None
        chosen = mode if llm and mode else None
        waits_for_llm = llm and chosen != "extractive"
        try:
            final = None
            stream = assistant.ask_stream(question, previous, doc_ids=scope, mode=chosen)
            for partial in with_ticks(stream):
                if isinstance(partial, Tick):
                    if final is None:
                        status = waiting_status(partial.seconds, waits_for_llm)
                        yield turn + [{"role": "assistant", "content": thinking_html(status)}], True, previous
                    elif final.mode == "llm":
                        yield (turn + [{"role": "assistant", "content": checking_html(final, partial.seconds)}], True,
                               previous)
                    continue
                final = partial
                if partial.mode == "llm":  # unchecked model text: never on screen before grounding
                    reply = checking_html(partial)
                else:  # extractive text is computed from the reports: its lead may show at once
                    reply = format_answer_html(partial, None, [notice], streaming=True)
                yield turn + [{"role": "assistant", "content": reply}], True, previous
            if final is None:
                raise RuntimeError("ask_stream yielded nothing")
            reply = format_answer_html(final, None, [notice], question=question)
            after = previous.then(question, final.query, final.text, final.citations)
        except RagError as exc:  # user-readable by design
            log.warning("question %r: %s", question[:80], exc)
            reply, after = format_error_html(str(exc)), previous.then(question, None, "")
        except Exception:
            log.exception("internal error while answering %r", question[:80])
            reply, after = format_error_html(FRIENDLY_ERROR), previous.then(question, None, "")
        yield turn + [{"role": "assistant", "content": reply}], False, after

    def _outputs(value, answering, conversation, box=None):
        """(box, chat, stop button, saved conversation, parsed conversation): the stop button is live only
        while answering; the conversation is saved in the browser once the answer is complete."""
        stop_state = gr.update(interactive=answering)
        saved_value = gr.skip() if answering else value
        out = (value, stop_state, saved_value, conversation)
        return (box, *out) if box is not None else out

    def submit(message, history, conversation, doc_ids, mode):
        question, notice = prepare(message)
        if question is None:  # empty input: nothing happens
            yield gr.skip(), gr.skip(), gr.skip(), gr.skip(), gr.skip()
            return
        for value, answering, after in answer_turn(question, notice, history or [], conversation, doc_ids, mode):
            yield _outputs(value, answering, after, "")

    def retry(history, conversation, doc_ids, mode):
        history = bound_history(history)
        i = _last_user(history)
        if i is None:
            yield gr.skip(), gr.skip(), gr.skip(), gr.skip()
            return
        question, notice = prepare(user_text(history[i].get("content")))
        if question is None:
            yield gr.skip(), gr.skip(), gr.skip(), gr.skip()
            return
        earlier = aligned_conversation(conversation, history).turns[:sum(1 for m in history[:i] if m.get("role") == "user")]
        for value, answering, after in answer_turn(question, notice, history[:i], Conversation(earlier), doc_ids, mode):
            yield _outputs(value, answering, after)

    def stopped(history):
        """「停止回答」: the answer on screen says it was stopped (and, in LLM mode, not checked)."""
        value = stopped_history(bound_history(history))
        return value, gr.update(interactive=False), value

    def undo(history, conversation):
        history = bound_history(history)
        i = _last_user(history)
        if i is None:
            return gr.skip(), gr.skip(), gr.skip(), gr.skip()
        kept = aligned_conversation(conversation, history).before_last()
        return history[:i], user_text(history[i].get("content")), history[:i], kept

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

    with gr.Tab("问答", id="chat", elem_id="rag-tab-chat"):
        with gr.Row(equal_height=False, elem_id="rag-chat-row"):
            with gr.Column(scale=3, elem_id="rag-chat-col"):
                chatbot = gr.Chatbot(
                    label="对话", show_label=False, elem_id="rag-chatbot", height="68vh", min_height=380,
                    autoscroll=False,  # the page script scrolls to the answer's start, not past it
                    buttons=[], latex_delimiters=[],  # each answer has its own 「复制」 (Markdown)
                    placeholder="### 请提问\n例如各区县的行政复议、执法、营商环境等数据与做法；可以追问。",
                    feedback_options=None,
                )
                with gr.Row(elem_id="rag-input-row"):
                    textbox = gr.Textbox(
                        placeholder=f"输入问题，按回车发送（最多 {MAX_QUESTION_CHARS} 字）；回答时可继续输入，将排队发送",
                        label="问题", show_label=False, lines=1, max_lines=5, scale=6, autofocus=True, elem_id="rag-input",
                    )
                    send = gr.Button("发送", variant="primary", scale=1, min_width=70, elem_id="rag-send")
                # questions sent while an answer streams wait here (the page script keeps them)
                gr.HTML('<div id="rag-pending" aria-live="polite"></div>', container=False, padding=False,
                        apply_default_css=False, elem_id="rag-pending-box")
                with gr.Row(elem_id="rag-actions"):
                    stop = gr.Button("停止回答", size="sm", variant="stop", interactive=False, elem_id="rag-stop")
                    retry_btn = gr.Button("重新回答", size="sm", elem_id="rag-retry")
                    undo_btn = gr.Button("撤回上一问", size="sm", elem_id="rag-undo")
                    clear_btn = gr.Button("清空对话", size="sm", elem_id="rag-clear")
                    export_btn = gr.Button("导出对话", size="sm", elem_id="rag-export")
                gr.Examples(example_questions(catalog), inputs=[textbox], label="示例问题（点击填入）")
            with gr.Column(scale=1, min_width=240, elem_id="rag-side"):
                with gr.Accordion("限定检索范围与回答方式", open=True, elem_id="rag-side-box"):
                    scope = gr.CheckboxGroup(
                        catalog_choices(catalog), value=[], label="限定检索的报告",
                        info="不选则检索全部报告；问题中的地区、年份也会自动识别。", elem_id="rag-scope",
                    )
                    mode = gr.Radio(
                        [(f"大模型（{settings.llm_model or '默认模型'}）", "llm"), ("离线摘录", "extractive")],
                        value="llm", label="回答方式", visible=llm, elem_id="rag-mode",
                        info="大模型失败时自动改用离线摘录；每个答案上方标明实际的回答方式。",
                    )
                gr.Markdown("答案中的 **[1]** 显示引文并跳到对应的来源卡片；卡片中的 **在报告中查看 ›** 在旁边打开报告原文。"
                            "对话保存在本浏览器中，刷新页面后仍在；「清空对话」同时清除保存的记录。",
                            elem_classes=["rag-muted"])

        # wired inside the tab: gr.Tabs may hold only gr.Tab children
        hidden = {"api_visibility": "undocumented", "concurrency_limit": concurrency,
                  "concurrency_id": "answers"}
        # The earlier questions as parsed, for follow-ups (「这两个加起来」): kept per browser session.
        conversation = gr.State(Conversation())
        ask_inputs = [textbox, chatbot, conversation, scope, mode]
        answer_out = [chatbot, stop, saved, conversation]
        # A question sent in the instant between an answer's last update and its end would be dropped by
        # Gradio's default trigger mode ("once"); "always_last" sends it once the answer has ended.
        events = [
            textbox.submit(submit, ask_inputs, [textbox, *answer_out], trigger_mode="always_last", **hidden),
            send.click(submit, ask_inputs, [textbox, *answer_out], trigger_mode="always_last", **hidden),
            retry_btn.click(retry, [chatbot, conversation, scope, mode], answer_out, **hidden),
            chatbot.retry(retry, [chatbot, conversation, scope, mode], answer_out, **hidden),
        ]
        stop.click(stopped, [chatbot], [chatbot, stop, saved], cancels=events, queue=False,
                   api_visibility="undocumented")
        undo_btn.click(undo, [chatbot, conversation], [chatbot, textbox, saved, conversation],
                       api_visibility="undocumented")
        chatbot.undo(undo, [chatbot, conversation], [chatbot, textbox, saved, conversation],
                     api_visibility="undocumented")
        clear_btn.click(lambda: ([], "", [], Conversation()), None, [chatbot, textbox, saved, conversation], queue=False,
                        api_visibility="undocumented", js="() => { window.__ragClearPending && window.__ragClearPending(); return []; }")
        export_btn.click(None, None, None, js="() => { window.__ragExport && window.__ragExport(); }",
                         api_visibility="undocumented")
        gr.api(chat, api_name="chat", concurrency_limit=concurrency, concurrency_id="answers")
    return scope, chatbot  # scope's choices follow the library; chatbot is restored from `saved` on load
