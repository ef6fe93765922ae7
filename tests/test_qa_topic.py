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


def _top(s, question, words):
    """The hits with the passage holding `words` first, all read as plainly unrelated by the dense model."""
    u = understand(question)
    hits = s.search(question, k=5, lexical_query=u.keywords)
    hits.sort(key=lambda h: words not in h.chunk.text)
    for h in hits:
        h.dense_z = 1.0
    return u, hits


def test_a_passage_that_means_what_is_asked_answers_in_other_words(tmp_path, fake_encoder):
    s = _searcher(tmp_path, fake_encoder)
    # "khảo sát những điểm bờ biển bị xói mòn" paraphrases task 1 ("khảo sát các điểm sạt lở"): few words shared
    u, hits = _top(s, "Ai lo khảo sát những điểm bờ biển bị xói mòn ở Phú Yên năm 2026?", "khảo sát")
    assert topic_missing(s, u, hits)
    hits[0].dense_z = 4.5     # the dense model reads the top passage as saying what is asked
    assert not topic_missing(s, u, hits)


def test_meaning_alone_does_not_answer_without_any_of_the_words(tmp_path, fake_encoder):
    s = _searcher(tmp_path, fake_encoder)
    u, hits = _top(s, "Ai lo đo đạc những đoạn bờ biển bị xói mòn ở Phú Yên năm 2026?", "khảo sát")
    hits[0].dense_z = 4.5
    assert topic_missing(s, u, hits)


def test_words_typed_with_marks_must_be_printed_with_them(tmp_path, fake_encoder):
    s = _searcher(tmp_path, fake_encoder)
    # folded, "kè" (embankment) is "ke" of "kế hoạch" and "lập" "lấp"; with the marks task 2's words are not there
    q = "Cơ quan nào chủ trì lấp kẽ hở các công trình ở Phú Yên năm 2026?"
    u, hits = _top(s, q, "kinh phí")
    ids = [hits[0].chunk.id]
    folded = s.topic_coverage(topic_words(u), ids)[0][0]
    printed = s.topic_coverage(topic_words(u), ids, printed=q)[0][0]
    assert printed < folded
    # typed without marks, a word says nothing about them
    plain = "Co quan nao chu tri lap ke ho cac cong trinh o Phu Yen nam 2026?"
    assert s.topic_coverage(topic_words(understand(plain)), ids, printed=plain)[0][0] == \
        s.topic_coverage(topic_words(understand(plain)), ids)[0][0]


def test_an_agency_asked_when_must_have_a_task_on_the_matter(tmp_path, fake_encoder):
    from kehoach.qa.intent import Understanding
    from kehoach.qa.topic import subject_off_topic
    s = _searcher(tmp_path, fake_encoder)

    def off(question, first):
        u = Understanding(question=question, intent="deadline", agencies=["Sở Tài chính"], surfaces=["Sở Tài chính"])
        hits = s.search(question, k=5, lexical_query=keywords_of(question))
        hits.sort(key=lambda h: first not in h.chunk.text)
        return subject_off_topic(s, u, hits)
    # the survey is the construction department's; the finance department's own task is on funds
    assert off("Sở Tài chính phải khảo sát các điểm sạt lở, lập bản đồ nguy cơ trước ngày nào?", "khảo sát")
    assert not off("Sở Tài chính phải bố trí kinh phí cho các công trình kè trước ngày nào?", "khảo sát")
    # an agency named further on is not the one that acts ("the survey the finance department asked for")
    assert not off("Hạn khảo sát các điểm sạt lở, lập bản đồ nguy cơ mà Sở Tài chính đề nghị?", "khảo sát")


def keywords_of(question):
    return understand(question).keywords
