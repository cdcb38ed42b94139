"""Question answering with cited passages over 法治政府建设年度报告."""
from .api import Assistant
from .errors import ConfigError, CorpusError, IndexError_, LLMError, QuestionError, RagError
from .settings import Settings
from .question import Conversation, ParsedQuestion
from .types import Answer, CatalogEntry, Chunk, Citation, Passage, Report, Statement

__all__ = [
    "Assistant", "Settings", "Answer", "Citation", "Chunk", "Passage", "Report", "CatalogEntry", "Statement",
    "ParsedQuestion", "Conversation",
    "RagError", "ConfigError", "CorpusError", "IndexError_", "QuestionError", "LLMError",
]
