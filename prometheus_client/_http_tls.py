"""The server side of TLS: :class:`TLSSettings` and the ``ssl.SSLContext`` made from them.

Errors keep the official client's messages (and the ``ssl``/``OSError`` subclass Python raised).
This module may import ``ssl`` and nothing of this package.
"""

from __future__ import annotations

import ssl
from dataclasses import dataclass
from typing import Optional


@dataclass(frozen=True)
class TLSSettings:
    """A server certificate and what to ask of clients; ``client_auth_required`` means mutual TLS."""

    certfile: str
    keyfile: str
    protocol: int = ssl.PROTOCOL_TLS_SERVER
    client_cafile: Optional[str] = None
    client_capath: Optional[str] = None
    client_auth_required: bool = False
    min_version: Optional[ssl.TLSVersion] = None
    max_version: Optional[ssl.TLSVersion] = None

    def context(self) -> ssl.SSLContext:
        """A new server context (loads the files now: a bad path raises here)."""
        return _get_ssl_ctx(
            self.certfile,
            self.keyfile,
            self.protocol,
            self.client_cafile,
            self.client_capath,
            self.client_auth_required,
            self.min_version,
            self.max_version,
        )


def _reworded(error: OSError, message: str) -> OSError:
    """``error``'s own type (FileNotFoundError, ssl.SSLError...) with the official client's message."""
    try:
        return type(error)(message)
    except Exception:  # an OSError subclass with a constructor of its own
        return OSError(message)


def _get_ssl_ctx(
    certfile: str,
    keyfile: str,
    protocol: int,
    cafile: Optional[str] = None,
    capath: Optional[str] = None,
    client_auth_required: bool = False,
    tls_min_version: Optional[ssl.TLSVersion] = None,
    tls_max_version: Optional[ssl.TLSVersion] = None,
) -> ssl.SSLContext:
    """A server TLS context, with the official client's name and signature.

    With ``client_auth_required`` clients must present a certificate signed by the CA
    (``cafile``/``capath``, or the system's default CAs).
    """
    context = ssl.SSLContext(protocol)
    if tls_min_version is not None:
        context.minimum_version = tls_min_version
    if tls_max_version is not None:
        context.maximum_version = tls_max_version
    if cafile is not None or capath is not None:
        try:
            context.load_verify_locations(cafile, capath)
        except OSError as error:
            raise _reworded(
                error, f"Cannot load CA certificate chain from file {cafile!r} or directory {capath!r}: {error}"
            ) from error
    elif client_auth_required:
        context.load_default_certs(ssl.Purpose.CLIENT_AUTH)
    if client_auth_required:
        context.verify_mode = ssl.CERT_REQUIRED
    try:
        context.load_cert_chain(certfile, keyfile)
    except OSError as error:
        raise _reworded(
            error, f"Cannot load server certificate file {certfile!r} or its private key file {keyfile!r}: {error}"
        ) from error
    return context
