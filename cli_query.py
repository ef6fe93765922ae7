"""The commands that use the index: model, index, search, ask (and batches), eval, serve."""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from kehoach.cli_common import EXIT_FAIL, EXIT_USAGE, _cfg, _checked_args, _err, _out, _say

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
                print(f"   chủ trì: {'; '.join(r['lead']) or '—'} | thời gian: {r['deadline'] or '—'}")
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
        from kehoach.qa.remote import ask_remote   # a warm `kehoach serve`, if KEHOACH_SERVER names one
        ans = ask_remote(args.question, args.k, _filters(args))
        if ans is not None:
            _out(ans) if args.json else _print_answer(ans)
            return 0
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

