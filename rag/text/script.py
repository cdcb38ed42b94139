"""Script conversion: Traditional → Simplified with the text's length kept, so offsets are shared."""
from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["to_simplified"]


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


# Reports published in Traditional characters often also use Taiwan vocabulary (政府資訊, 網路, 程式)
# where a Simplified question says 信息, 网络, 程序. Same lengths, so offsets are kept.
_REGIONAL_WORDS = {"资讯": "信息", "网路": "网络", "程式": "程序", "水准": "水平", "软体": "软件"}
_REGIONAL = re.compile("|".join(_REGIONAL_WORDS))


def to_simplified(text: str) -> str:
    """Traditional → Simplified (and mainland wording), keeping the length so offsets stay valid."""
    converted = _t2s().convert(text)
    if len(converted) != len(text):
        # A phrase rule changed the length: fall back to one character at a time.
        cc = _t2s()
        converted = "".join(ch if len(c := cc.convert(ch)) != 1 else c for ch in text)
    return _REGIONAL.sub(lambda m: _REGIONAL_WORDS[m.group()], converted)
