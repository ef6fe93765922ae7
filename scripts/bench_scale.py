"""Part 2 of the benchmark: a synthetic corpus of perturbed copies of the bundled chunks, searched at scale."""
from __future__ import annotations

import copy
import json
import random
import re
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
from bench_common import (
    MODES,
    QUERIES,
    TARGET_SCALE_MS,
    Mem,
    Table,
    budgeted,
    dir_sizes,
    fmt_lat,
    interleaved,
    mb,
    mode_fns,
    pct,
    profiled,
    say,
    search_side,
    timed_calls,
    verdict,
)
from kehoach.config import Config

# ---------------------------------------------------------------- part 2: synthetic scale corpus

_NUMBER = re.compile(r"\d+")


class Perturber:
    """Replicates chunks with small text changes: numbers/years shifted, a few words dropped or
    swapped, sometimes a span of another chunk mixed in."""

    P_DROP, SWAPS, P_MIX = 0.05, 2, 0.3

    def __init__(self, seed: int, pool: list[list[str]]):
        self.r = random.Random(seed)
        self.pool = pool    # segmented token lists of the bundled chunks, for mixing

    def numbers(self, text: str, delta: int) -> str:
        def sub(m: re.Match) -> str:
            s = m.group(0)
            if len(s) == 4 and 1900 <= int(s) <= 2099:
                return str(int(s) + delta)
            return str(self.r.randrange(10 ** len(s))).zfill(len(s))
        return _NUMBER.sub(sub, text)

    def words(self, toks: list[str], delta: int, extra: list[str]) -> list[str]:
        toks = [self.numbers(t, delta) if any(ch.isdigit() for ch in t) else t for t in toks]
        kept = [t for t in toks if self.r.random() >= self.P_DROP] or toks[:1]
        for _ in range(self.SWAPS):
            if len(kept) > 2:
                j = self.r.randrange(len(kept) - 1)
                kept[j], kept[j + 1] = kept[j + 1], kept[j]
        return kept + extra

    def mix_span(self) -> list[str]:
        if self.r.random() >= self.P_MIX:
            return []
        other = self.pool[self.r.randrange(len(self.pool))]
        n = self.r.randint(5, 20)
        start = self.r.randrange(max(1, len(other) - n))
        return other[start:start + n]

    def chunk(self, base, cid: int, doc: str):
        delta = self.r.choice((-3, -2, -1, 1, 2, 3))
        extra = self.mix_span()
        seg_toks = base.segmented.split() or base.display_text.split()
        segmented = " ".join(self.words(seg_toks, delta, extra))
        plain = segmented.replace("_", " ")
        if base.text_restored:   # OCR chunk: the printed text is perturbed on its own
            text = " ".join(self.words(base.text.split(), delta, [t.replace("_", " ") for t in extra]))
        else:
            text = plain
        years = [y + delta if y is not None else None for y in base.deadline_years] if base.deadline_years else None
        return replace(base, id=cid, doc=doc, text=text, text_restored=plain if base.text_restored else None,
                       segmented=segmented, deadline=self.numbers(base.deadline, delta) if base.deadline else None,
                       deadline_years=years, lead=list(base.lead), support=list(base.support))


def synth_corpus(n: int, chunks, docs, vectors: np.ndarray, seed: int, noise: float):
    """n chunks: replica 0 is the bundled corpus as is, replicas 1.. are perturbed copies in
    documents of their own; vectors are the originals plus Gaussian noise, renormalised."""
    base_n = len(chunks)
    pert = Perturber(seed, [c.segmented.split() or c.display_text.split() for c in chunks])
    by_name = {d.doc: d for d in docs}
    out_docs, out_chunks = list(docs), []
    replicas = (n + base_n - 1) // base_n
    for r in range(replicas):
        names = {}
        for d in docs:
            if r == 0:
                names[d.doc] = d.doc
                continue
            p = Path(d.doc)
            names[d.doc] = f"{p.stem}.r{r:04d}{p.suffix}"
            src = by_name[d.doc]
            out_docs.append(replace(src, doc=names[d.doc], sha256=f"synthetic-{r}-{src.sha256[:16]}",
                                    info=replace(src.info, doc=names[d.doc], title=f"{src.info.title} (bản {r})")))
        for c in chunks:
            if len(out_chunks) == n:
                break
            cid = len(out_chunks)
            out_chunks.append(replace(c, id=cid) if r == 0 else pert.chunk(c, cid, names[c.doc]))
    used = {c.doc for c in out_chunks}
    out_docs = [d for d in out_docs if d.doc in used]
    idx = np.arange(n) % base_n
    rng = np.random.default_rng(seed)
    vecs = vectors[idx] + rng.normal(0.0, noise, (n, vectors.shape[1])).astype(np.float32)
    vecs[:base_n] = vectors[:min(base_n, n)]
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    return out_chunks, out_docs, np.ascontiguousarray(vecs, dtype=np.float32)


def bench_scale(cfg: Config, tmp: Path, n: int, encoder, engine, table: Table, mem: Mem, rounds: int,
                seed: int, noise: float, bundled_lat: dict[str, float], profile_out: list[str],
                ask_budget: float) -> None:
    import bm25s
    import faiss
    from kehoach.index import lexical as lexical_mod
    from kehoach.index import search as search_mod
    from kehoach.index import store as store_mod
    from kehoach.index.chunks import lexical_fields
    from kehoach.index.lexical import CscScores, doc_tokens
    from kehoach.index.search import Filters, Searcher
    from kehoach.index.store import IndexStore
    from kehoach.qa.engine import Engine

    part = f"scale {n:,}"
    base_manifest, chunks, docs, vectors, _index, _d = IndexStore(cfg.index_dir).load()
    t = time.perf_counter()
    s_chunks, s_docs, s_vecs = synth_corpus(n, chunks, docs, vectors, seed, noise)
    cos = float(np.mean(np.sum(s_vecs[len(chunks):] * vectors[np.arange(len(chunks), n) % len(chunks)], axis=1))) \
        if n > len(chunks) else 1.0
    table.add(part, "synthetic corpus generation", f"{time.perf_counter() - t:.1f} s: {len(s_chunks):,} chunks "
              f"in {len(s_docs):,} docs from {len(chunks)} bundled chunks",
              f"mean cos(perturbed, original vector) {cos:.3f} (σ={noise})")

    say("lexical tokenisation")
    t = time.perf_counter()
    tokens = [doc_tokens(lexical_fields(c), c.segmented) for c in s_chunks]
    tok_s = time.perf_counter() - t
    n_tok = sum(map(len, tokens))
    table.add(part, "lexical tokenisation (done by build_index before write)",
              f"{tok_s:.1f} s ({n_tok / len(tokens):.0f} tokens/chunk)", seconds=tok_s)

    home = tmp / "scale-home"
    scfg = engine.cfg.with_(home=home, corpus=())
    manifest = {k: v for k, v in base_manifest.items() if k not in ("n_chunks", "created", "faiss", "format_version")}
    manifest.update(docs={d.doc: {"sha256": d.sha256, "path": d.path, "title": d.info.title, "ocr": d.ocr,
                                  "tasks": 0} for d in s_docs}, sources=None, skipped=[], synthetic=True)
    spent: dict[str, float] = {}
    targets = [(store_mod, "make_faiss_index", "faiss index"), (faiss, "write_index", "faiss write"),
               (lexical_mod.LexicalIndex, "build", "BM25 index"),
               (bm25s.BM25, "save", "BM25 save"), (store_mod, "_dump", "JSON dumps")]
    say("IndexStore.write")
    rss0 = mem.rss()
    exact = mem.reset_peak()
    t = time.perf_counter()
    with timed_calls(targets, spent):
        live = IndexStore(home / "index").write(manifest, s_chunks, s_docs, s_vecs, tokens)
    write_s = time.perf_counter() - t
    peak = mem.peak()
    kind = json.loads((live / "manifest.json").read_text("utf-8"))["faiss"]
    spent["rest (vectors.npy, rename, prune)"] = write_s - sum(spent.values())
    table.add(part, f"IndexStore.write ({kind})", f"{write_s:.1f} s",
              " · ".join(f"{k} {v:.1f} s" for k, v in spent.items()), seconds=write_s, parts=spent)
    table.add(part, "peak RSS during write" + ("" if exact else " (since start: peak reset unavailable)"),
              f"{mb(peak)} (+{mb(peak - rss0)} over {mb(rss0)} before)", peak=peak, before=rss0)
    sizes = dir_sizes(live)
    for name, size in sizes.items():
        table.add(part, f"on disk: {name}", mb(size), bytes=size)
    table.add(part, "on disk: total", mb(sum(sizes.values())), f"{sum(sizes.values()) / n / 1024:.1f} KB/chunk")
    del tokens

    hnsw_build_s = spent["faiss index"]
    say("Searcher.load")
    rss0 = mem.rss()
    mem.reset_peak()
    spent = {}
    faiss_label = "of which faiss read"
    targets = [(IndexStore, "load", "IndexStore.load (JSON, vectors, faiss)"), (faiss, "read_index", faiss_label),
               (bm25s.BM25, "load", "BM25 load"), (CscScores, "load", "BM25 load"),
               (Searcher, "_idf_table", "IDF table")]
    # Per-chunk token sets for coverage: whichever text helpers the searcher calls for them.
    targets += [(search_mod, f, "token sets") for f in ("ocr_fold", "fold", "doc_tokens", "lexical_fields")
                if hasattr(search_mod, f)]
    t = time.perf_counter()
    with timed_calls(targets, spent):
        searcher = Searcher.load(scfg, encoder=encoder, build_if_missing=False)
    load_s = time.perf_counter() - t
    spent["rest"] = load_s - sum(v for k, v in spent.items() if k != faiss_label)
    table.add(part, "Searcher.load", f"{load_s:.1f} s", " · ".join(f"{k} {v:.1f} s" for k, v in spent.items()),
              seconds=load_s, parts=spent)
    table.add(part, "RSS after Searcher.load", f"{mb(mem.rss())} (+{mb(mem.rss() - rss0)}), peak {mb(mem.peak())}")

    say("vector search: index vs exact flat")
    # Exact baseline on the same vectors: latency and the recall HNSW gives up.
    qv = encoder.encode_queries(QUERIES)
    flat = faiss.IndexFlatIP(s_vecs.shape[1])
    t = time.perf_counter()
    flat.add(s_vecs)
    flat_s = time.perf_counter() - t
    table.add(part, "baseline IndexFlatIP build (add)", f"{flat_s:.2f} s",
              f"×{flat_s / hnsw_build_s:.4f} of {kind} build")
    pool = int(searcher.fusion["pool"])
    hnsw = getattr(searcher.index, "hnsw", None)
    settings = [(10, None), (pool, None)] + ([(10, 512)] if hnsw is not None else [])
    for k, ef in settings:
        default_ef = hnsw.efSearch if hnsw is not None else None
        if ef is not None:
            hnsw.efSearch = ef
        ann, ex, rec, gap = [], [], [], []
        for i in range(len(qv)):
            q = qv[i:i + 1]
            t = time.perf_counter()
            sa, a = searcher.index.search(q, k)
            ann.append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            se, e = flat.search(q, k)
            ex.append((time.perf_counter() - t) * 1000)
            rec.append(len(set(a[0].tolist()) & set(e[0].tolist())) / k)
            gap.append(float(se[0].mean() - sa[0].mean()))   # cosine given up, on average over the k
        if ef is not None:
            hnsw.efSearch = default_ef
        efs = f", efSearch {ef or default_ef}" if hnsw is not None else ""
        table.add(part, f"vector search only, k={k}{efs}: {kind} vs flat",
                  f"{kind} {fmt_lat(ann)}; flat p50 {pct(ex)[0]:.1f} ms",
                  f"recall@{k} vs flat {np.mean(rec):.3f} (min {np.min(rec):.2f}); mean cosine lost "
                  f"{np.mean(gap):.4f}; ×{pct(ann)[0] / pct(ex)[0]:.2f} of flat p50",
                  recall=float(np.mean(rec)), cos_gap=float(np.mean(gap)))

    say("latencies")
    from kehoach.corpus.agencies import Directory
    flat_searcher = copy.copy(searcher)    # shares everything but the vector index
    flat_searcher.index = flat
    agency = Filters(agency="Sở Công Thương")
    s_engine = Engine(scfg, searcher, Directory.load())
    lat = interleaved({**mode_fns(searcher), "flat": lambda q: flat_searcher.search(q, k=10),
                       "agency": lambda q: searcher.search(q, k=10, filters=agency)}, rounds)
    hyb50 = pct(lat["hybrid"])[0]
    for m in MODES:
        p50 = pct(lat[m])[0]
        target = verdict(p50, TARGET_SCALE_MS, "ms (p50)") if m == "hybrid" else ""
        table.add(part, f"search {m}, k=10, warm", fmt_lat(lat[m]), f"×{p50 / bundled_lat[m]:.1f} of bundled p50",
                  target, ms=pct(lat[m]))
    table.add(part, "search hybrid with exact flat index (baseline)", fmt_lat(lat["flat"]),
              f"{kind} hybrid is ×{hyb50 / pct(lat['flat'])[0]:.2f} of this", ms=pct(lat["flat"]))
    table.add(part, "search hybrid + agency filter (Sở Công Thương)", fmt_lat(lat["agency"]),
              f"×{pct(lat['agency'])[0] / hyb50:.2f} of unfiltered hybrid p50", ms=pct(lat["agency"]))
    say(f"Engine.ask, at most {ask_budget:.0f} s")
    asked = budgeted(s_engine.ask, ask_budget)
    ask_ms = [ms for _, ms in asked]
    slow_q, slow_ms = max(asked, key=lambda x: x[1])
    table.add(part, f"Engine.ask, warm, in query order until {ask_budget:.0f} s are spent",
              f"{fmt_lat(ask_ms)}: {len(asked)}/{len(QUERIES)} questions; slowest {slow_ms / 1000:.1f} s «{slow_q}»",
              f"×{pct(ask_ms)[0] / bundled_lat['ask']:.1f} of bundled p50", ms=pct(ask_ms), asked=asked)
    side = search_side(encoder, {m: fn for m, fn in mode_fns(searcher).items() if m != "lexical"}, rounds)
    for m, ms in side.items():
        table.add(part, f"search {m}, search code only (query vectors memoised)", fmt_lat(ms),
                  f"×{pct(ms)[0] / bundled_lat['side']:.1f} of bundled (hybrid, memoised) p50", ms=pct(ms))
    table.add(part, "peak RSS since Searcher.load", mb(mem.peak()), peak=mem.peak())

    say("profiles")
    for label, fn in (("search hybrid", lambda q: searcher.search(q, k=10)),
                      ("search hybrid + agency filter", lambda q: searcher.search(q, k=10, filters=agency))):
        profile_out.append(profiled(f"{n:,} chunks: {label}, {len(QUERIES)} queries", encoder, fn, QUERIES))
    if slow_ms < 300_000:
        profile_out.append(profiled(f"{n:,} chunks: Engine.ask «{slow_q}» (the slowest)", encoder, s_engine.ask,
                                    [slow_q]))

