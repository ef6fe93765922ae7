#!/usr/bin/env python3
"""Soak test of POST /api/ask (not a unit test): many clients for a long time, memory sampled.

    .venv/bin/python scripts/soak.py                          # starts `kehoach serve` (real model)
    .venv/bin/python scripts/soak.py --clients 20 --minutes 10 --interval 10 --out soak.json
    .venv/bin/python scripts/soak.py --url http://127.0.0.1:7860/ --pid 1234

Starts the server on a free loopback port with the current KEHOACH_HOME (its index must exist or
it is built first), waits for /api/health, then runs N clients back to back (the question mix of
scripts/load_test.py) while a sampler records the server's resident memory (process and children)
every --interval seconds. Prints and optionally writes: requests, errors by kind, p50/p95/max
latency, and the memory slope (MB per minute, least squares) over the samples after --warmup
seconds. Exit status 1 if any request failed.
"""
from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from load_test import Stats, client, loopback_only, percentile  # noqa: E402

REPO = Path(__file__).resolve().parents[1]


def rss_mb(pid: int) -> float:
    import psutil
    try:
        proc = psutil.Process(pid)
        procs = [proc, *proc.children(recursive=True)]
    except psutil.Error:
        return float("nan")
    total = 0
    for p in procs:
        with contextlib.suppress(psutil.Error):   # a child may end between listing and reading
            total += p.memory_info().rss
    return total / 2**20


def slope_per_minute(samples: list[tuple[float, float]]) -> float:
    """Least-squares slope of (seconds, MB) in MB per minute."""
    if len(samples) < 2:
        return float("nan")
    n = len(samples)
    mx = sum(t for t, _ in samples) / n
    my = sum(m for _, m in samples) / n
    var = sum((t - mx) ** 2 for t, _ in samples)
    return 60 * sum((t - mx) * (m - my) for t, m in samples) / var if var else float("nan")


def start_server(timeout: float) -> tuple[subprocess.Popen, str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    cmd = [sys.executable, "-m", "kehoach.cli", "serve", "--host", "127.0.0.1", "--port", str(port)]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    import http.client
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            sys.exit(f"soak: máy chủ dừng khi khởi động:\n{proc.stderr.read()}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/api/health")
            if conn.getresponse().status == 200:
                return proc, f"http://127.0.0.1:{port}"
        except OSError:
            time.sleep(1)
    stop_server(proc)
    sys.exit("soak: máy chủ không khởi động kịp (server did not start)")


def stop_server(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(20)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--url", help="a running server on loopback (then --pid gives its process for memory)")
    p.add_argument("--pid", type=int, help="process id of the server at --url")
    p.add_argument("--clients", type=int, default=20)
    p.add_argument("--minutes", type=float, default=10.0)
    p.add_argument("--interval", type=float, default=10.0, help="seconds between memory samples")
    p.add_argument("--warmup", type=float, default=120.0, help="seconds left out of the memory slope")
    p.add_argument("--timeout", type=float, default=120.0, help="per request, seconds")
    p.add_argument("--start-timeout", type=float, default=900.0, help="seconds to wait for the server")
    p.add_argument("--out", help="write the summary and samples here (JSON)")
    a = p.parse_args(argv)
    if not 1 <= a.clients <= 200 or not 0 < a.minutes <= 240 or a.interval <= 0:
        p.error("clients 1..200, minutes 0..240, interval > 0")

    proc = None
    if a.url:
        url, pid = a.url, a.pid
    else:
        print("soak: đang khởi động kehoach serve…", file=sys.stderr)
        proc, url = start_server(a.start_timeout)
        pid = proc.pid
    samples: list[tuple[float, float]] = []
    done = threading.Event()
    t0 = time.monotonic()

    def sampler() -> None:
        while True:
            if pid:
                samples.append((time.monotonic() - t0, rss_mb(pid)))
                print(f"  {samples[-1][0]:6.0f} s  RSS {samples[-1][1]:7.1f} MB  "
                      f"{len(stats.latencies)} requests", file=sys.stderr)
            if done.wait(a.interval):
                return

    stats = Stats()
    try:
        host, port, prefix = loopback_only(url)
        headers = {"Content-Type": "application/json"}
        stop_at = t0 + a.minutes * 60
        watcher = threading.Thread(target=sampler, daemon=True)
        watcher.start()
        threads = [threading.Thread(target=client, args=(n, host, port, prefix, headers, stop_at, 10**9,
                                                          a.timeout, stats), daemon=True)
                   for n in range(a.clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(a.minutes * 60 + a.timeout + 5)
        elapsed = time.monotonic() - t0
        done.set()
        watcher.join(5)
        if pid:
            samples.append((time.monotonic() - t0, rss_mb(pid)))
    finally:
        if proc is not None:
            stop_server(proc)

    lat = sorted(stats.latencies)
    after = [(t, m) for t, m in samples if t >= a.warmup]
    summary = {
        "url": url, "clients": a.clients, "seconds": round(elapsed, 1), "requests": len(lat),
        "errors": sum(stats.errors.values()), "error_kinds": stats.errors,
        "rps": round(len(lat) / elapsed, 2) if elapsed else 0.0,
        "p50_ms": round(percentile(lat, 0.50) * 1000, 1), "p95_ms": round(percentile(lat, 0.95) * 1000, 1),
        "max_ms": round(lat[-1] * 1000, 1) if lat else None,
        "rss_mb_first": round(samples[0][1], 1) if samples else None,
        "rss_mb_after_warmup": round(after[0][1], 1) if after else None,
        "rss_mb_last": round(samples[-1][1], 1) if samples else None,
        "rss_mb_max": round(max(m for _, m in samples), 1) if samples else None,
        "slope_mb_per_min_after_warmup": round(slope_per_minute(after), 3) if after else None,
        "warmup_s": a.warmup, "interval_s": a.interval,
    }
    print(json.dumps(summary, ensure_ascii=False, indent=1))
    if a.out:
        Path(a.out).write_text(json.dumps({**summary, "samples": samples}, ensure_ascii=False, indent=1),
                               encoding="utf-8")
    return 1 if summary["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
