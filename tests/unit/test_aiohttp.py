"""make_aiohttp_handler on a real aiohttp server listening on 127.0.0.1: what only it does.

The contract every backend shares is in test_http_contract.py; here are aiohttp's own codings
(deflate too), the official names and the import without aiohttp.
"""

from __future__ import annotations

import asyncio
import gzip
import importlib
import os
import zlib
from typing import Any, Dict, List, Tuple

import pytest


def _require(module: str) -> Any:
    """Import an optional test dependency: skipped locally when missing, a failure on CI (CI=true)."""
    if os.environ.get("CI") == "true":
        return importlib.import_module(module)
    return pytest.importorskip(module)


aiohttp = _require("aiohttp")
from aiohttp import web  # noqa: E402

from prometheus_client.aiohttp import make_aiohttp_handler  # noqa: E402
from prometheus_client.metrics import Gauge  # noqa: E402
from prometheus_client.registry import CollectorRegistry  # noqa: E402

TEXT_BODY = b"# HELP queue_depth Depth\n# TYPE queue_depth gauge\nqueue_depth 7.0\n"
OTHER_BODY = b"# HELP other Other\n# TYPE other gauge\nother 1.0\n"

Answer = Tuple[int, Dict[str, str], bytes]


@pytest.fixture
def depth_registry() -> CollectorRegistry:
    registry = CollectorRegistry()
    Gauge("queue_depth", "Depth", registry=registry).set(7)
    Gauge("other", "Other", registry=registry).set(1)
    return registry


def serve_and_fetch(handler: Any, requests: List[Dict[str, Any]]) -> List[Answer]:
    """Run an aiohttp app with ``handler`` at /metrics on a free port, make ``requests``, stop the app."""

    async def run() -> List[Answer]:
        app = web.Application()
        app.router.add_route("*", "/metrics", handler)
        runner = web.AppRunner(app)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = runner.addresses[0][1]
        answers: List[Answer] = []
        try:
            timeout = aiohttp.ClientTimeout(total=10)
            async with aiohttp.ClientSession(auto_decompress=False, timeout=timeout) as session:
                for options in requests:
                    options = dict(options)
                    method = options.pop("method", "GET")
                    query = options.pop("query", "")
                    # aiohttp's client asks for gzip/deflate unless told otherwise.
                    headers = {"Accept-Encoding": "identity", **options.pop("headers", {})}
                    url = f"http://127.0.0.1:{port}/metrics{query}"
                    async with session.request(method, url, headers=headers) as response:
                        answers.append((response.status, dict(response.headers), await response.read()))
        finally:
            await runner.cleanup()
        return answers

    return asyncio.run(run())


def test_compresses_with_the_coding_the_client_accepts(depth_registry: CollectorRegistry) -> None:
    gzip_only = {"headers": {"Accept-Encoding": "gzip"}}
    deflate_only = {"headers": {"Accept-Encoding": "deflate"}}
    answers = serve_and_fetch(make_aiohttp_handler(depth_registry), [gzip_only, deflate_only])
    (_, gzip_headers, gzip_body), (_, deflate_headers, deflate_body) = answers
    assert gzip_headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(gzip_body) == TEXT_BODY + OTHER_BODY
    assert deflate_headers["Content-Encoding"] == "deflate"
    assert zlib.decompress(deflate_body) == TEXT_BODY + OTHER_BODY


def test_module_has_the_official_names() -> None:
    from prometheus_client.aiohttp import exposition

    assert exposition.make_aiohttp_handler is make_aiohttp_handler
    assert callable(exposition._bake_output)


def test_without_aiohttp_the_import_fails_with_module_not_found_and_the_rest_works() -> None:
    from tests.unit.missing_backends import import_errors_without_aiohttp_and_django

    errors = import_errors_without_aiohttp_and_django()
    assert errors["prometheus_client.aiohttp"] == "ModuleNotFoundError aiohttp"
