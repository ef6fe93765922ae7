"""Agency directory and resolver: every agency field printed in the bundled plans, OCR variants,
Sở that must never be confused, question scanning, filters across the 2025 mergers."""
from __future__ import annotations

import itertools
import json
import re
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz

from kehoach.config import bundled_corpus_dir
from kehoach.corpus import agencies as ag
from kehoach.corpus.agencies import AgencyDataError, Directory
from kehoach.corpus.agency_keys import name_keys
from kehoach.corpus.text import LEAD, SUPPORT, match_label

CORPUS = bundled_corpus_dir()
UBND = "UBND tỉnh Quảng Ngãi"
ISSUERS = {"000": UBND, "001": UBND, "002": "Sở Công Thương tỉnh Quảng Ngãi", "003": UBND}

KHDT, TC, CT = "Sở Kế hoạch và Đầu tư", "Sở Tài chính", "Sở Công Thương"
KHCN, TTTT, TNMT = "Sở Khoa học và Công nghệ", "Sở Thông tin và Truyền thông", "Sở Tài nguyên và Môi trường"
LDTBXH, NNPTNT, NNMT = ("Sở Lao động - Thương binh và Xã hội", "Sở Nông nghiệp và Phát triển nông thôn",
                        "Sở Nông nghiệp và Môi trường")
BQL = "Ban Quản lý Khu kinh tế Dung Quất và các Khu công nghiệp Quảng Ngãi"
HUYEN = "UBND các huyện, thị xã, thành phố"
SBN = "Các sở, ban, ngành"
QLCN, KHTCTH = "Phòng Quản lý Công nghiệp (Sở Công Thương)", "Phòng KHTCTH (Sở Công Thương)"
CT_UNITS = "Các phòng, đơn vị thuộc Sở Công Thương"
GDDT, VHTTDL = "Sở Giáo dục và Đào tạo", "Sở Văn hóa, Thể thao và Du lịch"
NHNN = "Ngân hàng Nhà nước Việt Nam chi nhánh tỉnh Quảng Ngãi"

# The canonical names of the common brief, verbatim.
BRIEF_NAMES = [
    KHDT, TC, CT, KHCN, TTTT, LDTBXH, "Sở Nội vụ", TNMT, NNPTNT, NNMT, "Sở Giao thông vận tải", "Sở Xây dựng",
    "Sở Giáo dục và Đào tạo", "Sở Y tế", "Sở Văn hóa, Thể thao và Du lịch", "Sở Ngoại vụ", "Văn phòng UBND tỉnh",
    "UBND tỉnh", BQL, "Cục Quản lý thị trường tỉnh", SBN, HUYEN, "UBND huyện Bình Sơn", "UBND huyện Đức Phổ",
    "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", "Các tổ chức chính trị - xã hội", "Bộ Chỉ huy Quân sự tỉnh",
    "Công an tỉnh", "Ngân hàng Nhà nước Việt Nam chi nhánh tỉnh Quảng Ngãi", "Liên đoàn Lao động tỉnh",
    "Đài Phát thanh và Truyền hình tỉnh", "Các cơ quan, tổ chức liên quan",
    "Các cơ sở giáo dục nghề nghiệp, đại học trên địa bàn", QLCN, KHTCTH, "Phòng QLNL (Sở Công Thương)",
    "Phòng QLXNK (Sở Công Thương)", "Phòng KTATMT (Sở Công Thương)", "Phòng QLTM (Sở Công Thương)",
    "Trung tâm Khuyến công và Xúc tiến thương mại Quảng Ngãi (Sở Công Thương)", CT_UNITS,
    "Ban Quản lý các dự án cấp điện nông thôn",
]
SUCCESSORS = {KHDT: TC, TTTT: KHCN, LDTBXH: "Sở Nội vụ", TNMT: NNMT, NNPTNT: NNMT,
              "Sở Giao thông vận tải": "Sở Xây dựng"}


@pytest.fixture(scope="module")
def directory() -> Directory:
    return Directory.load()


# ---- the printed agency fields of 000-003 ------------------------------------------

# A field goes on over following lines until it ends in "." or a new item, bullet or label starts.
_NEW_ITEM = re.compile(r"^\s*([-–—~+*•]|[a-zđ¢]\)|\d+(\.\d+)*[.)]?\s|[IVX]+\.)")


def _labelled_fields(lines: list[str]) -> list[tuple[int, str]]:
    out = []
    for i, line in enumerate(lines):
        m = match_label(line)
        if not m or m[0] not in (LEAD, SUPPORT):
            continue
        value, k = m[1].strip(), i + 1
        while not value.endswith(".") or value.endswith(";"):
            while k < len(lines) and not lines[k].strip():
                k += 1
            if k >= len(lines) or _NEW_ITEM.match(lines[k]) or match_label(lines[k]):
                break
            value = f"{value} {lines[k].strip()}"
            k += 1
        out.append((i + 1, value))
    return out


def _appendix_cells(lines: list[str]) -> list[tuple[int, str]]:
    """003's appendix, flattened one cell a line: a row is its number, task text, then up to two
    agency cells. Agency cells are the short lines closing a row after its first text line."""
    start = next(i for i, line in enumerate(lines) if line.strip() == "Ghi chú") + 1
    rows: list[list[tuple[int, str]]] = []
    for i in range(start, len(lines)):
        line = lines[i].strip()
        if line.startswith("[1]"):
            break
        if re.fullmatch(r"\d+(\.\d+)?", line):
            rows.append([])
        elif rows and line:
            rows[-1].append((i + 1, line))
    return [(no, text) for row in rows for no, text in row[1:][-2:] if len(text) < 100]


def printed_fields() -> list[tuple[str, int, str]]:
    out = []
    for doc in ("000", "001", "002", "003"):
        path = next(CORPUS.glob(f"{doc}_*.txt"))
        lines = path.read_text(encoding="utf-8").split("\n")
        found = _appendix_cells(lines) if doc == "003" else _labelled_fields(lines)
        out += [(doc, no, text) for no, text in found]
    return out


FIELDS = printed_fields()


def test_every_printed_agency_field_resolves_completely(directory):
    per_doc = {d: sum(1 for doc, _, _ in FIELDS if doc == d) for d in ISSUERS}
    # The extraction itself is checked, or an empty harvest would pass.
    assert per_doc["000"] >= 70 and per_doc["001"] >= 40 and per_doc["002"] >= 50 and per_doc["003"] >= 70
    distinct = sorted({(doc, text) for doc, _, text in FIELDS})
    failures = []
    for doc, text in distinct:
        res = directory.resolve(text, ISSUERS[doc])
        if res.unresolved or not res.canonical:
            failures.append((doc, text, res))
    print(f"\n{len(distinct)} distinct printed agency strings in 000-003, "
          f"{len(distinct) - len(failures)} fully resolved")
    assert not failures


def test_appendix_cells_are_agency_cells():
    cells = [text for doc, _, text in FIELDS if doc == "003"]
    assert "BCH Quân sự tỉnh, Công An tỉnh" in cells
    assert "Liên đoàn Lao động Việt Nam tỉnh Quảng Ngãi" in cells
    assert not any(text.startswith(("Thực hiện", "Triển khai", "Xây dựng")) for text in cells)


@pytest.mark.parametrize("printed, issuer, expected", [
    # OCR damage, as printed in 000 and 001
    ("S& Ké hoach va Pau tu.", UBND, [KHDT]),
    ("S¢ K& hoach va Pau tu, S¢ Tai chinh, UBND huyén Durc Pho.", UBND, [KHDT, TC, "UBND huyện Đức Phổ"]),
    ("S¢ Tai Nguyén va Méi truong", UBND, [TNMT]),
    ("So Gido duc va Pao tao; S¢ Lao dong - Thuong binh va Xa hoi.", UBND,
     ["Sở Giáo dục và Đào tạo", LDTBXH]),
    ("Ban Quan Iy KKT Dung Quét va cac KCN Quang Ngai", UBND, [BQL]),
    ("Ban Quan 1y KKT Dung Quét va cic KCN Quéng Ngai, UBND cac huyén, thanh pho.", UBND, [BQL, HUYEN]),
    ("S6 Lao dong - Thuong binh va Xa hoi", UBND, [LDTBXH]),
    ("S& Lao dong — Thuong binh va X3 hoi.", UBND, [LDTBXH]),
    ("UBND cac huyén, thanh pho lién quan", UBND, [HUYEN]),
    ("S6 Xay dung, S& Cong Thuong, UBND céc huyén, huyén, thanh phd lién quan.", UBND,
     ["Sở Xây dựng", CT, HUYEN]),
    ("UBND huyén Binh Son.", UBND, ["UBND huyện Bình Sơn"]),
    ("8¢ Théng tin va Truyén thong.", UBND, [TTTT]),
    ("S¢ Cong Thuong; S& Giao théng vén tai.", UBND, [CT, "Sở Giao thông vận tải"]),
    ("UBND cac huyén, thanh phé noi du kién dit nha may dién gio.", UBND, [HUYEN]),
    ("Cac co quan, to chtc lién quan theo dé xuat cta co quan chu tri.", UBND, ["Các cơ quan, tổ chức liên quan"]),
    ("Hé théng cac Truong Trung cap, Cao ding, Pai hoc trén dia ban va UBND céc huyén, thanh pho.", UBND,
     ["Các cơ sở giáo dục nghề nghiệp, đại học trên địa bàn", HUYEN]),
    ("Mit tran T6 quéc Viét Nam va cac doan thé chinh tri - xa hoi cac cap.", UBND,
     ["Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", "Các tổ chức chính trị - xã hội"]),
    ("Céc so, ban, nganh, UBND céc huyén, thi x4, thanh phd va cac td chiic ¢4 nhan lién quan.", UBND,
     [SBN, HUYEN, "Các cơ quan, tổ chức liên quan"]),
    # Names holding commas, lists, clean text (002, 003)
    ("Các sở, ban, ngành; UBND các huyện, thị xã. thành phố.", UBND, [SBN, HUYEN]),
    ("Sở Văn hóa, Thể thao và Du lịch", UBND, ["Sở Văn hóa, Thể thao và Du lịch"]),
    ("Sở Ngoại vụ, Sở Kế hoạch và Đầu tư", UBND, ["Sở Ngoại vụ", KHDT]),
    ("BCH Quân sự tỉnh, Công An tỉnh", UBND, ["Bộ Chỉ huy Quân sự tỉnh", "Công an tỉnh"]),
    ("Sở Thông tin và Truyền thông, Đài Phát thanh truyền hình tỉnh.", UBND,
     [TTTT, "Đài Phát thanh và Truyền hình tỉnh"]),
    ("Ngân hàng Nhà nước Việt Nam chi nhánh Quảng Ngãi", UBND, [NHNN]),
    ("Liên đoàn Lao động Việt Nam tỉnh Quảng Ngãi", UBND, ["Liên đoàn Lao động tỉnh"]),
    ("Phòng QLCN.", ISSUERS["002"], [QLCN]),
    ("phòng QLNL", ISSUERS["002"], ["Phòng QLNL (Sở Công Thương)"]),
    ("Các phòng QLTM, KHTCTH.", ISSUERS["002"], ["Phòng QLTM (Sở Công Thương)", KHTCTH]),
    ("các phòng QLCN, KHTCTH.", ISSUERS["002"], [QLCN, KHTCTH]),
    ("Trung tâm KC và XTTM Quảng Ngãi.", ISSUERS["002"],
     ["Trung tâm Khuyến công và Xúc tiến thương mại Quảng Ngãi (Sở Công Thương)"]),
    ("Trung tâm Khuyến công và XTTM Quảng Ngãi.", ISSUERS["002"],
     ["Trung tâm Khuyến công và Xúc tiến thương mại Quảng Ngãi (Sở Công Thương)"]),
    ("BQL các dự án cấp điện nông thôn, phòng KHTCTH.", ISSUERS["002"],
     ["Ban Quản lý các dự án cấp điện nông thôn", KHTCTH]),
    ("các phòng, đơn vị thuộc Sở.", ISSUERS["002"], [CT_UNITS]),
    ("các phòng thuộc Sở.", ISSUERS["002"], [CT_UNITS]),
    ("theo chức năng nhiệm vụ của các phòng thuộc Sở, phù hợp với yêu cầu công việc cụ thể.", ISSUERS["002"],
     [CT_UNITS]),
    # Abbreviations, bullets, report tails, duplicates
    ("- Sở KH&ĐT, SKHĐT, Sở TN&MT (báo cáo).", UBND, [KHDT, TNMT]),
    ("+ Sở GD&ĐT; Sở KH&CN; Sở VHTTDL; BQL KKT Dung Quất", UBND,
     ["Sở Giáo dục và Đào tạo", KHCN, "Sở Văn hóa, Thể thao và Du lịch", BQL]),
    ("Sở LĐ-TB&XH, Sở NN&PTNT, Sở GTVT, VPUB thực hiện", UBND,
     [LDTBXH, NNPTNT, "Sở Giao thông vận tải", "Văn phòng UBND tỉnh"]),
])
def test_resolve(directory, printed, issuer, expected):
    res = directory.resolve(printed, issuer)
    assert res.canonical == expected
    assert res.unresolved == []


# ---- agencies that must never be confused -----------------------------------------

@pytest.mark.parametrize("printed, expected", [
    ("Sở Tài chính", TC), ("S¢ Tai chinh", TC), ("SO Tai Chinh.", TC),
    ("Sở Tài nguyên và Môi trường", TNMT), ("Sé Tai nguyén va Mai truong", TNMT), ("S¢ Tai nguyén va Méi trrong", TNMT),
    ("Sở Khoa học và Công nghệ", KHCN), ("S& Khoa hoe va Cong nghé", KHCN), ("S6 Khoa hoc va Cong ngh¢", KHCN),
    ("Sở Công Thương", CT), ("S& Coéng Thuong", CT), ("So Céng Thuong", CT),
    ("S& Noi vu", "Sở Nội vụ"), ("So Ngoai vu", "Sở Ngoại vụ"),
    ("Sở Nông nghiệp và Môi trường", NNMT), ("S& Néng nghiép va Phat trién néng thén", NNPTNT),
])
def test_similar_so_are_kept_apart(directory, printed, expected):
    assert directory.resolve(printed).canonical == [expected]
    assert directory.lookup(printed).name == expected


def test_two_so_never_come_within_reach_of_the_fuzzy_threshold(directory):
    so = [e for e in directory.entries if e.kind == "so"]
    closest = max(
        fuzz.ratio(ka, kb)
        for a, b in itertools.combinations(so, 2) if b.name not in directory.successor_chain(a.name)
        and a.name not in directory.successor_chain(b.name)
        for ka in name_keys(a.name) + tuple(k for s in a.aliases for k in name_keys(s))
        for kb in name_keys(b.name) + tuple(k for s in b.aliases for k in name_keys(s))
        if min(len(ka), len(kb)) >= ag.FUZZY_MIN_CHARS)
    assert closest < ag.FUZZY_MIN - ag.FUZZY_MARGIN


@pytest.mark.parametrize("printed", ["Sở Tài", "So Tai", "Sở Ngoi vụ", "Sở", "UBND huyện Sơn", "Công ty TNHH ABC"])
def test_ambiguous_or_unknown_stays_unresolved(directory, printed):
    res = directory.resolve(printed)
    assert res.canonical == [] and res.unresolved == [printed]


def test_unknown_neighbours_are_kept_not_swallowed(directory):
    res = directory.resolve("- Ban Quản lý KKT Dung Quất và các KCN Quảng Ngãi, Công ty Cổ phần ABC.")
    assert res.canonical == [BQL] and res.unresolved == ["Công ty Cổ phần ABC"]
    res = directory.resolve("Sở Tài chính, Hội Doanh nhân trẻ, Tập đoàn XYZ; Sở Y tế")
    assert res.canonical == [TC, "Hội Doanh nhân trẻ", "Sở Y tế"] and res.unresolved == ["Tập đoàn XYZ"]
    assert res.recognised == ["Hội Doanh nhân trẻ"]


def test_resolve_deduplicates_in_order_and_handles_empty_input(directory):
    assert directory.resolve("Sở Tài chính, Sở KH&ĐT, STC, Sở Tài chính.").canonical == [TC, KHDT]
    for empty in (None, "", "  ", " - .", "thực hiện"):
        res = directory.resolve(empty)
        assert res.canonical == [] and res.unresolved == []


def test_relative_so_depends_on_the_issuer(directory):
    text = "các phòng, đơn vị thuộc Sở."
    assert directory.resolve(text, "Sở Công Thương tỉnh Quảng Ngãi").canonical == [CT_UNITS]
    # Another Sở's plan: its own units, which the directory does not list one by one.
    assert directory.resolve(text, "Sở Khoa học và Công nghệ").canonical == [KHCN]
    # A UBND plan cannot say which Sở is meant.
    assert directory.resolve(text, UBND).unresolved == ["các phòng, đơn vị thuộc Sở"]
    assert directory.resolve(text).unresolved == ["các phòng, đơn vị thuộc Sở"]
    # A department code of Sở Công Thương means nothing in another Sở's plan.
    assert directory.resolve("Phòng QLCN", "Sở Khoa học và Công nghệ").unresolved == ["Phòng QLCN"]


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("SởTàichnKếoạvĐầutư&,;.-() ¢6UBNDhyệnQLCKT")), max_size=60))
def test_resolve_never_fails_and_only_returns_directory_names(text):
    directory = Directory.load()
    res = directory.resolve(text)
    assert all(n in res.recognised or (directory.get(n) is not None and directory.get(n).name == n)
               for n in res.canonical)
    assert all(isinstance(u, str) and u for u in res.unresolved)


# ---- lookup, questions, filters -----------------------------------------------------

@pytest.mark.parametrize("typed, expected", [
    ("Sở TTTT", TTTT), ("so ke hoach", KHDT), ("skhdt", KHDT), ("SKH&ĐT", KHDT), ("Sở KHĐT", KHDT), ("KH&ĐT", KHDT),
    ("BQL KKT", BQL), ("sở giáo dục", GDDT), ("Sở Tài chính", TC), ("so tai chinh", TC),
    ("Sở TN&MT", TNMT), ("STNMT", TNMT), ("Sở NN&PTNT", NNPTNT), ("Sở GD&ĐT", GDDT),
    ("SGDĐT", GDDT), ("Sở KH&CN", KHCN), ("SKHCN", KHCN), ("Sở VHTTDL", VHTTDL),
    ("Sở LĐTBXH", LDTBXH), ("LĐ-TB&XH", LDTBXH), ("Sở GTVT", "Sở Giao thông vận tải"), ("VPUB", "Văn phòng UBND tỉnh"),
    ("UBND tỉnh", "UBND tỉnh"), ("Ủy ban nhân dân tỉnh Quảng Ngãi", "UBND tỉnh"),
    ("Sở Công Thương tỉnh Quảng Ngãi", CT), ("Phòng QLCN", QLCN), ("phòng quản lý công nghiệp", QLCN),
    ("Ban Quản lý KKT Dung Quất và các KCN Quảng Ngãi", BQL), ("Sở Văn hóa Thể thao và Du lịch", VHTTDL),
    # The old and the new Sở share a prefix: the name in use today.
    ("sở nông nghiệp", NNMT),
    ("UBND huyện Sơn Tịnh", "UBND huyện Sơn Tịnh"), ("UBND thị xã Đức Phổ", "UBND huyện Đức Phổ"),
])
def test_lookup(directory, typed, expected):
    assert directory.lookup(typed).name == expected


@pytest.mark.parametrize("typed", ["", "   ", "sở", "so tai", "giáo dục", "xyz", "UBND huyện Sơn", "Sở Ngoi vụ"])
def test_lookup_prefers_nothing_to_a_guess(directory, typed):
    assert directory.lookup(typed) is None


@pytest.mark.parametrize("question, expected", [
    ("Sở TTTT phải làm gì về chuyển đổi số?", [(TTTT, "Sở TTTT")]),
    ("so khdt chu tri nhung viec gi", [(KHDT, "so khdt")]),
    ("Phòng QLCN được giao gì", [(QLCN, "Phòng QLCN")]),
    ("Sở giáo dục chủ trì gì?", [("Sở Giáo dục và Đào tạo", "Sở giáo dục")]),
    ("so ke hoach va dau tu phoi hop voi so tai chinh", [(KHDT, "so ke hoach va dau tu"), (TC, "so tai chinh")]),
    ("BQL KKT Dung Quất có nhiệm vụ gì", [(BQL, "BQL KKT Dung Quất")]),
    ("UBND các huyện, thị xã, thành phố làm gì", [(HUYEN, "UBND các huyện, thị xã, thành phố")]),
    ("Sở Nông nghiệp và Môi trường chủ trì", [(NNMT, "Sở Nông nghiệp và Môi trường")]),
    # No agency: "Sở nào" asks for one; "số" (number, digital) is not "Sở"; wrong marks do not match.
    ("Sở nào chủ trì giáo dục STEM?", []),
    ("han chot xay dung trung tam du lieu?", []),
    ("chuyển đổi số y tế", []),
    ("chuyen doi so y te", []),
    ("số kế hoạch và đầu tư", []),
])
def test_find_in_text(directory, question, expected):
    mentions = directory.find_in_text(question)
    assert [(m.name, m.surface) for m in mentions] == expected
    assert all(question[m.start:m.end] == m.surface for m in mentions)


def test_find_in_text_spans_hold_in_decomposed_input(directory):
    question = unicodedata.normalize("NFD", "Hỏi: Sở Tài chính và Sở TTTT làm gì?")
    mentions = directory.find_in_text(question)
    assert [m.name for m in mentions] == [TC, TTTT]
    assert [unicodedata.normalize("NFC", question[m.start:m.end]) for m in mentions] == ["Sở Tài chính", "Sở TTTT"]


def test_successors_and_predecessors(directory):
    # One way: a chain runs from the name assigned to today's holder, never back.
    assert directory.successor_chain("SKHĐT") == [KHDT, TC]
    assert directory.successor_chain(TC) == [TC]
    assert directory.predecessors(TC) == [KHDT]
    assert sorted(directory.predecessors(NNMT)) == sorted([TNMT, NNPTNT, "Sở Thủy sản"])  # via NN&PTNT (2008)
    # Nearest first: GTVT (2025), then what GTVT itself took over.
    assert directory.predecessors("Sở Xây dựng") == ["Sở Giao thông vận tải", "Sở Giao thông công chính"]
    assert directory.successor_chain("nothing of the sort") == [] and directory.predecessors("xyz") == []
    assert ag.successor_chain("Sở TT&TT") == [TTTT, KHCN]
    assert ag.holders("Sở TT&TT") == [KHCN] and ag.holders(KHCN) == [KHCN]


@pytest.mark.parametrize("old, new", [
    ("Bộ Kế hoạch và Đầu tư", "Bộ Tài chính"), ("Bộ Thông tin và Truyền thông", "Bộ Khoa học và Công nghệ"),
    ("Bộ Lao động - Thương binh và Xã hội", "Bộ Nội vụ"),
    ("Bộ Tài nguyên và Môi trường", "Bộ Nông nghiệp và Môi trường"),
    ("Bộ Nông nghiệp và Phát triển nông thôn", "Bộ Nông nghiệp và Môi trường"),
    ("Bộ Giao thông vận tải", "Bộ Xây dựng"), ("Ủy ban Dân tộc", "Bộ Dân tộc và Tôn giáo"),
    (KHDT, TC), (TTTT, KHCN), (LDTBXH, "Sở Nội vụ"), (TNMT, NNMT), (NNPTNT, NNMT),
    ("Sở Giao thông vận tải", "Sở Xây dựng"),
])
def test_each_2025_merger_both_directions_and_dates(directory, old, new):
    assert directory.holders(old, "2025-03-01") == [new]
    assert directory.holders(old, "2025-02-28") == [old]       # the day before, the old body held it
    assert old in directory.predecessors(new) and old not in directory.predecessors(new, "2025-02-28")
    assert new not in directory.predecessors(old)               # never backwards
    step = directory.successions(old)[0]
    assert step.date == "2025-03-01" and step.source.startswith(("Nghị quyết 176/2025/QH15", "Nghị định 45/2025/NĐ-CP"))


def test_multi_step_chains_and_the_end_of_the_district_level(directory):
    assert directory.successor_chain("Bộ Thủy sản") == [
        "Bộ Thủy sản", "Bộ Nông nghiệp và Phát triển nông thôn", "Bộ Nông nghiệp và Môi trường"]
    assert directory.successor_chain("Bộ Thủy sản", as_of="2020-01-01") == [
        "Bộ Thủy sản", "Bộ Nông nghiệp và Phát triển nông thôn"]
    assert "Bộ Thủy sản" in directory.predecessors("Bộ Nông nghiệp và Môi trường")
    assert [s.certain for s in directory.successions("Bộ Thủy sản")] == [False, True]
    assert directory.holders(HUYEN, "2025-07-01") == ["UBND cấp xã"]
    assert directory.holders("UBND các huyện", "2025-06-30") == [HUYEN]
    assert directory.holders("UBND huyện Bình Sơn") == ["UBND cấp xã"]
    assert "Luật" in directory.successions(HUYEN)[0].source
    assert directory.holders("UBND tỉnh") == ["UBND tỉnh"]       # the province's UBND continues


def test_province_merger_is_dated_data():
    from kehoach.corpus.agency_context import province_successor
    assert province_successor("Kon Tum", "2025-07-01")[0] == "Quảng Ngãi"
    assert province_successor("Kon Tum", "2025-06-30")[0] == "Kon Tum"
    assert province_successor("Quảng Ngãi")[0] == "Quảng Ngãi"
    assert "202/2025/QH15" in province_successor("Kon Tum")[1]["source"]


def test_expand_filter_runs_one_way(directory):
    # An agency's filter holds its own tasks, never its successor's (issue 10).
    assert directory.expand_filter("Sở KH&ĐT") == {KHDT}
    assert directory.expand_filter("Sở TTTT") == {TTTT}
    assert directory.expand_filter("Sở Tài chính") == {TC}
    # The successor takes over its predecessors' tasks only when asked to.
    assert directory.expand_filter("Sở Tài chính", include_predecessors=True) == {TC, KHDT}
    assert directory.expand_filter("Sở Nông nghiệp và Môi trường", include_predecessors=True) == {
        NNMT, TNMT, NNPTNT, "Sở Thủy sản"}
    assert directory.expand_filter("Sở KH&CN", include_predecessors=True) == {
        KHCN, TTTT, "Sở Bưu chính, Viễn thông"}
    assert directory.expand_filter("Sở KH&CN", include_predecessors=True, as_of="2024-12-31") == {KHCN}
    assert directory.expand_filter("Sở KH&ĐT", include_predecessors=True) == {KHDT}
    ct = directory.expand_filter("Sở Công Thương")
    assert {CT, QLCN, KHTCTH, CT_UNITS, "Ban Quản lý các dự án cấp điện nông thôn"} <= ct
    assert not any(name.startswith("Sở") and name != CT for name in ct)
    assert directory.expand_filter("Phòng QLCN") == {QLCN}
    assert directory.expand_filter("xyz") == set() and directory.expand_filter(None) == set()


def test_unresolved_report(directory):
    # "Hội Xuất khẩu X" is an agency by its head, though no directory lists it: not unresolved.
    fields = [("a.txt", "Sở Tài chính, Công ty ABC"), ("a.txt", "Công ty ABC."), ("a.txt", "Hội Xuất khẩu X"),
              ("b.txt", "các phòng thuộc Sở"), ("c.txt", "các phòng thuộc Sở")]
    rows = directory.unresolved_report(fields, issuers={"c.txt": "Sở Công Thương"})
    assert rows == [("a.txt", "Công ty ABC", 2), ("b.txt", "các phòng thuộc Sở", 1)]
    assert directory.unresolved_report([("000", text) for doc, _, text in FIELDS if doc == "000"]) == []


# ---- the directory file -------------------------------------------------------------

def test_directory_holds_the_canonical_names_and_mergers(directory):
    names = [e.name for e in directory.entries]
    assert len(names) == len(set(names))
    assert set(BRIEF_NAMES) <= set(names)
    assert {e.name: e.successor for e in directory.entries if e.name in SUCCESSORS} == SUCCESSORS
    for e in directory.entries:
        assert e.kind in ag.KINDS
        assert (e.successor is None) == (e.successor_date is None)
        if e.name in SUCCESSORS:
            assert e.successor_date == "2025-03-01"
        if e.kind == "department":
            assert e.parent == CT


def test_no_key_names_two_agencies_of_one_level(directory):
    # A key may name a national body and a province's namesake ("kho bac nha nuoc"): the
    # document's level tells them apart. Two bodies of one level never share a key.
    def clash(names):
        levels = [directory.get(n).level for n in names]
        return len(names) > 1 and len(set(levels)) < len(levels)
    assert not [k for k, names in directory._exact.items() if clash(names)]
    assert not [k for k, names in directory._compact.items() if clash(names)]
    assert directory.resolve("Kho bạc Nhà nước", "UBND tỉnh Đồng Nai").canonical == ["Kho bạc Nhà nước tỉnh"]
    assert directory.resolve("Kho bạc Nhà nước", "Bộ Tài chính").canonical == ["Kho bạc Nhà nước"]


def test_load_is_cached_and_errors_are_one_clear_line(tmp_path):
    assert Directory.load() is Directory.load()
    with pytest.raises(AgencyDataError, match="Không đọc được danh mục cơ quan"):
        Directory.load(tmp_path / "missing.json")
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(AgencyDataError, match="không phải JSON hợp lệ"):
        Directory.load(bad)
    wrong = tmp_path / "wrong.json"
    wrong.write_text(json.dumps({"agencies": [{"name": "Sở A", "kind": "so", "successor": "Sở B"}]}),
                     encoding="utf-8")
    with pytest.raises(AgencyDataError, match="Sở B") as err:
        Directory.load(wrong)
    assert "\n" not in str(err.value)
    small = tmp_path / "small.json"
    small.write_text(json.dumps({"agencies": [{"name": "Sở A", "kind": "so", "abbreviations": ["SA1"]}]}),
                     encoding="utf-8")
    assert Directory.load(small).lookup("sa1").name == "Sở A"


# ---- the national directory, heads, context (issue 9) ------------------------------

HANOI = "UBND thành phố Hà Nội"


@pytest.mark.parametrize("printed, expected", [
    ("Bộ Thông tin và Truyền thông", "Bộ Thông tin và Truyền thông"), ("Bộ TT&TT", "Bộ Thông tin và Truyền thông"),
    ("Bộ Kế hoạch và Đầu tư", "Bộ Kế hoạch và Đầu tư"),
    ("Bộ Lao động-Thương binh và Xã hội", "Bộ Lao động - Thương binh và Xã hội"),
    ("Bộ Tài nguyên và Môi trường", "Bộ Tài nguyên và Môi trường"), ("Bộ GTVT", "Bộ Giao thông vận tải"),
    ("Bộ Thuỷ sản", "Bộ Thủy sản"), ("Bộ Công an", "Bộ Công an"), ("Văn phòng Chính phủ", "Văn phòng Chính phủ"),
    ("Thanh tra Chính phủ", "Thanh tra Chính phủ"), ("Ngân hàng Nhà nước Việt Nam", "Ngân hàng Nhà nước Việt Nam"),
    ("Bộ GD&ĐT", "Bộ Giáo dục và Đào tạo"), ("Bộ NN&PTNT", "Bộ Nông nghiệp và Phát triển nông thôn"),
])
def test_ministries_resolve_and_a_bo_is_never_a_so(directory, printed, expected):
    res = directory.resolve(printed, "Thủ tướng Chính phủ")
    assert res.canonical == [expected] and not res.recognised
    assert directory.get(expected).kind in ("bo", "central")


def test_a_bo_never_resolves_to_a_so_even_damaged(directory):
    for printed in ("Bộ Thông tin và Truyền thông", "Bộ Thông tin và Truyên thông", "Bộ Tai nguyen va Moi truong"):
        assert not any(n.startswith("Sở") for n in directory.resolve(printed).canonical), printed
    assert directory.lookup("Bộ Thông tin và Truyền thông").name == "Bộ Thông tin và Truyền thông"


def test_document_province_goes_beside_the_canonical_name(directory):
    res = directory.resolve("Sở Tài chính, Sở Xây dựng", HANOI)
    assert res.canonical == [TC, "Sở Xây dựng"]           # the same canonical names as in Quảng Ngãi plans
    assert res.provinces == {TC: "Hà Nội", "Sở Xây dựng": "Hà Nội"}
    assert directory.resolve("Sở Tài chính", "UBND tỉnh Đồng Nai").provinces == {TC: "Đồng Nai"}
    assert directory.resolve("Bộ Tài chính", HANOI).provinces == {}     # a ministry has no province
    assert directory.resolve("Sở Tài chính").provinces == {}             # no issuer: no province


def test_a_provinces_own_bodies_stay_in_their_province(directory):
    # "UBND Thành phố" in a Hà Nội plan is Hà Nội's, not Quảng Ngãi's city.
    assert directory.resolve("UBND Thành phố", HANOI).canonical == ["UBND Thành phố"]
    assert directory.resolve("UBND Thành phố", HANOI).recognised == ["UBND Thành phố"]
    assert directory.resolve("UBND thành phố", UBND).canonical == ["UBND thành phố Quảng Ngãi"]
    assert directory.resolve("Phòng QLCN", "Sở Công Thương tỉnh Bắc Ninh").canonical != [QLCN]


@pytest.mark.parametrize("printed", [
    "Vụ Xuất nhập khẩu", "Vụ Pháp luật dân sự - kinh tế", "Tổng cục Thi hành án dân sự", "Chi cục Kiểm lâm",
    "Cục Quản lý dược", "Viện Nghiên cứu nuôi trồng thuỷ sản III", "Trung tâm Dạy nghề", "Đài Phát thanh Hà Nội",
    "Hội Chữ thập đỏ", "Ban Chỉ đạo Tây Nguyên", "Vụ Phổ biến, giáo dục pháp luật", "Văn phòng Bộ"])
def test_an_agency_the_directory_lacks_is_kept_as_printed(directory, printed):
    res = directory.resolve(printed)
    assert res.canonical == [printed] and res.recognised == [printed] and not res.unresolved


@pytest.mark.parametrize("printed", ["Phòng, chống tham nhũng", "Báo cáo kết quả", "Ban hành quy chế",
                                     "Công ty TNHH ABC"])
def test_common_words_are_not_heads(directory, printed):
    assert not directory.resolve(printed).recognised


def test_lists_split_into_agencies(directory):
    res = directory.resolve("Sở Tài chính, Sở Nội vụ và UBND các huyện")
    assert res.canonical == [TC, "Sở Nội vụ", HUYEN]
    res = directory.resolve("Bộ Quốc phòng, Bộ Công an, Vụ Vận tải và Cục Đường bộ Việt Nam")
    assert res.canonical == ["Bộ Quốc phòng", "Bộ Công an", "Vụ Vận tải", "Cục Đường bộ Việt Nam"]
    assert res.recognised == ["Vụ Vận tải", "Cục Đường bộ Việt Nam"]


def test_bare_names_after_a_head_are_expanded(directory):
    res = directory.resolve("Đối với các Sở: Kế hoạch và Đầu tư, Xây dựng, Tài chính", "UBND tỉnh Đồng Nai")
    assert res.canonical == [KHDT, "Sở Xây dựng", TC] and not res.unresolved
    res = directory.resolve("các Bộ: Lao động - Thương binh và Xã hội, Nội vụ, Tài chính")
    assert res.canonical == ["Bộ Lao động - Thương binh và Xã hội", "Bộ Nội vụ", "Bộ Tài chính"]
    assert directory.resolve("các Vụ: Pháp chế, Tổ chức cán bộ").canonical == ["Vụ Pháp chế", "Vụ Tổ chức cán bộ"]
    # Without "các X:", a bare name takes the head before it only when that names a known agency.
    assert directory.resolve("Sở Xây dựng, Giao thông vận tải").canonical == ["Sở Xây dựng", "Sở Giao thông vận tải"]


def test_find_in_text_by_head(directory):
    text = ("Vụ Kế hoạch Đầu tư chủ trì, phối hợp với Bộ Công an và Tổng cục Thi hành án dân sự; "
            "Phòng, chống tham nhũng.")
    got = [(m.surface, m.agency.recognised) for m in directory.find_in_text(text, by_head=True)]
    assert got == [("Vụ Kế hoạch Đầu tư", True), ("Bộ Công an", False), ("Tổng cục Thi hành án dân sự", True)]
    assert [m.name for m in directory.find_in_text(text)] == ["Bộ Công an"]     # off by default (questions)
    for text in ("Chi cục trưởng Chi cục Thi hành án", "NHIỆM VỤ THỰC HIỆN NGHỊ QUYẾT", "các cơ sở quy hoạch đô thị",
                 "sông Bảo Định"):
        assert not any(m.surface.startswith(("Chi cục trưởng", "VỤ", "sở", "Bảo"))
                       for m in directory.find_in_text(text, by_head=True)), text


def test_context_from_issuer_header_and_title(directory):
    assert directory.context("Bộ Tư pháp").level == "central"
    assert directory.context("UBND", ["ỦY BAN NHÂN DÂN", "Hà Nội, ngày 3 tháng 2 năm 2010"]).province == "Hà Nội"
    # A ministry signs in Hà Nội: its place line says nothing about a province.
    assert directory.context("Bộ Tư pháp", ["Hà Nội, ngày 3 tháng 2 năm 2010"]).province is None
    assert directory.context(None, None, "Chỉ thị … trên địa bàn tỉnh Đồng Nai").province == "Đồng Nai"


def test_running_text_keeps_a_provinces_bodies_in_their_province(directory):
    hanoi = directory.context(HANOI)
    got = directory.find_in_text("UBND Thành phố chỉ đạo Sở Xây dựng", by_head=True, context=hanoi)
    assert [(m.surface, m.name, m.agency.recognised) for m in got] == [
        ("UBND Thành phố", "UBND Thành phố", True), ("Sở Xây dựng", "Sở Xây dựng", False)]
    qn = directory.context(UBND)
    assert directory.find_in_text("UBND thành phố chủ trì", context=qn)[0].name == "UBND thành phố Quảng Ngãi"


def test_agencies_command_groups_by_issuing_body_or_province(tmp_path, capsys):
    from kehoach.cli import main
    (tmp_path / "hn.txt").write_text("Chỉ thị về kiểm tra vật liệu xây dựng trên địa bàn thành phố Hà Nội\n"
                                     "2. Sở Xây dựng: chủ trì kiểm tra.\n", encoding="utf-8")
    (tmp_path / "bo.txt").write_text("BỘ TƯ PHÁP\nSố: 03/CT-BTP\nCHỈ THỊ\nVề triển khai Luật\n"
                                     "Bộ Thông tin và Truyền thông phối hợp tuyên truyền.\n", encoding="utf-8")
    assert main(["agencies", str(tmp_path), "--json"]) == 0
    groups = {g["group"]: g for g in json.loads(capsys.readouterr().out)["groups"]}
    assert set(groups) == {"tỉnh/thành phố Hà Nội", "Bộ Tư pháp"}
    hn = {a["name"]: a for a in groups["tỉnh/thành phố Hà Nội"]["agencies"]}
    assert hn["Sở Xây dựng"]["known"] and hn["Sở Xây dựng"]["held_by"] is None
    bo = {a["name"]: a for a in groups["Bộ Tư pháp"]["agencies"]}
    assert bo["Bộ Thông tin và Truyền thông"]["held_by"] == "Bộ Khoa học và Công nghệ"
    assert "Sở Thông tin và Truyền thông" not in bo


@pytest.mark.parametrize("printed, expected", [
    ("5. Chi cục Kiểm lâm", ["Chi cục Kiểm lâm"]), ("Giao Giám đốc Sở Tư pháp", ["Sở Tư pháp"]),
    ("Trách nhiệm của Chủ tịch UBND các huyện", [HUYEN]), ("a) Bộ Lao động - Thương binh và Xã hội",
                                                          ["Bộ Lao động - Thương binh và Xã hội"]),
    ("Ban chỉ đạo chương trình phát triển nhà ở của tỉnh", ["Ban chỉ đạo chương trình phát triển nhà ở của tỉnh"]),
])
def test_headings_numbering_and_role_words_are_not_part_of_the_name(directory, printed, expected):
    assert directory.resolve(printed, UBND).canonical == expected


def test_a_sentence_is_not_a_name(directory):
    res = directory.resolve("Sở Tư pháp chủ trì, phối hợp với Sở Tài chính, Sở Nội vụ", UBND)
    assert not res.recognised and "Sở Nội vụ" in res.canonical
