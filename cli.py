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

from kehoach import __version__, cli_vi
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
    from kehoach.qa import status as st
    from kehoach.qa.succession import scope
    found = scope(Directory.load(), args.agency, args.as_of) if args.agency else None
    wanted = st.parse_statuses(args.status)

    def role(task):
        """(role, taken_over_from) for the filtered agency; (None, []) without an agency filter."""
        return found.role(task.lead, task.support) if found else (None, [])

    def keep(doc: str, task) -> bool:
        if args.doc and not (doc == args.doc or doc.startswith(args.doc)):
            return False
        if found is not None and role(task) is None:
            return False
        if wanted and st.status_of(task, args.as_of) not in wanted:
            return False
        if args.year is not None:
            return years_overlap(task, args.year, args.year)
        return True
    return keep, found, role


def cmd_tasks(args) -> int:
    from kehoach.corpus.agencies import Directory
    from kehoach.corpus.pipeline import load_corpus
    from kehoach.qa import status as st
    from kehoach.qa.succession import held_by
    cfg = _cfg(args)
    problem = _checked_args(args)
    if problem:
        _err(problem)
        return EXIT_USAGE
    try:
        args.as_of = st.parse_date(args.as_of).isoformat()
        keep, found, role = _task_filter(args)
    except ValueError as exc:
        _err(str(exc))
        return EXIT_USAGE
    if args.agency and not found:
        _err(f"Không nhận ra cơ quan «{args.agency}». Xem danh sách: kehoach agencies")
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
    plans = {d.doc: d.info.title for d in docs}
    tasks = [t for d in docs for t in d.tasks if keep(d.doc, t)]
    if args.status:
        tasks.sort(key=lambda t: st.sort_key(t, args.as_of))
    directory = Directory.load()
    extra = {id(t): {"role": role(t)[0], "taken_over_from": role(t)[1],
                     "held_by": held_by(directory, t.lead, args.as_of), "due": st.due_of(t),
                     "status": st.status_of(t, args.as_of)} for t in tasks}
    fields = ("doc", "lines", "section", "headings", "text", "text_restored", "lead", "support", "deadline",
              "deadline_years", "recurring", "due", "fields")
    if args.json:
        _out({"as_of": args.as_of, "tasks": [{**{f: getattr(t, f) for f in fields}, **extra[id(t)]}
                                             for t in tasks]})
    elif args.csv or args.xlsx:
        from kehoach.ui.export import to_csv, to_xlsx
        from kehoach.ui.columns import TASK_COLUMNS, excel_widths
        from kehoach.ui.render import TASK_HEADERS, task_rows
        # No index is loaded here, so report evidence is left to `kehoach report` (column empty).
        rows = task_rows([{"doc": t.doc, "plan": plans[t.doc], "section": t.section, "lines": t.lines,
                           "text": t.display_text, "lead": t.lead, "support": t.support, "deadline": t.deadline,
                           **extra[id(t)]} for t in tasks], clip=False)
        path = Path(args.csv or args.xlsx)
        if not _write(path, to_csv(TASK_HEADERS, rows) if args.csv
                      else to_xlsx(TASK_HEADERS, rows, "Nhiệm vụ", excel_widths(TASK_COLUMNS))):
            return EXIT_FAIL
        _err(f"Đã ghi {len(rows)} nhiệm vụ vào {path}")
    else:
        for t in tasks:
            x = extra[id(t)]
            mark = _mark(t.lead, x)
            print(f"{t.doc} [{t.lines[0]}-{t.lines[1]}] mục {t.section}: {t.display_text[:110]}")
            print(f"    chủ trì: {', '.join(t.lead) or '—'}{mark} | phối hợp: {', '.join(t.support) or '—'}"
                  f" | thời gian: {t.deadline or '—'} | {st.WORDS[x['status']]}")
        _err(f"{len(tasks)} nhiệm vụ trong {len(docs)} văn bản"
             + (f" ({_counts(tasks, extra)})" if found else "") + ".")
    return EXIT_FAIL if not docs else 0


def _mark(lead: list[str], x: dict) -> str:
    moved = [h for h in x["held_by"] if h not in lead]
    out = f" (nay là {', '.join(moved)})" if moved else ""
    return out + (f" [tiếp nhận từ {', '.join(x['taken_over_from'])}]" if x.get("taken_over_from") else "")


def _counts(tasks, extra) -> str:
    from kehoach.qa.succession import counts_text
    return counts_text([extra[id(t)]["role"] for t in tasks])


def _write(path: Path, data: bytes) -> bool:
    try:
        tmp = path.with_name(f".{path.name}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, path)
        return True
    except OSError as exc:
        _err(f"Không ghi được tệp '{path}': {exc.strerror}.")
        return False


def cmd_agencies(args) -> int:
    """Agencies named in the plans, grouped by the body or province that issued each plan
    (a Hà Nội plan's "Sở Tài chính" is Hà Nội's), each with today's holder after mergers;
    `--unresolved`: the agency strings nobody could tell, per document."""
    from kehoach.corpus.agencies import Directory
    from kehoach.corpus.pipeline import load_corpus
    directory = Directory.load()
    docs, errors = load_corpus(_cfg(args), args.paths or None, restore=False)
    for e in errors:
        _err(e)
    if args.unresolved:
        fields = [(d.doc, raw) for d in docs for t in d.tasks for raw in (t.raw_lead, t.raw_support) if raw]
        rows = directory.unresolved_report(fields, issuers={d.doc: d.info.issuer for d in docs})
        if args.json:
            _out({"unresolved": [{"doc": doc, "text": text, "count": n} for doc, text, n in rows]})
        else:
            for doc, text, n in rows:
                print(f"{doc}\t{n}\t{text}")
            _err(f"{len(rows)} chuỗi cơ quan chưa nhận diện được.")
        return 0
    groups: dict[str, dict] = {}
    for d in docs:
        ctx = directory.context(d.info.issuer, d.lines[:15], f"{d.info.title} {d.info.subject or ''}")
        key = (f"tỉnh/thành phố {ctx.province}" if ctx.province else d.info.issuer if d.info.issuer
               else "Trung ương" if ctx.level == "central" else "Không rõ cơ quan ban hành")
        g = groups.setdefault(key, {"group": key, "province": ctx.province, "docs": [], "agencies": {}})
        g["docs"].append(d.doc)
        roles = [(role, name) for t in d.tasks for role, names in (("lead", t.lead), ("support", t.support))
                 for name in names]
        if not d.tasks and not d.ocr:
            # No task could be read: the agencies its text names still say whose plan it is.
            roles = [("mentioned", m.name) for line in d.lines
                     for m in directory.find_in_text(line, by_head=True, context=ctx) if m.agency.kind != "group"]
        for role, name in roles:
            a = g["agencies"].setdefault(name, {"name": name, "lead": 0, "support": 0, "mentioned": 0,
                                                "known": directory.get(name) is not None})
            a[role] += 1
    out = []
    for g in sorted(groups.values(), key=lambda g: g["group"].casefold()):
        rows = sorted(g["agencies"].values(),
                      key=lambda a: (-(a["lead"] + a["support"]), -a["mentioned"], a["name"].casefold()))
        for a in rows:
            steps = directory.successions(a["name"]) if a["known"] else []
            a["held_by"] = steps[-1].target if steps else None
            a["since"] = steps[-1].date if steps else None
        out.append({**g, "agencies": rows})
    if args.json:
        _out({"groups": out})
        return 0
    for g in out:
        print(f"{g['group']} ({len(g['docs'])} văn bản: {', '.join(g['docs'])})")
        for a in g["agencies"]:
            note = f" → nay là {a['held_by']} (từ {a['since']})" if a["held_by"] else ""
            mark = "" if a["known"] else " [ngoài danh mục]"
            counts = (f"chủ trì {a['lead']}, phối hợp {a['support']}" if a["lead"] + a["support"]
                      else f"nhắc đến {a['mentioned']} lần (chưa đọc được nhiệm vụ)")
            print(f"    {a['name']}{mark}: {counts}{note}")
    if not out:
        for e in directory.entries:
            extra = f" → nay là {e.successor}" if e.successor else ""
            abbr = f" ({', '.join(e.abbreviations)})" if e.abbreviations else ""
            print(f"{e.name}{abbr}{extra}")
    _err(f"{sum(len(g['agencies']) for g in out)} cơ quan trong {len(docs)} văn bản, {len(out)} nhóm theo cơ quan "
         f"ban hành hoặc tỉnh; danh mục có {len(directory.entries)} cơ quan.")
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
    if restored != lines and not args.no_marks:
        from kehoach.corpus.restore_marks import doubtful, mark_cli
        restored = mark_cli(restored, doubtful(Restorer.load(), lines, restored))
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


def cmd_report(args) -> int:
    from kehoach.qa import status as st
    from kehoach.qa.engine import Engine
    from kehoach.ui.columns import TASK_COLUMNS, excel_widths
    from kehoach.ui.render import TASK_HEADERS, task_rows
    from kehoach.ui.report import follow_up, report_lines
    try:
        day = st.parse_date(args.as_of)
        st.parse_statuses(args.status)
    except ValueError as exc:
        _err(str(exc))
        return EXIT_USAGE
    found = follow_up(Engine.load(_cfg(args), say=_say(args.json)), args.target, day.isoformat(), args.status)
    if found is None:
        _err(f"Không nhận ra văn bản hay cơ quan «{args.target}». Xem: kehoach agencies, kehoach tasks")
        return EXIT_USAGE
    name, rows = found
    if args.json:
        _out({"target": name, "as_of": day.isoformat(), "tasks": rows})
        return 0
    if args.xlsx or args.csv:
        from kehoach.ui.export import to_csv, to_xlsx
        table, path = task_rows(rows, clip=False), Path(args.xlsx or args.csv)
        data = (to_xlsx(TASK_HEADERS, table, name, excel_widths(TASK_COLUMNS)) if args.xlsx
                else to_csv(TASK_HEADERS, table))
        if not _write(path, data):
            return EXIT_FAIL
        _err(f"Đã ghi {len(rows)} nhiệm vụ vào {path}")
        return 0
    print("\n".join(report_lines(name, rows, day)))
    return 0


def cmd_eval(args) -> int:
    from kehoach.eval.harness import main as eval_main
    return eval_main(args, _cfg(args))


def cmd_serve(args) -> int:
    from kehoach.ui.server import serve
    return serve(_cfg(args), host=args.host, port=args.port, root_path=args.root_path, auth=args.auth,
                 auth_file=args.auth_file) or 0


# ---- parser -----------------------------------------------------------------------------

HINT = ('Gõ "kehoach LỆNH -h" để xem cách dùng một lệnh. Ví dụ:\n'
        '  kehoach ask "Sở nào chủ trì giáo dục STEM?"')


def _examples(*lines: str) -> str:
    return "ví dụ:\n" + "\n".join(f"  {line}" for line in lines)


def build_parser() -> argparse.ArgumentParser:
    p = cli_vi.VietnameseParser(
        prog="kehoach", description="Tìm kiếm và hỏi đáp trên các kế hoạch, chỉ thị, quyết định của tỉnh.",
        epilog=HINT)
    p.add_argument("--version", action="version", version=f"kehoach {__version__}",
                   help="in số phiên bản rồi thoát")
    # Options every command takes; SUPPRESS keeps a value given before the command.
    common = cli_vi.VietnameseParser(add_help=False)
    common.add_argument("--home", default=argparse.SUPPRESS, metavar="THƯ_MỤC",
                        help="thư mục dữ liệu: mô hình, chỉ mục (mặc định $KEHOACH_HOME hoặc ~/.cache/kehoach)")
    common.add_argument("-v", "--verbose", action="store_true", default=argparse.SUPPRESS,
                        help="hiện cả thông báo của các thư viện (tqdm, sentencepiece, absl)")
    p.add_argument("--home", metavar="THƯ_MỤC", help=common._option_string_actions["--home"].help)
    p.add_argument("-v", "--verbose", action="store_true", help=common._option_string_actions["-v"].help)
    sub = p.add_subparsers(dest="cmd", title="lệnh", metavar="LỆNH", parser_class=cli_vi.VietnameseParser,
                           help="một trong các lệnh dưới đây")

    def command(name: str, help: str, description: str, *examples: str) -> argparse.ArgumentParser:
        return sub.add_parser(name, help=help, description=description, epilog=_examples(*examples),
                              parents=[common])

    def filters(sp):
        sp.add_argument("--doc", metavar="TỆP", help="chỉ trong văn bản này (tên tệp, hoặc phần đầu tên tệp)")
        sp.add_argument("--agency", metavar="CƠ_QUAN",
                        help="chỉ nhiệm vụ cơ quan này chủ trì hoặc phối hợp (tên đầy đủ hoặc viết tắt, "
                             "ví dụ \"Sở TTTT\")")
        sp.add_argument("--year", type=int, metavar="NĂM", help="chỉ nhiệm vụ có thời gian thực hiện gồm năm này")

    def follow(sp):
        sp.add_argument("--status", metavar="TRẠNG_THÁI",
                        help="lọc theo trạng thái thời hạn: overdue (quá hạn), due_this_year (đến hạn trong năm), "
                             "upcoming (còn hạn), recurring (thường xuyên), no_deadline (không nêu hạn); "
                             "nhiều trạng thái cách nhau bởi dấu phẩy")
        sp.add_argument("--as-of", dest="as_of", metavar="NGÀY",
                        help="tính trạng thái đến ngày này (YYYY-MM-DD; mặc định hôm nay)")

    sp = command("tasks", "liệt kê nhiệm vụ trong các văn bản",
                 "Liệt kê các nhiệm vụ (cơ quan chủ trì, phối hợp, thời gian) đọc được từ các văn bản.",
                 "kehoach tasks --agency \"Sở TTTT\"",
                 "kehoach tasks --year 2025 --xlsx nhiem-vu-2025.xlsx",
                 "kehoach tasks ke-hoach-cua-toi.docx --json")
    sp.add_argument("paths", nargs="*", metavar="TỆP",
                    help="văn bản cần đọc (.txt, .docx, .pdf); bỏ trống: các văn bản có sẵn")
    filters(sp)
    follow(sp)
    g = sp.add_mutually_exclusive_group()
    g.add_argument("--json", action="store_true", help="in kết quả dạng JSON")
    g.add_argument("--csv", metavar="TỆP", help="ghi ra tệp CSV (UTF-8, mở được bằng Excel)")
    g.add_argument("--xlsx", metavar="TỆP", help="ghi ra tệp Excel")
    sp.set_defaults(func=cmd_tasks)

    sp = command("agencies", "danh mục cơ quan và tên viết tắt",
                 "In danh mục cơ quan mà chương trình nhận ra (tên viết tắt, cơ quan kế thừa).",
                 "kehoach agencies", "kehoach agencies --unresolved --json")
    sp.add_argument("paths", nargs="*", metavar="TỆP", help="văn bản dùng cho --unresolved (mặc định: có sẵn)")
    sp.add_argument("--unresolved", action="store_true",
                    help="liệt kê các chuỗi cơ quan trong văn bản mà danh mục chưa nhận ra")
    sp.add_argument("--json", action="store_true", help="in kết quả dạng JSON")
    sp.set_defaults(func=cmd_agencies)

    sp = command("restore", "khôi phục dấu tiếng Việt cho văn bản OCR",
                 "Đọc lại văn bản quét (OCR) mất dấu và in bản có dấu ra màn hình.",
                 "kehoach restore van-ban-quet.txt --number", "kehoach restore ban-sach.txt --force")
    sp.add_argument("file", metavar="TỆP", help="văn bản cần khôi phục dấu")
    sp.add_argument("--number", action="store_true", help="in số dòng trước mỗi dòng")
    sp.add_argument("--force", action="store_true", help="khôi phục cả khi văn bản có vẻ không lỗi OCR")
    sp.add_argument("--no-marks", action="store_true",
                    help="không đánh dấu [?] sau các từ khôi phục chưa chắc")
    sp.set_defaults(func=cmd_restore)

    sp = command("model", "thông tin mô hình ngữ nghĩa",
                 "In tên, mã kiểm tra và kích thước của mô hình ngữ nghĩa đang dùng.",
                 "kehoach model", "kehoach model --json")
    sp.add_argument("--json", action="store_true", help="in kết quả dạng JSON")
    sp.set_defaults(func=cmd_model)

    sp = command("index", "xây dựng hoặc cập nhật chỉ mục",
                 "Đọc các văn bản và lập chỉ mục tìm kiếm; văn bản không đổi được dùng lại.",
                 "kehoach index", "kehoach index thu-muc-ke-hoach/ --force", "kehoach index --check")
    sp.add_argument("paths", nargs="*", metavar="TỆP",
                    help="văn bản hoặc thư mục cần lập chỉ mục; bỏ trống: các văn bản có sẵn")
    sp.add_argument("--force", action="store_true", help="lập lại toàn bộ chỉ mục, kể cả khi đã cập nhật")
    sp.add_argument("--check", action="store_true",
                    help="chỉ kiểm tra chỉ mục (tệp, mã kiểm tra, độ mới) và báo cáo, không sửa gì")
    sp.add_argument("-q", "--quiet", action="store_true", help="không in tiến trình")
    sp.set_defaults(func=cmd_index)

    sp = command("search", "tìm đoạn văn bản gần nghĩa nhất",
                 "Tìm các đoạn văn bản gần nghĩa với câu tìm kiếm (không soạn câu trả lời).",
                 "kehoach search \"chuyển đổi số\" -k 5", "kehoach search \"trung tam du lieu\" --mode lexical --json")
    sp.add_argument("query", metavar="CÂU_TÌM", help="nội dung cần tìm, có dấu hoặc không dấu")
    sp.add_argument("-k", type=int, default=10, metavar="SỐ", help="số đoạn trả về (mặc định 10)")
    sp.add_argument("--json", action="store_true", help="in kết quả dạng JSON")
    sp.add_argument("--mode", choices=("hybrid", "dense", "lexical"), default="hybrid",
                    help="cách tìm: hybrid (kết hợp, mặc định), dense (theo nghĩa), lexical (theo từ)")
    filters(sp)
    sp.set_defaults(func=cmd_search)

    sp = command("ask", "hỏi đáp trên các văn bản",
                 "Trả lời một câu hỏi (ai chủ trì, phối hợp, hạn khi nào, làm gì) kèm văn bản và số dòng.",
                 "kehoach ask \"Sở nào chủ trì giáo dục STEM?\"",
                 "kehoach ask \"han chot xay dung trung tam du lieu?\" --json",
                 "kehoach ask --batch cau-hoi.txt --json > tra-loi.jsonl")
    sp.add_argument("question", nargs="?", metavar="CÂU_HỎI", help="câu hỏi tiếng Việt, có dấu hoặc không dấu")
    sp.add_argument("-k", type=int, default=10, metavar="SỐ", help="số kết quả kèm theo câu trả lời (mặc định 10)")
    sp.add_argument("--json", action="store_true", help="in câu trả lời dạng JSON (hợp đồng của API)")
    sp.add_argument("--batch", metavar="TỆP",
                    help="mỗi dòng một câu hỏi (văn bản hoặc JSON có \"question\"); - là đầu vào chuẩn")
    filters(sp)
    sp.set_defaults(func=cmd_ask)

    sp = command("report", "bảng theo dõi thực hiện của một kế hoạch hoặc một cơ quan",
                 "In bảng theo dõi: nhiệm vụ, cơ quan chủ trì, cơ quan đang giữ nhiệm vụ, thời hạn, trạng thái "
                 "và báo cáo đã nêu kết quả.",
                 "kehoach report \"Sở Công Thương\" --as-of 2026-01-01",
                 "kehoach report 214/KH-UBND --status overdue --xlsx theo-doi.xlsx")
    sp.add_argument("target", metavar="KẾ_HOẠCH_HOẶC_CƠ_QUAN",
                    help="tên tệp, số kế hoạch (214/KH-UBND) hoặc tên cơ quan")
    follow(sp)
    g = sp.add_mutually_exclusive_group()
    g.add_argument("--json", action="store_true", help="in kết quả dạng JSON")
    g.add_argument("--csv", metavar="TỆP", help="ghi ra tệp CSV (UTF-8, mở được bằng Excel)")
    g.add_argument("--xlsx", metavar="TỆP", help="ghi ra tệp Excel")
    sp.set_defaults(func=cmd_report)

    sp = command("eval", "đánh giá trên bộ câu hỏi có đáp án",
                 "Chạy bộ câu hỏi có đáp án và ghi báo cáo độ chính xác.",
                 "kehoach eval eval/dev.jsonl", "kehoach eval eval/heldout.jsonl --no-baseline")
    sp.add_argument("gold", nargs="?", metavar="TỆP", help="tệp JSONL câu hỏi và đáp án (mặc định eval/dev.jsonl)")
    sp.add_argument("--out", metavar="THƯ_MỤC", help="thư mục báo cáo (mặc định eval/reports)")
    sp.add_argument("--calibrate", action="store_true", help="học lại ngưỡng/độ tin cậy và ghi qa/calibration.json")
    sp.add_argument("--tune-fusion", action="store_true", help="dò trọng số kết hợp và in bảng kết quả")
    sp.add_argument("--no-baseline", action="store_true", help="bỏ qua pipeline RAG so sánh")
    sp.set_defaults(func=cmd_eval)

    sp = command("serve", "chạy giao diện web và API",
                 "Chạy trang web hỏi đáp và API JSON (POST /api/ask) trên máy này.",
                 "kehoach serve", "kehoach serve --port 8080 --root-path /kehoach",
                 "kehoach serve --host 0.0.0.0 --auth-file tai-khoan.txt")
    sp.add_argument("--host", default="127.0.0.1", metavar="ĐỊA_CHỈ",
                    help="địa chỉ lắng nghe (mặc định 127.0.0.1; 0.0.0.0 để mở cho mạng nội bộ)")
    sp.add_argument("--port", type=int, default=7860, metavar="CỔNG", help="cổng (mặc định 7860)")
    sp.add_argument("--root-path", default="", metavar="ĐƯỜNG_DẪN",
                    help="tiền tố đường dẫn khi chạy sau proxy, ví dụ /kehoach")
    g = sp.add_mutually_exclusive_group()
    g.add_argument("--auth", metavar="TÊN:MẬT_KHẨU", help="bật đăng nhập HTTP Basic với một tài khoản")
    g.add_argument("--auth-file", metavar="TỆP", help="tệp tài khoản, mỗi dòng tên:mật_khẩu")
    sp.set_defaults(func=cmd_serve)
    return p


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if argv is None and not getattr(args, "verbose", False):
        # Only as the command itself: an in-process caller (tests, scripts) keeps its stderr.
        cli_vi.quiet_libraries()
    if args.cmd is None:
        parser.print_usage(sys.stderr)
        _err(f"kehoach: thiếu lệnh.\n{HINT}")
        return EXIT_USAGE
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
