"""Deliverable 5 of issue 9: an answer never says a plan names no lead when the plan prints one."""
import json
import os
from pathlib import Path

import pytest

from kehoach.index.search import Hit
from kehoach.qa.answer import Composer, agency_absent, build_answer, naming_passages
from kehoach.qa.intent import Understanding
from kehoach.records import Chunk

NO_LEAD = "không nêu cơ quan chủ trì"


def _chunk(text, kind="task", lead=(), support=(), headings=(), deadline=None, cid=1):
    return Chunk(id=cid, doc="kh.txt", lines=[3, 3], section="2.a", kind=kind, text=text, text_restored=None,
                 headings=list(headings), segmented="", lead=list(lead), support=list(support), deadline=deadline)


def _composer():
    return Composer(plans={"kh.txt": "Kế hoạch 1"}, successor_of=lambda name: None)


def test_no_lead_only_when_nothing_names_one():
    c = _composer()
    printed = Hit(_chunk("Sở Tư pháp chủ trì, phối hợp với Sở Tài chính xây dựng đề án"), 1.0)
    under_heading = Hit(_chunk("Rà soát văn bản quy phạm pháp luật", headings=["2. Sở Xây dựng:"]), 1.0)
    none = Hit(_chunk("Rà soát văn bản quy phạm pháp luật", headings=["II. NHIỆM VỤ"]), 1.0)
    assert NO_LEAD not in c.task_sentence(printed, "lead") and "nguyên văn" in c.task_sentence(printed, "lead")
    assert NO_LEAD not in c.task_sentence(under_heading, "lead")
    assert NO_LEAD in c.task_sentence(none, "lead").lower()


def test_a_passage_answering_a_field_question_is_quoted_with_the_field_unread():
    h = Hit(_chunk("Sở Y tế chủ trì kiểm tra an toàn thực phẩm dịp Tết", kind="narrative"), 1.0)
    text = _composer().narrative_sentence(h, "lead")
    assert text.startswith("Không đọc được cơ quan chủ trì") and "«Sở Y tế chủ trì" in text


def test_agency_tasks_fall_back_to_passages_naming_the_agency():
    u = Understanding(question="Sở Y tế làm gì?", intent="agency_tasks", agencies=["Sở Y tế"])
    hits = [Hit(_chunk("Sở Y tế tăng cường kiểm tra an toàn thực phẩm", kind="narrative"), 1.0),
            Hit(_chunk("Đẩy mạnh tuyên truyền", kind="narrative", cid=2), 0.5)]
    assert [h.chunk.id for h in naming_passages(u, hits)] == [1]
    assert "Sở Y tế tăng cường" in _composer()._agency_tasks(u, hits)


def test_a_named_agency_without_any_part_is_not_found():
    u = Understanding(question="Sở Y tế chủ trì việc rà soát văn bản nào?", intent="lead", agencies=["Sở Y tế"])
    hits = [Hit(_chunk("Rà soát văn bản", lead=["Sở Tư pháp"], support=["Sở Nội vụ"]), 5.0)]
    assert agency_absent(u, hits)
    cal = {"weights": [0.0] * 9, "bias": 10.0, "threshold": 0.3, "multi_plan_ratio": 0.7}
    answer = build_answer(u.question, u, hits, _composer(), 5, cal)
    assert answer.found is False
    u_ok = Understanding(question="Sở Tư pháp chủ trì việc gì?", intent="lead", agencies=["Sở Tư pháp"])
    assert build_answer(u_ok.question, u_ok, hits, _composer(), 5, cal).found is True


def _labels_and_docs():
    root = Path(__file__).resolve().parent.parent
    labels = Path(os.environ.get("KEHOACH_PLANSDEV_LABELS", root / "eval" / "plansdev" / "tasks.jsonl"))
    from kehoach.eval.plansdev_eval import default_docs
    docs = Path(os.environ.get("KEHOACH_PLANSDEV_DOCS") or default_docs())
    if not labels.is_file() or not docs.is_dir():
        pytest.skip("plans-dev labels or documents not present")
    return labels, docs


def test_labelled_tasks_with_a_printed_lead_are_never_said_to_have_none():
    from kehoach.corpus import loaders
    from kehoach.corpus.pipeline import parse_document
    from kehoach.eval.plansdev_eval import _match
    from kehoach.index.chunks import document_chunks

    labels_path, docs = _labels_and_docs()
    by_doc: dict[str, list[dict]] = {}
    for line in labels_path.read_text("utf-8").splitlines():
        if line.strip():
            lab = json.loads(line)
            if lab["lead"]:
                by_doc.setdefault(lab["doc"], []).append(lab)
    composer = _composer()
    said_none = []
    for doc, labels in by_doc.items():
        path = docs / doc
        document = parse_document(path, loaders.load_lines(path), loaders.sha256_file(path), restore=False)
        chunks = {tuple(c.lines): c for c in document_chunks(document) if c.kind == "task"}
        matched = _match(sorted(labels, key=lambda x: x["lines"][0]), document.tasks, doc.endswith(".docx"))
        for task in matched.values():
            sentence = composer.task_sentence(Hit(chunks[tuple(task.lines)], 1.0), "lead")
            if NO_LEAD in sentence.lower():
                said_none.append((doc, task.lines))
    assert said_none == []


def test_an_agency_the_directory_lacks_is_read_off_the_question():
    hits = [Hit(_chunk("Ban hành văn bản hướng dẫn dạy nghề", lead=["Bộ Lao động - Thương binh và Xã hội"]), 5.0)]
    absent = Understanding(question="Bộ Y tế phải làm gì trong Đề án dạy nghề?", intent="lookup")
    present = Understanding(question="Bộ Lao động - Thương binh và Xã hội làm gì trong Đề án?", intent="lookup")
    vague = Understanding(question="Cơ quan nào ban hành văn bản hướng dẫn dạy nghề?", intent="lead")
    assert agency_absent(absent, hits)
    assert not agency_absent(present, hits) and not agency_absent(vague, hits)


def test_an_abbreviated_agency_meets_its_full_name():
    hits = [Hit(_chunk("Lập quy hoạch", lead=["Sở Kế hoạch và Đầu tư"]), 5.0)]
    u = Understanding(question="Ai phối hợp với Sở KH&ĐT lập quy hoạch?", intent="support")
    assert not agency_absent(u, hits)
