"""Streaming quantiles over a sliding time window, with a proven rank-error bound.

The estimator behind ``Summary(..., objectives=...)``; it knows nothing of instruments.

A *rank summary* keeps a few observed values, each with bounds on its rank in the multiset it
summarises (``lower <= rank <= upper``, the Greenwald-Khanna representation). Its first and last
entries are the exact minimum and maximum. Every neighbouring pair (k, k+1) keeps the invariant

    upper[k+1] - lower[k] - 1  <=  2 * min(g(lower[k]), g(upper[k+1] - 1))

where ``g(r) = min(A * r, B * (n - r))`` is the error the objectives allow around rank r of n
observations (``A`` from quantiles below 0.5, ``B`` from the others, see :class:`QuantileSettings`).
``g`` is concave and homogeneous, hence superadditive: ``g(x) + g(y) <= g(x + y)``. Merging two
summaries adds their gaps and their rank coordinates, so the merged summary keeps the invariant; that
is why slices of the window (and an exact, sorted batch of new observations) can be merged in any
order, and at any time, without the error growing. Entries are dropped while the invariant still
holds: a sorted batch keeps about log(n) / log(1 + 2 * min(A, B)) of them, and merged summaries stay
within a small multiple of that (measured, not proven: docs/instrumenting.md). A query finds a value whose
rank is within ``error * n + 1`` of ``quantile * n`` (docs/instrumenting.md has the proof).

Observations arrive in plain per-thread lists (cheap appends); a full list, or what a scrape finds
buffered, is sorted (at C speed), reduced to a summary by a closed formula, and merged into the slice
of the window it belongs to and into the summary of the whole window, which is what queries read.
"""

from __future__ import annotations

import math
import threading
import time
from array import array
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from typing import Callable, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple

__all__ = [
    "QuantileSettings",
    "RankSummary",
    "SlidingQuantiles",
    "merge_summaries",
    "query",
    "summarize_sorted",
]

# Stands in for "no constraint" on one side of the rank range: finite, so that 0 * slope stays 0.
_UNBOUNDED = 1e18

# A thread's cell of a Summary with objectives: [observations buffered, deadline of their slice, slice].
BUFFER, DEADLINE, SLICE = 0, 1, 2
# Observations a thread buffers before merging them: sorting and merging (about 0.5 us an entry in
# CPython) are paid once per batch. A scrape takes in what is buffered, so this bounds a busy child.
FLUSH_AT = 4096


@dataclass(frozen=True)
class QuantileSettings:
    """Validated objectives (quantile -> allowed rank error) and the age window, travelling together."""

    objectives: Tuple[Tuple[float, float], ...]
    max_age: float
    age_buckets: int
    low_slope: float  # A: allowed error per rank counted from the bottom (quantiles below 0.5)
    high_slope: float  # B: allowed error per rank counted from the top (quantiles from 0.5 up)

    @classmethod
    def from_arguments(cls, objectives: Mapping[float, float], max_age: float, age_buckets: int) -> "QuantileSettings":
        """Check the arguments of ``Summary``; ValueError naming the bad value."""
        if not isinstance(objectives, Mapping):
            raise ValueError(f"Summary objectives must be a mapping of quantile to error, not {objectives!r}")
        pairs: List[Tuple[float, float]] = []
        low = high = _UNBOUNDED
        for quantile, error in objectives.items():
            if isinstance(quantile, bool) or not isinstance(quantile, (int, float)) or not 0.0 <= quantile <= 1.0:
                raise ValueError(f"Summary objective quantile must be a number in [0, 1], got {quantile!r}")
            if isinstance(error, bool) or not isinstance(error, (int, float)) or not 0.0 < error <= 1.0:
                raise ValueError(
                    f"Summary objective error for quantile {quantile!r} must be a number in (0, 1], got {error!r}"
                )
            quantile, error = float(quantile), float(error)
            pairs.append((quantile, error))
            # The line through (quantile, error) that constrains only one side of the ranks: the cheaper
            # one in memory. Quantiles 0 and 1 are the exact minimum and maximum, kept in every summary.
            if 0.0 < quantile < 0.5:
                low = min(low, error / quantile)
            elif 0.5 <= quantile < 1.0:
                high = min(high, error / (1.0 - quantile))
        if isinstance(max_age, bool) or not isinstance(max_age, (int, float)) or not 0 < max_age < math.inf:
            raise ValueError(f"Summary max_age must be a positive number of seconds, got {max_age!r}")
        if isinstance(age_buckets, bool) or not isinstance(age_buckets, int) or age_buckets < 1:
            raise ValueError(f"Summary age_buckets must be a positive integer, got {age_buckets!r}")
        return cls(tuple(sorted(pairs)), float(max_age), age_buckets, low, high)

    @property
    def slice_seconds(self) -> float:
        return self.max_age / self.age_buckets


class RankSummary:
    """Values in order with bounds on their ranks (1-based) among ``count`` observations."""

    __slots__ = ("values", "lower", "upper", "count")

    def __init__(self, values: Sequence[float], lower: Sequence[int], upper: Sequence[int], count: int) -> None:
        # Packed arrays: 8 bytes a number instead of a pointer to a boxed float or int.
        self.values = array("d", values)
        self.lower = array("q", lower)
        self.upper = array("q", upper)
        self.count = count

    def __len__(self) -> int:
        return len(self.values)

    def __repr__(self) -> str:
        return f"RankSummary({len(self.values)} entries of {self.count} observations)"


EMPTY = RankSummary([], [], [], 0)


def summarize_sorted(observations: Sequence[float], low_slope: float, high_slope: float) -> RankSummary:
    """A summary of sorted observations (exact ranks), keeping only the entries the invariant needs.

    From a kept rank i the next kept rank j is the largest with
    ``j - i - 1 <= 2 * min(A * i, B * (n - j + 1))``; solved for j, no search.
    """
    n = len(observations)
    if n == 0:
        return EMPTY
    a2 = 2.0 * low_slope
    b2 = 2.0 * high_slope
    top = b2 * (n + 1)
    values = [observations[0]]
    ranks = [1]
    i = 1
    while i < n:
        j = min(n, int(i + 1 + a2 * i), int((i + 1 + top) / (1.0 + b2)))
        if j <= i:
            j = i + 1
        values.append(observations[j - 1])
        ranks.append(j)
        i = j
    return RankSummary(values, ranks, ranks, n)


def merge_summaries(first: RankSummary, second: RankSummary, low_slope: float, high_slope: float) -> RankSummary:
    """The summary of both multisets: rank bounds combined, then entries the invariant allows dropped.

    An entry's bounds gain the lower bound of the other summary's last entry before it and the upper
    bound (minus one) of the other's first entry after it; ties put ``first``'s entries first. One
    pass does both: each merged entry is held back until the next shows whether it may be dropped
    (it may when its neighbours' gap stays within the allowance; by concavity, the allowance of a
    span is the smaller of A times its lower end and B times its upper end).
    """
    if not first.count:
        return second
    if not second.count:
        return first
    # Plain lists for the loop: indexing them does not box a new number each time, as arrays do.
    xv, xl, xh = first.values.tolist(), first.lower.tolist(), first.upper.tolist()
    yv, yl, yh = second.values.tolist(), second.lower.tolist(), second.upper.tolist()
    nx, ny = len(xv), len(yv)
    x_count, y_count = first.count, second.count
    a2 = 2.0 * low_slope
    b2 = 2.0 * high_slope
    top = x_count + y_count + 1
    # Sentinels past each end: the other summary's "next entry" once this one is used up.
    xv.append(math.inf)
    yv.append(math.inf)
    xh.append(x_count + 1)
    yh.append(y_count + 1)
    values: List[float] = []
    lower: List[int] = []
    upper: List[int] = []
    held_value, held_lower, held_upper, is_holding = 0.0, 0, 0, False
    left = 0  # lower bound of the last entry kept
    i = j = 0
    x_value, y_value = xv[0], yv[0]
    for _ in range(nx + ny):
        if x_value <= y_value:
            value = x_value
            low = xl[i] + (yl[j - 1] if j else 0)
            high = xh[i] + yh[j] - 1
            i += 1
            x_value = xv[i]
        else:
            value = y_value
            low = yl[j] + (xl[i - 1] if i else 0)
            high = yh[j] + xh[i] - 1
            j += 1
            y_value = yv[j]
        if is_holding:
            allowed = a2 * left
            other = b2 * (top - high)
            if other < allowed:
                allowed = other
            if high - left - 1 > allowed:  # the held-back entry is needed
                values.append(held_value)
                lower.append(held_lower)
                upper.append(held_upper)
                left = held_lower
        elif not values:  # the minimum: always kept
            values.append(value)
            lower.append(low)
            upper.append(high)
            left = low
            continue
        held_value, held_lower, held_upper, is_holding = value, low, high, True
    values.append(held_value)  # the maximum: always kept
    lower.append(held_lower)
    upper.append(held_upper)
    return RankSummary(values, lower, upper, x_count + y_count)


def query(summary: RankSummary, quantile: float, error: float) -> float:
    """The ``quantile`` of the summarised observations (NaN when there are none).

    The candidates are the entries whose rank bounds lie within ``(quantile -+ error) * n`` (the
    invariant guarantees one, give or take a rank); of those, the one whose bounds are centred
    closest on ``quantile * n``, so that exact data gives the exact answer. Bisections only.
    """
    values = summary.values
    if not values:
        return math.nan
    if quantile <= 0.0:
        return values[0]
    if quantile >= 1.0:
        return values[-1]
    lower, upper = summary.lower, summary.upper
    target = quantile * summary.count
    margin = error * summary.count
    last = max(bisect_right(upper, target + margin) - 1, 0)
    first = min(bisect_left(lower, target - margin), last)
    # lower[k] + upper[k] grows with k: the best-centred entry is where it crosses 2 * target.
    low, high = first, last
    while low < high:
        middle = (low + high) // 2
        if lower[middle] + upper[middle] < 2 * target:
            low = middle + 1
        else:
            high = middle
    if low > first and (upper[low] - target) > (target - lower[low - 1]):
        low -= 1
    return values[low]


class SlidingQuantiles:
    """The quantiles of the last ``max_age`` seconds: a ring of ``age_buckets`` slices and their merge.

    Slice ``i`` holds the observations made in ``[i, i + 1) * max_age / age_buckets`` on ``clock``;
    the window is the current slice and the ``age_buckets - 1`` before it, so an observation counts
    for between ``max_age * (1 - 1 / age_buckets)`` and ``max_age`` seconds. Every change happens
    under one lock, taken once per batch of observations and once per scrape.
    """

    def __init__(self, settings: QuantileSettings, clock: Callable[[], float] = time.monotonic) -> None:
        self.settings = settings
        self.clock = clock
        self._width = settings.slice_seconds
        self._lock = threading.Lock()
        self._slices: Dict[int, RankSummary] = {}
        self._pending: Dict[int, "array[float]"] = {}  # observations a slice's summary has yet to merge
        self._window = EMPTY
        self.count = 0
        self.sum = 0.0
        self._window_slice = self.slice_at(clock())

    def slice_at(self, now: float) -> int:
        return math.floor(now / self._width)

    def open_cell(self) -> List[object]:
        """A new thread cell: [observations, deadline, slice] (see :data:`BUFFER`)."""
        index = self.slice_at(self.clock())
        return [[], (index + 1) * self._width, index]

    def flush(self, cell: List[object]) -> None:
        """Take in a cell's buffered observations (called by its owner) and start its next buffer."""
        with self._lock:
            observations: List[float] = cell[BUFFER]  # type: ignore[assignment]
            cell[BUFFER] = []
            now_index = self.slice_at(self.clock())
            cell[DEADLINE] = (now_index + 1) * self._width
            self._rotate(now_index)
            self._take(observations, cell[SLICE])  # type: ignore[arg-type]
            cell[SLICE] = now_index

    def add(self, observations: List[float], now: Optional[float] = None) -> None:
        """Add observations made at ``now`` (the clock's time by default) directly, under the lock."""
        with self._lock:
            index = self.slice_at(self.clock() if now is None else now)
            self._rotate(max(index, self._window_slice))
            self._take(list(observations), index)

    def snapshot(self, cells: Iterable[List[object]] = ()) -> Tuple[List[float], int, float]:
        """Each objective's quantile over the window, and the all-time count and sum, at one instant.

        What ``cells`` buffer is taken in first. Only a cell's owner appends to its buffer or replaces
        it; this copies the observations buffered so far and deletes just those (an append racing with
        it lands after them), under the lock that the owner's flush also takes.
        """
        settings = self.settings
        with self._lock:
            self._rotate(self.slice_at(self.clock()))
            for cell in cells:
                buffer: List[float] = cell[BUFFER]  # type: ignore[assignment]
                size = len(buffer)
                if size:
                    observations = buffer[:size]
                    del buffer[:size]
                    self._take(observations, cell[SLICE])  # type: ignore[arg-type]
            window, count, total = self._window, self.count, self.sum
        return [query(window, quantile, error) for quantile, error in settings.objectives], count, total

    def quantiles(self, cells: Iterable[List[object]] = ()) -> List[float]:
        """Each objective's quantile over the window (see :meth:`snapshot`)."""
        return self.snapshot(cells)[0]

    def _take(self, observations: List[float], index: int) -> None:
        # All time: every observation, NaN included (the sum then is NaN, as a plain Summary's).
        self.count += len(observations)
        self.sum += sum(observations, 0.0)
        self._add(observations, index)

    def _add(self, observations: List[float], index: int) -> None:
        if index <= self._window_slice - self.settings.age_buckets:
            return  # the slice has left the window
        observations = _without_nan(observations)
        if not observations:
            return
        observations.sort()
        low, high = self.settings.low_slope, self.settings.high_slope
        # Slices keep half the allowed error and batches a quarter: merged into the window, their gaps
        # add to the rank uncertainty of the window's entries, and what remains of the allowance is the
        # room that lets the window drop entries (with the whole allowance everywhere, nothing could).
        batch = summarize_sorted(observations, low / 4, high / 4)
        if index <= self._window_slice:
            self._window = merge_summaries(self._window, batch, low, high)
        # A slice is read only when the window is merged again from its slices: the small batches a
        # scrape takes wait, packed, until there are enough of them to be worth a merge.
        pending = self._pending.get(index)
        if pending is None and len(observations) >= FLUSH_AT // 4:
            self._slices[index] = merge_summaries(self._slices.get(index, EMPTY), batch, low / 2, high / 2)
            return
        if pending is None:
            pending = self._pending[index] = array("d")
        pending.extend(observations)
        if len(pending) >= FLUSH_AT:
            self._settle(index)

    def _settle(self, index: int) -> None:
        """Merge what waits for slice ``index`` into its summary."""
        pending = self._pending.pop(index, None)
        if pending:
            low, high = self.settings.low_slope, self.settings.high_slope
            batch = summarize_sorted(sorted(pending), low / 4, high / 4)
            self._slices[index] = merge_summaries(self._slices.get(index, EMPTY), batch, low / 2, high / 2)

    def _rotate(self, now_index: int) -> None:
        """Forget slices older than the window; the window's summary is merged again from those left."""
        if now_index <= self._window_slice:
            return
        self._window_slice = now_index
        oldest = now_index - self.settings.age_buckets + 1
        expired = [index for index in set(self._slices).union(self._pending) if index < oldest]
        if not expired:
            return
        for index in expired:
            self._slices.pop(index, None)
            self._pending.pop(index, None)
        for index in list(self._pending):
            self._settle(index)
        low, high = self.settings.low_slope, self.settings.high_slope
        window = EMPTY
        for index in sorted(self._slices):
            window = merge_summaries(window, self._slices[index], low, high)
        self._window = window

    def memory_entries(self) -> int:
        """Entries held by the slices and the window (24 bytes each)."""
        with self._lock:
            return len(self._window) + sum(len(s) for s in self._slices.values())

    def pending_observations(self) -> int:
        """Observations waiting to be merged into their slice's summary (8 bytes each, under FLUSH_AT a slice)."""
        with self._lock:
            return sum(len(p) for p in self._pending.values())


def _without_nan(observations: List[float]) -> List[float]:
    # NaN has no rank; sum() tells at C speed whether there is one (or an inf - inf) to filter out.
    total = sum(observations)
    if total == total:
        return observations
    return [value for value in observations if value == value]
