"""From files to parsed documents: load -> detect OCR -> restore -> parse -> resolve agencies.

Restoration is the only slow step, so its output is cached per document hash
and restorer version: an unchanged document is never restored twice.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path

from kehoach.config import Config
from kehoach.corpus import loaders
from kehoach.corpus.agencies import Directory
from kehoach.corpus.deadlines import read_deadline
from kehoach.corpus.metadata import plan_info, read_override
from kehoach.corpus.parser import parse
from kehoach.corpus.printed_text import printed_text
from kehoach.files import write_atomic
from kehoach.records import Document, Passage, Task

Progress = Callable[[str], None]


def write_json_atomic(path: Path, data) -> None:
    write_atomic(path, lambda fh: json.dump(data, fh, ensure_ascii=False), "w")


_PACKAGE_ROOT = Path(__file__).resolve().parent.parent
RESTORER_FILES = ("corpus/restore.py", "corpus/restore_tokens.py", "corpus/restore_channel.py",
                  "corpus/restore_candidates.py", "corpus/restore_decode.py", "corpus/restore_casing.py",
                  "corpus/restore_words.py", "corpus/restore_cache.py", "corpus/restore_neural.py", "corpus/lm.py",
                  "corpus/ocr_detect.py", "corpus/data/lm.json.gz", "corpus/data/cloze.npz",
                  "corpus/data/channel.json.gz", "corpus/data/syllables.txt.gz", "corpus/data/pairs.txt.gz")


@lru_cache(maxsize=8)
def files_fingerprint(files: tuple[str, ...]) -> str:
    """A short hash over package files: cached results built by other code are never reused."""
    h = hashlib.sha256()
    for rel in files:
        p = _PACKAGE_ROOT / rel
        h.update(rel.encode() + (p.read_bytes() if p.is_file() else b"-"))
    return h.hexdigest()[:16]


def restorer_fingerprint() -> str:
    from kehoach.corpus.restore import RESTORER_VERSION
    return f"{RESTORER_VERSION}-{files_fingerprint(RESTORER_FILES)}"


class RestoreCache:
    """Restored text of OCR documents, keyed by document hash and the restorer's code and data."""

    def __init__(self, cfg: Config):
        self.dir = cfg.cache_dir / "restored"

    def _path(self, sha: str) -> Path:
        return self.dir / f"{sha}-{restorer_fingerprint()}.json"

    def get(self, sha: str) -> dict | None:
        try:
            return json.loads(self._path(sha).read_text("utf-8"))
        except (OSError, ValueError):
            return None

    def put(self, sha: str, data: dict) -> None:
        write_json_atomic(self._path(sha), data)


def _restore(doc_lines: list[str], texts: list[str], sha: str, cache: RestoreCache | None) -> dict:
    cached = cache.get(sha) if cache else None
    if cached and len(cached.get("lines", [])) == len(doc_lines) and all(t in cached["texts"] for t in texts):
        return cached
    from kehoach.corpus.restore import Restorer
    restorer = Restorer.load()
    data = {
        "lines": cached["lines"] if cached and len(cached.get("lines", [])) == len(doc_lines)
        else restorer.restore_lines(doc_lines),
        "texts": {t: restorer.restore_text(t) for t in dict.fromkeys(texts)},
    }
    if cache:
        cache.put(sha, data)
    return data


def _resolve_agencies(tasks: list[Task], directory: Directory, issuer: str | None, context=None) -> None:
    for task in tasks:
        for raw, attr in ((task.raw_lead, "lead"), (task.raw_support, "support")):
            if raw:
                res = directory.resolve(raw, issuer=issuer, context=context)
                setattr(task, attr, list(dict.fromkeys([*res.canonical, *res.unresolved])))


def parse_document(path: Path, lines: list[str], sha: str, cfg: Config | None = None,
                   restore: bool = True) -> Document:
    from kehoach.corpus.ocr_detect import document_is_ocr, written_without_marks

    doc = path.name
    ocr = document_is_ocr(lines)
    cache = RestoreCache(cfg) if cfg else None
    # A text typed without marks hides what the grammar reads ("So Tai chinh chu tri": Sở or Số?),
    # so it is parsed from its restored reading; a scan's mangled marks are read as printed.
    unmarked = ocr and restore and written_without_marks(lines)
    reading = _restore(lines, [], sha, cache)["lines"] if unmarked else lines
    info = plan_info(doc, lines, sha, path=path, reading=reading if unmarked else None)
    tasks, passages = parse(doc, reading)
    document = Document(doc=doc, path=str(path), sha256=sha, lines=lines, info=info, ocr=ocr,
                        tasks=tasks, passages=passages)
    directory = Directory.load()
    # The document's province and level decide whose "Sở Tài chính" or "UBND Thành phố" it names.
    context = directory.context(info.issuer, reading[:15], f"{info.title} {info.subject or ''}")
    _resolve_agencies(tasks, directory, info.issuer, context)
    items: list[Task | Passage] = [*tasks, *passages]
    if unmarked:
        document.restored_lines = reading
        for it in items:
            it.text_restored = it.text
            it.text = printed_text(it.text, it.lines[0], it.lines[-1], lines, reading)
    elif ocr and restore:
        # The title too: a scan's header is cited with every answer ("Kế hoạch: trién khai thue hién"),
        # unless the user's side file wrote it.
        own = set(read_override(path))
        heads = [x for k, x in (("title", info.title), ("subject", info.subject)) if x and k not in own]
        texts = [it.text for it in items] + [t.deadline for t in tasks if t.deadline] + heads
        data = _restore(lines, texts, sha, cache)
        for key in ("title", "subject"):
            value = getattr(info, key)
            if value and key not in own:
                setattr(info, key, data["texts"].get(value, value))
        document.restored_lines = data["lines"]
        for it in items:
            it.text_restored = data["texts"].get(it.text)
        for t in tasks:
            if t.deadline:
                t.deadline = data["texts"].get(t.deadline, t.deadline)
                if t.due is None:
                    # OCR may hide a date the restored text shows ("thang 3/2025" read as "thing 3/2025")
                    t.due = read_deadline(t.deadline)[2]
    return document


def list_files(paths: Iterable[str | Path]) -> tuple[list[Path], list[str]]:
    """Files under each path; a missing path is reported and the others still load."""
    files: list[Path] = []
    errors: list[str] = []
    for p in paths:
        try:
            files.extend(f for f in loaders.iter_files([p]) if f not in files)
        except loaders.LoadError as exc:
            errors.append(str(exc))
    return files, errors


def load_corpus(cfg: Config, paths: Iterable[str | Path] | None = None, restore: bool = True,
                progress: Progress | None = None) -> tuple[list[Document], list[str]]:
    """Every readable document under `paths` (default: the configured corpus), and one-line errors."""
    files, errors = list_files(paths or cfg.corpus_paths())
    docs: list[Document] = []
    seen: dict[str, str] = {}
    for path in files:
        try:
            lines = loaders.load_lines(path)
            sha = loaders.sha256_file(path)
        except loaders.LoadError as exc:
            errors.append(str(exc))
            continue
        if path.name in seen:
            # Results cite documents by file name: two files of one name would be ambiguous.
            errors.append(f"Bỏ qua '{path}': trùng tên tệp với '{seen[path.name]}'.")
            continue
        seen[path.name] = str(path)
        if progress:
            progress(path.name)
        docs.append(parse_document(path, lines, sha, cfg, restore=restore))
    return docs, errors
