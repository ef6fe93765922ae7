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
    from kehoach.qa.evidence import FEATURES
    assert set(params["weights"]) <= set(FEATURES)
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


# ---- through the engine: a user's report next to a bundled plan, real lexical index ----------

REPORT_TEXT = """SỞ KHOA HỌC VÀ CÔNG NGHỆ
BÁO CÁO
Tình hình thực hiện Kế hoạch phát triển công nghiệp giai đoạn 2021-2025

I. Kết quả thực hiện các nhiệm vụ

1. Quản lý công nghệ
- Thẩm định công nghệ các dự án đầu tư trên địa bàn tỉnh, nhất là các dự án trong khu, cụm công nghiệp: \
đã thẩm định 120 dự án, bảo đảm công nghệ, thiết bị tiên tiến, không gây ô nhiễm môi trường.

2. Tuyên truyền
- Tổ chức 12 hội nghị phổ biến kiến thức về sở hữu trí tuệ cho doanh nghiệp nông thôn miền núi.

II. Tồn tại, hạn chế
- Công tác thẩm định công nghệ các dự án đầu tư còn chậm, thiếu chuyên gia.
"""


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    import shutil

    from conftest import bundled
    from kehoach.config import Config
    from kehoach.index.build import build_index
    from kehoach.qa.engine import Engine
    plans = tmp_path_factory.mktemp("plans")
    shutil.copy(bundled("002"), plans)
    (plans / "bao-cao-khcn.txt").write_text(REPORT_TEXT, encoding="utf-8")
    cfg = Config(home=tmp_path_factory.mktemp("home"), corpus=(str(plans),))
    enc = FakeEncoder()
    build_index(cfg, encoder=enc, say=lambda m: None, progress=False)
    return Engine.load(cfg, encoder=enc)


def test_engine_links_a_users_report_to_the_task_it_reports_on(engine):
    assert engine.searcher.docs["bao-cao-khcn.txt"].info.kind == "report"
    task = next(c for c in engine.searcher.chunks if c.doc.startswith("002") and c.section == "II.4.a")
    ev = engine.evidence_for(task)
    assert ev and ev[0].doc == "bao-cao-khcn.txt" and "120 dự án" in ev[0].text
    # The shortcomings section is never cited as work done.
    assert all("Tồn tại" not in e.text and "chậm" not in e.text for c in engine.searcher.chunks
               for e in engine.evidence_for(c) if c.kind == "task")
    rows = engine.tasks_for_agency("Sở Công Thương", as_of="2026-01-01")
    row = next(r for r in rows if r["section"] == "II.4.a" and r["doc"] == task.doc)
    assert row["evidence"][0]["lines"] == ev[0].lines
