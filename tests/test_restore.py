"""Diacritic restoration of OCR-damaged plans: detection, restoration, pass-through of clean text."""
from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kehoach.config import bundled_corpus_dir
from kehoach.corpus.ocr_detect import canonical, document_is_ocr, is_valid_syllable, line_is_damaged
from kehoach.corpus.restore import RESTORER_VERSION, Restorer, restore_line, restore_lines, restore_text
from kehoach.eval.restore_eval import TRUTH, align, words

OCR_DOCS = ("000_1a3c12a4bbd0c4a1.txt", "001_221ff7e4d995610f.txt", "004_09f7ad3c659a1bb1.txt")
CLEAN_DOCS = ("002_35167d8e84df94df.txt", "003_c617c443f43b7eb5.txt")


def doc_lines(name: str) -> list[str]:
    return (bundled_corpus_dir() / name).read_text(encoding="utf-8").splitlines()


@pytest.fixture(scope="module")
def restorer() -> Restorer:
    return Restorer.load()


def test_load_is_cached_and_quick() -> None:
    t0 = time.perf_counter()
    first = Restorer.load()
    assert Restorer.load() is first
    assert time.perf_counter() - t0 < 10  # well under 2 s on an idle machine; CI may be busy
    assert RESTORER_VERSION


@pytest.mark.parametrize("name", OCR_DOCS)
def test_ocr_documents_are_detected(name: str) -> None:
    assert document_is_ocr(doc_lines(name))


@pytest.mark.parametrize("name", CLEAN_DOCS)
def test_clean_documents_pass_through_unchanged(name: str) -> None:
    lines = doc_lines(name)
    assert not document_is_ocr(lines)
    assert restore_lines(lines) == lines
    assert not any(line_is_damaged(line) for line in lines)


def test_clean_paragraph_with_capital_headings_is_unchanged() -> None:
    text = ("I. MỤC ĐÍCH, YÊU CẦU\n"
            "1. Mục đích\n"
            "- Triển khai kịp thời, có hiệu quả các nhiệm vụ của Kế hoạch số 66/KH-UBND ngày 18/5/2020.\n"
            "\n"
            "II. NHIỆM VỤ, GIẢI PHÁP\n"
            "- Cơ quan chủ trì: Sở Kế hoạch và Đầu tư; phối hợp: UBND các huyện, KCN, CCN, VSIP.\n")
    assert restore_text(text) == text
    assert all(restore_line(line) == line for line in text.splitlines())


def test_english_is_not_treated_as_damaged_vietnamese() -> None:
    assert not line_is_damaged("The provincial plan covers industrial development and smart city projects.")


@pytest.mark.parametrize(("damaged", "expected"), [
    ("- Co quan chu tri: S& Ké hoach va Pau tu.", "- Cơ quan chủ trì: Sở Kế hoạch và Đầu tư."),
    ("- Thoti gian thuc hién: nim 2020.", "- Thời gian thực hiện: năm 2020."),
    ("Trién khai thuc hién Chuong trinh gido duc phé thong", "Triển khai thực hiện Chương trình giáo dục phổ thông"),
    ("I. MUC PiCH, YEU CAU", "I. MỤC ĐÍCH, YÊU CẦU"),
])
def test_known_damaged_lines(damaged: str, expected: str) -> None:
    assert line_is_damaged(damaged)
    assert restore_line(damaged) == expected


@pytest.mark.parametrize(("damaged", "expected"), [
    ("S& Ké hoach va Pau tu", "Sở Kế hoạch và Đầu tư"),
    ("Thoti gian thuc hién", "Thời gian thực hiện"),
    ("gido duc", "giáo dục"),
    ("nim 2020", "năm 2020"),
])
def test_known_damaged_phrases(restorer: Restorer, damaged: str, expected: str) -> None:
    # Phrases too short for line detection to judge: decode them directly.
    assert restorer.decode([damaged]).lines == [expected]


@pytest.mark.parametrize(("damaged", "expected"), [
    ("nam 2020", "năm 2020"),
    ("Thuong xuyén", "Thường xuyên"),
    ("- Thoi gian thuc hién: Thuong xuyén hang nim.", "- Thời gian thực hiện: Thường xuyên hàng năm."),
])
def test_short_snippets_are_restored(damaged: str, expected: str) -> None:
    assert restore_text(damaged) == expected


@pytest.mark.parametrize("clean", ["năm 2020", "Thường xuyên", "UBND tỉnh", "KCN VSIP", "2021-2025", ""])
def test_short_clean_snippets_are_unchanged(clean: str) -> None:
    assert restore_text(clean) == clean


def test_codes_numbers_and_abbreviations_are_kept(restorer: Restorer) -> None:
    line = ("Thuc hién Nghi quyét s6 23-NQ/TW ngay 22/3/2018, Quyét dinh 36/2016/QĐ-UBND, "
            "phat trién KCN, CCN, VSIP va mang 5G dat 4.108 triéu KWh")
    out = restorer.decode([line]).lines[0]
    for kept in ("23-NQ/TW", "22/3/2018", "36/2016/QĐ-UBND", "KCN,", "CCN,", "VSIP", "5G", "4.108", "KWh"):
        assert kept in out
    assert out.startswith("Thực hiện Nghị quyết số 23-NQ/TW ngày 22/3/2018")


def test_ocr_split_syllable_is_joined(restorer: Restorer) -> None:
    out = restorer.decode(["Thue hién Nghi quy ét s6 50/NQ-CP ngay 17/4/2020"]).lines[0]
    assert out == "Thực hiện Nghị quyết số 50/NQ-CP ngày 17/4/2020"


def test_line_count_order_and_blank_lines_are_kept() -> None:
    lines = doc_lines(OCR_DOCS[0])[:120]
    out = restore_lines(lines)
    assert len(out) == len(lines)
    assert [bool(x.strip()) for x in out] == [bool(x.strip()) for x in lines]
    assert out != lines
    assert restore_text("\n".join(lines)).split("\n") == out


def test_restored_words_are_vietnamese_syllables() -> None:
    out = restore_lines(doc_lines(OCR_DOCS[2])[:80])
    ws = [w for line in out for w in words(line) if w.isalpha() and not w.isupper() and len(w) > 1]
    valid = sum(is_valid_syllable(w) for w in ws)
    assert valid / len(ws) > 0.97


def test_accuracy_on_truth_lines(restorer: Restorer) -> None:
    """A regression guard on 30 test-split truth lines (the full figure: eval/restore_eval.py)."""
    rows = [json.loads(x) for x in Path(TRUTH).read_text(encoding="utf-8").splitlines() if x.strip()]
    rows = [r for r in rows if r["split"] == "test"][::5][:30]
    total = right = 0
    for r in rows:
        truth = words(r["truth"])
        hyp = align(truth, words(restorer.decode([r["ocr"]]).lines[0]))
        for t, h in zip(truth, hyp):
            if is_valid_syllable(t):
                total += 1
                right += h is not None and canonical(h) == canonical(t)
    assert total > 200
    assert right / total >= 0.9


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from(list("aăâbcdđeêghiklmnoôơpqrstuưvxyáàảãạéệ&¢6 1/-.,:()\t")) ),
                max_size=6))
def test_decode_keeps_line_count_and_never_fails(restorer: Restorer, lines: list[str]) -> None:
    out = restorer.decode(lines).lines
    assert len(out) == len(lines)
    for before, after in zip(lines, out):
        assert before.strip() == "" or after.strip() != ""
        # digits of numbers and codes survive (digits inside words such as "c6" may become letters)
        assert [t for t in before.split() if t.isdigit()] == [t for t in after.split() if t.isdigit()]


def test_bad_input_gets_a_clear_error() -> None:
    with pytest.raises(TypeError, match="expected"):
        restore_text(None)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="expected"):
        restore_lines("một chuỗi, không phải danh sách")  # type: ignore[arg-type]
