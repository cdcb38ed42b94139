"""Keeping the statements store in step with the chunk index: called by `ChunkIndex.build`."""
from __future__ import annotations

from ..types import Chunk, Report
from .extract import extract_statements
from .storage import StatementStorage


def sync_statements(store: StatementStorage, reports: list[Report], chunks: list[Chunk], version_of: dict[str, str],
                    progress=lambda *a: None) -> int:
    """Extract and store the statements of every live report version the store lacks; returns how many."""
    wanted = {r.doc_id: version_of[r.doc_id] for r in reports if r.doc_id in version_of}
    present = store.versions_present(list(wanted.values()))
    todo = [r for r in reports if r.doc_id in wanted and wanted[r.doc_id] not in present]
    by_doc: dict[str, list[Chunk]] = {}
    for c in chunks:
        by_doc.setdefault(c.doc_id, []).append(c)
    added = 0
    progress("statements", 0, len(todo))
    for n, r in enumerate(todo, 1):
        statements = extract_statements(r, by_doc.get(r.doc_id, []))
        store.add(wanted[r.doc_id], statements)
        added += len(statements)
        progress("statements", n, len(todo))
    return added
