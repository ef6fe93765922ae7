"""The issue's own examples on the bundled corpus with the real model (marked `model`)."""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.model

TTTT, KHCN = "Sở Thông tin và Truyền thông", "Sở Khoa học và Công nghệ"


def test_old_agency_is_not_credited_with_its_successors_task(real_engine):
    d = real_engine.ask("Sở Thông tin và Truyền thông phải làm gì về chuyển đổi số?",
                        filters={"as_of": "2026-01-01"}).to_dict()
    assert d["intent"] == "agency_tasks" and d["results"]
    assert all(TTTT in r["lead"] + r["support"] for r in d["results"])
    assert not any(r["section"] == "II.4.đ" and r["doc"].startswith("001") for r in d["results"])
    assert "nay là Sở Khoa học và Công nghệ" in d["answer"]
    assert all(KHCN in r["held_by"] for r in d["results"] if r["lead"] == [TTTT])


def test_successor_lists_what_it_took_over(real_engine):
    d = real_engine.ask("Sở Khoa học và Công nghệ phải làm gì?", k=50).to_dict()
    taken = [r for r in d["results"] if r["taken_over_from"]]
    assert taken and all(r["taken_over_from"] == [TTTT] and TTTT in r["lead"] + r["support"] for r in taken)
    assert "tiếp nhận" in d["answer"] and "Tiếp nhận" in d["answer"]


def test_overdue_answer_says_since_when(real_engine):
    d = real_engine.ask("Cơ quan nào chủ trì lập đề án mô hình thành phố thông minh?",
                        filters={"as_of": "2026-01-01"}).to_dict()
    assert "đã quá hạn từ năm 2020" in d["answer"] and d["results"][0]["status"] == "overdue"
    later = real_engine.ask("Cơ quan nào chủ trì lập đề án mô hình thành phố thông minh?",
                            filters={"as_of": "2020-06-01"}).to_dict()
    assert "quá hạn" not in later["answer"] and later["results"][0]["status"] == "due_this_year"


def test_status_filter_in_the_api(real_engine):
    d = real_engine.ask("chuyển đổi số", k=20, filters={"status": ["overdue"], "as_of": "2026-01-01"}).to_dict()
    assert d["results"] and all(r["status"] == "overdue" for r in d["results"])
