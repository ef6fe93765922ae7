"""The QA layer end to end on the bundled corpus with the real model: contract, answers, bad input, CLI."""
from __future__ import annotations

import json

import pytest

from kehoach.cli import main
from kehoach.corpus.agencies import Directory

pytestmark = pytest.mark.model

CONTRACT = {"question", "intent", "found", "confidence", "answer", "results"}
RESULT = {"doc", "plan", "lines", "section", "text", "lead", "support", "deadline", "score"}


def test_contract_and_spans(real_engine):
    d = real_engine.ask("Sở nào chủ trì giáo dục STEM?", k=5).to_dict()
    assert set(d) >= CONTRACT and d["intent"] == "lead" and d["found"] is True
    assert 0.0 <= d["confidence"] <= 1.0
    assert 1 <= len(d["results"]) <= 5
    names = {e.name for e in Directory.load().entries}
    lengths = {doc: len(sd.lines) for doc, sd in real_engine.searcher.docs.items()}
    for r in d["results"]:
        assert set(r) >= RESULT
        a, b = r["lines"]
        assert 1 <= a <= b <= lengths[r["doc"]]
        assert r["plan"] and not r["plan"].endswith(".txt")
        assert set(r["lead"]) <= names and set(r["support"]) <= names
    assert all(x["score"] >= y["score"] for x, y in zip(d["results"], d["results"][1:]))
    json.dumps(d, ensure_ascii=False)


def test_stem_answer_names_the_lead_and_several_plans(real_engine):
    d = real_engine.ask("Sở nào chủ trì giáo dục STEM?").to_dict()
    assert "Sở Giáo dục và Đào tạo" in d["answer"]
    docs = {r["doc"][:3] for r in d["results"][:5]}
    assert {"000", "001", "003"} <= docs      # STEM sits in three plans
    assert "Nội dung này có trong 3 văn bản" in d["answer"]


def test_a_plan_cited_by_number_restricts_the_search(real_engine):
    d = real_engine.ask("Sở Nội vụ giờ phải lo những việc gì trong kế hoạch 66?").to_dict()
    assert d["results"] and {r["doc"][:3] for r in d["results"]} == {"001"}
    assert all("Sở Lao động - Thương binh và Xã hội" in r["lead"] + r["support"] or "Sở Nội vụ" in r["lead"]
               for r in d["results"])


def test_without_diacritics_gives_the_same_top_answer(real_engine):
    a = real_engine.ask("Sở nào chủ trì giáo dục STEM?").results[0]
    b = real_engine.ask("so nao chu tri giao duc stem").results[0]
    assert (a.doc, a.lines) == (b.doc, b.lines)


def test_merged_lead_names_todays_agency(real_engine):
    d = real_engine.ask("Ai chủ trì xây dựng đề án thành lập Quỹ tín dụng doanh nghiệp nhỏ và vừa?").to_dict()
    top = d["results"][0]
    assert top["lead"] == ["Sở Tài chính"]
    d = real_engine.ask("Cơ quan nào chủ trì lập đề án mô hình thành phố thông minh?").to_dict()
    assert "Sở Thông tin và Truyền thông" in d["answer"] and "nay là Sở Khoa học và Công nghệ" in d["answer"]


def test_agency_tasks_are_filtered_by_the_agency(real_engine):
    d = real_engine.ask("Sở TTTT phải làm gì về chuyển đổi số?").to_dict()
    assert d["intent"] == "agency_tasks" and d["results"]
    scope = Directory.load().expand_filter("Sở Thông tin và Truyền thông")
    assert all(scope.intersection(r["lead"] + r["support"]) for r in d["results"])


def test_missing_fields_are_stated_not_invented(real_engine):
    # 002 II.2.a names a lead and coordinators but no deadline.
    d = real_engine.ask("Phòng nào chủ trì việc phối hợp lập Quy hoạch tỉnh Quảng Ngãi thời kỳ 2021 - 2030?").to_dict()
    top = d["results"][0]
    assert top["doc"].startswith("002") and top["deadline"] is None
    assert "không nêu thời gian thực hiện" in d["answer"]
    assert "Phòng KHTCTH (Sở Công Thương)" in d["answer"]


@pytest.mark.parametrize("q, word", [("", "trống"), ("giáo dục " * 1200, "quá dài"),
                                     ("What is the deadline for the data centre?", "tiếng Việt")])
def test_bad_questions_get_a_message(real_engine, q, word):
    d = real_engine.ask(q).to_dict()
    assert d["found"] is False and word in d["answer"] and d["results"] == []


def test_cli_ask_json_and_batch(real_engine, tmp_path, capsys):
    home = str(real_engine.cfg.home)
    assert main(["--home", home, "ask", "han chot xay dung trung tam du lieu?", "--json", "-k", "3"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert set(d) >= CONTRACT and len(d["results"]) == 3
    batch = tmp_path / "q.txt"
    batch.write_text('Sở nào chủ trì giáo dục STEM?\n{"question": "ai phoi hop lap quy hoach tinh", "id": 7}\n'
                     '{"question": 12\n\n{"id": 3}\n', encoding="utf-8")
    assert main(["--home", home, "ask", "--batch", str(batch), "--json"]) == 0
    out = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(out) == 4
    assert out[1]["id"] == 7 and out[1]["results"]
    assert "error" in out[2] and "error" in out[3] and out[2]["line"] == 3


def test_cli_rejects_bad_question_without_traceback(real_engine, capsys):
    home = str(real_engine.cfg.home)
    assert main(["--home", home, "ask", "", "--json"]) == 2
    d = json.loads(capsys.readouterr().out)
    assert d["found"] is False and "trống" in d["error"]
    assert main(["--home", home, "ask", "x" * 10000]) == 2
    assert "quá dài" in capsys.readouterr().err
