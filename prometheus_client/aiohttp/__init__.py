"""aiohttp support: :func:`make_aiohttp_handler`, a request handler serving a registry.

Importing this package needs aiohttp installed (``ModuleNotFoundError`` otherwise, as with the
official client).
"""

from .exposition import make_aiohttp_handler

__all__ = ["make_aiohttp_handler"]
