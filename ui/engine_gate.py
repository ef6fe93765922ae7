"""The JSON route's worker pool: engine calls run in threads, with a bounded queue in front."""
from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import anyio


class Busy(Exception):
    pass


class EngineGate:
    """At most `limit` engine calls at once in worker threads, at most `waiting` more queued;
    beyond that the route answers 503 at once instead of piling up threads."""

    def __init__(self, limit: int, waiting: int):
        self.limit, self.max_inflight = limit, limit + waiting
        self.inflight = 0
        self._limiter: anyio.CapacityLimiter | None = None

    async def run(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        if self.inflight >= self.max_inflight:
            raise Busy
        if self._limiter is None:  # created inside the event loop it serves
            self._limiter = anyio.CapacityLimiter(self.limit)
        self.inflight += 1
        try:
            return await anyio.to_thread.run_sync(functools.partial(fn, *args, **kwargs), limiter=self._limiter)
        finally:
            self.inflight -= 1
