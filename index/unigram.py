"""The converted model's tokenizer for short queries, loaded in milliseconds.

`tokenizers.Tokenizer.from_file` spends about a second (holding the GIL) building its Unigram model over
XLM-R's 250k pieces: half of a cold `kehoach ask`. A query needs only the pieces that match inside it, so
here the pieces live in a plain dict read from a compact cache file (written once from tokenizer.json),
normalisation and pre-tokenisation are delegated to the `tokenizers` objects of the same tokenizer.json
(built without the vocabulary, which is instant), and the Viterbi search is the one of tokenizers'
`Unigram::encode_optimized` (same unknown-piece penalty, fused unknowns, shortest piece kept on ties).
tests/test_query_encoder.py checks that the ids equal the `tokenizers` ids on every eval question, a fifth
of the bundled plans' lines and odd inputs (real model), and on a tiny tokenizer made in the test.
"""
from __future__ import annotations

import json
import marshal
from pathlib import Path

from kehoach.files import write_atomic

K_UNK_PENALTY = 10.0
CACHE_VERSION = 3
SEP = "\0"     # pieces are stored as one joined string: 250k small objects unmarshal far slower


class UnigramTokenizer:
    def __init__(self, pieces: dict[str, int], scores: list[float], unk_id: int, min_score: float, max_len: int,
                 frame, bos: int, eos: int, specials: list[str], max_piece: int):
        self.pieces = pieces
        self.scores = scores
        self.unk_id = unk_id
        self.unk_score = min_score - K_UNK_PENALTY
        self.max_piece = max_piece
        self.max_len = max_len
        self.frame = frame            # a `tokenizers` Tokenizer without vocabulary: normaliser, pre-tokenizer
        self.bos, self.eos = bos, eos
        self.specials = specials

    @classmethod
    def load(cls, tokenizer_json: Path, cache: Path, max_len: int) -> UnigramTokenizer | None:
        """None when tokenizer.json is not a plain Unigram with a <s> $A </s> template."""
        from tokenizers import Tokenizer

        data = _cached(tokenizer_json, cache)
        if data is None:
            return None
        import numpy as np

        frame = Tokenizer.from_str(data["frame"])
        names = data["blob"].split(SEP)
        # Reversed, so that a piece listed twice keeps its first id, as in tokenizers.
        pieces = dict(zip(reversed(names), range(len(names) - 1, -1, -1)))
        scores = np.frombuffer(data["scores"], "<f8").tolist()
        return cls(pieces, scores, data["unk_id"], data["min_score"], max_len, frame, data["bos"], data["eos"],
                   data["specials"], data["max_piece"])

    def ids(self, text: str) -> list[int] | None:
        """Token ids with <s> … </s>, truncated like the tokenizer; None for text this class does not handle."""
        if any(s in text for s in self.specials):
            return None               # added tokens are split out before normalisation: leave to tokenizers
        normalized = self.frame.normalizer.normalize_str(text)
        out = [self.bos]
        for word, _ in self.frame.pre_tokenizer.pre_tokenize_str(normalized):
            out.extend(self._viterbi(word))
        out = out[:self.max_len - 1]
        out.append(self.eos)
        return out

    def _viterbi(self, word: str) -> list[int]:
        n = len(word)
        score = [0.0] + [None] * n          # best path score ending at each char position
        start = [0] * (n + 1)
        ident = [0] * (n + 1)
        pieces, scores, max_piece = self.pieces, self.scores, self.max_piece
        for i in range(n):
            base = score[i]
            single = False
            for j in range(i + 1, min(n, i + max_piece) + 1):
                hit = pieces.get(word[i:j])
                if hit is None:
                    continue
                cand = base + scores[hit]
                if score[j] is None or cand > score[j]:
                    score[j], start[j], ident[j] = cand, i, hit
                if j == i + 1:
                    single = True
            if not single:
                cand = base + self.unk_score
                if score[i + 1] is None or cand > score[i + 1]:
                    score[i + 1], start[i + 1], ident[i + 1] = cand, i, self.unk_id
        out: list[int] = []
        end = n
        while end > 0:
            tid = ident[end]
            if tid == self.unk_id and out and out[-1] == self.unk_id:
                pass                         # consecutive unknown pieces are fused into one
            else:
                out.append(tid)
            end = start[end]
        out.reverse()
        return out


def _cached(tokenizer_json: Path, cache: Path) -> dict | None:
    stat = tokenizer_json.stat()
    stamp = f"{CACHE_VERSION}|{tokenizer_json.resolve()}|{stat.st_size}|{stat.st_mtime_ns}"
    try:
        with cache.open("rb") as fh:
            data = marshal.load(fh)
        if data.get("stamp") == stamp:
            return data
    except (OSError, ValueError, EOFError, TypeError):
        pass
    data = _extract(tokenizer_json)
    if data is None:
        return None
    data["stamp"] = stamp
    write_atomic(cache, lambda fh: marshal.dump(data, fh), "wb", shared=True)
    return data


def _extract(tokenizer_json: Path) -> dict | None:
    spec = json.loads(tokenizer_json.read_text("utf-8"))
    model = spec.get("model") or {}
    post = spec.get("post_processor") or {}
    if model.get("type") != "Unigram" or model.get("byte_fallback") or model.get("unk_id") is None:
        return None
    if post.get("type") != "TemplateProcessing":
        return None
    single = [next(iter(item)) for item in post.get("single", [])]
    if single != ["SpecialToken", "Sequence", "SpecialToken"]:
        return None
    bos_tok = post["single"][0]["SpecialToken"]["id"]
    eos_tok = post["single"][2]["SpecialToken"]["id"]
    import numpy as np

    vocab = model["vocab"]
    names = [piece for piece, _ in vocab]
    if any(SEP in p for p in names):
        return None
    ids: dict[str, int] = {}
    for i, piece in enumerate(names):
        ids.setdefault(piece, i)
    frame = dict(spec)
    frame["model"] = {**model, "vocab": [vocab[model["unk_id"]]], "unk_id": 0}
    frame["added_tokens"] = []
    frame["post_processor"] = None
    frame["truncation"] = None
    frame["padding"] = None
    return {"blob": SEP.join(names), "scores": np.asarray([s for _, s in vocab], "<f8").tobytes(),
            "unk_id": int(model["unk_id"]), "min_score": min(float(s) for _, s in vocab),
            "bos": ids[bos_tok], "eos": ids[eos_tok], "frame": json.dumps(frame, ensure_ascii=False),
            "specials": [t["content"] for t in spec.get("added_tokens", [])], "max_piece": max(map(len, names))}
