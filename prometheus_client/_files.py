"""File-system helpers shared by the writers that replace files atomically (textfile, multiprocess)."""

from __future__ import annotations

import os


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
