"""The converted BERT's forward pass in numpy: BertModel -> mean pooling -> normalise, without torch.

The word-embedding table (384 MB) stays memory-mapped, so loading touches only the rows a query uses.
Only what the converted e5 model needs is supported: a `bert` config with absolute positions and exact
(erf) GELU, a Transformer -> mean Pooling -> Normalize pipeline, float32 or float16 weights. Any other
model returns None from `NumpyEncoder.load`.
"""
from __future__ import annotations

import json
import logging
import math
import threading
import unicodedata
from collections.abc import Sequence
from functools import cached_property
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

_DTYPES = {"F32": np.float32, "F16": np.float16}
_ST_MODULES = ["sentence_transformers.models.Transformer", "sentence_transformers.models.Pooling",
               "sentence_transformers.models.Normalize"]


def read_safetensors(path: Path) -> dict[str, np.ndarray]:
    """Every tensor of a .safetensors file as a read-only memory map (nothing is read until used)."""
    with path.open("rb") as fh:
        n = int.from_bytes(fh.read(8), "little")
        header = json.loads(fh.read(n))
    base = 8 + n
    raw = np.memmap(path, dtype=np.uint8, mode="r")
    out = {}
    for name, meta in header.items():
        if name == "__metadata__":
            continue
        dtype = _DTYPES.get(meta["dtype"])
        if dtype is None:
            raise ValueError(f"unsupported dtype {meta['dtype']} for {name}")
        a, b = meta["data_offsets"]
        out[name] = raw[base + a:base + b].view(dtype).reshape(meta["shape"])
    return out


def supported(path: Path) -> str | None:
    """Why this directory cannot be run here, or None when it can."""
    try:
        config = json.loads((path / "config.json").read_text("utf-8"))
        modules = json.loads((path / "modules.json").read_text("utf-8"))
        pooling = json.loads((path / "1_Pooling" / "config.json").read_text("utf-8"))
        st_cfg = json.loads((path / "sentence_bert_config.json").read_text("utf-8"))
    except (OSError, ValueError) as exc:
        return f"unreadable model files ({exc})"
    if config.get("model_type") != "bert" or config.get("hidden_act") != "gelu":
        return "not a BERT with exact GELU"
    if config.get("position_embedding_type", "absolute") != "absolute":
        return "relative position embeddings"
    if [m.get("type") for m in modules] != _ST_MODULES:
        return "not Transformer -> Pooling -> Normalize"
    modes = {k for k, v in pooling.items() if k.startswith("pooling_mode") and v}
    if modes != {"pooling_mode_mean_tokens"}:
        return "pooling other than the mean"
    if st_cfg.get("do_lower_case"):
        return "lower-casing tokenizer"
    if not (path / "model.safetensors").is_file() or not (path / "tokenizer.json").is_file():
        return "no model.safetensors or tokenizer.json"
    return None


def _erf(x: np.ndarray) -> np.ndarray:
    """Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7, below float32 noise): numpy has no erf."""
    s = np.sign(x)
    a = np.abs(x)
    t = 1.0 / (1.0 + 0.3275911 * a)
    y = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
    return s * (1.0 - y * np.exp(-a * a))


def _gelu(x: np.ndarray) -> np.ndarray:
    return 0.5 * x * (1.0 + _erf(x * np.float32(1 / math.sqrt(2))))


def _layer_norm(x: np.ndarray, w: np.ndarray, b: np.ndarray, eps: float) -> np.ndarray:
    mu = x.mean(-1, keepdims=True)
    xc = x - mu
    var = (xc * xc).mean(-1, keepdims=True)
    return xc / np.sqrt(var + eps) * w + b


class NumpyEncoder:
    """One model directory, loaded once; `encode` is safe to call from several threads."""

    def __init__(self, path: Path, tensors: dict[str, np.ndarray], config: dict, max_len: int,
                 fast_tokenizer=None):
        self.path = path
        self.fast = fast_tokenizer
        self._hf = None
        self.max_len = max_len
        self.eps = float(config.get("layer_norm_eps", 1e-12))
        self.heads = int(config["num_attention_heads"])
        self.hidden = int(config["hidden_size"])
        self.dim = self.hidden
        f32 = np.float32
        t = tensors
        # The big table stays mapped; everything else is small enough to hold as contiguous float32.
        self.word = t["embeddings.word_embeddings.weight"]
        self.pos = np.ascontiguousarray(t["embeddings.position_embeddings.weight"], f32)
        self.type0 = np.asarray(t["embeddings.token_type_embeddings.weight"][0], f32)
        self.emb_ln = (np.asarray(t["embeddings.LayerNorm.weight"], f32),
                       np.asarray(t["embeddings.LayerNorm.bias"], f32))
        self._tensors = tensors
        self._n_layers = int(config["num_hidden_layers"])
        # tokenizers' Tokenizer is not safe to share between threads ("Already borrowed").
        self._tok_lock = threading.Lock()

    @cached_property
    def layers(self) -> list[tuple]:
        """The transformer's weights as contiguous float32, made on first use: ONNX Runtime sessions read
        their own file, so a query served by them never pays for this copy (85 MB, ~0.1 s)."""
        f32 = np.float32
        t = self._tensors
        layers = []
        for i in range(self._n_layers):
            p = f"encoder.layer.{i}."

            def w(name: str, p: str = p) -> np.ndarray:
                return np.asarray(t[p + name], f32)
            # Q, K and V in one [in, 3*out] matrix: one BLAS call instead of three.
            qkv = np.ascontiguousarray(np.concatenate([w("attention.self.query.weight"), w("attention.self.key.weight"),
                                                       w("attention.self.value.weight")]).T)
            qkv_b = np.concatenate([w("attention.self.query.bias"), w("attention.self.key.bias"),
                                    w("attention.self.value.bias")])
            layers.append((
                qkv, qkv_b,
                np.ascontiguousarray(w("attention.output.dense.weight").T), w("attention.output.dense.bias"),
                w("attention.output.LayerNorm.weight"), w("attention.output.LayerNorm.bias"),
                np.ascontiguousarray(w("intermediate.dense.weight").T), w("intermediate.dense.bias"),
                np.ascontiguousarray(w("output.dense.weight").T), w("output.dense.bias"),
                w("output.LayerNorm.weight"), w("output.LayerNorm.bias"),
            ))
        return layers

    @classmethod
    def load(cls, path: Path | str, cache: Path | None = None) -> NumpyEncoder | None:
        """`cache`: where the fast tokenizer keeps its vocabulary file (None: always the full tokenizer)."""
        path = Path(path)
        why = supported(path)
        if why:
            log.info("numpy query encoder not used for %s: %s", path, why)
            return None
        config = json.loads((path / "config.json").read_text("utf-8"))
        st_cfg = json.loads((path / "sentence_bert_config.json").read_text("utf-8"))
        max_len = int(st_cfg.get("max_seq_length") or config.get("max_position_embeddings", 512))
        max_len = min(max_len, int(config.get("max_position_embeddings", max_len)))
        fast = None
        if cache is not None:
            from kehoach.index.unigram import UnigramTokenizer
            try:
                fast = UnigramTokenizer.load(path / "tokenizer.json", cache, max_len)
            except (OSError, ValueError, KeyError) as exc:
                log.info("fast tokenizer not used (%s)", exc)
        return cls(path, read_safetensors(path / "model.safetensors"), config, max_len, fast)

    @property
    def tokenizer(self):
        """The full `tokenizers` tokenizer (about a second to build): only for text the fast one declines."""
        if self._hf is None:
            from tokenizers import Tokenizer
            tok = Tokenizer.from_file(str(self.path / "tokenizer.json"))
            tok.no_padding()
            tok.enable_truncation(self.max_len)
            self._hf = tok
        return self._hf

    def token_ids(self, texts: Sequence[str]) -> list[list[int]]:
        out = []
        for t in texts:
            ids = self.fast.ids(t) if self.fast is not None else None
            if ids is None:
                with self._tok_lock:
                    ids = self.tokenizer.encode(t).ids
            out.append(ids)
        return out

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """L2-normalised float32 vectors of texts already carrying their prompt ("query: …")."""
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        return self.forward(self.token_ids([unicodedata.normalize("NFC", t) for t in texts]))

    def embed(self, ids: list[list[int]]) -> tuple[np.ndarray, np.ndarray]:
        """Summed word, position and type embeddings [b, n, h] (before the layer norm), and the mask."""
        b, n = len(ids), max(len(x) for x in ids)
        tok = np.zeros((b, n), np.int64)
        mask = np.zeros((b, n), np.float32)
        for i, row in enumerate(ids):
            tok[i, :len(row)] = row
            mask[i, :len(row)] = 1.0
        x = self.word[tok.reshape(-1)].astype(np.float32).reshape(b, n, self.hidden)
        return x + self.pos[:n] + self.type0, mask

    def forward(self, ids: list[list[int]]) -> np.ndarray:
        x, mask = self.embed(ids)
        b, n = mask.shape
        x = _layer_norm(x, *self.emb_ln, self.eps).reshape(b * n, self.hidden)
        h, d = self.heads, self.hidden // self.heads
        scale = np.float32(1 / math.sqrt(d))
        # Padded keys get a large negative score: exp() of it is 0, as in BertModel's extended mask.
        bias = ((1.0 - mask) * np.float32(-1e9))[:, None, None, :]
        for qkv, qkv_b, ao, ao_b, aln_w, aln_b, fi, fi_b, fo, fo_b, oln_w, oln_b in self.layers:
            q, k, v = np.split((x @ qkv + qkv_b).reshape(b, n, 3, h, d), 3, axis=2)
            q = q[:, :, 0].transpose(0, 2, 1, 3)
            k = k[:, :, 0].transpose(0, 2, 3, 1)
            v = v[:, :, 0].transpose(0, 2, 1, 3)
            s = (q @ k) * scale + bias
            s = np.exp(s - s.max(-1, keepdims=True))
            s /= s.sum(-1, keepdims=True)
            ctx = (s @ v).transpose(0, 2, 1, 3).reshape(b * n, self.hidden)
            x = _layer_norm(x + (ctx @ ao + ao_b), aln_w, aln_b, self.eps)
            x = _layer_norm(x + (_gelu(x @ fi + fi_b) @ fo + fo_b), oln_w, oln_b, self.eps)
        x = x.reshape(b, n, self.hidden)
        pooled = (x * mask[:, :, None]).sum(1) / np.maximum(mask.sum(1, keepdims=True), 1e-9)
        pooled /= np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
        return np.ascontiguousarray(pooled, dtype=np.float32)
