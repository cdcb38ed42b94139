"""Statements in SQLite beside the index, their measured things' vectors in Chroma beside the chunks.

SQLite answers the relational queries (by measured thing, region, year, period, status, report) without
loading every statement; an FTS5 table over the words a figure owns points a metric at its candidates.
The vectors follow the configured Chroma (embedded or server), keyed by report version like the chunks.
A version counts as stored only once its row in `versions` is written, last, with its statement count:
an interrupted add is completed by the next build, never half-read. `StatementStore` implements the one
interface of a store (`storage.StatementStorage`), so a shared deployment can put the relational part elsewhere.
"""
from __future__ import annotations

import json
import logging
import sqlite3
import threading
from collections import OrderedDict
from functools import partial
from pathlib import Path
from typing import Iterable

import numpy as np

from ..text.quantity import RANK_UNIT
from ..text.tokens import tokenize
from ..types import Statement, StatementMatch
from .score import ScoreSpec, stored_texts
from .sql_score import scored_query

log = logging.getLogger(__name__)


def _extraction_version() -> str:
    """A digest of the extraction's own source: any change to its rules re-extracts into a new store."""
    import hashlib

    root = Path(__file__).resolve().parent
    digest = hashlib.sha1()
    for path in sorted([*root.glob("*.py"), *(root.parent / "text").glob("*.py")]):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:10]


EXTRACTION_VERSION = _extraction_version()
DECODED_CACHE = 50_000  # statements kept decoded per process, the least recently read evicted first
_COLUMNS = ("doc_id", "region", "year", "kind", "period", "status", "polarity", "frame", "unit", "value",
            "measures", "act", "as_written", "value_start", "stage")
_SCORED = ("sentence_lc", "own_lc", "wide_lc", "own_raw", "thing_lc", "extra_words", "extra_n")  # stored_texts
_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS statements (
  rowid INTEGER PRIMARY KEY, sid TEXT UNIQUE, version TEXT NOT NULL,
  doc_id TEXT, region TEXT, year INTEGER, kind TEXT, period TEXT, status TEXT, polarity TEXT, frame TEXT,
  unit TEXT, value REAL, measures TEXT, act TEXT, as_written TEXT, value_start INTEGER, stage TEXT,
  sentence_lc TEXT, own_lc TEXT, wide_lc TEXT, own_raw TEXT, thing_lc TEXT, extra_words TEXT, extra_n INTEGER);
-- the whole statement, apart: a ranking reads thousands of rows' columns above and only its winners' data
CREATE TABLE IF NOT EXISTS statement_data (rowid INTEGER PRIMARY KEY, data TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS st_version ON statements(version);
CREATE INDEX IF NOT EXISTS st_unit ON statements(unit);
CREATE INDEX IF NOT EXISTS st_measures ON statements(measures);
CREATE INDEX IF NOT EXISTS st_region_year ON statements(region, year);
CREATE VIRTUAL TABLE IF NOT EXISTS statements_fts USING fts5(words);
CREATE TABLE IF NOT EXISTS versions (version TEXT PRIMARY KEY, n INTEGER NOT NULL);
"""


_WITH_DATA = "statements JOIN statement_data USING (rowid)"


def statement_collection_name(chunk_collection: str) -> str:
    return f"statements-v{EXTRACTION_VERSION}-" + chunk_collection.removeprefix("chunks-")


def _words(st: Statement) -> str:
    return " ".join(dict.fromkeys(t.lower() for t in tokenize(st.own + " " + st.measures) if t.strip()))


def _of_versions_kept(rows: list[tuple], versions: Iterable[str] | None) -> list[tuple]:
    """Rows (sid first) of the given versions only; all rows when `versions` is None. A sid names its version."""
    if versions is None:
        return rows
    keep = set(versions)
    return [r for r in rows if r[0].rsplit("#", 1)[0] in keep]


class StatementStore:
    """The embedded statements store (a `StatementStorage`): SQLite rows and FTS, Chroma vectors."""

    def __init__(self, path: Path, collection, embedder):
        self.path = Path(path)
        self.collection = collection  # Chroma: measured-thing vectors (None: vectors not available)
        self.embedder = embedder
        self._lock = threading.RLock()
        self._cache: OrderedDict[str, Statement] = OrderedDict()  # sid → decoded statement, least recent first
        self._stored: tuple[int, frozenset[str]] | None = None  # (data_version, every complete version)
        self._unit_list: tuple[int, list[str]] | None = None  # (data_version, every unit stored)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(self.path, timeout=60, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.executescript(_SCHEMA)

    def close(self) -> None:
        self._db.close()

    # --- writing --------------------------------------------------------------------------------

    def versions_present(self, versions: Iterable[str]) -> set[str]:
        versions = list(versions)
        with self._lock:
            rows = self._db.execute(f"SELECT version FROM versions WHERE version IN ({','.join('?' * len(versions))})",
                                    versions).fetchall() if versions else []
        return {r[0] for r in rows}

    def version_counts(self, versions: Iterable[str]) -> dict[str, int]:
        """version → how many statements it stored, for the complete versions among `versions`."""
        versions = list(versions)
        out: dict[str, int] = {}
        with self._lock:
            for i in range(0, len(versions), 500):
                part = versions[i:i + 500]
                out.update(self._db.execute(f"SELECT version, n FROM versions WHERE version IN "
                                            f"({','.join('?' * len(part))})", part).fetchall())
        return out

    def add(self, version: str, statements: list[Statement]) -> None:
        """Store one report version's statements whole: rows, words and vectors, then the version row."""
        if self.collection is not None and statements:
            vectors = self.embedder.embed([s.measures or s.metric_simplified or s.own for s in statements])
            for i in range(0, len(statements), 512):
                part = statements[i:i + 512]
                self.collection.upsert(  # idempotent: two processes may fill in the same report
                    ids=[f"{version}#{s.value_start}-{s.value_end}" for s in part],
                    embeddings=[v.tolist() for v in vectors[i:i + 512]],
                    metadatas=[{"doc_version": version} for _ in part])
        with self._lock:
            db = self._db
            self._stored = self._unit_list = None  # this connection's own commits leave data_version as it is
            db.execute("BEGIN IMMEDIATE")
            try:
                self._delete_versions([version])
                for s in statements:
                    texts = stored_texts(s)
                    cur = db.execute(
                        f"INSERT INTO statements (sid, version, {', '.join(_COLUMNS + _SCORED)}) VALUES "
                        f"({','.join('?' * (len(_COLUMNS) + len(_SCORED) + 2))})",
                        (f"{version}#{s.value_start}-{s.value_end}", version, *(getattr(s, c) for c in _COLUMNS),
                         *(texts[c] for c in _SCORED)))
                    db.execute("INSERT INTO statement_data (rowid, data) VALUES (?, ?)",
                               (cur.lastrowid, json.dumps(s.to_dict(), ensure_ascii=False)))
                    if s.value is not None and s.as_written:  # the words point a metric at figures only
                        db.execute("INSERT INTO statements_fts (rowid, words) VALUES (?, ?)", (cur.lastrowid, _words(s)))
                db.execute("INSERT OR REPLACE INTO versions (version, n) VALUES (?, ?)", (version, len(statements)))
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise

    def _delete_versions(self, versions: list[str]) -> None:
        self._stored = self._unit_list = None
        marks = ",".join("?" * len(versions))
        rowids = [r[0] for r in self._db.execute(f"SELECT rowid FROM statements WHERE version IN ({marks})", versions)]
        for i in range(0, len(rowids), 500):
            part = rowids[i:i + 500]
            self._db.execute(f"DELETE FROM statements_fts WHERE rowid IN ({','.join('?' * len(part))})", part)
            self._db.execute(f"DELETE FROM statement_data WHERE rowid IN ({','.join('?' * len(part))})", part)
        self._db.execute(f"DELETE FROM statements WHERE version IN ({marks})", versions)
        self._db.execute(f"DELETE FROM versions WHERE version IN ({marks})", versions)

    def delete_except(self, live_versions: list[str]) -> None:
        with self._lock:
            stale = [r[0] for r in self._db.execute("SELECT version FROM versions")
                     if r[0] not in set(live_versions)]
            stale += [r[0] for r in self._db.execute("SELECT DISTINCT version FROM statements")
                      if r[0] not in set(live_versions) and r[0] not in stale]
            if stale:
                self._db.execute("BEGIN IMMEDIATE")
                self._delete_versions(stale)
                self._db.execute("COMMIT")
        if self.collection is not None:
            if live_versions:
                self.collection.delete(where={"doc_version": {"$nin": live_versions}})
            else:
                ids = self.collection.get(include=[])["ids"]
                if ids:
                    self.collection.delete(ids=ids)

    # --- reading --------------------------------------------------------------------------------

    def _of_versions(self, versions: list[str], column: str = "version") -> tuple[str, list]:
        """The SQL condition for rows of `versions`: none at all when they are every version stored (a
        version's rows and its `versions` row commit together, so no other rows exist), which spares a
        ranking over thousands of reports an IN list of thousands. Called under the lock."""
        dv = self._db.execute("PRAGMA data_version").fetchone()[0]  # changes when another process commits
        if self._stored is None or self._stored[0] != dv:
            self._stored = (dv, frozenset(r[0] for r in self._db.execute("SELECT version FROM versions")))
        if set(versions) == self._stored[1]:
            return "1=1", []
        return f"{column} IN ({','.join('?' * len(versions))})", list(versions)

    def _rows(self, sql: str, args: list, versions: Iterable[str] | None = None) -> list[Statement]:
        """Statements of the rows `sql` selects as (sid, data): each decoded once per process (a row of a
        version never changes; its sid names the version), so a warm process reads popular figures free.
        `versions`: keep only their rows (a query that dropped its version filter may see a version another
        process committed in between)."""
        with self._lock:
            rows = _of_versions_kept(self._db.execute(sql, args).fetchall(), versions)
            return [self._decoded(sid, data) for sid, data in rows]

    def _held(self, sid: str) -> Statement | None:
        st = self._cache.get(sid)
        if st is not None:
            self._cache.move_to_end(sid)  # least recently read goes first
        return st

    def _decoded(self, sid: str, data: str) -> Statement:
        st = self._held(sid)
        if st is not None:
            return st
        st = Statement.from_dict(json.loads(data))
        if len(self._cache) >= DECODED_CACHE:
            self._cache.popitem(last=False)
        self._cache[sid] = st
        return st

    def select(self, versions: list[str], *, measures: str | None = None, regions=None, years=None, kinds=None,
               doc_ids=None, periods=None, statuses=None, figures_only: bool = True, limit: int | None = None,
               offset: int = 0) -> list[Statement]:
        """Statements of the live versions by plain filters, in report order; `measures` is a substring of the
        measured thing or the figure's words (Simplified)."""
        if not versions:
            return []
        where = [f"version IN ({','.join('?' * len(versions))})"]
        args: list = list(versions)
        for col, vals in (("year", years), ("kind", kinds), ("doc_id", doc_ids), ("period", periods),
                          ("status", statuses)):
            if vals:
                vals = list(vals)
                where.append(f"{col} IN ({','.join('?' * len(vals))})")
                args += vals
        if regions:
            where.append("(" + " OR ".join("instr(region, ?) > 0 OR instr(?, region) > 0" for _ in regions) + ")")
            for r in regions:
                args += [r, r]
        if measures:
            where.append("(instr(measures, ?) > 0 OR instr(json_extract(data, '$.metric_simplified'), ?) > 0"
                         " OR instr(own_raw, ?) > 0)")
            args += [measures] * 3
        if figures_only:
            where.append("value IS NOT NULL AND as_written != ''")
        sql = f"SELECT sid, data FROM {_WITH_DATA} WHERE {' AND '.join(where)} ORDER BY doc_id, value_start"
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            args += [int(limit), int(offset)]
        return self._rows(sql, args)

    def best_scored(self, spec: ScoreSpec, terms: Iterable[str], versions: list[str],
                    period: str = "current") -> list[StatementMatch]:
        """Each report's best figure for a question among those whose words hold any of `terms`, scored inside
        SQLite by the rule (`sql_score`), best reports first, only those above the rule's floors: each match
        with its figure, its whole statement read when first used."""
        terms = [t.lower().replace('"', "") for t in terms if t.strip()]
        if not terms or not versions:
            return []
        with self._lock:
            live, live_args = self._of_versions(versions, "s.version")
            when = ["s.rowid IN (SELECT rowid FROM statements_fts WHERE statements_fts MATCH ?)", live,
                    "s.period = ?", "s.value IS NOT NULL", "s.as_written != ''",
                    "s.unit = ?" if spec.wants_rank else "s.unit != ?"]
            if spec.skip_delta:
                when.append("s.frame != 'delta'")
            kind_args: list = []
            if spec.other_units:  # a figure of another kind is never a report's best (`score.asked_kind`)
                when.append(f"s.unit NOT IN ({','.join('?' * len(spec.other_units))})")
                kind_args += spec.other_units
            if spec.asked_stage:
                when.append("COALESCE(s.stage, '') IN ('', ?)")
                kind_args.append(spec.asked_stage)
            scored, args = scored_query(spec, self._units(), " AND ".join(when),
                                        [" OR ".join(f'"{t}"' for t in terms), *live_args, period, RANK_UNIT,
                                         *kind_args])
            # max() with bare columns: SQLite takes them from the row that has the maximum (each report's best)
            best = (f"SELECT sid, id, doc, max(score), support, value, unit FROM ({scored}) WHERE support >= ? AND "
                    f"score >= ? GROUP BY doc ORDER BY 4 DESC")
            args += [spec.min_support, spec.min_score]
            # the version filter was dropped when every version is live: another process may have committed one since
            rows = _of_versions_kept(self._db.execute(best, args).fetchall(), versions if live == "1=1" else None)
        return [StatementMatch(doc, None, score, support, partial(self._one, sid, i), (value, unit))
                for sid, i, doc, score, support, value, unit in rows]

    def _one(self, sid: str, rowid: int) -> Statement | None:
        """A match's statement, read when first used: from the cache, else its row's data."""
        with self._lock:
            st = self._held(sid)
            if st is not None:
                return st
            row = self._db.execute(f"SELECT sid, data FROM {_WITH_DATA} WHERE rowid = ?", (rowid,)).fetchone()
            # A rowid freed by another process's delete may hold another statement now: the sid must match.
            return self._decoded(sid, row[1]) if row and row[0] == sid else None

    def _units(self) -> list[str]:
        """Every unit the rows hold, read again only when a commit (this process's or another's) may have
        added one. Called under the lock."""
        dv = self._db.execute("PRAGMA data_version").fetchone()[0]
        if self._unit_list is None or self._unit_list[0] != dv:
            self._unit_list = (dv, [r[0] for r in self._db.execute(
                "SELECT DISTINCT unit FROM statements WHERE unit IS NOT NULL")])
        return self._unit_list[1]

    def by_ids(self, sids: list[str]) -> list[Statement]:
        if not sids:
            return []
        return self._rows(f"SELECT sid, data FROM {_WITH_DATA} WHERE sid IN ({','.join('?' * len(sids))})", sids)

    def nearest(self, vector: np.ndarray, versions: list[str], n: int = 200) -> list[tuple[str, float]]:
        """(statement id, cosine similarity) of the measured things nearest a metric, live versions only."""
        if self.collection is None or not versions:
            return []
        # The collection holds this deployment's versions only (builds prune the rest): a filter naming every
        # live version costs more than the search itself, so the nearest are asked for whole and checked here.
        live = set(versions)
        res = self.collection.query(query_embeddings=[vector.tolist()], n_results=2 * n, include=["distances"])
        return [(i, 1.0 - float(d)) for i, d in zip(res["ids"][0], res["distances"][0])
                if i.rsplit("#", 1)[0] in live][:n]

    def measures(self, versions: list[str], limit: int = 500) -> list[tuple[str, int]]:
        """Measured things by how many reports state a figure for them, most first."""
        if not versions:
            return []
        marks = ",".join("?" * len(versions))
        sql = (f"SELECT measures, COUNT(DISTINCT doc_id) n FROM statements WHERE version IN ({marks}) "
               f"AND value IS NOT NULL AND measures != '' GROUP BY measures ORDER BY n DESC, measures LIMIT ?")
        with self._lock:
            return [(m, n) for m, n in self._db.execute(sql, [*versions, limit])]

    def count(self, versions: list[str]) -> int:
        if not versions:
            return 0
        with self._lock:
            return self._db.execute(f"SELECT COUNT(*) FROM statements WHERE version IN "
                                    f"({','.join('?' * len(versions))})", versions).fetchone()[0]

    def load(self, live_versions: list[str]) -> tuple[list[Statement], np.ndarray]:
        """Every statement with a figure of the live versions, with its vector, in report order (small
        libraries keep these in memory for the fastest matching)."""
        if not live_versions:
            return [], np.zeros((0, 512), dtype=np.float32)
        marks = ",".join("?" * len(live_versions))
        with self._lock:
            rows = self._db.execute(
                f"SELECT sid, data FROM {_WITH_DATA} WHERE version IN ({marks}) AND value IS NOT NULL "
                f"AND as_written != '' ORDER BY doc_id, value_start",
                live_versions).fetchall()
        statements = [Statement.from_dict(json.loads(d)) for _, d in rows]
        ids = [sid for sid, _ in rows]
        if not ids or self.collection is None:
            return statements, np.zeros((0, 512), dtype=np.float32)
        got: dict[str, list[float]] = {}
        for i in range(0, len(ids), 2000):
            res = self.collection.get(ids=ids[i:i + 2000], include=["embeddings"])
            got.update(zip(res["ids"], res["embeddings"]))
        if len(got) < len(ids):
            log.info("statement vectors incomplete (%d of %d); metric matching is lexical", len(got), len(ids))
            return statements, np.zeros((0, 512), dtype=np.float32)
        return statements, np.asarray([got[i] for i in ids], dtype=np.float32)
