"""The 报告库 panel: upload reports, see the catalogue entry detected, correct it, remove a report (with a
confirmation, then an undo: a removed report waits in the 回收站 until restored or emptied).

`build_library_tab(assistant)` adds its components to the enclosing gr.Tab/Blocks and returns the
components the page's library refresh updates. Handlers are plain functions over the public API
(`Assistant.add_reports / edit_report / remove_report / restore_report / removed_reports /
library_reports`), so they are tested without a browser. Who may change the library is decided by
`ui.access.may_change`: a logged-in user when RAG_AUTH is set, else a direct connection from this machine.
"""

import ipaddress
import os

from rag.errors import RagError

from .access import may_change  # noqa: F401 - the one rule, re-exported for callers of this module

COLUMNS = ["编号", "标题", "地区", "级别", "上级", "年份", "发布", "文字", "来源文件"]
# The correction form: field → its Chinese label, in the order shown.
FORM_FIELDS = {"title": "标题", "issuer": "发布机关", "region": "地区（全称）", "parent": "上级地区",
               "level": "级别", "aliases": "别名（用逗号分隔）", "year": "年份（报告所述年度）",
               "published": "发布日期（YYYY-MM-DD）", "script": "文字"}
FIELDS = list(FORM_FIELDS)
LEVEL_CHOICES = [("省级", "province"), ("地级市", "city"), ("市辖区", "district"), ("县、县级市、旗", "county"),
                 ("乡镇、街道", "town"), ("政府部门", "department")]
LEVEL_NAMES = {value: label for label, value in LEVEL_CHOICES}
SCRIPT_CHOICES = [("简体", "simplified"), ("繁体", "traditional")]
_FIELD_NAMES = {"title": "标题", "region": "地区", "level": "级别", "parent": "上级地区", "year": "年份",
                "issuer": "发布机关", "aliases": "别名", "published": "发布日期", "script": "文字"}


def library_rows(assistant) -> list[list]:
    return [[e["doc_id"], e.get("title", ""), e.get("region", ""), LEVEL_NAMES.get(e.get("level"), e.get("level") or ""),
             e.get("parent", ""), e.get("year") or "", e.get("published") or "",
             "繁体" if e.get("script") == "traditional" else "简体", e.get("source", "")]
            for e in assistant.library_reports()]


def report_choices(entries) -> list[tuple[str, str]]:
    """(「编号 · 标题」, doc_id) for the report pickers of this panel."""
    return [(f"{e['doc_id']} · {e.get('title', '')}"[:80], e["doc_id"]) for e in entries]


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
                 "resumed": "已在报告库中，上次未完成索引，现已补全"}.get(r.status, r.status)
        level = LEVEL_NAMES.get(e.get("level"), e.get("level") or "?")
        lines.append(f"- ✅ **{name}** {label} → `{r.doc_id}`：{e.get('title', '')}；地区 {e.get('region') or '?'}"
                     f"（{level}，上级 {e.get('parent') or '—'}），年份 {e.get('year') or '?'}，"
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


# ---- the correction form ---------------------------------------------------
def form_values(entry: dict | None) -> list:
    """The form's values for one catalogue entry, in FORM_FIELDS order (blank when none is chosen)."""
    e = entry or {}
    out = []
    for f in FIELDS:
        v = e.get(f)
        if f == "aliases":
            v = "，".join(v or [])
        elif f == "year":
            v = "" if v is None else str(v)
        elif f in ("level", "script"):
            v = v or None
        else:
            v = v or ""
        out.append(v)
    return out


def changed_fields(entry: dict, values) -> dict:
    """The fields the user changed in the form (text compared as shown; 、，, all separate aliases)."""
    current = dict(zip(FIELDS, form_values(entry)))
    out = {}
    for f, v in zip(FIELDS, values):
        v = "" if v is None else str(v).strip()
        if f == "aliases":
            v = ",".join(a.strip() for a in v.replace("，", ",").replace("、", ",").split(",") if a.strip())
            if v != ",".join(entry.get("aliases") or []):
                out[f] = v
            continue
        if v != (current[f] or ""):
            if f in ("level", "script") and not v:
                continue
            out[f] = v
    return out


def edit_entry(assistant, doc_id, values) -> str:
    if not doc_id:
        return "请先选择要更正的报告。"
    entry = next((e for e in assistant.library_reports() if e["doc_id"] == doc_id), None)
    if entry is None:
        return f"❌ 报告库中已没有 {doc_id}。"
    fields = changed_fields(entry, values)
    if not fields:
        return "没有改动。"
    new = assistant.edit_report(doc_id, **fields)
    shown = "；".join(f"{_FIELD_NAMES.get(f, f)}：{_shown(f, new.get(f))}" for f in fields)
    return f"已更新 `{doc_id}`：{shown}"


def _shown(field, value) -> str:
    if field == "level":
        return LEVEL_NAMES.get(value, value)
    if field == "script":
        return dict((v, k) for k, v in SCRIPT_CHOICES).get(value, value)
    if field == "aliases":
        return "、".join(value or [])
    return str(value)


def edit_field(assistant, doc_id, field, value) -> str:
    """One field at a time (kept for scripts): the same checks as the form."""
    if not doc_id or not field:
        return "请选择报告和字段。"
    entry = assistant.edit_report(doc_id, **{field: value})
    return f"已更新 `{doc_id}`：{_FIELD_NAMES.get(field, field)} = {_shown(field, entry.get(field))}"


# ---- removal, confirmed, with an undo ----------------------------------------
def confirm_text(assistant, doc_id) -> str | None:
    """What the confirmation asks (None when there is nothing to remove)."""
    entry = next((e for e in assistant.library_reports() if e["doc_id"] == doc_id), None)
    if entry is None:
        return None
    return (f"确定删除 `{doc_id}`《{entry.get('title', '')}》吗？删除后它不再参与回答；"
            "报告会先放进回收站，可以撤销或之后恢复。")


def remove(assistant, doc_id) -> str:
    if not doc_id:
        return "请选择要删除的报告。"
    entry = assistant.remove_report(doc_id)
    return f"已删除 `{entry['doc_id']}`：{entry.get('title', '')}（已移入回收站，可撤销）"


def restore(assistant, doc_id) -> str:
    if not doc_id:
        return "请选择要恢复的报告。"
    entry = assistant.restore_report(doc_id)
    return f"已恢复 `{entry['doc_id']}`：{entry.get('title', '')}"


def trash_choices(assistant) -> list[tuple[str, str]]:
    return [(f"{e['doc_id']} · {e.get('title', '')}（删除于 {e.get('removed', '?').replace('T', ' ')}）"[:90], e["doc_id"])
            for e in assistant.removed_reports()]


def build_library_tab(assistant):
    """Components for the library, inside the caller's gr.Tab (or Blocks) context. Returns
    `refresh(message="")` → the updates of its outputs, and those outputs (for the page's library poll)."""
    import gradio as gr

    entries = assistant.library_reports()
    with gr.Accordion("添加报告", open=not entries, elem_id="rag-lib-upload") as upload:
        gr.Markdown("上传 .txt .md .html .docx .pdf（扫描版 PDF 需先做文字识别）。"
                    "系统自动识别标题、地区、级别和年份；识别不出或有误的，可在下方更正。")
        files = gr.File(file_count="multiple", file_types=[".txt", ".md", ".html", ".htm", ".docx", ".pdf"],
                        label="选择报告文件（拖放到这里，或点击选择）", elem_id="rag-lib-files", height=120)
        add_btn = gr.Button("添加到报告库", variant="primary", elem_id="rag-lib-add")
    status = gr.Markdown(elem_id="rag-lib-status")
    with gr.Accordion("我的报告库", open=True, elem_id="rag-lib-box"):
        table = gr.Dataframe(value=library_rows(assistant), headers=COLUMNS, interactive=False, wrap=True,
                             elem_id="rag-lib-table")
        doc = gr.Dropdown(choices=report_choices(entries), value=None, label="选择报告（更正或删除）",
                          elem_id="rag-lib-doc")
        with gr.Group(elem_id="rag-lib-form"):
            inputs = {}
            for f, label in FORM_FIELDS.items():
                if f == "level":
                    inputs[f] = gr.Dropdown(LEVEL_CHOICES, value=None, label=label, elem_id="rag-lib-level")
                elif f == "script":
                    inputs[f] = gr.Radio(SCRIPT_CHOICES, value=None, label=label, elem_id="rag-lib-script")
                else:
                    inputs[f] = gr.Textbox(label=label, lines=1, elem_id=f"rag-lib-{f}")
        with gr.Row():
            save_btn = gr.Button("保存更正", elem_id="rag-lib-save")
            remove_btn = gr.Button("删除这份报告…", elem_id="rag-lib-remove")
        with gr.Row(visible=False, elem_id="rag-lib-confirm") as confirm_row:
            confirm_md = gr.Markdown(elem_id="rag-lib-confirm-text")
            confirm_btn = gr.Button("确认删除", variant="stop", elem_id="rag-lib-confirm-yes")
            cancel_btn = gr.Button("取消", elem_id="rag-lib-confirm-no")
        undo_btn = gr.Button("撤销删除", visible=False, variant="primary", elem_id="rag-lib-undo")
    with gr.Accordion("回收站（已删除的报告）", open=False, elem_id="rag-lib-trash"):
        trashed = gr.Dropdown(choices=trash_choices(assistant), value=None, label="已删除的报告",
                              elem_id="rag-lib-trash-doc")
        with gr.Row():
            restore_btn = gr.Button("恢复", elem_id="rag-lib-restore")
            empty_btn = gr.Button("清空回收站（永久删除）", variant="stop", elem_id="rag-lib-empty")
    last_removed = gr.State(None)
    form = [inputs[f] for f in FIELDS]

    def refreshed(message=gr.skip()):
        rows = library_rows(assistant)
        return (message, rows, gr.update(choices=report_choices(assistant.library_reports())),
                gr.update(choices=trash_choices(assistant)))

    def attempt(request, action):
        if not may_change(request):
            return refreshed("只有已登录用户（设置 RAG_AUTH 时），或未经代理、直接从本机访问的用户，可以修改报告库。")
        try:
            return refreshed(action())
        except RagError as exc:
            return refreshed(f"❌ {exc}")

    def on_add(files, request: gr.Request, progress=gr.Progress()):
        return attempt(request, lambda: add_files(assistant, files, progress))

    def on_pick(doc_id):
        entry = next((e for e in assistant.library_reports() if e["doc_id"] == doc_id), None)
        return form_values(entry)

    def on_save(doc_id, title, issuer, region, parent, level, aliases, year, published, script,
                request: gr.Request):
        values = [title, issuer, region, parent, level, aliases, year, published, script]
        return attempt(request, lambda: edit_entry(assistant, doc_id, values))

    def on_ask_remove(doc_id):
        text = confirm_text(assistant, doc_id)
        if text is None:
            return gr.update(visible=False), "", "请先选择要删除的报告。"
        return gr.update(visible=True), text, ""

    def on_remove(doc_id, request: gr.Request):
        out = attempt(request, lambda: remove(assistant, doc_id))
        done = str(out[0]).startswith("已删除")
        if done:  # the removed report is no longer the one chosen
            out = (*out[:2], gr.update(choices=report_choices(assistant.library_reports()), value=None), out[3])
        return (*out, gr.update(visible=False), gr.update(visible=done), doc_id if done else None)

    def on_undo(doc_id, request: gr.Request):
        out = attempt(request, lambda: restore(assistant, doc_id))
        return (*out, gr.update(visible=False), None)

    def on_restore(doc_id, request: gr.Request):
        return attempt(request, lambda: restore(assistant, doc_id))

    def on_empty(request: gr.Request):
        return attempt(request, lambda: f"已清空回收站：永久删除 {assistant.empty_removed()} 份报告。")

    outputs = [status, table, doc, trashed]
    hidden = {"api_visibility": "undocumented"}
    add_btn.click(on_add, [files], outputs, api_name="library_add", **hidden)
    doc.change(on_pick, [doc], form, queue=False, **hidden)
    save_btn.click(on_save, [doc, *form], outputs, api_name="library_edit", **hidden)
    remove_btn.click(on_ask_remove, [doc], [confirm_row, confirm_md, status], queue=False, **hidden)
    cancel_btn.click(lambda: gr.update(visible=False), None, [confirm_row], queue=False, **hidden)
    confirm_btn.click(on_remove, [doc], [*outputs, confirm_row, undo_btn, last_removed],
                      api_name="library_remove", **hidden)
    undo_btn.click(on_undo, [last_removed], [*outputs, undo_btn, last_removed], api_name="library_restore", **hidden)
    restore_btn.click(on_restore, [trashed], outputs, **hidden)
    empty_btn.click(on_empty, None, outputs, **hidden)
    def page_refresh():
        """What the page's library poll updates: the table, pickers and trash; the upload panel folds
        once the library has reports (and opens when it is empty again)."""
        return (*refreshed(), gr.update(open=not assistant.library_reports()))

    return page_refresh, [*outputs, upload]
