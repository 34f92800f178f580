"""Metric families: what collectors yield and the encoder turns into text.

Custom collectors build these directly (``GaugeMetricFamily('x', 'help',
labels=['a'])`` then ``add_metric(['v'], 1.0)``); the built-in instruments
produce the same objects at collection time.
"""

from __future__ import annotations

from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple, Union

from .samples import Exemplar, NativeHistogram, Sample, Timestamp
from .validation import _validate_metric_name

METRIC_TYPES = (
    "counter",
    "gauge",
    "summary",
    "histogram",
    "gaugehistogram",
    "unknown",
    "info",
    "stateset",
)

TimestampLike = Optional[Union[float, Timestamp]]


class Metric:
    """A metric family: a name, help text, type, optional unit and its samples.

    ``add_sample`` appends raw samples; the typed subclasses below add the
    suffixes (``_total``, ``_bucket``, ...) for you.
    """

    def __init__(self, name: str, documentation: str, typ: str, unit: str = "") -> None:
        if unit and not name.endswith("_" + unit):
            name += "_" + unit
        _validate_metric_name(name)
        if not isinstance(documentation, str):
            raise TypeError(f"Documentation of metric {name!r} must be a str, not {type(documentation).__name__}")
        if typ == "untyped":
            typ = "unknown"
        if typ not in METRIC_TYPES:
            raise ValueError(f"Invalid metric type {typ!r} for metric {name!r}; expected one of {METRIC_TYPES}")
        self.name: str = name
        self.documentation: str = documentation
        self.unit: str = unit
        self.type: str = typ
        self.samples: List[Sample] = []

    def add_sample(
        self,
        name: str,
        labels: Dict[str, str],
        value: float,
        timestamp: TimestampLike = None,
        exemplar: Optional[Exemplar] = None,
        native_histogram: Optional[NativeHistogram] = None,
    ) -> None:
        """Append one sample; ``name`` is the full sample name (with any suffix)."""
        self.samples.append(Sample(name, labels, value, timestamp, exemplar, native_histogram))

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, Metric)
            and self.name == other.name
            and self.documentation == other.documentation
            and self.type == other.type
            and self.unit == other.unit
            and self.samples == other.samples
        )

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return (
            f"Metric({self.name}, {self.documentation}, {self.type}, {self.unit}, {self.samples})"
        )

    def _restricted_metric(self, names: "set[str] | frozenset[str]") -> Optional["Metric"]:
        """A copy holding only the samples whose names are in ``names``, or None."""
        samples = [s for s in self.samples if s.name in names]
        if not samples:
            return None
        metric = Metric(self.name, self.documentation, self.type, self.unit)
        metric.samples = samples
        return metric


def _labels_of(family: Metric, labelnames: Sequence[str], labelvalues: Sequence[str]) -> Dict[str, str]:
    if len(labelnames) != len(labelvalues):
        raise ValueError(
            f"Metric {family.name!r} has label names {list(labelnames)!r} but got "
            f"{len(labelvalues)} label values {list(labelvalues)!r}"
        )
    return dict(zip(labelnames, labelvalues))


def _check_value_or_labels(name: str, value: object, labels: Optional[Sequence[str]]) -> Sequence[str]:
    if labels is not None and value is not None:
        raise ValueError(f"Metric {name!r}: pass either labels or a value, not both")
    return labels or ()


class CounterMetricFamily(Metric):
    """A counter family; a trailing ``_total`` on the name is moved to the samples."""

    def __init__(
        self,
        name: str,
        documentation: str,
        value: Optional[float] = None,
        labels: Optional[Sequence[str]] = None,
        created: Optional[float] = None,
        unit: str = "",
        exemplar: Optional[Exemplar] = None,
    ) -> None:
        if name.endswith("_total"):
            name = name[:-6]
        Metric.__init__(self, name, documentation, "counter", unit)
        self._labelnames = tuple(_check_value_or_labels(name, value, labels))
        if value is not None:
            self.add_metric([], value, created, exemplar=exemplar)

    def add_metric(
        self,
        labels: Sequence[str],
        value: float,
        created: Optional[float] = None,
        timestamp: TimestampLike = None,
        exemplar: Optional[Exemplar] = None,
    ) -> None:
        """Add one labelled counter: its value and, optionally, its creation time."""
        label_dict = _labels_of(self, self._labelnames, labels)
        self.samples.append(Sample(self.name + "_total", label_dict, value, timestamp, exemplar))
        if created is not None:
            self.samples.append(Sample(self.name + "_created", label_dict, created, timestamp))


class _SingleValueFamily(Metric):
    """A family whose samples are one plain value per label set (gauges, unknown)."""

    _family_type = ""

    def __init__(
        self,
        name: str,
        documentation: str,
        value: Optional[float] = None,
        labels: Optional[Sequence[str]] = None,
        unit: str = "",
    ) -> None:
        Metric.__init__(self, name, documentation, self._family_type, unit)
        self._labelnames = tuple(_check_value_or_labels(name, value, labels))
        if value is not None:
            self.add_metric([], value)

    def add_metric(self, labels: Sequence[str], value: float, timestamp: TimestampLike = None) -> None:
        """Add one labelled value."""
        self.samples.append(Sample(self.name, _labels_of(self, self._labelnames, labels), value, timestamp))


class GaugeMetricFamily(_SingleValueFamily):
    """A gauge family."""

    _family_type = "gauge"


class UnknownMetricFamily(_SingleValueFamily):
    """A family of unknown type (``untyped`` in the 0.0.4 text format)."""

    _family_type = "unknown"


# The 0.0.4 text format calls this type "untyped"; both names work.
UntypedMetricFamily = UnknownMetricFamily


class SummaryMetricFamily(Metric):
    """A summary family (count and sum; quantiles via ``add_sample``)."""

    def __init__(
        self,
        name: str,
        documentation: str,
        count_value: Optional[int] = None,
        sum_value: Optional[float] = None,
        labels: Optional[Sequence[str]] = None,
        unit: str = "",
    ) -> None:
        Metric.__init__(self, name, documentation, "summary", unit)
        if (sum_value is None) != (count_value is None):
            raise ValueError(f"Summary {name!r}: count_value and sum_value must be given together")
        self._labelnames = tuple(_check_value_or_labels(name, count_value, labels))
        if count_value is not None and sum_value is not None:
            self.add_metric([], count_value, sum_value)

    def add_metric(
        self,
        labels: Sequence[str],
        count_value: int,
        sum_value: float,
        timestamp: TimestampLike = None,
    ) -> None:
        """Add one labelled summary's count and sum."""
        label_dict = _labels_of(self, self._labelnames, labels)
        self.samples.append(Sample(self.name + "_count", label_dict, count_value, timestamp))
        self.samples.append(Sample(self.name + "_sum", label_dict, sum_value, timestamp))


BucketList = Sequence[Union[Tuple[str, float], Tuple[str, float, Exemplar]]]


class HistogramMetricFamily(Metric):
    """A histogram family; buckets are ``(le, cumulative_count[, exemplar])``, ending in ``+Inf``."""

    def __init__(
        self,
        name: str,
        documentation: str,
        buckets: Optional[BucketList] = None,
        sum_value: Optional[float] = None,
        labels: Optional[Sequence[str]] = None,
        unit: str = "",
    ) -> None:
        Metric.__init__(self, name, documentation, "histogram", unit)
        if sum_value is not None and buckets is None:
            raise ValueError(f"Histogram {name!r}: sum_value given without buckets")
        self._labelnames = tuple(_check_value_or_labels(name, buckets, labels))
        if buckets is not None:
            self.add_metric([], buckets, sum_value)

    def add_metric(
        self,
        labels: Sequence[str],
        buckets: BucketList,
        sum_value: Optional[float],
        timestamp: TimestampLike = None,
    ) -> None:
        """Add one labelled histogram; ``_count`` is taken from the last (``+Inf``) bucket."""
        label_dict = _labels_of(self, self._labelnames, labels)
        for bucket in buckets:
            bound, count = bucket[0], bucket[1]
            exemplar = bucket[2] if len(bucket) == 3 else None  # type: ignore[misc]
            bucket_labels = dict(label_dict)
            bucket_labels["le"] = bound
            self.samples.append(Sample(self.name + "_bucket", bucket_labels, count, timestamp, exemplar))
        # A histogram without a sum is valid (negative observations make it meaningless).
        if sum_value is not None:
            self.samples.append(Sample(self.name + "_count", label_dict, buckets[-1][1], timestamp))
            self.samples.append(Sample(self.name + "_sum", label_dict, sum_value, timestamp))


class GaugeHistogramMetricFamily(Metric):
    """A gauge histogram family (OpenMetrics); ``_gcount`` and ``_gsum`` instead of count and sum."""

    def __init__(
        self,
        name: str,
        documentation: str,
        buckets: Optional[Sequence[Tuple[str, float]]] = None,
        gsum_value: Optional[float] = None,
        labels: Optional[Sequence[str]] = None,
        unit: str = "",
    ) -> None:
        Metric.__init__(self, name, documentation, "gaugehistogram", unit)
        self._labelnames = tuple(_check_value_or_labels(name, buckets, labels))
        if buckets is not None:
            self.add_metric([], buckets, gsum_value)

    def add_metric(
        self,
        labels: Sequence[str],
        buckets: Sequence[Tuple[str, float]],
        gsum_value: Optional[float],
        timestamp: TimestampLike = None,
    ) -> None:
        """Add one labelled gauge histogram."""
        label_dict = _labels_of(self, self._labelnames, labels)
        for bound, count in buckets:
            bucket_labels = dict(label_dict)
            bucket_labels["le"] = bound
            self.samples.append(Sample(self.name + "_bucket", bucket_labels, count, timestamp))
        self.samples.append(Sample(self.name + "_gcount", label_dict, buckets[-1][1], timestamp))
        if gsum_value is not None:
            self.samples.append(Sample(self.name + "_gsum", label_dict, gsum_value, timestamp))


class InfoMetricFamily(Metric):
    """An info family: constant key-value pairs exposed as ``name_info{...} 1``."""

    def __init__(
        self,
        name: str,
        documentation: str,
        value: Optional[Dict[str, str]] = None,
        labels: Optional[Sequence[str]] = None,
    ) -> None:
        if name.endswith("_info"):
            name = name[:-5]
        Metric.__init__(self, name, documentation, "info")
        self._labelnames = tuple(_check_value_or_labels(name, value, labels))
        if value is not None:
            self.add_metric([], value)

    def add_metric(self, labels: Sequence[str], value: Dict[str, str], timestamp: TimestampLike = None) -> None:
        """Add one labelled info value."""
        label_dict = _labels_of(self, self._labelnames, labels)
        clashing = set(label_dict) & set(value)
        if clashing:
            raise ValueError(f"Info {self.name!r}: keys {sorted(clashing)!r} clash with its label names")
        label_dict.update(value)
        self.samples.append(Sample(self.name + "_info", label_dict, 1, timestamp))


class StateSetMetricFamily(Metric):
    """A state set family: one sample per state, 1 for the states that hold and 0 otherwise."""

    def __init__(
        self,
        name: str,
        documentation: str,
        value: Optional[Dict[str, bool]] = None,
        labels: Optional[Sequence[str]] = None,
    ) -> None:
        Metric.__init__(self, name, documentation, "stateset")
        self._labelnames = tuple(_check_value_or_labels(name, value, labels))
        if value is not None:
            self.add_metric([], value)

    def add_metric(self, labels: Sequence[str], value: Dict[str, bool], timestamp: TimestampLike = None) -> None:
        """Add one labelled state set."""
        label_dict = _labels_of(self, self._labelnames, labels)
        if self.name in label_dict:
            raise ValueError(f"StateSet {self.name!r}: a label may not share the metric's name")
        for state, enabled in value.items():
            state_labels = dict(label_dict)
            state_labels[self.name] = state
            self.samples.append(Sample(self.name, state_labels, 1 if enabled else 0, timestamp))


# What one value of an instrument's child is: (sample-name suffix, extra label or None). The extra
# label is a (name, value) pair such as ("le", "0.5"); a family's slots are shared by all its children.
Slot = Tuple[str, Optional[Tuple[str, str]]]
# One child: (labels, values in slot order, exemplars in slot order or None when there are none).
SeriesEntry = Tuple[Dict[str, str], List[float], Optional[List[Optional[Exemplar]]]]


class InstrumentMetric(Metric):
    """A family produced by a built-in instrument, in a compact form.

    ``layout`` names the values every child reports, as :data:`Slot` pairs;
    ``series`` holds one :data:`SeriesEntry` per child: its
    :class:`~prometheus_client.samples.LabelSet` (reused on every scrape), its
    values in layout order, and its exemplars (or None). The encoder reads
    this directly, with few objects made per scrape; anyone reading
    ``samples`` gets ordinary :class:`Sample` records, built on first access.
    Names were validated when the instrument was created, so they are not
    checked again on every scrape.
    """

    def __init__(
        self, name: str, documentation: str, typ: str, unit: str = "", layout: Sequence[Slot] = ()
    ) -> None:
        self.name = name
        self.documentation = documentation
        self.type = typ
        self.unit = unit
        self.layout: Tuple[Slot, ...] = tuple(layout)
        # Any re-iterable of entries: instruments hand over a view that reads their children lazily.
        self.series: Iterable[SeriesEntry] = []
        self._samples: Optional[List[Sample]] = None

    def add_series(
        self, labels: Dict[str, str], values: List[float], exemplars: Optional[List[Optional[Exemplar]]] = None
    ) -> None:
        """Add one child's values (in layout order) and optional exemplars."""
        if len(values) != len(self.layout):
            raise ValueError(
                f"Metric {self.name!r}: {len(values)} values for a layout of {len(self.layout)} slots"
            )
        if not isinstance(self.series, list):
            self.series = list(self.series)
        self.series.append((labels, values, exemplars))

    @property  # type: ignore[override]
    def samples(self) -> List[Sample]:  # type: ignore[override]
        if self._samples is None:
            built: List[Sample] = []
            name = self.name
            layout = self.layout
            for labels, values, exemplars in self.series:
                for index, ((suffix, extra), value) in enumerate(zip(layout, values)):
                    if extra is None:
                        sample_labels = labels
                    else:
                        sample_labels = dict(labels)
                        sample_labels[extra[0]] = extra[1]
                    exemplar = exemplars[index] if exemplars is not None else None
                    built.append(Sample(name + suffix, sample_labels, value, None, exemplar))
            self._samples = built
        return self._samples

    @samples.setter
    def samples(self, value: List[Sample]) -> None:
        self._samples = value
        self.series = []

    def add_sample(self, *args: Any, **kwargs: Any) -> None:
        # Once samples are added by hand, they (not ``series``) are the truth.
        samples = self.samples
        self.samples = samples
        Metric.add_sample(self, *args, **kwargs)
