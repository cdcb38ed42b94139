"""How a figure stands to the others in its sentence: from → to (由A提升至B), a change, a total and its parts
(其中), an item of a 分别 list, or plain. Pure functions of one Simplified sentence; word lists are `rules`."""
from __future__ import annotations

import re

from . import rules
from .describe import _respective_verb
from .phrases import _clause_start
from .words import NumberWords


def frame_of(sentence: str, words: list[NumberWords], k: int) -> str:
    """plain | from | to | delta | part | total: how figure k stands to the others in its sentence."""
    nw = words[k]
    q = nw.quantity
    before = sentence[max(0, q.start - 2):q.start]
    nxt = words[k + 1].quantity if k + 1 < len(words) else None
    if nxt is not None and (any(before.endswith(w) for w in rules.FROM_WORDS)
                            or rules.FROM_OF.search(sentence[max(0, q.start - 7):q.start])):
        between = sentence[q.end:nxt.start].strip()
        if re.fullmatch(r"[\u4e00-\u9fff]{0,4}(至|到|为)", between):
            return "from"
    if k and words[k - 1].quantity.end <= q.start:
        prev = words[k - 1].quantity
        between = sentence[prev.end:q.start].strip()
        if re.fullmatch(r"[\u4e00-\u9fff]{0,4}(至|到)", between) and (any(
                sentence[max(0, prev.start - 2):prev.start].endswith(w) for w in rules.FROM_WORDS)
                or rules.FROM_OF.search(sentence[max(0, prev.start - 7):prev.start])):
            return "to"
    lead = sentence[:q.start]
    clause = lead[_clause_start(lead):]
    tail = clause.rstrip("了约近 ")
    if any(tail.endswith(w) for w in rules.TO_WORDS if w not in ("达到", "到")) and not tail.endswith("截至") \
            or re.search(r"(调整|优化|压缩|整合|合并|精简|改革)后(为|达到?|共)?$", tail) or rules.REACH_VERB.search(tail):
        return "to"
    if nw.respective:
        verb = _respective_verb(sentence, q.start)
        if verb and any(verb.endswith(v) for v in rules.DELTA_VERBS):
            return "delta"
        return "plain"
    if any(clause.rstrip("了约近超过 ").endswith(v) for v in rules.DELTA_VERBS):
        if not clause.rstrip("了约近超过 ").endswith(("多", "少")) or re.search(r"(比|较|同比).{0,12}$", clause):
            return "delta"
    if clause.lstrip().startswith(rules.PART_WORDS):
        return "part"
    since_comma = lead[max(lead.rfind(c) for c in "，,；;。") + 1:]
    if since_comma.lstrip().startswith("其中"):
        return "part"  # 「其中行政处罚事项17项、行政检查事项6项」: every item the 其中 lists
    among = lead.rfind("其中")
    if among >= max(lead.rfind(c) for c in "；;。") and among >= 0:
        first = next((w.quantity for w in words if w.quantity.start > among), None)
        total = _last_before(words, among)
        if first is not None and first.unit == q.unit and not _ends_list(since_comma) \
                and not (total is not None and total.unit == q.unit and q.value > total.value):
            return "part"  # 「其中食品安全领域案件87件，药品…领域案件23件」: the 其中 list runs on past a comma
    if k and (clause.lstrip().startswith(("已", "均已", "其中已")) or _AMONG_BEFORE.search(clause)) \
            and words[k - 1].quantity.unit == q.unit and words[k - 1].quantity.value >= q.value:
        return "part"  # 「收到线索239个,已办结231个」「18个司法所中已有12个…」
    if nxt is not None and nxt.unit == q.unit and nxt.value <= q.value and \
            _AMONG_AFTER.match(sentence[q.end:nxt.start]):
        return "total"  # 「全县18个司法所中已有12个达到…」
    if nxt is not None and nxt.unit == q.unit and nxt.value <= q.value and \
            (re.match(r"^[，,]\s*(已|均已|其中已)", sentence[q.end:])
             or re.match(r"^[，,；;]\s*(?:" + "|".join(rules.PART_WORDS) + ")", sentence[q.end:])):
        return "total"  # 「…机构46家，其中律师事务所31家」
    among = sentence.find("其中", q.end)
    first = next((w.quantity for w in words if w.quantity.start > among), None) if among >= 0 else None
    if first is None or (first.unit != q.unit and first.unit):
        return "plain"  # 「罚没款合计132.6万元；其中…案件87件」: parts in another measure word are not its parts
    if any(w in clause for w in rules.TOTAL_WORDS):
        return "total"
    group = max(lead.rfind(c) for c in "；;。") + 1
    neighbour = _last_before(words, among)
    if neighbour is not None and neighbour is not q and neighbour.unit == q.unit \
            and re.fullmatch(r"\s*[，,]\s*", sentence[neighbour.end:among]):
        return "plain"  # 「受理申请200件，行政应诉案件150件，其中败诉5件」: 150 is the total, not 200
    if "。" not in sentence[q.end:among] and first.value <= q.value and \
            not any(w.quantity.unit == q.unit and w.quantity.start >= group for w in words[:k]):
        # 「全年立案查处各类违法案件214件，结案198件…；其中食品安全领域案件87件」: the parts' total is the
        # clause group's first figure in their measure word
        return "total"
    return "plain"


def _last_before(words: list[NumberWords], pos: int):
    """The last figure that ends at or before `pos` (the figure a 其中 at `pos` follows), or None."""
    return next((w.quantity for w in reversed(words) if w.quantity.end <= pos), None)


def _ends_list(clause: str) -> bool:
    """A clause that opens with a total or a whole-period word (「全年共受理投诉举报3200件」) ends a 其中 list."""
    clause = clause.lstrip()
    return clause.startswith(rules.TOTAL_WORDS) or bool(re.match(r"全(年|市|县|区|镇|省|乡|街道)", clause))


# 「18个司法所中已有12个」: the figure before 中 is the total, the one after 已有 its part.
_AMONG_AFTER = re.compile(r"^[\u4e00-\u9fff（）()]{0,12}?(?:中|里|当中)[，,]?(?:已有|已|有)$")
_AMONG_BEFORE = re.compile(r"(?:中|里|当中)[，,]?(?:已有|已|有)$")
