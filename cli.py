"""The `kehoach` command.

Heavy imports (torch, faiss, gradio) happen inside the sub-commands that need
them, so `kehoach tasks` and an up-to-date `kehoach index` stay fast.
"""
from __future__ import annotations

import argparse
import errno
import json
import os
import sys
from pathlib import Path

from kehoach import __version__
from kehoach.config import Config

EXIT_USAGE, EXIT_FAIL = 2, 1


def _out(obj) -> None:
    from kehoach.validate import printable   # a question with invalid bytes is echoed, not a crash
    sys.stdout.write(printable(json.dumps(obj, ensure_ascii=False)) + "\n")


def _err(msg: str) -> None:
    from kehoach.validate import printable
    sys.stderr.write(printable(msg.rstrip()) + "\n")


def _checked_args(args, docs=None, agency_known=None) -> str | None:
    """The same limits as the JSON API (kehoach.validate) for -k, --year, --doc, --agency; a message or None."""
    from kehoach.validate import InputError, check_agency, check_k, check_year, resolve_doc
    try:
        if getattr(args, "k", None) is not None:
            args.k = check_k(args.k, 10)
        check_year(getattr(args, "year", None), "--year")
        if getattr(args, "doc", None) and docs is not None:
            args.doc = resolve_doc(args.doc, docs)
        if getattr(args, "agency", None) is not None:
            args.agency = check_agency(args.agency, agency_known)
    except InputError as err:
        return str(err)
    return None


def _cfg(args) -> Config:
    over = {}
    if getattr(args, "home", None):
        over["home"] = Path(args.home).expanduser()
    return Config.load(**over)


def _say(quiet: bool):
    return (lambda m: None) if quiet else (lambda m: _err(m))


# ---- corpus -----------------------------------------------------------------------

def _task_filter(args):
    from kehoach.corpus.agencies import Directory
    from kehoach.index.search import years_overlap
    names = Directory.load().expand_filter(args.agency) if args.agency else None

    def keep(doc: str, task) -> bool:
        if args.doc and not (doc == args.doc or doc.startswith(args.doc)):
            return False
        if names is not None and not names.intersection([*task.lead, *task.support]):
            return False
        if args.year is not None:
            return years_overlap(task, args.year, args.year)
        return True
    return keep, names


def cmd_tasks(args) -> int:
    from kehoach.corpus.pipeline import load_corpus
    cfg = _cfg(args)
    problem = _checked_args(args)
    if problem:
        _err(problem)
        return EXIT_USAGE
    docs, errors = load_corpus(cfg, args.paths or None)
    for e in errors:
        _err(e)
    if args.doc and docs and not any(d.doc.startswith(args.doc) for d in docs):
        # A prefix may name several plans here (their tasks are listed); none at all is named back.
        from kehoach.validate import InputError, resolve_doc
        try:
            resolve_doc(args.doc, [d.doc for d in docs])
        except InputError as err:
            _err(str(err))
            return EXIT_USAGE
    keep, names = _task_filter(args)
    if args.agency and not names:
        _err(f"Không nhận ra cơ quan «{args.agency}». Xem danh sách: kehoach agencies")
        return EXIT_USAGE
    plans = {d.doc: d.info.title for d in docs}
    tasks = [t for d in docs for t in d.tasks if keep(d.doc, t)]
    fields = ("doc", "lines", "section", "headings", "text", "text_restored", "lead", "support", "deadline",
              "deadline_years", "recurring")
    if args.json:
        _out({"tasks": [{f: getattr(t, f) for f in fields} for t in tasks]})
    elif args.csv or args.xlsx:
        from kehoach.ui.export import to_csv, to_xlsx
        headers = ["Văn bản", "Tệp", "Mục", "Dòng", "Nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian"]
        rows = [[plans[t.doc], t.doc, t.section, f"{t.lines[0]}–{t.lines[1]}", t.display_text, "; ".join(t.lead),
                 "; ".join(t.support), t.deadline or ""] for t in tasks]
        path = Path(args.csv or args.xlsx)
        try:
            path.write_bytes(to_csv(headers, rows) if args.csv else to_xlsx(headers, rows, "Nhiệm vụ"))
        except OSError as exc:
            _err(f"Không ghi được tệp '{path}': {exc.strerror}.")
            return EXIT_FAIL
        _err(f"Đã ghi {len(rows)} nhiệm vụ vào {path}")
    else:
        for t in tasks:
            print(f"{t.doc} [{t.lines[0]}-{t.lines[1]}] mục {t.section}: {t.display_text[:110]}")
            print(f"    chủ trì: {', '.join(t.lead) or '—'} | phối hợp: {', '.join(t.support) or '—'}"
                  f" | thời gian: {t.deadline or '—'}")
        _err(f"{len(tasks)} nhiệm vụ trong {len(docs)} văn bản.")
    return EXIT_FAIL if not docs else 0


def cmd_agencies(args) -> int:
    from kehoach.corpus.agencies import Directory
    directory = Directory.load()
    if not args.unresolved:
        for e in directory.entries:
            extra = f" → nay là {e.successor}" if getattr(e, "successor", None) else ""
            abbr = f" ({', '.join(e.abbreviations)})" if getattr(e, "abbreviations", None) else ""
            print(f"{e.name}{abbr}{extra}")
        return 0
    from kehoach.corpus.pipeline import load_corpus
    docs, errors = load_corpus(_cfg(args), args.paths or None, restore=False)
    for e in errors:
        _err(e)
    fields = [(d.doc, raw) for d in docs for t in d.tasks for raw in (t.raw_lead, t.raw_support) if raw]
    rows = directory.unresolved_report(fields, issuers={d.doc: d.info.issuer for d in docs})
    if args.json:
        _out({"unresolved": [{"doc": doc, "text": text, "count": n} for doc, text, n in rows]})
    else:
        for doc, text, n in rows:
            print(f"{doc}\t{n}\t{text}")
        _err(f"{len(rows)} chuỗi cơ quan chưa nhận diện được.")
    return 0


def cmd_restore(args) -> int:
    from kehoach.corpus import loaders
    from kehoach.corpus.ocr_detect import document_is_ocr
    from kehoach.corpus.restore import Restorer
    try:
        lines = loaders.load_lines(Path(args.file))
    except loaders.LoadError as exc:
        _err(str(exc))
        return EXIT_FAIL
    if args.force:
        restored = Restorer.load().decode(lines).lines   # every line, even ones that look clean
    elif not document_is_ocr(lines):
        _err("Văn bản không có dấu hiệu lỗi OCR: in nguyên văn (dùng --force để vẫn khôi phục).")
        restored = lines
    else:
        restored = Restorer.load().restore_lines(lines)
    for i, line in enumerate(restored, 1):
        print(f"{i:5d}\t{line}" if args.number else line)
    return 0


# ---- index and search -------------------------------------------------------------------

def cmd_model(args) -> int:
    from kehoach.index.model import ModelError, describe
    try:
        info = describe(_cfg(args))
    except ModelError as exc:
        _err(str(exc))
        return EXIT_FAIL
    if args.json:
        _out(info)
    else:
        for k, v in info.items():
            print(f"{k}: {v}")
    return 0


def cmd_index_check(cfg) -> int:
    """Report the index's state without changing anything: files, checksums, freshness."""
    from kehoach.index.build import corpus_state, is_fresh
    from kehoach.index.store import IndexStore
    store = IndexStore(cfg.index_dir)
    sources = store.recorded_sources()
    _err(f"Nguồn đã lập chỉ mục: {', '.join(sources) if sources else 'các kế hoạch có sẵn'}")
    problems = store.verify()
    manifest = store.manifest()
    if not problems and manifest:
        state, errors = corpus_state(cfg.with_(corpus=tuple(sources)) if sources and not cfg.corpus else cfg)
        for e in errors:
            _err(e)
        if not is_fresh(cfg, manifest, state):
            problems.append("văn bản hoặc phiên bản đã thay đổi từ lần lập chỉ mục trước")
    if problems:
        for p in problems:
            _err(f"  ✗ {p}")
        _err("Chỉ mục cần cập nhật hoặc sửa: chạy «kehoach index» (không xoá gì trước khi bản mới hoàn tất).")
        return EXIT_FAIL
    _err(f"Chỉ mục nguyên vẹn và đã cập nhật: {len(manifest['docs'])} văn bản, {manifest['n_chunks']} đoạn "
         f"({store.current_dir().name}).")
    return 0


def cmd_index(args) -> int:
    from kehoach.index.build import build_index
    cfg = _cfg(args)
    if getattr(args, "check", False):
        return cmd_index_check(cfg)
    res = build_index(cfg, args.paths or None, say=_say(args.quiet), progress=not args.quiet, force=args.force)
    for e in res.get("errors", []):
        _err(e)
    if res["status"] == "empty":
        _err("Không có văn bản nào để lập chỉ mục; chỉ mục cũ (nếu có) được giữ nguyên.")
    elif res["status"] == "fresh":
        _err(f"Chỉ mục đã cập nhật: {res['documents']} văn bản, {res['chunks']} đoạn ({res['seconds']:.2f} s).")
    else:
        _err(f"Đã xây dựng chỉ mục: {res['documents']} văn bản ({res.get('reused', 0)} dùng lại), "
             f"{res['tasks']} nhiệm vụ, {res['chunks']} đoạn, {res['seconds']:.1f} s → {cfg.index_dir}")
    return 0 if res["documents"] else EXIT_FAIL


def _filters(args) -> dict:
    return {"doc": args.doc, "agency": args.agency, "year_from": args.year, "year_to": args.year}


def cmd_search(args) -> int:
    from kehoach.index.search import Searcher
    from kehoach.qa.engine import check_question
    cfg = _cfg(args)
    problem = check_question(args.query, cfg.max_question_chars) or _checked_args(args)
    if problem:
        _err(problem)
        return EXIT_USAGE
    searcher = Searcher.load(cfg, say=_say(args.json))
    if args.doc or args.agency:
        from kehoach.corpus.agencies import Directory
        directory = Directory.load()
        problem = _checked_args(args, docs=list(searcher.docs), agency_known=lambda a: bool(directory.expand_filter(a)))
        if problem:
            _err(problem)
            return EXIT_USAGE
    hits = searcher.search(args.query, k=args.k, filters=_filters(args), mode=args.mode)
    plans = {d.doc: d.info.title for d in searcher.docs.values()}
    rows = [{"doc": h.chunk.doc, "plan": plans.get(h.chunk.doc), "lines": h.chunk.lines, "section": h.chunk.section,
             "kind": h.chunk.kind, "text": h.chunk.text, "text_restored": h.chunk.text_restored,
             "lead": h.chunk.lead, "support": h.chunk.support, "deadline": h.chunk.deadline,
             "score": round(h.score, 4), "dense": round(h.dense, 4), "lexical": round(h.lexical, 4)} for h in hits]
    if args.json:
        _out({"query": args.query, "mode": args.mode, "results": rows})
    else:
        for i, r in enumerate(rows, 1):
            print(f"{i}. [{r['score']:.3f}] {r['doc']} dòng {r['lines'][0]}-{r['lines'][1]} mục {r['section']}")
            print(f"   {(r['text_restored'] or r['text'])[:150]}")
            if r["lead"] or r["deadline"]:
                print(f"   chủ trì: {', '.join(r['lead']) or '—'} | thời gian: {r['deadline'] or '—'}")
    return 0


def _print_answer(d: dict) -> None:
    print(d["answer"])
    if d.get("error"):
        return
    print(f"\n(độ tin cậy {d['confidence']:.2f}; ý định: {d['intent']})")
    for i, r in enumerate(d["results"][:5], 1):
        print(f"  [{i}] {r['plan']} — mục {r['section']}, dòng {r['lines'][0]}–{r['lines'][1]} ({r['doc']})")


def cmd_ask(args) -> int:
    from kehoach.qa.engine import Engine, check_question
    cfg = _cfg(args)
    if not args.batch and args.question is None:
        _err("Thiếu câu hỏi. Ví dụ: kehoach ask \"Sở nào chủ trì giáo dục STEM?\"")
        return EXIT_USAGE
    if not args.batch:
        # Reject a bad question (or -k, --year) before paying for the model.
        problem = check_question(args.question, cfg.max_question_chars) or _checked_args(args)
        if problem:
            if args.json:
                _out({"question": args.question, "intent": "none", "found": False, "confidence": 0.0,
                      "answer": problem, "results": [], "error": problem})
            else:
                _err(problem)
            return EXIT_USAGE
    else:
        problem = _checked_args(args)
        if problem:
            _err(problem)
            return EXIT_USAGE
    engine = Engine.load(cfg, say=_say(args.json))
    if not args.batch:
        ans = engine.ask(args.question, k=args.k, filters=_filters(args)).to_dict()
        _out(ans) if args.json else _print_answer(ans)
        return EXIT_USAGE if ans.get("error") else 0
    return _ask_batch(engine, args)


def _ask_batch(engine, args) -> int:
    """One question a line (text or JSON with "question"), in any encoding the corpus loaders read.

    A bad line (invalid bytes, bad JSON, an invalid question) is reported with its number and
    the run goes on: every good line gets its answer.
    """
    from kehoach.validate import decode_batch, text_problem
    try:
        data = sys.stdin.buffer.read() if args.batch == "-" else Path(args.batch).read_bytes()
    except OSError as exc:
        _err(f"Không mở được tệp câu hỏi '{args.batch}': {exc.strerror}.")
        return EXIT_FAIL
    bad = 0

    def report(n: int, msg: str) -> None:
        nonlocal bad
        bad += 1
        msg = msg if msg.startswith("Dòng") else f"Dòng {n}: {msg}"
        _err(msg)
        if args.json:
            _out({"line": n, "error": msg})

    filters = _filters(args)
    for n, line, error in decode_batch(data):
        if error:
            report(n, error)
            continue
        raw = line.strip().lstrip("\ufeff")
        if not raw:
            continue
        question, qid = raw, None
        if raw.startswith("{"):
            try:
                obj = json.loads(raw)
                question, qid = obj["question"], obj.get("id")
                if not isinstance(question, str):
                    raise TypeError
            except (ValueError, KeyError, TypeError, RecursionError):
                report(n, f"Dòng {n}: JSON không hợp lệ hoặc thiếu trường \"question\" — bỏ qua.")
                continue
        problem = text_problem(question)
        if problem:
            report(n, f"{problem} — bỏ qua.")
            continue
        try:
            d = engine.ask(question, k=args.k, filters=filters).to_dict()
        except Exception as exc:  # noqa: BLE001 - one failing question must not stop the others
            if os.environ.get("KEHOACH_DEBUG"):
                raise
            report(n, f"lỗi khi trả lời ({type(exc).__name__}) — bỏ qua.")
            continue
        if qid is not None:
            d["id"] = qid
        _out(d) if args.json else (_print_answer(d), print("-" * 60))
    if bad:
        _err(f"{bad} dòng lỗi đã bỏ qua.")
    return 0


def cmd_eval(args) -> int:
    from kehoach.eval.harness import main as eval_main
    return eval_main(args, _cfg(args))


def cmd_serve(args) -> int:
    from kehoach.ui.server import serve
    return serve(_cfg(args), host=args.host, port=args.port, root_path=args.root_path, auth=args.auth,
                 auth_file=args.auth_file) or 0


# ---- parser -----------------------------------------------------------------------------

def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="kehoach", description="Tìm kiếm và hỏi đáp trên các kế hoạch của tỉnh.")
    p.add_argument("--version", action="version", version=f"kehoach {__version__}")
    p.add_argument("--home", help="thư mục dữ liệu (mặc định $KEHOACH_HOME hoặc ~/.cache/kehoach)")
    sub = p.add_subparsers(dest="cmd", required=True)

    def filters(sp):
        sp.add_argument("--doc", help="chỉ tìm trong văn bản này (tên tệp)")
        sp.add_argument("--agency", help="cơ quan chủ trì hoặc phối hợp (tên, viết tắt)")
        sp.add_argument("--year", type=int, help="năm thực hiện")

    sp = sub.add_parser("tasks", help="liệt kê nhiệm vụ")
    sp.add_argument("paths", nargs="*")
    filters(sp)
    g = sp.add_mutually_exclusive_group()
    g.add_argument("--json", action="store_true")
    g.add_argument("--csv", metavar="FILE")
    g.add_argument("--xlsx", metavar="FILE")
    sp.set_defaults(func=cmd_tasks)

    sp = sub.add_parser("agencies", help="danh mục cơ quan")
    sp.add_argument("paths", nargs="*")
    sp.add_argument("--unresolved", action="store_true", help="chuỗi cơ quan chưa nhận diện được")
    sp.add_argument("--json", action="store_true")
    sp.set_defaults(func=cmd_agencies)

    sp = sub.add_parser("restore", help="khôi phục dấu tiếng Việt cho văn bản OCR")
    sp.add_argument("file")
    sp.add_argument("--number", action="store_true", help="in số dòng")
    sp.add_argument("--force", action="store_true", help="khôi phục cả khi văn bản có vẻ sạch")
    sp.set_defaults(func=cmd_restore)

    sp = sub.add_parser("model", help="thông tin mô hình ngữ nghĩa")
    sp.add_argument("--json", action="store_true")
    sp.set_defaults(func=cmd_model)

    sp = sub.add_parser("index", help="xây dựng hoặc cập nhật chỉ mục")
    sp.add_argument("paths", nargs="*")
    sp.add_argument("--force", action="store_true")
    sp.add_argument("--check", action="store_true", help="kiểm tra chỉ mục (tệp, mã kiểm tra, độ mới), không sửa gì")
    sp.add_argument("-q", "--quiet", action="store_true")
    sp.set_defaults(func=cmd_index)

    sp = sub.add_parser("search", help="tìm đoạn văn bản")
    sp.add_argument("query")
    sp.add_argument("-k", type=int, default=10)
    sp.add_argument("--json", action="store_true")
    sp.add_argument("--mode", choices=("hybrid", "dense", "lexical"), default="hybrid")
    filters(sp)
    sp.set_defaults(func=cmd_search)

    sp = sub.add_parser("ask", help="hỏi đáp")
    sp.add_argument("question", nargs="?")
    sp.add_argument("-k", type=int, default=10)
    sp.add_argument("--json", action="store_true")
    sp.add_argument("--batch", metavar="FILE",
                    help="mỗi dòng một câu hỏi (văn bản hoặc JSON có \"question\"); - là stdin")
    filters(sp)
    sp.set_defaults(func=cmd_ask)

    sp = sub.add_parser("eval", help="đánh giá trên bộ câu hỏi")
    sp.add_argument("gold", nargs="?", help="tệp JSONL (mặc định eval/dev.jsonl)")
    sp.add_argument("--out", help="thư mục báo cáo (mặc định eval/reports)")
    sp.add_argument("--calibrate", action="store_true", help="học lại ngưỡng/độ tin cậy và ghi qa/calibration.json")
    sp.add_argument("--tune-fusion", action="store_true", help="dò trọng số kết hợp và in bảng kết quả")
    sp.add_argument("--no-baseline", action="store_true", help="bỏ qua pipeline RAG so sánh")
    sp.set_defaults(func=cmd_eval)

    sp = sub.add_parser("serve", help="chạy giao diện web")
    sp.add_argument("--host", default="127.0.0.1")
    sp.add_argument("--port", type=int, default=7860)
    sp.add_argument("--root-path", default="")
    g = sp.add_mutually_exclusive_group()
    g.add_argument("--auth", help="user:pass")
    g.add_argument("--auth-file", help="tệp, mỗi dòng user:pass")
    sp.set_defaults(func=cmd_serve)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        _err("Đã dừng.")
        return 130
    except BrokenPipeError:
        return 0
    except OSError as exc:
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            _err(f"Ổ đĩa đầy: không ghi được {exc.filename or 'dữ liệu'} (disk full). Hãy giải phóng dung lượng "
                 "rồi chạy lại.")
            return EXIT_FAIL
        if os.environ.get("KEHOACH_DEBUG"):
            raise
        _err(f"Lỗi: {exc} ({type(exc).__name__}). Chạy lại với KEHOACH_DEBUG=1 để xem chi tiết.")
        return EXIT_FAIL
    except Exception as exc:  # the user gets one clear line; KEHOACH_DEBUG=1 shows the traceback
        if os.environ.get("KEHOACH_DEBUG"):
            raise
        if type(exc).__name__ in ("IndexError_", "DiskFull"):   # already one Vietnamese sentence
            from kehoach.index.store import IndexStore
            _err(f"{exc}{IndexStore(_cfg(args).index_dir).reindex_hint()}")
            return EXIT_FAIL
        _err(f"Lỗi: {exc} ({type(exc).__name__}). Chạy lại với KEHOACH_DEBUG=1 để xem chi tiết.")
        return EXIT_FAIL


if __name__ == "__main__":
    sys.exit(main())
