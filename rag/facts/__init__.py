"""The facts table: every figure the reports state, extracted at index time, stored beside the chunks."""
from .extract import extract_facts
from .match import FactMatch, FactTable
from .store import FactStore

__all__ = ["extract_facts", "FactStore", "FactMatch", "FactTable"]
