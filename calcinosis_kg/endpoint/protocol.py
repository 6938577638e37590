"""The HTTP protocol of ``serve``: uvicorn's httptools protocol, with a deadline on each request head.

uvicorn restarts its keep-alive timer on every byte it receives, so a client that sends its
request line and headers one byte at a time would hold a connection for as long as it likes
(and enough such clients would hold them all). Here a connection has ``seconds`` from its
start, or from the end of its previous answer, to send a complete request head; past that
it is closed. The body has a deadline of its own in the application (408).

>>> protocol = with_head_deadline(2.5)
>>> protocol.head_seconds, issubclass(protocol, HttpToolsProtocol)
(2.5, True)
"""

from __future__ import annotations

import asyncio

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

__all__ = ["with_head_deadline"]


class _HeadDeadline(HttpToolsProtocol):
    """httptools with a time limit for the request head; see the module's docstring."""

    head_seconds = 10.0
    _deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def on_headers_complete(self) -> None:
        self._disarm()
        super().on_headers_complete()

    def on_response_complete(self) -> None:
        if not self.pipeline:  # else the next request, whose head is here, starts now
            self._arm()
        super().on_response_complete()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _arm(self) -> None:
        self._disarm()
        self._deadline = self.loop.call_later(self.head_seconds, self._expire)

    def _disarm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _expire(self) -> None:
        self._deadline = None
        if not self.transport.is_closing():
            self.transport.close()


def with_head_deadline(seconds: float) -> type[HttpToolsProtocol]:
    """The protocol class for ``uvicorn.run(http=...)`` whose request heads are due within ``seconds``."""
    return type("HeadDeadlineProtocol", (_HeadDeadline,), {"head_seconds": seconds})
