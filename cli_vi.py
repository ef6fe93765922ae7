"""The `kehoach` command's frame in Vietnamese, and its library noise kept off the terminal.

argparse writes its frame ("usage:", "positional arguments", "show this help message
and exit", "error: the following arguments are required") through the module's
gettext alias `_`; Python ships no Vietnamese catalogue, so the parser installs this
table as that alias. Messages not listed stay as argparse has them.

Libraries print English noise straight to the process's stderr from C++ (absl's
"WARNING: All log messages before absl::InitializeLog()", sentencepiece's "Loading
CharsMap") or through tqdm ("Batches:"); normal runs drop those lines, `-v` shows them.
"""
from __future__ import annotations

import argparse
import atexit
import contextlib
import os
import re
import select
import sys
import threading

ARGPARSE_VI = {
    "usage: ": "cách dùng: ",
    "positional arguments": "đối số",
    "options": "tùy chọn",
    "optional arguments": "tùy chọn",
    "show this help message and exit": "hiện trợ giúp này và thoát",
    "show program's version number and exit": "in số phiên bản rồi thoát",
    "the following arguments are required: %s": "thiếu đối số bắt buộc: %s",
    "unrecognized arguments: %s": "đối số không nhận ra: %s",
    "argument %(argument_name)s: %(message)s": "đối số %(argument_name)s: %(message)s",
    "expected one argument": "cần một giá trị",
    "expected at most one argument": "cần nhiều nhất một giá trị",
    "expected at least one argument": "cần ít nhất một giá trị",
    "invalid %(type)s value: %(value)r": "giá trị %(type)s không hợp lệ: %(value)r",
    "invalid choice: %(value)r (choose from %(choices)s)":
        "lựa chọn không hợp lệ: %(value)r (chọn một trong %(choices)s)",
    "not allowed with argument %s": "không dùng cùng với %s",
    "one of the arguments %s is required": "cần một trong các đối số %s",
    "ambiguous option: %(option)s could match %(matches)s": "tùy chọn mơ hồ: %(option)s có thể là %(matches)s",
    "%(prog)s: error: %(message)s\n": "%(prog)s: lỗi: %(message)s\n",
    "ignored explicit argument %r": "bỏ qua giá trị %r",
    "unexpected option string: %s": "tùy chọn không mong đợi: %s",
}
# argparse names the type in "invalid %(type)s value" by the converter's __name__.
TYPE_WORDS = {"int": "số nguyên", "float": "số thực"}


def _vi(message: str) -> str:
    return ARGPARSE_VI.get(message, message)


class VietnameseParser(argparse.ArgumentParser):
    """An ArgumentParser whose frame and errors are Vietnamese (sub-parsers inherit the class)."""

    def __init__(self, *args, **kwargs):
        install()   # before argparse names its groups and the -h option
        kwargs.setdefault("formatter_class", argparse.RawDescriptionHelpFormatter)
        super().__init__(*args, **kwargs)

    def _get_value(self, action, arg_string):
        try:
            return super()._get_value(action, arg_string)
        except argparse.ArgumentError as err:
            name = getattr(action.type, "__name__", "")
            if name in TYPE_WORDS:
                raise argparse.ArgumentError(action, f"cần {TYPE_WORDS[name]}, không phải {arg_string!r}") from None
            raise err


def install() -> None:
    """Route argparse's own messages through the Vietnamese table (this process only: the CLI)."""
    argparse._ = _vi  # type: ignore[attr-defined]


# ---- library noise ------------------------------------------------------------------------

NOISE = (
    re.compile(r"^WARNING: All log messages before absl::InitializeLog\(\) is called"),
    re.compile(r"^(\S+\.cc\(\d+\) LOG\(INFO\) )?Loading CharsMap"),
    re.compile(r"^Batches:"),
    re.compile(r"^I\d{4} [\d:.]+\s+\d+ \S+\.cc:\d+\]"),   # absl/glog INFO lines
)
LIBRARY_ENV = {
    "TQDM_DISABLE": "1",               # tqdm bars ("Batches:") of sentence-transformers
    "TF_CPP_MIN_LOG_LEVEL": "2",
    "GLOG_minloglevel": "2",
    "TOKENIZERS_PARALLELISM": "false",  # the fork warning of Hugging Face tokenizers
    "HF_HUB_DISABLE_PROGRESS_BARS": "1",
    "TRANSFORMERS_VERBOSITY": "error",
}


# How noise lines begin, for a line whose end has not arrived yet.
NOISE_STARTS = ("WARNING: All log messages before absl", "I0", "Loading CharsMap", "Batches:")
_LINE_END = re.compile(rb"[\r\n]")


def is_noise(line: str) -> bool:
    text = line.strip("\r\n").split("\r")[-1].strip()
    return any(p.search(text) for p in NOISE)


def quiet_libraries() -> None:
    """Set the libraries' own quiet switches (before they are imported) and filter the
    lines that only C++ code writes, at the file-descriptor level."""
    for key, value in LIBRARY_ENV.items():
        os.environ.setdefault(key, value)
    import logging
    import warnings
    warnings.simplefilter("ignore")
    for name in ("sentence_transformers", "transformers", "huggingface_hub", "absl", "torch"):
        logging.getLogger(name).setLevel(logging.ERROR)
    _filter_stderr()


def _could_become_noise(partial: bytes) -> bool:
    """Whether an unfinished line may still turn out to be noise (then it waits for its end)."""
    text = partial.decode("utf-8", "replace").strip()
    return any(text.startswith(s) or s.startswith(text) for s in NOISE_STARTS)


def _filter_stderr() -> None:
    try:
        fd = sys.stderr.fileno()
    except (AttributeError, OSError, ValueError):  # not a real file (pytest capture): nothing to filter
        return
    sys.stderr.flush()
    original = os.dup(fd)
    read_end, write_end = os.pipe()
    os.dup2(write_end, fd)
    os.close(write_end)

    def pump() -> None:
        # Lines end at "\n" or "\r" (progress displays rewrite one line with "\r"); a line
        # still open after 0.1 s of silence (a prompt, a progress step) goes out as it is.
        pending = b""
        while True:
            ready = select.select([read_end], [], [], 0.1)[0]
            if ready:
                chunk = os.read(read_end, 65536)
                if not chunk:
                    break
                pending += chunk
            while (end := _LINE_END.search(pending)) is not None:
                line, pending = pending[:end.end()], pending[end.end():]
                if not is_noise(line.decode("utf-8", "replace")):
                    os.write(original, line)
            if pending and not ready and not _could_become_noise(pending):
                os.write(original, pending)
                pending = b""
        if pending and not is_noise(pending.decode("utf-8", "replace")):
            os.write(original, pending)
        os.close(read_end)

    thread = threading.Thread(target=pump, name="kehoach-stderr", daemon=True)
    thread.start()

    def restore() -> None:
        with contextlib.suppress(OSError, ValueError):
            sys.stderr.flush()
        os.dup2(original, fd)   # closes the pipe's last write end: the pump drains and stops
        thread.join(2)

    atexit.register(restore)
