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
import os
import tempfile
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

RECIPE = 2          # 2: ONNX Runtime's fused Attention and BiasGelu kernels (~10% faster than plain ops)
OPSET = 17


def build(enc, dest: Path) -> Path:
    """Write the transformer layers of a loaded NumpyEncoder as an ONNX model (atomically)."""
    import onnx
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

    const("c.axis1", np.array([1], np.int64))
    const("c.axis2", np.array([2], np.int64))
    const("c.eps", np.array(1e-12, np.float32))

    x = layer_norm("embeddings", *enc.emb_ln, "emb.ln")
    # Attention's mask_index: 1 for tokens, 0 for padding (masked keys get -10000 before the softmax).
    nodes.append(helper.make_node("Cast", ["mask"], ["m.int"], name="m.int", to=TensorProto.INT32))
    for i, (qkv, qkv_b, ao, ao_b, aln_w, aln_b, fi, fi_b, fo, fo_b, oln_w, oln_b) in enumerate(enc.layers):
        p = f"l{i}"
        # ONNX Runtime's own BERT kernels (what its transformer optimiser would produce): one Attention
        # node for Q/K/V, scores, mask and context; BiasGelu is the exact (erf) GELU with its bias.
        ctx = node("Attention", [x, const(f"{p}.qkv.w", qkv), const(f"{p}.qkv.b", qkv_b), "m.int"],
                   f"{p}.att", domain="com.microsoft", num_heads=heads)
        x = layer_norm(node("Add", [x, linear(ctx, ao, ao_b, f"{p}.ao")], f"{p}.res1"),
                       aln_w, aln_b, f"{p}.aln")
        g = node("BiasGelu", [node("MatMul", [x, const(f"{p}.fi.w", fi)], f"{p}.fi.mm"),
                              const(f"{p}.fi.b", fi_b)], f"{p}.gelu", domain="com.microsoft")
        x = layer_norm(node("Add", [x, linear(g, fo, fo_b, f"{p}.fo")], f"{p}.res2"), oln_w, oln_b, f"{p}.oln")
    m3 = node("Unsqueeze", ["mask", "c.axis2"], "p.m3")
    total = node("ReduceSum", [node("Mul", [x, m3], "p.xm"), "c.axis1"], "p.sum", keepdims=0)
    count = node("Max", [node("ReduceSum", [m3, "c.axis1"], "p.cnt", keepdims=0), "c.eps"], "p.cntc")
    mean = node("Div", [total, count], "p.mean")
    norm = node("Max", [node("ReduceL2", [mean], "p.l2", axes=[1], keepdims=1), "c.eps"], "p.l2c")
    nodes.append(helper.make_node("Div", [mean, norm], ["vectors"], name="p.out"))

    graph = helper.make_graph(
        nodes, "kehoach-query-encoder",
        [helper.make_tensor_value_info("embeddings", TensorProto.FLOAT, ["batch", "seq", h]),
         helper.make_tensor_value_info("mask", TensorProto.FLOAT, ["batch", "seq"])],
        [helper.make_tensor_value_info("vectors", TensorProto.FLOAT, ["batch", h])],
        initializer=inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET),
                                                    helper.make_opsetid("com.microsoft", 1)],
                              producer_name="kehoach")
    model.ir_version = 8
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=f".{dest.name}.", suffix=".tmp")
    os.close(fd)
    try:
        onnx.save_model(model, tmp)
        os.chmod(tmp, 0o644)          # beside a model that several homes share
        os.replace(tmp, dest)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return dest


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

    def __call__(self, embeddings: np.ndarray, mask: np.ndarray) -> np.ndarray:
        return self.session.run(["vectors"], {"embeddings": embeddings, "mask": mask})[0]
