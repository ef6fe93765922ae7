"""A fast stand-in for `kehoach.qa.engine.Engine`, for the web interface's tests.

Same public interface as the real engine; canned tasks are real tasks of the
bundled plans 000-003 (line spans point at the bundled files, so `source`
reads real text). Ranking is plain folded-word overlap: good enough to drive
the interface, never a measure of retrieval quality.
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

from kehoach.config import Config, bundled_corpus_dir
from kehoach.corpus.text import fold
from kehoach.records import Answer, PlanInfo, Result

D000, D001, D002, D003, D004 = (
    "000_1a3c12a4bbd0c4a1.txt", "001_221ff7e4d995610f.txt", "002_35167d8e84df94df.txt",
    "003_c617c443f43b7eb5.txt", "004_09f7ad3c659a1bb1.txt")
HOSTILE_DOC = "999_hostile.txt"
XSS = "<img src=x onerror=alert(1)>"

GD = "Sở Giáo dục và Đào tạo"
TTTT = "Sở Thông tin và Truyền thông"
KHCN = "Sở Khoa học và Công nghệ"
LDTBXH = "Sở Lao động - Thương binh và Xã hội"
NOI_VU = "Sở Nội vụ"
SO_NGANH = "Các sở, ban, ngành"
HUYEN = "UBND các huyện, thị xã, thành phố"

PLANS = {
    D000: PlanInfo(D000, "Kế hoạch triển khai Chương trình hành động số 37-CTr/TU của UBND tỉnh Quảng Ngãi",
                   None, "2019-01-01", "UBND tỉnh Quảng Ngãi"),
    D001: PlanInfo(D001, "Kế hoạch số 66/KH-UBND ngày 18/5/2020 của UBND tỉnh Quảng Ngãi",
                   "66/KH-UBND", "2020-05-18", "UBND tỉnh Quảng Ngãi"),
    D002: PlanInfo(D002, "Kế hoạch ngày 29/7/2021 của Sở Công Thương Quảng Ngãi",
                   None, "2021-07-29", "Sở Công Thương"),
    D003: PlanInfo(D003, "Kế hoạch số 214/KH-UBND ngày 06/11/2024 của UBND tỉnh Quảng Ngãi",
                   "214/KH-UBND", "2024-11-06", "UBND tỉnh Quảng Ngãi"),
    D004: PlanInfo(D004, "Báo cáo năm 2025 của Sở Khoa học và Công nghệ",
                   None, "2025-01-01", KHCN, kind="report"),
}
OCR_DOCS = {D000, D001, D004}

# Abbreviations and successors (from 1 March 2025) the fake resolves for the agency filter.
ALIASES = {"so tttt": TTTT, "so gddt": GD, "so gd dt": GD, "so khcn": KHCN, "so ldtbxh": LDTBXH}
SUCCESSOR = {TTTT: KHCN, LDTBXH: NOI_VU}

# A handful of OCR repairs so `source` can return a "restored" column for OCR plans.
_RESTORE = {"gido": "giáo", "duc": "dục", "Gido": "Giáo", "S&": "Sở", "S¢": "Sở", "Pao": "Đào",
            "Dao": "Đào", "tao": "tạo", "Giao": "Giáo", "Co": "Cơ", "quan": "quan", "chu": "chủ",
            "tri:": "trì:", "Thoi": "Thời", "gian": "gian", "thuc": "thực", "hién:": "hiện:",
            "Théng": "Thông", "tin": "tin", "Truyén": "Truyền", "thong.": "thông.", "dir": "dữ"}

_QUESTION_WORDS = {"nao", "gi", "ai", "dau", "bao", "gio", "khi", "la", "ve", "cua", "phai", "lam",
                   "co", "khong", "han", "chot", "the", "nhu", "nhung", "hay"}


@dataclass
class FakeTask:
    doc: str
    lines: list[int]
    section: str
    text: str
    lead: list[str]
    support: list[str] = field(default_factory=list)
    deadline: str | None = None
    years: tuple[int, int] | None = None
    restored: str | None = None

    @property
    def display(self) -> str:
        return self.restored or self.text


TASKS = [
    FakeTask(D000, [484, 499], "III.4.d",
             "Tham muu UBND tinh ban hanh chinh sach, n61 dung, phuwong phap giao duc maéi nham tao ra "
             "ngudn lyc c6 kha ning t1ep nhan cac xu thé cong nghé mai, trong d6 can tap trung vao thiic "
             "day dao tao vé khoa hoc, cong ngh¢, ky thuat va toan hoc (STEM), ngoai ngt, tin hoc trong "
             "chuong trinh gido duc ph6 thong;",
             [GD], ["Các cơ quan, tổ chức liên quan"], "năm 2020", (2020, 2020),
             "Tham mưu UBND tỉnh ban hành chính sách, nội dung, phương pháp giáo dục mới nhằm tạo ra nguồn "
             "lực có khả năng tiếp nhận các xu thế công nghệ mới, trong đó cần tập trung vào thúc đẩy đào "
             "tạo về khoa học, công nghệ, kỹ thuật và toán học (STEM), ngoại ngữ, tin học trong chương "
             "trình giáo dục phổ thông;"),
    FakeTask(D000, [471, 482], "III.4.c",
             "Xay dung ké hoach thyc hién dén nim 2025 dé tinh Quang Ngai la dia phuong c6 it nhat 02 "
             "truong nghe uy tin trong ving kinh té trong d1em mlen Trung",
             [LDTBXH], [], "Xây dựng kế hoạch hoàn thành trong năm 2020; thực hiện đến năm 2025",
             (2020, 2025),
             "Xây dựng kế hoạch thực hiện đến năm 2025 để tỉnh Quảng Ngãi là địa phương có ít nhất 02 "
             "trường nghề uy tín trong vùng kinh tế trọng điểm miền Trung"),
    FakeTask(D001, [339, 355], "III.3.c",
             "Tiép tuc thurc hién Dé an tang cudng co 8¢ vit chit phuc vu gido duc STEM; ting cudng t6 "
             "chirc tip hudn va té chirc cac hoat dong trai nghiém sang tao cho gido vién va hoc sinh",
             [GD], [], "Năm 2025 - 2030; năm 2030 - 2045", (2025, 2045),
             "Tiếp tục thực hiện Đề án tăng cường cơ sở vật chất phục vụ giáo dục STEM; tăng cường tổ "
             "chức tập huấn và tổ chức các hoạt động trải nghiệm sáng tạo cho giáo viên và học sinh"),
    FakeTask(D001, [463, 467], "III.8.a",
             "Xdy dung va trién khai De an Chuyen dbi s6 tinh Quéng Ngai/Ké hoach trién khai Dé an "
             "chuyén déi s6 qubc gia.",
             [TTTT], [], "Năm 2021 và những năm tiếp theo", (2021, 2030),
             "Xây dựng và triển khai Đề án Chuyển đổi số tỉnh Quảng Ngãi/Kế hoạch triển khai Đề án "
             "chuyển đổi số quốc gia."),
    FakeTask(D001, [481, 488], "III.8.c",
             "Piéu phdi, phdi hop trién khai xdy dung va vén hanh céc co sd dir ligu québc gia, trong do "
             "tap trung 06 Co s¢ dir liéu quéc gia trong diém",
             [TTTT], [], "Năm 2021 - 2025", (2021, 2025),
             "Điều phối, phối hợp triển khai xây dựng và vận hành các cơ sở dữ liệu quốc gia, trong đó "
             "tập trung 06 cơ sở dữ liệu quốc gia trọng điểm; trung tâm dữ liệu"),
    FakeTask(D002, [137, 141], "5.a",
             "Phối hợp với Sở Tài nguyên và Môi trường xây dựng Phương án bảo vệ, khai thác, sử dụng tài "
             "nguyên khoáng sản tỉnh Quảng Ngãi (trừ khoáng sản làm vật liệu xây dựng) thời kỳ 2021-2030, "
             "tầm nhìn đến năm 2050.",
             ["Phòng Quản lý Công nghiệp (Sở Công Thương)"],
             ["Các phòng, đơn vị thuộc Sở Công Thương"], None, (2021, 2030)),
    FakeTask(D003, [152, 155], "5.4",
             "Bảo đảm cân đối chi thường xuyên ngân sách nhà nước hàng năm cho khoa học, công nghệ và "
             "đổi mới sáng tạo theo quy định của pháp luật.",
             ["Sở Tài chính"], [SO_NGANH, HUYEN]),
    FakeTask(D003, [156, 160], "5.5",
             "Thực hiện chiến lược giáo dục phù hợp với yêu cầu công nghiệp hoá, hiện đại hoá; phát triển "
             "một số cơ sở giáo dục đại học trọng điểm ngành về lĩnh vực kỹ thuật, công nghệ. Triển khai "
             "các hoạt động đào tạo kiến thức, kỹ năng về khoa học - công nghệ và đổi mới sáng tạo trong "
             "các trường phổ thông (STEM, STEAM).",
             [GD], [SO_NGANH, HUYEN]),
    FakeTask(D003, [171, 174], "6.2",
             "Thực hiện có hiệu quả các nhiệm vụ đã ban hành tại Chiến lược quốc gia phát triển kinh tế "
             "số và xã hội số đến năm 2025, định hướng đến năm 2030; Chương trình Chuyển đổi số quốc gia.",
             [TTTT], [SO_NGANH, HUYEN], None, (2025, 2030)),
]

# A plan whose own text carries markup: the interface must show it as text.
HOSTILE_LINES = [
    "KẾ HOẠCH thử nghiệm <script>alert('title')</script>",
    f"a) Kiểm tra an toàn thực phẩm y tế {XSS} <b>in đậm</b>",
    "- Cơ quan chủ trì: Sở Y tế.",
    "- Thời gian thực hiện: năm 2025.",
]
HOSTILE_PLAN = PlanInfo(HOSTILE_DOC, f"Kế hoạch thử <b>đậm</b> {XSS}", None, "2025-01-01", "UBND tỉnh")
HOSTILE_TASK = FakeTask(HOSTILE_DOC, [2, 4], "1.a", HOSTILE_LINES[1].removeprefix("a) "),
                        ["Sở Y tế"], [], "năm 2025", (2025, 2025))


class FakeEngine:
    """Thread-safe, instant (or `delay` seconds per question), deterministic."""

    def __init__(self, cfg: Config | None = None, delay: float = 0.0, hostile: bool = False):
        self.cfg = cfg or Config()
        self.delay = delay
        self.plans = dict(PLANS)
        self.tasks = list(TASKS)
        self._extra_lines: dict[str, list[str]] = {}
        if hostile:
            self.plans[HOSTILE_DOC] = HOSTILE_PLAN
            self.tasks.append(HOSTILE_TASK)
            self._extra_lines[HOSTILE_DOC] = HOSTILE_LINES
        self._lock = threading.Lock()
        self.calls = 0

    # ---- the Engine interface ------------------------------------------------------
    def ask(self, question: str, k: int = 10, filters: dict | None = None) -> Answer:
        with self._lock:
            self.calls += 1
        if self.delay:
            time.sleep(self.delay)
        q = (question or "").strip()
        if not q:
            return self._reject(q, "Câu hỏi trống (empty question).")
        if len(q) > self.cfg.max_question_chars:
            return self._reject(q, f"Câu hỏi dài quá {self.cfg.max_question_chars} ký tự (too long).")
        words = [w for w in fold(q).split() if w not in _QUESTION_WORDS and len(w) > 1]
        if not any(ch.isalpha() for ch in q):
            return self._reject(q, "Câu hỏi không có chữ (no words).")
        intent = self._intent(fold(q))
        scored = []
        for t in self._filtered(filters or {}):
            hay = set(fold(" ".join([t.text, t.display, *t.lead, *t.support])).split())
            hit = sum(w in hay for w in words)
            if hit:
                scored.append((hit / max(len(words), 1), t))
        scored.sort(key=lambda p: -p[0])
        results = [self._result(t, s) for s, t in scored[:k]]
        if not results:
            return Answer(q, intent, False, 0.0, "Không tìm thấy nhiệm vụ phù hợp trong các văn bản.")
        best = scored[0][1]
        if intent == "who":
            text = f"{'; '.join(best.lead)} chủ trì: {best.display[:160]}"
        elif intent == "when":
            text = f"Thời gian thực hiện: {best.deadline or 'không ghi'} — {best.display[:160]}"
        else:
            text = best.display[:200]
        return Answer(q, intent, True, round(0.95 * scored[0][0], 4), text, results)

    def documents(self) -> list[PlanInfo]:
        return [self.plans[d] for d in sorted(self.plans)]

    def agencies(self) -> list[str]:
        return sorted({a for t in self.tasks for a in (*t.lead, *t.support)})

    def tasks_for_agency(self, agency: str, as_of=None, status=None, doc=None) -> list[dict]:
        wanted = self._agency_names(agency)
        out = []
        for t in self.tasks:
            role = "chủ trì" if wanted & set(t.lead) else "phối hợp" if wanted & set(t.support) else None
            if role:
                out.append({"doc": t.doc, "plan": self.plans[t.doc].title, "section": t.section,
                            "lines": list(t.lines), "text": t.display, "lead": list(t.lead),
                            "support": list(t.support), "deadline": t.deadline, "role": role,
                            "held_by": [SUCCESSOR.get(n, n) for n in t.lead], "taken_over_from": [],
                            "status": "no_deadline" if not t.years else "overdue", "evidence": []})
        wanted_status = {status} if isinstance(status, str) else set(status or [])
        return [r for r in out if not wanted_status or r["status"] in wanted_status]

    def source(self, doc: str, lines: list[int], context: int = 2) -> dict:
        if doc not in self.plans:
            raise KeyError(doc)
        text = self._lines(doc)
        start = max(1, lines[0] - context)
        end = min(len(text), lines[-1] + context)
        printed = text[start - 1:end]
        restored = None
        if doc in OCR_DOCS:
            restored = [" ".join(_RESTORE.get(w, w) for w in line.split()) for line in printed]
        return {"doc": doc, "plan": self.plans[doc].title, "start": start, "end": end,
                "focus": [lines[0], lines[-1]], "lines": printed, "restored": restored}

    def health(self) -> dict:
        return {"status": "ok", "documents": len(self.plans), "chunks": len(self.tasks),
                "model": {"name": "fake"}, "index": {"kind": "fake"}}

    # ---- helpers ---------------------------------------------------------------------
    def _lines(self, doc: str) -> list[str]:
        if doc in self._extra_lines:
            return self._extra_lines[doc]
        return (bundled_corpus_dir() / doc).read_text(encoding="utf-8").splitlines()

    @staticmethod
    def _intent(fq: str) -> str:
        if any(w in f" {fq} " for w in (" nao ", " ai ", " chu tri ")):
            return "who"
        if any(w in f" {fq} " for w in (" han ", " bao gio ", " khi nao ", " thoi gian ")):
            return "when"
        return "what"

    def _agency_names(self, agency: str) -> set[str]:
        key = fold(agency)
        names = {a for a in self.agencies() if fold(a) == key or key and key in fold(a)}
        if key in ALIASES:
            names.add(ALIASES[key])
        names |= {old for old, new in SUCCESSOR.items() if new in names}
        return names

    def _filtered(self, filters: dict) -> list[FakeTask]:
        out = self.tasks
        if filters.get("doc"):
            out = [t for t in out if t.doc == filters["doc"]]
        if filters.get("agency"):
            names = self._agency_names(filters["agency"])
            out = [t for t in out if names & set(t.lead + t.support)]
        lo, hi = filters.get("year_from"), filters.get("year_to")
        if lo is not None or hi is not None:
            lo, hi = lo or 0, hi or 9999
            out = [t for t in out if t.years and t.years[0] <= hi and t.years[1] >= lo]
        return out

    def _result(self, t: FakeTask, score: float) -> Result:
        return Result(t.doc, self.plans[t.doc].title, list(t.lines), t.section, t.text,
                      list(t.lead), list(t.support), t.deadline, round(score, 4), t.restored)

    @staticmethod
    def _reject(q: str, message: str) -> Answer:
        return Answer(q, "none", False, 0.0, message, error=message)


def main(argv: list[str] | None = None) -> None:
    """Serve the page on the fake engine: `python tests/ui_fake_engine.py --port 7861`
    (used by the browser and proxy tests and by scripts/load_test.py --fake)."""
    import argparse

    from kehoach.ui.server import serve

    p = argparse.ArgumentParser(description=main.__doc__)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=7860)
    p.add_argument("--root-path", default="")
    p.add_argument("--auth")
    p.add_argument("--delay", type=float, default=0.0, help="seconds per question, to mimic the model")
    p.add_argument("--hostile", action="store_true", help="add a plan whose text carries HTML")
    a = p.parse_args(argv)
    raise SystemExit(serve(Config(), a.host, a.port, a.root_path, a.auth, None,
                           engine=FakeEngine(delay=a.delay, hostile=a.hostile)))


if __name__ == "__main__":
    main()
