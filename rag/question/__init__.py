"""Understanding a question once: `QuestionParser.parse(text, history)` → `ParsedQuestion`."""
from .clean import MAX_QUESTION_CHARS, clean_question, clean_question_with_notice
from .followup import Conversation, Turn
from .parse import SHAPES, ParsedQuestion, Part, QuestionParser, Threshold

__all__ = ["QuestionParser", "ParsedQuestion", "Conversation", "Turn", "Part", "Threshold", "SHAPES", "clean_question",
           "clean_question_with_notice", "MAX_QUESTION_CHARS"]
