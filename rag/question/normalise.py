"""Any wording to the reports' wording: English terms, pinyin place names, homophone typos, spoken fillers.

Each step returns the rewritten text and the rewrites it made, so the answer can say what it understood.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..text.script import to_simplified
from ..types import CatalogEntry
from . import vocab

_CJK = re.compile(r"[\u4e00-\u9fff]")
_ASCII_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
_POSSESSIVE = re.compile(r"['’]s$")
_AUX_START = re.compile(r"^\s*(did|does|do|is|was|were|are|has|have|had|can|could)\b", re.I)
_PLACE_SUFFIX_EN = {"district": "区", "county": "县", "town": "镇", "township": "镇", "city": "市",
                    "province": "省", "subdistrict": "街道", "street": "街道", "qu": "区", "xian": "县",
                    "zhen": "镇", "shi": "市"}
_SUFFIX_PINYIN = ("qu", "xian", "zhen", "shi", "sheng", "jiedao", "xiang")
# Characters that make a window a question or function word, never a typo of a report word.
_NEVER_TYPO = set("哪几多少什么吗呢怎谁是有的了在和与及吧啊年月日个件次项")


def language_of(text: str) -> str:
    """「zh」 when the question is mostly Chinese characters, 「en」 when mostly Latin words."""
    cjk = len(_CJK.findall(text))
    latin = sum(len(w) for w in _ASCII_WORD.findall(text))
    return "en" if latin > 3 * cjk and latin >= 6 else "zh"


@lru_cache(maxsize=1)
def glossary() -> tuple[re.Pattern, dict[str, str]]:
    """English domain terms → the reports' words (rag/question/glossary.tsv): one pattern of every term,
    longest first (at each place the longest term that fits is read), and each term's Chinese."""
    rows: dict[str, str] = {}
    for line in (Path(__file__).with_name("glossary.tsv")).read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        en, _, zh = line.partition("\t")
        rows.setdefault(en.strip().lower(), zh.strip())
    terms = sorted(rows, key=len, reverse=True)
    pattern = re.compile(r"(?<![A-Za-z])(?:" + "|".join(map(re.escape, terms)) + r")(?![A-Za-z])", re.I)
    return pattern, rows


def glossary_terms(text: str) -> list[str]:
    """The reports' words for the English terms in `text`, in order, none that another already holds
    (「first violation no penalty」 → 首违不罚, not 首违不罚 and 不罚)."""
    pattern, rows = glossary()
    terms = [rows[m.group().lower()] for m in pattern.finditer(text) if rows[m.group().lower()]] if rows else []
    return [t for i, t in enumerate(terms) if not any(t in other for j, other in enumerate(terms) if j != i and
                                                      len(other) > len(t)) and t not in terms[:i]]


_EN_PLACES = {"first": "一", "1st": "一", "second": "二", "2nd": "二", "third": "三", "3rd": "三", "fourth": "四",
              "4th": "四", "fifth": "五", "5th": "五", "three": "三", "3": "三", "five": "五", "5": "五", "ten": "十",
              "10": "十"}


def translate_english(text: str) -> str:
    """Glossary terms to Chinese, years to 「2024年」, yes/no openers to 吗; other English words dropped."""
    yes_no = bool(_AUX_START.match(text))
    # 「What was the total budget of…」 asks for a figure as 「…多少」 does.
    amount = bool(re.match(r"\s*what\s+(?:is|was|were|are)\s+the\s+(?:total|overall|number|amount|sum|value|budget|"
                           r"percentage|proportion|share|size)\b", text, re.I)) or bool(
        re.match(r"\s*what\s+(?:is|was|were|are)\b", text, re.I)
        and not re.search(r"\b(?:why|reason|reasons|cause|causes|trend|change|changes)\b", text, re.I)
        and re.search(r"\b(?:rate|ratio|concentration|percentage|proportion|share|amount|number|total|budget)\s*"
                      r"(?:in\s+\d{4}\s*)?\??\s*$", text, re.I))  # 「What was X's ozone concentration in 2022?」
    text = re.sub(r"\b(in|for|during|of)\s+((?:19|20)\d{2})\b", r" \2年 ", text, flags=re.I)
    text = re.sub(r"(?<![0-9])((?:19|20)\d{2})(?![0-9年])", r"\1年", text)
    # A place: 「ranked first」 → 排名第一, 「in the top three」 → 排名前三, 「what place / where did … rank」 → 排名第几.
    asks_place = bool(re.search(r"\bwhat\s+(?:place|rank|ranking|position)\b|\b(?:where|how)\s+(?:did|does|do)\b.*\brank",
                                text, re.I))
    text = re.sub(r"\b(?:ranked|ranks|rank|ranking|placed|came|was)\s+(?:No\.?\s*)?(first|1st|second|2nd|third|3rd|fourth|4th|"
                  r"fifth|5th)\b", lambda m: f" 排名第{_EN_PLACES[m.group(1).lower()]} ", text, flags=re.I)
    text = re.sub(r"\b(?:in|among)\s+the\s+top\s+(three|3|five|5|ten|10)\b",
                  lambda m: f" 排名前{_EN_PLACES[m.group(1).lower()]} ", text, flags=re.I)
    text = re.sub(r"\bunder\s+(?=\d)", " 少于 ", text, flags=re.I)  # 「under 500」 is a bound; 「under the scheme」 is not
    pattern, rows = glossary()
    if rows:
        text = pattern.sub(lambda m: f" {rows[m.group().lower()]} " if rows[m.group().lower()] else " ", text)
    text = re.sub(r"(?<=[A-Za-z\s])['’]s\b", "", text)  # what possessives the glossary left: 「government's」
    text = _ASCII_WORD.sub("", text)  # words the glossary does not know carry no report vocabulary
    text = re.sub(r"\s+", "", text).strip("?？.。!！ ")
    if yes_no and not text.endswith("吗"):
        text += "吗"
    if amount and "多少" not in text and not asks_place:
        text += "是多少"
    if asks_place and "第几" not in text:
        text += "排名第几"
    return text + "？"


@dataclass
class PlaceNames:
    """Catalogue place names by their toneless pinyin: 「changping」 → 昌平区."""

    by_pinyin: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_catalog(cls, catalog: list[CatalogEntry]) -> "PlaceNames":
        out: dict[str, str] = {}
        for e in catalog:
            names = {to_simplified(n) for n in (e.region, e.parent or "", *e.aliases) if n}
            for part in re.findall(r".+?(?:省|自治区|市|区|县|镇|乡|街道)", to_simplified(e.region)):
                names.add(part)
            for name in sorted(names, key=lambda n: (-len(n), n)):  # the fullest name first, in a fixed order
                if not _CJK.search(name):
                    continue
                for full in _readings(name):
                    out.setdefault(full, name)
                    for suf in _SUFFIX_PINYIN:
                        if full.endswith(suf) and len(full) > len(suf) + 3:
                            out.setdefault(full[: -len(suf)], name)  # 「changping」 names 昌平区 too
        return cls(out)

    def rewrite(self, text: str) -> tuple[str, list[tuple[str, str]]]:
        """Replace runs of Latin words that spell a catalogue place in pinyin (Chang Ping, changping区)."""
        words = list(_ASCII_WORD.finditer(text))
        out, done, pos = [], [], 0
        i = 0
        while i < len(words):
            hit = None
            for n in (3, 2, 1):  # longest run first: 「Chang Ping District」
                run = words[i:i + n]
                if len(run) < n or not all(re.fullmatch(r"[\s]*", text[a.end():b.start()])
                                           for a, b in zip(run, run[1:])):
                    continue
                key = "".join(_POSSESSIVE.sub("", w.group().lower()) for w in run)  # Xicheng's → xicheng
                if key in self.by_pinyin:
                    hit = (run, self.by_pinyin[key])
                    break
            if not hit:
                i += 1
                continue
            run, name = hit
            end, j = run[-1].end(), i + len(run)
            if j < len(words) and words[j].group().lower() in _PLACE_SUFFIX_EN and not text[end:words[j].start()].strip():
                end, j = words[j].end(), j + 1  # 「Changping District」: the suffix is part of the name
            out.append(text[pos:run[0].start()])
            out.append(name)
            done.append((text[run[0].start():end], name))
            pos, i = end, j
        out.append(text[pos:])
        return "".join(out), done


@lru_cache(maxsize=1)
def _char_readings() -> dict[int, str]:
    """pypinyin's character table (code point → "zhǎng,cháng"). Only the table: importing pypinyin itself
    loads its phrase dictionaries (1.5 s), which reading single characters does not need."""
    import importlib.util
    from pathlib import Path

    package = importlib.util.find_spec("pypinyin")  # located, not imported
    path = Path(package.origin).with_name("pinyin_dict.py")
    spec = importlib.util.spec_from_file_location("_rag_pinyin_dict", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.pinyin_dict


def syllables(ch: str) -> list[str]:
    """A character's toneless readings, most common first (长 → zhang, chang); itself when not Chinese."""
    raw = _char_readings().get(ord(ch))
    if not raw:
        return [ch.lower()]
    out = []
    for r in raw.split(","):
        plain = "".join(c for c in unicodedata.normalize("NFD", r) if not unicodedata.combining(c))
        out.append(plain.lower())
    return list(dict.fromkeys(out))


def sound(word: str) -> str:
    """A word's toneless pinyin by the first reading of each character (the same for question and reports)."""
    return " ".join(syllables(ch)[0] for ch in word)


def _readings(name: str, limit: int = 16) -> list[str]:
    """Toneless pinyin spellings of a name, every reading of its heteronyms (长子营: zhangziying, changziying)."""
    from itertools import product

    if len(name) > 5:  # full names (北京市大兴区长子营镇) keep their usual reading; aliases carry the rest
        return [sound(name).replace(" ", "")]
    combos = ["".join(c) for _, c in zip(range(limit), product(*(syllables(ch) for ch in name)))]
    return list(dict.fromkeys(combos))


def unknown_pinyin_places(text: str) -> list[str]:
    """Latin names left after catalogue matching that stand as a place (Haidian District, Chaoyang区)."""
    out = []
    for m in re.finditer(r"([A-Z][a-z]+(?:\s?[A-Z]?[a-z]+)?)\s*(?:District|County|Town|Township|City|Province|区|县|镇|市|省)",
                         text):
        if m.group(1).lower() not in _PLACE_SUFFIX_EN:
            out.append(m.group(1))
    return out


class Vocabulary:
    """The reports' words by toneless pinyin, for reading homophone typos (行政复义 → 行政复议)."""

    def __init__(self, words):
        self.words = {w for w in words if 2 <= len(w) <= 6 and all(_CJK.match(c) for c in w)}
        self._by_sound: dict[tuple[int, str], list[str]] = {}
        for w in self.words:
            self._by_sound.setdefault((len(w), sound(w)), []).append(w)

    def correct(self, text: str) -> tuple[str, list[tuple[str, str]]]:
        """Words of the question the reports never use, read as the report word that sounds the same.

        Only jieba tokens the corpus lacks (复义, 工开) or runs of single characters are tried, so a
        correct word is never split and re-read (行政复议 stays).
        """
        from ..text.tokens import jieba_module

        jieba = jieba_module()
        freq = jieba.dt.FREQ
        tokens = list(jieba.cut(text))
        windows: list[str] = []
        i = 0
        while i < len(tokens):
            t = tokens[i]
            if len(t) >= 2:
                windows.append(t)
                i += 1
                continue
            j = i
            while j < len(tokens) and len(tokens[j]) == 1:
                j += 1
            run = "".join(tokens[i:j])
            windows += [run[k:k + n] for n in (3, 2) for k in range(len(run) - n + 1)]
            i = j
        fixes: list[tuple[str, str]] = []
        for w in windows:
            if not (2 <= len(w) <= 4) or not all(_CJK.match(c) for c in w) or w in self.words \
                    or any(c in _NEVER_TYPO for c in w) or (len(w) == 2 and freq.get(w, 0) >= 50) \
                    or any(w in f for _, f in fixes):
                continue
            cands = [c for c in self._by_sound.get((len(w), sound(w)), ())
                     if sum(a != b for a, b in zip(c, w)) == 1]
            if len(cands) == 1:
                fixes.append((w, cands[0]))
        for wrong, right in fixes:
            text = text.replace(wrong, right)
        return text, fixes


def _without_aspect_guo(text: str) -> str:
    """「制发过行政规范性文件吗」: the 过 of having done (jieba's particle ug) is not in the reports' words;
    the 过 of 超过 / 通过 is part of its word and stays, and 过 before a number is a bound (过千)."""
    if "过" not in text:
        return text
    import jieba.posseg

    from ..text.tokens import jieba_module

    jieba_module()
    toks = list(jieba.posseg.cut(text))
    def bound(i: int) -> bool:  # 「受理量过千了吗」「过了1000件」: 过 before a number is a bound
        nxt = [t for t in toks[i + 1:i + 3]]
        return bool(nxt) and (nxt[0].flag == "m" or (nxt[0].word == "了" and len(nxt) > 1 and nxt[1].flag == "m"))

    return "".join(w for i, (w, f) in enumerate(toks) if not (w == "过" and f == "ug" and not bound(i)))


def drop_fillers(text: str) -> str:
    """Spoken wording (那边、来着、啊、一年里、24年) to the written form the reports use."""
    # 「恩阳24年」: a two-digit year after a name or at the start, not a duration (开展了10年).
    text = re.sub(r"(^|[\u4e00-\u9fff])((?:19|2\d|30))年(?!以上|以来|来|间|内|多|左右)", r"\g<1>20\2年", text)
    for spoken, written in vocab.SPOKEN:
        text = text.replace(spoken, written)
    text = _without_aspect_guo(text)
    for word in vocab.FILLERS:
        if len(word) == 1:  # 啊/呀 only as sentence particles: 哈 of 哈尔滨 stays
            text = re.sub(rf"{word}(?=[，,。？?！!\s]|$)", "", text)
        else:
            text = text.replace(word, "")
    return text
