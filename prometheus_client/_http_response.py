"""The one request->response function every HTTP backend shares, knowing nothing of sockets or servers.

A backend (the stdlib server, WSGI, ASGI, Twisted, aiohttp, Django) reads a :class:`Request`
from its framework, calls :func:`respond` (the official WSGI app's contract) or
:func:`respond_with_metrics` (the official ASGI app's: the metrics for any method) with the
:class:`ResponseSettings` it was made with, and writes back the ``(status, headers, body)``
it gets. Negotiation (via ``choose_encoder``), the ``name[]`` filter, gzip and basic auth
happen here and nowhere else.

This module may import content negotiation (``_negotiation``), the registry and the standard
library's pure helpers; never ``http.server``, ``socketserver``, ``wsgiref``, ``select`` or a
framework.
"""

from __future__ import annotations

import base64
import hmac
import logging
import zlib
from dataclasses import dataclass, field
from typing import Dict, List, NamedTuple, Optional, Sequence, Tuple
from urllib.parse import parse_qs

from ._http_types import Headers, Response
from ._negotiation import choose_encoder
from .registry import REGISTRY, Collector

logger = logging.getLogger("prometheus_client.http")

# (user, password) for HTTP basic auth.
BasicAuth = Tuple[str, str]

# zlib level 5: on exposition text within about 1% of the size level 6 (zlib's default) gives, in
# 70-75% of its CPU (10k series: 51.6 vs 51.4 KB, 2.3 vs 3.2 ms; 228k lines: 971 vs 959 KB, 50 vs 68 ms).
# The official client's gzip.compress() uses level 9: 3% smaller than 6, three times the CPU.
_GZIP_LEVEL = 5
_GZIP_WBITS = 16 + zlib.MAX_WBITS  # a gzip header and trailer, not a bare zlib stream
# The official client's exact value (it answers HEAD with 405 too).
ALLOWED_METHODS = "OPTIONS,GET"
# A query string with more fields than this is an attack or a mistake, not a scrape.
_MAX_QUERY_FIELDS = 1000

_STATUS_TEXT = {
    200: "200 OK",
    400: "400 Bad Request",
    401: "401 Unauthorized",
    405: "405 Method Not Allowed",
    500: "500 Internal Server Error",
}


def basic_auth_token(credentials: BasicAuth) -> bytes:
    """The expected ``Authorization`` header value for ``(user, password)``; a user with ``:`` is a ValueError."""
    user, password = credentials
    if ":" in user:
        raise ValueError(f"basic_auth user {user!r} must not contain ':'")
    return b"Basic " + base64.b64encode(f"{user}:{password}".encode())


@dataclass(frozen=True)
class ResponseSettings:
    """What a backend serves and how: the registry, whether to gzip, and the basic auth it requires.

    Built once when the app, handler or resource is made (a bad ``basic_auth`` fails there,
    not on the first scrape). The password stays out of ``repr``.
    """

    registry: Collector = REGISTRY
    disable_compression: bool = False
    basic_auth: Optional[BasicAuth] = field(default=None, repr=False)
    # The Authorization header value to expect, derived from basic_auth; None: no auth.
    auth_token: Optional[bytes] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        token = basic_auth_token(self.basic_auth) if self.basic_auth else None
        object.__setattr__(self, "auth_token", token)


class Request(NamedTuple):
    """The parts of an HTTP request the answer depends on, as the backend read them (headers None when absent)."""

    method: str = "GET"
    path: str = "/"
    query_string: str = ""
    accept: Optional[str] = None
    accept_encoding: Optional[str] = None
    authorization: Optional[str] = None


def gzip_accepted(accept_encoding_header: str) -> bool:
    """True when the Accept-Encoding header allows gzip (``gzip;q=0`` refuses it)."""
    for part in (accept_encoding_header or "").split(","):
        coding, _, params = part.partition(";")
        if coding.strip().lower() not in ("gzip", "x-gzip"):
            continue
        quality = 1.0
        for param in params.split(";"):
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        return quality > 0
    return False


def _gzip(data: bytes) -> bytes:
    compressor = zlib.compressobj(_GZIP_LEVEL, zlib.DEFLATED, _GZIP_WBITS)
    return compressor.compress(data) + compressor.flush()


def _bake_output(
    registry: Collector,
    accept_header: Optional[str],
    accept_encoding_header: Optional[str],
    params: Dict[str, List[str]],
    disable_compression: bool,
) -> Response:
    """Encode the registry as the client asked: format by Accept, gzip by Accept-Encoding, ``name[]`` filter.

    The official client's name and signature. Returns ``(status, headers, body)`` as WSGI
    wants them. Collector errors propagate.
    """
    encoder, content_type = choose_encoder(accept_header or "")
    if "name[]" in params:
        # Present means filter, even to nothing, as in the official client.
        registry = registry.restricted_registry(params["name[]"])  # type: ignore[attr-defined]
    output = encoder(registry)
    headers = [("Content-Type", content_type)]
    if not disable_compression and gzip_accepted(accept_encoding_header or ""):
        output = _gzip(output)
        headers.append(("Content-Encoding", "gzip"))
    return "200 OK", headers, output


def _is_authorized(authorization: Optional[str], expected_token: bytes) -> bool:
    """Constant-time check of the Authorization header (a timing side channel must not leak the password)."""
    given = (authorization or "").strip().encode("latin-1", "replace")
    # Normalise the scheme's case without branching on the secret part.
    if given[:6].lower() == b"basic ":
        given = b"Basic " + given[6:].strip()
    return hmac.compare_digest(given, expected_token)


def _plain(status: int, message: str, extra: Sequence[Tuple[str, str]] = ()) -> Response:
    body = (message + "\n").encode()
    headers: Headers = [("Content-Type", "text/plain; charset=utf-8"), *extra]
    return _STATUS_TEXT[status], headers, body


def _unauthorized() -> Response:
    """The 401 asking for basic auth credentials."""
    return _plain(401, "Unauthorized", [("WWW-Authenticate", 'Basic realm="metrics", charset="UTF-8"')])


def _is_refused(request: Request, settings: ResponseSettings) -> bool:
    """True when the settings require basic auth and the request does not carry it."""
    return settings.auth_token is not None and not _is_authorized(request.authorization, settings.auth_token)


def respond(request: Request, settings: ResponseSettings) -> Response:
    """Answer as the official WSGI app does; the stdlib server, WSGI and Twisted backends use it.

    OPTIONS gets the allowed methods, any method but GET a 405, ``/favicon.ico`` an
    empty 200, anything else the metrics. Returns ``(status, headers, body)`` without
    Content-Length (servers add it, as for the official app). Never raises: a failing
    collector becomes a logged 500.
    """
    if _is_refused(request, settings):
        return _unauthorized()
    if request.method == "OPTIONS":
        return "200 OK", [("Allow", ALLOWED_METHODS)], b""
    if request.method != "GET":
        status = _STATUS_TEXT[405]
        # The official client's exact body: scripts probing for it may match on it.
        body = f"# HTTP {status}: {request.method}; use OPTIONS or GET\n".encode()
        return status, [("Allow", ALLOWED_METHODS)], body
    if request.path == "/favicon.ico":
        # Browsers ask for it; answer like the official client: 200 and nothing.
        return "200 OK", [], b""
    return _metrics(request, settings)


def respond_with_metrics(request: Request, settings: ResponseSettings) -> Response:
    """The metrics whatever the method and path, after basic auth: the official ASGI app's and handler's contract."""
    if _is_refused(request, settings):
        return _unauthorized()
    return _metrics(request, settings)


def _metrics(request: Request, settings: ResponseSettings) -> Response:
    """The metrics answer for a query string; a 400 for an abusive query, a logged 500 for a failing collector."""
    try:
        # Lenient decoding like the official client (a bad byte just names no metric); the field bound
        # keeps a hostile query string from costing more than a scrape.
        params = parse_qs(request.query_string, max_num_fields=_MAX_QUERY_FIELDS)
    except ValueError as error:
        return _plain(400, f"Bad query string: {error}")
    return metrics_for_params(settings, params, request.accept, request.accept_encoding)


def metrics_for_params(
    settings: ResponseSettings,
    params: Dict[str, List[str]],
    accept_header: Optional[str],
    accept_encoding_header: Optional[str],
) -> Response:
    """:func:`_bake_output` for query parameters a framework parsed (aiohttp, Django); a failing collector is a 500.

    No basic auth here: the frameworks that call this bring their own.
    """
    try:
        return _bake_output(
            settings.registry, accept_header, accept_encoding_header, params, settings.disable_compression
        )
    except Exception:
        logger.exception("Collecting metrics failed")
        return _plain(500, "Error while collecting metrics (see the server log)")
