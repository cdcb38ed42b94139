"""The facts table in a real Chroma: built with the index, replaced per changed report, read through the API,
exported by `rag facts`, and kept in the Chroma server in server mode."""
from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

from rag.api import Assistant
from rag.cli import FACT_FIELDS
from rag.settings import Settings

from .test_chroma_server import chroma_server  # noqa: F401  (the real `chroma run` fixture)


def test_api_facts_filters_and_cites(assistant):
    facts = assistant.facts(metric="行政复议")
    assert {f.doc_id for f in facts} >= {"changping-2024", "enyang-2024", "tongzhou-2020"}
    f = next(f for f in facts if f.as_written == "1723件")
    assert f.value == 1723 and f.unit == "件" and f.region == "昌平区" and f.year == 2024
    text = assistant.reports()["changping-2024"].text
    assert text[f.start:f.end] == f.text == f.citation.text
    assert all(x.year == 2020 for x in assistant.facts(years=[2020]))
    assert {x.doc_id for x in assistant.facts(regions=["恩阳区"])} == {"enyang-2024"}
    assert all(x.kind == "下一年安排" for x in assistant.facts(kinds=["下一年安排"]))


def test_ranking_over_all_reports_reads_the_facts_table(assistant):
    ans = assistant.ask("哪个地方的行政复议案件最多？")
    assert ans.shape == "rank" and ans.text.split("\n")[0].startswith("昌平区")
    assert ans.chart and ans.chart[0]["place"] == "昌平区" and ans.chart[0]["value"] == 1723


def _cli(args, settings):
    env = {"RAG_DATA_DIR": str(settings.data_dir), "RAG_SEEDS_DIR": str(settings.seeds_dir), "PATH": "/usr/bin:/bin"}
    return subprocess.run([sys.executable, "-m", "rag.cli", *args], capture_output=True, text=True, env=env,
                          timeout=300)


def test_cli_facts_json_and_csv(built_settings):
    out = _cli(["facts", "--metric", "行政复议", "--json"], built_settings)
    assert out.returncode == 0, out.stderr
    rows = json.loads(out.stdout)
    assert rows and all(set(FACT_FIELDS) <= set(r) for r in rows)
    assert any(r["as_written"] == "1723件" and r["value"] == 1723 for r in rows)
    out = _cli(["facts", "--region", "西城区", "--csv"], built_settings)
    table = list(csv.DictReader(io.StringIO(out.stdout)))
    assert list(table[0]) == list(FACT_FIELDS) and {r["doc_id"] for r in table} == {"xicheng-2023"}
    everything = json.loads(_cli(["facts", "--json"], built_settings).stdout)
    assert len(everything) > 150 and len({r["doc_id"] for r in everything}) == 5


def test_a_changed_report_replaces_exactly_its_facts(seeds_copy, tmp_path, embedder):
    settings = Settings(seeds_dir=seeds_copy, data_dir=tmp_path / "data")
    Assistant(settings, embedder=embedder).build_index()
    before = Assistant(settings, embedder=embedder).facts()
    path = seeds_copy / "changping-2024.txt"
    path.write_text(path.read_text(encoding="utf-8").replace("1723件", "1999件"), encoding="utf-8")
    report = Assistant(settings, embedder=embedder).build_index()
    assert report.replaced == ["changping-2024"]
    after = Assistant(settings, embedder=embedder).facts()
    assert any(f.as_written == "1999件" for f in after) and not any(f.as_written == "1723件" for f in after)
    others = lambda fs: sorted((f.doc_id, f.value_start, f.value) for f in fs if f.doc_id != "changping-2024")
    assert others(after) == others(before)
    assert len(after) == len(before)


def test_server_mode_keeps_facts_in_the_chroma_server(chroma_server, tmp_path, embedder):  # noqa: F811
    settings = Settings(data_dir=tmp_path / "data", chroma_host="127.0.0.1", chroma_port=chroma_server)
    Assistant(settings, embedder=embedder).build_index()
    fresh = Assistant(settings, embedder=embedder)
    store = fresh.index.statements_store
    stored = store.count(fresh.index.fact_versions())
    assert store.collection.count() == stored >= len(fresh.facts()) > 150  # every statement's vector, acts too
    assert not (tmp_path / "data" / "chroma").exists()  # nothing embedded locally
    assert any(f.as_written == "22432条" for f in fresh.facts(regions=["西城区"]))
