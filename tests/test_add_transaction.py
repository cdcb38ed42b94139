"""Issue 20, finding 4: an add is one transaction across catalogue, texts, vectors, facts and BM25.

After any interruption (`kill -9` of `rag add`, two `rag add` at once, a Chroma server stopped mid-add, a
full disk, one bad PDF in a batch) the next `rag add` or `rag index` completes it; re-adding the identical
file says so (「现在补全」), never 「已在报告库中（内容相同）」 over a report that cannot be answered. Faults
come out as the project's own errors, in Chinese.
"""
from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from rag.api import Assistant
from rag.chunking import chunk_report
from rag.corpus import load_all
from rag.errors import IndexError_
from rag.statements import extract_statements
from rag.index import ChunkIndex
from rag.settings import Settings
from rag.store import StateDir

from .conftest import ROOT, SEEDS
from .servers import free_port, start_chroma
from .test_faults import clone_index, kill_9, live_index, run_rag, start_rag, wait_for

TITLE = "北京市海淀区人民政府关于2023年度法治政府建设情况的报告"
QUESTION = "海淀区2023年共受理行政复议申请多少件？"


def big_report(path: Path, title: str = TITLE, items: int = 260, base: int = 0, key: int = 4321) -> Path:
    """A report long enough that embedding it takes several batches, with many figures (facts)."""
    lines = [title, "一、主要举措和成效", f"全年共受理行政复议申请{key}件，依法办结率100%。"]
    for i in range(1, items + 1):
        lines.append(f"（{i}）第{i}项工作。全年开展第{i}项专项执法检查{base + 100 + i}次，"
                     f"办理第{i}类行政复议案件{base + 10 + i}件，培训执法人员{base + 300 + i}人次，"
                     f"推动第{i}批政务服务事项网上可办率达到{50 + i % 50}%。")
    lines += ["二、存在的不足", "基层法治力量仍需加强。", "三、2024年工作安排", "继续推进依法行政。"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def library_ids(data: Path) -> set[str]:
    path = data / "library" / "catalog.json"
    return {e["doc_id"] for e in json.loads(path.read_text(encoding="utf-8"))["reports"]} if path.exists() else set()


def manifest_docs(data: Path) -> dict:
    manifest = StateDir(data / "state").read_manifest()
    return manifest.docs if manifest else {}


def assert_whole(settings: Settings, embedder, doc_id: str) -> None:
    """The report's version is completely stored: chunks, BM25, one vector per chunk, and exactly the facts
    extraction produces, recorded in the manifest."""
    report = load_all(settings).by_id()[doc_id]
    with live_index(settings, embedder) as index:
        assert index.stored(report)
        state = index.manifest.docs[doc_id]
        chunks = [c for c in index.chunks if c.doc_id == doc_id]
        assert state.chunks == len(chunks) > 0 and index.bm25.size == len(index.chunks)
        assert index.vectors.count_versions([index.manifest.doc_version(doc_id)]) == len(chunks)
        produced = len(extract_statements(report, chunk_report(report, settings.chunk_tokens)))
        version = index.manifest.fact_version(doc_id)
        store = index.statements_store
        vectors = len(store.collection.get(where={"doc_version": version}, include=[])["ids"])
        assert state.facts == produced == store.version_counts([version])[version] == vectors > 100


# ---- kill -9 of `rag add` ------------------------------------------------------------------------
def test_kill_9_mid_add_then_the_same_add_completes_it(built_settings, tmp_path, embedder):
    settings = clone_index(built_settings, SEEDS, tmp_path / "data")
    data = settings.data_dir
    src = big_report(tmp_path / "haidian.txt", items=800)
    proc = start_rag("add", str(src), seeds=SEEDS, data=data)
    try:  # part of its vectors stored
        m = wait_for(proc, r"计算向量 \[[#.]*\] ([1-9]\d*)/(\d+)", lambda m: int(m.group(1)) < int(m.group(2)))
    finally:
        kill_9(proc)
    assert m and int(m.group(1)) < int(m.group(2)), "the add ended before it could be killed mid-embedding"
    (doc_id,) = library_ids(data)  # catalogued ...
    assert doc_id not in manifest_docs(data)  # ... but not in the index

    again = run_rag("add", str(src), seeds=SEEDS, data=data)
    assert again.returncode == 0, again.stderr
    assert "现在补全" in again.stdout and "内容相同" not in again.stdout
    assert "Traceback" not in again.stderr
    assert_whole(settings, embedder, doc_id)
    ans = Assistant(settings, embedder=embedder).ask(QUESTION)
    assert ans.answered and ans.text.startswith("4321件") and ans.citations[0].doc_id == doc_id

    # Once whole, the same file again is "unchanged" and costs nothing.
    third = run_rag("add", str(src), "--json", seeds=SEEDS, data=data)
    assert json.loads(third.stdout)["results"][0]["status"] == "unchanged"
    assert json.loads(third.stdout)["index"] is None


def test_kill_9_while_facts_are_stored_then_rag_index_completes_them(built_settings, tmp_path, embedder):
    settings = clone_index(built_settings, SEEDS, tmp_path / "data")
    data = settings.data_dir
    src = big_report(tmp_path / "haidian.txt", items=400)
    proc = start_rag("add", str(src), seeds=SEEDS, data=data)
    try:
        m = wait_for(proc, r"statements \[[#.]*\] 0/1")  # vectors done, the report's statements being stored
    finally:
        kill_9(proc)
    assert m, "the add ended before its facts stage"
    (doc_id,) = library_ids(data)
    assert doc_id not in manifest_docs(data)

    healed = run_rag("index", seeds=SEEDS, data=data)
    assert healed.returncode == 0, healed.stderr
    assert_whole(settings, embedder, doc_id)


def test_partial_facts_of_a_stored_version_are_completed_by_rag_index(built_settings, tmp_path, embedder):
    """What a run killed half-way through a report's statements leaves (2,048 of 12,000 in the issue): some
    vectors and no completed SQL transaction. The next `rag index` sees no completion row for the version and
    stores its statements whole again."""
    settings = clone_index(built_settings, SEEDS, tmp_path / "data")
    src = big_report(tmp_path / "haidian.txt")
    (result,), _ = Assistant(settings, embedder=embedder).add_reports([src])
    with live_index(settings, embedder) as index:
        version = index.manifest.fact_version(result.doc_id)
        store = index.statements_store
        ids = store.collection.get(where={"doc_version": version}, include=[])["ids"]
        store.collection.delete(ids=ids[len(ids) // 3:])
        store._db.execute("BEGIN IMMEDIATE")
        store._delete_versions([version])  # the killed run's transaction never committed
        store._db.execute("COMMIT")
        assert version not in store.version_counts([version])
    report = ChunkIndex(settings, embedder).build()
    assert report.completed == [result.doc_id] and not report.changed
    assert_whole(settings, embedder, result.doc_id)


# ---- two adds at once ------------------------------------------------------------------------------
def test_two_rag_add_at_once_on_one_data_dir_both_complete(built_settings, tmp_path, embedder):
    settings = clone_index(built_settings, SEEDS, tmp_path / "data")
    data = settings.data_dir
    a = big_report(tmp_path / "haidian.txt")
    b = big_report(tmp_path / "chaoyang.txt", title="北京市朝阳区人民政府关于2023年度法治政府建设情况的报告", base=5000,
                   key=8765)
    procs = [subprocess.Popen([sys.executable, "-m", "rag.cli", "--data-dir", str(data), "add", str(p)], cwd=ROOT,
                              env={**os.environ, "RAG_SEEDS_DIR": str(SEEDS), "RAG_DATA_DIR": str(data)},
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for p in (a, b)]
    outs = [p.communicate(timeout=300) for p in procs]
    for p, (out, err) in zip(procs, outs):
        assert p.returncode == 0, err
        assert "Traceback" not in err
    ids = library_ids(data)
    assert len(ids) == 2 and ids <= set(manifest_docs(data))
    for doc_id in ids:
        assert_whole(settings, embedder, doc_id)
    chat = Assistant(settings, embedder=embedder)
    assert chat.ask(QUESTION).text.startswith("4321件")
    assert chat.ask("朝阳区2023年共受理行政复议申请多少件？").text.startswith("8765件")
    with live_index(settings, embedder) as index:  # nothing of another version or run left over
        assert index.vectors.collection.count() == len(index.chunks)


# ---- one bad file in a batch ---------------------------------------------------------------------
def test_a_bad_pdf_in_a_batch_fails_alone_and_the_rest_are_indexed(built_settings, tmp_path, embedder):
    settings = clone_index(built_settings, SEEDS, tmp_path / "data")
    folder = tmp_path / "batch"
    folder.mkdir()
    big_report(folder / "1-haidian.txt")
    (folder / "2-broken.pdf").write_bytes(b"%PDF-1.7\n1 0 obj<</Type/Catalog>>endobj\n" + bytes(range(256)) * 8)
    big_report(folder / "3-chaoyang.txt", title="北京市朝阳区人民政府关于2023年度法治政府建设情况的报告", base=5000,
                   key=8765)
    run = run_rag("add", str(folder), seeds=SEEDS, data=settings.data_dir)
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert "失败" in run.stderr and "2-broken.pdf" in run.stderr
    ids = library_ids(settings.data_dir)
    assert len(ids) == 2 and ids <= set(manifest_docs(settings.data_dir))
    assert not any(p.name.startswith("2-broken") for p in (settings.data_dir / "library" / "originals").iterdir())


def test_an_extractor_crash_on_one_file_does_not_leave_the_batch_unindexed(built_settings, tmp_path, embedder,
                                                                         monkeypatch):
    """pypdf raising its own errors (NotImplementedError, LimitReachedError) on a corrupt file ended the
    batch with a traceback after the files before it were catalogued but never indexed."""
    import rag.ingest.extract as extract_module

    settings = clone_index(built_settings, SEEDS, tmp_path / "data")

    def pypdf_crash(path, data):
        raise NotImplementedError("unsupported filter /JBIG2Decode")

    monkeypatch.setattr(extract_module, "_pdf", pypdf_crash)
    folder = tmp_path / "batch"
    folder.mkdir()
    big_report(folder / "1-haidian.txt")
    (folder / "2-scan.pdf").write_bytes(b"%PDF-1.7\n")
    results, build = Assistant(settings, embedder=embedder).add_reports([folder])
    assert [r.status for r in results] == ["added", "failed"]
    assert "2-scan.pdf" in results[1].error and "损坏" in results[1].error
    assert build is not None and results[0].doc_id in manifest_docs(settings.data_dir)


# ---- a full disk ------------------------------------------------------------------------------
def test_disk_full_during_an_add_is_said_and_the_next_add_completes(built_settings, tmp_path, embedder,
                                                                     monkeypatch):
    settings = clone_index(built_settings, SEEDS, tmp_path / "data")
    src = big_report(tmp_path / "haidian.txt")

    def full(self, gen, chunks):
        raise OSError(errno.ENOSPC, "No space left on device", str(self.chunks_path(gen)))

    with monkeypatch.context() as m:
        m.setattr(StateDir, "write_chunks", full)
        with pytest.raises(IndexError_, match="磁盘空间不足") as err:
            Assistant(settings, embedder=embedder).add_reports([src])
    assert "rag index" in str(err.value)
    (doc_id,) = library_ids(settings.data_dir)
    assert doc_id not in manifest_docs(settings.data_dir)
    (again,), build = Assistant(settings, embedder=embedder).add_reports([src])
    assert again.status == "resumed" and build is not None
    assert_whole(settings, embedder, doc_id)


# ---- a Chroma server stopped mid-add -------------------------------------------------------------
def test_chroma_server_stopped_mid_add_then_the_same_add_completes(tmp_path, embedder):
    port, store = free_port(), tmp_path / "chroma-server"
    server = start_chroma(store, port)
    try:
        settings = Settings(seeds_dir=SEEDS, data_dir=tmp_path / "data", chroma_host="127.0.0.1", chroma_port=port)
        Assistant(settings, embedder=embedder).build_index()
        src = big_report(tmp_path / "haidian.txt", items=800)  # several batches of vectors

        def stop_server_mid_embedding(stage, done, total):
            if stage == "embed" and 0 < done < total and server.poll() is None:
                server.terminate()
                server.wait(timeout=20)

        with pytest.raises(IndexError_) as err:
            Assistant(settings, embedder=embedder).add_reports([src], progress=stop_server_mid_embedding)
        message = str(err.value)
        assert "索引未能完成" in message and f"127.0.0.1:{port}" in message and "rag add" in message
        assert server.poll() is not None, "the server was not stopped mid-add"

        # While it is down, `rag add` says so in Chinese, without a traceback.
        env = {**os.environ, "RAG_SEEDS_DIR": str(SEEDS), "RAG_DATA_DIR": str(settings.data_dir),
               "CHROMA_HOST": "127.0.0.1", "CHROMA_PORT": str(port)}
        down = subprocess.run([sys.executable, "-m", "rag.cli", "add", str(src)], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=180)
        assert down.returncode == 2 and "错误：" in down.stderr and "Traceback" not in down.stderr
        assert "现在补全" in down.stdout

        server = start_chroma(store, port)
        (again,), build = Assistant(settings, embedder=embedder).add_reports([src])
        assert again.status == "resumed" and build is not None
        chat = Assistant(settings, embedder=embedder)
        ans = chat.ask(QUESTION)
        assert ans.answered and ans.text.startswith("4321件")
        index = chat.index
        assert index.vectors.count_versions(index.versions()) == len(index.chunks)
        state = index.manifest.docs[again.doc_id]
        assert state.facts == index.statements_store.version_counts([index.manifest.fact_version(again.doc_id)]).get(
            index.manifest.fact_version(again.doc_id)) > 100
    finally:
        if server.poll() is None:
            server.terminate()
            server.wait(timeout=20)
