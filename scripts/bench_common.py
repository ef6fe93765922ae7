"""Shared parts of the benchmark scripts: the question load, the result table, memory readings and timing helpers."""
from __future__ import annotations

import cProfile
import io
import os
import platform
import pstats
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

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
        self.first_call: float | None = None   # perf_counter of the first passage batch: parsing ends there
        self.memo: dict[str, np.ndarray] | None = None

    def __getattr__(self, name):
        return getattr(self._enc, name)

    def encode_passages(self, texts, progress: bool = False):
        t = time.perf_counter()
        if self.first_call is None:
            self.first_call = t
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

