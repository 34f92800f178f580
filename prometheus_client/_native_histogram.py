"""Native (sparse, exponential) histogram buckets: the bucket math and the per-child state.

The model is client_golang's and the Prometheus native histogram specification's. At schema
``s`` the buckets grow by the factor ``2**(2**-s)``; bucket ``k`` holds the values ``v`` with
``2**((k-1)/2**s) < |v| <= 2**(k/2**s)``, positive and negative values in separate buckets
with the same keys, and every ``|v| <= zero_threshold`` in the zero bucket. A key is found
from ``math.frexp`` (mantissa and exponent), so a value on a boundary lands exactly in the
bucket it closes, whatever the schema. NaN is counted (and makes the sum NaN) but lands in
no bucket; +-Inf land one bucket past the one holding +-``sys.float_info.max``.

Threads: every thread adds into a cell of its own (as the classic instruments do, see
:mod:`prometheus_client.metrics`), so the update path takes no lock and loses nothing. The
count a scrape reports is the sum of the buckets it read (plus NaN observations), so the
two always agree. A change of resolution or of the zero bucket's width is a new
*generation* with its own cells; earlier generations stay and a scrape merges them into the
newest one (merging buckets pairwise and moving buckets below the zero threshold into the
zero bucket), so an observation racing with the change is still counted. A reset starts
over with one empty generation: observations racing with it are ordered before it.
"""

from __future__ import annotations

import math
import sys
import time
from bisect import bisect_left
from threading import get_ident
from typing import Any, Callable, Dict, Iterable, List, NamedTuple, Optional, Set, Tuple

from ._forksafe import ForkSafeLock
from ._thread_cells import note_thread_cell
from .samples import BucketSpan, Exemplar, NativeHistogram

__all__ = [
    "DEFAULT_ZERO_THRESHOLD",
    "MAX_SCHEMA",
    "MIN_SCHEMA",
    "NativeHistogramSettings",
    "NativeBuckets",
    "bucket_key",
    "bucket_upper_bound",
    "schema_for_factor",
    "spans_and_deltas",
]

MIN_SCHEMA = -4
MAX_SCHEMA = 8
# client_golang's DefNativeHistogramZeroThreshold: 2**-128, a bucket boundary of every schema.
DEFAULT_ZERO_THRESHOLD = 2.0**-128
_MAX_FLOAT = sys.float_info.max
_INF = math.inf
_frexp = math.frexp
_bisect_left = bisect_left


def _mantissa_bounds(schema: int) -> Tuple[float, ...]:
    """The upper bounds of the ``2**schema`` buckets within one power of two, as frexp mantissas in [0.5, 1).

    Each is ``2**(i/2**schema) / 2`` rounded once to the nearest float (computed in decimal with
    60 digits), the same on every platform. client_golang and Prometheus spell out a table of
    these whose last digit is lower in some entries (0.7071067811865475 for 2**-0.5, whose
    nearest float is 0.7071067811865476): only an observation exactly equal to one of those
    floats lands one bucket apart from where client_golang puts it.
    """
    from decimal import Decimal, localcontext  # only the first native histogram needs it

    count = 1 << schema
    with localcontext() as context:
        context.prec = 60
        return tuple(float(Decimal(2) ** (Decimal(i) / Decimal(count)) / 2) for i in range(count))


# Schema -> its mantissa bounds, made on first use: importing the package computes none (510 decimal
# powers took 40 ms of every start). The table of schema 8 is computed once and every coarser positive
# schema's read from it: bucket i of schema s is bucket i * 2**(8 - s) of schema 8, the same exact power.
_BOUNDS: Dict[int, Tuple[float, ...]] = {}


def mantissa_bounds(schema: int) -> Tuple[float, ...]:
    """The mantissa bounds of a positive ``schema`` (see :func:`_mantissa_bounds`), made once."""
    bounds = _BOUNDS.get(schema)
    if bounds is None:
        finest = _BOUNDS.get(MAX_SCHEMA)
        if finest is None:
            finest = _BOUNDS.setdefault(MAX_SCHEMA, _mantissa_bounds(MAX_SCHEMA))
        bounds = _BOUNDS.setdefault(schema, finest[:: 1 << (MAX_SCHEMA - schema)])
    return bounds


def schema_for_factor(factor: float) -> int:
    """The schema whose growth factor ``2**(2**-schema)`` is the largest one not above ``factor``.

    A factor finer than schema 8's gives 8; one coarser than schema -4's (65536) gives -4.
    """
    for schema in range(MIN_SCHEMA, MAX_SCHEMA + 1):
        if 2.0 ** (2.0**-schema) <= factor:
            return schema
    return MAX_SCHEMA


def bucket_key(magnitude: float, schema: int) -> int:
    """The key of the bucket holding a positive ``magnitude`` (finite or +Inf) at ``schema``."""
    if magnitude == math.inf:
        return bucket_key(_MAX_FLOAT, schema) + 1
    mantissa, exponent = math.frexp(magnitude)
    if schema > 0:
        bounds = mantissa_bounds(schema)
        return bisect_left(bounds, mantissa) + (exponent - 1) * len(bounds)
    # A power of two closes the bucket below: frexp gives it mantissa 0.5.
    key = exponent - 1 if mantissa == 0.5 else exponent
    shift = -schema
    return (key + (1 << shift) - 1) >> shift


def bucket_upper_bound(key: int, schema: int) -> float:
    """The upper bound of bucket ``key`` at ``schema`` (``sys.float_info.max`` for the last finite bucket)."""
    if schema <= 0:
        exponent = key << -schema
        if exponent == 1024:
            return _MAX_FLOAT  # 2**1024 is not a float; the bucket after holds +-Inf.
        if exponent > 1024:
            return math.inf
        return math.ldexp(1.0, exponent)
    bounds = mantissa_bounds(schema)
    mantissa = bounds[key & ((1 << schema) - 1)]
    exponent = (key >> schema) + 1
    if mantissa == 0.5 and exponent == 1025:
        return _MAX_FLOAT
    if exponent > 1025 or (exponent == 1025 and mantissa > 0.5):
        return math.inf
    return math.ldexp(mantissa, exponent)


def _coarser_key(key: int, steps: int) -> int:
    """The key at a schema ``steps`` lower of the bucket that contains bucket ``key``: ceil(key / 2**steps)."""
    return -((-key) >> steps)


def spans_and_deltas(buckets: Dict[int, int]) -> Tuple[Optional[Tuple[BucketSpan, ...]], Optional[Tuple[int, ...]]]:
    """Spans and delta-encoded counts of ``buckets`` (key -> count), or (None, None) when empty.

    As client_golang does, a gap of one or two empty buckets is written as zero counts inside
    the span (cheaper than starting a new span); a wider gap starts a new span.
    """
    if not buckets:
        return None, None
    spans: List[BucketSpan] = []
    deltas: List[int] = []
    append = deltas.append
    keys = sorted(buckets)
    first = keys[0]
    span_start = 0  # index in deltas where the current span begins
    offset = first
    previous_count = 0
    next_key = first
    for key in keys:
        gap = key - next_key
        if gap > 2:
            spans.append(BucketSpan(offset, len(deltas) - span_start))
            span_start = len(deltas)
            offset = gap
        elif gap:
            append(-previous_count)
            if gap == 2:
                append(0)
            previous_count = 0
        count = buckets[key]
        append(count - previous_count)
        previous_count = count
        next_key = key + 1
    spans.append(BucketSpan(offset, len(deltas) - span_start))
    return tuple(spans), tuple(deltas)


class NativeHistogramSettings(NamedTuple):
    """What a histogram's native buckets were configured with (checked once, at construction)."""

    schema: int
    zero_threshold: float
    max_bucket_number: int
    min_reset_duration: float
    max_zero_threshold: float

    @classmethod
    def from_arguments(
        cls,
        bucket_factor: Optional[float],
        zero_threshold: Optional[float],
        max_bucket_number: Optional[int],
        min_reset_duration: Optional[float],
        max_zero_threshold: Optional[float],
    ) -> Optional["NativeHistogramSettings"]:
        """The settings the ``native_histogram_*`` arguments ask for, or None when none was given.

        Raises ValueError naming the bad value. Any native argument without a bucket factor
        gets client_golang's usual factor 1.1 (schema 3).
        """
        given = (bucket_factor, zero_threshold, max_bucket_number, min_reset_duration, max_zero_threshold)
        if all(argument is None for argument in given):
            return None
        factor = 1.1 if bucket_factor is None else _number("native_histogram_bucket_factor", bucket_factor)
        if not factor > 1:
            raise ValueError(f"native_histogram_bucket_factor must be greater than 1, not {bucket_factor!r}")
        threshold = DEFAULT_ZERO_THRESHOLD
        if zero_threshold is not None:
            threshold = _number("native_histogram_zero_threshold", zero_threshold)
            if not 0 <= threshold < math.inf:
                raise ValueError(f"native_histogram_zero_threshold must be finite and >= 0, not {zero_threshold!r}")
        buckets = 0
        if max_bucket_number is not None:
            if isinstance(max_bucket_number, bool) or not isinstance(max_bucket_number, int) or max_bucket_number < 0:
                raise ValueError(
                    f"native_histogram_max_bucket_number must be an int >= 0 (0: no limit), not {max_bucket_number!r}"
                )
            buckets = max_bucket_number
        reset = 0.0
        if min_reset_duration is not None:
            reset = _number("native_histogram_min_reset_duration", min_reset_duration)
            if not 0 <= reset:
                raise ValueError(
                    f"native_histogram_min_reset_duration must be >= 0 seconds (0: never reset), "
                    f"not {min_reset_duration!r}"
                )
        widest = 0.0
        if max_zero_threshold is not None:
            widest = _number("native_histogram_max_zero_threshold", max_zero_threshold)
            if not 0 <= widest < math.inf:
                raise ValueError(
                    f"native_histogram_max_zero_threshold must be finite and >= 0, not {max_zero_threshold!r}"
                )
        return cls(schema_for_factor(factor), threshold, buckets, reset, widest)


def _number(argument: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value:
        raise ValueError(f"{argument} must be a number, not {value!r}")
    return float(value)


class _Cell:
    """One thread's counts within one generation; only that thread writes it."""

    __slots__ = ("zero", "nan", "sum", "positive", "negative")

    def __init__(self) -> None:
        self.zero = 0
        self.nan = 0
        self.sum = 0.0
        self.positive: Dict[int, int] = {}
        self.negative: Dict[int, int] = {}

    def add(self, other: "_Cell") -> "_Cell":
        """A new cell holding both cells' counts (same generation)."""
        merged = _Cell()
        merged.zero = self.zero + other.zero
        merged.nan = self.nan + other.nan
        merged.sum = self.sum + other.sum
        for target, a, b in ((merged.positive, self.positive, other.positive),
                             (merged.negative, self.negative, other.negative)):
            target.update(a)
            for key, count in b.items():
                target[key] = target.get(key, 0) + count
        return merged


# Key 0 is never a thread id: it holds what ended threads left (see fold_thread).
_BASE = 0
# Going over budget is rare (a few times in a histogram's life): one lock for all of them, not one per child.
_limit_lock = ForkSafeLock()


class _Generation:
    """Cells that all use one schema and zero threshold."""

    __slots__ = ("schema", "zero_threshold", "cells", "keys", "bounds", "per_power")

    def __init__(self, schema: int, zero_threshold: float, keys: Set[int]) -> None:
        self.schema = schema
        self.zero_threshold = zero_threshold
        # For the update path's own copy of bucket_key: the mantissa bounds of a positive schema.
        self.bounds: Optional[Tuple[float, ...]] = mantissa_bounds(schema) if schema > 0 else None
        self.per_power = 1 << schema if schema > 0 else 0
        self.cells: Dict[int, _Cell] = {}
        # Every populated bucket of the histogram as seen at this schema, positive keys as 2k and
        # negative ones as 2k+1: only kept when the number of buckets is limited.
        self.keys = keys


class _Snapshot(NamedTuple):
    count_value: int
    sum_value: float
    zero: int
    positive: Dict[int, int]
    negative: Dict[int, int]
    schema: int
    zero_threshold: float


class NativeBuckets:
    """The native buckets of one histogram child: observe from any thread, read a consistent snapshot.

    ``owner`` is the instrument child: it is told of each thread's first cell (so the cell is
    folded when the thread ends) and, on a reset, ``on_reset()`` lets it reset what else it
    counts (classic buckets, ``_created``); the instrument then counts the observation that caused
    the reset in those, and the native buckets count it again in their new generation.
    """

    __slots__ = ("settings", "exemplar", "_owner", "_on_reset", "_generations", "_current", "_last_reset")

    def __init__(
        self, settings: NativeHistogramSettings, owner: Any, on_reset: Optional[Callable[[], None]] = None
    ) -> None:
        self.settings = settings
        self.exemplar: Optional[Exemplar] = None
        self._owner = owner
        self._on_reset = on_reset
        self._last_reset = time.monotonic()
        self._current = _Generation(settings.schema, settings.zero_threshold, set())
        self._generations: List[_Generation] = [self._current]

    def observe(self, value: float) -> None:
        """Count ``value`` in the calling thread's cell; only a new bucket beyond the budget takes a lock."""
        generation = self._current
        thread = get_ident()
        cell = generation.cells.get(thread)
        if cell is None:
            cell = generation.cells[thread] = _Cell()
            note_thread_cell(self._owner)
        cell.sum += value
        threshold = generation.zero_threshold
        if value > threshold:
            buckets = cell.positive
            magnitude = value
            sign = 0
        elif value < -threshold:
            buckets = cell.negative
            magnitude = -value
            sign = 1
        elif value == value:
            cell.zero += 1
            return
        else:
            cell.nan += 1  # Counted, in no bucket, as Prometheus does.
            return
        bounds = generation.bounds
        if bounds is not None and magnitude < _INF:
            # bucket_key, inlined for the common case: the update path's largest cost is calls.
            mantissa, exponent = _frexp(magnitude)
            key = _bisect_left(bounds, mantissa) + (exponent - 1) * generation.per_power
        else:
            key = bucket_key(magnitude, generation.schema)
        try:
            buckets[key] += 1
        except KeyError:
            buckets[key] = 1
            limit = self.settings.max_bucket_number
            if limit:
                keys = generation.keys
                coded = 2 * key + sign
                if coded not in keys:
                    keys.add(coded)
                    if len(keys) > limit:
                        self._limit(value)

    # -- over budget ------------------------------------------------------------------------

    def _limit(self, value: float) -> None:
        """More buckets than allowed: reset, else widen the zero bucket, else halve the resolution."""
        settings = self.settings
        with _limit_lock:
            current = self._current
            if len(current.keys) <= settings.max_bucket_number:
                return  # Another thread dealt with it.
            now = time.monotonic()
            if settings.min_reset_duration > 0 and now - self._last_reset >= settings.min_reset_duration:
                self._reset(now)
                if self._on_reset is not None:
                    self._on_reset()
                # Count again the observation that caused the reset, as client_golang does.
                self.observe(value)
                return
            if self._widen_zero_bucket(current):
                return
            if current.schema > MIN_SCHEMA:
                # A copy (one C call): other threads add keys to this set without the lock.
                keys = {2 * _coarser_key(coded >> 1, 1) + (coded & 1) for coded in current.keys.copy()}
                self._start_generation(_Generation(current.schema - 1, current.zero_threshold, keys))

    def _widen_zero_bucket(self, current: _Generation) -> bool:
        """Move the bucket(s) nearest zero into the zero bucket, if the widened threshold is allowed."""
        # A copy (one C call): other threads add keys to the current set without the lock, and iterating
        # a set while it grows raises.
        current_keys = current.keys.copy()
        if current.zero_threshold >= self.settings.max_zero_threshold or not current_keys:
            return False
        smallest = min(coded >> 1 for coded in current_keys)
        threshold = bucket_upper_bound(smallest, current.schema)
        if threshold > self.settings.max_zero_threshold:
            return False
        keys = {coded for coded in current_keys if coded >> 1 != smallest}
        self._start_generation(_Generation(current.schema, threshold, keys))
        return True

    def _start_generation(self, generation: _Generation) -> None:
        # A new list, not an append: a scrape iterating the old one is undisturbed.
        self._generations = self._generations + [generation]
        self._current = generation

    def _reset(self, now: float) -> None:
        settings = self.settings
        generation = _Generation(settings.schema, settings.zero_threshold, set())
        self._generations = [generation]
        self._current = generation
        self._last_reset = now

    # -- threads ------------------------------------------------------------------------------

    def fold_thread(self, thread: int) -> None:
        """Move the cells of an ended ``thread`` into each generation's base cell (caller holds the fold lock)."""
        for generation in self._generations:
            cells = generation.cells
            cell = cells.get(thread)
            if cell is None:
                continue
            base = cells.get(_BASE)
            merged = cell if base is None else base.add(cell)
            # One step, then the pop: a scrape sees the counts once (in the thread's cell or the base).
            cells.update({_BASE: merged, thread: _Cell()})
            cells.pop(thread, None)

    # -- reading ------------------------------------------------------------------------------

    def snapshot(self) -> _Snapshot:
        """The counts of every thread and generation, at the newest generation's schema and threshold."""
        generations = self._generations
        newest = generations[-1]
        schema = newest.schema
        threshold = newest.zero_threshold
        zero = nan = 0
        total = 0.0
        positive: Dict[int, int] = {}
        negative: Dict[int, int] = {}
        for generation in generations:
            steps = generation.schema - schema
            for cell in _cells_of(generation):
                # Read each field once; counts are taken from copies so the cell may change meanwhile.
                cell_positive = cell.positive.copy()
                cell_negative = cell.negative.copy()
                zero += cell.zero
                nan += cell.nan
                total += cell.sum
                if generation is newest and not positive and not negative:
                    positive, negative = cell_positive, cell_negative  # the usual case: one cell, taken whole
                    continue
                for source, target in ((cell_positive, positive), (cell_negative, negative)):
                    if generation is newest:
                        for key, count in source.items():
                            target[key] = target.get(key, 0) + count
                        continue
                    for key, count in source.items():
                        if bucket_upper_bound(key, generation.schema) <= threshold:
                            zero += count
                            continue
                        key = _coarser_key(key, steps)
                        target[key] = target.get(key, 0) + count
        count = zero + nan + sum(positive.values()) + sum(negative.values())
        return _Snapshot(count, total, zero, positive, negative, schema, threshold)

    def sample_value(self) -> NativeHistogram:
        """The :class:`NativeHistogram` a scrape exposes now."""
        snap = self.snapshot()
        pos_spans, pos_deltas = spans_and_deltas(snap.positive)
        neg_spans, neg_deltas = spans_and_deltas(snap.negative)
        exemplar = self.exemplar
        return NativeHistogram(
            snap.count_value, snap.sum_value, snap.schema, snap.zero_threshold, snap.zero,
            pos_spans, neg_spans, pos_deltas, neg_deltas, None if exemplar is None else (exemplar,),
        )


def _cells_of(generation: _Generation) -> Iterable[_Cell]:
    try:
        return list(generation.cells.values())
    except RuntimeError:
        # A thread added its first cell mid-iteration (possible without a GIL): read a copy.
        return list(generation.cells.copy().values())
