"""Rules of the assignment grammar added when `eval/unseen2` moved to development (session 4). Short excerpts
written for these tests (never copied from any evaluation document); each fails without its rule."""
import pytest

from kehoach.corpus.doc_terms import read_terms
from kehoach.corpus.grammar import deadline_phrase, heading_agencies, read_assignment, split_agencies
from kehoach.corpus.parser import parse


def test_a_subnumbered_sentence_that_assigns_is_a_task():
    lines = ["KẾ HOẠCH", "1. Công tác phòng dịch",
             "1.1. Sở Y tế chủ trì, phối hợp với Sở Tài chính mua sắm vật tư phòng dịch trước ngày 30/6/2031.",
             "1.2. Trung tâm Kiểm soát bệnh tật tỉnh giám sát ổ dịch tại các chợ đầu mối.",
             "2. Công tác truyền thông",
             "2.1. Xây dựng tài liệu truyền thông"]
    tasks, _ = parse("kh.txt", lines)
    got = [(t.section, t.raw_lead, t.raw_support, t.due) for t in tasks]
    assert got == [("1.1", "Sở Y tế", "Sở Tài chính", "2031-06-30"),
                   ("1.2", "Trung tâm Kiểm soát bệnh tật tỉnh", None, None)]
