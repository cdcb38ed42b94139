"""The 报告库 panel: upload reports, see the catalogue entry detected, correct it, remove a report.

`build_library_tab(assistant)` adds its components to the enclosing gr.Tab/Blocks. Handlers are
plain functions over the public API (`Assistant.add_reports / edit_report / remove_report /
library_reports`), so they are tested without a browser. Uploads are accepted from this machine
(loopback), or from a logged-in user when RAG_AUTH is set.
"""

import ipaddress
import os

from rag.errors import RagError

COLUMNS = ["doc_id", "标题", "地区", "级别", "上级", "年份", "发布", "文字", "来源文件"]
FIELDS = ["title", "region", "parent", "level", "year", "published", "aliases", "issuer", "script"]
_FIELD_NAMES = {"title": "标题", "region": "地区", "level": "级别", "parent": "上级地区", "year": "年份"}


def may_change(request) -> bool:
    """Loopback clients, or a user who logged in (RAG_AUTH)."""
    if os.environ.get("RAG_AUTH"):
        return bool(getattr(request, "username", None))
    host = getattr(getattr(request, "client", None), "host", None) or ""
    try:
        return host in ("localhost", "testclient") or ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def library_rows(assistant) -> list[list]:
    return [[e["doc_id"], e.get("title", ""), e.get("region", ""), e.get("level", ""), e.get("parent", ""),
             e.get("year") or "", e.get("published") or "", "繁体" if e.get("script") == "traditional" else "简体",
             e.get("source", "")] for e in assistant.library_reports()]


def describe_results(results) -> str:
    """Markdown: what each file became, and what the user should check."""
    lines = []
    for r in results:
        name = os.path.basename(r.path)
        if r.status == "failed":
            lines.append(f"- ❌ **{name}**：{r.error}")
            continue
        e = r.entry
        label = {"added": "已添加", "replaced": "已替换旧版本", "unchanged": "内容相同，已在报告库中",
                 "resumed": "已在报告库中，上次未完成索引，现已补全"}[r.status]
        lines.append(f"- ✅ **{name}** {label} → `{r.doc_id}`：{e.get('title', '')}；地区 {e.get('region') or '?'}"
                     f"（{e.get('level') or '?'}，上级 {e.get('parent') or '—'}），年份 {e.get('year') or '?'}，"
                     f"发布 {e.get('published') or '—'}")
        if getattr(r, "beside", None):
            lines.append(f"  - 注意：{r.notes[-1]}")
        if r.undetermined:
            lines.append(f"  - 未能确定：{'、'.join(_FIELD_NAMES.get(f, f) for f in r.undetermined)}，请在下方更正。")
    return "\n".join(lines) or "没有选择文件。"


def add_files(assistant, files, progress=None) -> str:
    paths = [getattr(f, "name", f) for f in (files or [])]
    if not paths:
        return "没有选择文件。"

    def show(stage, done, total):
        if progress is not None and total:
            progress(done / total, desc={"embed": "计算向量", "bm25": "建立关键词索引"}.get(stage, stage))

    results, _ = assistant.add_reports(paths, progress=show)
    return describe_results(results)


def edit_field(assistant, doc_id, field, value) -> str:
    if not doc_id or not field:
        return "请选择报告和字段。"
    entry = assistant.edit_report(doc_id, **{field: value})
    return f"已更新 `{doc_id}`：{field} = {entry.get(field)}"


def remove(assistant, doc_id) -> str:
    if not doc_id:
        return "请选择要删除的报告。"
    entry = assistant.remove_report(doc_id)
    return f"已删除 `{entry['doc_id']}`：{entry.get('title', '')}"


def build_library_tab(assistant):
    """Components for the library, inside the caller's gr.Tab (or Blocks) context."""
    import gradio as gr

    gr.Markdown("### 我的报告库\n上传 .txt .md .html .docx .pdf（扫描版 PDF 需先做文字识别）。"
                "系统自动识别标题、地区、级别和年份；识别不出或有误的，可在下方更正。")
    files = gr.File(file_count="multiple", file_types=[".txt", ".md", ".html", ".htm", ".docx", ".pdf"],
                    label="选择报告文件", elem_id="rag-lib-files")
    add_btn = gr.Button("添加到报告库", variant="primary", elem_id="rag-lib-add")
    status = gr.Markdown(elem_id="rag-lib-status")
    table = gr.Dataframe(value=library_rows(assistant), headers=COLUMNS, interactive=False,
                         elem_id="rag-lib-table")
    with gr.Row():
        doc = gr.Dropdown(choices=[r[0] for r in library_rows(assistant)], label="报告", elem_id="rag-lib-doc")
        field = gr.Dropdown(choices=FIELDS, value="region", label="字段", elem_id="rag-lib-field")
        value = gr.Textbox(label="新值（别名用逗号分隔）", elem_id="rag-lib-value")
    with gr.Row():
        save_btn = gr.Button("保存更正", elem_id="rag-lib-save")
        remove_btn = gr.Button("删除这份报告", variant="stop", elem_id="rag-lib-remove")
        refresh_btn = gr.Button("刷新列表", elem_id="rag-lib-refresh")

    def refreshed(message):
        rows = library_rows(assistant)
        return message, rows, gr.update(choices=[r[0] for r in rows])

    def attempt(request, action):
        if not may_change(request):
            return refreshed("只有本机用户或已登录用户可以修改报告库。")
        try:
            return refreshed(action())
        except RagError as exc:
            return refreshed(f"❌ {exc}")

    def on_add(files, request: gr.Request, progress=gr.Progress()):
        return attempt(request, lambda: add_files(assistant, files, progress))

    def on_save(doc_id, field_name, new_value, request: gr.Request):
        return attempt(request, lambda: edit_field(assistant, doc_id, field_name, new_value))

    def on_remove(doc_id, request: gr.Request):
        return attempt(request, lambda: remove(assistant, doc_id))

    outputs = [status, table, doc]
    # Reports added elsewhere (`rag add`, another browser) show on refresh and on every page load.
    refresh_btn.click(lambda: refreshed(""), None, outputs, api_visibility="undocumented")
    root = gr.context.Context.root_block
    if root is not None:
        root.load(lambda: refreshed(""), None, outputs, api_visibility="undocumented")
    add_btn.click(on_add, [files], outputs, api_name="library_add", api_visibility="undocumented")
    save_btn.click(on_save, [doc, field, value], outputs, api_name="library_edit", api_visibility="undocumented")
    remove_btn.click(on_remove, [doc], outputs, api_name="library_remove", api_visibility="undocumented")
    return table
