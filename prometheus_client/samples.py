"""Plain immutable records: what a collector yields and the encoder reads."""

from __future__ import annotations

from typing import Any, Dict, NamedTuple, Optional, Sequence, Tuple, Union


class Timestamp:
    """A point in time with nanosecond precision, for samples and exemplars.

    Floats lose precision past microseconds at current epoch values; a scraped
    OpenMetrics timestamp such as ``1520879607.789000001`` keeps its digits here.
    """

    __slots__ = ("sec", "nsec")

    def __init__(self, sec: float, nsec: float) -> None:
        if nsec < 0 or nsec >= 1e9:
            raise ValueError(f"Invalid value for nanoseconds in Timestamp: {nsec!r}")
        if sec < 0:
            nsec = -nsec
        self.sec: int = int(sec)
        self.nsec: int = int(nsec)

    def __str__(self) -> str:
        return f"{self.sec}.{abs(self.nsec):09d}"

    def __repr__(self) -> str:
        return f"Timestamp({self.sec}, {self.nsec})"

    def __float__(self) -> float:
        return float(self.sec) + float(self.nsec) / 1e9

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Timestamp) and self.sec == other.sec and self.nsec == other.nsec

    def __ne__(self, other: object) -> bool:
        return not self == other

    def __gt__(self, other: "Timestamp") -> bool:
        return self.nsec > other.nsec if self.sec == other.sec else self.sec > other.sec

    def __lt__(self, other: "Timestamp") -> bool:
        return self.nsec < other.nsec if self.sec == other.sec else self.sec < other.sec

    def __hash__(self) -> int:
        return hash((self.sec, self.nsec))


class Exemplar(NamedTuple):
    """A sample of the trace that produced an observation: labels, value, optional time."""

    labels: Dict[str, str]
    value: float
    timestamp: Optional[Union[float, Timestamp]] = None


class BucketSpan(NamedTuple):
    """A run of consecutive native-histogram buckets."""

    offset: int
    length: int


class NativeHistogram(NamedTuple):
    """The data of a native (sparse) histogram sample, as parsers read it."""

    count_value: float
    sum_value: float
    schema: int
    zero_threshold: float
    zero_count: float
    pos_spans: Optional[Sequence[BucketSpan]] = None
    neg_spans: Optional[Sequence[BucketSpan]] = None
    pos_deltas: Optional[Sequence[int]] = None
    neg_deltas: Optional[Sequence[int]] = None
    nh_exemplars: Optional[Sequence[Exemplar]] = None


class Sample(NamedTuple):
    """One time series value: full sample name, labels, value and extras."""

    name: str
    labels: Dict[str, str]
    value: float
    timestamp: Optional[Union[float, Timestamp]] = None
    exemplar: Optional[Exemplar] = None
    native_histogram: Optional[NativeHistogram] = None


class LabelSet(Dict[str, str]):
    """A read-only label dict, for labels reused across collections (the multiprocess collector's, Info's).

    It behaves as a plain ``dict`` for readers, but cannot be changed, so one
    object can be handed out on every collection without a reader's change
    leaking into the next. The encoder treats it as any mapping (it keeps no
    text per label set); it can be weakly referenced.
    """

    __slots__ = ("__weakref__",)

    def _read_only(self, *args: object, **kwargs: object) -> None:
        raise TypeError("This label set belongs to a metric and is read-only; copy it with dict(labels)")

    __setitem__ = _read_only  # type: ignore[assignment]
    __delitem__ = _read_only  # type: ignore[assignment]
    clear = _read_only  # type: ignore[assignment]
    pop = _read_only  # type: ignore[assignment]
    popitem = _read_only  # type: ignore[assignment]
    setdefault = _read_only  # type: ignore[assignment]
    update = _read_only  # type: ignore[assignment]
    __ior__ = _read_only  # type: ignore[assignment]

    def copy(self) -> Dict[str, str]:  # type: ignore[override]
        return dict(self)

    def __reduce__(self) -> Tuple[Any, ...]:
        return (dict, (dict(self),))
