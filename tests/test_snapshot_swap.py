"""Issue 20, finding 5: a change in the library must not freeze every chat.

The build makes a new index snapshot beside the live one and swaps it in when it is whole; questions asked
meanwhile are answered at once, from the old snapshot, consistently (the live snapshot is never rewritten).
The builds here are paused at a known point by their progress callback, so the test does not depend on
timing: before the fix, a question asked during the pause waited on the assistant's lock for the build.
"""
from __future__ import annotations

import shutil
import threading

from rag.api import Assistant

from .conftest import SEEDS
from .report_files import DATA
from .test_faults import clone_index

QUESTION = "鼓楼区2022年收到行政复议申请多少件？"


def _ask_within(assistant, question: str, seconds: float = 60):
    """Ask from another thread (a chat user); None if the answer did not come within `seconds`."""
    out = []
    t = threading.Thread(target=lambda: out.append(assistant.ask(question)), daemon=True)
    t.start()
    t.join(seconds)
    return out[0] if out else None


class _Pause:
    """A progress callback that holds the build at the first call `at(stage, done, total)` accepts."""

    def __init__(self, at):
        self.at, self.reached, self.go = at, threading.Event(), threading.Event()

    def __call__(self, stage, done, total):
        if not self.reached.is_set() and self.at(stage, done, total):
            self.reached.set()
            self.go.wait(120)


def _in_background(fn):
    out: list = []
    t = threading.Thread(target=lambda: out.append(fn()), daemon=True)
    t.start()
    return t, out


def test_questions_during_a_build_are_answered_from_the_old_snapshot(built_settings, tmp_path, embedder):
    settings = clone_index(built_settings, SEEDS, tmp_path / "data")
    chat = Assistant(settings, embedder=embedder)
    src = tmp_path / "gulou.html"
    shutil.copy(DATA / "gulou-2022.html", src)
    ((added,), _) = chat.add_reports([src])
    assert chat.ask(QUESTION).text.startswith("157件")
    live = chat.index
    generation, chunks = live.manifest.generation, list(live.chunks)

    # A new version, held right after the build committed its manifest, before the swap.
    src.write_text(src.read_text(encoding="utf-8").replace("157件", "158件"), encoding="utf-8")
    pause = _Pause(lambda stage, done, total: stage == "bm25" and total and done == total)
    build, result = _in_background(lambda: chat.add_reports([src], replace=True, progress=pause))
    try:
        assert pause.reached.wait(180), "the build never reached its commit"
        ans = _ask_within(chat, QUESTION)
        assert ans is not None, "a question waited for the build"
        assert ans.text.startswith("157件") and "158件" not in ans.text  # the old snapshot, whole
        assert all("158件" not in c.text for c in ans.citations)
        assert chat.index is live and live.manifest.generation == generation and live.chunks == chunks
        ranking = _ask_within(chat, "哪个地方的行政复议申请最多？")
        assert ranking is not None and "158件" not in ranking.text
    finally:
        pause.go.set()
        build.join(180)
    assert result and result[0][0][0].status == "replaced"
    assert chat.index is not live
    assert chat.ask(QUESTION).text.startswith("158件")

    # A correction: held once its facts are re-derived under the new name, before the manifest naming them.
    import rag.index as index_module

    real_sync, held, go = index_module.sync_statements, threading.Event(), threading.Event()

    def sync_then_hold(*args, **kwargs):
        added_facts = real_sync(*args, **kwargs)
        held.set()
        go.wait(120)
        return added_facts

    index_module.sync_statements = sync_then_hold
    try:
        build, _ = _in_background(lambda: chat.edit_report(added.doc_id, region="江苏省徐州市云龙区"))
        assert held.wait(180), "the correction's build never re-derived the facts"
        ans = _ask_within(chat, QUESTION)
        assert ans is not None and ans.text.startswith("158件")
        assert {f.region for f in chat.facts() if f.doc_id == added.doc_id} == {"鼓楼区"}  # still the old snapshot
    finally:
        go.set()
        index_module.sync_statements = real_sync
        build.join(180)
    assert {f.region for f in chat.facts() if f.doc_id == added.doc_id} == {"云龙区"}
    ans = chat.ask("云龙区2022年收到行政复议申请多少件？")
    assert ans.answered and ans.text.startswith("158件")
