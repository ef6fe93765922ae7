"""What the JSON API reads and how it refuses: a body within size and time limits, the fields of an
/api/ask request checked, and errors answered as one sentence in JSON.
"""
from __future__ import annotations

from typing import Any

import anyio
from fastapi import Request
from fastapi.responses import JSONResponse

from kehoach.ui.read_deadline import READ_TIMEOUT
from kehoach.validate import MAX_BODY_BYTES, InputError, check_filters, check_k, check_question, parse_json

RETRY_AFTER = "5"


def error_response(message: str, status: int) -> JSONResponse:
    headers = {"Retry-After": RETRY_AFTER} if status == 503 else None
    return JSONResponse({"error": message}, status_code=status, headers=headers)


async def json_body(request: Request) -> Any:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise InputError("Yêu cầu quá lớn (request too large).", status=413)
    body = b""
    try:
        with anyio.fail_after(READ_TIMEOUT):
            async for chunk in request.stream():
                body += chunk
                if len(body) > MAX_BODY_BYTES:
                    raise InputError("Yêu cầu quá lớn (request too large).", status=413)
    except TimeoutError:
        raise InputError("Gửi yêu cầu quá chậm (request timeout).", status=408) from None
    return parse_json(body, MAX_BODY_BYTES)


def ask_request(body: Any, max_question_chars: int, default_k: int, doc_names: set[str]) -> tuple[str, int, Any]:
    """(question, k, filters) of an /api/ask body; InputError names the first bad field."""
    if not isinstance(body, dict):
        raise InputError('Nội dung phải là đối tượng JSON {"question": "..."} (body must be an object).')
    question = check_question(body.get("question"), max_question_chars)
    k = check_k(body.get("k"), default_k)
    filters = check_filters(body.get("filters"), doc_names)
    return question, k, filters
