"""Which sources the user indexed, in <home>/corpus.toml: outside the index versions, so that a damaged
or lost index is rebuilt from the user's own folders, never silently from the bundled plans."""
from __future__ import annotations

import json
import time
import tomllib
from pathlib import Path

CORPUS_FILE = "corpus.toml"


def read_sources(home: Path) -> list[str] | None:
    """Sources recorded in <home>/corpus.toml: a list of paths, [] for the bundled plans, None if unknown."""
    try:
        with (Path(home) / CORPUS_FILE).open("rb") as fh:
            data = tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
        return None
    sources = data.get("sources")
    if not isinstance(sources, list) or not all(isinstance(s, str) for s in sources):
        return None
    return sources


def record_sources(home: Path, sources: list[str] | None) -> None:
    """Atomically write corpus.toml ([] means the bundled plans)."""
    items = []
    for s in sources or []:
        # JSON string escapes are TOML basic-string escapes; undecodable file names cannot be recorded.
        if any("\ud800" <= ch <= "\udfff" for ch in s):
            return
        items.append(json.dumps(s, ensure_ascii=True))
    text = ("# Nguồn văn bản đã lập chỉ mục (kehoach index). Mọi lần xây dựng lại đều dùng danh sách này;\n"
            "# danh sách rỗng nghĩa là 5 kế hoạch có sẵn. Sửa bằng: kehoach index THƯ_MỤC\n"
            f"sources = [{', '.join(items)}]\n"
            f"recorded = {json.dumps(time.strftime('%Y-%m-%dT%H:%M:%S'))}\n")
    Path(home).mkdir(parents=True, exist_ok=True)
    from kehoach.index.store import _write_text_atomic
    _write_text_atomic(Path(home) / CORPUS_FILE, text)
