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
def _data() -> dict:
    return json.loads(STRINGS_PATH.read_text(encoding="utf-8"))


def strings() -> dict[str, str]:
    """English string of Gradio's frontend -> Vietnamese (exact text, trimmed)."""
    return dict(_data()["strings"])


def patterns() -> list[tuple[str, str]]:
    """(JavaScript regular expression, replacement) for texts with numbers in them."""
    return [(p["from"], p["to"]) for p in _data().get("patterns", [])]


def translate_js() -> str:
    """`js_on_load` of an invisible HTML component: translate Gradio's English now and
    whenever Gradio adds or changes nodes (status text, menus, toasts)."""
    table = json.dumps(strings(), ensure_ascii=False)
    regexes = json.dumps(patterns(), ensure_ascii=False)
    return """
const vi = __STRINGS__;
const res = __PATTERNS__.map(([from, to]) => [new RegExp(from), to]);
const ATTRS = ["aria-label", "title", "placeholder"];
// The Vietnamese for `text` (surrounding spaces kept), or null when it is not Gradio's English.
const tr = (text) => {
  const key = (text || "").trim();
  if (!key) return null;
  if (vi[key] !== undefined) return text.replace(key, vi[key]);
  for (const [re, to] of res) if (re.test(key)) return text.replace(key, key.replace(re, to));
  return null;
};
const fixText = (n) => { const t = tr(n.nodeValue); if (t !== null && t !== n.nodeValue) n.nodeValue = t; };
const fixAttr = (el, a) => {
  const v = el.getAttribute(a), t = tr(v);
  if (t !== null && t !== v) el.setAttribute(a, t);
};
const fix = (root) => {
  if (!root) return;
  if (root.nodeType === 3) return fixText(root);
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) fixText(n);
  if (root.getAttribute) for (const a of ATTRS) if (root.hasAttribute(a)) fixAttr(root, a);
  const els = root.querySelectorAll ? root.querySelectorAll("[aria-label],[title],[placeholder]") : [];
  for (const el of els) for (const a of ATTRS) if (el.hasAttribute(a)) fixAttr(el, a);
};
const app = document.querySelector("gradio-app") || document.body;
fix(app);
new MutationObserver((muts) => {
  for (const m of muts) {
    if (m.type === "characterData") fixText(m.target);
    else if (m.type === "attributes") fixAttr(m.target, m.attributeName);
    else for (const n of m.addedNodes) fix(n);
  }
}).observe(app, {subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ATTRS});
""".replace("__STRINGS__", table).replace("__PATTERNS__", regexes)


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
