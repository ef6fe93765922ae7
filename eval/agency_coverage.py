"""Share of the agency strings printed in plans-dev that the resolver gets right.

Usage: python -m kehoach.eval.agency_coverage [LABELS.tsv] [--plans DIR] [--context] [-v]
Runs on whatever `kehoach` is importable, so the same script measures the baseline
checkout and this one. Each labelled string is resolved as an agency field; it is
right when it gives exactly the expected directory name, or, for a body no directory
lists ("="), when it is kept as printed. A string given another agency's name is wrong
(a Bộ turned into a Sở); one left unmatched is unresolved.
"""
from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from kehoach.corpus.agencies import Directory
from kehoach.corpus.text import nfc, normalize_space

LABELS = Path(__file__).with_name("plans_dev_agencies.tsv")
# ../shared/plans-dev beside the repository (a worktree sits one level deeper).
PLANS = next((p for p in (Path(__file__).resolve().parents[n] / "shared" / "plans-dev" for n in (2, 3)) if p.is_dir()),
             Path("plans-dev"))


def rows(path: Path) -> list[tuple[str, str, str]]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            doc, printed, expected = line.split("\t")
            out.append((doc, nfc(printed), nfc(expected)))
    return out


def outcome(directory: Directory, printed: str, expected: str, issuer: str | None = None, ctx=None) -> str:
    res = directory.resolve(printed, issuer, context=ctx) if ctx is not None else directory.resolve(printed, issuer)
    recognised = getattr(res, "recognised", [])
    if res.unresolved or not res.canonical:
        return "unresolved"
    if expected == "=":
        kept = res.canonical == recognised and len(recognised) == 1
        return "right" if kept and normalize_space(recognised[0]).casefold() in printed.casefold() else "wrong"
    return "right" if res.canonical == [expected] else "wrong"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("labels", nargs="?", default=str(LABELS))
    ap.add_argument("--plans", default=str(PLANS), help="plans-dev folder: checks every string is printed there")
    ap.add_argument("-v", "--verbose", action="store_true")
    ap.add_argument("--context", action="store_true", help="resolve in each document's context (issuer, province)")
    args = ap.parse_args(argv)
    labelled = rows(Path(args.labels))
    plans = Path(args.plans)
    if plans.is_dir():
        texts = {p.name: nfc(p.read_text(encoding="utf-8")) for p in plans.glob("*.txt")}
        missing = [(d, s) for d, s, _ in labelled if not d.startswith(("bc-", "pl-"))   # .docx: not plain text
                   and not any(n.startswith(d) and s in t for n, t in texts.items())]
        if missing:
            print(f"not printed in plans-dev: {missing}", file=sys.stderr)
    directory = Directory.load()
    issuers, contexts = {}, {}
    if plans.is_dir() and args.context:
        # Each document's issuer as the pipeline reads it; and, where the code has one, its context.
        from kehoach.corpus import loaders
        from kehoach.corpus.metadata import plan_info
        for p in sorted(plans.iterdir()):
            if p.suffix in (".txt", ".docx"):
                lines = loaders.load_lines(p)
                info = plan_info(p.name, lines, loaders.sha256_file(p))
                issuers[p.name[:12]] = info.issuer
                if hasattr(directory, "context"):
                    title = f"{info.title} {info.subject or ''}"
                    contexts[p.name[:12]] = directory.context(info.issuer, lines[:15], title)
    counts: Counter[tuple[str, str]] = Counter()
    for doc, printed, expected in labelled:
        kind = "unlisted" if expected == "=" else "listed"
        got = outcome(directory, printed, expected, issuers.get(doc), contexts.get(doc))
        counts[(kind, got)] += 1
        if args.verbose and got != "right":
            print(f"{got:10} {doc}\t{printed} (want {expected})")
    n = len(labelled)
    for kind in ("listed", "unlisted"):
        k = sum(v for (kk, _), v in counts.items() if kk == kind)
        print(f"{kind:9} {k:3}: " + ", ".join(f"{g} {counts[(kind, g)]}" for g in ("right", "wrong", "unresolved")))
    share = {g: sum(v for (_, gg), v in counts.items() if gg == g) / n for g in ("right", "wrong", "unresolved")}
    print(f"all       {n:3}: " + ", ".join(f"{g} {v:.3f}" for g, v in share.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
