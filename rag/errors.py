"""User-facing errors.

RagError                 base: every message is meant to be shown to a user as is
├── ConfigError          bad settings or environment
├── CorpusError          a report or the catalogue cannot be read
│   └── ExtractionError  an added file yields no report text (unknown format, scanned PDF…)
├── IndexError_          the index is missing, corrupt or from another version
├── QuestionError        the question itself is unusable (empty, ...)
└── LLMError             the LLM endpoint failed (callers fall back to extractive)

Only the CLI and the UI turn these into exit codes or notices.
"""
from __future__ import annotations


class RagError(Exception):
    """Base class: `str(err)` is a message a user can act on."""


class ConfigError(RagError):
    pass


class CorpusError(RagError):
    def __init__(self, message: str, path: str | None = None, doc_id: str | None = None):
        super().__init__(message)
        self.path = path
        self.doc_id = doc_id  # the catalogue entry whose file failed, when known


class IndexError_(RagError):  # noqa: N801 - avoid shadowing the builtin IndexError
    pass


class QuestionError(RagError):
    pass


class LLMError(RagError):
    pass



class ExtractionError(CorpusError):
    """A file a user added cannot be turned into report text (format, encoding, scanned PDF)."""
