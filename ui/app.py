"""The Gradio app: a header, then tabs, each built by a small function in its own module
(`ui.chat_tab`, `ui.reports_tab`); add a tab by writing `xxx_tab(gr, assistant)` and calling it
in `build_app`. Thin on purpose: answers and report texts come from the `Assistant`.
"""
import ipaddress
import logging
import os
import socket
import sys

from rag.errors import RagError

from .assets import CSS, LINKS_JS
from .chart import CHART_CSS
from .chat_tab import DEFAULT_CONCURRENCY, FRIENDLY_ERROR, chat_tab
from .data_tab import data_tab
from .access import AccessGuard, RateLimiter, allowed_hosts, rate_from_env
from .format import bound_history, catalog_choices
from .login import LoginGuard
from .report_format import report_view_html
from .reports_tab import current_listing, reports_tab

log = logging.getLogger(__name__)

TITLE = "法治政府建设年度报告问答"
__all__ = ["FRIENDLY_ERROR", "TITLE", "build_app", "launch"]


def _quiet_gradio_env() -> None:
    """No analytics or telemetry: must run before gradio is imported."""
    os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
    os.environ["HF_HUB_DISABLE_TELEMETRY"] = "1"


def header_markdown(settings, report_count: int) -> str:
    """The configured way of answering; each answer's badge shows the way actually used
    (an LLM failure falls back to 离线摘录 for that answer only)."""
    if settings.llm_configured:
        model = f"大模型 {settings.llm_model}" if settings.llm_model else "大模型"
        how = f"默认回答方式：**{model}**（失败时自动改用离线摘录，每个答案上方标明实际方式）"
    else:
        how = "回答方式：**离线摘录**（未配置大模型）"
    return (f"# {TITLE}\n依据各地《法治政府建设年度报告》原文作答，每个答案都附有可核对的出处。"
            f"{how}；收录 {report_count} 份报告。")


POLL_SECONDS = 3.0  # how often an open page asks whether the library changed (one stat call per page)


def library_stamp(assistant):
    """A cheap value that changes whenever the library or the live index does (None for test fakes)."""
    stamp = getattr(assistant, "library_stamp", None)
    return stamp() if callable(stamp) else None


def build_app(assistant, *, concurrency: int = DEFAULT_CONCURRENCY, poll_seconds: float = POLL_SECONDS):
    """The whole UI over one `Assistant`. Returns a `gr.Blocks` (not launched)."""
    _quiet_gradio_env()
    import gradio as gr

    # Files gradio copies into its cache (CSV downloads, uploads) are deleted after 10 minutes.
    with gr.Blocks(title=TITLE, delete_cache=(600, 600)) as demo:
        gr.HTML(f"<style>{CSS}{CHART_CSS}</style>", elem_id="rag-glue", container=False, padding=False,
                apply_default_css=False, js_on_load=None)
        # The page script lives in this hidden component: its `trigger` sends "open report" clicks.
        bridge = gr.HTML("", html_template="", js_on_load=LINKS_JS, elem_id="rag-bridge",
                         container=False, padding=False, apply_default_css=False)
        header = gr.Markdown(header_markdown(assistant.settings, len(assistant.catalog)), elem_id="rag-header")
        saved = gr.BrowserState([], storage_key="rag-conversation")  # this browser's conversation
        stamp = gr.State(library_stamp(assistant))
        opened = gr.State(None)  # the report shown in the panel
        view = gr.HTML(report_view_html(None), elem_id="rag-report-view", apply_default_css=False, render=False)
        with gr.Row(equal_height=False, elem_id="rag-main"):
            with gr.Column(scale=3, min_width=320, elem_id="rag-main-col"):
                with gr.Tabs(elem_id="rag-tabs"):
                    scope, chatbot = chat_tab(gr, assistant, saved, concurrency=concurrency)
                    listing, picker, library = reports_tab(gr, assistant, bridge, view, opened)
                    data_refresh, data_outputs = data_tab(gr, assistant)
            with gr.Column(scale=2, min_width=320, elem_id="rag-panel"):
                view.render()

        lib_refresh, lib_outputs = library if library else (None, [])

        def library_now():
            """The library as it is now, on every part of the page that shows it."""
            html, choices = current_listing(assistant)
            out = [header_markdown(assistant.settings, len(assistant.catalog)), gr.update(choices=choices),
                   gr.update(choices=catalog_choices(assistant.catalog)), html, *data_refresh()]
            if lib_refresh:
                out.extend(lib_refresh())
            return out

        shown = [header, picker, scope, listing, *data_outputs, *lib_outputs]

        def on_load(conversation):
            return [library_stamp(assistant), bound_history(conversation), *library_now()]

        def poll(seen, doc_id):
            now = library_stamp(assistant)
            if now == seen:
                return [gr.skip()] * (2 + len(shown))
            # the report open in the panel was removed: say so there (a report still present stays as it is,
            # with its highlights; reopening it shows its current version)
            gone = doc_id and doc_id not in assistant.reports()
            return [now, report_view_html(None, doc_id) if gone else gr.skip(), *library_now()]

        hidden = {"api_visibility": "undocumented"}
        demo.load(on_load, [saved], [stamp, chatbot, *shown], queue=False, **hidden)
        # Additions, corrections and removals made anywhere (this page, another tab, the CLI) show on
        # the open page without a reload: a timer compares the library's stamp with the one shown.
        timer = gr.Timer(poll_seconds)
        timer.tick(poll, [stamp, opened], [stamp, view, *shown], queue=False, show_progress="hidden", **hidden)
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


def access_middleware(host: str, env=None) -> list:
    """The app's AccessGuard (Host check, client identity, rate limit) as FastAPI middleware, for
    `demo.launch(app_kwargs={"middleware": access_middleware(host)})`. ValueError on a bad RAG_RATE_LIMIT."""
    from starlette.middleware import Middleware

    hosts = allowed_hosts(host, env)
    if hosts is None:
        log.info("监听 %s：未设置 RAG_ALLOWED_HOSTS，接受任何 Host 名称（修改报告库仍需登录或本机直接访问）。", host)
    return [Middleware(AccessGuard, hosts=hosts, limiter=RateLimiter(rate_from_env(env)))]


def port_is_free(host: str, port: int) -> bool:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server will: only a listener blocks
        try:
            s.bind((host, port))
        except OSError:
            return False
    return True


def busy_port_message(host: str, port: int) -> str:
    other = port + 1
    return (f"错误：端口 {port}（{host}）已被占用，可能已有一个聊天界面在运行。换一个端口：\n"
            f"  rag chat --port {other}\n  RAG_PORT={other} rag chat\n  make chat PORT={other}")


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
    # RAG_AUTH set always means a login, on loopback too (a proxy on this host makes everyone "local").
    try:
        auth = _auth_from_env()
        middleware = access_middleware(host)
    except ValueError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    if auth is not None:
        auth = LoginGuard(*auth).as_auth()
    elif not _is_loopback(host):
        log.warning("监听 %s（非本机地址）但未设置 RAG_AUTH=用户名:密码，任何能访问该地址的人都可以使用本服务。", host)
    if not port_is_free(host, port):
        print(busy_port_message(host, port), file=sys.stderr)
        return 1
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
                    prevent_thread_lock=True, quiet=True, footer_links=["api"],
                    app_kwargs={"middleware": middleware})
    except OSError:  # taken meanwhile; gradio's own message names a variable we do not read
        print(busy_port_message(host, port), file=sys.stderr)
        return 1
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    url = f"http://{'[' + shown + ']' if ':' in shown else shown}:{demo.server_port or port}/"
    where = "" if shown == host else f"（监听 {host}:{demo.server_port or port}）"
    print(f"{TITLE} 已启动：{url}{where}  按 Ctrl+C 退出。", flush=True)
    demo.block_thread()
    return 0
