"""`rag index|search|ask|eval|chat`: argument parsing and output formatting only."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .errors import QuestionError, RagError
from .progress import console_progress
from .settings import Settings


# The batch output contract other tools rely on: exactly these names.
CITATION_FIELDS = ("doc_id", "title", "section", "text", "start", "end")


def _settings(args) -> Settings:
    return Settings.from_env(data_dir=Path(args.data_dir) if getattr(args, "data_dir", None) else None)


def _assistant(args):
    from .api import Assistant

    return Assistant(_settings(args), progress=console_progress())


def cmd_index(args) -> int:
    from .api import Assistant

    assistant = Assistant(_settings(args))
    report = assistant.build_index(rebuild=args.rebuild, progress=console_progress())
    for err in report.errors:
        print(f"错误：{err}", file=sys.stderr)
    print(f"索引完成：新增 {len(report.added)}，更新 {len(report.replaced)}，删除 {len(report.removed)}，"
          f"未变 {len(report.unchanged)}；共 {report.chunks} 个分块，计算向量 {report.embedded} 个，"
          f"用时 {report.seconds:.1f} 秒。")
    return 1 if report.errors else 0


def _read_batch(path: str):
    """Yield (line_no, item-or-error) for a JSONL file of {"id", "question"}."""
    try:
        stream = sys.stdin if path == "-" else open(path, encoding="utf-8")
    except OSError as exc:
        raise RagError(f"无法读取批量问题文件 {path}：{exc.strerror}") from None
    with stream:
        for n, line in enumerate(stream, 1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
                if not isinstance(item, dict) or not isinstance(item.get("question"), str):
                    raise ValueError("缺少字符串类型的 question 字段")
                yield n, item
            except ValueError as exc:
                yield n, exc


def _run_batch(path: str, answer_one) -> int:
    """One JSON line out per question line in, in order; a bad line gets an "error" line, not a gap."""
    status = 0
    for n, item in _read_batch(path):
        if isinstance(item, Exception):
            print(f"第 {n} 行无效：{item}", file=sys.stderr)
            print(json.dumps({"id": None, "question": None, "error": f"第 {n} 行无效：{item}"},
                             ensure_ascii=False), flush=True)
            status = 1
            continue
        row = {"id": item.get("id"), "question": item["question"]}
        try:
            row.update(answer_one(str(item["question"])))
        except QuestionError as exc:
            print(f"第 {n} 行：{exc}", file=sys.stderr)
            row.update(answer_one(None, error=str(exc)))
        print(json.dumps(row, ensure_ascii=False), flush=True)
    return status


def cmd_search(args) -> int:
    assistant = _assistant(args)
    if args.batch:
        def search_one(question, error=None):
            if error:
                return {"passages": []}
            return {"passages": [p.as_dict() for p in assistant.search(question, args.k).passages]}

        return _run_batch(args.batch, search_one)
    if args.question is None:
        raise QuestionError("请提供问题，或使用 --batch FILE.jsonl。")
    result = assistant.search(args.question, args.k)
    if args.json:
        print(json.dumps({"question": args.question, "passages": [p.as_dict() for p in result.passages]},
                         ensure_ascii=False, indent=1))
        return 0
    if not result.passages:
        print("没有找到相关段落。" + _scope_note(result.scope))
        return 0
    for i, p in enumerate(result.passages, 1):
        print(f"[{i}] {p.title} · {p.chunk.section_path}  (score {p.score:.3f})")
        print(f"    {p.chunk.text}\n")
    return 0


def _scope_note(scope) -> str:
    if scope.unknown_regions:
        return f"（语料中没有：{'、'.join(scope.unknown_regions)}）"
    if scope.missing_years:
        return f"（语料中没有 {'、'.join(map(str, scope.missing_years))} 年的报告）"
    return ""


def cmd_ask(args) -> int:
    assistant = _assistant(args)
    if args.batch:
        def ask_one(question, error=None):
            if error:
                return {"answer": error, "answered": False, "citations": [], "mode": None, "notice": None,
                        "latency_ms": 0}
            ans = assistant.ask(question, mode=args.mode).as_dict()
            return {"answer": ans["answer"], "answered": ans["answered"],
                    "citations": [{k: c[k] for k in CITATION_FIELDS} for c in ans["citations"]],
                    "mode": ans["mode"], "notice": ans["notice"], "latency_ms": ans["latency_ms"]}

        return _run_batch(args.batch, ask_one)
    if args.question is None:
        raise QuestionError("请提供问题，或使用 --batch FILE.jsonl。")
    answer = assistant.ask(args.question, mode=args.mode)
    if args.json:
        print(json.dumps(answer.as_dict(), ensure_ascii=False, indent=1))
        return 0
    print(answer.text)
    if answer.notice:
        print(f"\n（{answer.notice}）")
    for i, c in enumerate(answer.citations, 1):
        print(f"\n[{i}] {c.title} · {c.section}（第 {c.start}–{c.end} 字）")
        if c.text not in answer.text:  # quoted already in the answer above
            print(f"    「{c.text}」")
    return 0


def cmd_eval(args) -> int:
    from evals.runner import main as eval_main

    return eval_main(args)


def cmd_chat(args) -> int:
    from ui.app import launch

    settings = _settings(args)
    return launch(settings, host=args.host or settings.chat_host, port=args.port or settings.chat_port)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="rag", description="法治政府建设年度报告问答助手")
    p.add_argument("--data-dir", help="索引目录（默认 RAG_DATA_DIR 或 ./.rag-data）")
    sub = p.add_subparsers(dest="command", required=True)

    s = sub.add_parser("index", help="建立或更新索引（增量）")
    s.add_argument("--rebuild", action="store_true", help="丢弃现有索引，从头重建")
    s.set_defaults(func=cmd_index)

    s = sub.add_parser("search", help="检索相关段落")
    s.add_argument("question", nargs="?")
    s.add_argument("-k", type=int, default=5)
    s.add_argument("--json", action="store_true")
    s.add_argument("--batch", metavar="FILE.jsonl", help='每行 {"id":..., "question":...}；- 表示标准输入')
    s.set_defaults(func=cmd_search)

    s = sub.add_parser("ask", help="回答问题并给出引文")
    s.add_argument("question", nargs="?")
    s.add_argument("--json", action="store_true")
    s.add_argument("--batch", metavar="FILE.jsonl")
    s.add_argument("--mode", choices=["extractive", "llm"], default=None)
    s.set_defaults(func=cmd_ask)

    s = sub.add_parser("eval", help="在评测题集上评估")
    s.add_argument("--mode", choices=["extractive", "llm"], default="extractive")
    s.add_argument("--questions", default=None)
    s.add_argument("--retrieval-only", action="store_true")
    s.add_argument("--no-ablation", action="store_true", help="不输出消融对比表")
    s.set_defaults(func=cmd_eval)

    s = sub.add_parser("chat", help="启动网页聊天界面（Gradio）")
    s.add_argument("--host", default=None, help="监听地址（默认 RAG_HOST 或 127.0.0.1）")
    s.add_argument("--port", type=int, default=None, help="端口（默认 RAG_PORT 或 7860）")
    s.set_defaults(func=cmd_chat)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args) or 0
    except KeyboardInterrupt:
        print("\n已中断。", file=sys.stderr)
        return 130
    except RagError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
