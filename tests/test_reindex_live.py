"""Fault 1 (issue 12): a running assistant keeps answering, from one version at a time, while another
process re-indexes a changed report (embedded Chroma)."""
from __future__ import annotations

import threading

from rag.api import Assistant

from .test_faults import CP_QUESTION, clone_index, run_rag, writable

VERSIONS = ("1723件", "1999件", "2999件")


def test_answers_follow_a_reindex_in_another_process(built_settings, seeds_copy, tmp_path, embedder):
    settings = clone_index(built_settings, seeds_copy, tmp_path / "data")
    assistant = Assistant(settings, embedder=embedder)
    assert assistant.ask(CP_QUESTION).text.startswith("1723件")
    report = writable(seeds_copy / "changping-2024.txt")

    answers: list[tuple[str, list[str]]] = []
    errors: list[BaseException] = []
    stop = threading.Event()

    def keep_asking():
        while not stop.is_set():
            try:
                ans = assistant.ask(CP_QUESTION)
                answers.append((ans.text, [c.text for c in ans.citations]))
            except BaseException as exc:  # noqa: BLE001 - every failure is what this test counts
                errors.append(exc)

    asker = threading.Thread(target=keep_asking)
    asker.start()
    try:
        text = report.read_text(encoding="utf-8")
        for old, new in zip(VERSIONS, VERSIONS[1:]):
            text = text.replace(old, new)
            report.write_text(text, encoding="utf-8")
            run = run_rag("index", seeds=seeds_copy, data=settings.data_dir)
            assert run.returncode == 0 and "更新 1" in run.stdout, run.stderr
            # After `rag index` returns, the very next question answers from the new version.
            after = assistant.ask(CP_QUESTION)
            assert after.text.startswith(new), after.text
            assert new in after.citations[0].text
        # A rebuild from scratch meanwhile (it deletes the store first): answers go on, then follow it.
        rebuilt = run_rag("index", "--rebuild", seeds=seeds_copy, data=settings.data_dir)
        assert rebuilt.returncode == 0, rebuilt.stderr
        assert assistant.ask(CP_QUESTION).text.startswith(VERSIONS[-1])
    finally:
        stop.set()
        asker.join(timeout=60)

    assert not errors, [repr(e) for e in errors[:3]]
    assert len(answers) > 3
    for text, quotes in answers:  # each answer is one version: the number stated is the one cited
        number = next(v for v in VERSIONS if text.startswith(v))
        assert quotes and number in quotes[0]
        assert not any(v in q for q in quotes for v in VERSIONS if v != number)


def test_answers_go_on_while_a_rebuild_has_removed_the_old_index(built_settings, seeds_copy, tmp_path, embedder):
    """`rag index --rebuild` first deletes the store and the state dir; until it commits a new generation,
    a running assistant answers from the snapshot it holds (the instant the real rebuild is in)."""
    import shutil

    settings = clone_index(built_settings, seeds_copy, tmp_path / "data")
    assistant = Assistant(settings, embedder=embedder)
    assert assistant.ask(CP_QUESTION).text.startswith("1723件")
    shutil.rmtree(settings.data_dir / "state")
    shutil.rmtree(settings.data_dir / "chroma")
    for _ in range(2):
        ans = assistant.ask(CP_QUESTION)
        assert ans.text.startswith("1723件") and "1723件" in ans.citations[0].text
