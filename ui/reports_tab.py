"""The 报告 tab: the catalogue and a report picker; the report itself opens in the panel beside the tabs.

A report's text is fetched through the Assistant (`assistant.report(doc_id)`) each time it is
opened, so the page carries no report text until asked for one (a 5 MB report no longer rides
on every page load), and after a re-index the panel shows the version the answers come from.
The page script (`ui.assets.LINKS_JS`) turns a click on a source card's link, a 数据 row's link or
a catalogue title into a `click` event of the hidden bridge component, carrying the report's doc_id;
it opens the panel (beside the chat; below it on a phone) and highlights the cited sentences.
"""
import time

from .format import catalog_choices
from .report_format import catalogue_html, report_view_html


def current_listing(assistant) -> tuple[str, list]:
    """The catalogue and the picker's choices as they are now (reports added or removed since start too)."""
    catalog = assistant.catalog
    errors = [str(e) for e in getattr(assistant.corpus, "errors", [])]
    return catalogue_html(catalog, set(assistant.reports()), errors), catalog_choices(catalog)


def open_report(assistant, doc_id) -> str:
    doc_id = str(doc_id or "")
    report = assistant.report(doc_id) if doc_id else None
    return report_view_html(report, doc_id, loaded_at=time.monotonic_ns())


def reports_tab(gr, assistant, bridge, view, opened=None):
    """Build the 报告 tab inside the current `gr.Tabs` and wire its events. `bridge` is the page
    script's component; `view` the report panel (both outside the tabs); `opened` a gr.State that
    keeps the doc_id shown there (so the page's library poll can say when it is gone). Returns the catalogue, the
    picker and the library panel's refresh (or None)."""
    catalog = assistant.catalog
    available = set(assistant.reports())  # the catalogue entries whose report loaded
    errors = [str(e) for e in getattr(assistant.corpus, "errors", [])]

    def from_picker(doc_id):
        return open_report(assistant, doc_id), doc_id

    def from_link(evt: gr.EventData):
        doc_id = str((getattr(evt, "_data", None) or {}).get("doc") or "")
        known = doc_id if doc_id in assistant.reports() else gr.skip()  # reports added since start too
        return open_report(assistant, doc_id), known, doc_id

    library = None
    with gr.Tab("报告", id="reports", elem_id="rag-tab-reports"):
        listing = gr.HTML(catalogue_html(catalog, available, errors), elem_id="rag-catalogue", apply_default_css=False)
        picker = gr.Dropdown(catalog_choices(catalog), value=None, label="打开报告（在旁边的面板中显示）",
                             elem_id="rag-report-picker")
        if hasattr(assistant, "add_reports"):  # the user's own reports (test fakes have none)
            from .library_tab import build_library_tab

            library = build_library_tab(assistant)

    opened = opened if opened is not None else gr.State(None)
    picker.input(from_picker, picker, [view, opened], api_visibility="undocumented", concurrency_limit=4,
                 js="(d) => { window.__ragOpenPanel && window.__ragOpenPanel(d); return d; }")
    bridge.click(from_link, None, [view, picker, opened], api_visibility="undocumented", concurrency_limit=4)
    return listing, picker, library
