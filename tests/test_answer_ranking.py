"""Field questions answered by tasks, not by a plan's title; a role the plan does not name is not invented."""
from __future__ import annotations

from kehoach.corpus.agencies import Directory
from kehoach.eval.gold import GoldAgencies, folded_names
from kehoach.index.search import Hit
from kehoach.qa.answer import Composer, build_answer, rerank, role_absent
from kehoach.qa.intent import Understanding, understand
from kehoach.records import Chunk

CAL = {"bonus_field": 0.6, "bonus_narrative_fact": 0.6, "bonus_agency_lead": 1.0, "bonus_agency_support": 0.3}


def _chunk(text, kind="task", lead=(), support=(), doc="qd.txt", cid=1):
    return Chunk(id=cid, doc=doc, lines=[cid, cid + 1], section="", kind=kind, text=text, text_restored=None,
                 headings=[], segmented="", lead=list(lead), support=list(support), deadline=None)


def test_a_field_question_prefers_the_plans_task_over_its_title():
    title = Hit(_chunk("Quyết định phê duyệt Đề án phát triển dịch vụ môi trường", kind="narrative"), 9.0)
    other = Hit(_chunk("Mục tiêu của đề án", kind="narrative", cid=2), 8.0)
    task = Hit(_chunk("Bộ X chủ trì tổ chức thực hiện Đề án", lead=["Bộ X"], cid=3), 5.0)
    u = Understanding(question="Bộ nào chủ trì tổ chức thực hiện Đề án?", intent="lead")
    assert [h.chunk.id for h in rerank([title, other, task], u, CAL)][0] == 3


def test_a_task_of_another_plan_does_not_displace_the_title():
    title = Hit(_chunk("Đề án phát triển dịch vụ môi trường", kind="narrative"), 9.0)
    task = Hit(_chunk("Bộ X chủ trì việc khác", lead=["Bộ X"], doc="other.txt", cid=3), 5.0)
    u = Understanding(question="Bộ nào chủ trì Đề án?", intent="lead")
    assert rerank([title, task], u, CAL)[0].chunk.id == 1
    closing = Hit(_chunk("IV. Tổ chức thực hiện: Sở X theo dõi, đôn đốc", kind="narrative", cid=40), 9.0)
    same_doc = Hit(_chunk("Bộ X chủ trì", lead=["Bộ X"], cid=41), 5.0)
    assert rerank([closing, same_doc], u, CAL)[0].chunk.id == 40
    u_fact = Understanding(question="Đề án có bao nhiêu dự án?", intent="fact")
    same = Hit(_chunk("Bộ X chủ trì", lead=["Bộ X"], cid=4), 5.0)
    assert rerank([title, same], u_fact, CAL)[0].chunk.id == 1


def test_support_of_a_task_without_partners_is_not_answered():
    u = Understanding(question="Sở nào phối hợp với Sở Tài chính xây dựng cơ chế?", intent="support",
                      agencies=["Sở Tài chính"])
    alone = [Hit(_chunk("Xây dựng cơ chế tài chính", lead=["Sở Tài chính"]), 5.0)]
    paired = [Hit(_chunk("Xây dựng cơ chế tài chính", lead=["Sở Tài chính"], support=["Sở Nội vụ"]), 5.0)]
    assert role_absent(u, alone) and not role_absent(u, paired)
    cal = {"weights": [0.0] * 9, "bias": 10.0, "threshold": 0.3, "multi_plan_ratio": 0.7}
    composer = Composer(plans={"qd.txt": "QĐ"}, successor_of=lambda name: None)
    assert build_answer(u.question, u, alone, composer, 5, cal).found is False
    assert build_answer(u.question, u, paired, composer, 5, cal).found is True


def test_responsibilities_of_a_named_agency_are_its_tasks():
    assert understand("Sở Xây dựng có trách nhiệm gì trong chương trình nhà ở?", Directory.load()).intent \
        == "agency_tasks"


def test_harness_resolves_gold_agencies_in_their_documents_context():
    d = Directory.load()

    class Doc:
        def __init__(self, issuer, lines):
            self.info = type("I", (), {"issuer": issuer, "title": lines[0], "subject": None})()
            self.lines = lines

    docs = {"tb.txt": Doc("Văn phòng Chính phủ", ["THÔNG BÁO Kết luận của Phó Thủ tướng Chính phủ"])}
    gold = GoldAgencies(d, docs)
    printed = gold.names(["Ngân hàng Chính sách Xã hội"], "tb.txt")
    assert printed == folded_names(["Ngân hàng Chính sách xã hội Việt Nam"])
    assert gold.names(["Bộ Tài chính"], "tb.txt") != gold.names(["Bộ Nội vụ"], "tb.txt")
    assert gold.names(["Sở Y tế"], "missing.txt") == folded_names(["Sở Y tế"])


def test_a_longer_printed_name_beats_a_directory_prefix():
    d = Directory.load()
    u = understand("Trung tâm Khuyến ngư Quốc gia được giao việc gì về tôm giống?", d)
    assert u.agencies == ["Trung tâm Khuyến ngư Quốc gia"]
    # a shortened directory name with nothing printed after it is still that agency
    assert understand("Sở giáo dục phải làm gì về STEM?", d).agencies == ["Sở Giáo dục và Đào tạo"]


def test_what_an_agency_must_do_lists_the_tasks_it_leads_before_those_it_supports():
    helps = Hit(_chunk("Phối hợp Đội Dân phòng xã kiểm tra áo phao trong mùa mưa bão 2027", lead=["Trạm Y tế xã"],
                       support=["Đội Dân phòng xã"], cid=1), 9.0)
    title = Hit(_chunk("Kế hoạch phòng chống bão năm 2027", kind="narrative", cid=5), 8.5)
    leads = Hit(_chunk("Tổ chức sơ tán dân khỏi vùng ngập", lead=["Đội Dân phòng xã"], cid=3), 7.0)
    u = Understanding(question="Đội Dân phòng xã phải làm gì trong mùa mưa bão?", intent="agency_tasks",
                      agencies=["Đội Dân phòng xã"], scope={"Đội Dân phòng xã"}, keywords="mua mua bao")
    cal = {**CAL, "weights": [0.0] * 9, "bias": 10.0, "threshold": 0.3, "multi_plan_ratio": 0.7}
    composer = Composer(plans={"qd.txt": "Kế hoạch 7"}, successor_of=lambda n: None)
    a = build_answer(u.question, u, [helps, title, leads], composer, 5, cal)
    assert [r.lines[0] for r in a.results] == [3, 5, 1]


def test_under_a_winning_title_the_plans_task_holding_most_of_the_question_answers():
    def hit(c, score, uni, bi):
        h = Hit(c, score)
        h.cov_uni, h.cov_bi = uni, bi
        return h
    title = hit(_chunk("QUYẾT ĐỊNH Phê duyệt Chương trình trồng rừng ven biển", kind="narrative", cid=1), 9.0, .7, .5)
    echo = hit(_chunk("Đo đạc diện tích rừng ven biển", lead=["Cục Lâm nghiệp"], cid=10), 8.0, .3, .1)
    asked = hit(_chunk("Ban hành kế hoạch trồng rừng tại địa phương trước ngày 30/9",
                       lead=["UBND các tỉnh"], cid=20), 6.0, .5, .3)
    u = Understanding(question="Các tỉnh phải ban hành kế hoạch trồng rừng ven biển trước ngày nào?", intent="deadline")
    assert rerank([title, echo, asked], u, CAL)[0].chunk.id == 20
