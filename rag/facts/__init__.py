"""The facts table: every figure the reports state, extracted at index time, stored beside the chunks."""
from .extract import extract_facts
from .match import FactMatch, best_per_report
from .store import FactStore

__all__ = ["extract_facts", "FactStore", "FactMatch", "best_per_report"]
