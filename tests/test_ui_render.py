"""Escaping, highlighting, confidence words, table rows and exports of the web interface."""
from __future__ import annotations

import datetime as dt
import html
import io
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from kehoach.config import bundled_corpus_dir
from kehoach.records import PlanInfo
from kehoach.ui.columns import RESULT_COLUMNS, TASK_COLUMNS, excel_widths, short_names, short_plan_name, widths
from kehoach.ui.export import sheet_title, slug, to_csv, to_xlsx, write_exports
from kehoach.ui.gradio_vi import agency_choices
from kehoach.ui.render import (TASK_HEADERS, answer_html, confidence_words, documents_html, highlight,
                               message_html, query_terms, result_rows, source_html, task_rows)

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
    out = answer_html({"question": "", "error": "Câu hỏi trống (empty question)."})
    assert "kh-error" in out and "Câu hỏi trống." in out and "Độ tin cậy" not in out and "empty" not in out
    assert message_html("Từ năm 2030 lớn hơn đến năm 2020 (year_from > year_to).").endswith("2020.</div>")
    assert "(SYT)" in message_html("Không có nhiệm vụ nào của Sở Y tế (SYT).")
    out = answer_html({"question": "x", "answer": "Không tìm thấy", "found": False, "confidence": 0.9})
    assert "không tìm thấy" in out and "chắc chắn" not in out


def test_rows_prefer_restored_text_and_join_agencies():
    res = {"doc": "d.txt", "plan": "Kế hoạch 1", "lines": [3, 5], "section": "II.1.a", "text": "gido duc",
           "text_restored": "giáo dục", "lead": ["Sở A", "Sở B"], "support": [], "deadline": None}
    assert result_rows([res]) == [["giáo dục", "Sở A; Sở B", "", "", "Kế hoạch 1", "II.1.a"]]
    assert result_rows([res], {"d.txt": "KH 1/KH-UBND"})[0][4] == "KH 1/KH-UBND"
    row = task_rows([{**res, "role": "chủ trì", "text_restored": None, "text": "x" * 1000}])[0]
    assert row[0] == "Chủ trì" and len(row[1]) == 400 and row[1].endswith("…")
    assert row[TASK_HEADERS.index("Mục")] == "II.1.a, dòng 3–5"
    full = task_rows([{**res, "text_restored": None, "text": "x" * 1000, "due": "2025-12-31"}], clip=False)[0]
    assert len(full[1]) == 1000 and full[TASK_HEADERS.index("Hạn")] == dt.date(2025, 12, 31)
    assert task_rows([{**res, "due": "2025-12-31"}])[0][TASK_HEADERS.index("Hạn")] == "31/12/2025"


def test_columns_are_defined_once_and_fill_the_table():
    for columns in (RESULT_COLUMNS, TASK_COLUMNS):
        assert sum(float(w.rstrip("%")) for w in widths(columns)) == 100
        assert len({c.header for c in columns}) == len(columns)
    assert [c.header for c in TASK_COLUMNS] == TASK_HEADERS
    assert excel_widths(TASK_COLUMNS)["Nhiệm vụ"] > excel_widths(TASK_COLUMNS)["Vai trò"]


@pytest.mark.parametrize("info, short", [
    (PlanInfo("a", "Kế hoạch số 66/KH-UBND ngày 18/5/2020 của UBND tỉnh Quảng Ngãi", "66/KH-UBND", "2020-05-18",
              "UBND tỉnh Quảng Ngãi"), "KH 66/KH-UBND (18/5/2020)"),
    (PlanInfo("b", "Chỉ thị số 05/CT-UBND ngày 02/03/2023", "05/CT-UBND", "2023-03-02", doc_type="chỉ thị"),
     "CT 05/CT-UBND (2/3/2023)"),
    (PlanInfo("c", "Kế hoạch ngày 29/7/2021 của Sở Công Thương tỉnh Quảng Ngãi", "/KH-SCT", "2021-07-29",
              "Sở Công Thương tỉnh Quảng Ngãi"), "KH Sở Công Thương (29/7/2021)"),
    (PlanInfo("d", "Báo cáo năm 2025 của Sở Khoa học và Công nghệ tỉnh Quảng Ngãi về tình hình thực hiện",
              kind="report"), "BC năm 2025 của Sở Khoa học và Công nghệ tỉnh Quảng Ngãi về…"),
    (PlanInfo("e", "Quyết định 12/QĐ-BYT", "12/QĐ-BYT", None, doc_type="Quyết định"), "QĐ 12/QĐ-BYT"),
    (PlanInfo("f", "Quyết định ngày 26/11/2003 của UBND", None, "2003-11-26", "UBND"), "QĐ UBND (26/11/2003)"),
    (PlanInfo("g", "Kế hoạch của UBND tỉnh Quảng Ngãi triển khai thực hiện Chương trình hành động số 37-CTr/TU "
                   "ngày 26/3/2019", issuer="UBND tỉnh Quảng Ngãi"),
     "KH triển khai thực hiện Chương trình hành động số 37-CTr/TU…"),
    (PlanInfo("h", "Văn bản " + "x" * 80), "Văn bản " + "x" * 55 + "…"),
])
def test_short_plan_names_come_from_number_date_and_kind(info, short):
    assert short_plan_name(info) == short


def test_plans_sharing_a_short_name_stay_apart():
    a = PlanInfo("a.txt", "Kế hoạch A", "1/KH", "2020-01-01")
    b = PlanInfo("b.txt", "Kế hoạch B", "1/KH", "2020-01-01")
    names = short_names([a, b])
    assert names["a.txt"] != names["b.txt"] and names["a.txt"].startswith("KH 1/KH (1/1/2020)")


def test_answer_emphasises_agency_and_deadline_and_cites_the_short_name():
    res = {"doc": "d.txt", "plan": "Kế hoạch số 66/KH-UBND ngày 18/5/2020 <b>", "lines": [3, 5], "section": "II.1",
           "text": "t", "lead": ["Sở Giáo dục và Đào tạo"], "support": [], "deadline": "năm 2025"}
    out = answer_html({"question": "q", "answer": "Sở Giáo dục và Đào tạo chủ trì, thực hiện năm 2025.",
                       "found": True, "confidence": 0.9, "results": [res]}, {"d.txt": "KH 66/KH-UBND (18/5/2020)"})
    assert "<strong>Sở Giáo dục và Đào tạo</strong> chủ trì" in out and "<strong>năm 2025</strong>" in out
    assert "Nguồn: KH 66/KH-UBND (18/5/2020) · mục II.1 · dòng 3–5" in out
    assert "<details" in out and "18/5/2020 &lt;b&gt;" in out and "<b>" not in out
    # the answer names plans by their short names; their full titles sit behind the citation
    long = {**res, "plan": "Kế hoạch số 66/KH-UBND ngày 18/5/2020 về chuyển đổi số", "deadline": "x" * 80}
    out = answer_html({"question": "q", "answer": f"Sở A chủ trì ({long['plan']}, mục II.1).", "found": True,
                       "confidence": 0.9, "results": [long]}, {"d.txt": "KH 66/KH-UBND (18/5/2020)"})
    text = out.split('class="kh-answer-text">')[1].split("</p>")[0]
    assert text == "Sở A chủ trì (KH 66/KH-UBND (18/5/2020), mục II.1)."
    assert "<strong>KH 66/KH-UBND (18/5/2020)</strong>: Kế hoạch số 66/KH-UBND ngày 18/5/2020 về chuyển đổi số" in out
    foot = documents_html([PlanInfo("d.txt", "Kế hoạch <i>")], {"d.txt": "KH 1"})
    assert "<strong>KH 1</strong> — Kế hoạch &lt;i&gt;" in foot


def test_agency_list_labels_carry_abbreviations_for_the_as_you_type_filter():
    class Entry:
        abbreviations = ("Sở TT&TT", "Sở TTTT", "TTTT", "STTTT")

    class Directory:
        def get(self, name):
            return Entry() if name == "Sở Thông tin và Truyền thông" else None

    got = agency_choices(["Sở Thông tin và Truyền thông", "Sở Y tế"], Directory())
    assert got[0] == ("Sở Thông tin và Truyền thông (Sở TT&TT, Sở TTTT, STTTT)", "Sở Thông tin và Truyền thông")
    assert got[1] == ("Sở Y tế", "Sở Y tế")
    # Gradio's filter: the label contains the typed text, case-insensitively
    assert "sở tttt" in got[0][0].lower()


def test_csv_has_bom_and_defuses_formulas():
    rows = [["Chủ trì", "=HYPERLINK(\"http://x\")", "- gạch đầu dòng", "+1", "@a", "Sở Y tế", "1", "2"]]
    data = to_csv(TASK_HEADERS, rows)
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("Vai trò,Nhiệm vụ")
    assert "'=HYPERLINK" in text and "'- gạch" in text and "'+1" in text and "'@a" in text


def test_xlsx_keeps_vietnamese_and_never_stores_formulas():
    rows = [["Chủ trì", "=1+1", "Sở Giáo dục và Đào tạo", "", "năm 2020", dt.date(2025, 12, 31), "KH 1", "5.5"]]
    data = to_xlsx(TASK_HEADERS, rows, "Sở Giáo dục: [2025]", excel_widths(TASK_COLUMNS))
    ws = load_workbook(io.BytesIO(data)).active
    assert ws.title == "Sở Giáo dục 2025"
    assert [c.value for c in ws[1]] == TASK_HEADERS
    assert ws["B2"].value == "=1+1" and ws["B2"].data_type == "s"
    assert ws["C2"].value == "Sở Giáo dục và Đào tạo"
    due = ws.cell(2, TASK_HEADERS.index("Hạn") + 1)
    assert due.is_date and due.value.date() == dt.date(2025, 12, 31) and due.number_format == "dd/mm/yyyy"


def test_xlsx_widths_follow_the_column_names_not_their_positions():
    headers = ["Văn bản", "Tệp", "Mục", "Dòng", "Nhiệm vụ", "Cơ quan chủ trì"]
    ws = load_workbook(io.BytesIO(to_xlsx(headers, [], "Nhiệm vụ"))).active
    width = {h: ws.column_dimensions[chr(ord("A") + i)].width for i, h in enumerate(headers)}
    assert width["Nhiệm vụ"] == 80 and width["Tệp"] < width["Nhiệm vụ"] and width["Dòng"] <= 12
    assert ws.title == "Nhiệm vụ"
    assert sheet_title("a/b\\c?*:[]" + "x" * 40) == ("a b c " + "x" * 40)[:31] and sheet_title("") == "Nhiệm vụ"


def test_csv_writes_dates_as_iso():
    text = to_csv(["Hạn", "Mục"], [[dt.date(2025, 1, 2), "1"], [None, "2"]]).decode("utf-8-sig")
    assert text.splitlines() == ["Hạn,Mục", "2025-01-02,1", ",2"]


def test_write_exports_names_files_after_the_agency(tmp_path):
    csv_path, xlsx_path = write_exports(tmp_path, "Sở Thông tin và Truyền thông", TASK_HEADERS, [])
    assert csv_path.name == "nhiem-vu-so-thong-tin-va-truyen-thong.csv"
    assert xlsx_path.exists() and csv_path.parent.parent == tmp_path
    other, _ = write_exports(tmp_path, "Sở Thông tin và Truyền thông", TASK_HEADERS, [])
    assert other.parent != csv_path.parent  # concurrent users never overwrite each other's file
    assert slug("../../etc/passwd") == "etc-passwd" and slug("???") == "co-quan"


def test_a_refused_api_question_is_one_log_line_and_no_traceback(caplog):
    import gradio as gr
    from ui_fake_engine import FakeEngine

    from kehoach.ui.app import build_app

    blocks = build_app(FakeEngine())
    ask = next(f.fn for f in blocks.fns.values() if getattr(f.fn, "__name__", "") == "ask")
    with caplog.at_level("WARNING"), pytest.raises(gr.Error) as err:
        ask("   ", 10, None)
    assert err.value.print_exception is False and err.value.title == "Không hợp lệ"
    assert [r.getMessage() for r in caplog.records] == ["câu hỏi bị từ chối: Chưa nhập câu hỏi (empty question)."]
    assert all(r.exc_info is None for r in caplog.records)


def test_head_style_goes_into_html_pages_only():
    from starlette.applications import Starlette
    from starlette.responses import HTMLResponse, JSONResponse
    from starlette.routing import Route
    from starlette.testclient import TestClient

    from kehoach.ui.page_head import HEAD_STYLE, HeadStyle

    page = "<html><head><title>x</title></head><body><p class='loading'>Loading...</p></body></html>"
    app = Starlette(routes=[Route("/", lambda r: HTMLResponse(page)),
                            Route("/j", lambda r: JSONResponse({"html": "</head>"}))])
    client = TestClient(HeadStyle(app))
    r = client.get("/")
    assert r.text == page.replace("</head>", HEAD_STYLE + "</head>")
    assert int(r.headers["content-length"]) == len(r.content)
    assert client.get("/j").json() == {"html": "</head>"}
    assert "Đang tải" in HEAD_STYLE and "font-size:0" in HEAD_STYLE


def test_theme_fonts_have_every_vietnamese_letter():
    """The faces the theme declares must hold "UBND" and Vietnamese in full (Gradio's
    SemiBold file holds 55 glyphs: "UʙND"); weight 600 must not be declared at all."""
    ttlib = pytest.importorskip("fontTools.ttLib")
    from importlib import resources

    from kehoach.ui.app import page_theme

    css = page_theme()._get_theme_css()
    faces = re.findall(r"font-family: 'Source Sans Pro';\s*src: url\('([^']+)'\)[^}]*font-weight: (\d+)", css)
    assert sorted(w for _, w in faces) == ["400", "700"], faces
    letters = set("UBNDĐđƠơƯư" "àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ")
    for url, _ in faces:
        path = resources.files("gradio").joinpath("templates/frontend", url)
        cmap = ttlib.TTFont(str(path)).getBestCmap()
        missing = {ch for ch in letters | {c.upper() for c in letters} if ord(ch) not in cmap}
        assert not missing, (url, sorted(missing))
