"""Query encoding without torch: tokenizer ids, the numpy and ONNX forward passes, parity with
sentence-transformers (real model, marked `model`)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from kehoach.index.numpy_bert import NumpyEncoder, read_safetensors
from kehoach.index.unigram import UnigramTokenizer

EVAL = Path(__file__).resolve().parents[1] / "eval"


def _questions() -> list[str]:
    return [json.loads(line)["question"] for f in ("dev.jsonl", "heldout.jsonl")
            for line in (EVAL / f).read_text("utf-8").splitlines() if line.strip()]


# ---------------------------------------------------------------- a tiny model, made here

PIECES = ["<s>", "<pad>", "</s>", "<unk>", "\u2581", "\u2581s", "\u2581sở", "ở", "\u2581giáo", "\u2581dục", "\u2581d",
          "ục", "giáo", "\u2581g", "i", "á", "o", "a", "\u2581STEM", "S", "T", "E", "M", "\u2581chủ", "\u2581trì", "?",
          "\u2581hạn", "\u2581ch", "ót", "\u2581x", "ây", "\u2581dựng", "n", "h", "c", "u", "\u25812", "0", "1"]


def _tiny_model(root: Path, hidden: int = 16, layers: int = 2, heads: int = 4, ff: int = 32) -> Path:
    from safetensors.numpy import save_file
    from tokenizers import Tokenizer, decoders, models, normalizers, pre_tokenizers, processors

    rng = np.random.default_rng(0)
    scores = [0.0, 0.0, 0.0, 0.0] + [-float(i % 7) - 1.5 - 0.01 * i for i in range(len(PIECES) - 4)]
    tok = Tokenizer(models.Unigram(list(zip(PIECES, scores)), unk_id=3, byte_fallback=False))
    tok.normalizer = normalizers.Sequence([normalizers.NFC(), normalizers.Replace(" {2,}", " ")])
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="\u2581", prepend_scheme="always", split=True)
    tok.decoder = decoders.Metaspace(replacement="\u2581", prepend_scheme="always", split=True)
    tok.post_processor = processors.TemplateProcessing(single="<s> $A </s>", special_tokens=[("<s>", 0), ("</s>", 2)])
    tok.add_special_tokens(["<s>", "<pad>", "</s>", "<unk>"])
    root.mkdir(parents=True, exist_ok=True)
    tok.save(str(root / "tokenizer.json"))

    def r(*shape):
        return (rng.standard_normal(shape) * 0.3).astype(np.float32)
    state = {"embeddings.word_embeddings.weight": r(len(PIECES), hidden),
             "embeddings.position_embeddings.weight": r(64, hidden),
             "embeddings.token_type_embeddings.weight": r(2, hidden),
             "embeddings.LayerNorm.weight": 1 + r(hidden), "embeddings.LayerNorm.bias": r(hidden)}
    for i in range(layers):
        p = f"encoder.layer.{i}."
        for name, shape in (("attention.self.query", (hidden, hidden)), ("attention.self.key", (hidden, hidden)),
                            ("attention.self.value", (hidden, hidden)), ("attention.output.dense", (hidden, hidden)),
                            ("intermediate.dense", (ff, hidden)), ("output.dense", (hidden, ff))):
            state[p + name + ".weight"] = r(*shape)
            state[p + name + ".bias"] = r(shape[0])
        for ln in ("attention.output.LayerNorm", "output.LayerNorm"):
            state[p + ln + ".weight"] = 1 + r(hidden)
            state[p + ln + ".bias"] = r(hidden)
    save_file(state, str(root / "model.safetensors"))
    files = {
        "config.json": {"model_type": "bert", "hidden_act": "gelu", "hidden_size": hidden, "num_hidden_layers": layers,
                        "num_attention_heads": heads, "intermediate_size": ff, "max_position_embeddings": 64,
                        "layer_norm_eps": 1e-12, "vocab_size": len(PIECES), "type_vocab_size": 2},
        "modules.json": [{"type": "sentence_transformers.models.Transformer"},
                         {"type": "sentence_transformers.models.Pooling"},
                         {"type": "sentence_transformers.models.Normalize"}],
        "1_Pooling/config.json": {"word_embedding_dimension": hidden, "pooling_mode_mean_tokens": True},
        "sentence_bert_config.json": {"max_seq_length": 64, "do_lower_case": False},
    }
    for name, data in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(json.dumps(data), "utf-8")
    return root


TEXTS = ["query: Sở nào chủ trì giáo dục STEM?", "query: hạn chót xây dựng", "passage: zzz ☃ 😀 unknown ááá",
         "query:   nhiều   khoảng trắng  ", "query: e\u0301 ục ục", "query: " + "giáo dục " * 40, "query: 2010"]


def test_unigram_ids_equal_tokenizers(tmp_path):
    from tokenizers import Tokenizer
    root = _tiny_model(tmp_path / "m")
    hf = Tokenizer.from_file(str(root / "tokenizer.json"))
    hf.enable_truncation(64)
    fast = UnigramTokenizer.load(root / "tokenizer.json", tmp_path / "cache" / "vocab.marshal", 64)
    again = UnigramTokenizer.load(root / "tokenizer.json", tmp_path / "cache" / "vocab.marshal", 64)  # from cache
    for text in TEXTS:
        assert fast.ids(text) == hf.encode(text).ids, text
        assert again.ids(text) == hf.encode(text).ids, text
    assert fast.ids("a <s> b") is None        # special tokens are left to tokenizers


def test_numpy_and_onnx_forward_agree(tmp_path):
    pytest.importorskip("onnxruntime")
    pytest.importorskip("onnx")
    from kehoach.index.query_onnx import OnnxRunner, build
    root = _tiny_model(tmp_path / "m")
    enc = NumpyEncoder.load(root, tmp_path / "vocab.marshal")
    assert enc is not None
    ids = enc.token_ids(TEXTS)
    ref = enc.forward(ids)
    assert np.allclose(np.linalg.norm(ref, axis=1), 1, atol=1e-5)
    runner = OnnxRunner(build(enc, tmp_path / "q.onnx"), threads=1)
    got = runner(ids, enc)                     # all texts packed into one sequence
    assert (got * ref).sum(1).min() > 0.99999
    alone = np.stack([runner([x], enc)[0] for x in ids])
    assert (alone * ref).sum(1).min() > 0.99999
    # One question alone gives the same vector as inside a padded batch.
    single = enc.forward([ids[1]])[0]
    assert float(single @ ref[1]) > 0.99999


def test_unsupported_models_fall_back(tmp_path):
    root = _tiny_model(tmp_path / "m")
    cfg = json.loads((root / "config.json").read_text())
    (root / "config.json").write_text(json.dumps({**cfg, "hidden_act": "gelu_new"}))
    assert NumpyEncoder.load(root) is None


def test_safetensors_reader_maps_without_copying(tmp_path):
    root = _tiny_model(tmp_path / "m")
    tensors = read_safetensors(root / "model.safetensors")
    from safetensors.numpy import load_file
    ref = load_file(str(root / "model.safetensors"))
    assert set(tensors) == set(ref)
    assert all(np.array_equal(tensors[k], ref[k]) for k in ref)
    assert isinstance(tensors["embeddings.word_embeddings.weight"].base, np.memmap) or \
        isinstance(tensors["embeddings.word_embeddings.weight"], np.memmap)


# ---------------------------------------------------------------- the real model

@pytest.mark.model
def test_parity_with_sentence_transformers_on_the_eval_questions():
    from kehoach.config import Config
    from kehoach.index.model import Encoder
    from kehoach.index.query_encoder import QueryEncoder
    cfg = Config.load()
    qs = _questions()
    assert len(qs) >= 180
    ref = Encoder.load(cfg).encode_queries(qs)
    for runtime in ("onnx", "numpy"):
        qe = QueryEncoder.load(cfg, runtime=runtime)
        got = qe.encode_queries(qs)
        cos = (got * ref).sum(1)
        assert cos.min() >= 0.999, (runtime, float(cos.min()))


@pytest.mark.model
def test_query_path_imports_no_torch(real_engine):
    code = ("import sys\nfrom kehoach.cli import main\nmain(['ask', '--json', 'Sở nào chủ trì giáo dục STEM?'])\n"
            "heavy = sorted({m.split('.')[0] for m in sys.modules} & "
            "{'torch', 'sentence_transformers', 'transformers', 'sklearn', 'scipy', 'pyvi', 'bm25s'})\n"
            "print('HEAVY', heavy)")
    env = {**__import__("os").environ, "KEHOACH_HOME": str(real_engine.cfg.home)}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True).stdout
    assert out.strip().splitlines()[-1] == "HEAVY []"
    assert '"found": true' in out


@pytest.mark.model
def test_fast_tokenizer_ids_equal_the_real_tokenizer(tmp_path):
    from tokenizers import Tokenizer

    from kehoach.config import Config, bundled_corpus_dir
    from kehoach.index.provisioning import provision
    root = Path(str(provision(Config.load())))
    hf = Tokenizer.from_file(str(root / "tokenizer.json"))
    hf.enable_truncation(512)
    fast = UnigramTokenizer.load(root / "tokenizer.json", tmp_path / "vocab.marshal", 512)
    lines = [ln for f in sorted(bundled_corpus_dir().glob("*.txt")) for ln in f.read_text("utf-8").splitlines()[::5]]
    texts = ["query: " + q for q in _questions()] + ["passage: " + ln for ln in lines] + TEXTS
    assert len(texts) > 600
    assert [t for t in texts if fast.ids(t) != hf.encode(t).ids] == []


def test_concurrent_questions_packed_together_get_their_own_vectors(tmp_path):
    pytest.importorskip("onnxruntime")
    pytest.importorskip("onnx")
    import threading

    from kehoach.config import Config
    from kehoach.index.query_encoder import QueryEncoder
    from kehoach.index.query_onnx import OnnxRunner, build
    root = _tiny_model(tmp_path / "m")
    enc = NumpyEncoder.load(root, tmp_path / "vocab.marshal")
    qe = QueryEncoder(Config(home=tmp_path), enc, OnnxRunner(build(enc, tmp_path / "q.onnx"), threads=1))
    qe.packer.max_leaders = 1               # one runner: every question queued meanwhile is packed with others
    questions = [t.removeprefix("query: ").removeprefix("passage: ") for t in TEXTS] * 3
    ref = enc.forward(enc.token_ids(["query: " + q for q in questions]))
    got: dict[int, np.ndarray] = {}
    batches = []
    runner = qe.runner

    def slow_runner(ids, e):                 # slow enough that the other threads queue up meanwhile
        import time
        batches.append(len(ids))
        time.sleep(0.02)
        return runner(ids, e)
    qe.runner = slow_runner

    def ask(i: int) -> None:
        got[i] = qe.encode_queries([questions[i]])[0]
    threads = [threading.Thread(target=ask, args=(i,)) for i in range(len(questions))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(got) == list(range(len(questions)))
    assert min(float(got[i] @ ref[i]) for i in got) > 0.99999
    assert sum(batches) == len(questions) and max(batches) > 1
