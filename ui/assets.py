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
.rag-badge-extractive { background: #ecfdf5; color: #065f46 !important; border-color: #a7f3d0; }
.rag-badge-llm { background: #eef2ff; color: #3730a3 !important; border-color: #c7d2fe; }
.dark .rag-badge-extractive { background: rgba(16, 185, 129, .16); color: #6ee7b7 !important; border-color: #047857; }
.dark .rag-badge-llm { background: rgba(99, 102, 241, .2); color: #c7d2fe !important; border-color: #4f46e5; }
.rag-streaming .rag-answer::after { content: " ▍"; opacity: .6; }
.rag-notice { margin: .5em 0; padding: 4px 10px; border-left: 3px solid #f59e0b;
  background: rgba(245, 158, 11, .08); font-size: .92em; }
.rag-info { margin: .5em 0; padding: 4px 10px; border-left: 3px solid #60a5fa;
  background: rgba(96, 165, 250, .08); font-size: .9em; color: var(--body-text-color-subdued); }
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
/* The quote: dark text on pale yellow; in dark mode light text on deep amber (both >= 4.5:1). */
.rag-reply mark, .rag-reports mark { background: #fde68a !important; color: #111827 !important;
  padding: 0 2px; border-radius: 2px; }
.dark .rag-reply mark, .dark .rag-reports mark { background: #854d0e !important; color: #fffbeb !important; }
.rag-refusal .rag-card { border-style: dashed; }
.rag-refusal .rag-sources-title { font-weight: 400; }
a.rag-cite { color: var(--link-text-color, #2563eb) !important; font-size: .85em; padding: 0 2px; margin: 0 1px;
  border-radius: 4px; background: var(--color-accent-soft); text-decoration: none; cursor: pointer; }
.dark a.rag-cite { color: #93c5fd !important; }
a.rag-cite:hover { text-decoration: underline; }
.rag-card.rag-flash { outline: 2px solid #f59e0b; outline-offset: 1px; }
.rag-question { white-space: normal; overflow-wrap: anywhere; }
.rag-card-foot { display: flex; justify-content: space-between; gap: 1em; font-size: .82em; margin-top: .35em; }
.rag-card-pos { color: var(--body-text-color-subdued); }
.rag-src-link, .rag-reports a { cursor: pointer; color: var(--link-text-color, #2563eb) !important;
  text-decoration: underline; text-underline-offset: 2px; }
.dark .rag-src-link, .dark .rag-reports a { color: #93c5fd !important; }
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
.rag-text-title { font-weight: 600; margin: .8em 0 .3em; }
.rag-report-nav { margin-bottom: .4em; }
.rag-p { margin: .35em 0; text-indent: 0; }
.rag-h1 { font-weight: 700; font-size: 1.05em; margin-top: .9em; }
.rag-h2 { font-weight: 600; margin-top: .6em; }
.rag-h3 { font-weight: 600; }
.rag-hs1 { font-weight: 700; }
.rag-hs2, .rag-hs3 { font-weight: 600; }
.rag-residue { color: var(--body-text-color-subdued); text-decoration: line-through; font-size: .85em; }
.rag-s.rag-flash { background: #fde68a; color: #111827; outline: 2px solid #f59e0b; }
.dark .rag-s.rag-flash { background: #854d0e; color: #fffbeb; }
#rag-bridge { display: none !important; }
/* Phones: the filter above the chat (folded), the chat a little shorter. */
@media (max-width: 640px) {
  #rag-side { order: -1; }
  #rag-side .rag-muted { display: none; }
  #rag-chat-row { flex-wrap: wrap; }
  .rag-card-foot { flex-wrap: wrap; }
  #rag-actions { flex-wrap: nowrap; gap: 6px; }
  #rag-actions button { min-width: 0 !important; padding-left: 4px; padding-right: 4px; }
}
"""

# The page script: the js_on_load of a hidden gr.HTML (the "bridge"), so it may call `trigger`.
# - a [n] marker scrolls to card n of the same answer, which flashes;
# - a card's 「在报告中查看」 or a catalogue title asks the server for that report (a `click`
#   event with its doc_id), switches to the 报告 tab and scrolls to the cited sentence;
# - 「返回问答」 goes back to the card the reader came from;
# - after each new question the chat scrolls to the answer's start (not past it to the end).
LINKS_JS = r"""
if (!window.__ragLinks) {
  window.__ragLinks = true;
  const tab = (name) => [...document.querySelectorAll('button[role="tab"]')]
    .find((b) => b.textContent.trim().startsWith(name));
  const showTab = (name) => {
    const t = tab(name);
    if (!t) return false;
    if (t.getAttribute('aria-selected') !== 'true') t.click();
    return t.getAttribute('aria-selected') === 'true';
  };
  const flash = (el) => {
    el.classList.add('rag-flash');
    setTimeout(() => el.classList.remove('rag-flash'), 2600);
  };
  const opened = () => document.querySelector('#rag-report-view section.rag-report');
  const target = (sec, id, start) => {
    const exact = id && document.getElementById(id);
    if (exact) return exact;
    if (start === null) return sec;
    let best = null;
    for (const s of sec.querySelectorAll('.rag-s')) {
      if (Number(s.dataset.start) <= start) best = s; else break;
    }
    return best || sec;
  };
  const reveal = (doc, id, start, before, tries) => {
    const again = () => { if (tries < 300) setTimeout(() => reveal(doc, id, start, before, tries + 1), 50); };
    if (!showTab('报告')) return again();
    const sec = opened();
    if (!sec || sec.dataset.doc !== doc || sec.dataset.loaded === before) return again();
    const el = target(sec, id, start);
    if (!el || el.offsetParent === null) return again();
    el.scrollIntoView({ block: id ? 'center' : 'start' });
    if (id) flash(el);
  };
  const back = (tries) => {
    if (!showTab('问答')) { if (tries < 40) setTimeout(() => back(tries + 1), 50); return; }
    const card = window.__ragLastCard;
    if (card && card.isConnected) { card.scrollIntoView({ block: 'center' }); flash(card); }
  };
  document.addEventListener('click', (ev) => {
    const a = ev.target.closest && ev.target.closest('a[href^="#cite-"], a[href^="#open/"], a[href="#rag-back"], a[href^="#r-"]');
    if (!a) return;
    ev.preventDefault();
    ev.stopPropagation();
    const href = a.getAttribute('href');
    if (href.startsWith('#cite-')) {
      const reply = a.closest('.rag-reply');
      const card = reply && reply.querySelector(`.rag-card-${Number(href.slice(6))}`);
      if (card) { card.scrollIntoView({ block: 'nearest' }); flash(card); }
    } else if (href === '#rag-back') {
      back(0);
    } else if (href.startsWith('#open/')) {  // #open/<doc>[/<offset>/<anchor id>]
      const [doc, start, id] = href.slice(6).split('/');
      const docId = decodeURIComponent(doc);
      window.__ragLastCard = a.closest('.rag-card');
      const sec = opened();
      trigger('click', { doc: docId });
      reveal(docId, id || null, start === undefined ? null : Number(start), sec ? sec.dataset.loaded : null, 0);
    } else {
      const el = document.getElementById(decodeURIComponent(href.slice(1)));
      if (el) { el.scrollIntoView({ block: 'center' }); flash(el); }
    }
  }, true);

  // Scroll the chat to the start of the newest answer (the chatbot's own autoscroll is off).
  let started = 0, finished = 0;
  const scroller = (el) => {
    for (let p = el.parentElement; p; p = p.parentElement) {
      const s = getComputedStyle(p).overflowY;
      if ((s === 'auto' || s === 'scroll') && p.scrollHeight > p.clientHeight) return p;
    }
    return null;
  };
  const toAnswer = () => {
    const chat = document.getElementById('rag-chatbot');
    if (!chat) return;
    const n = chat.querySelectorAll('[data-testid="user"]').length;
    const bots = chat.querySelectorAll('[data-testid="bot"]');
    if (n < finished) started = finished = n;  // undone or cleared
    if (n === 0 || bots.length < n) return;
    const bot = bots[bots.length - 1];
    const streaming = !!bot.querySelector('.rag-streaming');
    if (streaming ? started === n : finished === n) return;
    started = n;
    if (!streaming) finished = n;
    const box = scroller(bot);
    if (box) box.scrollTop += bot.getBoundingClientRect().top - box.getBoundingClientRect().top - 8;
    const top = chat.getBoundingClientRect().top;
    if (top < 0 || top > window.innerHeight * 0.5) chat.scrollIntoView({ block: 'start' });
  };
  new MutationObserver(toAnswer).observe(document.body, { childList: true, subtree: true, attributes: true,
                                                         attributeFilter: ['class'] });
  // On a phone the filter sits above the chat: fold it so the chat comes first.
  const fold = (tries) => {
    const box = document.getElementById('rag-side-box');
    const btn = box && box.querySelector('button');
    if (!btn) { if (tries < 100) setTimeout(() => fold(tries + 1), 50); return; }
    if (window.innerWidth <= 640 && btn.getAttribute('aria-expanded') !== 'false') btn.click();
  };
  fold(0);
}
"""
