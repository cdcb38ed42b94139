"""Index building (incremental, safe) and retrieval (filters, scripts), on a real embedded Chroma."""
from __future__ import annotations

import json

import pytest

from rag.api import Assistant
from rag.corpus import load_corpus
from rag.index import ChunkIndex
from rag.settings import Settings


def _settings(seeds, tmp_path):
    return Settings(seeds_dir=seeds, data_dir=tmp_path / "data")


def test_incremental_reindex(seeds_copy, tmp_path, embedder):
    settings = _settings(seeds_copy, tmp_path)
    index = ChunkIndex(settings, embedder)
    first = index.build()
    assert sorted(first.added) == sorted(r.doc_id for r in load_corpus(seeds_copy).reports)
    assert first.embedded == first.chunks > 100

    # Unchanged: zero embeddings computed.
    calls = embedder.calls
    again = ChunkIndex(settings, embedder).build()
    assert again.embedded == 0 and embedder.calls == calls
    assert not again.changed and len(again.unchanged) == 5

    # Changed: exactly that report's chunks are replaced.
    path = seeds_copy / "xicheng-2023.txt"
    path.write_text(path.read_text(encoding="utf-8").replace("办复各级建议、提案575件", "办复各级建议、提案999件"),
                    encoding="utf-8")
    changed = ChunkIndex(settings, embedder).build()
    assert changed.replaced == ["xicheng-2023"]
    xicheng_chunks = [c for c in changed_index(settings, embedder).chunks if c.doc_id == "xicheng-2023"]
    assert changed.embedded == len(xicheng_chunks)
    hits = Assistant(settings, embedder=embedder).search("西城区2023年办复各级建议、提案多少件").passages
    assert "999件" in hits[0].chunk.text
    assert not any("575件" in p.chunk.text for p in hits)
    # Chroma holds exactly the live chunks: the old version's vectors are gone.
    live = changed_index(settings, embedder)
    assert live.vectors.collection.count() == len(live.chunks)

    # Removed: its chunks go.
    catalog = json.loads((seeds_copy / "catalog.json").read_text(encoding="utf-8"))
    catalog["reports"] = [r for r in catalog["reports"] if r["doc_id"] != "enyang-2024"]
    (seeds_copy / "catalog.json").write_text(json.dumps(catalog, ensure_ascii=False), encoding="utf-8")
    removed = ChunkIndex(settings, embedder).build()
    assert removed.removed == ["enyang-2024"] and removed.embedded == 0
    live = changed_index(settings, embedder)
    assert all(c.doc_id != "enyang-2024" for c in live.chunks)
    assert live.vectors.collection.count() == len(live.chunks)
    assert Assistant(settings, embedder=embedder).search("恩阳区兑现惠企政策资金").passages == []


def changed_index(settings, embedder):
    return ChunkIndex(settings, embedder).load()


@pytest.mark.parametrize("content,needle", [
    (b"\x00\x01\x02binary\x00" * 50, "二进制"),
    (b"", "空"),
    ("二〇二四年，某区依法行政。".encode("gbk"), "GBK"),
])
def test_bad_file_is_named_and_the_rest_indexes(seeds_copy, tmp_path, embedder, content, needle):
    (seeds_copy / "changping-2024.txt").write_bytes(content)
    report = ChunkIndex(_settings(seeds_copy, tmp_path), embedder).build()
    assert len(report.errors) == 1
    message = str(report.errors[0])
    assert "changping-2024.txt" in message and needle in message
    assert sorted(report.added) == ["enyang-2024", "tongzhou-2020", "xicheng-2023", "zhangziying-2023"]


def test_a_file_that_breaks_later_keeps_its_last_good_version(seeds_copy, tmp_path, embedder):
    settings = _settings(seeds_copy, tmp_path)
    ChunkIndex(settings, embedder).build()
    (seeds_copy / "changping-2024.txt").write_bytes(b"\xff\xfe\x00garbage")
    report = ChunkIndex(settings, embedder).build()
    assert report.errors and "changping-2024" not in report.removed
    hits = Assistant(settings, embedder=embedder).search("昌平区2024年共接收行政复议申请多少件").passages
    assert "1723件" in hits[0].chunk.text


def test_simplified_question_finds_the_traditional_report(assistant):
    passages = assistant.search("通州区2020年黑名单有多少家？").passages
    top = passages[0]
    assert top.chunk.doc_id == "tongzhou-2020"
    assert "黑名單592家" in top.chunk.text  # shown in the original script
    assert top.chunk.text == assistant.reports()["tongzhou-2020"].text[top.chunk.start:top.chunk.end]


@pytest.mark.parametrize("question,expected", [
    ("昌平区2024年共接收行政复议申请多少件？", {"changping-2024"}),
    ("通州區2020年紅名單多少家", {"tongzhou-2020"}),
    ("恩阳2024年办理行政复议案件多少件", {"enyang-2024"}),
    ("大兴区长子营镇2023年行政复议案件", {"zhangziying-2023"}),
    ("西城区和昌平区的政府信息公开", {"xicheng-2023", "changping-2024"}),
    ("2023年主动公开政府信息多少条", {"xicheng-2023", "zhangziying-2023"}),
])
def test_filters_keep_to_the_reports_named(assistant, question, expected):
    passages = assistant.search(question, k=8).passages
    assert passages and {p.chunk.doc_id for p in passages} <= expected


@pytest.mark.parametrize("question", [
    "海淀区2024年共接收行政复议申请多少件？",
    "成都市武侯区2024年办理行政复议案件多少件",
    "昌平区2019年共接收行政复议申请多少件？",
    "2022年全区行政复议申请多少件",
])
def test_region_or_year_not_in_corpus_gives_no_passages(assistant, question):
    result = assistant.search(question)
    assert result.passages == [] and result.scope.empty


def test_plans_year_maps_to_the_report_before_it(assistant):
    passages = assistant.search("昌平区2025年法治政府建设工作有哪些安排？").passages
    assert passages and passages[0].chunk.kind == "下一年安排"


def test_a_passage_carries_its_reports_year(assistant):
    """Statements read at answer time date their targets (到2025年) by the report's year."""
    passages = assistant.search("西城区2023年办复各级建议、提案多少件").passages
    years = {e.doc_id: e.year for e in assistant.catalog}
    assert passages and all(p.year == years[p.chunk.doc_id] > 2000 for p in passages)


def test_corrupt_manifest_names_the_rebuild_command(built_settings, tmp_path, embedder):
    import shutil

    from rag.errors import IndexError_

    data = tmp_path / "copy"
    shutil.copytree(built_settings.data_dir, data)
    (data / "state" / "manifest.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(IndexError_, match="rag index --rebuild"):
        ChunkIndex(Settings(seeds_dir=built_settings.seeds_dir, data_dir=data), embedder).load()


def test_a_running_assistant_follows_a_rebuild_by_another_process(seeds_copy, tmp_path, embedder):
    settings = _settings(seeds_copy, tmp_path)
    ChunkIndex(settings, embedder).build()
    running = Assistant(settings, embedder=embedder)
    assert running.ask("西城区2023年办复各级建议、提案多少件？").text.startswith("575件")
    path = seeds_copy / "xicheng-2023.txt"
    path.write_text(path.read_text(encoding="utf-8").replace("提案575件", "提案999件"), encoding="utf-8")
    ChunkIndex(settings, embedder).build()  # as `rag index` would, in another process
    ans = running.ask("西城区2023年办复各级建议、提案多少件？")
    assert ans.text.startswith("999件") and ans.citations[0].text.find("999件") >= 0
