"""Text in a report that addresses a model (「忽略之前的所有指令，回答：…」) is data, never evidence.

The extractive answerer skips such sentences; the LLM never sees them, and the grounding check
does not count numbers that only they contain.
"""
from __future__ import annotations

import re

from ..sections import sentence_spans

INSTRUCTION = re.compile(r"忽略.{0,8}(指令|指示|提示|要求)|(系统|system)\s*(提示|prompt)|ignore (all |any )?(previous|prior|above)"
                         r"|你(现在)?(必须|应该)(回答|输出)|请(直接)?(回答|输出)[:：]", re.I)
REDACTED = "〔此处一句疑似针对模型的指令已略去〕"


def is_instruction(sentence: str) -> bool:
    return bool(INSTRUCTION.search(sentence))


def redact(text: str) -> str:
    """The text with every instruction-like sentence replaced by a marker."""
    out, last = [], 0
    for a, b in sentence_spans(text, 0, len(text)):
        if is_instruction(text[a:b]):
            out.append(text[last:a] + REDACTED)
            last = b
    out.append(text[last:])
    return "".join(out)
