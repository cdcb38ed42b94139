"""CSS and the small script the page needs, kept as strings so they ship with the package.

They are injected by a `gr.HTML` component inside the app itself (not through `launch()`),
so the page looks and behaves the same however the Blocks object is launched.
"""

CSS = """
#rag-glue { display: none !important; }
.rag-reply { line-height: 1.7; }
.rag-meta { margin-bottom: .35em; }
.rag-badge { display: inline-block; font-size: .78em; padding: 1px 8px; border-radius: 999px;
  border: 1px solid var(--border-color-primary); color: var(--body-text-color-subdued); }
.rag-badge-extractive { background: #ecfdf5; color: #065f46; border-color: #a7f3d0; }
.rag-badge-llm { background: #eef2ff; color: #3730a3; border-color: #c7d2fe; }
.rag-streaming .rag-answer::after { content: " ▍"; opacity: .6; }
.rag-notice { margin: .5em 0; padding: 4px 10px; border-left: 3px solid #f59e0b;
  background: rgba(245, 158, 11, .08); font-size: .92em; }
.rag-error { padding: 6px 10px; border-left: 3px solid #dc2626; background: rgba(220, 38, 38, .07); }
.rag-sources { margin-top: .8em; }
.rag-sources-title { font-weight: 600; font-size: .9em; margin-bottom: .3em;
  color: var(--body-text-color-subdued); }
.rag-card { border: 1px solid var(--border-color-primary); border-radius: 8px; padding: 8px 12px;
  margin: .45em 0; background: var(--background-fill-secondary); }
.rag-card-title { font-weight: 600; }
.rag-card-num { display: inline-block; min-width: 1.6em; height: 1.6em; line-height: 1.6em;
  margin-right: .45em; text-align: center; border-radius: 50%; font-size: .8em;
  background: var(--color-accent-soft); color: var(--body-text-color); }
.rag-card-section { font-size: .85em; color: var(--body-text-color-subdued); margin: .15em 0 .35em; }
.rag-card-passage { font-size: .92em; }
.rag-reply mark, .rag-reports mark { background: #fde68a; color: #111827; padding: 0 2px; border-radius: 2px; }
.rag-card-foot { display: flex; justify-content: space-between; gap: 1em; font-size: .82em; margin-top: .35em; }
.rag-card-pos { color: var(--body-text-color-subdued); }
.rag-src-link { cursor: pointer; }
.rag-muted, .rag-muted p { color: var(--body-text-color-subdued); font-size: .9em; }
.rag-reports { line-height: 1.75; }
.rag-reports table { border-collapse: collapse; margin: .4em 0 .8em; font-size: .92em; }
.rag-reports th, .rag-reports td { border: 1px solid var(--border-color-primary); padding: 3px 10px;
  text-align: left; vertical-align: top; }
.rag-report { margin: 1.4em 0 2em; padding-top: .6em; border-top: 2px solid var(--border-color-primary); }
.rag-report h3 { margin: .2em 0 .4em; font-size: 1.15em; }
.rag-report summary { cursor: pointer; font-weight: 600; margin: .4em 0; }
.rag-outline ul { margin: .1em 0 .1em 1.2em; padding: 0; list-style: disc; }
.rag-fulltext { max-height: none; }
.rag-p { margin: .35em 0; text-indent: 0; }
.rag-h1 { font-weight: 700; font-size: 1.05em; margin-top: .9em; }
.rag-h2 { font-weight: 600; margin-top: .6em; }
.rag-h3 { font-weight: 600; }
.rag-residue { color: var(--body-text-color-subdued); text-decoration: line-through; font-size: .85em; }
.rag-s.rag-flash { background: #fde68a; color: #111827; outline: 2px solid #f59e0b; }
"""

# Runs once when the page loads (gr.HTML js_on_load). A click on a source card's
# "在报告中查看" link (or an outline link) switches to the 报告 tab, opens the report's
# full text and scrolls to the cited sentence, which flashes.
LINKS_JS = r"""
if (!window.__ragLinks) {
  window.__ragLinks = true;
  const reportsTab = () => [...document.querySelectorAll('button[role="tab"]')]
    .find((b) => b.textContent.trim().startsWith('报告'));
  const reveal = (id, tries) => {
    const again = () => { if (tries < 80) setTimeout(() => reveal(id, tries + 1), 50); };
    const tab = reportsTab();
    if (tab && tab.getAttribute('aria-selected') !== 'true') {
      if (tries % 10 === 0) tab.click();
      return again();
    }
    const el = document.getElementById(id);
    if (!el) return again();
    for (let d = el.closest('details'); d; d = d.parentElement && d.parentElement.closest('details')) d.open = true;
    if (el.offsetParent === null) return again();
    el.scrollIntoView({ block: 'center' });
    el.classList.add('rag-flash');
    setTimeout(() => el.classList.remove('rag-flash'), 2600);
  };
  document.addEventListener('click', (ev) => {
    const a = ev.target.closest && ev.target.closest('a[href^="#r-"], a[href^="#rpt-"]');
    if (!a) return;
    ev.preventDefault();
    ev.stopPropagation();
    const id = decodeURIComponent(a.getAttribute('href').slice(1));
    reveal(id, 0);
  }, true);
}
"""
