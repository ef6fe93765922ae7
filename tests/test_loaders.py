"""File loaders: encodings, legacy Vietnamese fonts, .docx, .pdf, errors. Fixtures are built in tmp_path."""
from __future__ import annotations

import hashlib
import os
import random
import unicodedata
from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml
from hypothesis import given, settings
from hypothesis import strategies as st

from kehoach.config import bundled_corpus_dir
from kehoach.corpus import loaders
from kehoach.corpus.legacy_encodings import (
    is_syllable,
    tcvn3_to_unicode,
    unicode_to_tcvn3,
    unicode_to_vni,
    vni_to_unicode,
)
from kehoach.corpus.loaders import LoadError, iter_files, load_lines, load_many, sha256_file

CORPUS = bundled_corpus_dir()
BUNDLED = sorted(CORPUS.glob("0*.txt"))
VIET = "àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ"


def _doc(prefix: str) -> Path:
    return next(CORPUS.glob(f"{prefix}_*.txt"))


def _file_lines(path: Path) -> list[str]:
    lines = path.read_bytes().decode("utf-8").split("\n")
    return lines[:-1] if lines[-1] == "" else lines


@pytest.fixture(scope="module")
def clean_lines() -> list[str]:
    """A few hundred real lines of the clean plans 002 and 003 (all of them)."""
    return _file_lines(_doc("002")) + _file_lines(_doc("003"))


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _load_error(path) -> str:
    with pytest.raises(LoadError) as info:
        load_lines(path)
    message = str(info.value)
    assert "\n" not in message and Path(path).name in message
    return message


# ---- the bundled corpus ---------------------------------------------------------------------------

@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.name[:3])
def test_bundled_file_keeps_its_own_line_numbering(path):
    raw = path.read_bytes()
    lines = load_lines(path)
    # `wc -l` counts newlines; a last line without one is still a line.
    assert len(lines) == raw.count(b"\n") + (0 if raw.endswith(b"\n") else 1)
    assert lines == _file_lines(path)  # line N is the file's Nth line: nothing repaired, re-encoded or split


def test_bundled_corpus_has_five_plans():
    assert len(BUNDLED) == 5
    assert iter_files([CORPUS]) == BUNDLED


# ---- Unicode encodings ----------------------------------------------------------------------------

@pytest.mark.parametrize("encoding, bom", [
    ("utf-8", b"\xef\xbb\xbf"),
    ("utf-16-le", b"\xff\xfe"),
    ("utf-16-be", b"\xfe\xff"),
    ("utf-16-le", b""),
    ("utf-16-be", b""),
    ("utf-32-le", b"\xff\xfe\x00\x00"),
])
def test_unicode_encodings(tmp_path, clean_lines, encoding, bom):
    text = "\r\n".join(clean_lines) + "\r\n"   # Windows line ends too
    path = _write(tmp_path, "plan.txt", bom + text.encode(encoding))
    assert load_lines(path) == clean_lines


@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"])
def test_utf8_with_a_damaged_byte_still_loads(tmp_path, clean_lines, bom):
    data = bytearray(("\n".join(clean_lines) + "\n").encode())
    data[len(data) // 2] = 0xFF
    lines = load_lines(_write(tmp_path, "damaged.txt", bom + bytes(data)))
    assert len(lines) == len(clean_lines)
    assert sum(a != b for a, b in zip(lines, clean_lines)) == 1 and "\ufffd" in "".join(lines)


def test_decomposed_text_becomes_nfc_without_moving_lines(tmp_path):
    lines = ["Sở Kế hoạch và Đầu tư", "", "  Thời gian thực hiện: năm 2025  "]
    path = _write(tmp_path, "nfd.txt", unicodedata.normalize("NFD", "\n".join(lines)).encode())
    assert load_lines(path) == lines


def test_line_numbering_only_splits_on_newline(tmp_path):
    # Form feeds, vertical tabs and U+2028 are inside lines: str.splitlines would shift every citation.
    text = "một\x0chai\nba\x0bbốn\u2028năm\n\nsáu\r\n"
    assert load_lines(_write(tmp_path, "ff.txt", text.encode())) == ["một\x0chai", "ba\x0bbốn\u2028năm", "", "sáu"]


# ---- legacy 8-bit encodings -----------------------------------------------------------------------

def _cp1258(text: str) -> bytes:
    """Windows-1258 as Vietnamese Windows wrote it: base letter, then a combining tone mark."""
    tones = "\u0300\u0301\u0303\u0309\u0323"
    out = []
    for ch in text:
        decomposed = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in tones))
        tone = "".join(c for c in decomposed if c in tones)
        try:
            out.append(ch.encode("cp1258"))
        except UnicodeEncodeError:
            out.append((base + tone).encode("cp1258"))
    return b"".join(out)


@pytest.mark.parametrize("encode", [
    _cp1258,
    lambda text: unicode_to_tcvn3(text).encode("cp1252"),
    lambda text: unicode_to_vni(text).encode("cp1252"),
], ids=["cp1258", "tcvn3", "vni"])
def test_legacy_encodings_round_trip(tmp_path, clean_lines, encode):
    data = encode("\r\n".join(clean_lines) + "\r\n")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert load_lines(_write(tmp_path, "legacy.txt", data)) == clean_lines


@pytest.mark.parametrize("legacy, unicode", [
    # Written out by hand from the font tables, independently of legacy_encodings.py.
    ("S\xeb K\xd5 ho\xb9ch v\xb5 \xa7\xc7u t\xad", "Sở Kế hoạch và Đầu tư"),
    ("Qu\xb6ng Ng\xb7i, ng\xb5y 06 th\xb8ng 11 n\xa8m 2024", "Quảng Ngãi, ngày 06 tháng 11 năm 2024"),
    ("K\xd5 HO\xb9CH", "KẾ HOẠCH"),
    ("\xf1Y BAN NH\xa2N D\xa2N T\xd8NH QU\xb6NG NG\xb7I", "ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI"),
    ("Së KH&§T chñ tr×", "Sở KH&ĐT chủ trì"),   # an abbreviation does not make its neighbour capital
])
def test_tcvn3_table(legacy, unicode):
    assert tcvn3_to_unicode(legacy) == unicode


@pytest.mark.parametrize("legacy, unicode", [
    ("S\xf4\xfb Ke\xe1 hoa\xefch va\xf8 \xd1a\xe0u t\xf6", "Sở Kế hoạch và Đầu tư"),
    ("Xin cha\xf8o ca\xf9c ba\xefn", "Xin chào các bạn"),
    ("KE\xc1 HOA\xcfCH ph\xf6\xf4ng a\xf9n ngh\xf2 quye\xe1t", "KẾ HOẠCH phương án nghị quyết"),
    ("NGA\xc2N SA\xd9CH \xd1\xd6\xd4\xd8NG n\xe6 la\xeb \xf1a\xefi", "NGÂN SÁCH ĐƯỜNG nỉ lặ đại"),
])
def test_vni_table(legacy, unicode):
    assert vni_to_unicode(legacy) == unicode


_ALPHABET = st.sampled_from(list(" .,:-/()0123456789abcdeghiklmnopqrstuvxyABCDGHKLMNOPQRSTUVXY")
                            + list(VIET + VIET.upper()))


@settings(max_examples=200, deadline=None)
@given(st.text(_ALPHABET, max_size=40))
def test_vni_round_trip_any_text(text):
    assert vni_to_unicode(unicode_to_vni(text)) == text


@settings(max_examples=200, deadline=None)
@given(st.text(st.sampled_from(list(" .,:-/0123456789abcdeghiklmnopqrstuvxy") + list(VIET + "ĂÂÊÔƠƯĐ")),
               max_size=40))
def test_tcvn3_round_trip_any_text(text):
    assert tcvn3_to_unicode(unicode_to_tcvn3(text), restore_case=False) == text


@pytest.mark.parametrize("word, ok", [
    ("người", True), ("nghiệp", True), ("quyết", True), ("gìn", True), ("khuyến", True), ("thuở", True),
    ("xoong", True), ("chớnh", False), ("hién", False), ("vieọt", False), ("kộ", False), ("tiềc", False),
])
def test_syllable_check(word, ok):
    assert is_syllable(word) is ok


def test_legacy_text_inside_utf8_is_converted(tmp_path, clean_lines):
    # .VnTime text pasted into a Unicode editor: Windows-1252 characters saved as UTF-8; mixed with Unicode.
    sample = clean_lines[:120]
    mixed = [unicode_to_tcvn3(line) if i % 2 else line for i, line in enumerate(sample)]
    path = _write(tmp_path, "pasted.txt", "\n".join(mixed).encode("utf-8"))
    assert load_lines(path) == sample


def test_uncertain_legacy_encoding_is_refused(tmp_path, clean_lines):
    # TCVN3-looking bytes whose letters are scrambled: no reading is Vietnamese enough to trust.
    data = bytearray(unicode_to_tcvn3("\n".join(clean_lines[:200])).encode("cp1252"))
    high = [i for i, b in enumerate(data) if b >= 0x80]
    values = [data[i] for i in high]
    random.Random(7).shuffle(values)
    for i, v in zip(high, values):
        data[i] = v
    message = _load_error(_write(tmp_path, "scrambled.txt", bytes(data)))
    assert "bảng mã cũ" in message


# ---- .docx ----------------------------------------------------------------------------------------

def test_docx_paragraphs_and_table_in_body_order(tmp_path):
    document = docx.Document()
    document.add_paragraph("KẾ HOẠCH")
    para = document.add_paragraph("Phụ lục nhiệm vụ")
    para.add_run().add_break()
    para.add_run("(kèm theo Kế hoạch)")
    table = document.add_table(rows=3, cols=4)
    rows = [
        ("TT", "Nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp"),
        ("5.5", "Xây dựng trung tâm dữ liệu", "Sở Khoa học và Công nghệ", ""),
        ("6", "Đào tạo nguồn nhân lực", "", ""),
    ]
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            table.cell(r, c).text = value
    table.cell(1, 1).add_paragraph("tỉnh Quảng Ngãi")
    ins = parse_xml(
        '<w:ins xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" w:id="1" '
        'w:author="a"><w:r><w:t xml:space="preserve"> (sửa đổi)</w:t></w:r></w:ins>'
    )
    after = document.add_paragraph("Tổ chức thực hiện")
    after._p.append(ins)
    document.add_paragraph("")
    path = tmp_path / "plan.docx"
    document.save(path)
    assert load_lines(path) == [
        "KẾ HOẠCH", "Phụ lục nhiệm vụ", "(kèm theo Kế hoạch)",
        "TT", "Nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp",
        # one line per cell (its paragraphs joined), empty cells kept: every row is as wide as the header
        "5.5", "Xây dựng trung tâm dữ liệu tỉnh Quảng Ngãi", "Sở Khoa học và Công nghệ", "",
        "6", "Đào tạo nguồn nhân lực", "", "",
        "Tổ chức thực hiện (sửa đổi)", "",
    ]


def test_docx_merged_cells_written_once_rows_keep_their_width(tmp_path):
    document = docx.Document()
    table = document.add_table(rows=3, cols=3)
    for c, value in enumerate(("TT", "Nhiệm vụ", "Chủ trì")):
        table.cell(0, c).text = value
    merged = table.cell(1, 1).merge(table.cell(1, 2))
    table.cell(1, 0).text = "I"
    merged.text = "Thể chế"
    for c, value in enumerate(("1.", "Xây dựng luật", "Bộ Tư pháp")):
        table.cell(2, c).text = value
    path = tmp_path / "merged.docx"
    document.save(path)
    assert load_lines(path) == ["TT", "Nhiệm vụ", "Chủ trì", "I", "Thể chế", "", "1.", "Xây dựng luật", "Bộ Tư pháp"]


def test_docx_cell_paragraphs_that_are_separate_entries_stay_apart(tmp_path):
    # One agency per paragraph in a cell: joined by a bare space they would read as one long name.
    document = docx.Document()
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Nội dung", "Phối hợp"
    table.cell(1, 0).text = "Tập huấn cán bộ"
    table.cell(1, 0).add_paragraph("cấp xã về phòng cháy")
    table.cell(1, 1).text = "Ban Dân tộc tỉnh"
    table.cell(1, 1).add_paragraph("Sở Y tế")
    path = tmp_path / "cells.docx"
    document.save(path)
    assert load_lines(path)[2:] == ["Tập huấn cán bộ cấp xã về phòng cháy", "Ban Dân tộc tỉnh; Sở Y tế"]


def test_docx_typed_in_vntime_font_is_converted(tmp_path, clean_lines):
    document = docx.Document()
    for line in clean_lines[:60]:
        document.add_paragraph(unicode_to_tcvn3(line))
    path = tmp_path / "vntime.docx"
    document.save(path)
    assert load_lines(path) == clean_lines[:60]


@pytest.mark.parametrize("data, reason", [
    (b"PK\x03\x04 not really a zip archive at all", "bị hỏng"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, ".doc"),
])
def test_corrupt_docx(tmp_path, data, reason):
    assert reason in _load_error(_write(tmp_path, "broken.docx", data))


# ---- .pdf -----------------------------------------------------------------------------------------

def _pdf(pages: list[list[str]]) -> bytes:
    """A minimal PDF whose text layer holds `pages` (lists of lines); a ToUnicode map carries Vietnamese."""
    chars = sorted({c for page in pages for line in page for c in line})
    code = {c: i + 1 for i, c in enumerate(chars)}
    bfchar = "".join(f"<{code[c]:02X}> <{ord(c):04X}>\n" for c in chars)
    cmap = ("/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
            "/CMapName /Adobe-Identity-UCS def /CMapType 2 def\n"
            "1 begincodespacerange <00> <FF> endcodespacerange\n"
            f"{len(chars)} beginbfchar\n{bfchar}endbfchar\n"
            "endcmap CMapName currentdict /CMap defineresource pop end end")
    objects = {1: "<< /Type /Catalog /Pages 2 0 R >>",
               3: "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode 4 0 R >>"}
    streams = {4: cmap}
    kids = []
    for n, page in enumerate(pages):
        page_id, content_id = 5 + 2 * n, 6 + 2 * n
        shown = [f"<{''.join(f'{code[c]:02X}' for c in line)}> Tj T*" for line in page]
        # A page without lines gets a drawn box instead, as a scan would hold an image.
        streams[content_id] = "\n".join(["BT /F1 11 Tf 14 TL 50 800 Td", *shown, "ET"] if page
                                        else ["50 50 400 600 re S"])
        objects[page_id] = (f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
                            f"/Resources << /Font << /F1 3 0 R >> >> /Contents {content_id} 0 R >>")
        kids.append(f"{page_id} 0 R")
    objects[2] = f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {len(kids)} >>"
    for k, s in streams.items():
        objects[k] = f"<< /Length {len(s)} >>\nstream\n{s}\nendstream"
    out = bytearray(b"%PDF-1.4\n")
    offsets = {}
    for k in sorted(objects):
        offsets[k] = len(out)
        out += f"{k} 0 obj\n{objects[k]}\nendobj\n".encode("ascii")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offsets[k]:010d} 00000 n \n".encode() for k in sorted(objects))
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def test_pdf_text_layer_page_by_page(tmp_path):
    pages = [["KẾ HOẠCH số 214/KH-UBND", "Sở Khoa học và Công nghệ chủ trì"],
             ["- Thời gian thực hiện: năm 2025", "- Cơ quan phối hợp: Sở Tài chính"]]
    path = _write(tmp_path, "plan.PDF", _pdf(pages))
    assert load_lines(path) == pages[0] + pages[1]


def test_pdf_without_text_layer(tmp_path):
    message = _load_error(_write(tmp_path, "scan.pdf", _pdf([[], [], ["12"]])))
    assert "lớp văn bản" in message and "OCR" in message


def test_corrupt_pdf(tmp_path):
    assert "bị hỏng" in _load_error(_write(tmp_path, "broken.pdf", b"%PDF-1.4\n garbage \x00\x01 %%EOF"))


# ---- bad input ------------------------------------------------------------------------------------

def test_binary_file(tmp_path):
    rng = random.Random(3)
    data = bytes(rng.randrange(256) for _ in range(4000))
    assert "tệp nhị phân" in _load_error(_write(tmp_path, "x.txt", data))
    no_nul = bytes(b or 1 for b in data)   # no NUL byte: caught by its control characters
    assert "tệp nhị phân" in _load_error(_write(tmp_path, "y.txt", no_nul))


@pytest.mark.parametrize("name, data", [
    ("empty.txt", b""), ("blank.txt", b" \r\n\t\n\n"), ("blank16.txt", "  \n \n".encode("utf-16")),
    ("empty.docx", b""),
])
def test_empty_file(tmp_path, name, data):
    assert "tệp rỗng" in _load_error(_write(tmp_path, name, data))


def test_empty_docx(tmp_path):
    path = tmp_path / "nothing.docx"
    docx.Document().save(path)
    assert "tệp rỗng" in _load_error(path)


def test_missing_file(tmp_path):
    assert "Không tìm thấy" in _load_error(tmp_path / "missing.txt")
    with pytest.raises(LoadError, match="Không tìm thấy.*nowhere"):
        iter_files([tmp_path / "nowhere"])


def test_message_for_a_file_name_that_is_not_utf8(tmp_path):
    name = os.fsdecode(b"k\xe9 ho\xe1ch.txt")   # a Latin-1 name from an old archive
    with pytest.raises(LoadError) as info:
        load_lines(_write(tmp_path, name, b""))
    message = str(info.value)
    assert "k\ufffd ho\ufffdch.txt" in message and "tệp rỗng" in message
    message.encode("utf-8")   # printable: no lone surrogates left


def test_directory_is_not_a_file(tmp_path):
    (tmp_path / "plans.txt").mkdir()
    assert "thư mục" in _load_error(tmp_path / "plans.txt")


@pytest.mark.parametrize("name, hint", [("plan.odt", "'.odt'"), ("plan.doc", ".docx"), ("README", "không có đuôi")])
def test_unsupported_suffix(tmp_path, name, hint):
    message = _load_error(_write(tmp_path, name, "Kế hoạch".encode()))
    assert "chưa được hỗ trợ" in message and hint in message


def test_too_large(tmp_path):
    path = tmp_path / "huge.txt"
    with path.open("wb") as fh:   # sparse: no 51 MB actually written
        fh.truncate(loaders.MAX_BYTES + 1)
    assert "quá lớn" in _load_error(path)


def test_unreadable_file(tmp_path, monkeypatch):
    path = _write(tmp_path, "locked.txt", "Kế hoạch".encode())

    def deny(self):
        raise PermissionError(13, "Permission denied")

    # Tests may run as root, for whom chmod 000 still reads.
    monkeypatch.setattr(Path, "read_bytes", deny)
    assert "không có quyền đọc" in _load_error(path)


# ---- folders and batches --------------------------------------------------------------------------

def test_iter_files(tmp_path):
    for rel in ["b.txt", "a.DOCX", "sub/c.pdf", "sub/deeper/d.txt", ".hidden.txt", ".git/e.txt",
                "~$a.docx", "meta.json", "notes.md", "pkg/__init__.py", "pkg/f.txt", "pkg/data/g.txt"]:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x")
    found = [p.relative_to(tmp_path).as_posix() for p in iter_files([tmp_path])]
    assert found == ["a.DOCX", "b.txt", "pkg/f.txt", "sub/c.pdf", "sub/deeper/d.txt"]
    # Named files are kept whatever their suffix; a file named twice is listed once.
    named = iter_files([tmp_path / "notes.md", tmp_path / "b.txt", tmp_path])
    assert [p.name for p in named][:3] == ["notes.md", "b.txt", "a.DOCX"]
    assert len(named) == 1 + len(found)


def test_batch_with_bad_files_still_loads_the_rest(tmp_path):
    good = _write(tmp_path, "good.txt", _doc("002").read_bytes())
    _write(tmp_path, "bad.txt", b"\x00\x01\x02binary\x00" * 50)
    _write(tmp_path, "empty.txt", b"")
    loaded, errors = load_many([tmp_path, tmp_path / "absent.pdf", _doc("003")])
    assert [p.name for p, _ in loaded] == ["good.txt", _doc("003").name]
    assert loaded[0][1] == _file_lines(good)
    assert len(errors) == 3 and all("\n" not in e for e in errors)
    assert ["bad.txt" in errors[0], "empty.txt" in errors[1], "absent.pdf" in errors[2]] == [True] * 3


def test_sha256_file(tmp_path):
    path = _write(tmp_path, "a.txt", b"abc")
    assert sha256_file(path) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    assert sha256_file(_doc("002")) == hashlib.sha256(_doc("002").read_bytes()).hexdigest()
