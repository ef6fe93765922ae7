"""The follow-up table of `kehoach report`: a plan's or an agency's tasks, who holds them
today, their deadline status and what the progress reports say."""
from __future__ import annotations

from kehoach.ui.render import TASK_HEADERS, followup_summary, task_rows


def follow_up(engine, target: str, as_of: str, status=None) -> tuple[str, list[dict]] | None:
    """(title, rows) for a plan (file name, its start, or number) or an agency; None when neither."""
    doc = engine.find_plan(target)
    if doc:
        return engine.plans[doc], engine.tasks_of_plan(doc, as_of=as_of, status=status)
    if engine.directory.lookup(target) is None:
        return None
    return target, engine.tasks_for_agency(target, as_of=as_of, status=status)


def report_lines(name: str, rows: list[dict], day) -> list[str]:
    """A summary line, then three lines a task: status and text; where, lead, holder, role, deadline; evidence."""
    out = [followup_summary(name, rows, day)]
    for i, (r, row) in enumerate(zip(rows, task_rows(rows, clip=False)), 1):
        cell = dict(zip(TASK_HEADERS, row))     # by column name: the column list may grow
        role, now, deadline = cell["Vai trò"], cell["Nay do"], cell["Thời gian"]
        out.append(f"{i:3d}. [{cell['Trạng thái']}] {cell['Nhiệm vụ'][:120]}")
        out.append(f"     {r['doc']} mục {r.get('section') or '—'} dòng {r['lines'][0]}–{r['lines'][-1]}"
                   f" | chủ trì: {cell['Cơ quan chủ trì'] or '—'}"
                   f"{f' ({now})' if now else ''}{f' | vai trò: {role}' if role else ''}"
                   f" | thời hạn: {deadline or '—'}")
        out.append(f"     {cell['Báo cáo'][:160]}")
    return out
