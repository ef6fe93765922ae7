"""Words a document says once, in its header (the province, the plan's subject), count for each of its chunks
in the ranking: the task that answers beats both its own header block and a look-alike task of another
province's plan. Documents invented for this test."""
from __future__ import annotations

from kehoach.config import Config
from kehoach.index.build import build_index
from kehoach.index.search import Searcher
from kehoach.qa.answer import load_calibration

PLAN_A = """ỦY BAN NHÂN DÂN
TỈNH PHÚ YÊN
Số: 12/KH-UBND
Phú Yên, ngày 05 tháng 3 năm 2026
KẾ HOẠCH
Phòng, chống sạt lở bờ biển tỉnh Phú Yên năm 2026
I. NHIỆM VỤ
1. Sở Xây dựng chủ trì khảo sát các điểm sạt lở, lập bản đồ nguy cơ; hoàn thành trong tháng 6/2026.
2. Sở Tài chính chủ trì bố trí kinh phí cho các công trình kè; hoàn thành trong Quý III/2026.
"""

PLAN_B = """ỦY BAN NHÂN DÂN
TỈNH BÌNH THUẬN
Số: 40/KH-UBND
Bình Thuận, ngày 10 tháng 4 năm 2026
KẾ HOẠCH
Quản lý đê điều năm 2026
I. NHIỆM VỤ
1. Sở Nông nghiệp và Môi trường chủ trì khảo sát các điểm sạt lở bờ biển, cắm mốc; hoàn thành trong tháng 8/2026.
2. Sở Công Thương chủ trì kiểm tra an toàn hồ chứa; hoàn thành trong tháng 5/2026.
"""


def _searcher(tmp_path, fake_encoder, fusion=None):
    plans = tmp_path / "plans"
    plans.mkdir(exist_ok=True)
    (plans / "kh-phu-yen.txt").write_text(PLAN_A, "utf-8")
    (plans / "kh-binh-thuan.txt").write_text(PLAN_B, "utf-8")
    # The weights the product ranks with (Engine.load): tuned on dev, in qa/calibration.json.
    cfg = Config(home=tmp_path / "home", corpus=(str(plans),),
                 fusion={**load_calibration()["fusion"], **(fusion or {})})
    build_index(cfg, encoder=fake_encoder, say=lambda m: None, progress=False)
    return Searcher.load(cfg, encoder=fake_encoder, say=lambda m: None)


def test_the_province_of_the_header_counts_for_its_tasks(tmp_path, fake_encoder):
    q = "khảo sát các điểm sạt lở bờ biển ở Phú Yên"
    top = _searcher(tmp_path, fake_encoder).search(q, k=3, lexical_query=q)[0].chunk
    assert (top.doc, top.kind) == ("kh-phu-yen.txt", "task") and "khảo sát" in top.text


def test_without_the_context_a_look_alike_or_the_header_wins(tmp_path, fake_encoder):
    q = "khảo sát các điểm sạt lở bờ biển ở Phú Yên"
    off = {"doc_context": 0.0, "doc_context_lex": 0.0}
    top = _searcher(tmp_path, fake_encoder, fusion=off).search(q, k=3, lexical_query=q)[0].chunk
    assert not (top.doc == "kh-phu-yen.txt" and top.kind == "task")


def test_title_words_are_levelled_across_a_documents_chunks_in_bm25():
    import numpy as np

    from kehoach.index.doc_context import level_lexical
    # chunks 0, 1 of document 0 (header, task), chunk 2 of document 1; the token is a context word of document 0
    scores = {"han+man": np.array([2.0, 0.0, 1.0], np.float32)}
    present = lambda toks, ids: np.array([[i in (0, 1) for _ in toks] for i in ids], bool)  # noqa: E731
    delta = level_lexical(scores.__getitem__, ["han+man"], np.arange(3), np.array([0, 0, 1]), present)
    assert delta.tolist() == [0.0, 2.0, 0.0]


def test_words_every_header_holds_are_no_context_and_one_plan_keeps_its_header(tmp_path, fake_encoder):
    s = _searcher(tmp_path, fake_encoder)
    ctx = s.contexts._tokens
    assert "phu" in ctx["kh-phu-yen.txt"] and "phu" not in ctx["kh-binh-thuan.txt"]
    assert not any("hoach" in toks for toks in ctx.values())       # "Kế hoạch" heads both plans
    # searching one plan (cited by number, or chosen): which plan is settled; its tasks take nothing from its
    # header's words, and a question about the plan itself is answered by its header
    q = "Kế hoạch 12/KH-UBND phòng chống sạt lở bờ biển Phú Yên thực hiện trong năm nào"
    one = s.search(q, k=3, filters={"doc": "kh-phu-yen.txt"}, lexical_query=q)
    every = {h.chunk.id: h.score for h in s.search(q, k=10, lexical_query=q)}
    assert one[0].chunk.kind == "narrative" and one[0].chunk.lines[0] == 1
    assert all(h.score < every[h.chunk.id] - 1.0 for h in one if h.chunk.kind == "task")
