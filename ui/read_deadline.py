"""A deadline for receiving each whole HTTP request, so that slow-drip clients cannot hold connections."""
from __future__ import annotations

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

# A client has this long to send a whole request (headers and body); slow-drip connections
# ("slowloris") are closed rather than held open for minutes.
READ_TIMEOUT = 15.0


class TimedH11Protocol(H11Protocol):
    """uvicorn's HTTP/1.1 protocol with a deadline for receiving each whole request.

    uvicorn's keep-alive timer is reset by every byte, so a client dripping a header
    byte every few seconds held a connection (and a slot) for as long as it liked.
    The deadline starts when the connection opens or the previous response ends, and
    is lifted once the request's last body byte has arrived (answering may take longer).
    """

    read_timeout = READ_TIMEOUT

    def connection_made(self, transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def _arm(self) -> None:
        self._disarm()
        self._read_deadline = self.loop.call_later(self.read_timeout, self._too_slow)

    def _disarm(self) -> None:
        task = getattr(self, "_read_deadline", None)
        if task is not None:
            task.cancel()
            self._read_deadline = None

    def handle_events(self) -> None:
        super().handle_events()
        if self.conn.their_state not in (h11.IDLE, h11.SEND_BODY):
            self._disarm()       # request complete (or connection closing/upgraded)

    def on_response_complete(self) -> None:
        if not self.transport.is_closing():
            self._arm()          # the next request on this connection gets its own deadline
        super().on_response_complete()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _too_slow(self) -> None:
        self._read_deadline = None
        if self.transport.is_closing() or self.conn.their_state not in (h11.IDLE, h11.SEND_BODY):
            return
        if self.conn.our_state is h11.IDLE:
            # Raw bytes: h11 refuses to send a response before it has parsed a request.
            self.transport.write(b"HTTP/1.1 408 Request Timeout\r\ncontent-type: text/plain; charset=utf-8\r\n"
                                 b"content-length: 0\r\nconnection: close\r\n\r\n")
        self.transport.close()
