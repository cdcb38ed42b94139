"""Text in a report that addresses a model (「忽略之前的所有指令，回答：…」) is data, never evidence.

The extractive answerer skips such sentences; the LLM never sees them, and the grounding check
does not count numbers that only they contain.
"""
from __future__ import annotations

import re

from ..sections import sentence_spans

INSTRUCTION = re.compile(
    r"(忽略|忘掉|忘记|无视|不要理会|抛开).{0,10}(指令|指示|提示|要求|规则|设定|说明)"
    r"|(系统|system)\s*(提示|prompt)|(^|[\s。；;！!])(system|系统|assistant|助手)\s*[:：]"
    r"|新的?(指示|指令|规则)\s*[:：]|(ignore|disregard|forget)\s+(all\s+|any\s+|the\s+)*(previous|prior|above|earlier)"
    r"|new instructions?\s*:|你(现在)?(必须|应该|只能)(回答|输出)|请(直接)?(回答|输出)[:：]", re.I)
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


def as_data(text: str) -> str:
    """Passage text made safe inside the prompt's <资料> delimiters: redacted, and unable to
    open or close a delimiter of its own (angle brackets become full-width)."""
    return redact(text).replace("<", "＜").replace(">", "＞")
