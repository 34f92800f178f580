"""File-system helpers shared by the writers that replace files atomically (textfile, multiprocess):
durable renames, and removing the temporary files of writers killed mid-write."""

from __future__ import annotations

import errno
import os
from typing import Callable, Optional


def fsync_directory(directory: str) -> None:
    """Make a rename inside ``directory`` durable across a crash; best effort, as some systems refuse it."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def pid_is_running(pid: int) -> bool:
    """Whether a process with this pid exists on this machine (owned by anyone)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it exists, owned by someone else
    except OSError as error:
        return error.errno != errno.ESRCH
    return True


def remove_stale_temp_files(
    directory: str, pid_of: Callable[[str], Optional[int]], is_dead: Callable[[int], bool] = lambda pid: True
) -> int:
    """Remove the temporary files in ``directory`` of writers that died mid-write; return how many went.

    ``pid_of(name)`` gives the pid of the writer of a temporary file of this kind (None: not one). A file
    whose writer is this process, or still running, may be in use and is kept.
    """
    own = os.getpid()
    removed = 0
    try:
        entries = list(os.scandir(directory))
    except OSError:
        return 0
    for entry in entries:
        if not entry.name.endswith(".tmp"):
            continue
        pid = pid_of(entry.name)
        if pid is None or pid == own or not is_dead(pid) or pid_is_running(pid):
            continue
        try:
            os.unlink(entry.path)
            removed += 1
        except OSError:
            pass  # another cleaner got it first
    return removed


def pid_after(prefix: str) -> Callable[[str], Optional[int]]:
    """``pid_of`` for temporary names ``<prefix><pid>.<anything>``."""

    def pid_of(name: str) -> Optional[int]:
        if not name.startswith(prefix):
            return None
        text = name[len(prefix):].split(".", 1)[0]
        return int(text) if text.isdigit() else None

    return pid_of
