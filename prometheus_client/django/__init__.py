"""Django support: :class:`PrometheusDjangoView`, a class-based view serving a registry.

Importing this package needs Django installed (``ModuleNotFoundError`` otherwise, as with the
official client).
"""

from .exposition import PrometheusDjangoView

__all__ = ["PrometheusDjangoView"]
