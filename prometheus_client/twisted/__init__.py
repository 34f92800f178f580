"""Twisted support: :class:`MetricsResource`, a ``twisted.web`` resource serving a registry."""

from ._exposition import MetricsResource

__all__ = ["MetricsResource"]
