"""The same BERT as an ONNX graph for ONNX Runtime, written once from the converted weights.

numpy's bundled OpenBLAS runs this CPU's matrix products with AVX2 kernels; ONNX Runtime uses AVX-512 and
its fused BERT kernels (Attention, BiasGelu, SkipLayerNorm): about 10 ms per question against 15 ms. The
graph is built from the safetensors with `onnx.helper` (no torch, no exporter), without the word-embedding
table: the numpy side gathers the query's rows from the memory-mapped table and feeds the summed
embeddings, so the file holds 21 M parameters (85 MB) and a session loads in a fraction of a second.

The file lives beside the converted model (`query-encoder/`), keyed by the model and this recipe; a missing
`onnx` or `onnxruntime` only means the numpy forward pass is used.
"""
from __future__ import annotations

import logging
from pathlib import Path

import numpy as np

from kehoach.files import write_atomic

log = logging.getLogger(__name__)

RECIPE = 3          # 2: fused Attention and BiasGelu kernels; 3: packed questions, pooling outside
OPSET = 17


def build(enc, dest: Path) -> Path:
    """Write the transformer layers of a loaded NumpyEncoder as an ONNX model (atomically)."""
    from onnx import TensorProto, helper, numpy_helper

    nodes, inits = [], []
    h, heads = enc.hidden, enc.heads

    def const(name: str, arr) -> str:
        inits.append(numpy_helper.from_array(np.asarray(arr), name))
        return name

    def node(op: str, inputs: list[str], name: str, **attrs) -> str:
        nodes.append(helper.make_node(op, inputs, [name], name=name, **attrs))
        return name

    def layer_norm(x: str, w, b, name: str) -> str:
        return node("LayerNormalization", [x, const(name + ".w", w), const(name + ".b", b)], name,
                    axis=-1, epsilon=enc.eps)

    def linear(x: str, w, b, name: str) -> str:
        return node("Add", [node("MatMul", [x, const(name + ".w", w)], name + ".mm"), const(name + ".b", b)], name)


    x = layer_norm("embeddings", *enc.emb_ln, "emb.ln")
    # Several questions are packed into one sequence (no padding): `attend` [b, t, t] is 1 where a token may
    # see another, i.e. block-diagonal; Attention adds -10000 elsewhere, which the softmax turns into 0.
    for i, (qkv, qkv_b, ao, ao_b, aln_w, aln_b, fi, fi_b, fo, fo_b, oln_w, oln_b) in enumerate(enc.layers):
        p = f"l{i}"
        # ONNX Runtime's own BERT kernels (what its transformer optimiser would produce): one Attention
        # node for Q/K/V, scores, mask and context; BiasGelu is the exact (erf) GELU with its bias.
        ctx = node("Attention", [x, const(f"{p}.qkv.w", qkv), const(f"{p}.qkv.b", qkv_b), "attend"],
                   f"{p}.att", domain="com.microsoft", num_heads=heads)
        x = layer_norm(node("Add", [x, linear(ctx, ao, ao_b, f"{p}.ao")], f"{p}.res1"),
                       aln_w, aln_b, f"{p}.aln")
        g = node("BiasGelu", [node("MatMul", [x, const(f"{p}.fi.w", fi)], f"{p}.fi.mm"),
                              const(f"{p}.fi.b", fi_b)], f"{p}.gelu", domain="com.microsoft")
        x = layer_norm(node("Add", [x, linear(g, fo, fo_b, f"{p}.fo")], f"{p}.res2"), oln_w, oln_b,
                       "hidden" if i == len(enc.layers) - 1 else f"{p}.oln")

    graph = helper.make_graph(
        nodes, "kehoach-query-encoder",
        [helper.make_tensor_value_info("embeddings", TensorProto.FLOAT, ["batch", "seq", h]),
         helper.make_tensor_value_info("attend", TensorProto.INT32, ["batch", "seq", "seq"])],
        [helper.make_tensor_value_info("hidden", TensorProto.FLOAT, ["batch", "seq", h])],
        initializer=inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET),
                                                    helper.make_opsetid("com.microsoft", 1)],
                              producer_name="kehoach")
    model.ir_version = 8
    # One protobuf, no external data: the graph is ~85 MB, far under protobuf's 2 GB limit.
    return write_atomic(dest, lambda fh: fh.write(model.SerializeToString()), "wb", shared=True)


class OnnxRunner:
    """An ONNX Runtime session over the transformer; the numpy encoder feeds it embeddings."""

    def __init__(self, path: Path, threads: int):
        import onnxruntime as ort

        opts = ort.SessionOptions()
        opts.intra_op_num_threads = max(1, int(threads))
        opts.inter_op_num_threads = 1
        opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        opts.log_severity_level = 3     # its warnings are English noise for the CLI's user
        self.session = ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])
        self.threads = threads

    def __call__(self, ids: list[list[int]], enc) -> np.ndarray:
        """Unit vectors of the token-id lists, run as ONE packed sequence (a long sequence uses the CPU's
        vector units far better than several short ones: ~290 µs per token at 128 tokens, ~450 at 22)."""
        lengths = [len(x) for x in ids]
        n = sum(lengths)
        tok = np.fromiter((t for x in ids for t in x), np.int64, n)
        pos = np.fromiter((j for m in lengths for j in range(m)), np.int64, n)
        emb = (enc.word[tok].astype(np.float32) + enc.pos[pos] + enc.type0)[None]
        seg = np.repeat(np.arange(len(ids)), lengths)
        attend = (seg[:, None] == seg[None, :]).astype(np.int32)[None]
        hidden = self.session.run(["hidden"], {"embeddings": emb, "attend": attend})[0][0]
        sums = np.add.reduceat(hidden, np.cumsum([0, *lengths[:-1]]), axis=0)
        pooled = sums / np.asarray(lengths, np.float32)[:, None]
        return pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
