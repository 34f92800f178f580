"""The old private path of the HTTP code, kept only for callers outside the package that still import it.

The code lives in :mod:`._http_response` (the request->response function), :mod:`._wsgi`
(the WSGI app), :mod:`._deadline_io` (connection deadlines), :mod:`._http_tls` (TLS) and
:mod:`._http_server` (the built-in servers). Nothing in the package imports this module;
``tests/integration/test_http_prometheus.py`` does. Delete it once that import moves to
``._http_server``.
"""

from ._http_server import MetricsHandler, _MetricsHTTPServer, start_http_server, start_wsgi_server
from ._wsgi import make_wsgi_app

__all__ = ["MetricsHandler", "_MetricsHTTPServer", "make_wsgi_app", "start_http_server", "start_wsgi_server"]
