"""The WSGI app: a WSGI environ in, :func:`._http_response.respond`'s answer out.

It imports only the response module and the registry; serving it (wsgiref, the bounded
server) is :mod:`._http_server`'s job, or any WSGI server's.
"""

from __future__ import annotations

from typing import Any, Callable, Dict, Iterable, Optional

from ._http_response import BasicAuth, Request, ResponseSettings, respond
from .registry import REGISTRY, Collector

WSGIApp = Callable[[Dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def make_wsgi_app(
    registry: Collector = REGISTRY,
    disable_compression: bool = False,
    *,
    basic_auth: Optional[BasicAuth] = None,
) -> WSGIApp:
    """A WSGI app serving the registry on every path, with the official client's statuses and headers.

    GET serves the metrics, OPTIONS lists ``OPTIONS,GET``, other methods (HEAD too) get a 405,
    ``/favicon.ico`` an empty 200.
    """
    settings = ResponseSettings(registry, disable_compression, basic_auth)

    def prometheus_app(environ: Dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        request = Request(
            method=environ["REQUEST_METHOD"],
            path=environ.get("PATH_INFO", "/"),
            query_string=environ.get("QUERY_STRING", ""),
            accept=environ.get("HTTP_ACCEPT"),
            accept_encoding=environ.get("HTTP_ACCEPT_ENCODING"),
            authorization=environ.get("HTTP_AUTHORIZATION"),
        )
        status, headers, body = respond(request, settings)
        start_response(status, headers)
        return [body]

    return prometheus_app
