"""The restorer's cloze model: which syllable fits a gap, given the words on both sides.

Two small LSTMs read a paragraph, one left to right and one right to left; the syllable at position
i is predicted from the first one's state before i and the second one's state after i, P(w_i | the
rest). The trigram of the beam sees two syllables to the left only, so a short word the OCR damaged
("di" = đã before "phủ cáp quang", "mai" = mới) loses to a commoner reading however clearly the
words after it ask for it. The second reading of a document (restore_decode) adds
β·log P_cloze(candidate | the first reading's words around it) to each candidate, β =
`Params.cloze_weight`: one forward and one backward pass per paragraph serve every hypothesis.

Weights come from scripts/train_cloze.py (torch is needed only there); here numpy reads them,
stored in float16. Measured and not shipped (eval/RESTORE.md, round 7): no cloze.npz is in the
package, so the second reading does not use it; the hook stays as the place where a stronger
language model can be measured.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from kehoach.corpus.lm import UNK

_ARRAYS = ("emb", "fw_ih", "fw_hh", "fw_b", "bw_ih", "bw_hh", "bw_b", "proj_w", "proj_b", "out_b")


class ClozeLM:
    def __init__(self, vocab: list[str], **arrays: np.ndarray) -> None:
        self.vocab = list(vocab)
        self.ids = {t: i for i, t in enumerate(self.vocab)}
        a = {k: np.asarray(arrays[k], dtype=np.float32) for k in _ARRAYS}
        self.arrays = a
        # The input side of every gate for every syllable, computed once: a step is then a lookup
        # and one (4H x H) product.
        self._fw = (a["emb"] @ a["fw_ih"].T + a["fw_b"], a["fw_hh"])
        self._bw = (a["emb"] @ a["bw_ih"].T + a["bw_b"], a["bw_hh"])
        self.hidden = a["fw_hh"].shape[1]

    def _run(self, gates_in: np.ndarray, w_hh: np.ndarray, idx: list[int]) -> np.ndarray:
        H = self.hidden
        h = np.zeros(H, np.float32)
        c = np.zeros(H, np.float32)
        out = np.empty((len(idx), H), np.float32)
        for i, j in enumerate(idx):
            g = gates_in[j] + w_hh @ h
            c = _sigmoid(g[H:2 * H]) * c + _sigmoid(g[:H]) * np.tanh(g[2 * H:3 * H])
            h = _sigmoid(g[3 * H:]) * np.tanh(c)
            out[i] = h
        return out

    def logprobs(self, tokens: list[str]) -> np.ndarray:
        """`tokens` = BOS w_1 … w_n EOS; row i - 1 is the natural-log P(w_i | every other token)
        over the vocabulary."""
        unk = self.ids[UNK]
        idx = [self.ids.get(t, unk) for t in tokens]
        left = self._run(*self._fw, idx)
        right = self._run(*self._bw, idx[::-1])[::-1]
        a = self.arrays
        z = np.concatenate([left[:-2], right[2:]], axis=1)
        logits = (z @ a["proj_w"].T + a["proj_b"]) @ a["emb"].T + a["out_b"]
        logits -= logits.max(axis=1, keepdims=True)
        return logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))

    def bind(self, lm_vocab: list[str]) -> np.ndarray:
        """For each trigram token id, its row here, or -1 for a syllable this model's running text
        never had (it has no opinion on those)."""
        return np.array([self.ids.get(t, -1) if t != UNK else -1 for t in lm_vocab])

    def save(self, path: Path) -> None:
        tmp = path.with_name(path.name + ".tmp.npz")
        np.savez_compressed(tmp, vocab=np.array(self.vocab),
                            **{k: v.astype(np.float16) for k, v in self.arrays.items()})
        tmp.replace(path)

    @classmethod
    def load(cls, path: Path) -> ClozeLM:
        with np.load(path, allow_pickle=False) as z:
            return cls([str(t) for t in z["vocab"]], **{k: z[k] for k in _ARRAYS})


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 0.5 * (np.tanh(0.5 * x) + 1.0)
