"""What a page did in a real browser: every request, failed response and dialog (shared by the browser tests)."""
from __future__ import annotations

from urllib.parse import urlsplit


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
