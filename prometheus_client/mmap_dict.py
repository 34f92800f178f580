"""The official client's public module for the multiprocess file format (re-exports)."""

from ._mmap_dict import MmapedDict, mmap_key

__all__ = ["MmapedDict", "mmap_key"]
