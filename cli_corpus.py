"""The commands that read documents: tasks, agencies, restore, and the follow-up report."""
from __future__ import annotations

from pathlib import Path

from kehoach.cli_common import EXIT_FAIL, EXIT_USAGE, _cfg, _checked_args, _err, _out, _say, _write, corpus_paths

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
    docs, errors = load_corpus(cfg, corpus_paths(args))
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
            print(f"    chủ trì: {'; '.join(t.lead) or '—'}{mark} | phối hợp: {'; '.join(t.support) or '—'}"
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


def cmd_agencies(args) -> int:
    """Agencies named in the plans, grouped by the body or province that issued each plan
    (a Hà Nội plan's "Sở Tài chính" is Hà Nội's), each with today's holder after mergers;
    `--unresolved`: the agency strings nobody could tell, per document."""
    from kehoach.corpus.agencies import Directory
    from kehoach.corpus.pipeline import load_corpus
    directory = Directory.load()
    docs, errors = load_corpus(_cfg(args), corpus_paths(args), restore=False)
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

