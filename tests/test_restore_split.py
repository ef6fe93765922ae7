"""Two words the OCR ran together ("Tirnam" = "Từ năm") are read as two (issue 11, item 2).
Invented sentences; the print and its reading are not in the bundled plans."""
from __future__ import annotations

import dataclasses

import pytest

from kehoach.corpus.restore import Restorer
from kehoach.corpus.restore_marks import mark_cli, word_margins


@pytest.fixture(scope="module")
def restorer() -> Restorer:
    return Restorer.load()


@pytest.mark.parametrize("printed, expected", [
    ("Cac so, nganh phoihop voi UBND cac xa trien khai.", "phối hợp với"),
    ("Dinh ky 6 thang baocao ket qua ve So Tai chinh.", "tháng báo cáo kết quả"),
    ("Cac don vi thuc hien nhiemvu duoc giao.", "thực hiện nhiệm vụ được giao"),
])
def test_a_joined_print_reads_as_two_words(restorer: Restorer, printed: str, expected: str) -> None:
    assert expected in restorer.decode([printed]).lines[0]


def test_foreign_words_printed_whole_stay_whole(restorer: Restorer) -> None:
    line = "Tang cuong ung dung robot, camera, drone, website va logistics trong san xuat."
    out = restorer.decode([line]).lines[0]
    for word in ("robot,", "camera,", "drone,", "website", "logistics"):
        assert f" {word} " in out


def test_case_follows_each_part_of_the_print(restorer: Restorer) -> None:
    assert restorer.decode(["Thoi gian: Tirnam 2026 den nam 2030."]).lines[0].startswith("Thời gian: Từ năm 2026")


def test_splitting_can_be_turned_off(restorer: Restorer) -> None:
    saved = restorer.params
    try:
        restorer.params = dataclasses.replace(saved, split_min=99)
        restorer.cands.params = restorer.params
        assert "nhiemvu" in restorer.decode(["Cac don vi thuc hien nhiemvu duoc giao."]).lines[0]
    finally:
        restorer.params = saved
        restorer.cands.params = saved


def test_both_words_are_doubtful_and_the_line_stays_aligned(restorer: Restorer) -> None:
    printed = ["Cac don vi thuc hien nhiemvu duoc giao va bao cao."]
    restored = restorer.decode(printed).lines
    marks = {(m.printed, m.restored): m.margin for m in word_margins(restorer, printed, restored)}
    assert marks[("nhiemvu", "nhiệm")] == 0.0 and marks[("nhiemvu", "vụ")] == 0.0
    # The words after the split keep their own prints.
    assert ("duoc", "được") in marks and ("va", "và") in marks and ("cao", "cáo") in marks
    shown = mark_cli(restored, [m for m in word_margins(restorer, printed, restored) if m.margin < 1.5])[0]
    assert "nhiệm[?] vụ[?]" in shown


@pytest.mark.parametrize("printed, expected", [
    ("Thoi gian thuc hien:nam 2026.", "hiện:năm 2026"),
    ("Cac so trien khai ngay,khong de cham tre.", "ngay,không"),
    ("San luong dat 2 trieu tAn/nam.", "tấn/năm"),
    ("Phoi hop voi cac so,nganh,dia phuong lien quan trien khai.", "sở,ngành,địa phương"),
])
def test_words_joined_by_a_mark_without_a_space_are_read_as_two(restorer: Restorer, printed: str,
                                                                expected: str) -> None:
    assert expected in restorer.decode([printed]).lines[0]


@pytest.mark.parametrize("chunk", ["dl:qu", "8:30", "email:vp@so.gov.vn", "CTr/TU", "KH/UBND", "a:b", "1,5"])
def test_damaged_words_codes_and_numbers_with_an_inner_mark_stay_whole(chunk: str) -> None:
    from kehoach.corpus.restore_tokens import pieces
    assert len(pieces(chunk)) == 1


def test_a_join_keeps_both_fragments() -> None:
    from kehoach.corpus.restore_decode import joins
    cands = [(0, -1.0, "tiền"), (1, -2.0, "uyên"), (2, -3.0, "quyết")]
    assert [c[2] for c in joins("Utién", cands)] == ["uyên"]
    assert [c[2] for c in joins("quyét", cands)] == ["quyết"]


def test_no_printed_word_is_dropped_by_a_join(restorer: Restorer) -> None:
    # "U tiên" lost its first word when the pair was read as one syllable that drops the "U".
    line = "- U tién phat trién nguén nhan luc."
    assert len(restorer.decode([line]).lines[0].split()) == len(line.split())


def test_a_list_of_words_joined_by_slashes_is_read_word_by_word(restorer: Restorer) -> None:
    out = restorer.decode(["Uy ban nhan dan xa/phuong/thi tran to chuc thuc hien."]).lines[0]
    assert "xã/phường/thị trấn" in out


def test_a_huge_printed_word_is_kept_as_printed(restorer: Restorer) -> None:
    # No syllable is near a word of a thousand letters; the candidate search must not grow with it.
    word = "kehoach" * 180
    out = restorer.decode([f"Trien khai {word} nam 2026"]).lines[0]
    assert word in out and out.startswith("Triển khai")
