"""Push a registry's samples to Graphite (carbon) in its plaintext protocol.

Each sample becomes one line ``<path> <value> <unix time>\\n``. The path is the sample name
followed by its labels sorted by name, as ``name.label.value`` path parts, or, with
``tags=True``, as Graphite tags ``name;label=value``. Every character outside
``[a-zA-Z0-9_-]`` in names, label names and label values becomes ``_``, so a value never adds
path levels or breaks a tag. This is Graphite's own format, not the Prometheus exposition format.
"""

from __future__ import annotations

import re
import socket
import threading
import time
from typing import Callable, List, Optional, Tuple, cast

from .._periodic import PeriodicTask
from ..registry import REGISTRY, Collector

# The global registry, typed as the Collector it is (mypy cannot see the ABC's subclass hook).
_DEFAULT_REGISTRY = cast(Collector, REGISTRY)

_UNSAFE = re.compile(r"[^a-zA-Z0-9_-]")


def _sanitize(text: str) -> str:
    """Replace each character Graphite paths and tags cannot hold with ``_``."""
    return _UNSAFE.sub("_", text)


class GraphiteBridge:
    """Sends ``registry``'s samples to a carbon line receiver at ``address`` = (host, port).

    ``push()`` sends once and raises on error; ``start()`` pushes every interval from a daemon
    thread, logging failures and retrying on the next tick.
    """

    def __init__(
        self,
        address: Tuple[str, int],
        registry: Collector = _DEFAULT_REGISTRY,
        timeout_seconds: float = 30,
        _timer: Callable[[], float] = time.time,
        tags: bool = False,
    ) -> None:
        self._address = address
        self._registry = registry
        self._timeout = timeout_seconds
        self._timer = _timer
        self._tags = tags
        self._pusher: Optional[PeriodicTask] = None
        self._pusher_args: Optional[Tuple[float, str]] = None
        self._lock = threading.Lock()

    def lines(self, prefix: str = "") -> List[str]:
        """The plaintext protocol lines one push would send now (each ends with a newline)."""
        now = int(self._timer())
        prefix_part = prefix + "." if prefix else ""
        tags = self._tags
        lines = []
        for family in self._registry.collect():
            for sample in family.samples:
                if sample.value is None and sample.native_histogram is not None:
                    continue  # A native histogram has no one number to send; its classic samples go.
                labels = sorted(sample.labels.items())
                if tags:
                    label_part = "".join(f";{_sanitize(name)}={_sanitize(value)}" for name, value in labels)
                else:
                    label_part = "".join(f".{_sanitize(name)}.{_sanitize(value)}" for name, value in labels)
                lines.append(f"{prefix_part}{_sanitize(sample.name)}{label_part} {float(sample.value)!r} {now}\n")
        return lines

    def push(self, prefix: str = "") -> None:
        """Send every sample once; raises OSError naming the address when carbon cannot be reached."""
        data = "".join(self.lines(prefix)).encode("utf-8")
        host, port = self._address
        try:
            with socket.create_connection((host, port), timeout=self._timeout) as connection:
                connection.sendall(data)
        except OSError as error:
            reason = error.strerror or str(error) or type(error).__name__
            message = f"cannot push to Graphite at {host}:{port}: {reason}"
            if error.errno is None:
                raise OSError(message) from error
            raise OSError(error.errno, message) from error

    def start(self, interval: float = 60.0, prefix: str = "") -> PeriodicTask:
        """Push now and then every ``interval`` seconds from a daemon thread; returns its handle.

        One bridge runs one pusher: calling ``start`` again while it runs returns the running
        handle if ``interval`` and ``prefix`` are the same, and raises RuntimeError if they differ
        (``stop()`` it first). Push errors are logged and retried on the next tick.
        """
        with self._lock:
            if self._pusher is not None and self._pusher.is_running:
                if self._pusher_args == (float(interval), prefix):
                    return self._pusher
                raise RuntimeError(
                    f"This GraphiteBridge already pushes every {self._pusher.interval:g}s with prefix "
                    f"{self._pusher_args[1] if self._pusher_args else ''!r}; call stop() before starting "
                    f"it with interval={interval!r}, prefix={prefix!r}"
                )
            host, port = self._address
            task = PeriodicTask(lambda: self.push(prefix), interval, name=f"Graphite pusher to {host}:{port}")
            self._pusher = task.start()
            self._pusher_args = (task.interval, prefix)
            return task

    def stop(self, timeout: Optional[float] = None) -> None:
        """Stop the periodic pusher, if any, waiting for a push in progress."""
        with self._lock:
            task, self._pusher = self._pusher, None
        if task is not None:
            task.stop(timeout)
