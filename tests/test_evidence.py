"""Linking progress-report passages to plan tasks, on a small made-up plan and report."""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from kehoach.corpus.agencies import Directory
from kehoach.qa.evidence import EvidenceIndex, load_params
from kehoach.records import Chunk, PlanInfo

from conftest import FakeEncoder

KHCN, CT, TTTT = "Sở Khoa học và Công nghệ", "Sở Công Thương", "Sở Thông tin và Truyền thông"
PLAN, REPORT = "plan.txt", "report.txt"

TASKS = [  # (section, text, lead)
    ("1", "Xây dựng kế hoạch hỗ trợ hệ sinh thái khởi nghiệp đổi mới sáng tạo của tỉnh", [KHCN]),
    ("2", "Xây dựng trung tâm dữ liệu tỉnh và nền tảng chính quyền số", [TTTT]),
    ("3", "Tổ chức hội chợ xúc tiến thương mại hàng công nghiệp nông thôn tiêu biểu", [CT]),
]
PASSAGES = [  # (section, headings, text)
    ("I.1", ["Kết quả thực hiện"], "Đã ban hành kế hoạch hỗ trợ hệ sinh thái khởi nghiệp đổi mới sáng tạo, "
                                   "tổ chức cuộc thi khởi nghiệp hằng năm"),
    ("I.2", ["Kết quả thực hiện"], "Đưa vào vận hành trung tâm dữ liệu tỉnh, nền tảng chính quyền số hoạt động "
                                   "ổn định"),
    ("II", ["Tồn tại hạn chế"], "Hệ sinh thái khởi nghiệp đổi mới sáng tạo còn yếu, trung tâm dữ liệu thiếu "
                                "nhân lực"),
]


def _chunks():
    out = []
    for i, (sec, text, lead) in enumerate(TASKS):
        out.append(Chunk(id=i, doc=PLAN, lines=[i * 3 + 1, i * 3 + 2], section=sec, kind="task", text=text,
                         text_restored=None, headings=[], segmented="", lead=lead))
    for j, (sec, heads, text) in enumerate(PASSAGES):
        out.append(Chunk(id=len(TASKS) + j, doc=REPORT, lines=[j * 5 + 1, j * 5 + 4], section=sec,
                         kind="narrative", text=text, text_restored=None, headings=heads, segmented=""))
    return out


def _docs(kind="report"):
    return {PLAN: SimpleNamespace(info=PlanInfo(PLAN, "Kế hoạch phát triển công nghiệp giai đoạn 2021-2025")),
            REPORT: SimpleNamespace(info=PlanInfo(REPORT, "Báo cáo tình hình thực hiện Kế hoạch phát triển công "
                                                          "nghiệp giai đoạn 2021-2025", issuer=KHCN, kind=kind))}


@pytest.fixture(scope="module")
def index():
    chunks = _chunks()
    vectors = FakeEncoder().encode_passages([c.text for c in chunks])
    return EvidenceIndex(chunks, vectors, _docs(), Directory.load(), params=load_params())


def test_each_task_gets_the_passage_that_reports_on_it(index):
    best = {t: index.evidence(t)[0].section for t in (0, 1) if index.evidence(t)}
    assert best == {0: "I.1", 1: "I.2"}
    ev = index.evidence(0)[0]
    assert ev.doc == REPORT and ev.lines == [1, 4] and "khởi nghiệp" in ev.text and ev.score >= 0


def test_a_task_the_report_does_not_cover_has_no_evidence(index):
    assert index.evidence(2) == []


def test_each_passage_lists_the_tasks_it_covers(index):
    assert [c.section for c in index.covered_by(3)] == ["1"]
    assert [c.section for c in index.covered_by(4)] == ["2"]


def test_shortcomings_are_not_evidence_of_work_done(index):
    assert 5 not in index.passages and index.covered_by(5) == []


def test_the_report_issuer_holds_merged_agencies_tasks(index):
    # Task 2 names Sở TTTT, merged into the report's issuer: agency agreement counts it.
    pair = next(p for p in index.pairs if p.task == 1 and p.passage == 4)
    assert pair.features["agency"] == 1.0
    other = next(p for p in index.pairs if p.task == 2 and p.passage == 4)
    assert other.features["agency"] == 0.0


def test_no_report_no_links():
    chunks = _chunks()
    vectors = FakeEncoder().encode_passages([c.text for c in chunks])
    idx = EvidenceIndex(chunks, vectors, _docs(kind="plan"), Directory.load())
    assert not idx.has_reports() and idx.evidence(0) == []


def test_threshold_comes_from_the_data_file():
    params = load_params()
    assert set(params["weights"]) == {"dense", "lexical", "agency", "topic"}
    assert isinstance(params["threshold"], (int, float))


def test_a_passage_links_only_to_its_best_tasks():
    from kehoach.qa.evidence import Pair, select
    # Passage 10 resembles tasks 1 and 2; task 2 is better served by passage 11.
    pairs = [Pair(1, 10, {}, 0.9), Pair(2, 10, {}, 0.8), Pair(2, 11, {}, 0.95), Pair(3, 11, {}, 0.1)]
    params = {"threshold": 0.5, "max_per_task": 1, "max_tasks_per_passage": 1}
    by_task, by_passage = select(pairs, params)
    assert {t: [p.passage for p in v] for t, v in by_task.items()} == {1: [10], 2: [11]}
    assert [p.task for p in by_passage[10]] == [1]
    by_task, _ = select(pairs, {**params, "max_per_task": 2, "max_tasks_per_passage": 2})
    assert [p.passage for p in by_task[2]] == [11, 10]


def test_shipped_parameters_were_measured_on_the_other_split():
    params = load_params()
    assert all(w >= 0 for w in params["weights"].values())
    assert {"a", "b"} <= set(params.get("measured", {}))
