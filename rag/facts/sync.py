"""Keeping the facts collection in step with the chunk index: called by `ChunkIndex.build`."""
from __future__ import annotations

from ..types import Chunk, Report
from .extract import extract_facts
from .store import FactStore


def sync_facts(store: FactStore, reports: list[Report], chunks: list[Chunk], version_of: dict[str, str],
               progress=lambda *a: None) -> int:
    """Extract and store the facts of every live report version the store lacks; returns facts added."""
    wanted = {r.doc_id: version_of[r.doc_id] for r in reports if r.doc_id in version_of}
    present = store.versions_present(list(wanted.values()))
    todo = [r for r in reports if r.doc_id in wanted and wanted[r.doc_id] not in present]
    by_doc: dict[str, list[Chunk]] = {}
    for c in chunks:
        by_doc.setdefault(c.doc_id, []).append(c)
    added = 0
    progress("facts", 0, len(todo))
    for n, r in enumerate(todo, 1):
        facts = extract_facts(r, by_doc.get(r.doc_id, []))
        store.add(wanted[r.doc_id], facts)
        added += len(facts)
        progress("facts", n, len(todo))
    return added
