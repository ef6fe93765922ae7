"""Plain records shared by every layer: corpus -> index -> qa -> ui/eval.

They hold data only; behaviour lives in the modules that produce them.
Line spans are 1-based and inclusive, in the file as given (bundled or user).
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Task:
    """One assigned task of a plan, with who leads it, who helps and by when."""

    doc: str                      # file name as bundled or given
    lines: list[int]              # [start, end], task text plus its labelled lines
    section: str                  # "II.5.d", "5.5"
    headings: list[str]           # titles of the enclosing sections, outermost first
    text: str                     # task text as printed (labels excluded)
    lead: list[str] = field(default_factory=list)      # canonical agency names
    support: list[str] = field(default_factory=list)   # canonical agency names
    deadline: str | None = None   # display text, as printed (restored if OCR)
    deadline_years: list[int] | None = None  # [from, to]
    recurring: bool = False       # thường xuyên / hằng năm
    due: str | None = None        # ISO date of the last day the deadline allows; None when none
    raw_lead: str | None = None   # agency text as printed (as restored, for a plan typed without marks)
    raw_support: str | None = None
    text_restored: str | None = None  # diacritics restored (OCR docs); None when clean
    # Other named columns of a table row or labelled lines ("Kết quả", "Sản phẩm"), as printed.
    fields: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def display_text(self) -> str:
        return self.text_restored or self.text


@dataclass
class Passage:
    """Narrative text outside tasks (objectives, report paragraphs), kept for chunking."""

    doc: str
    lines: list[int]
    section: str
    headings: list[str]
    text: str
    text_restored: str | None = None

    @property
    def display_text(self) -> str:
        return self.text_restored or self.text


@dataclass
class PlanInfo:
    """What a plan is: read off the document (or the bundled metadata file)."""

    doc: str
    title: str                    # "Kế hoạch số 214/KH-UBND ngày 06/11/2024 của UBND tỉnh Quảng Ngãi"
    number: str | None = None     # "214/KH-UBND"
    date: str | None = None       # ISO "2024-11-06"
    issuer: str | None = None     # "UBND tỉnh Quảng Ngãi"
    subject: str | None = None    # the plan's own heading line(s)
    kind: str = "plan"            # "plan" | "report"
    # Finer kind as printed: kế hoạch, chỉ thị, quyết định, thông báo, công điện, phụ lục, báo cáo.
    doc_type: str | None = None
    period: str | None = None     # the plan's own period as printed ("đến năm 2030")


@dataclass
class Document:
    """A loaded and parsed file."""

    doc: str
    path: str
    sha256: str
    lines: list[str]              # file lines, lines[i - 1] is line i
    info: PlanInfo
    ocr: bool = False             # damaged OCR text detected
    tasks: list[Task] = field(default_factory=list)
    passages: list[Passage] = field(default_factory=list)
    restored_lines: list[str] | None = None  # same numbering as lines


@dataclass
class Chunk:
    """The unit the index stores and retrieval returns."""

    id: int
    doc: str
    lines: list[int]
    section: str
    kind: str                     # "task" | "narrative"
    text: str                     # as printed, for citation and the lexical side
    text_restored: str | None     # for display and for the dense model
    headings: list[str]
    segmented: str                # pyvi ViTokenizer output of the dense text
    lead: list[str] = field(default_factory=list)
    support: list[str] = field(default_factory=list)
    deadline: str | None = None
    deadline_years: list[int] | None = None
    recurring: bool = False
    due: str | None = None
    fields: dict[str, str] = field(default_factory=dict)   # the task's other named columns, as printed

    @property
    def display_text(self) -> str:
        return self.text_restored or self.text


@dataclass
class Evidence:
    """A progress-report passage that describes what was done on a task."""

    doc: str
    lines: list[int]
    section: str
    text: str
    score: float

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Result:
    """One entry of an answer's `results`: the JSON contract's fields."""

    doc: str
    plan: str
    lines: list[int]
    section: str
    text: str
    lead: list[str]
    support: list[str]
    deadline: str | None
    score: float
    text_restored: str | None = None   # diacritics restored, for reading OCR plans; null when clean
    due: str | None = None             # ISO last day of the deadline; null when none
    status: str | None = None          # overdue | due_this_year | upcoming | recurring | no_deadline
    held_by: list[str] = field(default_factory=list)          # today's holders of the lead, after mergers
    taken_over_from: list[str] = field(default_factory=list)  # agencies the filtered one succeeded
    evidence: list[Evidence] = field(default_factory=list)    # progress-report passages on this task

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Answer:
    """What `kehoach ask` returns; `to_dict()` is the stable JSON contract."""

    question: str
    intent: str
    found: bool
    confidence: float
    answer: str
    results: list[Result] = field(default_factory=list)
    error: str | None = None      # set for rejected questions (empty, too long, ...)

    def to_dict(self) -> dict[str, Any]:
        d = {
            "question": self.question,
            "intent": self.intent,
            "found": self.found,
            "confidence": round(float(self.confidence), 4),
            "answer": self.answer,
            "results": [r.to_dict() for r in self.results],
        }
        if self.error:
            d["error"] = self.error
        return d
