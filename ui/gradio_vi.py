"""Gradio's own strings in Vietnamese, and the agency list the page filters as you type.

Gradio 6 ships no Vietnamese locale, and its `gr.I18n` translations cannot override its
built-in English (the built-in dictionary is merged after custom ones, and a browser
locale outside Gradio's list falls back to English). So the page carries a small script
that rewrites Gradio's visible strings and ARIA labels from `static/gradio_vi.json`
as they appear; our own components are written in Vietnamese in the first place.
"""
from __future__ import annotations

import json
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

STRINGS_PATH = Path(__file__).parent / "static" / "gradio_vi.json"
MAX_ABBREVIATIONS = 3


@lru_cache(maxsize=1)
def strings() -> dict[str, str]:
    """English string of Gradio's frontend -> Vietnamese (exact text, trimmed)."""
    data = json.loads(STRINGS_PATH.read_text(encoding="utf-8"))
    return {k: v for k, v in data["strings"].items()}


def translate_js() -> str:
    """`js_on_load` of an invisible HTML component: translate Gradio's English now and
    whenever Gradio adds or changes nodes (status text, menus, toasts)."""
    table = json.dumps(strings(), ensure_ascii=False)
    return """
const vi = __STRINGS__;
const ATTRS = ["aria-label", "title", "placeholder"];
const fix = (root) => {
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const key = n.nodeValue.trim();
    if (key && vi[key] !== undefined) n.nodeValue = n.nodeValue.replace(key, vi[key]);
  }
  const els = root.querySelectorAll ? root.querySelectorAll("[aria-label],[title],[placeholder]") : [];
  for (const el of els) for (const a of ATTRS) {
    const v = el.getAttribute(a);
    if (v && vi[v.trim()] !== undefined) el.setAttribute(a, vi[v.trim()]);
  }
};
const app = document.querySelector("gradio-app") || document.body;
fix(app);
new MutationObserver((muts) => {
  for (const m of muts) {
    if (m.type === "characterData") {
      const key = m.target.nodeValue.trim();
      if (key && vi[key] !== undefined) m.target.nodeValue = m.target.nodeValue.replace(key, vi[key]);
    } else if (m.type === "attributes") {
      const v = m.target.getAttribute(m.attributeName);
      if (v && vi[v.trim()] !== undefined) m.target.setAttribute(m.attributeName, vi[v.trim()]);
    } else for (const n of m.addedNodes) n.nodeType === 3 ? fix(n.parentNode || app) : fix(n);
  }
}).observe(app, {subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ATTRS});
""".replace("__STRINGS__", table)


def _maximal(abbreviations: Iterable[str]) -> list[str]:
    """Abbreviations not contained in a longer one ("Sở TTTT" covers "TTTT" in a substring filter)."""
    abbrs = list(dict.fromkeys(abbreviations))
    return [a for a in abbrs if not any(a != b and a.casefold() in b.casefold() for b in abbrs)]


def agency_choices(names: Iterable[str], directory: Any = None) -> list[tuple[str, str]]:
    """(label, name) pairs for the agency dropdowns. Gradio filters the list by substring of
    the label as the user types, so the label carries the directory's abbreviations:
    typing "Sở TTTT" keeps "Sở Thông tin và Truyền thông"."""
    if directory is None:
        try:
            from kehoach.corpus.agencies import Directory
            directory = Directory.load()
        except Exception:  # noqa: BLE001 - without the directory the list still filters by name
            directory = None
    out = []
    for name in names:
        entry = directory.get(name) if directory is not None else None
        abbrs = _maximal(getattr(entry, "abbreviations", ()) or ())[:MAX_ABBREVIATIONS]
        out.append((f"{name} ({', '.join(abbrs)})" if abbrs else name, name))
    return out
