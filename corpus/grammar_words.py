"""Word lists of the assignment grammar kept as data (corpus/data/grammar_words.json), compiled once."""
from __future__ import annotations

import json
import re
from pathlib import Path

_DATA = json.loads((Path(__file__).with_name("data") / "grammar_words.json").read_text("utf-8"))


def words(key: str) -> tuple[str, ...]:
    return tuple(_DATA[key]["words"])


def _words_rx(key: str) -> re.Pattern[str]:
    ws = sorted(words(key), key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(w) for w in ws) + r")(?!\w)")


NAME_VERBS = _words_rx("name_verbs")
LOWER_GROUPS = _words_rx("lower_groups")
