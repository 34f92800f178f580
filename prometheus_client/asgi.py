"""An ASGI app serving a registry, for Starlette, FastAPI, uvicorn, hypercorn and friends.

Encoding a large registry takes milliseconds of CPU, so it runs in the event
loop's default executor: other requests keep being served during a scrape.
"""

from __future__ import annotations

import asyncio
from typing import Any, Awaitable, Callable, Dict, MutableMapping, Optional

from ._http import BasicAuth, _basic_auth_token, _respond
from .registry import REGISTRY, Collector

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Dict[str, Any]]]
Send = Callable[[Dict[str, Any]], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

__all__ = ["make_asgi_app"]


def make_asgi_app(
    registry: Collector = REGISTRY,
    disable_compression: bool = False,
    *,
    basic_auth: Optional[BasicAuth] = None,
) -> ASGIApp:
    """An ASGI 3 app serving ``registry`` on every path (mount it at ``/metrics``)."""
    auth_token = _basic_auth_token(basic_auth) if basic_auth else None

    async def prometheus_app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await _lifespan(receive, send)
            return
        if scope["type"] != "http":
            raise ValueError(f"prometheus_client's ASGI app serves HTTP only, not {scope['type']!r} scopes")
        headers: Dict[str, str] = {}
        for name, value in scope.get("headers", ()):
            # Repeated headers are joined with commas, as HTTP allows for list-valued ones.
            key = name.decode("latin-1").lower()
            text = value.decode("latin-1")
            headers[key] = f"{headers[key]}, {text}" if key in headers else text
        method = scope.get("method", "GET")
        query = scope.get("query_string", b"").decode("latin-1")
        loop = asyncio.get_running_loop()
        status, response_headers, body = await loop.run_in_executor(
            None,
            _respond,
            registry,
            method,
            scope.get("path", "/"),
            query,
            headers.get("accept"),
            headers.get("accept-encoding"),
            disable_compression,
            headers.get("authorization"),
            auth_token,
        )
        await send(
            {
                "type": "http.response.start",
                "status": int(status[:3]),
                "headers": [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in response_headers],
            }
        )
        await send({"type": "http.response.body", "body": b"" if method == "HEAD" else body})

    return prometheus_app


async def _lifespan(receive: Receive, send: Send) -> None:
    """Acknowledge startup and shutdown when run as the whole application (nothing to set up)."""
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return
