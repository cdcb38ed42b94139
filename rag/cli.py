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


def _positive_int(text: str) -> int:
    """argparse type for -k: a count of passages, at least 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} 不是整数") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"应为正整数，而不是 {value}")
    return value


def _text(value):
    """Text safe to print: a lone surrogate (from undecodable argv bytes, or "\\udcff" in a JSON line)
    cannot be written as UTF-8 and would end the command with a traceback."""
    if not isinstance(value, str):
        return value
    return value.encode("utf-8", "replace").decode("utf-8")


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
    unlisted = assistant.corpus.unlisted
    if unlisted:
        print(f"注意：seeds 目录中这些文件没有目录条目，未被索引：{'、'.join(unlisted)}"
              "（请用 rag add 添加到报告库）。", file=sys.stderr)
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
        item["question"] = _text(item["question"])
        row = {"id": _text(item.get("id")), "question": item["question"]}
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
    if answer.chart:
        print("\n" + "\n".join(f"  {r['place']}（{r['year']}年）{r['as_written']}" for r in answer.chart))
    if answer.notice:
        print(f"\n（{answer.notice}）")
    for i, c in enumerate(answer.citations, 1):
        print(f"\n[{i}] {c.title} · {c.section}（第 {c.start}–{c.end} 字）")
        if c.text not in answer.text:  # quoted already in the answer above
            print(f"    「{c.text}」")
    return 0


# The facts export contract (tools outside the project rely on these names, in this order).
FACT_FIELDS = ("doc_id", "region", "year", "metric", "value", "unit", "as_written", "text", "start", "end",
               "kind", "approx", "period", "section", "title",
               # what the statement says beyond the figure (appended: the columns before keep their order)
               "measures", "act", "frame", "item", "status", "polarity", "scope")


def cmd_facts(args) -> int:
    from .export import write_csv

    assistant = _assistant(args)
    facts = assistant.facts(metric=args.metric, regions=args.region or None, years=args.year or None,
                            kinds=args.kind or None, limit=args.limit)
    rows = [{k: f.as_dict()[k] for k in FACT_FIELDS} for f in facts]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=1))
    elif args.csv:
        write_csv(sys.stdout, FACT_FIELDS, rows)  # formula-like cells escaped (rag.export.csv_cell)
    else:
        for f in facts:
            print(f"{f.region}\t{f.year}\t{f.metric}\t{f.as_written}\t（{f.doc_id} 第 {f.start}–{f.end} 字）")
        print(f"共 {len(facts)} 条数据。", file=sys.stderr)
    return 0


def _entry_line(e: dict) -> str:
    year = e.get("year") or "?"
    return (f"{e['doc_id']}  {e.get('title', '')}\n    地区 {e.get('region') or '?'}（{e.get('level') or '?'}，上级 "
            f"{e.get('parent') or '—'}） 年份 {year}  发布 {e.get('published') or '—'}  "
            f"{'繁体' if e.get('script') == 'traditional' else '简体'}  来源 {e.get('source', '')}")


_FIELD_NAMES = {"title": "标题", "region": "地区", "level": "级别", "parent": "上级地区", "year": "年份"}


def cmd_add(args) -> int:
    from .api import Assistant

    overrides = {k: v for k, v in (("region", args.region), ("year", args.year), ("level", args.level),
                                   ("parent", args.parent), ("title", args.title)) if v is not None}
    assistant = Assistant(_settings(args))

    def show(r) -> None:
        if args.json:
            return
        if r.status == "failed":
            print(f"失败：{r.path}\n    {r.error}", file=sys.stderr)
            return
        label = {"added": "已添加", "replaced": "已替换旧版本", "unchanged": "已在报告库中（内容相同）",
                 "resumed": "已在报告库中，但上次未完成索引：现在补全"}[r.status]
        print(f"{label}：{r.path}\n  {_entry_line(r.entry)}")
        if r.beside:
            print(f"    注意：{r.notes[-1]}")
        if r.undetermined:
            names = "、".join(_FIELD_NAMES.get(f, f) for f in r.undetermined)
            print(f"    未能确定：{names}。请用 rag edit {r.doc_id} --字段 值 更正。")

    results, build = assistant.add_reports(args.paths, overrides=overrides or None,
                                           progress=None if args.json else console_progress(), on_result=show,
                                           replace=args.replace)
    if args.json:
        print(json.dumps({"results": [r.as_dict() for r in results],
                          "index": None if build is None else {"chunks": build.chunks, "embedded": build.embedded,
                                                               "seconds": round(build.seconds, 2)}},
                         ensure_ascii=False, indent=1))
    elif build is not None:
        print(f"索引已更新：计算向量 {build.embedded} 个，用时 {build.seconds:.1f} 秒。")
    if not results:
        print("没有找到可添加的文件（支持 .txt .md .html .htm .docx .pdf）。", file=sys.stderr)
        return 1
    return 1 if any(r.status == "failed" for r in results) else 0


def cmd_reports(args) -> int:
    from .api import Assistant

    assistant = Assistant(_settings(args))
    entries = assistant.library_reports()
    if args.json:
        keys = ("doc_id", "title", "issuer", "region", "level", "parent", "aliases", "year", "published",
                "script", "source", "added", "undetermined")
        print(json.dumps([{k: e.get(k) for k in keys} for e in entries], ensure_ascii=False, indent=1))
        return 0
    if not entries:
        print("报告库为空。用 rag add 文件或文件夹 添加报告（内置的示例报告不在此列）。")
    for e in entries:
        print(_entry_line(e))
    unlisted = assistant.corpus.unlisted
    if unlisted:
        print(f"\n注意：seeds 目录中这些文件没有目录条目，未被索引：{'、'.join(unlisted)}（用 rag add 添加）。")
    return 0


def cmd_edit(args) -> int:
    from .api import Assistant

    fields = {k: v for k, v in vars(args).items() if k in _EDIT_FIELDS and v is not None}
    if not fields:
        raise RagError(f"请至少给出一个要修改的字段：{' '.join('--' + f for f in _EDIT_FIELDS)}")
    entry = Assistant(_settings(args)).edit_report(args.doc_id, **fields)
    print(f"已更新：\n  {_entry_line(entry)}")
    return 0


def cmd_remove(args) -> int:
    from .api import Assistant

    entry = Assistant(_settings(args)).remove_report(args.doc_id)
    print(f"已删除：{entry['doc_id']}  {entry.get('title', '')}\n  （已移入回收站，可用 rag restore {entry['doc_id']} 恢复）")
    return 0


def cmd_restore(args) -> int:
    from .api import Assistant

    assistant = Assistant(_settings(args))
    if args.empty:
        print(f"已清空回收站：永久删除 {assistant.empty_removed()} 份报告。")
        return 0
    if args.list or not args.doc_id:
        removed = assistant.removed_reports()
        if not removed:
            print("回收站为空。")
        for e in removed:
            print(f"{e['doc_id']}  {e.get('title', '')}  （删除于 {e.get('removed', '?')}）")
        return 0
    entry = assistant.restore_report(args.doc_id)
    print(f"已恢复：\n  {_entry_line(entry)}")
    return 0


_EDIT_FIELDS = ("title", "issuer", "region", "parent", "level", "aliases", "year", "published", "script")


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

    s = sub.add_parser("add", help="把报告文件或文件夹加入报告库（txt/md/html/docx/pdf）并建立索引")
    s.add_argument("paths", nargs="+", metavar="PATH")
    s.add_argument("--json", action="store_true")
    s.add_argument("--replace", action="store_true",
                   help="同一地区、同一年份已有另一份报告时，用新文件替换它（默认两份都保留）")
    for name, hint in (("region", "地区全称，如 四川省巴中市恩阳区"), ("year", "报告所述年份"),
                       ("level", "province|city|district|county|town|department"), ("parent", "上级地区"),
                       ("title", "标题")):
        s.add_argument(f"--{name}", help=f"覆盖自动识别的{hint}")
    s.set_defaults(func=cmd_add)

    s = sub.add_parser("reports", help="列出报告库中的报告")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_reports)

    s = sub.add_parser("edit", help="更正报告库中一份报告的目录信息")
    s.add_argument("doc_id")
    for name in _EDIT_FIELDS:
        s.add_argument(f"--{name}", help="别名用逗号分隔" if name == "aliases" else None)
    s.set_defaults(func=cmd_edit)

    s = sub.add_parser("remove", help="从报告库删除一份报告（移入回收站，可用 rag restore 恢复）")
    s.add_argument("doc_id")
    s.set_defaults(func=cmd_remove)

    s = sub.add_parser("restore", help="恢复已删除的报告；不带参数列出回收站")
    s.add_argument("doc_id", nargs="?")
    s.add_argument("--list", action="store_true", help="列出回收站中的报告")
    s.add_argument("--empty", action="store_true", help="清空回收站（永久删除）")
    s.set_defaults(func=cmd_restore)

    s = sub.add_parser("search", help="检索相关段落")
    s.add_argument("question", nargs="?")
    s.add_argument("-k", type=_positive_int, default=5)
    s.add_argument("--json", action="store_true")
    s.add_argument("--batch", metavar="FILE.jsonl", help='每行 {"id":..., "question":...}；- 表示标准输入')
    s.set_defaults(func=cmd_search)

    s = sub.add_parser("ask", help="回答问题并给出引文")
    s.add_argument("question", nargs="?")
    s.add_argument("--json", action="store_true")
    s.add_argument("--batch", metavar="FILE.jsonl")
    s.add_argument("--mode", choices=["extractive", "llm"], default=None)
    s.set_defaults(func=cmd_ask)

    s = sub.add_parser("facts", help="列出报告中写明的数字（数据表），可按指标、地区、年份筛选")
    s.add_argument("--metric", default=None, help="指标用词，如 行政复议")
    s.add_argument("--region", action="append", help="地区（可重复）")
    s.add_argument("--year", action="append", type=int, help="年份（可重复）")
    s.add_argument("--kind", action="append", choices=["成效", "不足", "第一责任人", "下一年安排", "概述", "其他"])
    s.add_argument("--limit", type=_positive_int, default=None, help="最多输出多少条")
    fmt = s.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true")
    fmt.add_argument("--csv", action="store_true")
    s.set_defaults(func=cmd_facts)

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
    if getattr(args, "question", None) is not None:
        args.question = _text(args.question)
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
