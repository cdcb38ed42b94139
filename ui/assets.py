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
/* The report panel: beside the tabs (its own scroll, kept in view), below them on a phone. */
#rag-panel { display: none !important; }
body.rag-panel-open #rag-panel { display: flex !important; position: sticky; top: 0; max-height: 100vh;
  overflow-y: auto; align-self: flex-start; border-left: 2px solid var(--border-color-primary); padding-left: 10px; }
body.rag-panel-open #rag-side { display: none !important; }
.rag-panel-bar { display: flex; justify-content: space-between; gap: 1em; position: sticky; top: 0; z-index: 2;
  background: var(--background-fill-primary); padding: 4px 0; }
.rag-s.rag-cited { background: #fef3c7; color: #111827; border-bottom: 2px solid #f59e0b; }
.dark .rag-s.rag-cited { background: #78350f; color: #fffbeb; border-bottom-color: #fbbf24; }
a.rag-back-here { display: inline-block; margin: 0 .4em; padding: 0 8px; border-radius: 999px; font-size: .85em;
  background: var(--color-accent-soft); text-decoration: none !important; white-space: nowrap; }
.rag-md { display: none !important; }
a.rag-copy { float: right; font-size: .8em; color: var(--body-text-color-subdued) !important; text-decoration: none; }
a.rag-copy:hover { text-decoration: underline; }
#rag-pending:empty { display: none; }
#rag-pending { margin: 4px 0; font-size: .9em; }
.rag-pending-item { display: flex; gap: .5em; align-items: center; padding: 3px 8px; margin: 2px 0;
  border: 1px dashed var(--border-color-primary); border-radius: 6px; color: var(--body-text-color-subdued); }
.rag-pending-item .rag-pending-q { flex: 1; color: var(--body-text-color); overflow-wrap: anywhere; }
.rag-pending-item button { font-size: .85em; padding: 0 8px; border: 1px solid var(--border-color-primary);
  border-radius: 4px; background: var(--background-fill-secondary); cursor: pointer; }
#rag-pop { position: fixed; z-index: 1000; max-width: min(28em, 90vw); padding: 8px 10px; border-radius: 6px;
  font-size: .88em; line-height: 1.6; background: var(--background-fill-primary, #fff); color: var(--body-text-color, #111);
  border: 1px solid var(--border-color-primary, #ccc); box-shadow: 0 4px 16px rgba(0, 0, 0, .18); display: none; }
#rag-pop.rag-pop-on { display: block; }
.rag-stopped .rag-status { color: var(--body-text-color-subdued); }
.rag-checking .rag-status { color: var(--body-text-color-subdued); font-style: italic; }
/* Phones and 200% zoom: one scrolling area (the page), the filter above the chat (folded),
   the report panel below the chat. */
@media (max-width: 640px) {
  #rag-main { flex-direction: column; }
  body.rag-panel-open #rag-panel { position: static; max-height: none; overflow: visible; border-left: 0;
    border-top: 2px solid var(--border-color-primary); padding-left: 0; }
  #rag-chatbot { height: auto !important; max-height: none !important; min-height: 0 !important; }
  #rag-chatbot > div, #rag-chatbot .bubble-wrap, #rag-chatbot [role="log"] { height: auto !important;
    max-height: none !important; overflow: visible !important; }
  .rag-facts-wrap { overflow-x: auto; }
  #rag-side { order: -1; }
  #rag-side .rag-muted { display: none; }
  #rag-chat-row { flex-direction: column !important; }
  #rag-chat-row > * { width: 100% !important; min-width: 0 !important; }
  .rag-card-foot { flex-wrap: wrap; }
  #rag-actions { flex-wrap: nowrap; gap: 6px; }
  #rag-actions button { min-width: 0 !important; padding-left: 4px; padding-right: 4px; }
}
"""

# The page script: the js_on_load of a hidden gr.HTML (the "bridge"), so it may call `trigger`.
# - a [n] marker shows its quote in a popover (hover, focus, tap) and scrolls to card n, which flashes;
# - a card's 「在报告中查看」, a 数据 row's link or a catalogue title asks the server for that report
#   (a `click` event with its doc_id) and opens it in the panel beside the tabs (below on a phone),
#   every sentence the answer cites from it highlighted for good, a 「‹ 返回」 link at the sentence;
#   browser Back (or 返回) closes the panel and returns to the card the reader came from;
# - a question sent while an answer streams waits in a visible queue (cancellable), sent when it ends;
# - 「复制」 copies one answer as Markdown, 「导出对话」 downloads the conversation as a .md file;
# - after each new question the chat scrolls to the answer's start (not past it to the end);
# - Gradio's own English strings (the upload zone's 「Drop File Here」…) are shown in Chinese.
LINKS_JS = r"""
if (!window.__ragLinks) {
  window.__ragLinks = true;
  const $ = (sel, root) => (root || document).querySelector(sel);
  const flash = (el) => {
    el.classList.add('rag-flash');
    setTimeout(() => el.classList.remove('rag-flash'), 2600);
  };

  // ---- the report panel ----------------------------------------------------------
  const opened = () => $('#rag-report-view section.rag-report');
  let origin = null;  // where the reader came from (a card or a 数据 row), to return to
  let pushed = false;
  const openPanel = (doc) => {
    document.body.classList.add('rag-panel-open');
    if (pushed) history.replaceState({ ragPanel: doc }, '');
    else { history.pushState({ ragPanel: doc }, ''); pushed = true; }
  };
  window.__ragOpenPanel = (doc) => { origin = null; openPanel(doc); };
  const closePanel = () => {
    document.body.classList.remove('rag-panel-open');
    const el = origin;
    if (el && el.isConnected) { el.scrollIntoView({ block: 'center' }); flash(el); }
  };
  const goBack = () => { if (pushed) history.back(); else closePanel(); };
  window.addEventListener('popstate', () => {
    if (document.body.classList.contains('rag-panel-open')) { pushed = false; closePanel(); }
  });
  const spanOf = (a) => {
    const m = /(\d+)\D+(\d+)/.exec(a.getAttribute('title') || '');
    const parts = a.getAttribute('href').slice(6).split('/');
    if (m) return [Number(m[1]), Number(m[2])];
    return parts[1] === undefined ? null : [Number(parts[1]), Number(parts[1]) + 1];
  };
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
  const reveal = (doc, id, start, spans, before, tries) => {
    const again = () => { if (tries < 300) setTimeout(() => reveal(doc, id, start, spans, before, tries + 1), 50); };
    const view = $('#rag-report-view');
    if (view && view.querySelector('.rag-gone') && (!opened())) return;  // the report is no longer there
    const sec = opened();
    if (!sec || sec.dataset.doc !== doc || sec.dataset.loaded === before) return again();
    for (const s of sec.querySelectorAll('.rag-s')) {
      const a = Number(s.dataset.start), b = Number(s.dataset.end);
      if (spans.some(([x, y]) => a < y && x < b)) s.classList.add('rag-cited');
    }
    const el = target(sec, id, start);
    if (!el || el.offsetParent === null) return again();
    if (el !== sec) {
      const backHere = document.createElement('a');
      backHere.className = 'rag-back-here';
      backHere.href = '#rag-back';
      backHere.textContent = '‹ 返回';
      backHere.title = '回到打开报告之前的位置';
      el.after(backHere);
      el.classList.add('rag-cited');
    }
    el.scrollIntoView({ block: id ? 'center' : 'start' });
    if (id) flash(el);
  };

  // ---- citation popovers ---------------------------------------------------------
  const pop = document.createElement('div');
  pop.id = 'rag-pop';
  pop.setAttribute('role', 'tooltip');
  document.body.appendChild(pop);
  let popFor = null;
  const place = (a) => {
    const r = a.getBoundingClientRect();
    if (r.bottom < 0 || r.top > window.innerHeight) { hidePop(); return; }
    const w = pop.offsetWidth, h = pop.offsetHeight;
    pop.style.left = Math.max(8, Math.min(r.left, window.innerWidth - w - 8)) + 'px';
    pop.style.top = (r.bottom + h + 8 < window.innerHeight ? r.bottom + 6 : Math.max(8, r.top - h - 6)) + 'px';
  };
  const showPop = (a) => {
    if (a.hasAttribute('title')) { a.dataset.tip = a.getAttribute('title'); a.removeAttribute('title'); }
    pop.textContent = a.dataset.tip || '';
    if (!pop.textContent) return;
    popFor = a;
    pop.classList.add('rag-pop-on');
    a.setAttribute('aria-describedby', 'rag-pop');
    place(a);
  };
  const hidePop = () => { pop.classList.remove('rag-pop-on'); popFor = null; };
  document.addEventListener('mouseover', (ev) => {
    const a = ev.target.closest && ev.target.closest('a.rag-cite');
    if (a) showPop(a);
  });
  document.addEventListener('mouseout', (ev) => {
    const a = ev.target.closest && ev.target.closest('a.rag-cite');
    if (a && !a.contains(ev.relatedTarget)) hidePop();
  });
  document.addEventListener('focusin', (ev) => {
    const a = ev.target.closest && ev.target.closest('a.rag-cite');
    if (a) showPop(a); else hidePop();
  });
  // scrolling (ours, to the card, or the reader's) keeps the popover beside its marker while it is on screen
  window.addEventListener('scroll', () => { if (popFor) place(popFor); }, true);

  // ---- copy and export -----------------------------------------------------------
  const copyText = async (text) => {
    try { await navigator.clipboard.writeText(text); return true; } catch (e) {
      const t = document.createElement('textarea');
      t.value = text; document.body.appendChild(t); t.select();
      const ok = document.execCommand('copy'); t.remove(); return ok;
    }
  };
  const conversationMarkdown = () => {
    const chat = $('#rag-chatbot');
    if (!chat) return '';
    const users = [...chat.querySelectorAll('[data-testid="user"]')];
    const bots = [...chat.querySelectorAll('[data-testid="bot"]')];
    return bots.map((b, i) => {
      const md = b.querySelector('.rag-md');
      if (md) return md.textContent.trim();
      const q = users[i] ? users[i].innerText.trim() : '';
      return `### 问：${q}\n\n${b.innerText.trim()}`;
    }).join('\n\n---\n\n');
  };
  window.__ragConversationMarkdown = conversationMarkdown;
  window.__ragExport = () => {
    const text = conversationMarkdown();
    if (!text) return;
    const d = new Date(), p = (n) => String(n).padStart(2, '0');
    const name = `对话-${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}.md`;
    const a = document.createElement('a');
    a.href = URL.createObjectURL(new Blob([`# 法治政府建设年度报告问答\n\n${text}\n`], { type: 'text/markdown' }));
    a.download = name; document.body.appendChild(a); a.click(); a.remove();
  };

  document.addEventListener('click', (ev) => {
    const a = ev.target.closest && ev.target.closest('a[href^="#cite-"], a[href^="#open/"], a[href="#rag-back"], a[href="#rag-copy"], a[href^="#r-"]');
    if (!a) { if (!(ev.target.closest && ev.target.closest('#rag-pop'))) hidePop(); return; }
    ev.preventDefault();
    ev.stopPropagation();
    const href = a.getAttribute('href');
    if (href.startsWith('#cite-')) {
      showPop(a);
      const reply = a.closest('.rag-reply');
      const card = reply && reply.querySelector(`.rag-card-${Number(href.slice(6))}`);
      if (card) { card.scrollIntoView({ block: 'nearest' }); flash(card); }
    } else if (href === '#rag-back') {
      goBack();
    } else if (href === '#rag-copy') {
      const md = a.closest('.rag-reply') && a.closest('.rag-reply').querySelector('.rag-md');
      if (md) copyText(md.textContent.trim()).then((ok) => {
        const was = a.textContent; a.textContent = ok ? '已复制' : '复制失败';
        setTimeout(() => { a.textContent = was; }, 1500);
      });
    } else if (href.startsWith('#open/')) {  // #open/<doc>[/<offset>/<anchor id>]
      const [doc, start, id] = href.slice(6).split('/');
      const docId = decodeURIComponent(doc);
      origin = a.closest('.rag-card') || a.closest('tr') || a;
      const scope = a.closest('.rag-reply') || a.closest('table') || a.parentElement;
      const prefix = `#open/${doc}/`;
      const spans = [...scope.querySelectorAll('a[href^="#open/"]')]
        .filter((l) => l.getAttribute('href').startsWith(prefix) && (l.closest('.rag-reply') || l === a))
        .map(spanOf).filter(Boolean);
      const sec = opened();
      openPanel(docId);
      trigger('click', { doc: docId });
      reveal(docId, id || null, start === undefined ? null : Number(start), spans, sec ? sec.dataset.loaded : null, 0);
    } else {
      const el = document.getElementById(decodeURIComponent(href.slice(1)));
      if (el) { el.scrollIntoView({ block: 'center' }); flash(el); }
    }
  }, true);

  // ---- questions asked while an answer streams: a visible queue -------------------
  const pending = [];
  let launchedAt = 0, launchedUsers = -1, draft = null;
  const box = () => $('#rag-input textarea');
  const stopBtn = () => $('#rag-stop') && ($('#rag-stop').tagName === 'BUTTON' ? $('#rag-stop') : $('#rag-stop button'));
  const users = () => document.querySelectorAll('#rag-chatbot [data-testid="user"]').length;
  const busy = () => {
    const s = stopBtn();
    if (s && !s.disabled) return true;
    return launchedAt > 0 && users() <= launchedUsers && Date.now() - launchedAt < 10000;
  };
  const setBox = (text) => {
    const t = box();
    if (!t) return;
    Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value').set.call(t, text);
    t.dispatchEvent(new Event('input', { bubbles: true }));
  };
  const renderPending = () => {
    const list = $('#rag-pending');
    if (!list) return;
    list.replaceChildren(...pending.map((q, i) => {
      const row = document.createElement('div');
      row.className = 'rag-pending-item';
      const label = document.createElement('span');
      label.textContent = i === 0 ? '排队中（当前回答结束后发送）：' : '排队中：';
      const text = document.createElement('span');
      text.className = 'rag-pending-q';
      text.textContent = q;
      const cancel = document.createElement('button');
      cancel.type = 'button';
      cancel.textContent = '取消';
      cancel.title = '不发送这个问题';
      cancel.addEventListener('click', () => { pending.splice(i, 1); renderPending(); });
      row.append(label, text, cancel);
      return row;
    }));
  };
  window.__ragPending = () => pending.slice();
  window.__ragClearPending = () => { pending.length = 0; renderPending(); };
  const launched = () => { launchedAt = Date.now(); launchedUsers = users(); };
  const hold = (ev) => {
    const t = box();
    const text = t ? t.value : '';
    if (!text.trim()) return false;
    if (!busy()) { launched(); return false; }
    ev.preventDefault();
    ev.stopImmediatePropagation();
    pending.push(text);
    setBox('');
    renderPending();
    return true;
  };
  const onKey = (ev) => {
    if (ev.key !== 'Enter' || ev.shiftKey || ev.isComposing || ev.keyCode === 229) return;
    if (!(ev.target.closest && ev.target.closest('#rag-input'))) return;
    if (ev.type === 'keydown') { ev.__ragHeld = hold(ev); window.__ragHeldKey = ev.__ragHeld; }
    else if (window.__ragHeldKey) { ev.preventDefault(); ev.stopImmediatePropagation(); }
  };
  window.addEventListener('keydown', onKey, true);
  window.addEventListener('keypress', onKey, true);
  window.addEventListener('click', (ev) => {
    if (ev.target.closest && ev.target.closest('#rag-send') && !ev.__ragQueued) hold(ev);
  }, true);
  // A queued question is sent by clicking 发送 for the user. That click can be lost (the answer that just
  // ended is still settling in the page); a question is never lost with it: while it sits unsent in the box,
  // with nothing answering and nothing waiting in Gradio's queue, it is sent again (at most three times).
  let inflight = null;
  const chatWaiting = () => !!document.querySelector('#rag-chatbot [data-testid="status-tracker"]:not(.hide)');
  const clickSend = () => {
    const send = $('#rag-send');
    if (!send || send.disabled) return false;
    const ev = new MouseEvent('click', { bubbles: true, cancelable: true });
    ev.__ragQueued = true;
    send.dispatchEvent(ev);
    return true;
  };
  const confirmSent = () => {
    const t = box();
    if (users() > inflight.users || !t || t.value !== inflight.q) { inflight = null; return; }  // sent, or edited
    const s = stopBtn();
    if ((s && !s.disabled) || chatWaiting() || Date.now() - inflight.at < 3000) return;
    if (inflight.tries >= 3) { inflight = null; return; }  // it stays in the box for the user to send
    inflight.tries += 1;
    inflight.at = Date.now();
    launched();
    clickSend();
  };
  const sendNext = () => {
    if (inflight) { confirmSent(); return; }
    if (!pending.length || busy()) return;
    const t = box();
    if (!t || !$('#rag-send')) return;
    const q = pending.shift();
    renderPending();
    if (t.value.trim()) draft = t.value;  // the user is typing the next one: keep it
    setBox(q);
    launched();
    inflight = { q, users: users(), at: Date.now(), tries: 1 };
    setTimeout(clickSend, 150);
  };
  setInterval(sendNext, 400);

  // ---- scroll the chat to the start of the newest answer (the chatbot's own autoscroll is off)
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
    if (draft !== null && n > launchedUsers && box() && !box().value) { setBox(draft); draft = null; }
    const bots = chat.querySelectorAll('[data-testid="bot"]');
    if (n < finished) started = finished = n;  // undone or cleared
    if (n === 0 || bots.length < n) return;
    const bot = bots[bots.length - 1];
    const streaming = !!bot.querySelector('.rag-streaming');
    if (streaming ? started === n : finished === n) return;
    started = n;
    if (!streaming) finished = n;
    const sc = scroller(bot);
    if (sc && sc !== document.scrollingElement) sc.scrollTop += bot.getBoundingClientRect().top - sc.getBoundingClientRect().top - 8;
    const top = bot.getBoundingClientRect().top;
    if (top < 0 || top > window.innerHeight * 0.6) bot.scrollIntoView({ block: 'start' });
  };

  // ---- Gradio's own English strings, in Chinese --------------------------------------
  const ZH = { 'Drop File Here': '拖放文件到这里', '- or -': '或', 'Click to Upload': '点击选择文件',
               'Upload file': '上传文件', 'Clear': '清除', 'Loading...': '加载中…', 'Error': '错误',
               'Copy': '复制', 'Copied': '已复制', 'Retry': '重试', 'Undo': '撤回', 'Download': '下载',
               'Search': '搜索', 'No results': '没有结果', 'Submit': '提交', 'Close': '关闭',
               'Built with Gradio': '使用 Gradio 构建', 'Settings': '设置', 'Use via API': '通过 API 使用',
               'common.complete': '完成', 'Click to upload or drop files': '点击上传或拖放文件',
               'Copy table data': '复制表格数据', 'Fullscreen': '全屏', 'File upload': '上传文件',
               'Table actions': '表格操作', 'Open cell menu': '打开单元格菜单', 'More tabs': '更多标签页',
               'chatbot conversation': '对话', 'undo': '撤回', 'retry': '重试', 'Dataframe': '表格',
               'Empty value': '空', 'Gradio footer navigation': '页脚导航', 'Textbox': '问题',
               'Dropdown': '下拉选择', 'Checkbox': '勾选', 'Remove': '移除', 'Select all': '全选' };
  const translate = (root) => {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const t = n.nodeValue.trim();
      if (t && ZH[t] && !(n.parentElement && n.parentElement.closest('.rag-reply, .rag-reports, #rag-pending'))) {
        n.nodeValue = n.nodeValue.replace(t, ZH[t]);
      }
    }
    for (const el of root.querySelectorAll('[aria-label], [title]')) {
      for (const attr of ['aria-label', 'title']) {
        const v = el.getAttribute(attr);
        if (v && ZH[v]) el.setAttribute(attr, ZH[v]);
      }
      // the chatbot labels each message with its raw HTML ("bot's message: <div …"): read its text instead
      const m = /^(user|bot)'s message:/.exec(el.getAttribute('aria-label') || '');
      if (m) el.setAttribute('aria-label', (m[1] === 'user' ? '提问：' : '回答：') + el.innerText.trim().slice(0, 300));
    }
  };
  let translating = false;
  new MutationObserver(() => {
    toAnswer();
    if (translating) return;
    translating = true;
    requestAnimationFrame(() => { translate(document.body); translating = false; });
  }).observe(document.body, { childList: true, subtree: true, characterData: true, attributes: true,
                 attributeFilter: ['class', 'disabled', 'aria-label'] });
  translate(document.body);

  // On a phone the filter sits above the chat: fold it so the chat comes first.
  const fold = (tries) => {
    const b = document.getElementById('rag-side-box');
    const btn = b && b.querySelector('button');
    if (!btn) { if (tries < 100) setTimeout(() => fold(tries + 1), 50); return; }
    if (window.innerWidth <= 640 && btn.getAttribute('aria-expanded') !== 'false') btn.click();
  };
  fold(0);
}
"""
