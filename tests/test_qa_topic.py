"""qa/topic.py: a question whose words beyond a plan's header are in none of the best passages is not answered
by that plan. Plans and questions invented for this test."""
from __future__ import annotations

from kehoach.config import Config
from kehoach.index.build import build_index
from kehoach.index.search import Searcher
from kehoach.qa.intent import understand
from kehoach.qa.topic import topic_missing, topic_words

PLAN = """ỦY BAN NHÂN DÂN
TỈNH PHÚ YÊN
Số: 21/KH-UBND
Phú Yên, ngày 05 tháng 3 năm 2026
KẾ HOẠCH
Phòng, chống sạt lở bờ biển tỉnh Phú Yên năm 2026
I. NHIỆM VỤ
1. Sở Xây dựng chủ trì khảo sát các điểm sạt lở, lập bản đồ nguy cơ; hoàn thành trong tháng 6/2026.
2. Sở Tài chính chủ trì bố trí kinh phí cho các công trình kè; hoàn thành trong Quý III/2026.
3. Sở Nông nghiệp và Môi trường chủ trì trồng rừng phòng hộ ven biển; hoàn thành trong năm 2026.
4. Công ty TNHH Khai thác công trình thủy lợi Phú Yên chủ trì gia cố kênh tưới ven biển; hoàn thành năm 2026.
"""


def _searcher(tmp_path, fake_encoder):
    plans = tmp_path / "plans"
    plans.mkdir()
    (plans / "kh-phu-yen.txt").write_text(PLAN, "utf-8")
    (plans / "kh-khac.txt").write_text(PLAN.replace("PHÚ YÊN", "BÌNH ĐỊNH").replace("Phú Yên", "Bình Định")
                                       .replace("sạt lở bờ biển", "hạn hán"), "utf-8")
    cfg = Config(home=tmp_path / "home", corpus=(str(plans),))
    build_index(cfg, encoder=fake_encoder, say=lambda m: None, progress=False)
    return Searcher.load(cfg, encoder=fake_encoder, say=lambda m: None)


def _missing(s, question):
    u = understand(question)
    hits = s.search(question, k=5, lexical_query=u.keywords)
    return topic_missing(s, u, hits)


def test_header_words_alone_do_not_answer(tmp_path, fake_encoder):
    s = _searcher(tmp_path, fake_encoder)
    # the province, the year and the plan's subject match its header; what is asked is in no passage
    assert _missing(s, "Cơ quan nào chủ trì cấp giấy phép khai thác cát ven sông ở Phú Yên năm 2026?")
    assert not _missing(s, "Cơ quan nào chủ trì bố trí kinh phí cho các công trình kè ở Phú Yên năm 2026?")
    # a question about the plan itself asks nothing beyond its header
    assert not _missing(s, "Kế hoạch phòng chống sạt lở bờ biển Phú Yên thực hiện năm nào?")


def test_the_agencies_named_are_no_topic():
    u = understand("Sở Xây dựng phối hợp với ai lập bản đồ nguy cơ?", None)
    u.surfaces = ["Sở Xây dựng"]
    assert "xay" not in topic_words(u).split() and "ban do" in topic_words(u)



def test_words_of_a_passages_own_agency_names_are_not_its_topic(tmp_path, fake_encoder):
    s = _searcher(tmp_path, fake_encoder)
    # "khai thác công trình thủy lợi" is the name of the company that leads task 4, not what task 4 is about
    assert _missing(s, "Cơ quan nào chủ trì cấp phép khai thác công trình thủy lợi ở Phú Yên năm 2026?")
    assert not _missing(s, "Cơ quan nào chủ trì gia cố kênh tưới ven biển ở Phú Yên năm 2026?")


def test_an_agency_printed_by_its_head_is_no_topic_either():
    u = understand("Cục Quản lý thị trường phối hợp với ai soạn thông tư?", None)
    assert "truong" not in topic_words(u).split() and "soan thong tu" in topic_words(u)


def test_a_passage_that_means_what_is_asked_answers_in_other_words(tmp_path, fake_encoder):
    s = _searcher(tmp_path, fake_encoder)
    # "đo đạc bờ biển xói mòn" paraphrases task 1 ("khảo sát các điểm sạt lở"): few words are shared
    question = "Ai lo đo đạc những đoạn bờ biển bị xói mòn ở Phú Yên năm 2026?"
    u = understand(question)
    hits = s.search(question, k=5, lexical_query=u.keywords)
    for h in hits:
        h.dense_z = 1.0
    assert topic_missing(s, u, hits)
    hits[0].dense_z = 4.5     # the dense model reads the top passage as saying what is asked
    assert not topic_missing(s, u, hits)
