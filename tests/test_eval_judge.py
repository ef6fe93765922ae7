"""The question harness judges an answer's lead, support and deadline as the task eval judges the same field,
so that a task the parser got right is not counted wrong when a question asks about it."""
from __future__ import annotations

from kehoach.eval.gold import same_deadline, task_agencies_ok
from kehoach.eval.harness import _agencies_ok


class _NoDirectory:
    def names(self, names, doc):
        return {n.lower() for n in names}


def test_deadline_missing_its_opening_words_is_right():
    # the task eval counts a deadline right when one ends with the other
    assert same_deadline("trong tháng 6 năm 2027", {"deadline": "chậm nhất trong tháng 6 năm 2027"})
    assert same_deadline("hằng tuần", {"deadline": "vào thứ Năm hằng tuần"})


def test_deadline_of_another_date_is_still_wrong():
    assert not same_deadline("trong tháng 5 năm 2027", {"deadline": "chậm nhất trong tháng 6 năm 2027"})
    assert not same_deadline(None, {"deadline": "năm 2026"})
    assert not same_deadline("năm 2026", {"deadline": None})


def test_agencies_kept_as_one_unresolved_name_are_split_as_the_task_eval_does():
    got = ["Tập đoàn Điện lực Việt Nam, Tập đoàn Xăng dầu Việt Nam và Tổng công ty Dầu Việt Nam"]
    gold = [{"doc": "x", "lead": ["Tập đoàn Điện lực Việt Nam", "Tập đoàn Xăng dầu Việt Nam",
                                  "Tổng công ty Dầu Việt Nam"]}]
    assert task_agencies_ok(got, gold[0]["lead"])
    assert _agencies_ok(got, "lead", gold, _NoDirectory())


def test_unit_named_short_in_its_own_body_is_that_body_unit():
    assert task_agencies_ok(["Thanh tra Bộ"], ["Thanh tra Bộ Nội vụ"])


def test_other_or_missing_agencies_are_still_wrong():
    gold = [{"doc": "x", "lead": ["Sở Tài chính", "Sở Nội vụ"]}]
    assert not _agencies_ok(["Sở Tài chính"], "lead", gold, _NoDirectory())
    assert not _agencies_ok(["Sở Tài chính, Sở Y tế"], "lead", gold, _NoDirectory())
    assert not task_agencies_ok(["Thanh tra tỉnh"], ["Thanh tra Bộ Nội vụ"])
