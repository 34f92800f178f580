"""A ``twisted.web`` resource that serves a registry without blocking the reactor.

Rendering runs in the reactor's thread pool (``deferToThread``); the reactor only
writes the finished bytes, so a large registry never stalls other connections.
"""

from __future__ import annotations

import logging
from typing import Any, List, Optional

from twisted.internet import reactor
from twisted.internet.threads import deferToThreadPool
from twisted.python.failure import Failure
from twisted.web.resource import Resource
from twisted.web.server import NOT_DONE_YET
from twisted.web.wsgi import WSGIResource  # noqa: F401 - the official module's namespace has it

from .._http_response import BasicAuth, Request, ResponseSettings, respond
from .._http_types import Response
from ..registry import REGISTRY, Collector

logger = logging.getLogger("prometheus_client.twisted")

__all__ = ["MetricsResource"]


def __getattr__(name: str) -> Any:
    """``exposition``, as the official module has it, imported only when asked for.

    The resource needs only the response module; importing ``prometheus_client.exposition``
    eagerly would make this backend depend on the servers too.
    """
    if name == "exposition":
        from .. import exposition

        return exposition
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _default_reactor() -> Any:
    """The global reactor (a module attribute, so ``reactor`` here names it as in the official module)."""
    return reactor


def _header(request: Any, name: bytes) -> Optional[str]:
    value = request.getHeader(name)
    return value.decode("latin-1") if value is not None else None


class MetricsResource(Resource):
    """Serves ``registry`` for every path below where it is mounted (``isLeaf``).

    ``MetricsResource(registry)`` is what the official client offers; ``reactor``
    and ``basic_auth`` are keyword-only extras.
    """

    isLeaf = True  # noqa: N815 - twisted.web's attribute name

    def __init__(
        self,
        registry: Collector = REGISTRY,
        disable_compression: bool = False,
        *,
        basic_auth: Optional[BasicAuth] = None,
        reactor: Any = None,
    ) -> None:
        super().__init__()
        self._settings = ResponseSettings(registry, disable_compression, basic_auth)
        self._reactor = reactor if reactor is not None else _default_reactor()

    @property
    def registry(self) -> Collector:
        """The registry served."""
        return self._settings.registry

    def render(self, request: Any) -> Any:
        """Start rendering in a worker thread; the response is written when it is done."""
        method = request.method.decode("latin-1")
        asked = Request(
            method=method,
            path=request.path.decode("latin-1"),
            query_string=request.uri.partition(b"?")[2].decode("latin-1"),
            accept=_header(request, b"accept"),
            accept_encoding=_header(request, b"accept-encoding"),
            authorization=_header(request, b"authorization"),
        )
        disconnected: List[bool] = []

        def on_gone(reason: Failure) -> None:
            # The client hung up before the scrape was done: there is nobody to write to.
            disconnected.append(True)
            logger.debug("Client went away during a scrape: %s", reason.getErrorMessage())

        request.notifyFinish().addErrback(on_gone)
        pool = self._reactor.getThreadPool()
        rendered = deferToThreadPool(self._reactor, pool, respond, asked, self._settings)
        rendered.addCallback(self._write, request, method, disconnected)
        rendered.addErrback(self._fail, request, disconnected)
        return NOT_DONE_YET

    def _write(self, response: Response, request: Any, method: str, disconnected: List[bool]) -> None:
        if disconnected:
            return
        status, headers, body = response
        # No text/html default for answers without a Content-Type (OPTIONS, 405), as twisted's WSGIResource does.
        request.defaultContentType = None
        request.setResponseCode(int(status[:3]))
        for name, value in headers:
            request.setHeader(name.encode("latin-1"), value.encode("latin-1"))
        if method != "HEAD":
            request.write(body)
        request.finish()

    def _fail(self, failure: Failure, request: Any, disconnected: List[bool]) -> None:
        # respond() turns collector errors into a 500 itself; reaching here is a bug, still answer the client.
        logger.error("Rendering metrics failed: %s", failure.getTraceback())
        if disconnected:
            return
        request.setResponseCode(500)
        request.setHeader(b"content-type", b"text/plain; charset=utf-8")
        request.write(b"Internal error while rendering metrics\n")
        request.finish()
