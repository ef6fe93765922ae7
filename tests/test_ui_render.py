"""Escaping, highlighting, confidence words, table rows and exports of the web interface."""
from __future__ import annotations

import html
import io
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from kehoach.config import bundled_corpus_dir
from kehoach.ui.export import slug, to_csv, to_xlsx, write_exports
from kehoach.ui.render import (TASK_HEADERS, answer_html, confidence_words, documents_html, highlight,
                               query_terms, result_rows, source_html, task_rows)

MARK = re.compile(r"</?mark>")


@pytest.mark.parametrize("conf, words", [(1.0, "chắc chắn"), (0.8, "chắc chắn"), (0.79, "khá chắc"),
                                         (0.6, "khá chắc"), (0.59, "cần kiểm tra"), (0.35, "cần kiểm tra"),
                                         (0.34, "không chắc"), (0.0, "không chắc")])
def test_confidence_words(conf, words):
    assert confidence_words(conf) == words


def marked(out: str) -> list[str]:
    return [html.unescape(m) for m in re.findall(r"<mark>(.*?)</mark>", out)]


def test_folded_query_marks_accented_and_ocr_spellings():
    terms = query_terms("giao duc STEM")
    assert marked(highlight("trong chương trình giáo dục phổ thông (STEM)", terms)) == ["giáo", "dục", "STEM"]
    # the bundled OCR plan 000 prints "giáo dục" as "gido duc" and "Sở" as "S&"
    line = (bundled_corpus_dir() / "000_1a3c12a4bbd0c4a1.txt").read_text(encoding="utf-8").splitlines()[486]
    assert "gido duc" in line
    assert marked(highlight(line, terms)) == ["STEM", "gido", "duc"]
    assert marked(highlight("- Co quan chu tri: S& Giao duc", query_terms("Sở giáo dục"))) == ["S&", "Giao", "duc"]


def test_marks_in_the_question_must_agree_with_marks_in_the_text():
    text = "Sở Giáo dục và Đào tạo, số 73/QĐ-TTg; SỞ Y TẾ; So Giao duc"
    assert marked(highlight(text, query_terms("Sở giáo dục"))) == ["Sở", "Giáo", "dục", "SỞ", "So", "Giao",
                                                                  "duc"]
    assert marked(highlight(text, query_terms("so giao duc"))) == ["Sở", "Giáo", "dục", "số", "SỞ", "So",
                                                                  "Giao", "duc"]


def test_wellformed_neighbours_and_question_words_are_not_marked():
    terms = query_terms("Sở nào chủ trì giáo dục?")
    assert "nao" not in terms and "giao" in terms
    assert marked(highlight("thời gian nào", terms)) == []  # "gian" is a word of its own, not OCR "giao"


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200),
       st.text(max_size=40))
def test_highlight_escapes_everything_and_keeps_the_text(text, question):
    out = highlight(text, query_terms(question))
    bare = MARK.sub("", out)
    assert "<" not in bare and ">" not in bare and '"' not in bare
    assert html.unescape(bare) == text


def test_xss_in_answer_and_source_stays_text():
    evil = "<img src=x onerror=alert(1)>"
    out = answer_html({"question": evil, "answer": evil, "found": True, "confidence": 0.9})
    assert "<img" not in out and out.count("&lt;img src=x onerror=alert(1)&gt;") == 2
    assert "chắc chắn" in out
    src = {"doc": "x.txt", "plan": f"Kế hoạch {evil}", "start": 9, "lines": [evil, "giáo dục"], "restored": None}
    out = source_html(src, "giao duc", [10, 10])
    assert "<img" not in out and "&lt;img" in out
    assert '<td class="kh-ln">9</td>' in out and '<td class="kh-ln">10</td>' in out
    assert 'class="kh-in"' in out and "dòng 9–10" in out
    assert "<img" not in documents_html([evil]) and "(1)" in documents_html([evil])


def test_source_shows_the_restored_reading_for_ocr_plans():
    src = {"doc": "a.txt", "plan": "P", "start": 1, "lines": ["S& Gido duc"], "restored": ["Sở Giáo dục"]}
    out = source_html(src, "sở giáo dục", [1, 1])
    assert "Đọc lại có dấu" in out
    assert marked(out) == ["S&", "Gido", "duc", "Sở", "Giáo", "dục"]


def test_rejected_and_unfound_answers():
    out = answer_html({"question": "", "error": "Câu hỏi trống"})
    assert "kh-error" in out and "Câu hỏi trống" in out and "Độ tin cậy" not in out
    out = answer_html({"question": "x", "answer": "Không tìm thấy", "found": False, "confidence": 0.9})
    assert "không tìm thấy" in out and "chắc chắn" not in out


def test_rows_prefer_restored_text_and_join_agencies():
    res = {"doc": "d.txt", "plan": "Kế hoạch 1", "lines": [3, 5], "section": "II.1.a", "text": "gido duc",
           "text_restored": "giáo dục", "lead": ["Sở A", "Sở B"], "support": [], "deadline": None}
    assert result_rows([res]) == [["giáo dục", "Sở A; Sở B", "", "", "Kế hoạch 1", "II.1.a"]]
    row = task_rows([{**res, "role": "chủ trì", "text": "x" * 1000}])[0]
    assert row[0] == "Chủ trì" and len(row[1]) == 400 and row[1].endswith("…") and row[7] == "3–5"
    assert len(task_rows([{**res, "text": "x" * 1000}], clip=False)[0][1]) == 1000


def test_csv_has_bom_and_defuses_formulas():
    rows = [["Chủ trì", "=HYPERLINK(\"http://x\")", "- gạch đầu dòng", "+1", "@a", "Sở Y tế", "1", "2"]]
    data = to_csv(TASK_HEADERS, rows)
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("Vai trò,Nhiệm vụ")
    assert "'=HYPERLINK" in text and "'- gạch" in text and "'+1" in text and "'@a" in text


def test_xlsx_keeps_vietnamese_and_never_stores_formulas():
    rows = [["Chủ trì", "=1+1", "Sở Giáo dục và Đào tạo", "", "năm 2020", "Kế hoạch", "5.5", "3–5"]]
    ws = load_workbook(io.BytesIO(to_xlsx(TASK_HEADERS, rows, "Sở Giáo dục"))).active
    assert ws.title == "so giao duc"
    assert [c.value for c in ws[1]] == TASK_HEADERS
    assert ws["B2"].value == "=1+1" and ws["B2"].data_type == "s"
    assert ws["C2"].value == "Sở Giáo dục và Đào tạo"


def test_write_exports_names_files_after_the_agency(tmp_path):
    csv_path, xlsx_path = write_exports(tmp_path, "Sở Thông tin và Truyền thông", TASK_HEADERS, [])
    assert csv_path.name == "nhiem-vu-so-thong-tin-va-truyen-thong.csv"
    assert xlsx_path.exists() and csv_path.parent.parent == tmp_path
    other, _ = write_exports(tmp_path, "Sở Thông tin và Truyền thông", TASK_HEADERS, [])
    assert other.parent != csv_path.parent  # concurrent users never overwrite each other's file
    assert slug("../../etc/passwd") == "etc-passwd" and slug("???") == "co-quan"
