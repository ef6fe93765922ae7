"""Questions that ask for a kind of agency ("Bộ nào …?", "Vụ nào …?") and name a unit with its level."""
from kehoach.index.search import Hit
from kehoach.qa.answer import DEFAULT_CALIBRATION, agency_absent, rerank
from kehoach.qa.intent import Understanding, understand
from kehoach.records import Chunk


def _chunk(text, lead=(), support=(), cid=1):
    return Chunk(id=cid, doc="cd.txt", lines=[cid, cid], section="1", kind="task", text=text, text_restored=None,
                 headings=[], segmented="", lead=list(lead), support=list(support), deadline=None)


def test_a_head_with_nao_asks_for_the_lead():
    for q in ("Bộ nào chỉ đạo kiểm tra thực phẩm nhập khẩu?", "vu nao chuan bi noi dung hoi nghi?",
              "Cục nào hướng dẫn kiểm dịch?"):
        u = understand(q)
        assert u.intent == "lead", q
    assert understand("Bộ nào chỉ đạo kiểm tra thực phẩm?").asked_head == "bo"
    assert understand("Ai chỉ đạo kiểm tra thực phẩm?").asked_head == ""
    assert understand("Có nhiệm vụ nào về điện gió không?").asked_head == ""
    assert understand("Cán bộ nào được cử đi tập huấn?").asked_head == ""


def test_the_kind_asked_for_breaks_a_near_tie():
    province = Hit(_chunk("Chỉ đạo kiểm tra vệ sinh thực phẩm", lead=["UBND các tỉnh"]), 14.12)
    ministry = Hit(_chunk("Chủ trì kiểm tra vệ sinh thực phẩm", lead=["Bộ Y tế"], cid=2), 14.11)
    u = understand("Bộ nào chủ trì kiểm tra vệ sinh thực phẩm dịp Tết?")
    assert rerank([province, ministry], u, dict(DEFAULT_CALIBRATION))[0].chunk.lead == ["Bộ Y tế"]


def test_a_unit_asked_with_its_level_is_found_in_the_longer_printed_name():
    hits = [Hit(_chunk("Bổ sung biên chế cho Phòng Lao động - Thương binh và Xã hội cấp huyện", lead=["Bộ Nội vụ"]),
                5.0)]
    u = Understanding(question="Bộ nào bổ sung biên chế cho phòng Lao động cấp huyện?", intent="lead")
    assert not agency_absent(u, hits)
