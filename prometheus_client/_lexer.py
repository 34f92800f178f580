"""The one lexer of exposition text, shared by both parsers and the ``check`` CLI.

It reads quoted strings, label sets, values and timestamps the way the official
client 0.26 does (its results and its errors), but in linear time: quote and
escape state is tracked while scanning forward instead of re-counting
backslashes and re-slicing the text for every character.
"""

from __future__ import annotations

import math
import re
import string
import sys
from typing import Dict, List, Match, Optional, Tuple, Type, Union

from .samples import Sample, Timestamp
from .validation import get_legacy_validation

ESCAPE_SEQUENCES = {"\\\\": "\\", "\\n": "\n", '\\"': '"'}
ESCAPING_RE = re.compile(r'\\[\\n"]')
HELP_ESCAPING_RE = re.compile(r"\\[\\n]")

LEGACY_NAME_RE = re.compile(r"[a-zA-Z_:][a-zA-Z0-9_:]*\Z")
_LEGACY_LABEL_RE = re.compile(r"[a-zA-Z_][a-zA-Z0-9_]*\Z")
_OM_HELP_ESCAPE_RE = re.compile(r"\\(.?)", re.DOTALL)
_OM_HELP_ESCAPES = {"\\": "\\", '"': '"', "n": "\n"}

Number = Union[int, float]

# Where the official client lets another exception out (KeyError, IndexError, TypeError, ...), we
# raise a subclass of both that type and ValueError: callers catching either keep working.
_COMPAT_ERRORS: Dict[Type[BaseException], Type[ValueError]] = {}


def as_value_error(error: Exception, message: str) -> ValueError:
    """An exception to raise for ``error`` with ``message``: always a ValueError, and of ``error``'s type too."""
    kind = type(error)
    if kind is ValueError or kind in _COMPAT_ERRORS.values():
        return kind(message)  # type: ignore[return-value]
    if isinstance(error, ValueError):
        return error  # UnicodeEncodeError and the like: kept as they are, as officially.
    compat = _COMPAT_ERRORS.get(kind)
    if compat is None:
        try:
            compat = type(
                "Parse" + kind.__name__,
                (ValueError, kind),
                {
                    "__str__": BaseException.__str__,  # Not KeyError's repr() of the message.
                    "__module__": __name__,
                    "__doc__": f"Malformed exposition text: a ValueError, and the {kind.__name__} the official "
                    "client raises here.",
                },
            )
        except TypeError:  # A base whose layout cannot be combined with ValueError's.
            compat = ValueError
        _COMPAT_ERRORS[kind] = compat
    return compat(message)


def replace_escape_sequence(match: Match[str]) -> str:
    """Map one matched escape sequence to the character it stands for."""
    return ESCAPE_SEQUENCES[match.group(0)]


def replace_escaping(text: str) -> str:
    """Undo ``\\\\``, ``\\n`` and ``\\"``; any other backslash pair is kept as written."""
    return ESCAPING_RE.sub(replace_escape_sequence, text) if "\\" in text else text


def replace_help_escaping(text: str) -> str:
    """Undo ``\\\\`` and ``\\n`` in 0.0.4 HELP text."""
    return HELP_ESCAPING_RE.sub(replace_escape_sequence, text) if "\\" in text else text


def unescape_openmetrics_help(text: str) -> str:
    """Undo ``\\\\``, ``\\"`` and ``\\n`` in OpenMetrics HELP text; other escapes (and a final ``\\``) stay."""
    if "\\" not in text:
        return text

    def replace(match: Match[str]) -> str:
        return _OM_HELP_ESCAPES.get(match.group(1), match.group(0))

    return _OM_HELP_ESCAPE_RE.sub(replace, text)


def is_legacy_name(name: str) -> bool:
    """Whether ``name`` is a metric name that needs no quoting."""
    return LEGACY_NAME_RE.match(name) is not None


def is_escaped(text: str, pos: int) -> bool:
    """Whether ``text[pos]`` follows an odd number of backslashes."""
    count = 0
    pos -= 1
    while pos >= 0 and text[pos] == "\\":
        count += 1
        pos -= 1
    return count % 2 == 1


_STOP_PATTERNS: Dict[str, "re.Pattern[str]"] = {}
# A quoted string up to its closing quote: the first '"' after an even run of backslashes.
_QUOTED_RE = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
# The usual label set, a="1",b="2": read in one pass; anything else takes the general path.
_LABEL_PAIR = r'[a-zA-Z_][a-zA-Z0-9_]*="[^"\\]*(?:\\.[^"\\]*)*"'
_CANONICAL_LABELS_RE = re.compile(_LABEL_PAIR + "(?:," + _LABEL_PAIR + r")*\Z", re.DOTALL)
_LABEL_PAIR_RE = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="([^"\\]*(?:\\.[^"\\]*)*)"', re.DOTALL)


def _stop_pattern(chars: str) -> "re.Pattern[str]":
    """A pattern finding the first of ``chars`` or a double quote."""
    pattern = _STOP_PATTERNS.get(chars)
    if pattern is None:
        pattern = _STOP_PATTERNS[chars] = re.compile("[" + re.escape(chars) + '"]')
    return pattern


def next_unquoted(text: str, chars: Optional[str], start: int = 0) -> int:
    """Index of the first of ``chars`` (whitespace if None) at or after ``start`` outside quotes, or -1.

    ``text[start]`` is taken to be outside quotes; an escaped ``"`` neither opens nor closes them.
    ``chars`` must not contain ``"``.
    """
    if chars is None:
        chars = string.whitespace
    search = (_STOP_PATTERNS.get(chars) or _stop_pattern(chars)).search
    pos = start
    while True:
        match = search(text, pos)
        if match is None:
            return -1
        found = match.start()
        if text[found] != '"':
            return found
        if is_escaped(text, found):
            pos = found + 1  # An escaped quote outside quotes opens nothing.
            continue
        quoted = _QUOTED_RE.match(text, found)
        if quoted is None:
            return -1  # The rest of the text is inside quotes.
        pos = quoted.end()


def last_unquoted(text: str, chars: Optional[str]) -> int:
    """Index of the last of ``chars`` outside quotes, scanning back to index 1 (not 0), or -1."""
    if chars is None:
        chars = string.whitespace
    in_quotes = False
    for pos in range(len(text) - 1, 0, -1):
        char = text[pos]
        if char == '"' and not is_escaped(text, pos):
            in_quotes = not in_quotes
        if not in_quotes and char in chars:
            return pos
    return -1


def split_quoted(text: str, separator: Optional[str], maxsplit: int = 0) -> List[str]:
    """Split like ``str.split`` on unquoted ``separator`` characters, runs counting as one.

    With ``maxsplit``, the last token is the rest of the text from where splitting stopped.
    """
    tokens = [""]
    pos = 0
    length = len(text)
    while pos < length:
        split = next_unquoted(text, separator, pos)
        if split == -1:
            tokens[-1] = text[pos:]
            break
        if split == pos:
            pos += 1
            continue
        if maxsplit > 0 and len(tokens) > maxsplit:
            tokens[-1] = text[pos:]
            break
        tokens[-1] = text[pos:split]
        pos = split + 1
        tokens.append("")
    return tokens


def unquote_unescape(text: str) -> Tuple[str, bool]:
    """Strip, unquote and unescape a name or value; return (text, whether it was quoted)."""
    if not text:
        return text, False
    text = text.strip()
    quoted = False
    # A blank name fails here with IndexError, as officially (the parsers make it a ValueError too).
    if text[0] == '"':
        if len(text) == 1 or text[-1] != '"':
            raise ValueError("missing close quote")
        text = text[1:-1]
        quoted = True
    return replace_escaping(text), quoted


def _check_label_name(name: str, legacy: bool) -> None:
    if legacy and _LEGACY_LABEL_RE.match(name) is None:
        raise ValueError("Invalid label metric name: " + name)
    name.encode("utf-8")  # Lone surrogates raise UnicodeEncodeError, a ValueError.
    if name.startswith("__"):
        raise ValueError("Reserved label metric name: " + name)


def _closing_quote(value: str) -> int:
    """Index of the first unescaped ``"`` after ``value[0] == '"'``, or -1."""
    quoted = _QUOTED_RE.match(value)
    return -1 if quoted is None else quoted.end() - 1


def _next_term(text: str, pos: int, openmetrics: bool) -> Tuple[str, str, int]:
    """Read one ``name="value"`` (or a bare quoted metric name) at ``pos``; return (name, value, next pos)."""
    if text[pos] == ",":
        pos += 1
        if pos == len(text):
            return "", "", pos
        if text[pos] == ",":
            raise ValueError("multiple commas")
    split = next_unquoted(text, "=,}", pos)
    if split >= 0 and text[split] == "=":
        name = text[pos:split]
        value_start = split + 1
        split = next_unquoted(text, ",}", value_start)
    else:
        # A term without '=' is the metric name.
        name = "__name__"
        value_start = pos
    if split == -1:
        split = len(text)
    term = text[value_start:split]
    if not term and openmetrics:
        raise ValueError("empty term:", term)
    # The rest starts at the ',' or '}' (or the end): no space to skip, the label set being stripped.
    return name, term.strip(), split


def _canonical_labels(text: str) -> Optional[Dict[str, str]]:
    """Labels of a canonical label set, or None if a name is reserved or repeated (for the general path)."""
    labels: Dict[str, str] = {}
    for match in _LABEL_PAIR_RE.finditer(text):
        name, value = match.groups()
        if name in labels or name.startswith("__"):
            return None
        labels[name] = replace_escaping(value)
    return labels


def parse_labels(labels_string: str, openmetrics: bool = False) -> Dict[str, str]:
    """Parse the inside of a label set (``a="1",b="2"``) into a dict.

    A quoted name without a value (``"my.metric"``) is returned under ``__name__``.
    """
    text = labels_string.strip()
    if _CANONICAL_LABELS_RE.match(text):
        labels = _canonical_labels(text)
        if labels is not None:
            return labels
    labels = {}
    if openmetrics and text and text[0] == ",":
        raise ValueError("leading comma: " + labels_string)
    pos = 0
    legacy = get_legacy_validation()
    try:
        while pos < len(text):
            name_term, value_term, next_pos = _next_term(text, pos, openmetrics)
            if next_pos == pos:
                # An unquoted '}' inside: the official client loops forever here.
                raise ValueError("unexpected '}'")
            pos = next_pos
            if not value_term:
                if openmetrics:
                    raise ValueError("empty term in line: " + labels_string)
                continue
            label_name, quoted = unquote_unescape(name_term)
            if not quoted and not is_legacy_name(label_name):
                raise ValueError("unquoted UTF-8 metric name")
            if value_term[0] != '"':
                raise ValueError("label value is not quoted")
            close = _closing_quote(value_term)
            if close == -1:
                raise ValueError("missing close quote")
            if close + 1 != len(value_term):
                raise ValueError("unexpected text after quote: " + labels_string)
            label_value, _ = unquote_unescape(value_term)
            if label_name != "__name__":
                _check_label_name(label_name, legacy)
            if label_name in labels:
                raise ValueError("invalid line, duplicate label name: " + labels_string)
            labels[label_name] = label_value
        return labels
    except ValueError:
        raise ValueError("Invalid labels: " + labels_string) from None
    except Exception as error:  # IndexError on a blank label name, as officially, but a ValueError too.
        raise as_value_error(error, str(error)) from None


_INT_LIMITED = hasattr(sys, "get_int_max_str_digits")  # Python 3.11+ (and 3.9/3.10 security releases)


def to_int(text: str) -> int:
    """``int(text)``; on Pythons that convert any length (in quadratic time), refuse past 4300 digits as 3.11+ does."""
    if not _INT_LIMITED and len(text) > 4300:
        digits = len(text.strip().lstrip("+-"))
        if digits > 4300:
            raise ValueError(
                f"Exceeds the limit (4300 digits) for integer string conversion: value has {digits} digits; "
                "use sys.set_int_max_str_digits() to increase the limit"
            )
    return int(text)


def parse_value(value: str) -> Number:
    """A sample value: ``int`` if it reads as one, else ``float`` (which takes NaN, Inf, 1e3 ...)."""
    if value != value.strip() or "_" in value:
        raise ValueError(f"Invalid value: {value!r}")
    try:
        return to_int(value)
    except ValueError:
        return float(value)


def parse_openmetrics_timestamp(timestamp: str) -> Optional[Union[Timestamp, float]]:
    """An OpenMetrics timestamp: ``Timestamp`` for ``sec`` or ``sec.frac``, float for other numbers."""
    if not timestamp:
        return None
    if timestamp != timestamp.strip() or "_" in timestamp:
        raise ValueError(f"Invalid timestamp: {timestamp!r}")
    try:
        return Timestamp(to_int(timestamp), 0)
    except ValueError:
        pass
    try:
        # sec.fraction, nanoseconds kept (digits past the ninth dropped); without a '.', to_int
        # of the whole text has just failed above.
        whole, _, fraction = timestamp.partition(".")
        return Timestamp(to_int(whole), to_int(fraction[:9].ljust(9, "0")))
    except ValueError:
        seconds = float(timestamp)
        if math.isnan(seconds) or math.isinf(seconds):
            raise ValueError(f"Invalid timestamp: {timestamp!r}") from None
        return seconds


def _parse_text_value_and_timestamp(text: str) -> Tuple[Number, Optional[float]]:
    text = text.lstrip()
    separator = " " if " " in text else "\t"
    values = [part.strip() for part in text.split(separator) if part.strip()]
    if not values:
        return float(text), None
    value = parse_value(values[0])
    # Only the first and last fields count: 'a 1 # {x="y"} 2' reads value 1 at 2 ms.
    timestamp = parse_value(values[-1]) / 1000 if len(values) > 1 else None
    return value, timestamp


def parse_text_sample(text: str) -> Sample:
    """Parse one stripped 0.0.4 sample line (name, labels, value, optional timestamp in ms)."""
    label_start = next_unquoted(text, "{")
    if label_start == -1 or " # " in text[:label_start]:
        name_end = next_unquoted(text, " \t")
        name = text[:name_end].strip()
        if not is_legacy_name(name):
            raise ValueError("invalid metric name:" + text)
        value, timestamp = _parse_text_value_and_timestamp(text[name_end + 1 :])
        return Sample(name, {}, value, timestamp)
    name = text[:label_start].strip()
    label_end = next_unquoted(text, "}", label_start)
    if label_end == -1:
        label_end = label_start - 1
    labels = parse_labels(text[label_start + 1 : label_end], False)
    name = name_beside_labels(name, labels, text)
    value, timestamp = _parse_text_value_and_timestamp(text[label_end + 1 :])
    return Sample(name, labels, value, timestamp)


def split_text_metadata(line: str) -> Optional[Tuple[str, str, bool, Optional[str]]]:
    """Read a stripped 0.0.4 ``#`` line; return (keyword, name, name was quoted, rest or None).

    None means an ordinary comment. ``# HELP`` with no name gives an empty name.
    """
    parts = split_quoted(line, None, 3)
    if len(parts) < 2:
        return None
    if len(parts) == 2:
        return parts[1], "", False, None
    if parts[1] not in ("TYPE", "HELP"):
        return None
    name, quoted = unquote_unescape(parts[2])
    if not quoted and not is_legacy_name(name):
        raise ValueError("invalid metric name in metadata: " + line)
    return parts[1], name, quoted, parts[3] if len(parts) == 4 else None


def name_beside_labels(name: str, labels: Dict[str, str], text: str) -> str:
    """The metric name of a sample line: before the braces, or (quoted UTF-8 names) as ``__name__`` inside."""
    if not name:
        if "__name__" not in labels:
            raise ValueError("metric name missing: " + text)
        return labels.pop("__name__")
    if "__name__" in labels:
        raise ValueError("metric name specified more than once")
    return name
