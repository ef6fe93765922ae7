"""Long builds that can be stopped and resumed: vectors are kept as they are made.

A large corpus takes hours to embed on a laptop (about 95,000 chunks for a 50 MB text).
The build wraps its encoder in `ResumableEncoder`, which
  - first times one small batch and says how long the whole embedding should take,
  - then embeds in steps, saving each step's vectors to a journal under the cache dir,
  - prints progress with the time left, about every PROGRESS_SECONDS,
  - and on a later run embeds only the texts the journal does not hold yet.
The journal is keyed by the model and the passage text, so nothing stale is reused;
the build clears it once the new index version is live.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from kehoach.config import Config

STEP = 256                 # texts per saved step: small enough to lose little, big enough to batch well
PROBE = 32                 # texts timed for the estimate
ANNOUNCE_SECONDS = 60.0    # estimates shorter than this are not worth a line
PROGRESS_SECONDS = 30.0


def journal_dir(cfg: Config) -> Path:
    return cfg.cache_dir / "embed-journal"


def clear_journal(cfg: Config) -> None:
    shutil.rmtree(journal_dir(cfg), ignore_errors=True)


def _duration(seconds: float) -> str:
    if seconds < 90:
        return f"{seconds:.0f} giây"
    if seconds < 5400:
        return f"{seconds / 60:.0f} phút"
    return f"{seconds / 3600:.1f} giờ".replace(".", ",")


class ResumableEncoder:
    def __init__(self, inner, cfg: Config, say: Callable[[str], None]):
        self.inner = inner
        self.say = say
        self.dim = inner.dim
        ident = f"{getattr(inner, 'model_id', '')}|{getattr(inner, 'checksum', '')}|{cfg.passage_prompt}|" \
                f"{cfg.model_segmented}"
        self.dir = journal_dir(cfg) / hashlib.sha256(ident.encode()).hexdigest()[:16]

    def __getattr__(self, name):
        return getattr(self.inner, name)

    # ---- the journal -------------------------------------------------------------
    def _load(self) -> dict[bytes, np.ndarray]:
        known: dict[bytes, np.ndarray] = {}
        for part in sorted(self.dir.glob("part-*.npz")) if self.dir.is_dir() else []:
            try:
                with np.load(part, allow_pickle=False) as z:
                    keys, vecs = z["keys"], z["vecs"]
            except Exception:  # noqa: BLE001 - a part cut short by a crash is simply not reused
                continue
            if vecs.ndim == 2 and vecs.shape[1] == self.dim:
                known.update(zip(keys.tolist(), vecs))
        return known

    def _save(self, keys: list[bytes], vecs: np.ndarray) -> None:
        self.dir.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.dir, prefix=".part-", suffix=".npz")
        try:
            with os.fdopen(fd, "wb") as fh:
                np.savez(fh, keys=np.array(keys, dtype="S32"), vecs=np.asarray(vecs, dtype=np.float32))
            os.replace(tmp, self.dir / f"part-{time.time_ns()}-{os.getpid()}.npz")
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    # ---- encoding --------------------------------------------------------------------
    def encode_passages(self, texts: Sequence[str], progress: bool = False) -> np.ndarray:
        keys = [hashlib.sha256(t.encode("utf-8", "surrogatepass")).digest() for t in texts]
        known = self._load()
        todo = list(dict.fromkeys(k for k in keys if k not in known))
        text_of = dict(zip(keys, texts))
        if known and len(todo) < len(set(keys)):
            self.say(f"Tiếp tục lần xây dựng trước: {len(set(keys)) - len(todo)} đoạn đã mã hoá được giữ lại, "
                     f"còn {len(todo)} đoạn.")
        done, started, last = 0, time.perf_counter(), time.perf_counter()
        try:
            while done < len(todo):
                size = PROBE if done == 0 else STEP
                batch = todo[done:done + size]
                t0 = time.perf_counter()
                vecs = np.asarray(self.inner.encode_passages([text_of[k] for k in batch], progress=False))
                self._save(batch, vecs)
                known.update(zip(batch, vecs))
                done += len(batch)
                now = time.perf_counter()
                rate = done / max(now - started, 1e-9)
                left = (len(todo) - done) / rate
                if done == len(batch) and left > ANNOUNCE_SECONDS:
                    self.say(f"Ước tính thời gian mã hoá {len(todo)} đoạn: khoảng {_duration(left + now - t0)} "
                             "(đo trên máy này). Có thể dừng bằng Ctrl+C: chạy lại «kehoach index» sẽ tiếp tục, "
                             "các đoạn đã mã hoá được giữ.")
                elif progress and now - last >= PROGRESS_SECONDS and done < len(todo):
                    self.say(f"  đã mã hoá {done}/{len(todo)} đoạn ({100 * done // len(todo)}%), "
                             f"còn khoảng {_duration(left)}")
                    last = now
        except KeyboardInterrupt:
            self.say(f"Đã dừng sau {done}/{len(todo)} đoạn; các đoạn đã mã hoá được giữ — chạy lại "
                     "«kehoach index» để tiếp tục.")
            raise
        if not keys:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([known[k] for k in keys]).astype(np.float32, copy=False)
