#!/usr/bin/env python3
"""Start-up and throughput benchmark, today's code against this tree, in ONE run (a script, not a test).

    .venv/bin/python scripts/bench_startup.py --base /work/wt/base [--seconds 60] [--clients 20]

For each variant ("today" = the tree at --base, "now" = this tree's committed HEAD):
1. its source is exported with `git archive` and `pip install --no-deps --no-build-isolation` into a fresh
   venv made by `python -m venv --without-pip`, whose site-packages gets a .pth line pointing at this
   interpreter's site-packages (the dependencies, already installed: nothing is downloaded, and the
   kehoach installed is only the fresh one); KEHOACH_HOME is an empty temporary folder and the model
   folder is inside it (so the first run converts the model, as a new user's does);
2. first `kehoach ask` (builds everything), then cold `kehoach ask` with the index built (median of
   --cold-runs), and `python -X importtime` of the same command, summed per top-level package;
3. warm `Engine.ask` p50/p95 over the 188 eval questions at 1 and 2 query threads (in a subprocess of the
   variant's venv);
4. `kehoach serve` + scripts/load_test.py: --clients concurrent clients for --seconds on loopback;
5. the eval metrics (dev and held-out, hybrid and dense) and, for "now", the parity of the query runtime:
   cosine of ONNX Runtime / numpy query vectors against sentence-transformers on the 188 questions, and the
   metrics with queries through sentence-transformers (KEHOACH_QUERY_RUNTIME=torch) on the same index.
Prints one markdown table (progress on stderr); --json FILE keeps the raw figures.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
QUESTION = "hạn chót xây dựng trung tâm dữ liệu?"


def say(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def loadavg() -> str:
    return " / ".join(f"{x:.1f}" for x in os.getloadavg())


class Variant:
    def __init__(self, name: str, src: Path, root: Path):
        self.name, self.src, self.root = name, src, root
        self.venv = root / "venv"
        self.home = root / "home"
        self.bin = self.venv / "bin"
        self.fig: dict = {}

    def env(self, **extra) -> dict:
        env = {k: v for k, v in os.environ.items()
               if k not in ("PYTHONPATH", "KEHOACH_MODEL_DIR", "KEHOACH_MODEL", "KEHOACH_QUERY_RUNTIME",
                            "VIRTUAL_ENV", "KEHOACH_DEBUG")}
        env.update(KEHOACH_HOME=str(self.home), PATH=f"{self.bin}:{env.get('PATH', '')}",
                   VIRTUAL_ENV=str(self.venv))
        env.update({k: str(v) for k, v in extra.items()})
        return env

    def install(self) -> float:
        export = self.root / "src"
        export.mkdir(parents=True)
        tar = subprocess.run(["git", "-C", str(self.src), "archive", "HEAD"], check=True, capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", str(export)], input=tar, check=True)
        subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(self.venv)], check=True)
        purelib = "import sysconfig; print(sysconfig.get_paths()['purelib'])"
        site = Path(subprocess.run([str(self.bin / "python"), "-c", purelib],
                                   check=True, capture_output=True, text=True).stdout.strip())
        (site / "_deps_from_shared_venv.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
        t0 = time.perf_counter()
        subprocess.run([str(self.bin / "python"), "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation",
                        "--disable-pip-version-check", str(export)], check=True, env=self.env(),
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        self.home.mkdir()
        return time.perf_counter() - t0

    def run(self, args: list[str], timeout: float = 900, **extra) -> tuple[float, subprocess.CompletedProcess]:
        t0 = time.perf_counter()
        p = subprocess.run(args, env=self.env(**extra), capture_output=True, text=True, timeout=timeout,
                           cwd=self.root)
        return time.perf_counter() - t0, p


def ask_cmd(v: Variant) -> list[str]:
    return [str(v.bin / "kehoach"), "ask", "--json", QUESTION]


def first_and_cold(v: Variant, cold_runs: int) -> None:
    say(f"{v.name}: first kehoach ask (empty home; load {loadavg()})")
    secs, p = v.run(ask_cmd(v))
    ok = p.returncode == 0 and '"found": true' in p.stdout
    v.fig["first"] = {"seconds": secs, "ok": ok, "load": loadavg(), "stderr_tail": p.stderr.strip().splitlines()[-3:]}
    times = []
    for _ in range(cold_runs):
        secs, p = v.run(ask_cmd(v))
        times.append(secs)
    v.fig["cold"] = {"median": statistics.median(times), "all": times, "ok": p.returncode == 0}
    say(f"{v.name}: first {v.fig['first']['seconds']:.1f} s, cold {v.fig['cold']['median']:.2f} s")
    _, p = v.run([str(v.bin / "python"), "-X", "importtime", "-c",
                  f"from kehoach.cli import main; main(['ask', '--json', {QUESTION!r}])"])
    v.fig["imports"] = importtime(p.stderr)


def importtime(stderr: str) -> dict[str, float]:
    """Import time of each package on the path (seconds): `-X importtime`'s self times summed per top-level
    package, wherever it was imported from (numpy imported by kehoach counts as numpy)."""
    tops: dict[str, float] = {}
    for line in stderr.splitlines():
        m = re.match(r"import time:\s+(\d+) \|\s+(\d+) \| (\s*)(\S+)", line)
        if m:
            pkg = m.group(4).split(".")[0]
            tops[pkg] = tops.get(pkg, 0.0) + int(m.group(1)) / 1e6
    return dict(sorted(tops.items(), key=lambda kv: -kv[1]))


WARM = r"""
import json, sys, time, statistics
from kehoach.config import Config
from kehoach.qa.engine import Engine
qs = [json.loads(l)["question"] for f in sys.argv[1:3] for l in open(f, encoding="utf-8")]
out = {}
for threads in (1, 2):
    engine = Engine.load(Config.load(query_threads=threads))
    for q in qs[:5]:
        engine.ask(q)
    ts = []
    for q in qs:
        t0 = time.perf_counter(); engine.ask(q); ts.append((time.perf_counter() - t0) * 1000)
    ts.sort()
    out[threads] = {"p50": statistics.median(ts), "p95": ts[int(0.95 * (len(ts) - 1))], "n": len(ts),
                    "runtime": getattr(getattr(engine.searcher, "query_encoder", None), "runtime",
                                       "sentence-transformers")}
    del engine
print(json.dumps(out))
"""


def warm(v: Variant) -> None:
    say(f"{v.name}: warm Engine.ask (load {loadavg()})")
    v.fig["warm"] = on_questions(v, WARM)


def on_questions(v: Variant, script: str) -> dict:
    """Runs a `python -c` script of the variant on the dev and held-out questions; its last line is JSON."""
    _, p = v.run([str(v.bin / "python"), "-c", script, str(REPO / "eval/dev.jsonl"), str(REPO / "eval/heldout.jsonl")])
    if p.returncode:
        raise RuntimeError(p.stderr[-2000:])
    return json.loads(p.stdout.strip().splitlines()[-1])


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def load_test(v: Variant, clients: int, seconds: float) -> None:
    port = free_port()
    say(f"{v.name}: serve on {port}, {clients} clients × {seconds:.0f} s (load {loadavg()})")
    server = subprocess.Popen([str(v.bin / "kehoach"), "serve", "--port", str(port)], env=v.env(),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=v.root,
                              start_new_session=True)
    try:
        deadline = time.time() + 300
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                time.sleep(0.5)
        else:
            raise RuntimeError("server did not start")
        p = subprocess.run([sys.executable, str(REPO / "scripts/load_test.py"), "--url", f"http://127.0.0.1:{port}/",
                            "--clients", str(clients), "--duration", str(seconds), "--json"],
                           capture_output=True, text=True, timeout=seconds + 300)
        if not p.stdout.strip():
            raise RuntimeError(p.stderr[-1500:])
        v.fig["load"] = json.loads(p.stdout.strip().splitlines()[-1])
        v.fig["load"]["loadavg"] = loadavg()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)


def evaluation(v: Variant, key: str, **extra) -> None:
    out = {}
    for gold in ("dev", "heldout"):
        rep = v.root / f"eval-{key}"
        say(f"{v.name}: eval {gold} ({key})")
        _, p = v.run([str(v.bin / "kehoach"), "eval", str(REPO / f"eval/{gold}.jsonl"), "--no-baseline",
                      "--out", str(rep)], **extra)
        if p.returncode:
            raise RuntimeError(p.stdout[-1500:] + p.stderr[-1500:])
        r = json.loads((rep / f"eval-{gold}.json").read_text("utf-8"))
        out[gold] = {s: {m: r["systems"][s]["all"].get(m) for m in ("recall@1", "recall@5", "mrr@10")}
                     for s in ("hybrid", "dense")}
    v.fig[key] = out


PARITY = r"""
import json, sys
import numpy as np
from kehoach.config import Config
from kehoach.index.model import Encoder
from kehoach.index.query_encoder import QueryEncoder
qs = [json.loads(l)["question"] for f in sys.argv[1:3] for l in open(f, encoding="utf-8")]
cfg = Config.load()
ref = Encoder.load(cfg).encode_queries(qs)
out = {"n": len(qs)}
for runtime in ("onnx", "numpy"):
    got = QueryEncoder.load(cfg, runtime=runtime).encode_queries(qs)
    cos = (got * ref).sum(1)
    out[runtime] = {"min": float(cos.min()), "mean": float(cos.mean())}
print(json.dumps(out))
"""


def parity(v: Variant) -> None:
    say(f"{v.name}: query-runtime parity")
    v.fig["parity"] = on_questions(v, PARITY)


# ---------------------------------------------------------------- the table

def table(today: Variant, now: Variant, args) -> str:
    rows = ["| measurement | today (base) | now | now ÷ today | target |", "|---|---|---|---|---|"]

    def add(what, a, b, ratio="", target=""):
        rows.append(f"| {what} | {a} | {b} | {ratio} | {target} |")

    def ok(value, limit, unit):
        return f"≤ {limit:g} {unit}: {'PASS' if value <= limit else 'FAIL'}"

    t, n = today.fig, now.fig
    add("first `kehoach ask` after `pip install .`, empty KEHOACH_HOME (model, parse, restore, index, answer)",
        f"{t['first']['seconds']:.1f} s (load {t['first']['load']})",
        f"{n['first']['seconds']:.1f} s (load {n['first']['load']})",
        f"×{n['first']['seconds'] / t['first']['seconds']:.2f}", ok(n["first"]["seconds"], 20, "s"))
    add(f"cold `kehoach ask --json` with the index built (median of {args.cold_runs})",
        f"{t['cold']['median']:.2f} s", f"{n['cold']['median']:.2f} s",
        f"×{n['cold']['median'] / t['cold']['median']:.2f}", ok(n["cold"]["median"], 2, "s"))
    for label, fig in (("today", t), ("now", n)):
        top = ", ".join(f"{k} {v:.2f}" for k, v in list(fig["imports"].items())[:9])
        add(f"import time per package on that path, {label} (s, `-X importtime` self times summed per package)",
            top if label == "today" else "", top if label == "now" else "")
    for th in ("1", "2"):
        a, b = t["warm"][th], n["warm"][th]
        add(f"warm `Engine.ask` p50 / p95, {th} query thread{'s' if th == '2' else ''} ({b['n']} eval questions)",
            f"{a['p50']:.1f} / {a['p95']:.1f} ms ({a['runtime']})",
            f"{b['p50']:.1f} / {b['p95']:.1f} ms ({b['runtime']})",
            f"×{b['p50'] / a['p50']:.2f}", ok(b["p50"], 15, "ms") if th == "1" else "")
    a, b = t["load"], n["load"]
    add(f"`/api/ask`, {args.clients} clients × {args.seconds:.0f} s: requests/s · errors · p50 / p95",
        f"{a['rps']} req/s · {a['errors']} errors · {a['p50_ms']} / {a['p95_ms']} ms (load {a['loadavg']})",
        f"{b['rps']} req/s · {b['errors']} errors · {b['p50_ms']} / {b['p95_ms']} ms (load {b['loadavg']})",
        f"×{b['rps'] / a['rps']:.2f}",
        f"0 errors, ≥ ×2: {'PASS' if b['errors'] == 0 and b['rps'] >= 2 * a['rps'] else 'FAIL'}")
    par = n["parity"]
    add(f"query vectors vs sentence-transformers, cosine min / mean ({par['n']} questions)", "(sentence-transformers)",
        f"ONNX Runtime {par['onnx']['min']:.7f} / {par['onnx']['mean']:.7f}; numpy {par['numpy']['min']:.7f} / "
        f"{par['numpy']['mean']:.7f}", "",
        f"≥ 0.999: {'PASS' if min(par['onnx']['min'], par['numpy']['min']) >= 0.999 else 'FAIL'}")
    for gold in ("dev", "heldout"):
        for system in ("hybrid", "dense"):
            def fmt(m):
                return " / ".join(f"{m[k]:.3f}" for k in ("recall@1", "recall@5", "mrr@10"))
            a = t["eval"][gold][system]
            b = n["eval"][gold][system]
            c = n["eval_torch"][gold][system]
            same = b == c
            add(f"{gold} {system} R@1 / R@5 / MRR@10", fmt(a),
                f"{fmt(b)} (queries through sentence-transformers on the same index: {fmt(c)})",
                "", f"unchanged by the query runtime: {'PASS' if same else 'DIFF'}")
    return "\n".join(rows)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--base", default="/work/wt/base", help="checkout of today's code")
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=60.0)
    ap.add_argument("--cold-runs", type=int, default=3)
    ap.add_argument("--json", metavar="FILE")
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder")
    ap.add_argument("--reuse", metavar="DIR", help="a folder kept by --keep: skip install, first and cold runs")
    args = ap.parse_args()
    t_start = time.perf_counter()
    tmp = Path(args.reuse) if args.reuse else Path(tempfile.mkdtemp(prefix="kehoach-bench-startup-"))
    say(f"working folder {tmp}")
    started, load0 = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), loadavg()
    today = Variant("today", Path(args.base), tmp / "today")
    now = Variant("now", REPO, tmp / "now")
    try:
        if args.reuse:
            for v in (today, now):
                v.fig.update(json.loads((v.root / "figures.json").read_text()))
        else:
            for v in (today, now):
                say(f"{v.name}: fresh venv + pip install --no-deps of {v.src}")
                v.fig["install_s"] = v.install()
            for v in (today, now):
                first_and_cold(v, args.cold_runs)
                (v.root / "figures.json").write_text(json.dumps(v.fig))
        for v in (today, now):
            warm(v)
        for v in (today, now):
            load_test(v, args.clients, args.seconds)
        parity(now)
        evaluation(today, "eval")
        evaluation(now, "eval")
        evaluation(now, "eval_torch", KEHOACH_QUERY_RUNTIME="torch")
    finally:
        if not (args.keep or args.reuse):
            shutil.rmtree(tmp, ignore_errors=True)
    head = (f"kehoach start-up benchmark — `scripts/bench_startup.py` — {started}, "
            f"{(time.perf_counter() - t_start) / 60:.0f} min; 1/5/15-min load average {load0} at start, "
            f"{loadavg()} at end "
            f"(2 CPUs shared with other jobs: above 2, latencies are inflated)\n"
            f"today = {today.src} (`git archive HEAD`), now = {now.src} HEAD; each pip-installed (--no-deps) into "
            f"its own fresh venv with an empty KEHOACH_HOME\n")
    print(head)
    print(table(today, now, args))
    if args.json:
        Path(args.json).write_text(json.dumps({"today": today.fig, "now": now.fig, "load_start": load0,
                                               "load_end": loadavg()}, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
