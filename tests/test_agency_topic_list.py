"""'What must X do about <topic>': the list ends where relevance falls, so its count means tasks on the topic."""
from kehoach.index.search import Hit
from kehoach.qa.answer import Composer, on_topic
from kehoach.qa.intent import Understanding
from kehoach.records import Chunk


def _task(cid, text, lead):
    return Chunk(id=cid, doc="kh.txt", lines=[cid, cid], section=f"{cid}", kind="task", text=text,
                 text_restored=None, headings=[], segmented="", lead=[lead], support=[])


def _hits(scores):
    return [Hit(_task(i, f"Nhiệm vụ {i}", "Sở Y tế"), s) for i, s in enumerate(scores, 1)]


def test_the_list_ends_at_the_first_sharp_fall():
    rows = [(h, "lead") for h in _hits([9.0, 8.2, 7.5, 3.1, 2.9, 2.7])]
    assert [h.chunk.id for h, _ in on_topic(rows)] == [1, 2, 3]


def test_without_a_fall_every_task_stays():
    rows = [(h, "lead") for h in _hits([5.0, 4.5, 4.0, 3.6, 3.2])]
    assert len(on_topic(rows)) == 5
    assert on_topic([]) == []


def test_the_answer_counts_only_the_tasks_on_the_topic():
    composer = Composer(plans={"kh.txt": "Kế hoạch 1"}, successor_of=lambda name: None)
    topic = Understanding(question="Sở Y tế phải làm gì về tiêm chủng?", intent="agency_tasks",
                          agencies=["Sở Y tế"], scope={"Sở Y tế"}, keywords="tiem chung")
    text = composer._agency_tasks(topic, _hits([6.0, 5.5, 1.2, 1.1]))
    assert text.startswith("Sở Y tế: 2 nhiệm vụ")
    # No topic ("Sở Y tế làm gì?"): every task of the agency, scores all equal.
    listing = Understanding(question="Sở Y tế làm gì?", intent="agency_tasks", agencies=["Sở Y tế"],
                            scope={"Sở Y tế"})
    assert composer._agency_tasks(listing, _hits([0.0] * 4)).startswith("Sở Y tế: 4 nhiệm vụ")
