"""Facts in a Chroma collection beside the chunks (embedded or the configured server).

Each fact is one record: its metric words embedded (so 行政复议申请 meets 行政复议案件), its fields as
metadata (so region / year / unit filters and numeric ranges can run in the engine), the sentence as the
document. Records are keyed by report version like the chunk vectors: a changed report replaces exactly
its facts, and readers load only the versions the live manifest names.
"""
from __future__ import annotations

import logging
from dataclasses import fields

import numpy as np

from ..types import Fact

log = logging.getLogger(__name__)
_FIELDS = [f.name for f in fields(Fact)]
EXTRACTION_VERSION = 7  # bump when extraction rules change: facts are re-extracted into a new collection


def fact_collection_name(chunk_collection: str) -> str:
    return f"facts-v{EXTRACTION_VERSION}-" + chunk_collection.removeprefix("chunks-")


class FactStore:
    def __init__(self, collection, embedder):
        self.collection = collection
        self.embedder = embedder

    def versions_present(self, versions: list[str]) -> set[str]:
        present = set()
        for v in versions:
            if self.collection.get(where={"doc_version": v}, limit=1, include=[])["ids"]:
                present.add(v)
        return present

    def add(self, version: str, facts: list[Fact]) -> None:
        if not facts:
            return
        vectors = self.embedder.embed([f.metric_simplified or f.own for f in facts])
        for i in range(0, len(facts), 512):
            part = facts[i:i + 512]
            self.collection.upsert(  # idempotent: two processes may fill in the same report
                ids=[f"{version}#{f.value_start}-{f.value_end}" for f in part],
                embeddings=[v.tolist() for v in vectors[i:i + 512]],
                documents=[f.text for f in part],
                metadatas=[{**{k: getattr(f, k) for k in _FIELDS if k != "text"}, "doc_version": version}
                           for f in part])

    def delete_except(self, live_versions: list[str]) -> None:
        if live_versions:
            self.collection.delete(where={"doc_version": {"$nin": live_versions}})
        else:
            ids = self.collection.get(include=[])["ids"]
            if ids:
                self.collection.delete(ids=ids)

    def load(self, live_versions: list[str]) -> tuple[list[Fact], np.ndarray]:
        """Every fact of the live versions, with its metric vector, in report order."""
        if not live_versions:
            return [], np.zeros((0, 512), dtype=np.float32)
        res = self.collection.get(where={"doc_version": {"$in": live_versions}},
                                  include=["metadatas", "documents", "embeddings"])
        facts, vectors = [], []
        for meta, doc, vec in zip(res["metadatas"], res["documents"], res["embeddings"]):
            facts.append(Fact(**{k: meta[k] for k in _FIELDS if k != "text"}, text=doc))
            vectors.append(vec)
        order = sorted(range(len(facts)), key=lambda i: (facts[i].doc_id, facts[i].value_start))
        facts = [facts[i] for i in order]
        arr = np.asarray([vectors[i] for i in order], dtype=np.float32) if order else np.zeros((0, 512), np.float32)
        return facts, arr
