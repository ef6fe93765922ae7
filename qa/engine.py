"""The Engine: everything loaded once, then `ask` as often as wanted, from any thread.

    from kehoach import Engine
    Engine.load().ask("Sở nào chủ trì giáo dục STEM?", k=10).to_dict()
"""
from __future__ import annotations

import re
import threading
import time
from dataclasses import replace

from kehoach.config import Config
from kehoach.corpus.agencies import Directory
from kehoach.corpus.text import fold
from kehoach.index.search import Filters, Hit, Searcher
from kehoach.qa import status as st
from kehoach.qa import succession
from kehoach.qa.answer import Composer, build_answer, load_calibration, rerank
from kehoach.qa.evidence import EvidenceIndex
from kehoach.qa.intent import Understanding, understand
from kehoach.qa.named import qualified_names
from kehoach.qa.topic import subject_off_topic, topic_missing
from kehoach.records import Answer, Evidence, PlanInfo
from kehoach.validate import InputError, check_filters, check_k, printable, question_problem

RETRIEVE_AT_LEAST = 30   # re-ranking needs more candidates than the user asks for
TOPIC_FOUND_BI = 0.5     # half of the topic's word pairs in one passage: the topic is in that plan
TOPIC_FOUND_Z = 2.0      # ... and its meaning too (asking words alone, "giờ kế thừa của", match by chance)
TOPIC_DOCS = 5           # the agency's best tasks whose plans count as "its" plans for the topic


def check_question(question: str, max_chars: int) -> str | None:
    """A Vietnamese message when the question cannot be asked as is, else None (rules: kehoach.validate)."""
    return question_problem(question, max_chars)


class Engine:
    def __init__(self, cfg: Config, searcher: Searcher, directory: Directory):
        self.cfg = cfg
        self.searcher = searcher
        self.directory = directory
        self.calibration = load_calibration()
        self.plans = {d.doc: d.info.title for d in searcher.docs.values()}
        self._folded_titles = {doc: f" {fold(title)} " for doc, title in self.plans.items()}
        self.composer = Composer(plans=self.plans, successor_of=self._successor, directory=directory,
                                 evidence_of=self.evidence_for,
                                 issuers={d.doc: d.info.issuer for d in searcher.docs.values()})
        self._evidence: EvidenceIndex | None = None
        self._evidence_lock = threading.Lock()
        if any(d.info.kind == "report" for d in searcher.docs.values()):
            # Linking scores every task against every report passage (seconds on a large corpus):
            # start it now so the first question does not wait for it.
            threading.Thread(target=lambda: self.evidence, name="evidence-links", daemon=True).start()
        self.loaded_at = time.time()

    @classmethod
    def load(cls, cfg: Config | None = None, build_if_missing: bool = True, encoder=None, say=None) -> Engine:
        cfg = cfg or Config.load()
        # Tuned fusion weights ship in qa/calibration.json; a user's config.toml still wins.
        cfg = cfg.with_(fusion={**load_calibration().get("fusion", {}), **(cfg.fusion or {})})
        say = say or (lambda msg: None)
        searcher = Searcher.load(cfg, encoder=encoder, build_if_missing=build_if_missing, say=say)
        return cls(cfg, searcher, Directory.load())

    def _successor(self, name: str) -> str | None:
        chain = succession.successor_chain(self.directory, name)
        return chain[-1] if chain else None

    # ---- asking --------------------------------------------------------------------
    def check(self, question: str) -> str | None:
        return check_question(question, self.cfg.max_question_chars)

    def plan(self, question: str, filters: dict | Filters | None = None) -> tuple[Understanding, Filters]:
        """What the question asks and where to look: shared by `ask`, evaluation and tuning."""
        u = understand(question, self.directory)
        flt = filters if isinstance(filters, Filters) else Filters.from_dict(filters)
        if not flt.doc and (doc := self._cited_plan(question)):
            flt = replace(flt, doc=doc)
        if u.agencies and u.scope and u.intent != "agency_tasks":
            # "Sở X các tỉnh": the national plan's "Sở X các tỉnh, thành phố …" is the agency asked too.
            u.scope = u.scope | qualified_names(question, u.surfaces, self.searcher.agency_lists())
        if u.agencies and not u.scope:
            # An agency the directory lacks: the corpus's own names for it, if its plans name it at all.
            u.scope = set(self.searcher.printed_names(u.agencies[0]))
        if u.intent == "agency_tasks" and u.agencies and not flt.agency and u.scope:
            # "What must Sở X do" is about Sở X's tasks (and those it took over), not its successor's.
            flt = replace(flt, agency=u.agencies[0])
        return u, flt

    def retrieve(self, question: str, k: int = 10, filters: dict | Filters | None = None,
                 mode: str = "hybrid") -> tuple[Understanding, list[Hit]]:
        u, flt = self.plan(question, filters)
        if u.intent == "agency_tasks" and flt.agency and not u.keywords:
            hits = self._listing(flt)      # "what does X do", no topic: all of X's tasks
        else:
            hits = self.searcher.search(u.topic or question, k=max(k, RETRIEVE_AT_LEAST), filters=flt, mode=mode,
                                        lexical_query=u.keywords if mode != "dense" else None)
        return u, rerank(hits, u, self.calibration)

    def find_plan(self, text: str) -> str | None:
        """A plan named by its file (or the start of it), its number ("214/KH-UBND", "66"), or None."""
        t = (text or "").strip()
        if not t:
            return None
        docs = [d for d in self.plans if d == t or d.startswith(t)]
        if len(docs) == 1:
            return docs[0]
        key = f" so {fold(t)} "
        docs = [d for d, title in self._folded_titles.items() if key in title]
        return docs[0] if len(docs) == 1 else self._cited_plan(t) if any(ch.isdigit() for ch in t) else None

    def _cited_plan(self, question: str) -> str | None:
        """A plan cited by its number ("kế hoạch 66", "CTr 37", "214/KH-UBND") -> that document.

        Only numbers that are not years, and only when exactly one plan's title carries
        "số <n>": a number shared by several titles says nothing about which plan is meant.
        """
        numbers = {n for n in re.findall(r"\b(\d{1,4})\s*(?:/|-|\b)", question) if not 1900 <= int(n) <= 2100}
        for n in numbers:
            docs = [doc for doc, title in self._folded_titles.items() if f" so {n} " in title]
            if len(docs) == 1:
                return docs[0]
        return None

    def _listing(self, flt: Filters) -> list[Hit]:
        mask = self.searcher.mask(flt)
        ids = [] if mask is None else [int(i) for i in mask.nonzero()[0]]
        return [Hit(chunk=self.searcher.chunks[i], score=0.0) for i in ids if self.searcher.chunks[i].kind == "task"]

    def ask(self, question: str, k: int | None = None, filters: dict | Filters | None = None,
            mode: str = "hybrid") -> Answer:
        problem = self.check(question)
        try:   # the same rules as the CLI and the JSON API (kehoach.validate)
            k = check_k(k, self.cfg.k)
            if not isinstance(filters, Filters):
                filters = check_filters(filters, self.searcher.docs.keys(),
                                        agency_known=lambda a: bool(self.directory.expand_filter(a)))
        except InputError as err:
            problem = problem or str(err)
        if problem:
            shown = printable(question) if isinstance(question, str) else ""
            return Answer(question=shown, intent="none", found=False, confidence=0.0, answer=problem,
                          error=problem)
        question = question.strip()
        u, hits = self.retrieve(question, k, filters, mode)
        as_of = filters.as_of if isinstance(filters, Filters) else (filters or {}).get("as_of")
        return build_answer(question, u, hits, self.composer, k, self.calibration,
                            self.searcher.unknown_share(u.keywords), as_of=as_of,
                            topic_elsewhere=self._topic_elsewhere(question, u, hits, filters, mode),
                            # dense-only ranks by meaning, not words: its passages are not judged by words
                            topic_missing=mode != "dense" and (topic_missing(self.searcher, u, hits)
                                                               or subject_off_topic(self.searcher, u, hits)))

    def _topic_elsewhere(self, question: str, u: Understanding, hits: list[Hit], filters, mode: str) -> bool:
        """"What must X do in <topic>": the topic is plainly in a plan (its word pairs found), none of X's
        tasks touches it, and that plan is not among X's: X has no part in it, and X's other tasks are no
        answer."""
        if u.intent != "agency_tasks" or not u.keywords or not hits or hits[0].cov_bi > 0:
            return False
        _, flt = self.plan(question, filters)
        if not flt.agency:
            return False
        anywhere = self.searcher.search(u.topic or question, k=RETRIEVE_AT_LEAST, filters=replace(flt, agency=None),
                                        mode=mode, lexical_query=u.keywords if mode != "dense" else None)
        top = anywhere[0] if anywhere else None
        return top is not None and top.cov_bi >= TOPIC_FOUND_BI and top.dense_z >= TOPIC_FOUND_Z \
            and top.chunk.doc not in {h.chunk.doc for h in hits[:TOPIC_DOCS]}

    # ---- progress reports ------------------------------------------------------------
    @property
    def evidence(self) -> EvidenceIndex:
        """Report-to-task links, built on first use from the loaded index (a fraction of a second)."""
        if self._evidence is None:
            with self._evidence_lock:
                if self._evidence is None:
                    self._evidence = EvidenceIndex(self.searcher.chunks, self.searcher.vectors,
                                                   self.searcher.docs, self.directory, searcher=self.searcher)
        return self._evidence

    def evidence_for(self, chunk) -> list[Evidence]:
        return self.evidence.evidence(chunk.id)

    # ---- what the interface shows ------------------------------------------------------
    def documents(self) -> list[PlanInfo]:
        return [d.info for d in self.searcher.docs.values()]

    def agencies(self) -> list[str]:
        names = {n for c in self.searcher.chunks for n in (*c.lead, *c.support)}
        return sorted(names, key=lambda n: n.casefold())

    def tasks_for_agency(self, agency: str, as_of=None, status: str | list | None = None,
                         doc: str | None = None) -> list[dict]:
        """The agency's own tasks and those it took over, each with its role, today's holder,
        deadline status and report evidence; most urgent first. [] when `agency` is unknown."""
        scope = succession.scope(self.directory, agency, as_of)
        if scope is None:
            return []
        wanted = st.parse_statuses(status)
        rows = []
        for c in self.searcher.chunks:
            if c.kind != "task" or (doc and c.doc != doc):
                continue
            role = scope.role(c.lead, c.support)
            if role is None:
                continue
            state = st.status_of(c, as_of)
            if wanted and state not in wanted:
                continue
            rows.append(self._task_row(c, role, state, as_of))
        return sorted(rows, key=lambda r: (st.STATUSES.index(r["status"]), r["due"] or "9999"))

    def tasks_of_plan(self, doc: str, as_of=None, status: str | list | None = None) -> list[dict]:
        """Every task of one plan, for the follow-up report of a plan."""
        wanted = st.parse_statuses(status)
        rows = [self._task_row(c, None, st.status_of(c, as_of), as_of) for c in self.searcher.chunks
                if c.kind == "task" and c.doc == doc]
        return [r for r in rows if not wanted or r["status"] in wanted]

    def _task_row(self, c, role, state: str, as_of) -> dict:
        return {"doc": c.doc, "plan": self.plans.get(c.doc, c.doc), "section": c.section,
                "lines": list(c.lines), "text": c.display_text, "lead": list(c.lead),
                "support": list(c.support), "deadline": c.deadline,
                "role": role[0] if role else None, "taken_over_from": role[1] if role else [],
                "held_by": list(dict.fromkeys(x for n in c.lead for x in self.composer.holders(n, as_of))),
                "due": st.due_of(c), "status": state,
                "evidence": [e.to_dict() for e in self.evidence_for(c)]}

    def source(self, doc: str, lines: list[int], context: int = 2) -> dict:
        d = self.searcher.docs.get(doc)
        if d is None:
            raise KeyError(doc)
        a, b = int(lines[0]), int(lines[1])
        start, end = max(1, a - context), min(len(d.lines), b + context)
        return {"doc": doc, "plan": d.info.title, "start": start, "end": end, "focus": [a, b],
                "lines": d.lines[start - 1:end],
                "restored": d.restored_lines[start - 1:end] if d.restored_lines else None}

    def health(self) -> dict:
        m = self.searcher.manifest
        return {"status": "ok", "documents": len(self.searcher.docs), "chunks": len(self.searcher.chunks),
                "tasks": sum(c.kind == "task" for c in self.searcher.chunks),
                "model": {"id": m.get("model_id"), "checksum": m.get("model_checksum"), "dim": m.get("dim")},
                "index": {"created": m.get("created"), "faiss": m.get("faiss"),
                          "format_version": m.get("format_version")},
                "loaded_at": time.strftime("%Y-%m-%dT%H:%M:%S", time.localtime(self.loaded_at))}
