"""Protobuf exposition of the 10k-series registry: ours in protobuf against the official client's text.

The official client writes no protobuf, so its side of this workload times its text
``generate_latest`` of the same registry (the one in ``workloads.build_registry``): the
ratio says what answering a native-histogram Prometheus costs here next to what a scrape
costs with the official client. Joined into ``WORKLOADS`` by ``workloads.py``.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any, Callable

from workloads import Result, build_registry, peak_memory, per_op, workload


def _protobuf_or_text(pc: ModuleType) -> Callable[[Any], bytes]:
    """Our protobuf encoder, or the official client's text ``generate_latest`` (it has no protobuf)."""
    try:
        module = importlib.import_module(pc.__name__ + "._protobuf")
    except ImportError:
        return pc.generate_latest  # type: ignore[no-any-return]
    return module.encode_protobuf  # type: ignore[no-any-return]


@workload()
def protobuf_exposition_10k(pc: ModuleType) -> Result:
    """Ours: protobuf exposition of the ~10k-series registry; official: its text generate_latest of it."""
    registry = build_registry(pc, 10_000)
    encode = _protobuf_or_text(pc)
    output = encode(registry)
    seconds = per_op(lambda: encode(registry), 5, repeat=3)
    peak = peak_memory(lambda: encode(registry))
    return seconds, {"bytes": len(output), "peak_bytes": peak, "format": encode.__name__}
