"""Metric families: what collectors yield and the encoder turns into text.

Custom collectors build these directly (``GaugeMetricFamily('x', 'help',
labels=['a'])`` then ``add_metric(['v'], 1.0)``); the built-in instruments
produce the same objects at collection time.
"""

from __future__ import annotations

from typing import Any, Dict, Iterable, Iterator, List, Mapping, Optional, Sequence, Tuple, Union

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
        # Documentation is not checked here, as in the official client: a non-str fails when encoded.
        if typ == "untyped":
            typ = "unknown"
        if typ not in METRIC_TYPES:
            # Official text first (a non-str type fails the same concatenation, with TypeError).
            raise ValueError("Invalid metric type: " + typ + f" (metric {name!r}; expected one of {METRIC_TYPES})")
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
        # Like the official client, the copy has no unit (its name already ends in it).
        metric = Metric(self.name, self.documentation, self.type)
        metric.samples = samples
        return metric


def _labels_of(family: Metric, labelnames: Sequence[str], labelvalues: Sequence[str]) -> Dict[str, str]:
    # As in the official client, names and values are paired with zip(): extra values or
    # names are ignored rather than rejected (custom collectors rely on this leniency).
    return dict(zip(labelnames, labelvalues))


def _check_value_or_labels(
    name: str, value: object, labels: Optional[Sequence[str]], what: str = "value"
) -> Sequence[str]:
    if labels is not None and value is not None:
        raise ValueError(
            f"Can only specify at most one of {what} and labels. Metric {name!r} got {what} {value!r} "
            f"and labels {labels!r}"
        )
    return () if labels is None else labels


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
            self.samples.append(Sample(self.name + "_created", dict(label_dict), created, timestamp))


def _init_single_value(
    family: Metric, name: str, documentation: str, typ: str, value: Optional[float],
    labels: Optional[Sequence[str]], unit: str,
) -> None:
    """Set up a family whose samples are one value per label set, under the family's own name."""
    Metric.__init__(family, name, documentation, typ, unit)
    family._labelnames = tuple(_check_value_or_labels(name, value, labels))  # type: ignore[attr-defined]
    if value is not None:
        family.add_metric([], value)  # type: ignore[attr-defined]


def _add_single_value(family: Metric, labels: Sequence[str], value: float, timestamp: TimestampLike) -> None:
    family.samples.append(
        Sample(family.name, _labels_of(family, family._labelnames, labels), value, timestamp)  # type: ignore[attr-defined]
    )


# Each family class keeps its own __init__ and add_metric (thin): a wrong call's TypeError names the class,
# as the official client's does.
class GaugeMetricFamily(Metric):
    """A gauge family."""

    def __init__(
        self, name: str, documentation: str, value: Optional[float] = None,
        labels: Optional[Sequence[str]] = None, unit: str = "",
    ) -> None:
        _init_single_value(self, name, documentation, "gauge", value, labels, unit)

    def add_metric(self, labels: Sequence[str], value: float, timestamp: TimestampLike = None) -> None:
        """Add one labelled value."""
        _add_single_value(self, labels, value, timestamp)


class UnknownMetricFamily(Metric):
    """A family of unknown type (``untyped`` in the 0.0.4 text format)."""

    def __init__(
        self, name: str, documentation: str, value: Optional[float] = None,
        labels: Optional[Sequence[str]] = None, unit: str = "",
    ) -> None:
        _init_single_value(self, name, documentation, "unknown", value, labels, unit)

    def add_metric(self, labels: Sequence[str], value: float, timestamp: TimestampLike = None) -> None:
        """Add one labelled value."""
        _add_single_value(self, labels, value, timestamp)


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
            raise ValueError(
                f"count_value and sum_value must be provided together. Summary {name!r} got "
                f"count_value {count_value!r} and sum_value {sum_value!r}"
            )
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
        self.samples.append(Sample(self.name + "_sum", dict(label_dict), sum_value, timestamp))


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
            raise ValueError(f"sum value cannot be provided without buckets. Histogram {name!r}")
        self._labelnames = tuple(_check_value_or_labels(name, buckets, labels, "buckets"))
        if buckets is not None:
            self.add_metric([], buckets, sum_value)

    def add_metric(
        self,
        labels: Sequence[str],
        buckets: BucketList,
        sum_value: Optional[float],
        timestamp: TimestampLike = None,
    ) -> None:
        """Add one labelled histogram; ``_count`` is taken from the last (``+Inf``) bucket.

        As in the official client, a histogram whose first bound is negative has no
        ``_count``/``_sum`` (its sum would be meaningless), and the buckets must be a
        non-empty sequence whose first bound parses as a float.
        """
        label_dict = _labels_of(self, self._labelnames, labels)
        for bucket in buckets:
            bound, count = bucket[:2]
            exemplar = bucket[2] if len(bucket) == 3 else None  # type: ignore[misc]
            bucket_labels = dict(label_dict)
            bucket_labels["le"] = bound
            self.samples.append(Sample(self.name + "_bucket", bucket_labels, count, timestamp, exemplar))
        if float(buckets[0][0]) >= 0 and sum_value is not None:
            self.samples.append(Sample(self.name + "_count", label_dict, buckets[-1][1], timestamp))
            self.samples.append(Sample(self.name + "_sum", dict(label_dict), sum_value, timestamp))


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
        self._labelnames = tuple(_check_value_or_labels(name, buckets, labels, "buckets"))
        if buckets is not None:
            self.add_metric([], buckets, gsum_value)

    def add_metric(
        self,
        labels: Sequence[str],
        buckets: Sequence[Tuple[str, float]],
        gsum_value: Optional[float],
        timestamp: TimestampLike = None,
    ) -> None:
        """Add one labelled gauge histogram.

        A ``gsum_value`` of None is kept as a ``_gsum`` sample of value None, as in the
        official client: the text format then fails to encode it, OpenMetrics writes no value.
        """
        label_dict = _labels_of(self, self._labelnames, labels)
        for bound, count in buckets:
            bucket_labels = dict(label_dict)
            bucket_labels["le"] = bound
            self.samples.append(Sample(self.name + "_bucket", bucket_labels, count, timestamp))
        self.samples.append(Sample(self.name + "_gcount", label_dict, buckets[-1][1], timestamp))
        self.samples.append(Sample(self.name + "_gsum", dict(label_dict), gsum_value, timestamp))  # type: ignore[arg-type]


class InfoMetricFamily(Metric):
    """An info family: constant key-value pairs exposed as ``name_info{...} 1``.

    The samples are ``name + "_info"``; as in the official client a name that
    already ends in ``_info`` is not shortened.
    """

    def __init__(
        self,
        name: str,
        documentation: str,
        value: Optional[Dict[str, str]] = None,
        labels: Optional[Sequence[str]] = None,
    ) -> None:
        Metric.__init__(self, name, documentation, "info")
        self._labelnames = tuple(_check_value_or_labels(name, value, labels))
        if value is not None:
            self.add_metric([], value)

    def add_metric(self, labels: Sequence[str], value: Dict[str, str], timestamp: TimestampLike = None) -> None:
        """Add one labelled info value; a key of ``value`` that is also a label name wins."""
        # dict(..., **value): value must be a mapping with str keys (TypeError otherwise), and its
        # keys override the label values (OpenTelemetry's target_info relies on this).
        label_dict = dict(_labels_of(self, self._labelnames, labels), **value)
        self.samples.append(Sample(self.name + "_info", label_dict, 1, timestamp))


class StateSetMetricFamily(Metric):
    """A state set family: one sample per state (sorted), 1 for the states that hold and 0 otherwise."""

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
        """Add one labelled state set; states come out sorted by name, as in the official client."""
        names = self._labelnames + (self.name,)
        values = tuple(labels)
        for state, enabled in sorted(value.items()):
            # Paired with zip() like the other families: the state fills the slot after the label values.
            state_labels = dict(zip(names, values + (state,)))
            self.samples.append(Sample(self.name, state_labels, 1 if enabled else 0, timestamp))


class SeriesLabels(Mapping[str, str]):
    """One series' labels in compact form: the family's label names and the series' values, paired.

    ``labelnames`` is one tuple shared by every child of a family (an
    instrument's label names), ``labelvalues`` the child's own tuple (the key it
    is stored under), so a child keeps no label dict: an instrument makes one of
    these per child as a scrape walks it, and nothing of it is kept afterwards.
    It reads as a read-only mapping (``dict(labels)``, ``labels["method"]``,
    ``.values()``, ``==`` with a dict); the encoder reads the two tuples directly
    and renders the text from a per-family plan made for the names tuple.
    Values are ``str``, as an instrument's label values always are.
    """

    __slots__ = ("labelnames", "labelvalues")

    def __init__(self, names: Tuple[str, ...], values: Tuple[str, ...]) -> None:
        self.labelnames = names
        self.labelvalues = values

    def __getitem__(self, name: str) -> str:
        try:
            return self.labelvalues[self.labelnames.index(name)]
        except ValueError:
            raise KeyError(name) from None

    def __iter__(self) -> Iterator[str]:
        return iter(self.labelnames)

    def __len__(self) -> int:
        return len(self.labelnames)

    def __contains__(self, name: object) -> bool:
        return name in self.labelnames

    def __repr__(self) -> str:
        return repr(dict(zip(self.labelnames, self.labelvalues)))


# What one value of an instrument's child is: (sample-name suffix, extra label or None). The extra
# label is a (name, value) pair such as ("le", "0.5"); a family's slots are shared by all its children.
Slot = Tuple[str, Optional[Tuple[str, str]]]
# One child: (labels, values in slot order, exemplars in slot order or None when there are none).
SeriesEntry = Tuple[Mapping[str, str], List[float], Optional[List[Optional[Exemplar]]]]


class InstrumentMetric(Metric):
    """A family produced by a built-in instrument, in a compact form: the family model encoders walk.

    The shape, in one place (the text encoder and any other walk the same model):

    * ``layout``: a tuple of :data:`Slot` pairs ``(suffix, extra)``, one per value
      every child reports, in order: the sample name is ``name + suffix``;
      ``extra`` is None or one more label ``(label name, label value)`` (``le``
      of a histogram bucket, the state label of an Enum) that joins the
      series' labels on that sample, sorted in among them. Shared by all the
      family's children.
    * ``series``: a re-iterable of :data:`SeriesEntry` triples ``(labels, values,
      exemplars)``, one per child; an instrument hands over a view that makes
      each entry as it is reached, so none outlives the walk.

      - ``labels``: a ``Mapping[str, str]``. From an instrument it is a
        :class:`SeriesLabels` (``labelnames`` tuple shared by the family,
        ``labelvalues`` tuple of the child), made per scrape and not kept; an Info's is a
        :class:`~prometheus_client.samples.LabelSet`; ``add_series`` accepts any
        mapping. Nothing is cached on it: an encoder that wants speed plans the
        text per ``labelnames`` tuple (by identity) for the family.
      - ``values``: one per slot, in layout order: floats (ints for Enum and
        Info), or a :class:`~prometheus_client.samples.NativeHistogram` for a
        native histogram slot.
      - ``exemplars``: None, or a list with one exemplar or None per slot.

    Names were validated when the instrument was created, so they are not
    checked again on every scrape.

    ``samples`` is an ordinary list of :class:`Sample` records, made from the
    series the first time it is read (each sample with a label dict of its
    own, as the official client's). From then on (or once it is assigned) it
    is the family's truth, as on any :class:`Metric`: changes to it are what
    gets encoded.
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

    def add_series(
        self, labels: Mapping[str, str], values: List[float], exemplars: Optional[List[Optional[Exemplar]]] = None
    ) -> None:
        """Add one child's values (in layout order) and optional exemplars (one per value)."""
        slots = len(self.layout)
        if len(values) != slots or (exemplars is not None and len(exemplars) != slots):
            raise ValueError(
                f"Metric {self.name!r}: {len(values)} values and "
                f"{'no' if exemplars is None else len(exemplars)} exemplars for a layout of {slots} slots"
            )
        if not isinstance(self.series, list):
            self.series = list(self.series)
        entry = (labels, values, exemplars)
        self.series.append(entry)
        if "samples" in self.__dict__:
            self.samples.extend(_samples_of(self.name, self.layout, (entry,)))

    def __getattr__(self, name: str) -> Any:
        # Only called for attributes not found: ``samples`` before anyone read or assigned it.
        if name == "samples":
            samples = self.__dict__["samples"] = _samples_of(self.name, self.layout, self.series)
            return samples
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")


def _samples_of(name: str, layout: Sequence[Slot], series: Iterable[SeriesEntry]) -> List[Sample]:
    """Series entries as :class:`Sample` records, in order, each with a plain label dict of its own.

    Made on demand for whoever reads ``samples`` and not kept by the instrument: a dict per sample, as
    the official client gives (changing one changes no other). An extra label joins that sample's
    dict. A value that is a :class:`NativeHistogram` (a native histogram instrument's) becomes a
    sample with value None carrying it, as parsers make them.
    """
    built: List[Sample] = []
    append = built.append
    for labels, values, exemplars in series:
        if type(labels) is SeriesLabels:
            pairs = list(zip(labels.labelnames, labels.labelvalues))
        else:
            pairs = list(labels.items())
        for index, ((suffix, extra), value) in enumerate(zip(layout, values)):
            sample_labels = dict(pairs)
            if type(value) is NativeHistogram:
                append(Sample(name + suffix, sample_labels, None, None, None, value))  # type: ignore[arg-type]
                continue
            if extra is not None:
                sample_labels[extra[0]] = extra[1]
            exemplar = exemplars[index] if exemplars is not None else None
            append(Sample(name + suffix, sample_labels, value, None, exemplar))
    return built


def compact_series(family: Metric) -> Optional[Tuple[Tuple[Slot, ...], Iterable[SeriesEntry]]]:
    """``(layout, series)`` while they are a family's truth, else None (read ``samples`` instead).

    That is a family from an instrument whose ``samples`` nobody has read or
    assigned yet; for any other family (a plain :class:`Metric`, a custom
    collector's object) the samples are what there is.
    """
    if isinstance(family, InstrumentMetric) and "samples" not in family.__dict__:
        return family.layout, family.series
    return None
