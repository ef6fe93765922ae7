"""pyvi's word segmentation without importing scikit-learn.

`import pyvi.ViTokenizer` unpickles a sklearn-crfsuite estimator, which imports scikit-learn: 1–4 s before
the first query can be tokenised. The estimator is only a wrapper around a CRFsuite model file that the
pickle carries as bytes; this module reads those bytes with a restricted unpickler (nothing from the pickle
is executed), opens them with python-crfsuite (pyvi's own dependency) and applies pyvi 0.1.1's features and
joining rule, reproduced below (MIT, © trungtv). tests/test_segmenter.py checks that the output equals
`pyvi.ViTokenizer.tokenize` on every eval question and every bundled chunk.
"""
from __future__ import annotations

import pickle
import re
import string
import threading
import unicodedata
from functools import lru_cache
from importlib import util
from pathlib import Path


class SegmenterError(Exception):
    pass


class _Stub:
    """Stands in for every class the pickle names; keeps its state as a plain dict."""

    def __init__(self, *args, **kwargs) -> None:
        pass

    def __setstate__(self, state) -> None:
        self.__dict__["state"] = state


class _ModelUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str):
        if module == "_codecs" and name == "encode":   # how protocol 2 spells bytes
            import codecs
            return codecs.encode
        if module.startswith(("sklearn_crfsuite", "pycrfsuite", "numpy")):
            return _Stub          # estimator, training log, numpy scalars: never used
        raise pickle.UnpicklingError(f"unexpected global {module}.{name} in pyvi's model")


def _pyvi_dir() -> Path:
    spec = util.find_spec("pyvi")
    if spec is None or not spec.submodule_search_locations:
        raise SegmenterError("pyvi is not installed")
    return Path(next(iter(spec.submodule_search_locations)))


_PATTERN = re.compile("(" + "|".join([
    r"[A-ZĐ]+\.", r"Tp\.", r"Mr\.", r"Mrs\.", r"Ms\.", r"Dr\.", r"ThS\.",          # abbreviations
    r"==>", r"->", r"\.\.\.", r">>", "\n",                                         # specials
    r"\w+://[^\s]+", r"([a-zA-Z0-9_.+-]+@([a-zA-Z0-9-]+\.)+[a-zA-Z0-9-]+)",       # web, email
    r"\d+([\.,_]\d+)+", r"[^\w\s]", r"\w+",                                        # digit, non-word, word
]) + ")", re.UNICODE)


class Segmenter:
    def __init__(self, model: bytes, bi_grams: set[str], tri_grams: set[str]):
        import pycrfsuite

        self._model = model               # CRFsuite reads the buffer in place: keep it alive
        self._tagger = pycrfsuite.Tagger()
        self._tagger.open_inmemory(self._model)
        self.bi_grams = bi_grams
        self.tri_grams = tri_grams
        self._lock = threading.Lock()     # a CRFsuite tagger holds per-call state

    @classmethod
    @lru_cache(maxsize=1)
    def load(cls) -> Segmenter:
        root = _pyvi_dir() / "models"
        try:
            with (root / "pyvi3.pkl").open("rb") as fh:
                crf = _ModelUnpickler(fh).load()
            model = crf.state["modelfile"].state["__FILE_RESOURCE_DATA__"]
            words = (root / "words.txt").read_text("utf-8").split("\n")
        except (OSError, KeyError, AttributeError, pickle.UnpicklingError) as exc:
            raise SegmenterError(f"cannot read pyvi's model: {exc}") from exc
        bi = {w for w in words if len(w.split(" ")) == 2}
        tri = {w for w in words if len(w.split(" ")) == 3}
        return cls(model, bi, tri)

    def _features(self, sent: list[str], i: int) -> dict:
        word = sent[i]
        f = {"bias": 1.0, "word.lower()": word.lower(), "word.isupper()": word.isupper(),
             "word.istitle()": word.istitle(), "word.isdigit()": word.isdigit()}
        if i > 0:
            w1 = sent[i - 1]
            f.update({"-1:word.lower()": w1.lower(), "-1:word.istitle()": w1.istitle(),
                      "-1:word.isupper()": w1.isupper(),
                      "-1:word.bi_gram()": " ".join([w1, word]).lower() in self.bi_grams})
            if i > 1:
                f["-2:word.tri_gram()"] = " ".join([sent[i - 2], w1, word]).lower() in self.tri_grams
        if i < len(sent) - 1:
            w1 = sent[i + 1]
            f.update({"+1:word.lower()": w1.lower(), "+1:word.istitle()": w1.istitle(),
                      "+1:word.isupper()": w1.isupper(),
                      "+1:word.bi_gram()": " ".join([word, w1]).lower() in self.bi_grams})
            if i < len(sent) - 2:
                f["+2:word.tri_gram()"] = " ".join([word, w1, sent[i + 2]]).lower() in self.tri_grams
        return f

    def tokenize(self, text: str) -> str:
        """Exactly `pyvi.ViTokenizer.tokenize(text)`: syllables of one word joined by "_"."""
        tmp = [m[0] for m in _PATTERN.findall(unicodedata.normalize("NFC", text))]
        if not tmp:
            return text
        feats = [self._features(tmp, i) for i in range(len(tmp))]
        with self._lock:
            labels = self._tagger.tag(feats)
        out = tmp[0]
        for i in range(1, len(labels)):
            if (labels[i] == "I_W" and tmp[i] not in string.punctuation and tmp[i - 1] not in string.punctuation
                    and not tmp[i][0].isdigit() and not tmp[i - 1][0].isdigit()
                    and not (tmp[i][0].istitle() and not tmp[i - 1][0].istitle())):
                out += "_" + tmp[i]
            else:
                out += " " + tmp[i]
        return out


def segment(text: str) -> str:
    """Like index.chunks.segment, for queries: pyvi's output, but without pyvi's import cost."""
    if not text.strip():
        return ""
    return Segmenter.load().tokenize(text)
