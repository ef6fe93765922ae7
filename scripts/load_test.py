#!/usr/bin/env python3
"""Load test of POST /api/ask on loopback (not a unit test).

    .venv/bin/python scripts/load_test.py --fake                 # starts the tests' fake engine
    .venv/bin/python scripts/load_test.py --url http://127.0.0.1:7860/ [--auth user:pass]

N concurrent clients (default 20) each send questions from a fixed mix of ten, back to
back, for a bounded time (default 60 s) and a bounded total count; then prints requests,
errors, throughput and p50/p95/max latency. Only loopback addresses are accepted.
"""
from __future__ import annotations

import argparse
import base64
import http.client
import ipaddress
import json
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parents[1]
QUESTIONS = [
    "Sở nào chủ trì giáo dục STEM?",
    "hạn chót xây dựng trung tâm dữ liệu?",
    "Sở TTTT phải làm gì về chuyển đổi số?",
    "co quan nao phoi hop dao tao nghe?",
    "Ai chủ trì cân đối ngân sách cho khoa học công nghệ?",
    "thoi gian thuc hien de an chuyen doi so tinh",
    "Sở Lao động - Thương binh và Xã hội làm gì về trường nghề?",
    "khai thác khoáng sản vật liệu xây dựng do ai chủ trì",
    "cơ sở dữ liệu quốc gia giai đoạn 2021 - 2025",
    "phát triển hạ tầng giao thông đến năm 2030",
]
MAX_CLIENTS, MAX_SECONDS = 200, 600


def loopback_only(url: str) -> tuple[str, int, str]:
    parts = urlsplit(url)
    host = parts.hostname or ""
    try:
        ok = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        ok = False
    if parts.scheme != "http" or not ok:
        sys.exit(f"load_test: chỉ chạy trên loopback http://127.0.0.1:... (got {url})")
    return host, parts.port or 80, parts.path.rstrip("/")


class Stats:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latencies: list[float] = []
        self.errors: dict[str, int] = {}
        self.sent = 0

    def take(self, limit: int) -> bool:
        with self.lock:
            if self.sent >= limit:
                return False
            self.sent += 1
            return True

    def record(self, seconds: float, error: str | None) -> None:
        with self.lock:
            self.latencies.append(seconds)
            if error:
                self.errors[error] = self.errors.get(error, 0) + 1


def client(n: int, host: str, port: int, prefix: str, headers: dict, stop_at: float, limit: int,
           timeout: float, stats: Stats) -> None:
    conn = http.client.HTTPConnection(host, port, timeout=timeout)
    i = n
    while time.monotonic() < stop_at and stats.take(limit):
        body = json.dumps({"question": QUESTIONS[i % len(QUESTIONS)], "k": 10}).encode()
        i += 1
        t0 = time.perf_counter()
        error = None
        try:
            conn.request("POST", prefix + "/api/ask", body, headers)
            resp = conn.getresponse()
            data = resp.read()
            if resp.status != 200:
                error = f"HTTP {resp.status}"
            elif "results" not in json.loads(data):
                error = "bad body"
        except (OSError, http.client.HTTPException, ValueError) as err:
            error = type(err).__name__
            conn.close()
            conn = http.client.HTTPConnection(host, port, timeout=timeout)
        stats.record(time.perf_counter() - t0, error)
    conn.close()


def percentile(sorted_values: list[float], q: float) -> float:
    if not sorted_values:
        return float("nan")
    idx = min(len(sorted_values) - 1, max(0, round(q * (len(sorted_values) - 1))))
    return sorted_values[idx]


def start_fake(delay: float) -> tuple[subprocess.Popen, str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    cmd = [sys.executable, str(REPO / "tests" / "ui_fake_engine.py"), "--port", str(port), "--delay", str(delay)]
    proc = subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/api/health")
            if conn.getresponse().status == 200:
                return proc, url
        except OSError:
            time.sleep(0.25)
        if proc.poll() is not None:
            break
    proc.terminate()
    sys.exit("load_test: máy chủ giả không khởi động được (fake server did not start)")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    target = p.add_mutually_exclusive_group(required=True)
    target.add_argument("--url", help="a running server on loopback, e.g. http://127.0.0.1:7860/")
    target.add_argument("--fake", action="store_true", help="start the tests' fake engine on a free port")
    p.add_argument("--delay", type=float, default=0.0, help="fake engine: seconds per question")
    p.add_argument("--clients", type=int, default=20)
    p.add_argument("--duration", type=float, default=60.0, help="seconds")
    p.add_argument("--max-requests", type=int, default=200_000)
    p.add_argument("--timeout", type=float, default=60.0, help="per request, seconds")
    p.add_argument("--auth", help="user:pass for HTTP Basic")
    p.add_argument("--json", action="store_true", help="print the summary as JSON")
    a = p.parse_args(argv)
    if not 1 <= a.clients <= MAX_CLIENTS or not 0 < a.duration <= MAX_SECONDS or a.max_requests < 1:
        p.error(f"clients 1..{MAX_CLIENTS}, duration 0..{MAX_SECONDS} s, max-requests >= 1")

    proc = None
    if a.fake:
        proc, url = start_fake(a.delay)
    else:
        url = a.url
    try:
        host, port, prefix = loopback_only(url)
        headers = {"Content-Type": "application/json"}
        if a.auth:
            headers["Authorization"] = "Basic " + base64.b64encode(a.auth.encode()).decode()
        stats = Stats()
        t0 = time.monotonic()
        stop_at = t0 + a.duration
        threads = [threading.Thread(target=client, args=(n, host, port, prefix, headers, stop_at,
                                                          a.max_requests, a.timeout, stats), daemon=True)
                   for n in range(a.clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(a.duration + a.timeout + 5)
        elapsed = time.monotonic() - t0
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait(15)

    lat = sorted(stats.latencies)
    summary = {
        "target": "fake engine" if a.fake else url, "clients": a.clients, "seconds": round(elapsed, 1),
        "requests": len(lat), "errors": sum(stats.errors.values()), "error_kinds": stats.errors,
        "rps": round(len(lat) / elapsed, 1) if elapsed else 0.0,
        "p50_ms": round(percentile(lat, 0.50) * 1000, 1), "p95_ms": round(percentile(lat, 0.95) * 1000, 1),
        "max_ms": round(lat[-1] * 1000, 1) if lat else float("nan"),
        "mean_ms": round(statistics.fmean(lat) * 1000, 1) if lat else float("nan"),
    }
    if a.json:
        print(json.dumps(summary, ensure_ascii=False))
    else:
        print(f"{summary['target']}: {summary['clients']} clients, {summary['seconds']} s, "
              f"{summary['requests']} requests ({summary['rps']}/s), {summary['errors']} errors "
              f"{summary['error_kinds'] or ''}")
        print(f"latency p50 {summary['p50_ms']} ms, p95 {summary['p95_ms']} ms, max {summary['max_ms']} ms, "
              f"mean {summary['mean_ms']} ms")
    return 1 if summary["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
