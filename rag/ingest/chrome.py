"""Page chrome that is not report text: breadcrumbs, 无障碍/简体/繁体 bars, 发布时间/来源/浏览次数/字体
lines, share bars, print/close links, related links and footers (主办单位, ICP备).

Rules work line by line on the extracted text of any format (a web page saved as .txt carries the
same residue), and are deliberately narrow: a line goes only when it is short and made of chrome.
"""
from __future__ import annotations

import re

from ..text.script import to_simplified

# A line that starts like this is chrome whatever follows (short lines only).
_LEADING = re.compile(
    r"^\s*(您当前的位置|您现在的位置|当前位置|您所在的位置|所在位置|位置[:：]|首页\s*[>＞›»/]|"
    r"分享到|分享[:：]|扫一扫|相关链接|相关文章|相关阅读|上一篇|下一篇|附件[:：]?\s*$|"
    r"主办单位|承办单位|主办[:：]|承办[:：]|版权所有|Copyright|网站标识码|网站地图|"
    r"联系我们|技术支持|索引号|主题分类|发文机关|发布机构|成文日期|信息来源|文章来源|"
    r"【?打印|【?关闭|【?收藏|字号[:：]|字体[:：]|【字体|阅读次数|浏览次数|点击数|访问量)"
)
# Markers of a publication-info line (发布时间：… 来源：… 浏览次数：…); two or more → chrome.
_INFO = re.compile(
    r"(栏目[:：]|发布时间|发布日期|发文日期|更新时间|时间[:：]|日期[:：]|来源[:：]|作者[:：]|编辑[:：]|"
    r"浏览次数|阅读次数|点击数|访问次数|字体|字号|打印|关闭|分享|收藏|责任编辑)"
)
_FOOTER = re.compile(r"ICP备|ICP证|公网安备|网站标识码|政府网站找错|技术支持[:：]")
_BAR_WORDS = re.compile(
    r"无障碍|长者模式|关怀版|适老化|简体|繁体|繁體|English|登录|注册|手机版|微信|微博|邮箱|"
    r"首页|打印|关闭窗口|收藏|分享|大|中|小|[|｜/·\s【】\[\]]"
)
_DATE = re.compile(r"(20\d\d)\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
MAX_CHROME_LINE = 160


def is_chrome(line: str) -> bool:
    s = to_simplified(line.strip())
    if not s or len(s) > MAX_CHROME_LINE:
        return False
    if _FOOTER.search(s):
        return True
    if _LEADING.match(s):
        return True
    if len(_INFO.findall(s)) >= 2 and not s.endswith("。"):
        return True
    if "首页" in s and re.search(r"[>＞›»]", s):
        return True  # breadcrumb
    # A bar of site words only: 无障碍 | 简体 | 繁体
    return bool(re.search(r"无障碍|简体|繁体|长者模式|关怀版", s)) and not _BAR_WORDS.sub("", s)


def published_date(lines: list[str]) -> str | None:
    """The page's publication date (发布时间：2023-03-31) from its info line, as YYYY-MM-DD."""
    for line in lines:
        s = to_simplified(line)
        if re.search(r"发布|日期|时间|更新", s) and len(s) <= MAX_CHROME_LINE and (m := _DATE.search(s)):
            return f"{m.group(1)}-{int(m.group(2)):02d}-{int(m.group(3)):02d}"
    return None


def strip_chrome(text: str) -> tuple[str, list[str]]:
    """The text without chrome lines, and the lines removed."""
    kept, removed = [], []
    for line in text.splitlines():
        (removed if is_chrome(line) else kept).append(line)
    return "\n".join(kept), removed
