"""Build or refresh the index: only documents whose hash changed are re-embedded.

An unchanged corpus is recognised from file hashes and the manifest alone,
before torch or the model is imported, so a second `kehoach index` is instant.
"""
from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np

from kehoach.config import Config
from kehoach.corpus import loaders
from kehoach.corpus.pipeline import files_fingerprint, restorer_fingerprint
from kehoach.index.chunks import CHUNKER_VERSION, dense_text, document_chunks, lexical_fields
from kehoach.index.lexical import doc_tokens
from kehoach.index.store import IndexError_, IndexStore, StoredDoc
from kehoach.records import Chunk

Say = Callable[[str], None]


# The code and data that shape chunks: a change to any of them invalidates stored chunks.
_PIPELINE_FILES = ("corpus/parser.py", "corpus/deadlines.py", "corpus/agencies.py", "corpus/agencies.json",
                   "corpus/metadata.json", "corpus/pipeline.py", "index/chunks.py")
# Tokenisation only: a change re-tokenises every chunk but re-embeds none.
_LEXICAL_FILES = ("index/lexical.py", "corpus/text.py")


def _versions(cfg: Config) -> dict:
    """What stored chunks and vectors depend on: if all equal, they can be reused."""
    return {"model": cfg.model, "model_segmented": cfg.model_segmented, "chunker_version": CHUNKER_VERSION,
            "restorer_version": restorer_fingerprint() if cfg.restore else None,
            "pipeline": files_fingerprint(_PIPELINE_FILES)}


def _fresh_keys(cfg: Config) -> dict:
    return {**_versions(cfg), "lexical": files_fingerprint(_LEXICAL_FILES)}


def corpus_state(cfg: Config, paths: Iterable[str | Path] | None = None) -> tuple[dict[str, str], list[str]]:
    """{file name: sha256} of the readable candidate files, plus errors for missing paths."""
    from kehoach.corpus.pipeline import list_files
    files, errors = list_files(paths or cfg.corpus_paths())
    state = {}
    for f in files:
        try:
            state.setdefault(f.name, loaders.sha256_file(f))
        except loaders.LoadError as exc:
            errors.append(str(exc))
    return state, errors


def is_fresh(cfg: Config, manifest: dict | None, state: dict[str, str]) -> bool:
    if not manifest:
        return False
    same_versions = all(manifest.get(k) == v for k, v in _fresh_keys(cfg).items())
    indexed = {name: d["sha256"] for name, d in manifest.get("docs", {}).items()}
    # Files that failed to load are not in the index; they do not make it stale.
    skipped = set(manifest.get("skipped", []))
    return same_versions and indexed == {n: s for n, s in state.items() if n not in skipped}


def build_index(cfg: Config, paths: Iterable[str | Path] | None = None, encoder=None,
                say: Say = print, progress: bool = True, force: bool = False) -> dict:
    """Bring the index up to date; returns a summary (status, counts, seconds, errors)."""
    t0 = time.perf_counter()
    store = IndexStore(cfg.index_dir)
    paths = list(paths) if paths else None
    manifest = store.manifest()
    if paths is None and not cfg.corpus:
        paths = store.recorded_sources() or None   # refresh the corpus the user indexed (corpus.toml)
    state, errors = corpus_state(cfg, paths)
    # Never call an index up to date without checking its files (checksums in the manifest).
    problems = store.verify() if manifest else []
    if problems and all("CURRENT" in p for p in problems):
        store.repair_pointer()          # only the pointer was lost: the version itself is intact
        problems = []
    if problems and not force:   # a forced rebuild was asked for by someone who already said why
        say("Chỉ mục cần sửa: " + "; ".join(problems) + ".")
    if not force and not problems and is_fresh(cfg, manifest, state):
        return {"status": "fresh", "documents": len(state), "chunks": manifest["n_chunks"],
                "seconds": time.perf_counter() - t0, "errors": errors}

    old = None
    if manifest and all(manifest.get(k) == v for k, v in _versions(cfg).items()):
        try:
            old = store.load()
        except IndexError_:
            old = store.load_reusable()   # e.g. only the lexical side is damaged: keep the vectors

    from kehoach.corpus.pipeline import load_corpus
    say("Đang đọc và phân tích văn bản…")
    docs, load_errors = load_corpus(cfg, paths, restore=cfg.restore, progress=lambda name: say(f"  • {name}"))
    errors = list(dict.fromkeys(errors + load_errors))
    if not docs:
        # Nothing readable: keep whatever index exists rather than replace it with an empty one.
        return {"status": "empty", "documents": 0, "chunks": 0, "tasks": 0,
                "seconds": time.perf_counter() - t0, "errors": errors or ["Không có văn bản nào đọc được."]}

    # One part per document: its chunks, and its vectors when they can be reused.
    parts: list[tuple[list[Chunk], np.ndarray | None]] = []
    reused = 0
    for d in docs:
        reuse = _reusable(old, d.doc, d.sha256)
        reused += reuse is not None
        parts.append(reuse if reuse is not None else (document_chunks(d), None))

    pending = [cs for cs, vecs in parts if vecs is None and cs]
    if pending:
        if encoder is None:
            from kehoach.index.model import Encoder
            say("Đang nạp mô hình ngữ nghĩa…")
            encoder = Encoder.load(cfg)
        titles = {d.doc: d.info.title for d in docs}
        texts = [dense_text(c, titles.get(c.doc, ""), cfg.model_segmented) for cs in pending for c in cs]
        say(f"Đang mã hóa {len(texts)} đoạn văn bản…")
        # Saved step by step: a stopped build resumes without re-embedding (index/resume.py).
        from kehoach.index.resume import ResumableEncoder
        embedded = iter(ResumableEncoder(encoder, cfg, say).encode_passages(texts, progress=progress))
        parts = [(cs, vecs if vecs is not None else np.stack([next(embedded) for _ in cs])
                  if cs else None) for cs, vecs in parts]
    dim = encoder.dim if encoder is not None else (old[3].shape[1] if old is not None else 0)
    chunks = [c for cs, _ in parts for c in cs]
    matrix = (np.concatenate([v for cs, v in parts if cs], axis=0) if chunks
              else np.zeros((0, dim), dtype=np.float32))
    for i, c in enumerate(chunks):
        c.id = i

    model_info = _model_info(encoder, old)
    new_manifest = {
        **_fresh_keys(cfg), **model_info,
        "docs": {d.doc: {"sha256": d.sha256, "path": d.path, "title": d.info.title, "ocr": d.ocr,
                         "tasks": len(d.tasks)} for d in docs},
        "skipped": sorted(set(state) - {d.doc for d in docs}),
        # Where the corpus came from, so that later commands keep to it (None: the bundled plans).
        "sources": [str(Path(p).resolve()) for p in paths] if paths else (list(cfg.corpus) or None),
    }
    tokens = [doc_tokens(lexical_fields(c), c.segmented) for c in chunks]
    store.write(new_manifest, chunks, [StoredDoc.from_document(d) for d in docs], matrix, tokens)
    from kehoach.index.resume import clear_journal
    clear_journal(cfg)   # the vectors now live in the index
    return {"status": "built", "documents": len(docs), "reused": reused, "chunks": len(chunks),
            "tasks": sum(len(d.tasks) for d in docs), "seconds": time.perf_counter() - t0, "errors": errors}


def _reusable(old, doc: str, sha: str):
    """Chunks and vectors of an unchanged document from the live index, if any."""
    if old is None:
        return None
    manifest, chunks, _docs, vectors, _index, _dir = old
    if manifest.get("docs", {}).get(doc, {}).get("sha256") != sha:
        return None
    idx = [i for i, c in enumerate(chunks) if c.doc == doc]
    if not idx:
        return None
    return [chunks[i] for i in idx], vectors[idx]


def _model_info(encoder, old) -> dict:
    if encoder is not None:
        return {"model_id": encoder.model_id, "model_checksum": encoder.checksum, "dim": encoder.dim}
    if old is not None:
        m = old[0]
        return {"model_id": m.get("model_id"), "model_checksum": m.get("model_checksum"), "dim": m.get("dim")}
    return {}
