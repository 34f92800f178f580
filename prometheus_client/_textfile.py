"""Write a registry's metrics to a file, atomically, for node_exporter's textfile collector.

The collector may read the file at any moment, so a reader must see either the old content or
the new one, never half a file: the bytes go to a temporary file in the same directory (so the
rename stays on one filesystem), are flushed and fsync'ed, and the temporary file is renamed over
the target with ``os.replace``. The temporary name does not end in ``.prom``, so the collector
never reads it. On any error the temporary file is removed and the old file is left as it was.
"""

from __future__ import annotations

import os
import threading
import uuid
from typing import Optional, Union, cast

from ._encoding import encode_text
from ._files import fsync_directory, pid_after, remove_stale_temp_files
from ._periodic import PeriodicTask
from .registry import REGISTRY, Collector

# The global registry, typed as the Collector it is (mypy cannot see the ABC's subclass hook).
_DEFAULT_REGISTRY = cast(Collector, REGISTRY)

PathLike = Union[str, "os.PathLike[str]"]


def _path_error(error: OSError, action: str, path: str) -> OSError:
    """The same kind of OSError (PermissionError, FileNotFoundError, ...) with a message naming path."""
    reason = error.strerror or str(error)
    if error.errno is None:
        return OSError(f"cannot {action} {path!r}: {reason}")
    # OSError(errno, ...) picks the matching subclass, so callers' except clauses keep working.
    return OSError(error.errno, f"cannot {action} {path!r}: {reason}", path)


def write_bytes_atomically(path: PathLike, data: bytes, tmpdir: Optional[PathLike] = None) -> None:
    """Replace the file at ``path`` with ``data`` so that readers never see a partial file."""
    target = os.fspath(path)
    directory = os.fspath(tmpdir) if tmpdir is not None else (os.path.dirname(target) or ".")
    # Unique per process, thread and call; a leading dot and no .prom suffix keep collectors away.
    temp_prefix = f".{os.path.basename(target)}."
    temp = os.path.join(directory, f"{temp_prefix}{os.getpid()}.{threading.get_ident()}.{uuid.uuid4().hex[:8]}.tmp")
    # A writer killed between creating its temporary file and renaming it leaves it behind: the next
    # write to the same path removes those of writers that are no longer running.
    remove_stale_temp_files(directory, pid_after(temp_prefix))
    try:
        # 0o666 minus the umask, like open(): a collector running as another user can read it.
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o666)
    except OSError as error:
        raise _path_error(error, "create a temporary file for", target) from error
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, target)
    except BaseException as error:
        try:
            os.unlink(temp)
        except OSError:
            pass  # already gone (or never renamed away); nothing else to clean
        if isinstance(error, OSError):
            raise _path_error(error, "write metrics to", target) from error
        raise
    fsync_directory(os.path.dirname(target) or ".")


def write_to_textfile(
    path: PathLike,
    registry: Collector,
    escaping: str = "allow-utf-8",
    tmpdir: Optional[PathLike] = None,
) -> None:
    """Write ``registry``'s metrics in the Prometheus text format to ``path``, atomically.

    Intended for node_exporter's textfile collector: name the file ``*.prom`` in its directory.
    ``tmpdir`` puts the temporary file elsewhere; it must be on the same filesystem as ``path``.
    Errors are OSError subclasses whose message names ``path``; the old file is then left intact.
    """
    # Encode first: a failing collector must not leave anything on disk.
    data = encode_text(registry, escaping=escaping)
    write_bytes_atomically(path, data, tmpdir)


class TextfileWriter:
    """A running periodic textfile writer, as returned by :func:`start_textfile_writer`."""

    def __init__(
        self,
        path: PathLike,
        registry: Collector = _DEFAULT_REGISTRY,
        interval: float = 15.0,
        escaping: str = "allow-utf-8",
        tmpdir: Optional[PathLike] = None,
    ) -> None:
        self.path = os.fspath(path)
        self.registry = registry
        self.escaping = escaping
        self.tmpdir = tmpdir
        self._task = PeriodicTask(self.write, interval, name=f"textfile writer for {self.path}", run_immediately=False)

    @property
    def interval(self) -> float:
        return self._task.interval

    @property
    def is_running(self) -> bool:
        return self._task.is_running

    @property
    def failures(self) -> int:
        """How many periodic writes failed (each was logged)."""
        return self._task.failures

    def write(self) -> None:
        """Write the file once, now."""
        write_to_textfile(self.path, self.registry, escaping=self.escaping, tmpdir=self.tmpdir)

    def start(self) -> TextfileWriter:
        """Write once in the caller (so a bad path raises here), then keep writing every interval."""
        self.write()
        self._task.start()
        return self

    def stop(self, write_last: bool = True, timeout: Optional[float] = None) -> None:
        """Stop the thread (waiting for a write in progress); then, if ``write_last``, write once more.

        The last write keeps the final values on disk after the process exits; it raises on error.
        """
        self._task.stop(timeout)
        if write_last:
            self.write()

    def __enter__(self) -> TextfileWriter:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def __repr__(self) -> str:
        return f"<TextfileWriter {self.path!r} every {self.interval:g}s>"


def start_textfile_writer(
    path: PathLike,
    registry: Collector = _DEFAULT_REGISTRY,
    interval: float = 15.0,
    escaping: str = "allow-utf-8",
    tmpdir: Optional[PathLike] = None,
) -> TextfileWriter:
    """Write ``registry`` to ``path`` now and then every ``interval`` seconds on a daemon thread.

    The first write happens before this returns and raises on error (a wrong path fails fast);
    later failures are logged and retried on the next tick. Call ``stop()`` on the returned
    :class:`TextfileWriter` (or use it as a context manager) to end it.
    """
    return TextfileWriter(path, registry, interval, escaping, tmpdir).start()
