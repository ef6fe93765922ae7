"""qa/named.py and the question readings it relies on: when an agency named in a question is really absent
from the results, and when the role asked about is. Wordings invented for these tests."""
from kehoach.corpus.agencies import Directory
from kehoach.index.search import Hit
from kehoach.qa.answer import Composer, build_answer
from kehoach.qa.intent import Understanding, understand
from kehoach.qa.named import agency_absent, printed_agencies, role_absent
from kehoach.records import Chunk

CAL = {"weights": [0.0] * 9, "bias": 10.0, "threshold": 0.3, "multi_plan_ratio": 0.7}


def _hit(text, lead=(), support=(), doc="kh.txt", kind="task", cid=1):
    c = Chunk(id=cid, doc=doc, lines=[5, 5], section="2", kind=kind, text=text, text_restored=None, headings=[],
              segmented="", lead=list(lead), support=list(support))
    return Hit(c, 5.0)


def test_a_head_word_closing_an_ordinary_word_names_no_agency():
    q = "Hạn chót số hóa hồ sơ phục vụ Đề án 09 ở Bình Định là khi nào?"
    assert printed_agencies(q) == []
    u = Understanding(question=q, intent="deadline")
    assert not agency_absent(u, [_hit("Số hóa hồ sơ phục vụ Đề án 09", lead=["Công an tỉnh"])])
    # a real unit printed by its head is still read, and still missed when no result names it
    u2 = Understanding(question="Vụ Pháp chế chủ trì rà soát văn bản nào?", intent="lead")
    assert printed_agencies(u2.question) == ["Vụ Pháp chế"]
    assert agency_absent(u2, [_hit("Rà soát văn bản", lead=["Cục Điện lực"])])


def test_the_issuer_of_the_plan_is_not_absent_from_its_units_tasks():
    u = Understanding(question="Thời hạn ban hành quy chuẩn an toàn hóa chất của Bộ Công Thương?", intent="deadline",
                      agencies=["Bộ Công Thương"])
    hits = [_hit("Ban hành quy chuẩn kỹ thuật về an toàn hóa chất", lead=["Cục Hóa chất"], doc="kh-bct.txt")]
    assert not agency_absent(u, hits, issuers={"kh-bct.txt": "Bộ Công Thương"})
    assert agency_absent(u, hits, issuers={"kh-bct.txt": "UBND tỉnh Bình Định"})
    composer = Composer(plans={"kh-bct.txt": "Kế hoạch 1"}, successor_of=lambda n: None,
                        issuers={"kh-bct.txt": "Bộ Công Thương"})
    assert build_answer(u.question, u, hits, composer, 5, CAL).found is True


def test_an_agency_named_in_a_who_question_belongs_to_the_topic():
    hits = [_hit("Tổng hợp số liệu tài sản dôi dư, gửi Bộ Tài chính trước ngày 15/3", lead=["Sở Tài chính tỉnh"])]
    who = Understanding(question="Đơn vị nào tổng hợp số liệu tài sản dôi dư gửi Bộ Tài chính?", intent="lead",
                        agencies=["Bộ Tài chính"])
    assert not agency_absent(who, hits)
    # asked about the agency itself, a passage that only mentions it does not give it the role
    own = Understanding(question="Bộ Tài chính chủ trì tổng hợp số liệu tài sản không?", intent="lead",
                        agencies=["Bộ Tài chính"])
    assert agency_absent(own, hits)


def test_partners_of_a_lead_the_directory_does_not_know_are_absent_when_the_task_names_none():
    u = Understanding(question="Ai phối hợp với Công ty Cấp nước Phú Yên lắp đồng hồ nước thông minh?",
                      intent="support")
    alone = [_hit("Lắp đồng hồ nước thông minh cho 2.000 hộ", lead=["Công ty Cấp nước Phú Yên"])]
    assert role_absent(u, alone)
    helped = [_hit("Lắp đồng hồ nước thông minh", lead=["Công ty Cấp nước Phú Yên"], support=["Sở Xây dựng"])]
    assert not role_absent(u, helped)
    other = [_hit("Lắp đồng hồ nước thông minh", lead=["Sở Xây dựng"])]
    assert not role_absent(u, other)


def test_a_directory_name_reached_by_its_start_is_not_another_citys_body():
    d = Directory.load()
    u = understand("Ủy ban nhân dân thành phố Đà Lạt ban hành quy chế làm việc khi nào?", d)
    assert not any("Quảng Ngãi" in a for a in u.agencies)


def test_which_day_asks_for_a_deadline():
    assert understand("Sở Tài chính phải nộp dự toán trước ngày nào?").intent == "deadline"
    assert understand("Hồ sơ gửi về trong quý nào?").intent == "deadline"


def test_an_agency_the_directory_lacks_asked_by_its_abbreviation_is_matched_to_the_corpus_names():
    from kehoach.qa.engine import Engine
    from kehoach.qa.named import same_printed
    assert same_printed("Phòng QL-ĐT&MT xã Tân Phú", "Phòng Quản lý, Đô thị và Môi trường")
    assert not same_printed("Phòng QL-ĐT&MT xã Tân Phú", "Phòng Quản lý")
    d = Directory.load()
    q = "Phòng QL-ĐT&MT xã Tân Phú phải làm những việc gì về nước thải?"
    u = understand(q, d)
    assert u.intent == "agency_tasks" and u.agencies and u.agencies[0].startswith("Phòng QL-ĐT&MT")

    class _Searcher:
        def printed_names(self, asked):
            from kehoach.qa.named import corpus_names
            lists = [("Phòng Quản lý, Đô thị và Môi trường",), ("Phòng Văn hóa - Xã hội", "Sở Y tế")]
            return corpus_names(asked, lists)
    eng = object.__new__(Engine)
    eng.directory, eng.searcher, eng._folded_titles = d, _Searcher(), {}
    u, flt = eng.plan(q)
    assert u.scope == {"Phòng Quản lý, Đô thị và Môi trường"} and flt.agency == u.agencies[0]


def test_partners_asked_of_a_passage_no_task_was_read_from():
    u = Understanding(question="Đơn vị nào phối hợp với Công ty Cấp nước Phú Yên xây dựng phương án thay đồng hồ nước?",
                      intent="support")
    text = ("3. Đề nghị các đơn vị sau: 3.1. Đề nghị Công ty Cấp nước Phú Yên xây dựng phương án thay đồng hồ nước "
            "cho các hộ dân. "
            "3.2. Đề nghị Tỉnh Đoàn chủ trì, phối hợp với Sở Y tế tổ chức hiến máu.")
    assert role_absent(u, [_hit(text, kind="narrative")])
    named = text.replace("hộ dân.", "hộ dân, phối hợp với Sở Xây dựng kiểm tra.")
    assert not role_absent(u, [_hit(named, kind="narrative")])


def test_a_name_with_a_comma_read_as_two_is_still_the_agency_asked():
    from kehoach.qa.named import corpus_names
    lists = [("Phòng Quản lý", "Đô thị và Môi trường"), ("Phòng Quản lý",), ("Sở Y tế", "Sở Tài chính")]
    assert corpus_names("Phòng QL-ĐT&MT xã Tân Phú", lists) == {"Phòng Quản lý", "Đô thị và Môi trường"}
    assert corpus_names("Sở YT", lists) == set()


def test_a_who_question_names_an_agency_in_the_topic_by_its_common_words():
    d = Directory.load()
    u = understand("Bộ nào chủ trì soạn văn bản hướng dẫn các địa phương lập kế hoạch chống hạn?", d)
    assert u.agencies and "các địa phương" in u.surfaces
    hits = [_hit("Chủ trì soạn văn bản hướng dẫn các địa phương lập kế hoạch chống hạn", lead=["Bộ Xây dựng"])]
    assert not agency_absent(u, hits)


def test_a_unit_asked_with_its_ward_is_the_unit_its_own_plan_names_with_the_level_word_only():
    from kehoach.qa.named import corpus_names
    lists = [("Đội Dân phòng xã",), ("Ban Chỉ huy Quân sự xã", "Trạm Y tế xã")]
    assert corpus_names("Đội Dân phòng xã Tam Kỳ", lists) == {"Đội Dân phòng xã"}
    # "Quân sự" is a word of the name, not the district ("quận") the place list holds
    assert corpus_names("Ban Chỉ huy Quân sự xã Tam Kỳ", lists) == {"Ban Chỉ huy Quân sự xã"}
    assert corpus_names("Ban Chỉ huy Quân sự", lists) == set()


def test_a_department_asked_with_the_provinces_words_is_the_national_plans_name_for_them():
    from kehoach.qa.engine import Engine
    from kehoach.qa.named import qualified_names
    lists = [("Sở Tư pháp các tỉnh, thành phố trực thuộc trung ương",), ("Sở Tư pháp",), ("Sở Tư pháp tỉnh Bình Định",)]
    q = "Sở Tư pháp các tỉnh phải rà soát văn bản quy phạm pháp luật trước ngày nào?"
    assert qualified_names(q, ["Sở Tư pháp"], lists) == {"Sở Tư pháp các tỉnh, thành phố trực thuộc trung ương"}
    assert qualified_names("Sở Tư pháp phải rà soát văn bản trước ngày nào?", ["Sở Tư pháp"], lists) == set()

    class _Searcher:
        def agency_lists(self):
            return lists
    eng = object.__new__(Engine)
    eng.directory, eng.searcher, eng._folded_titles = Directory.load(), _Searcher(), {}
    u, _ = eng.plan(q)
    hits = [_hit("Rà soát văn bản quy phạm pháp luật; xong trước ngày 30/6",
                 lead=["Sở Tư pháp các tỉnh, thành phố trực thuộc trung ương"])]
    assert not agency_absent(u, hits)


def test_a_ministrys_own_unit_is_asked_by_its_head_before_the_ministry():
    from kehoach.qa.engine import Engine
    from kehoach.qa.named import corpus_names
    d = Directory.load()
    u = understand("Văn phòng Bộ Tài chính phải làm gì về cải cách thủ tục hành chính?", d)
    assert u.agencies == ["Văn phòng Bộ Tài chính"] and u.intent == "agency_tasks"
    assert "Bộ Tài chính" in u.topic     # the ministry's name finds the ministry's own plans
    lists = [("Văn phòng Bộ", "Vụ Pháp chế"), ("Bộ Tài chính",), ("Văn phòng UBND tỉnh",)]
    assert corpus_names("Văn phòng Bộ Tài chính", lists) == {"Văn phòng Bộ"}

    class _Searcher:
        def printed_names(self, asked):
            return corpus_names(asked, lists)
    eng = object.__new__(Engine)
    eng.directory, eng.searcher, eng._folded_titles = d, _Searcher(), {}
    u, _ = eng.plan("Thời hạn Văn phòng Bộ Tài chính công bố thủ tục hành chính là khi nào?")
    assert u.intent == "deadline" and u.scope == {"Văn phòng Bộ"}
    hits = [_hit("Công bố thủ tục hành chính mới trước ngày 15/4", lead=["Văn phòng Bộ"])]
    assert not agency_absent(u, hits)


def test_when_asked_of_those_the_top_task_puts_to_work_its_deadline_answers():
    hits = [_hit("Hướng dẫn các hợp tác xã nông nghiệp lập sổ sách kế toán điện tử; hoàn thành trong Quý III/2027",
                 lead=["Sở Tài chính"])]
    u = Understanding(question="Hạn chót các hợp tác xã nông nghiệp lập sổ sách kế toán điện tử?", intent="deadline",
                      agencies=["Các hợp tác xã"], surfaces=["các hợp tác xã"])
    assert not agency_absent(u, hits)
    # asked who leads it, the same mention gives them no role
    lead = Understanding(question="Các hợp tác xã chủ trì lập sổ sách kế toán điện tử không?", intent="lead",
                         agencies=["Các hợp tác xã"], surfaces=["Các hợp tác xã"])
    assert agency_absent(lead, hits)
