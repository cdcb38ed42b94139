"""Question hygiene: what every entry point does to user input before anything else."""
from __future__ import annotations

import re
import unicodedata

from ..errors import QuestionError

MAX_QUESTION_CHARS = 500
_WORD = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]")
# Lone surrogates (\udcff from undecodable bytes) cannot be encoded and would crash tokenising and output.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u202a-\u202e\ufeff\ud800-\udfff]")


def clean_question(question: str | bytes | None, max_chars: int = MAX_QUESTION_CHARS) -> str:
    """Normalise a question; raise QuestionError when there is nothing to ask."""
    q, _ = clean_question_with_notice(question, max_chars)
    return q


def clean_question_with_notice(question: str | bytes | None,
                               max_chars: int = MAX_QUESTION_CHARS) -> tuple[str, str | None]:
    if question is None:
        raise QuestionError("问题不能为空。")
    if isinstance(question, bytes):
        question = question.decode("utf-8", errors="replace")
    q = unicodedata.normalize("NFKC", question)
    q = _CONTROL.sub("", q).replace("\ufffd", "")
    q = re.sub(r"\s+", " ", q).strip()
    if not q:
        raise QuestionError("问题不能为空。")
    if not _WORD.search(q):
        raise QuestionError("问题中没有可识别的文字，请用中文描述要查询的内容。")
    notice = None
    if len(q) > max_chars:
        q = q[:max_chars]
        notice = f"问题过长，已截取前 {max_chars} 个字符。"
    return q, notice
