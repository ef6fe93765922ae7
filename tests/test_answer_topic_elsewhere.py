"""An agency's tasks are no answer to "what must X do in <topic>" when the topic is plainly in a plan where X has
no task (issue 9, no-answer on plans-dev)."""
from kehoach.index.search import Filters, Hit
from kehoach.qa.answer import Composer, build_answer
from kehoach.qa.engine import Engine
from kehoach.qa.intent import Understanding
from kehoach.records import Chunk


def _hit(doc, text, cov_bi=0.0, dense_z=0.0, lead=("Bộ Y tế",)):
    c = Chunk(id=hash(text) % 1000, doc=doc, lines=[3, 3], section="1", kind="task", text=text, text_restored=None,
              headings=[], segmented="", lead=list(lead), support=[], deadline=None)
    return Hit(c, 1.0, cov_bi=cov_bi, dense_z=dense_z)


class _Searcher:
    def __init__(self, hits):
        self.hits = hits

    def search(self, *args, **kwargs):
        return self.hits


def _engine(anywhere):
    eng = Engine.__new__(Engine)
    eng.searcher = _Searcher(anywhere)
    eng.plan = lambda question, filters=None: (None, Filters(agency="Bộ Y tế"))
    return eng


U = Understanding(question="Bộ Y tế làm gì trong đề án dạy nghề nông thôn?", intent="agency_tasks",
                  agencies=["Bộ Y tế"], topic="làm gì trong đề án dạy nghề nông thôn?",
                  keywords="trong de an day nghe nong thon")
OWN = [_hit("ytt.txt", "Kiểm tra an toàn thực phẩm dịp Tết")]


def test_topic_in_a_plan_without_the_agency_is_refused():
    other_plan = [_hit("day-nghe.txt", "Đề án dạy nghề nông thôn", cov_bi=1.0, dense_z=5.0, lead=("Bộ Nội vụ",))]
    assert _engine(other_plan)._topic_elsewhere(U.question, U, OWN, None, "hybrid")
    cal = {"weights": [0.0] * 9, "bias": 10.0, "threshold": 0.3, "multi_plan_ratio": 0.7}
    assert build_answer(U.question, U, OWN, Composer(plans={}, successor_of=lambda n: None), 5, cal,
                        topic_elsewhere=True).found is False


def test_topic_in_the_agencys_own_plan_or_matched_by_chance_is_kept():
    own_plan = [_hit("ytt.txt", "Đề án dạy nghề nông thôn", cov_bi=1.0, dense_z=5.0)]
    assert not _engine(own_plan)._topic_elsewhere(U.question, U, OWN, None, "hybrid")
    by_chance = [_hit("day-nghe.txt", "kế hoạch dạy", cov_bi=0.5, dense_z=-0.7, lead=("Bộ Nội vụ",))]
    assert not _engine(by_chance)._topic_elsewhere(U.question, U, OWN, None, "hybrid")


def test_a_task_the_giver_leads_itself_does_not_say_whom_it_gives_the_work_to():
    from kehoach.qa.giver import giver_only
    u = Understanding(question="Sở Xây dựng giao ai lắp đèn chiếu sáng trên tỉnh lộ?", intent="lead",
                      agencies=["Sở Xây dựng"])
    own = [_hit("xd.txt", "Sở Xây dựng đổi mới quản lý đầu tư", lead=("Sở Xây dựng",))]
    given = [_hit("xd.txt", "Giao Ban Quản lý dự án lắp đèn", lead=("Ban Quản lý dự án",))]
    assert giver_only(u, own) and not giver_only(u, given)
    asked = Understanding(question="Sở Xây dựng chủ trì lắp đèn chiếu sáng?", intent="lead", agencies=["Sở Xây dựng"])
    assert not giver_only(asked, own)
