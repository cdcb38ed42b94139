"""The one prompt loader: `prompts/<name>.md` filled with `str.format` fields.

Templates are plain Markdown with `{field}` placeholders (`{{` / `}}` for literal
braces).  Rendering fails loudly with ConfigError on a missing file, a field the
caller did not supply, or a variable the template does not use, so a renamed
placeholder can never silently drop the passages out of a prompt.
"""
from __future__ import annotations

import re
import string
from pathlib import Path

from .errors import ConfigError
from .resources import shipped

__all__ = ["PROMPTS_DIR", "render", "fields"]

PROMPTS_DIR = shipped("prompts")  # the repository's prompts/, or the installed package's copy
_NAME = re.compile(r"[A-Za-z0-9_\-]+")
_FIELD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _load(name: str) -> str:
    if not _NAME.fullmatch(name or ""):
        raise ConfigError(f"提示词名称无效：{name!r}（只能包含字母、数字、下划线和连字符）。")
    path = PROMPTS_DIR / f"{name}.md"
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"提示词文件不存在：prompts/{name}.md") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"提示词文件无法读取：prompts/{name}.md（{type(exc).__name__}）") from None


def fields(name: str) -> set[str]:
    """The placeholder names `prompts/<name>.md` expects."""
    return _fields(name, _load(name))


def _fields(name: str, template: str) -> set[str]:
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError as exc:  # a lone { or }
        raise ConfigError(f"提示词模板 prompts/{name}.md 格式错误：{exc}（字面花括号请写成 {{{{ 或 }}}}）") from None
    names: set[str] = set()
    for _, field, spec, conversion in parsed:
        if field is None:
            continue
        if not _FIELD.fullmatch(field) or spec or conversion:
            raise ConfigError(f"提示词模板 prompts/{name}.md 中的占位符 {{{field}}} 无效：只允许 {{变量名}}。")
        names.add(field)
    return names


def render(name: str, **variables: object) -> str:
    """`prompts/<name>.md` with every placeholder filled; ConfigError on any mismatch."""
    template = _load(name)
    expected = _fields(name, template)
    missing = sorted(expected - variables.keys())
    extra = sorted(variables.keys() - expected)
    if missing:
        raise ConfigError(f"提示词模板 prompts/{name}.md 缺少变量：{', '.join(missing)}")
    if extra:
        raise ConfigError(f"提示词模板 prompts/{name}.md 不使用这些变量：{', '.join(extra)}")
    return template.format(**{k: str(v) for k, v in variables.items()}).strip() + "\n"
