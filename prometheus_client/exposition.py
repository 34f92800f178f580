"""The official client's ``prometheus_client.exposition``: every public name, in one place.

Nothing is implemented here. The encoder lives in :mod:`._encoding`; the
backends that move its bytes live in their own modules (HTTP, textfile,
Pushgateway) and are re-exported so existing imports keep working.
"""

from ._encoding import (
    CONTENT_TYPE_LATEST,
    CONTENT_TYPE_PLAIN_0_0_4,
    CONTENT_TYPE_PLAIN_1_0_0,
    choose_encoder,
    generate_latest,
)
from ._http import (
    MetricsHandler,
    ThreadingWSGIServer,
    gzip_accepted,
    make_wsgi_app,
    start_http_server,
    start_wsgi_server,
)

# Private helpers of the official module that some integrations import directly.
from ._http import _bake_output as _bake_output  # noqa: E402
from ._http import _get_best_family as _get_best_family  # noqa: E402
from ._http import _get_ssl_ctx as _get_ssl_ctx  # noqa: E402
from ._pushgateway import (
    PushgatewayError,
    PushgatewayUnreachable,
    basic_auth_handler,
    default_handler,
    delete_from_gateway,
    instance_ip_grouping_key,
    passthrough_redirect_handler,
    push_to_gateway,
    pushadd_to_gateway,
    tls_auth_handler,
)
from ._pushgateway import _escape_grouping_key as _escape_grouping_key  # noqa: E402
from ._textfile import TextfileWriter, start_textfile_writer, write_to_textfile
from .asgi import make_asgi_app
from .openmetrics import exposition as openmetrics  # noqa: F401 - the official module has this alias
from .registry import REGISTRY
from .utils import floatToGoString

__all__ = [
    "CONTENT_TYPE_LATEST",
    "CONTENT_TYPE_PLAIN_0_0_4",
    "CONTENT_TYPE_PLAIN_1_0_0",
    "MetricsHandler",
    "ThreadingWSGIServer",
    "gzip_accepted",
    "make_asgi_app",
    "make_wsgi_app",
    "start_http_server",
    "start_wsgi_server",
    "PushgatewayError",
    "PushgatewayUnreachable",
    "REGISTRY",
    "TextfileWriter",
    "basic_auth_handler",
    "default_handler",
    "delete_from_gateway",
    "instance_ip_grouping_key",
    "passthrough_redirect_handler",
    "push_to_gateway",
    "pushadd_to_gateway",
    "start_textfile_writer",
    "tls_auth_handler",
    "write_to_textfile",
    "choose_encoder",
    "floatToGoString",
    "generate_latest",
]
