"""Parser for the Prometheus text exposition format 0.0.4.

``text_string_to_metric_families`` turns scraped text into the same
:class:`~prometheus_client.metrics_core.Metric` families a collector yields,
and accepts what the official client 0.26 accepts, with the same results.
The format is read leniently: comments and blank lines are skipped, extra
whitespace is allowed, a sample that does not belong to the family described
by the last HELP/TYPE lines is yielded at once as its own ``unknown`` family.
Counters are reported in the OpenMetrics shape the rest of the library uses:
family ``foo``, samples ``foo_total``. Names may be quoted UTF-8
(``{"my.metric",a="b"} 1``).

Malformed text raises :class:`ValueError` (the official message first, then the
line number). Where the official client raises another type (``IndexError``,
``OverflowError``), ours is a subclass of both that type and ``ValueError``.
"""

from __future__ import annotations

import io
from typing import Iterable, Iterator, List, TextIO

from ._lexer import (
    ESCAPE_SEQUENCES,
    ESCAPING_RE,
    HELP_ESCAPING_RE,
    as_value_error,
    parse_labels,
    parse_text_sample,
    replace_escape_sequence,
    replace_help_escaping,
    split_text_metadata,
)
from ._protobuf_parser import parse_protobuf
from .metrics_core import Metric
from .samples import Sample

__all__ = [
    "parse_protobuf",
    "ESCAPE_SEQUENCES",
    "ESCAPING_RE",
    "HELP_ESCAPING_RE",
    "parse_labels",
    "replace_escape_sequence",
    "text_fd_to_metric_families",
    "text_string_to_metric_families",
]

_TYPE_SAMPLE_SUFFIXES = {
    "counter": ("",),
    "gauge": ("",),
    "summary": ("_count", "_sum", ""),
    "histogram": ("_count", "_sum", "_bucket"),
}


def _build_metric(name: str, documentation: str, typ: str, samples: List[Sample]) -> Metric:
    # Counters are kept in the OpenMetrics shape used everywhere else: family 'x', samples 'x_total'.
    if typ == "counter":
        if name.endswith("_total"):
            name = name[:-6]
        else:
            samples = [sample._replace(name=sample.name + "_total") for sample in samples]
    metric = Metric(name, documentation, typ)
    metric.samples = samples
    return metric


def _parse(lines: Iterable[str]) -> Iterator[Metric]:
    name = ""
    documentation = ""
    typ = "untyped"
    samples: List[Sample] = []
    allowed_names: List[str] = []
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#"):
            metadata = split_text_metadata(line)
            if metadata is None:
                continue  # An ordinary comment.
            keyword, candidate, _, rest = metadata
            if keyword == "HELP":
                if candidate != name:
                    if name:
                        yield _build_metric(name, documentation, typ, samples)
                    name, typ, samples, allowed_names = candidate, "untyped", [], [candidate]
                documentation = replace_help_escaping(rest) if rest is not None else ""
            elif keyword == "TYPE":
                if rest is None:
                    raise ValueError(f"Invalid TYPE line, expected '# TYPE name type': {line}")
                if candidate != name:
                    if name:
                        yield _build_metric(name, documentation, typ, samples)
                    name, documentation, samples = candidate, "", []
                typ = rest
                allowed_names = [name + suffix for suffix in _TYPE_SAMPLE_SUFFIXES.get(typ, ("",))]
            continue
        sample = parse_text_sample(line)
        if sample.name in allowed_names:
            samples.append(sample)
            continue
        # A sample of no described family is a family of its own, yielded at once.
        if name:
            yield _build_metric(name, documentation, typ, samples)
        name, documentation, typ, samples, allowed_names = "", "", "untyped", [], []
        yield _build_metric(sample.name, "", "untyped", [sample])
    if name:
        yield _build_metric(name, documentation, typ, samples)


def text_fd_to_metric_families(fd: TextIO) -> Iterator[Metric]:
    """Parse 0.0.4 text read from a file-like object (any iterable of lines) into metric families."""
    lineno = 0

    def numbered() -> Iterator[str]:
        nonlocal lineno
        for line in fd:
            lineno += 1
            yield line

    try:
        yield from _parse(numbered())
    except Exception as error:  # Where the official client lets OverflowError etc. out, ours is a ValueError too.
        raise as_value_error(error, f"{error} (line {lineno})") from None


def text_string_to_metric_families(text: str) -> Iterator[Metric]:
    """Parse 0.0.4 text into metric families, lazily, one family at a time."""
    yield from text_fd_to_metric_families(io.StringIO(text))
