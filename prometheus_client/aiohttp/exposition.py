"""An aiohttp handler serving a registry: ``app.router.add_get("/metrics", make_aiohttp_handler())``."""

from __future__ import annotations

from typing import Dict, List

from aiohttp import hdrs, web
from aiohttp.typedefs import Handler

from .._http_response import (
    ResponseSettings,
    _bake_output,  # noqa: F401 - the official module's namespace has it
    metrics_for_params,
)
from ..registry import REGISTRY, Collector

__all__ = ["make_aiohttp_handler"]


def make_aiohttp_handler(registry: Collector = REGISTRY, disable_compression: bool = False) -> Handler:
    """A handler answering with ``registry``'s metrics in the format the Accept header asks for.

    Like the official handler it serves whatever method its route allows, filters on
    ``name[]`` and leaves compression to aiohttp (gzip or deflate, as the client accepts).
    """
    # aiohttp compresses below, choosing the coding from Accept-Encoding: the response module never gzips here.
    settings = ResponseSettings(registry, disable_compression=True)

    async def prometheus_handler(request: web.Request) -> web.Response:
        params: Dict[str, List[str]] = {key: request.query.getall(key) for key in request.query.keys()}
        accept_header = ",".join(request.headers.getall(hdrs.ACCEPT, []))
        # Encoded inline, as the official handler does: a scrape of a usual registry is well under a millisecond.
        status, headers, body = metrics_for_params(settings, params, accept_header, None)
        response = web.Response(status=int(status[:3]), headers=headers, body=body)
        if not disable_compression:
            response.enable_compression()
        return response

    return prometheus_handler
