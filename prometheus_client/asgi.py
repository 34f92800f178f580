"""An ASGI app serving a registry, for Starlette, FastAPI, uvicorn, hypercorn and friends.

It answers as the official client's ASGI app does: the metrics for every method and
path (no OPTIONS/405/favicon handling, unlike the WSGI app), with the same status,
headers and body, after reading the request.

A small registry is encoded inline, so the app never suspends and works even when each
step is driven from a new event loop (asgiref's ``ApplicationCommunicator`` under one
``asyncio.run`` per call). Once an encoding took longer than ``_INLINE_BUDGET``, the
next ones run in the loop's default executor, so other requests keep being served.
"""

from __future__ import annotations

import time
from typing import Any, Awaitable, Callable, Dict, List, MutableMapping, Optional
from urllib.parse import parse_qs  # noqa: F401 - the official module's namespace has it

from ._http_response import BasicAuth, Request, ResponseSettings, respond_with_metrics
from ._http_response import _bake_output as _bake_output  # noqa: F401 - the official module's namespace has it
from ._http_types import Response
from .registry import REGISTRY, Collector

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Dict[str, Any]]]
Send = Callable[[Dict[str, Any]], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

__all__ = ["make_asgi_app"]

# Encoding that took longer than this blocks the loop too long: later scrapes go to a thread.
# About 2 ms is a few thousand samples; below it a thread hop costs more than it saves.
_INLINE_BUDGET = 0.002


class _UnsupportedScope(AssertionError, ValueError):
    """A scope this app does not serve: an AssertionError, as the official app's ``assert`` raises."""


def make_asgi_app(
    registry: Collector = REGISTRY,
    disable_compression: bool = False,
    *,
    basic_auth: Optional[BasicAuth] = None,
) -> ASGIApp:
    """An ASGI 3 app serving ``registry`` on every path (mount it at ``/metrics``)."""
    settings = ResponseSettings(registry, disable_compression, basic_auth)
    # The last encoding's duration decides where the next one runs (one list: closures cannot rebind).
    last_duration: List[float] = [0.0]

    def answer(request: Request) -> Response:
        started = time.perf_counter()
        try:
            return respond_with_metrics(request, settings)
        finally:
            last_duration[0] = time.perf_counter() - started

    async def prometheus_app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await _lifespan(receive, send)
            return
        if scope["type"] != "http":
            raise _UnsupportedScope(f"prometheus_client's ASGI app serves HTTP only, not {scope['type']!r} scopes")
        if not await _read_request(receive):
            return  # the client went away: nobody to answer
        headers: Dict[str, str] = {}
        for name, value in scope.get("headers") or ():
            # Repeated headers are joined with commas, as the official app and HTTP list values do.
            key = name.decode("latin-1").lower()
            text = value.decode("latin-1")
            headers[key] = f"{headers[key]},{text}" if key in headers else text
        request = Request(
            method=scope.get("method", "GET"),
            path=scope.get("path", "/"),
            query_string=scope.get("query_string", b"").decode("latin-1"),
            accept=headers.get("accept"),
            accept_encoding=headers.get("accept-encoding"),
            authorization=headers.get("authorization"),
        )
        if last_duration[0] <= _INLINE_BUDGET:
            status, response_headers, body = answer(request)
        else:
            import asyncio  # here, not at import: an app (or a process) that never needs it pays nothing

            loop = asyncio.get_running_loop()
            status, response_headers, body = await loop.run_in_executor(None, answer, request)
        await send(
            {
                "type": "http.response.start",
                "status": int(status[:3]),
                # Names as the official app sends them (not lowercased): some tests compare raw header lists.
                "headers": [(k.encode("latin-1"), v.encode("latin-1")) for k, v in response_headers],
            }
        )
        await send({"type": "http.response.body", "body": body})

    return prometheus_app


async def _read_request(receive: Receive) -> bool:
    """Consume the request body (a scrape has none worth reading); False if the client disconnected."""
    while True:
        message = await receive()
        if message.get("type") == "http.disconnect":
            return False
        if message.get("type") == "http.request" and not message.get("more_body", False):
            return True


async def _lifespan(receive: Receive, send: Send) -> None:
    """Acknowledge startup and shutdown when run as the whole application (nothing to set up)."""
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return
