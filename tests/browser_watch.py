"""Shared by the browser tests: launching Debian's chromium, and what a page did in it."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit

# Debian's chromium, never a downloaded browser; no background traffic off this machine.
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


@contextmanager
def chromium() -> Iterator:
    from playwright import sync_api
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


class Watch:
    """Everything a page requested, and any dialog it tried to open."""

    def __init__(self, page):
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.failed: list[str] = []
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("response", lambda r: r.status >= 400 and self.failed.append(f"{r.status} {r.url}"))
        page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))

    def foreign(self, origin: str) -> list[str]:
        return [u for u in self.requests if not u.startswith(("data:", "blob:"))
                and f"{urlsplit(u).scheme}://{urlsplit(u).netloc}" != origin]

    def outside(self, origin: str, prefixes: tuple[str, ...]) -> list[str]:
        """Requests to another origin, or to a path of this origin outside `prefixes`."""
        out = []
        for u in self.requests:
            if u.startswith(("data:", "blob:")):
                continue
            parts = urlsplit(u)
            if f"{parts.scheme}://{parts.netloc}" != origin or not parts.path.startswith(prefixes):
                out.append(u)
        return out
