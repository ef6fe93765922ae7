"""Train the restorer's cloze model (corpus/data/cloze.npz): two small LSTMs, P(syllable | both sides).

    .venv/bin/python scripts/train_cloze.py [--out DIR] [--epochs 10] [--emb 128] [--hidden 256]

Same running text as the trigram (scripts/train_restorer.py), no dictionaries: the clean bundled
plans, admin-vi.txt and the agency names, cut into pieces of at most 60 syllables. No OCR text and
no truth line is read. Torch is needed only here; the product reads the weights with numpy
(corpus/restore_neural.py). Seeded; rebuilt with the same torch version and 2 threads it gives the
same weights.
"""
from __future__ import annotations

import argparse
import copy
import math
import random
import sys
import time
from collections import Counter
from pathlib import Path

import torch
from torch import nn

sys.path.insert(0, str(Path(__file__).resolve().parent))
from train_restorer import LM_TEXT, agency_names, paragraphs, read_lines  # noqa: E402

from kehoach.config import bundled_corpus_dir  # noqa: E402
from kehoach.corpus.lm import BOS, EOS, UNK  # noqa: E402
from kehoach.corpus.ocr_detect import document_is_ocr  # noqa: E402
from kehoach.corpus.restore import DATA_DIR, clean_tokens  # noqa: E402
from kehoach.corpus.restore_neural import ClozeLM  # noqa: E402

# Chosen on the tune split of eval/ocr_truth.jsonl (eval/RESTORE.md, round 7).
EMB, HIDDEN, DROPOUT, EPOCHS, BATCH, PIECE, LR = 128, 256, 0.4, 10, 64, 60, 3e-3
PAD = "<pad>"


class Cloze(nn.Module):
    def __init__(self, vocab: int, emb: int, hidden: int, dropout: float) -> None:
        super().__init__()
        self.emb = nn.Embedding(vocab, emb, padding_idx=0)
        self.drop = nn.Dropout(dropout)
        self.fw = nn.LSTM(emb, hidden, batch_first=True)
        self.bw = nn.LSTM(emb, hidden, batch_first=True)
        self.proj = nn.Linear(2 * hidden, emb)
        self.out = nn.Linear(emb, vocab)
        self.out.weight = self.emb.weight   # tied: input and output share what a syllable is

    def forward(self, x: torch.Tensor, lens: torch.Tensor) -> torch.Tensor:
        e = self.drop(self.emb(x))
        left, _ = self.fw(e)
        # Right to left within each sequence's own length (padding stays at the end).
        pos = torch.arange(x.size(1)).unsqueeze(0).expand_as(x)
        rev = (lens.unsqueeze(1) - 1 - pos).clamp(min=0)
        right, _ = self.bw(e.gather(1, rev.unsqueeze(-1).expand_as(e)))
        right = right.gather(1, rev.unsqueeze(-1).expand(-1, -1, right.size(-1)))
        # Position i (1 .. n) from the left state at i - 1 and the right state at i + 1.
        return self.out(self.drop(self.proj(torch.cat([left[:, :-2], right[:, 2:]], -1))))


def run(model: Cloze, pieces: list[list[int]], vocab: int, opt) -> float:
    """One pass over the pieces (a training epoch when `opt` is given); the perplexity."""
    total = count = 0.0
    for i in range(0, len(pieces), BATCH):
        batch = pieces[i:i + BATCH]
        width = max(map(len, batch))
        x = torch.tensor([p + [0] * (width - len(p)) for p in batch])
        lens = torch.tensor([len(p) for p in batch])
        y = x[:, 1:-1].clone()
        inside = torch.arange(width - 2).unsqueeze(0) < (lens - 2).unsqueeze(1)
        y[~inside] = -100
        loss = nn.functional.cross_entropy(model(x, lens).reshape(-1, vocab), y.reshape(-1), ignore_index=-100)
        if opt is not None:
            opt.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
        k = int(inside.sum())
        total, count = total + loss.item() * k, count + k
    return math.exp(total / count)


def training_sequences(lm_text: Path) -> list[list[str]]:
    seqs = []
    for path in sorted(bundled_corpus_dir().glob("*.txt")):
        lines = read_lines(path)
        if not document_is_ocr(lines):
            seqs += [clean_tokens(p) for p in paragraphs(lines)]
    if str(lm_text) not in ("", "."):
        seqs += [clean_tokens([line]) for line in read_lines(lm_text) if line.strip()]
    seqs += [clean_tokens([n]) for n in agency_names(True)]
    return [s for s in seqs if s]


def export(model: Cloze, vocab: list[str]) -> ClozeLM:
    sd = {k: v.detach().numpy() for k, v in model.state_dict().items()}
    return ClozeLM(vocab, emb=sd["emb.weight"], fw_ih=sd["fw.weight_ih_l0"], fw_hh=sd["fw.weight_hh_l0"],
                   fw_b=sd["fw.bias_ih_l0"] + sd["fw.bias_hh_l0"], bw_ih=sd["bw.weight_ih_l0"],
                   bw_hh=sd["bw.weight_hh_l0"], bw_b=sd["bw.bias_ih_l0"] + sd["bw.bias_hh_l0"],
                   proj_w=sd["proj.weight"], proj_b=sd["proj.bias"], out_b=sd["out.bias"])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=DATA_DIR)
    ap.add_argument("--lm-text", type=Path, default=LM_TEXT)
    ap.add_argument("--epochs", type=int, default=EPOCHS)
    ap.add_argument("--emb", type=int, default=EMB)
    ap.add_argument("--hidden", type=int, default=HIDDEN)
    ap.add_argument("--dropout", type=float, default=DROPOUT)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--held-out", type=float, default=0.0, metavar="SHARE",
                    help="hold out this share of the pieces and keep the epoch they like best (measuring)")
    args = ap.parse_args()
    torch.manual_seed(0)
    random.seed(0)
    torch.set_num_threads(args.threads)
    t0 = time.time()
    seqs = training_sequences(args.lm_text)
    counts = Counter(t for s in seqs for t in s)
    vocab = [PAD, BOS, EOS, UNK] + sorted(t for t in counts if t not in (BOS, EOS, UNK))
    ids = {t: i for i, t in enumerate(vocab)}
    pieces = [[ids[BOS]] + [ids[t] for t in s[i:i + PIECE]] + [ids[EOS]]
              for s in seqs for i in range(0, len(s), PIECE)]
    held = []
    if args.held_out:
        # Measuring only: a share of the pieces held out, and the epoch that fills their gaps best kept.
        random.shuffle(pieces)
        cut = int(len(pieces) * args.held_out)
        held, pieces = pieces[:cut], pieces[cut:]
    print(f"{len(pieces)} pieces, {sum(map(len, pieces))} tokens, vocabulary {len(vocab)}", flush=True)
    model = Cloze(len(vocab), args.emb, args.hidden, args.dropout)
    best, best_state = math.inf, None
    opt = torch.optim.Adam(model.parameters(), lr=LR)
    for epoch in range(args.epochs):
        if epoch == args.epochs - 2:
            for group in opt.param_groups:
                group["lr"] /= 4   # settle at the end
        random.shuffle(pieces)
        model.train()
        train = run(model, pieces, len(vocab), opt)
        model.eval()
        val = math.inf
        if held:
            with torch.no_grad():
                val = run(model, held, len(vocab), None)
        shown = f", held out {val:.1f}" if held else ""
        print(f"epoch {epoch + 1}: training perplexity {train:.1f}{shown}, {time.time() - t0:.0f}s", flush=True)
        if held and val < best:
            best, best_state = val, copy.deepcopy(model.state_dict())
    if best_state is not None:
        model.load_state_dict(best_state)
    args.out.mkdir(parents=True, exist_ok=True)
    export(model, vocab).save(args.out / "cloze.npz")
    size = (args.out / "cloze.npz").stat().st_size / 1e6
    print(f"wrote {args.out / 'cloze.npz'} ({size:.2f} MB) in {time.time() - t0:.0f}s")


if __name__ == "__main__":
    main()
