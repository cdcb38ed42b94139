"""Bar charts of figures across places, as plain HTML (one bar per place, labelled with value, unit and
year): inside a chat answer and in the 数据 tab. A plain function, tested without a browser."""
from __future__ import annotations

from typing import Iterable, Mapping

from html import escape


def esc(text: object) -> str:
    """HTML-escaped text (quotes too), as ui.format escapes it."""
    return escape(str(text), quote=True)


def chart_html(rows: Iterable[Mapping], title: str = "") -> str:
    """`rows`: {"place", "year", "value", "unit", "as_written"} as an Answer's `chart` carries them.
    Bars are scaled to the largest value; the figure as the report writes it is the label."""
    rows = [r for r in rows if isinstance(r.get("value"), (int, float))]
    if len(rows) < 2:
        return ""
    top = max(abs(float(r["value"])) for r in rows) or 1.0
    head = f'<div class="rag-chart-title">{esc(title)}</div>' if title else ""
    bars = []
    for r in rows:
        share = max(abs(float(r["value"])) / top * 100, 1.5)
        year = f"（{r['year']}年）" if r.get("year") else ""
        label = r.get("as_written") or f"{r['value']:g}{r.get('unit') or ''}"
        bars.append(f'<div class="rag-bar-row"><span class="rag-bar-place">{esc(r["place"])}{esc(year)}</span>'
                    f'<span class="rag-bar-track"><span class="rag-bar" style="width:{share:.1f}%"></span></span>'
                    f'<span class="rag-bar-value">{esc(label)}</span></div>')
    return f'<div class="rag-chart" role="img" aria-label="{esc(title or "各地数字对比")}">{head}{"".join(bars)}</div>'


CHART_CSS = """
.rag-chart { margin: .6em 0; padding: .5em .6em; border: 1px solid var(--border-color-primary); border-radius: 8px; }
.rag-chart-title { font-weight: 600; margin-bottom: .3em; }
.rag-bar-row { display: grid; grid-template-columns: minmax(6em, 11em) 1fr auto; gap: .5em; align-items: center;
  margin: .2em 0; font-size: .92em; }
.rag-bar-track { background: var(--background-fill-secondary); border-radius: 4px; height: .9em; overflow: hidden; }
.rag-bar { display: block; height: 100%; background: #2563eb; border-radius: 4px; }
.dark .rag-bar { background: #60a5fa; }
.rag-bar-value { font-variant-numeric: tabular-nums; white-space: nowrap; }
@media (max-width: 480px) { .rag-bar-row { grid-template-columns: 6.5em 1fr auto; } }
"""
CHART_CSS += """
.rag-facts { border-collapse: collapse; width: 100%; font-size: .92em; }
.rag-facts th, .rag-facts td { border-bottom: 1px solid var(--border-color-primary); padding: .3em .4em; text-align: left;
  vertical-align: top; }
.rag-facts td:nth-child(1), .rag-facts td:nth-child(2), .rag-facts th:nth-child(2) { white-space: nowrap; }
.rag-facts td:nth-child(4) { white-space: nowrap; font-variant-numeric: tabular-nums; }
.rag-facts-title { min-width: 10em; }
"""
