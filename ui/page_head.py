"""A few lines of style in the HTML page itself, for what shows before Gradio applies ours.

Gradio draws its first "Loading..." (from its built-in English dictionary, which no
translation can override) while the page's own stylesheet is still on its way, so for a
moment every page load was English. The rule that shows it in Vietnamese has to be in
the HTML that arrives first: this middleware adds it to the <head> of HTML responses.
"""
from __future__ import annotations

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

HEAD_STYLE = ('<style id="kh-first-paint">p.loading{font-size:0!important}'
              'p.loading::after{content:"Đang tải…";font-size:var(--text-lg,1rem)}</style>')
MAX_HTML_BYTES = 4 * 1024 * 1024   # Gradio's page is ~20 kB; anything bigger passes untouched


class HeadStyle:
    """Insert `style` before </head> of uncompressed HTML responses to GET requests."""

    def __init__(self, app: ASGIApp, style: str = HEAD_STYLE):
        self.app = app
        self.tag = style.encode("utf-8")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") != "GET":
            await self.app(scope, receive, send)
            return
        start: Message | None = None
        chunks: list[bytes] = []
        size = 0

        async def patched(message: Message) -> None:
            nonlocal start, size
            if message["type"] == "http.response.start":
                headers = Headers(raw=message["headers"])
                if "text/html" in headers.get("content-type", "") and not headers.get("content-encoding"):
                    start = message   # held back until the body is complete
                    return
                await send(message)
                return
            if start is None or message["type"] != "http.response.body":
                await send(message)
                return
            chunks.append(message.get("body", b""))
            size += len(chunks[-1])
            if message.get("more_body") and size <= MAX_HTML_BYTES:
                return
            body = b"".join(chunks)
            if not message.get("more_body"):
                body = body.replace(b"</head>", self.tag + b"</head>", 1)
            headers = MutableHeaders(raw=list(start["headers"]))
            if not message.get("more_body"):
                headers["content-length"] = str(len(body))
            await send({**start, "headers": headers.raw})
            await send({"type": "http.response.body", "body": body, "more_body": message.get("more_body", False)})
            start = None

        await self.app(scope, receive, patched)
