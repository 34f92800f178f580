"""``python -m prometheus_client check``: parse and lint an exposition like ``promtool check metrics``.

The source is a file, ``-`` for stdin, or an ``http://``/``https://`` URL.
OpenMetrics is recognised by a ``# EOF`` last line or, for URLs, the
response's content type; the delimited protobuf format by its content type
or by bytes that read as MetricFamily messages (``--format protobuf`` also
asks a URL for it); anything else is read as the 0.0.4 text format.
Exit codes follow promtool: 0 clean, 1 unreadable or unparsable, 3 lint problems.
"""

from __future__ import annotations

import argparse
import io
import re
import sys
import urllib.request
from typing import Iterable, Iterator, List, Optional, Sequence, Tuple

from ._lexer import parse_text_sample, replace_help_escaping, split_text_metadata
from ._protobuf_parser import parse_protobuf
from .openmetrics.parser import text_string_to_metric_families as parse_openmetrics
from .samples import Sample

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_LINT = 3

_OPENMETRICS_ACCEPT = (
    "application/openmetrics-text;version=1.0.0;q=0.9,text/plain;version=0.0.4;q=0.5,*/*;q=0.1"
)
_PROTOBUF_ACCEPT = "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited"
_PROTOBUF_MEDIA_TYPE = "application/vnd.google.protobuf"
_TYPES_IN_NAMES = ("counter", "gauge", "histogram", "summary")
_ABBREVIATED_UNITS = frozenset({"s", "ms", "us", "ns", "sec", "b", "kb", "mb", "gb", "tb", "pb", "m", "h", "d"})
_BASE_UNITS = ("amperes", "bytes", "candela", "grams", "kelvin", "meters", "metres", "moles", "seconds", "volts")
_UNIT_PREFIXES = (
    "exa", "peta", "tera", "giga", "mega", "kilo", "hecto", "deca", "deci", "centi", "milli", "micro", "nano",
    "pico", "femto", "atto",
)
_NON_BASE_UNITS = {prefix + unit: unit for prefix in _UNIT_PREFIXES for unit in _BASE_UNITS}
_NON_BASE_UNITS.update(
    {
        "minutes": "seconds",
        "hours": "seconds",
        "days": "seconds",
        "weeks": "seconds",
        "bits": "bytes",
        "fahrenheit": "celsius",
        "kelvins": "kelvin",
    }
)
_CAMEL_CASE_RE = re.compile(r"[a-z][A-Z]")


def lint_family(name: str, typ: str, has_help: bool, label_names: Iterable[str], openmetrics: bool) -> List[str]:
    """The best-practice problems of one family, as promtool's linter words them."""
    problems: List[str] = []
    if not has_help:
        problems.append("no help text")
    if typ == "counter":
        # OpenMetrics counter families are named without _total; only their samples carry it.
        if not openmetrics and not name.endswith("_total"):
            problems.append('counter metrics should have "_total" suffix')
    elif name.endswith("_total"):
        problems.append('non-counter metrics should not have "_total" suffix')
    labels = set(label_names)
    if typ not in ("histogram", "gaugehistogram"):
        if "le" in labels:
            problems.append('non-histogram metrics should not have "le" label')
        if name.endswith("_bucket"):
            problems.append('non-histogram metrics should not have "_bucket" suffix')
    if typ != "summary" and "quantile" in labels:
        problems.append('non-summary metrics should not have "quantile" label')
    if typ not in ("histogram", "summary"):
        for suffix in ("_count", "_sum"):
            if name.endswith(suffix):
                problems.append(f'non-histogram and non-summary metrics should not have "{suffix}" suffix')
    parts = name.split("_")
    # promtool looks for type names and abbreviations after the first word only (the namespace).
    for type_name in _TYPES_IN_NAMES:
        if type_name in parts[1:]:
            problems.append(f"metric name should not include type '{type_name}'")
    if ":" in name:
        problems.append("metric names should not contain ':'")
    if _CAMEL_CASE_RE.search(name):
        problems.append("metric names should be written in 'snake_case' not 'camelCase'")
    if any(_CAMEL_CASE_RE.search(label) for label in labels):
        problems.append("label names should be written in 'snake_case' not 'camelCase'")
    for part in parts:
        if part in _NON_BASE_UNITS:
            problems.append(f'use base unit "{_NON_BASE_UNITS[part]}" instead of "{part}"')
    if any(part in _ABBREVIATED_UNITS for part in parts[1:]):
        problems.append("metric names should not contain abbreviated units")
    return problems


def is_openmetrics(text: str, content_type: str = "") -> bool:
    """Whether to read ``text`` as OpenMetrics: by content type if known, else by a final ``# EOF``."""
    if content_type:
        return content_type.split(";")[0].strip().lower() == "application/openmetrics-text"
    return text.rstrip("\n").rsplit("\n", 1)[-1] == "# EOF"


_TYPES_0_0_4 = frozenset(
    {"counter", "gauge", "histogram", "summary", "untyped", "unknown", "info", "stateset", "gaugehistogram"}
)


def _allowed_sample_names(name: str, typ: str) -> Tuple[str, ...]:
    if typ == "summary":
        return (name, name + "_count", name + "_sum")
    if typ == "histogram":
        return (name + "_bucket", name + "_count", name + "_sum")
    return (name,)


class _RawFamily:
    """A family as written, before counters are reshaped: the form promtool lints."""

    __slots__ = ("name", "documentation", "has_help", "typ", "samples", "repeated_metadata")

    def __init__(self, name: str) -> None:
        self.name = name
        self.documentation = ""
        self.has_help = False
        self.typ = "untyped"
        self.samples: List[Sample] = []
        # Line number of a second HELP/TYPE, or of one after samples: an error for the linter.
        self.repeated_metadata: Optional[int] = None


def _raw_families(fd: Iterable[str]) -> Iterator[_RawFamily]:
    """Group the lines of 0.0.4 text into families as they were written (samples of one name together)."""
    family: Optional[_RawFamily] = None
    allowed: Tuple[str, ...] = ()
    lineno = 0
    try:
        for line in fd:
            lineno += 1
            stripped = line.strip()
            if not stripped:
                continue
            if stripped.startswith("#"):
                metadata = split_text_metadata(stripped)
                if metadata is None or metadata[0] not in ("HELP", "TYPE") or not metadata[1]:
                    continue  # An ordinary comment.
                keyword, name, _, rest = metadata
                if family is None or family.name != name:
                    if family is not None:
                        yield family
                    family = _RawFamily(name)
                    allowed = _allowed_sample_names(name, family.typ)
                if family.samples or (family.has_help if keyword == "HELP" else family.typ != "untyped"):
                    if family.repeated_metadata is None:
                        family.repeated_metadata = lineno
                if keyword == "HELP":
                    family.documentation = replace_help_escaping(rest or "")
                    family.has_help = True
                else:
                    new_type = (rest or "").strip()
                    if new_type not in _TYPES_0_0_4:
                        raise ValueError(f"Invalid metric type {new_type!r}")
                    family.typ = new_type
                    allowed = _allowed_sample_names(name, new_type)
                continue
            sample = parse_text_sample(stripped)
            if family is not None and sample.name in allowed:
                family.samples.append(sample)
                continue
            if family is not None:
                yield family
            family = _RawFamily(sample.name)
            family.samples.append(sample)
            allowed = (sample.name,)
        if family is not None:
            yield family
    except ValueError as error:
        raise ValueError(f"line {lineno}: {error}") from None
    except Exception as error:  # Anything odd in the text is a parse error, never a crash.
        raise ValueError(f"line {lineno}: {type(error).__name__}: {error}") from None


def _check_text(text: str) -> List[str]:
    """Parse 0.0.4 text strictly enough to match promtool, then lint it; parse errors raise ValueError."""
    problems: List[str] = []
    described: set = set()
    for family in _raw_families(io.StringIO(text)):
        if family.name in described and (family.has_help or family.typ != "untyped"):
            raise ValueError(f"Metric {family.name!r} is described twice (a second HELP or TYPE)")
        if family.repeated_metadata is not None:
            raise ValueError(
                f"line {family.repeated_metadata}: second HELP or TYPE line for {family.name!r}, "
                "or one after its samples"
            )
        if family.has_help or family.typ != "untyped":
            described.add(family.name)
        label_names = {name for sample in family.samples for name in (sample.labels or ())}
        typ = "unknown" if family.typ == "untyped" else family.typ
        for problem in lint_family(family.name, typ, family.has_help, label_names, openmetrics=False):
            problems.append(f"{family.name} {problem}")
    return problems


def _check_openmetrics(text: str) -> List[str]:
    problems: List[str] = []
    for family in parse_openmetrics(text):
        label_names = {name for sample in family.samples for name in (sample.labels or ())}
        has_help = bool(family.documentation)
        for problem in lint_family(family.name, family.type, has_help, label_names, openmetrics=True):
            problems.append(f"{family.name} {problem}")
    return problems


def check_text(text: str, openmetrics: Optional[bool] = None) -> Tuple[int, List[str]]:
    """Check an exposition; return (exit code, lines to print)."""
    if openmetrics is None:
        openmetrics = is_openmetrics(text)
    try:
        problems = _check_openmetrics(text) if openmetrics else _check_text(text)
    except ValueError as error:
        kind = "OpenMetrics" if openmetrics else "text format"
        return EXIT_ERROR, [f"error while linting: {kind} parsing error: {error}"]
    problems.sort()
    return (EXIT_LINT if problems else EXIT_OK), problems


def _check_protobuf(data: bytes) -> List[str]:
    problems: List[str] = []
    for family in parse_protobuf(data):
        label_names = {name for sample in family.samples for name in (sample.labels or ())}
        # The parser gives counters without _total, as OpenMetrics names them: lint them that way.
        for problem in lint_family(family.name, family.type, bool(family.documentation), label_names, True):
            problems.append(f"{family.name} {problem}")
    return problems


def check_protobuf(data: bytes) -> Tuple[int, List[str]]:
    """Check a delimited protobuf exposition; return (exit code, lines to print)."""
    try:
        problems = _check_protobuf(data)
    except ValueError as error:
        return EXIT_ERROR, [f"error while linting: protobuf parsing error: {error}"]
    problems.sort()
    return (EXIT_LINT if problems else EXIT_OK), problems


def is_protobuf(data: bytes, content_type: str = "") -> bool:
    """Whether to read ``data`` as delimited protobuf: by content type if known, else by whether it parses."""
    if content_type:
        return content_type.split(";")[0].strip().lower() == _PROTOBUF_MEDIA_TYPE
    if not data or data[:1] == b"#":
        return False
    try:
        return all(family.name for family in parse_protobuf(data))
    except ValueError:
        return False


def read_source_bytes(source: str, timeout: float, accept: str = _OPENMETRICS_ACCEPT) -> Tuple[bytes, str, str]:
    """Read ``source`` (path, ``-`` or http(s) URL); return (bytes, content type or '', charset)."""
    if source == "-":
        return sys.stdin.buffer.read(), "", "utf-8"
    if re.match(r"[a-zA-Z][a-zA-Z0-9+.-]*://", source):
        if not source.lower().startswith(("http://", "https://")):
            raise ValueError(f"Only http:// and https:// URLs can be checked, not {source!r}")
        request = urllib.request.Request(source, headers={"Accept": accept})
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - scheme checked above
            content_type = response.headers.get("Content-Type", "")
            charset = response.headers.get_content_charset() or "utf-8"
            return response.read(), content_type, charset
    with open(source, "rb") as f:
        return f.read(), "", "utf-8"


def read_source(source: str, timeout: float) -> Tuple[str, str]:
    """Read ``source`` (path, ``-`` or http(s) URL); return (text, content type or '')."""
    data, content_type, charset = read_source_bytes(source, timeout)
    return data.decode(charset, errors="replace"), content_type


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Entry point of ``python -m prometheus_client``; returns the exit code."""
    parser = argparse.ArgumentParser(prog="python -m prometheus_client", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="parse and lint an exposition (file, '-' for stdin, or URL)")
    check.add_argument("source", help="a file, '-' for standard input, or an http(s):// URL")
    check.add_argument("--format", choices=("auto", "text", "openmetrics", "protobuf"), default="auto")
    check.add_argument("--timeout", type=float, default=10.0, help="seconds to wait for a URL (default 10)")
    args = parser.parse_args(argv)

    accept = _PROTOBUF_ACCEPT if args.format == "protobuf" else _OPENMETRICS_ACCEPT
    try:
        data, content_type, charset = read_source_bytes(args.source, args.timeout, accept)
    except (OSError, ValueError) as error:
        print(f"error reading {args.source}: {error}", file=sys.stderr)
        return EXIT_ERROR
    if args.format == "protobuf" or (args.format == "auto" and is_protobuf(data, content_type)):
        code, lines = check_protobuf(data)
    else:
        # As before: text read with newlines kept as they are, undecodable bytes replaced.
        text = data.decode(charset, errors="replace")
        openmetrics = {"text": False, "openmetrics": True}.get(args.format)
        if openmetrics is None:
            openmetrics = is_openmetrics(text, content_type)
        code, lines = check_text(text, openmetrics)
    stream = sys.stderr if code == EXIT_ERROR else sys.stdout
    for line in lines:
        print(line, file=stream)
    return code
