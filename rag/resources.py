"""Where the files the package ships live: the five seed reports and the prompt templates.

In a checkout (this repository, or an editable install) they are the repository's own `seeds/` and
`prompts/`, edited in place. In an installed wheel they are package data under `rag/shipped/`
(setup.py maps `seeds/` and `prompts/` there), so `pip install .` gives a working assistant.
"""
from __future__ import annotations

from pathlib import Path

__all__ = ["PACKAGE_DIR", "CHECKOUT", "shipped", "default_data_dir"]

PACKAGE_DIR = Path(__file__).resolve().parent
_ROOT = PACKAGE_DIR.parent
# A checkout has the project's pyproject.toml beside the package; site-packages does not.
CHECKOUT: Path | None = _ROOT if (_ROOT / "pyproject.toml").is_file() and (_ROOT / "seeds").is_dir() else None


def shipped(name: str) -> Path:
    """`seeds` or `prompts`: the checkout's folder, else the installed package data."""
    if CHECKOUT is not None:
        return CHECKOUT / name
    return PACKAGE_DIR / "shipped" / name


def default_data_dir() -> Path:
    """The checkout's `.rag-data`, or `./.rag-data` for an installed package (never inside site-packages)."""
    return (CHECKOUT if CHECKOUT is not None else Path.cwd()) / ".rag-data"
