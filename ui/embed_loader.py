"""/embed.js: the loader of Gradio's <gradio-app> web component, served from this origin."""
from __future__ import annotations

import re
from importlib import resources


def embed_script() -> str:
    """ES module that loads Gradio's own frontend from this server (never a CDN).

    Gradio's bundled gradio.js is not served by the app, and the stylesheet its web
    component adds is looked up relative to the host page (same origin) or to the server
    root (other origin), which misses a path prefix; so this loader adds the stylesheet
    itself, from this script's own URL, and leaves a placeholder under the exact href
    Gradio looks for, so that Gradio does not request a URL that cannot exist.
    """
    index = resources.files("gradio").joinpath("templates/frontend/index.html").read_text(encoding="utf-8")
    js = re.search(r'src="\./(assets/index-[^"]+\.js)"', index)
    css = re.search(r'href="\./(assets/index-[^"]+\.css)"', index)
    if not js or not css:
        raise RuntimeError("gradio frontend entry not found")
    return f"""// kehoach: Gradio web component (<gradio-app>) from this server; nothing from a CDN.
const base = new URL(".", import.meta.url);
const css = "./{css.group(1)}";
function addLink(rel, href) {{
  if (document.querySelector(`link[href="${{href}}"]`)) return;
  const link = document.createElement("link");
  link.rel = rel;
  link.href = href;
  document.head.appendChild(link);
}}
addLink("stylesheet", new URL(css, base).href);
addLink("x-kehoach-placeholder", location.origin === base.origin ? css : new URL(css, base.origin).href);
await import(new URL("./{js.group(1)}", base).href);
"""
