"""One-way succession (who holds a task today, what an agency took over) and deadline status."""
from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest

from kehoach.corpus.agencies import Directory
from kehoach.qa import status as st
from kehoach.qa import succession as sc

# A small directory of its own: A became B, B and D became C (two steps for A); E never changed;
# Phòng P belongs to C.
DATA = {"agencies": [
    {"name": "Sở An", "kind": "so", "abbreviations": ["SA"], "successor": "Sở Bình", "successor_date": "2024-01-01"},
    {"name": "Sở Bình", "kind": "so", "abbreviations": ["SB"], "successor": "Sở Cường",
     "successor_date": "2025-03-01"},
    {"name": "Sở Dũng", "kind": "so", "abbreviations": ["SD"], "successor": "Sở Cường",
     "successor_date": "2025-03-01"},
    {"name": "Sở Cường", "kind": "so", "abbreviations": ["SC"]},
    {"name": "Sở Em", "kind": "so", "abbreviations": ["SE"]},
    {"name": "Phòng Phúc", "kind": "department", "parent": "Sở Cường"},
]}


@pytest.fixture(scope="module")
def directory():
    return Directory.from_data(DATA)


def task(lead=(), support=(), **kw):
    return SimpleNamespace(lead=list(lead), support=list(support), **kw)


# ---- succession ---------------------------------------------------------------------

def test_old_agency_keeps_only_its_own_tasks_and_says_who_holds_them(directory):
    a = sc.scope(directory, "Sở An")
    assert a.name == "Sở An" and a.taken == []
    assert a.role(["Sở An"], []) == (sc.LEAD, [])
    assert a.role([], ["Sở An"]) == (sc.SUPPORT, [])
    # Its successors' own tasks are not its tasks (the issue's Sở TTTT / Sở KH&CN case).
    assert a.role(["Sở Bình"], []) is None and a.role(["Sở Cường"], ["Sở Bình"]) is None
    assert sc.held_by(directory, ["Sở An"]) == ["Sở Cường"]          # two steps
    assert sc.held_by(directory, ["Sở Em"]) == ["Sở Em"]             # unchanged holds itself


def test_successor_gets_own_plus_taken_over_marked_with_origin(directory):
    c = sc.scope(directory, "Sở Cường")
    assert set(c.taken) == {"Sở Bình", "Sở An", "Sở Dũng"}           # multi-step and several sources
    assert c.role(["Sở Cường"], []) == (sc.LEAD, [])
    assert c.role(["Sở An"], []) == (sc.TAKEN, ["Sở An"])
    assert c.role([], ["Sở Dũng"]) == (sc.TAKEN, ["Sở Dũng"])
    assert c.role(["Phòng Phúc"], []) == (sc.LEAD, [])               # its own department
    assert c.role(["Sở Em"], []) is None


def test_middle_of_a_chain_goes_one_way(directory):
    b = sc.scope(directory, "Sở Bình")
    assert b.taken == ["Sở An"]
    assert b.role(["Sở Cường"], []) is None                          # never its successor's
    assert b.role(["Sở An"], []) == (sc.TAKEN, ["Sở An"])


def test_one_role_per_task_no_double_counting(directory):
    c = sc.scope(directory, "Sở Cường")
    # Named itself and through a predecessor: counted once, as its own.
    assert c.role(["Sở Cường", "Sở Bình"], ["Sở An"]) == (sc.LEAD, [])
    # Supports it itself but took over the lead: it leads it now.
    assert c.role(["Sở Bình"], ["Sở Cường"]) == (sc.TAKEN, ["Sở Bình"])
    roles = [r for t in ([["Sở Cường"], []], [["Sở An"], ["Sở Cường"]], [[], ["Sở Cường"]], [["Sở Em"], []])
             if (r := c.role(*t))]
    assert sc.counts([r for r, _ in roles]) == {sc.LEAD: 1, sc.SUPPORT: 1, sc.TAKEN: 1}
    assert sc.counts_text([r for r, _ in roles]) == "1 chủ trì, 1 phối hợp, 1 tiếp nhận"


def test_unknown_agency_has_no_scope(directory):
    assert sc.scope(directory, "Bộ Không Có") is None and sc.scope(directory, "") is None


def test_dated_holders_when_the_directory_knows_dates():
    class Dated:
        def holders(self, name, as_of):
            return ["Sở Mới"] if as_of and as_of >= "2025-07-01" else [name]
    assert sc.holders(Dated(), "Sở Cũ", "2025-01-01") == ["Sở Cũ"]
    assert sc.holders(Dated(), "Sở Cũ", date(2026, 1, 1)) == ["Sở Mới"]


# ---- deadline status ----------------------------------------------------------------

AS_OF = "2026-01-01"


@pytest.mark.parametrize("fields, expected", [
    ({"deadline_years": [2020, 2020]}, st.OVERDUE),
    ({"deadline_years": [2021, 2025]}, st.OVERDUE),
    ({"deadline_years": [2026, 2026]}, st.DUE_THIS_YEAR),
    ({"deadline_years": [None, 2030]}, st.UPCOMING),
    ({"recurring": True}, st.RECURRING),
    ({"deadline_years": [2020, None]}, st.RECURRING),          # "năm 2020 và những năm tiếp theo"
    ({"recurring": True, "deadline_years": [2021, 2030]}, st.RECURRING),
    ({}, st.NO_DEADLINE),
    ({"due": "2026-06-30", "deadline_years": [2020, 2020]}, st.DUE_THIS_YEAR),   # the parser's due wins
])
def test_each_status(fields, expected):
    item = SimpleNamespace(**{"due": None, "deadline_years": None, "recurring": False, **fields})
    assert st.status_of(item, AS_OF) == expected


def test_status_moves_with_the_date():
    item = SimpleNamespace(due=None, deadline_years=[2025, 2025], recurring=False)
    assert st.status_of(item, "2024-05-01") == st.UPCOMING
    assert st.status_of(item, "2025-12-31") == st.DUE_THIS_YEAR
    assert st.status_of(item, "2026-01-01") == st.OVERDUE and st.overdue_since(item, "2026-01-01") == 2025


def test_due_fallback_is_the_end_of_the_last_year():
    assert st.due_of(SimpleNamespace(due=None, deadline_years=[2021, 2025])) == "2025-12-31"
    assert st.due_of(SimpleNamespace(due=None, deadline_years=None)) is None


def test_status_words_and_dates_parse():
    assert st.parse_statuses("overdue, quá hạn,due_this_year") == {st.OVERDUE, st.DUE_THIS_YEAR}
    assert st.parse_statuses("qua han") == {st.OVERDUE}
    assert st.parse_statuses(None) is None
    with pytest.raises(ValueError, match="Trạng thái không hợp lệ"):
        st.parse_statuses("late")
    assert st.parse_date("2026") == date(2026, 12, 31)
    with pytest.raises(ValueError, match="Ngày không hợp lệ"):
        st.parse_date("01/01/2026")


def test_sort_puts_overdue_first_then_earliest():
    items = [SimpleNamespace(due=None, deadline_years=y, recurring=False)
             for y in ([2030, 2030], None, [2019, 2019], [2022, 2022])]
    order = sorted(items, key=lambda i: st.sort_key(i, AS_OF))
    assert [i.deadline_years for i in order] == [[2019, 2019], [2022, 2022], [2030, 2030], None]


# ---- kehoach tasks --status / --as-of ------------------------------------------------------

def test_cli_tasks_filters_and_sorts_by_status(capsys, tmp_path, monkeypatch):
    import json

    from kehoach.cli import main
    monkeypatch.setenv("KEHOACH_HOME", str(tmp_path))
    assert main(["tasks", "--agency", "Sở KH&CN", "--status", "overdue,due_this_year", "--as-of", "2026-01-01",
                 "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    rows = out["tasks"]
    assert rows and out["as_of"] == "2026-01-01"
    assert {r["status"] for r in rows} <= {"overdue", "due_this_year"}
    assert [r["due"] for r in rows] == sorted(r["due"] for r in rows)          # most urgent first
    for r in rows:
        if r["role"] == sc.TAKEN:
            assert r["taken_over_from"] and set(r["taken_over_from"]) & set(r["lead"] + r["support"])
        else:
            assert "Sở Khoa học và Công nghệ" in r["lead"] + r["support"] and not r["taken_over_from"]
    assert main(["tasks", "--status", "late"]) == 2
    assert "Trạng thái không hợp lệ" in capsys.readouterr().err


def test_report_lines_show_holder_status_and_evidence():
    from datetime import date as d

    from kehoach.ui.report import report_lines
    rows = [{"doc": "a.txt", "plan": "KH A", "section": "II.1", "lines": [3, 5], "text": "Lập đề án",
             "lead": ["Sở Thông tin và Truyền thông"], "support": [], "deadline": "năm 2020", "role": "tiếp nhận",
             "taken_over_from": ["Sở Thông tin và Truyền thông"], "held_by": ["Sở Khoa học và Công nghệ"],
             "due": "2020-12-31", "status": "overdue",
             "evidence": [{"doc": "bc.txt", "lines": [9, 12], "section": "I.2", "text": "Đã lập đề án", "score": 1}]},
            {"doc": "a.txt", "plan": "KH A", "section": "II.2", "lines": [6, 7], "text": "Tuyên truyền",
             "lead": ["Sở Khoa học và Công nghệ"], "support": [], "deadline": None, "role": "chủ trì",
             "taken_over_from": [], "held_by": ["Sở Khoa học và Công nghệ"], "due": None,
             "status": "no_deadline", "evidence": []}]
    text = "\n".join(report_lines("Sở Khoa học và Công nghệ", rows, d(2026, 1, 1)))
    assert "2 nhiệm vụ (1 chủ trì, 1 tiếp nhận)" in text and "1 quá hạn, 1 không nêu hạn; 1 đã có báo cáo" in text
    assert "[Quá hạn] Lập đề án" in text and "nay là Sở Khoa học và Công nghệ" in text
    assert "Tiếp nhận từ Sở Thông tin và Truyền thông" in text
    assert "Đã có báo cáo — mục I.2, dòng 9–12" in text and "Chưa thấy báo cáo" in text
