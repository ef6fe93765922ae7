"""`kehoach ask` answered by a running `kehoach serve`, when the user points the CLI at one.

    export KEHOACH_SERVER=http://127.0.0.1:7860        # optional: KEHOACH_SERVER_AUTH=user:pass

A warm server answers in milliseconds where a new process needs about a second to load the index and the
query encoder. Anything but a proper answer (no server, timeout, an error status, a reply without the JSON
contract) returns None and the CLI answers locally, so the variable can stay set when the server is down.
The server must serve the same corpus the CLI would use: that is the user's call, hence opt-in.
"""
from __future__ import annotations

import json
import os

ENV, AUTH_ENV = "KEHOACH_SERVER", "KEHOACH_SERVER_AUTH"
CONTRACT = ("question", "intent", "found", "confidence", "answer", "results")


def ask_remote(question: str, k: int | None, filters: dict | None, timeout: float = 5.0) -> dict | None:
    base = (os.environ.get(ENV) or "").strip().rstrip("/")
    if not base.startswith(("http://", "https://")):
        return None
    import base64           # only when a server is named: urllib.request alone imports ssl and email
    import urllib.error
    import urllib.request

    body = json.dumps({"question": question, "k": k, "filters": filters or {}}).encode("utf-8")
    req = urllib.request.Request(f"{base}/api/ask", data=body, method="POST",
                                 headers={"Content-Type": "application/json"})
    auth = os.environ.get(AUTH_ENV)
    if auth:
        req.add_header("Authorization", "Basic " + base64.b64encode(auth.encode("utf-8")).decode("ascii"))
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            if resp.status != 200:
                return None
            data = json.loads(resp.read().decode("utf-8"))
    except (OSError, ValueError, urllib.error.URLError):
        return None
    return data if isinstance(data, dict) and all(key in data for key in CONTRACT) else None
