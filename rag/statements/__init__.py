"""What the reports state: one Statement per figure or act, extracted at index time, stored beside the chunks."""
from .extract import extract_statements
from .match import StatementMatch, StatementTable, StoreTable
from .storage import StatementStorage
from .store import StatementStore

__all__ = ["extract_statements", "StatementStorage", "StatementStore", "StatementMatch", "StatementTable", "StoreTable"]
