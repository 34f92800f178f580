"""The instruments: Counter, Gauge, Summary, Histogram, Info and Enum.

Hot paths take no lock. A child's numbers live in a small list, its box (see
:mod:`._thread_cells`): the thread that writes it first owns the box and adds in
place; other threads add into cells of their own, which no other thread writes, so
concurrent updates are never lost; a scrape sums the cells. Replacing a whole
state (``Gauge.set``, ``Counter.reset``) swaps in a new box, so an update racing
with it lands in the old state and is ordered before it. Nothing here holds a lock
across ``fork()`` on the update path.

A metric with label names is a *parent*: ``labels(...)`` returns (creating on
first use) the *child* that holds numbers. Calling an update method on a
parent raises ``ValueError`` naming the missing labels.
"""

from __future__ import annotations

import os
import time
import warnings
from bisect import bisect_left
from itertools import accumulate
from operator import itemgetter
from threading import get_ident
from typing import (
    AbstractSet,
    Any,
    Callable,
    Dict,
    Iterable,
    Iterator,
    List,
    Mapping,
    Optional,
    Sequence,
    Set,
    Tuple,
    Type,
    TypeVar,
    Union,
)

from ._family_settings import FamilySettings, parent_only_setting, shared_setting
from ._forksafe import ForkSafeLock
from ._native_histogram import NativeBuckets, NativeHistogramSettings
from ._quantiles import FLUSH_AT, QuantileSettings, SlidingQuantiles
from ._thread_cells import (
    Box,
    add_elsewhere,
    box_total,
    cell_elsewhere,
    column_sums,
    fold_box,
    new_box,
    new_boxes,
    note_thread_cell,
)
from .context_managers import ExceptionCounter, InprogressTracker, Timer
from .metrics_core import InstrumentMetric, Metric, SeriesEntry, SeriesLabels, Slot
from .registry import REGISTRY, Collector, CollectorRegistry
from .samples import Exemplar, LabelSet, NativeHistogram, Sample
from .utils import INF, floatToGoString
from .validation import _build_full_name, _validate_exemplar, _validate_labelnames, _validate_metric_name
from .values import multiprocess_dir, value_class_for_new_metric

T = TypeVar("T", bound="MetricWrapperBase")

_created_override: Optional[bool] = None

# Layouts shared by every family of a type (see metrics_core.InstrumentMetric).
_COUNTER_LAYOUT: Tuple[Slot, ...] = (("_total", None),)
_COUNTER_LAYOUT_CREATED: Tuple[Slot, ...] = (("_total", None), ("_created", None))
_GAUGE_LAYOUT: Tuple[Slot, ...] = (("", None),)
_SUMMARY_LAYOUT: Tuple[Slot, ...] = (("_count", None), ("_sum", None))
_SUMMARY_LAYOUT_CREATED: Tuple[Slot, ...] = (("_count", None), ("_sum", None), ("_created", None))
_INFO_LAYOUT: Tuple[Slot, ...] = (("_info", None),)
_COUNT_LAYOUT: Tuple[Slot, ...] = (("_count", None),)
_COUNT_CREATED_LAYOUT: Tuple[Slot, ...] = (("_count", None), ("_created", None))
# A native histogram's one sample, named as its family; its value is a NativeHistogram.
_NATIVE_LAYOUT: Tuple[Slot, ...] = (("", None),)

# Bucket bounds -> (bounds, ("le", text) labels, layout slots, no exemplars), shared by histograms.
_SHARED_BUCKETS: Dict[
    Tuple[float, ...], Tuple[List[float], Tuple[Tuple[str, str], ...], Tuple[Slot, ...], Tuple[None, ...]]
] = {}


def disable_created_metrics() -> None:
    """Stop exposing ``_created`` samples (for counters, histograms and summaries)."""
    global _created_override
    _created_override = False


def enable_created_metrics() -> None:
    """Expose ``_created`` samples again."""
    global _created_override
    _created_override = True


def _created_enabled() -> bool:
    if _created_override is not None:
        return _created_override
    return os.environ.get("PROMETHEUS_DISABLE_CREATED_SERIES", "").strip().lower() not in ("1", "true", "yes", "on")


def _exemplar_of(exemplar: Dict[str, str], value: float) -> Exemplar:
    _validate_exemplar(exemplar)
    return Exemplar(dict(exemplar), value, time.time())


_NO_LABELS = SeriesLabels((), ())
_new_object = object.__new__


def _series_labels(instance: Any) -> SeriesLabels:
    """A child's labels for one scrape: a :class:`SeriesLabels` over the tuples the child already holds.

    Made afresh on every read and kept by nobody: a child holds no label dict, and a scrape leaves
    nothing behind (the family's label names are one tuple shared by its children, the values are the
    child's key). Creating children is on the path of every new label value, so nothing is made then.
    """
    values = instance._labelvalues
    if not values:
        return _NO_LABELS
    # Filled in place rather than through __init__: this runs for every child on every scrape.
    labels: SeriesLabels = _new_object(SeriesLabels)
    labels.labelnames = instance._family._labelnames  # the shared settings, without the property's call
    labels.labelvalues = values
    return labels


class MetricWrapperBase(Collector):
    """What every instrument shares: naming, labels, registration and collection."""

    _type: str = ""
    # A property (cheaper to call than a descriptor class): read by every _entry() on every scrape.
    _labelset = property(_series_labels)
    _reserved_labelnames: Sequence[str] = ()
    # The settings a parent and its children share, read from the one FamilySettings each holds
    # under _family (see _family_settings: a child stores 4 attribute names instead of 15).
    _original_name: str = shared_setting("_original_name")
    _namespace: str = shared_setting("_namespace")
    _subsystem: str = shared_setting("_subsystem")
    _name: str = shared_setting("_name")
    _labelnames: Tuple[str, ...] = shared_setting("_labelnames")
    _documentation: str = shared_setting("_documentation")
    _unit: str = shared_setting("_unit")
    _kwargs: Dict[str, Any] = shared_setting("_kwargs")  # what children are constructed with besides names
    _lock: ForkSafeLock = parent_only_setting("_lock")
    _labelvalues: Tuple[str, ...] = ()
    _family: FamilySettings  # the settings above, shared with the parent's children
    _metrics: Dict[Tuple[str, ...], Any]

    def __init__(
        self: T,
        name: str,
        documentation: str,
        labelnames: Iterable[str] = (),
        namespace: str = "",
        subsystem: str = "",
        unit: str = "",
        registry: Optional[CollectorRegistry] = REGISTRY,
        _labelvalues: Optional[Sequence[str]] = None,
    ) -> None:
        if isinstance(labelnames, str):
            raise TypeError(f"labelnames must be a sequence of names, not the string {labelnames!r}")
        if not isinstance(documentation, str):
            raise TypeError(f"documentation must be a str, not {type(documentation).__name__}")
        self._original_name = name
        self._namespace = namespace
        self._subsystem = subsystem
        self._name = _build_full_name(self._type, name, namespace, subsystem, unit)
        self._labelvalues = tuple(_labelvalues or ())
        if self._labelvalues:
            # A child: its parent validated these names already.
            self._labelnames = tuple(labelnames)
        else:
            self._labelnames = tuple(_validate_labelnames(type(self), labelnames))
            _validate_metric_name(self._name)
        self._documentation = documentation
        self._unit = unit
        self._kwargs = {}  # subclasses add their own settings

        if self._is_parent():
            self._lock = ForkSafeLock()
            self._metrics = {}
            # The values of labels(**keywords) in label-name order, by one C call. Held by the family
            # (a slot there), not the parent: a name the parent stores would widen every child too.
            names = self._labelnames
            self._family.key_of_keywords = (
                itemgetter(*names) if len(names) > 1 else lambda kw, n=names[0]: (kw[n],)
            )
            # A parent has no numbers: its value attributes (_value, _sum...) read as a _MissingLabels,
            # whose updates raise, with no check on the children's path.
            self._cells: Any = None
        else:
            self._metric_init()

        if not self._labelvalues and registry:
            registry.register(self)

    # -- structure -------------------------------------------------------------------------

    def _is_parent(self) -> bool:
        return bool(self._labelnames) and not self._labelvalues

    def _is_observable(self) -> bool:
        return not self._labelnames or bool(self._labelvalues)

    def _raise_if_not_observable(self) -> None:
        if not self._is_observable():
            self._missing_labels()

    def _missing_labels(self, *args: Any, **kwargs: Any) -> Any:
        raise ValueError(
            f"{self._type} metric is missing label values: {self._name!r} has label names "
            f"{list(self._labelnames)!r}; call .labels(...) to choose the labelled child before updating it"
        )

    def _metric_init(self) -> None:
        """Set up the numbers of an observable metric (a child, or a metric without labels)."""

    def __str__(self) -> str:
        return f"{self._type}:{self._name}"

    def __repr__(self) -> str:
        return f"{type(self).__module__}.{type(self).__name__}({self._name})"

    # -- labels ----------------------------------------------------------------------------

    def labels(self: T, *labelvalues: Any, **labelkwargs: Any) -> T:
        """Return the child for these label values, creating it on first use.

        Values are given positionally in label-name order, or by keyword; each
        is converted with ``str()`` (``None`` gives ``"None"``), as the official client does.
        """
        if labelvalues and not labelkwargs:
            # Fast path: an existing child looked up by the very tuple we were given. Only exact
            # str values may use it: a str subclass (a str-mixin Enum member) is equal to its
            # value yet str() of it can differ.
            try:
                child = self._metrics.get(labelvalues)
            except (AttributeError, TypeError):  # not a parent; unhashable values
                child = None
            if child is not None:
                for value in labelvalues:
                    if type(value) is not str:
                        break
                else:
                    return child  # type: ignore[no-any-return]
        elif labelkwargs and not labelvalues:
            # Fast path by keyword: the values in label-name order are the key of an existing child
            # when every name is given, no other, and every value is an exact str.
            try:
                key_of = self._family.key_of_keywords  # apart from the call: a read CPython specialises
                key = key_of(labelkwargs)
                child = self._metrics.get(key) if len(key) == len(labelkwargs) else None
            except (AttributeError, KeyError, TypeError):  # a missing name; not a parent; unhashable
                child = None
            if child is not None:
                for value in key:
                    if type(value) is not str:
                        break
                else:
                    return child  # type: ignore[no-any-return]
        return self._labels_slow(labelvalues, labelkwargs)

    def _labels_slow(self: T, labelvalues: Tuple[Any, ...], labelkwargs: Dict[str, Any]) -> T:
        names = self._family._labelnames
        if not labelkwargs and len(labelvalues) == len(names) and labelvalues and not self._labelvalues:
            key = tuple(map(str, labelvalues))  # the common case of _label_key, without the call
        else:
            key = self._label_key(labelvalues, labelkwargs)
        if key != labelvalues:  # converted (or by keyword): look again under the converted key
            child = self._metrics.get(key)
            if child is not None:
                return child  # type: ignore[no-any-return]
        if type(self).__init__ in _OWN_INITS:
            # Only our own code makes the child: make it outside the lock, so threads creating children
            # of one metric hold it only to insert. A thread that loses a race for the same key drops
            # its copy (a multiprocess copy shares the winner's record in the file).
            fresh = self._new_child(key)
            with self._lock._lock:  # the plain lock inside: nothing here forks
                child = self._metrics.setdefault(key, fresh)
            return child  # type: ignore[no-any-return]
        with self._lock._lock:
            child = self._metrics.get(key)
            if child is None:
                child = self._metrics[key] = self._new_child(key)
        return child  # type: ignore[no-any-return]

    def _label_key(self, labelvalues: Tuple[Any, ...], labelkwargs: Dict[str, Any]) -> Tuple[str, ...]:
        """The children's key for these label values (converted with str()); ValueError when they do not fit."""
        labelnames = self._labelnames
        if not labelnames:
            raise ValueError(f"No label names were set when constructing {self}")
        if self._labelvalues:
            raise ValueError(
                f"{self} already has labels set ({dict(zip(labelnames, self._labelvalues))}); "
                "can not chain calls to .labels()"
            )
        if labelkwargs:
            if labelvalues:
                raise ValueError("Can't pass both *args and **kwargs")
            if len(labelkwargs) != len(labelnames) or sorted(labelkwargs) != sorted(labelnames):
                raise ValueError(
                    f"Incorrect label names: got {sorted(labelkwargs)!r}, expected {list(labelnames)!r}"
                )
            return tuple([str(labelkwargs[name]) for name in labelnames])
        if len(labelvalues) != len(labelnames):
            raise ValueError(
                f"Incorrect label count: got {len(labelvalues)} values {list(labelvalues)!r}, "
                f"expected {len(labelnames)} for {list(labelnames)!r}"
            )
        return tuple(map(str, labelvalues))

    def _new_child(self: T, key: Tuple[str, ...]) -> T:
        """Make the child for ``key``; the caller holds the parent's lock when a subclass's ``__init__`` runs."""
        cls = type(self)
        if cls.__init__ not in _OWN_INITS:  # type: ignore[misc]
            # A subclass with an __init__ of its own gets it run for each child, as the official client
            # does. Rebuilt from the parts the parent was given: a subclass whose __init__ supplies a
            # default namespace must not prefix it twice.
            return cls(
                self._original_name,
                documentation=self._documentation,
                labelnames=self._labelnames,
                namespace=self._namespace,
                subsystem=self._subsystem,
                unit=self._unit,
                _labelvalues=key,
                **self._kwargs,
            )
        # Our own __init__ would compute exactly the parent's settings again (names, validation, buckets):
        # copy them instead, and set up only what is the child's own.
        family = self._family
        make = family.make_child
        if make is None:
            # A copy: a thread racing to make the maker may store an attribute in this dict meanwhile
            # (iterating the live dict then raised RuntimeError on PyPy).
            make = family.make_child = _child_maker(cls, self.__dict__.copy(), _PARENT_ONLY)
        child = make(key)
        child._metric_init()
        return child

    def remove(self, *labelvalues: Any, **labelkwargs: Any) -> None:
        """Remove the child with these label values (positional, or by keyword: ours only), if present."""
        if not self._labelnames:
            raise ValueError(f"No label names were set when constructing {self}")
        if labelkwargs or not labelvalues:
            key = self._label_key(labelvalues, labelkwargs)
        elif len(labelvalues) != len(self._labelnames):
            raise ValueError(f"Incorrect label count (expected {len(self._labelnames)}, got {labelvalues})")
        else:
            key = tuple(map(str, labelvalues))
        with self._lock:
            child = self._metrics.pop(key, None)
        if child is not None:
            child._on_removed()

    def remove_by_labels(self, labels: Dict[str, str]) -> None:
        """Remove every child whose labels include all of ``labels`` (a partial match; ``{}`` removes nothing)."""
        if not self._labelnames:
            raise ValueError(f"No label names were set when constructing {self}")
        if not isinstance(labels, dict):
            raise TypeError("labels must be a dict of {label_name: label_value}")
        if not labels:
            return
        invalid = [name for name in labels if name not in self._labelnames]
        if invalid:
            raise ValueError(f"Unknown label names: {invalid}; expected {self._labelnames}")
        positions = [(self._labelnames.index(name), str(value)) for name, value in labels.items()]
        with self._lock:
            doomed = [key for key in self._metrics if all(key[i] == value for i, value in positions)]
            removed = [self._metrics.pop(key) for key in doomed]
        for child in removed:
            child._on_removed()

    def clear(self) -> None:
        """Remove every labelled child (nothing to do for a metric without labels)."""
        if not self._labelnames:
            return
        with self._lock:
            removed = list(self._metrics.values())
            self._metrics = {}
        for child in removed:
            child._on_removed()

    def _on_removed(self) -> None:
        """Let value stores that can forget a removed child do so (multiprocess files hide its records)."""
        for value in self._stored_values():
            remove = getattr(value, "remove", None)  # optional: not part of the official value contract
            if remove is not None:
                remove()

    def _stored_values(self) -> List[Any]:
        """The value objects holding this child's numbers; empty when they live in per-thread cells."""
        return []

    def _fold_thread_cell(self, thread: int) -> None:
        """Fold the numbers of ``thread`` (which has ended) into the base; see :mod:`._thread_cells`.

        The caller holds the fold lock. A whole-state update swaps in a new box, which a fold racing
        with it may miss: the update supersedes what the fold would have moved.
        """
        box = getattr(self, "_cells", None)
        if box:
            fold_box(box, thread)

    # -- collection ------------------------------------------------------------------------

    def _new_family(self, created: bool = True) -> InstrumentMetric:
        return InstrumentMetric(self._name, self._documentation, self._type, self._unit, self._layout(created))

    def describe(self) -> Iterable[Metric]:
        return [self._new_family()]

    def collect(self) -> Iterable[Metric]:
        if _uses_sample_chain(type(self)):
            # A subclass changed what the official client's _samples() chain yields (prometheus-summary
            # adds quantiles in _child_samples()): build the family from that chain, as the official does.
            metric = Metric(self._name, self._documentation, self._type, self._unit)
            for suffix, labels, value, timestamp, exemplar, native_histogram in self._samples():
                metric.add_sample(self._name + suffix, labels, value, timestamp, exemplar, native_histogram)
            return [metric]
        created = _created_enabled()
        family = self._new_family(created)
        if self._is_parent():
            with self._lock:
                children = list(self._metrics.values())
        else:
            children = [self]
        family.series = _ChildSeries(children, created)
        return [family]

    def _layout(self, created: bool) -> Tuple[Slot, ...]:
        """What each value of a child is; the same for every child of this metric."""
        raise NotImplementedError

    def _entry(self, created: bool) -> SeriesEntry:
        """This child's labels, values in layout order, and exemplars (or None)."""
        raise NotImplementedError

    def _child_samples(self) -> Iterable[Sample]:
        """This metric's samples named by suffix, labelled only by their extra label (as the official client)."""
        created = _created_enabled()
        _, values, exemplars = self._entry(created)
        return [
            Sample(suffix, {}, None, None, None, value)  # type: ignore[arg-type]
            if type(value) is NativeHistogram
            else Sample(suffix, {} if extra is None else {extra[0]: extra[1]}, value, None,
                        exemplars[index] if exemplars is not None else None)
            for index, ((suffix, extra), value) in enumerate(zip(self._layout(created), values))
        ]

    def _samples(self) -> Iterable[Sample]:
        """Samples named by suffix: the children's (labels merged in) for a parent, else this metric's own."""
        if self._is_parent():
            return self._multi_samples()
        return self._child_samples()

    def _multi_samples(self) -> Iterable[Sample]:
        with self._lock:
            children = list(self._metrics.items())
        for labelvalues, child in children:
            series_labels = list(zip(self._labelnames, labelvalues))
            for suffix, sample_labels, value, timestamp, exemplar, native_histogram in child._samples():
                yield Sample(suffix, dict(series_labels + list(sample_labels.items())), value, timestamp, exemplar,
                             native_histogram)


_SAMPLE_CHAIN = ("_samples", "_multi_samples", "_child_samples")
_sample_chain_overridden: Dict[type, bool] = {}


def _uses_sample_chain(cls: type) -> bool:
    """Whether ``cls`` (a subclass of ours) overrides a method of the official ``_samples()`` chain."""
    found = _sample_chain_overridden.get(cls)
    if found is None:
        found = False
        for name in _SAMPLE_CHAIN:
            owner = next(klass for klass in cls.__mro__ if name in klass.__dict__)
            if owner.__module__ != __name__:
                found = True
        _sample_chain_overridden[cls] = found
    return found


class _ChildSeries:
    """The series of a family, read from its children as the encoder walks them.

    Entries are made one at a time and dropped once encoded, instead of all
    being held until the scrape ends: on a large registry that spares the
    garbage collector a full pass over the heap on every scrape. Each
    iteration reads the children's values afresh.
    """

    __slots__ = ("_children", "_created")

    def __init__(self, children: List["MetricWrapperBase"], created: bool) -> None:
        self._children = children
        self._created = created

    def __iter__(self) -> Iterator[SeriesEntry]:
        created = self._created
        for child in self._children:
            yield child._entry(created)

    def __len__(self) -> int:
        return len(self._children)


def _warn_in_multiprocess_mode(instance: "MetricWrapperBase") -> None:
    """Info and Enum keep no value files: in multiprocess mode MultiProcessCollector never exports them.

    The official client creates them all the same (an app defining one runs), so this warns, once per
    metric name, instead of refusing.
    """
    directory = multiprocess_dir()
    if directory is not None and instance._name not in _warned_in_multiprocess_mode:
        _warned_in_multiprocess_mode.add(instance._name)
        warnings.warn(
            f"{type(instance).__name__} metric {instance._name!r} is not exported in multiprocess mode "
            f"(PROMETHEUS_MULTIPROC_DIR={directory!r}): MultiProcessCollector reads only counters, gauges, "
            f"summaries and histograms; use a Gauge (multiprocess_mode='mostrecent') to export it",
            UserWarning,
            stacklevel=4,
        )


_warned_in_multiprocess_mode: Set[str] = set()


def _refuse_native_in_multiprocess_mode(name: str) -> None:
    """Native buckets live in this process's memory only: MultiProcessCollector could not merge them."""
    directory = multiprocess_dir()
    value_class = value_class_for_new_metric()
    if directory is not None or getattr(value_class, "_multiprocess", False):
        raise ValueError(
            f"Histogram {name!r}: native histograms are not supported in multiprocess mode "
            f"(PROMETHEUS_MULTIPROC_DIR={directory!r}); use classic buckets (leave out the "
            f"native_histogram_* arguments) for histograms in multiprocess mode"
        )


def _add_to_box(metric: Any, box: Box, amount: float) -> None:
    """Add into the calling thread's cell of a one-number box: only this thread writes it."""
    if box[0] == get_ident():
        box[2] += amount
    else:
        add_elsewhere(metric, box, amount)


class _CellValue:
    """``metric._value`` of a Counter or Gauge whose number lives in per-thread cells.

    The official client's instruments keep a value object there, and libraries
    read it (``metric._value.get()``); this view answers the same calls.
    """

    __slots__ = ("_metric",)

    def __init__(self, metric: Any) -> None:
        self._metric = metric

    def get(self) -> float:
        return box_total(self._metric._cells)  # type: ignore[no-any-return]

    def inc(self, amount: float) -> None:
        _add_to_box(self._metric, self._metric._cells, amount)

    def set(self, value: float, timestamp: Optional[float] = None) -> None:
        self._metric._cells = new_box(value)

    def set_exemplar(self, exemplar: Exemplar) -> None:
        self._metric._exemplar = exemplar

    def get_exemplar(self) -> Optional[Exemplar]:
        return self._metric._exemplar  # type: ignore[no-any-return]


class _Reading:
    """A read-only stand-in for one of the official client's value objects (``get()``, no exemplar)."""

    __slots__ = ("_read",)

    def __init__(self, read: Callable[[], float]) -> None:
        self._read = read

    def get(self) -> float:
        return self._read()

    def get_exemplar(self) -> Optional[Exemplar]:
        return None


class _ValueAttribute:
    """A value attribute of the official client's instruments (``_value``, ``_sum``, ``_buckets``...).

    A non-data descriptor: instruments backed by a value class assign the attribute on the instance,
    which shadows this. Otherwise a child's numbers live in per-thread cells and this gives a view of
    them (:meth:`view`); a parent, which has no numbers, gets a :class:`_MissingLabels`.
    """

    def __get__(self, instance: Any, owner: type) -> Any:
        if instance is None:
            return self
        if instance._cells is None:  # a parent (value-class children hold their own value objects)
            return _MissingLabels(instance)
        return self.view(instance)

    def view(self, instance: Any) -> Any:
        raise NotImplementedError


class _ReadingAttribute(_ValueAttribute):
    """``_count``/``_sum`` of a Summary or Histogram (libraries read ``histogram._sum.get()``)."""

    def __init__(self, read: Callable[[Any], float]) -> None:
        self._read_from = read

    def view(self, instance: Any) -> Any:
        read_from = self._read_from
        return _Reading(lambda: read_from(instance))


class _BucketsAttribute(_ValueAttribute):
    """``Histogram._buckets``: a reading of the non-cumulative count of each bucket."""

    def view(self, instance: Any) -> Any:
        return [
            _Reading(lambda index=index: instance._buckets_and_sum()[0][index])  # type: ignore[misc]
            for index in range(len(instance._upper_bounds))
        ]


class _CellValueAttribute(_ValueAttribute):
    """``_value`` of a Counter or Gauge, as a :class:`_CellValue` view."""

    def view(self, instance: Any) -> Any:
        return _CellValue(instance)


class _MissingLabels:
    """What a parent's value attributes read as (``_value``, ``_sum``...): any update through it raises.

    A parent (a metric with label names) has no numbers of its own; ``c.inc()`` on it must
    say to call ``labels()`` first, as the official client does, with no check on the children's path.
    """

    __slots__ = ("_metric",)

    def __init__(self, metric: "MetricWrapperBase") -> None:
        self._metric = metric

    def _refuse(self, *args: Any, **kwargs: Any) -> Any:
        self._metric._missing_labels()

    inc = set = set_exemplar = get = get_exemplar = _refuse

    def __getitem__(self, index: int) -> "_MissingLabels":
        return self  # Histogram._buckets[index].inc(...)


class Counter(MetricWrapperBase):
    """A number that only goes up (and resets when the process restarts).

    ``c.inc()`` / ``c.inc(2.5)``; ``@c.count_exceptions()`` or
    ``with c.count_exceptions(ValueError):`` counts exceptions raised.
    Exposed as ``<name>_total`` (and ``<name>_created``).
    """

    _type = "counter"
    _value: Any = _CellValueAttribute()
    _exemplar: Optional[Exemplar] = None

    def _metric_init(self) -> None:
        self._created = time.time()
        value_class = value_class_for_new_metric()
        if value_class is None:
            self._cells: Optional[Box] = new_box(0.0)  # 0.0, as the official client's value starts
        else:
            self._cells = None
            self._value = value_class(
                self._type, self._name, self._name + "_total", self._labelnames, self._labelvalues,
                self._documentation,
            )

    def inc(self, amount: float = 1, exemplar: Optional[Dict[str, str]] = None) -> None:
        """Add ``amount`` (default 1; never negative). ``exemplar`` labels link to a trace."""
        if amount < 0:
            self._raise_if_not_observable()  # the official client's first error, on the error path only
            raise ValueError(f"Counters can only be incremented by non-negative amounts. Got {amount!r}")
        box = self._cells
        if box is not None:
            thread = get_ident()
            if box[0] == thread:
                box[2] += amount
            else:
                # Not the owner: this thread's own cell, found here (the common case of threads writing
                # children that one thread made); else add_elsewhere claims the box or makes the cell
                # (no exception on a new child's first write: raising one costs more than the write).
                others = box[1]
                if others is None:
                    add_elsewhere(self, box, amount)
                else:
                    try:
                        others[thread] += amount
                    except KeyError:
                        add_elsewhere(self, box, amount)
            if exemplar is not None:
                self._exemplar = _exemplar_of(exemplar, amount)
        else:
            self._value.inc(amount)
            if exemplar is not None:
                self._value.set_exemplar(_exemplar_of(exemplar, amount))

    def reset(self) -> None:
        """Set the counter back to zero and restart its ``_created`` time."""
        self._raise_if_not_observable()
        if self._cells is not None:
            self._cells = new_box(0)  # the official client's value is the int it was set to, then added to
        else:
            self._value.set(0)
        self._created = time.time()

    def _stored_values(self) -> List[Any]:
        return [] if self._cells is not None else [self._value]

    def _get(self) -> float:
        box = self._cells
        if box is not None:
            return float(box_total(box))
        return float(self._value.get())

    def _get_exemplar(self) -> Optional[Exemplar]:
        if self._cells is not None:
            return self._exemplar
        return self._value.get_exemplar()  # type: ignore[no-any-return]

    def count_exceptions(
        self, exception: Union[Type[BaseException], Tuple[Type[BaseException], ...]] = Exception
    ) -> ExceptionCounter:
        """Count exceptions of ``exception`` type(s) in a ``with`` block or decorated function."""
        self._raise_if_not_observable()
        return ExceptionCounter(self, exception)

    countExceptions = count_exceptions  # noqa: N815 - the original API's name

    def _layout(self, created: bool) -> Tuple[Slot, ...]:
        return _COUNTER_LAYOUT_CREATED if created else _COUNTER_LAYOUT

    def _entry(self, created: bool) -> SeriesEntry:
        exemplar = self._get_exemplar()
        values = [self._get(), self._created] if created else [self._get()]
        if exemplar is None:
            return (self._labelset, values, None)
        return (self._labelset, values, [exemplar, None] if created else [exemplar])


_GAUGE_MULTIPROCESS_MODES = frozenset(
    ("all", "liveall", "min", "livemin", "max", "livemax", "sum", "livesum", "mostrecent", "livemostrecent")
)


class Gauge(MetricWrapperBase):
    """A number that goes up and down: ``set``, ``inc``, ``dec``, ``set_to_current_time``,
    ``track_inprogress()``, ``time()`` and ``set_function``."""

    _type = "gauge"
    _value: Any = _CellValueAttribute()
    _multiprocess_mode: str = shared_setting("_multiprocess_mode")
    _is_most_recent: bool = shared_setting("_is_most_recent")
    _function: Optional[Callable[[], float]] = None
    _MULTIPROC_MODES = _GAUGE_MULTIPROCESS_MODES
    _MOST_RECENT_MODES = frozenset(("mostrecent", "livemostrecent"))

    def __init__(
        self,
        name: str,
        documentation: str,
        labelnames: Iterable[str] = (),
        namespace: str = "",
        subsystem: str = "",
        unit: str = "",
        registry: Optional[CollectorRegistry] = REGISTRY,
        _labelvalues: Optional[Sequence[str]] = None,
        multiprocess_mode: str = "all",
    ) -> None:
        if multiprocess_mode not in self._MULTIPROC_MODES:
            raise ValueError(
                f"Invalid multiprocess mode: {multiprocess_mode} (expected one of {sorted(self._MULTIPROC_MODES)})"
            )
        labelnames = tuple(labelnames)
        if "pid" in labelnames and multiprocess_mode in ("all", "liveall") and multiprocess_dir():
            raise ValueError(
                f"Gauge {name!r}: the label name 'pid' clashes with the pid label that multiprocess "
                f"mode {multiprocess_mode!r} adds; rename the label or choose another multiprocess_mode"
            )
        self._multiprocess_mode = multiprocess_mode
        super().__init__(
            name=name, documentation=documentation, labelnames=labelnames, namespace=namespace,
            subsystem=subsystem, unit=unit, registry=registry, _labelvalues=_labelvalues,
        )
        self._kwargs["multiprocess_mode"] = multiprocess_mode
        self._is_most_recent = multiprocess_mode in self._MOST_RECENT_MODES

    def _metric_init(self) -> None:
        value_class = value_class_for_new_metric()
        if value_class is None:
            self._cells: Optional[Box] = new_box(0.0)
        else:
            self._cells = None
            self._value = value_class(
                self._type, self._name, self._name, self._labelnames, self._labelvalues,
                self._documentation, multiprocess_mode=self._multiprocess_mode,
            )

    def inc(self, amount: float = 1) -> None:
        """Add ``amount`` (default 1)."""
        box = self._cells
        if box is not None:
            thread = get_ident()
            if box[0] == thread:
                box[2] += amount
            else:
                # Not the owner: this thread's own cell, found here (the common case of threads writing
                # children that one thread made); else add_elsewhere claims the box or makes the cell
                # (no exception on a new child's first write: raising one costs more than the write).
                others = box[1]
                if others is None:
                    add_elsewhere(self, box, amount)
                else:
                    try:
                        others[thread] += amount
                    except KeyError:
                        add_elsewhere(self, box, amount)
        else:
            self._value.inc(amount)

    def dec(self, amount: float = 1) -> None:
        """Subtract ``amount`` (default 1)."""
        box = self._cells
        if box is not None:
            thread = get_ident()
            if box[0] == thread:
                box[2] -= amount
            else:
                others = box[1]
                if others is None:
                    add_elsewhere(self, box, -amount)
                else:
                    try:
                        others[thread] -= amount
                    except KeyError:
                        add_elsewhere(self, box, -amount)
        else:
            self._value.inc(-amount)

    def set(self, value: float) -> None:
        """Set the gauge to ``value``."""
        box = self._cells
        if box is not None:
            # A new box in one store drops every thread's cell. Its owner stays, so that its next update
            # stays in place (checking that the caller is the owner would cost a third of the call): if the
            # owner has ended and was folded just before, the box stays owned by an ended thread, and
            # writers keep cells of their own in it (slower, nothing lost).
            self._cells = [box[0], None, float(value)]
        elif self._is_most_recent:
            self._value.set(float(value), timestamp=time.time())
        else:
            self._value.set(float(value))

    def dev(self, amount: float = 1) -> None:
        """Deprecated: the first README's spelling of :meth:`dec`; kept so code copied from it runs."""
        self._raise_if_not_observable()
        warnings.warn("Gauge.dev() is a misspelling of Gauge.dec(); use dec()", DeprecationWarning, stacklevel=2)
        self.dec(amount)

    def set_to_current_time(self) -> None:
        """Set the gauge to the current Unix time in seconds."""
        self._raise_if_not_observable()
        self.set(time.time())

    def setToCurrentTime(self, *legacy_args: Any, **legacy_kwargs: Any) -> None:  # noqa: N802
        """The original API's name for :meth:`set_to_current_time`; extra arguments are ignored."""
        self._raise_if_not_observable()
        self.set(time.time())

    def track_inprogress(self) -> InprogressTracker:
        """Count work in progress: +1 on entering a block or decorated function, -1 on leaving."""
        self._raise_if_not_observable()
        return InprogressTracker(self)

    trackInprogress = track_inprogress  # noqa: N815 - the original API's name

    def time(self) -> Timer:
        """Set the gauge to the duration, in seconds, of a block or decorated function."""
        return Timer(self, "set")

    def set_function(self, f: Callable[[], float]) -> None:
        """Read the gauge's value by calling ``f()`` at scrape time; other updates are then moot."""
        self._raise_if_not_observable()
        if not callable(f):
            raise TypeError(f"set_function needs a callable, got {f!r}")
        if self._cells is None and getattr(self._value, "_multiprocess", False):
            raise ValueError(
                f"Gauge {self._name!r}: set_function is not supported in multiprocess mode "
                "(the collecting process cannot call a function living in a worker); set the value instead"
            )
        self._function = f

    def _stored_values(self) -> List[Any]:
        return [] if self._cells is not None else [self._value]

    def _get(self) -> float:
        function = self._function
        if function is not None:
            return float(function())
        box = self._cells
        if box is not None:
            return float(box_total(box))
        return float(self._value.get())

    def _layout(self, created: bool) -> Tuple[Slot, ...]:
        return _GAUGE_LAYOUT

    def _entry(self, created: bool) -> SeriesEntry:
        return (self._labelset, [self._get()], None)


def _new_summary_cell() -> Box:
    return new_boxes([0, 0.0])  # count, sum


class Summary(MetricWrapperBase):
    """Tracks the count and sum of observations: ``observe(v)``, ``time()``.

    With ``objectives`` (quantile -> allowed rank error, as client_golang) it also reports those
    quantiles over the last ``max_age`` seconds, rotated through ``age_buckets`` slices; see
    :mod:`prometheus_client._quantiles`. Without them it is the official client's Summary.
    """

    _type = "summary"
    _count: Any = _ReadingAttribute(lambda summary: summary._count_and_sum()[0])
    _sum: Any = _ReadingAttribute(lambda summary: summary._count_and_sum()[1])
    _reserved_labelnames = ("quantile",)
    _quantile_settings: Optional[QuantileSettings] = shared_setting("_quantile_settings")  # None: no objectives
    _quantile_layouts: Tuple[Tuple[Slot, ...], Tuple[Slot, ...]] = shared_setting("_quantile_layouts")
    _window: Optional[SlidingQuantiles] = None  # a child's quantile estimator (with objectives only)

    def __init__(
        self,
        name: str,
        documentation: str,
        labelnames: Iterable[str] = (),
        namespace: str = "",
        subsystem: str = "",
        unit: str = "",
        registry: Optional[CollectorRegistry] = REGISTRY,
        _labelvalues: Optional[Sequence[str]] = None,
        *,
        objectives: Optional[Mapping[float, float]] = None,
        max_age: float = 600.0,
        age_buckets: int = 5,
    ) -> None:
        if objectives is not None and not (isinstance(objectives, Mapping) and not objectives):
            # An empty mapping means no quantiles, as in client_golang.
            settings = QuantileSettings.from_arguments(objectives, max_age, age_buckets)
            if value_class_for_new_metric() is not None:
                raise ValueError(
                    f"Summary {name!r} with objectives cannot be used in multiprocess mode "
                    f"(PROMETHEUS_MULTIPROC_DIR={multiprocess_dir()!r}): quantile sketches cannot be merged "
                    "across processes; use a Histogram and histogram_quantile() instead"
                )
            self._quantile_settings = settings
            quantile_slots = tuple(("", ("quantile", floatToGoString(q))) for q, _ in settings.objectives)
            self._quantile_layouts = (quantile_slots + _SUMMARY_LAYOUT, quantile_slots + _SUMMARY_LAYOUT_CREATED)
        super().__init__(
            name=name, documentation=documentation, labelnames=labelnames, namespace=namespace,
            subsystem=subsystem, unit=unit, registry=registry, _labelvalues=_labelvalues,
        )
        if self._quantile_settings is not None:
            self._kwargs.update(objectives=objectives, max_age=max_age, age_buckets=age_buckets)

    def _metric_init(self) -> None:
        self._created = time.time()
        value_class = value_class_for_new_metric()
        if self._quantile_settings is not None:
            # Per-thread [buffered observations, slice deadline, slice] cells, taken in by the window
            # (a dict thread id -> cell, not a box: each thread's buffer is its own).
            self._cells: Any = {}
            self._window = SlidingQuantiles(self._quantile_settings, self._quantile_clock)
            self._clock = self._quantile_clock
        elif value_class is None:
            self._cells = _new_summary_cell()
        else:
            self._cells = None
            self._count = value_class(
                self._type, self._name, self._name + "_count", self._labelnames, self._labelvalues, self._documentation
            )
            self._sum = value_class(
                self._type, self._name, self._name + "_sum", self._labelnames, self._labelvalues, self._documentation
            )

    # The window's clock; tests of the instrument may replace it before children are made.
    _quantile_clock = staticmethod(time.monotonic)

    def observe(self, amount: float) -> None:
        """Record one observation (for durations: seconds)."""
        cells = self._cells
        if cells is not None:
            if self._window is not None:
                self._observe_with_quantiles(cells, amount)
                return
            thread = get_ident()
            if cells[0] == thread:
                cell = cells
            else:
                others = cells[1]
                cell = others.get(thread) if others is not None else None
                if cell is None:
                    cell = cell_elsewhere(self, cells, _new_summary_cell)
            cell[2] += 1
            cell[3] += amount
        else:
            self._count.inc(1)
            self._sum.inc(amount)

    def _observe_with_quantiles(self, cells: Dict[int, List[Any]], amount: float) -> None:
        thread = get_ident()
        try:
            cell = cells[thread]
        except KeyError:
            cell = cells[thread] = self._window.open_cell()  # type: ignore[union-attr]
            note_thread_cell(self)
        # Only this thread appends to its buffer; a full one, or one of a past slice, is taken in first.
        # Count and sum are the window's: they grow as buffers are taken in.
        buffer = cell[0]
        if self._clock() >= cell[1] or len(buffer) >= FLUSH_AT:
            self._window.flush(cell)  # type: ignore[union-attr]
            buffer = cell[0]
        buffer.append(amount)

    def time(self) -> Timer:
        """Observe the duration, in seconds, of a block or decorated function."""
        return Timer(self, "observe")

    def _stored_values(self) -> List[Any]:
        return [] if self._cells is not None else [self._count, self._sum]

    def _count_and_sum(self) -> Tuple[float, float]:
        cells = self._cells
        if self._window is not None:  # with objectives (the child's own attribute: no property to call)
            _, observed, observed_sum = self._window.snapshot(list(cells.copy().values()))  # type: ignore[union-attr]
            return float(observed), observed_sum
        if cells is None:
            return float(self._count.get()), float(self._sum.get())
        count, total = column_sums(cells)
        return float(count), total

    def _fold_thread_cell(self, thread: int) -> None:
        if self._quantile_settings is None:
            super()._fold_thread_cell(thread)
            return
        cells = self._cells
        cell = cells.get(thread) if cells else None
        if cell is not None:
            # The ended thread's observations go to their slice, its count and sum to the window's.
            self._window.flush(cell)  # type: ignore[union-attr]
            cells.pop(thread, None)  # type: ignore[union-attr]

    def _layout(self, created: bool) -> Tuple[Slot, ...]:
        if self._quantile_settings is not None:
            return self._quantile_layouts[1 if created else 0]
        return _SUMMARY_LAYOUT_CREATED if created else _SUMMARY_LAYOUT

    def _entry(self, created: bool) -> SeriesEntry:
        values: List[float]
        if self._window is not None:
            values, count, total = self._window.snapshot(list(self._cells.copy().values()))  # type: ignore[union-attr]
            values.append(float(count))
            values.append(total)
        else:
            values = list(self._count_and_sum())
        if created:
            values.append(self._created)
        return (self._labelset, values, None)


class Histogram(MetricWrapperBase):
    """Counts observations into cumulative buckets (``le``), with their count and sum.

    ``buckets`` must be sorted; ``+Inf`` is appended when missing.

    Any ``native_histogram_*`` argument adds native (exponential) buckets, exposed as one
    sample per child named as the histogram; ``buckets=()`` then keeps no classic buckets.
    See :mod:`prometheus_client._native_histogram` for the model, and the docs for the
    defaults. Not available in multiprocess mode.
    """

    _type = "histogram"
    _buckets: Any = _BucketsAttribute()
    _sum: Any = _ReadingAttribute(lambda histogram: histogram._buckets_and_sum()[1])
    _reserved_labelnames = ("le",)
    # One exemplar per bucket, made on the first observation that brings one.
    _bucket_exemplars: Optional[List[Optional[Exemplar]]] = None
    # The native buckets' settings (None: classic only), and a child's native buckets.
    _native_settings: Optional[NativeHistogramSettings] = shared_setting("_native_settings")
    _native: Optional[NativeBuckets] = None
    # Derived from the bucket bounds, shared by the family (and by every histogram with these bounds).
    _upper_bounds: List[float] = shared_setting("_upper_bounds")
    _le_labels: Tuple[Tuple[str, str], ...] = shared_setting("_le_labels")
    _bucket_slots: Tuple[Slot, ...] = shared_setting("_bucket_slots")
    _no_exemplars: Tuple[None, ...] = shared_setting("_no_exemplars")
    DEFAULT_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0, INF)

    def __init__(
        self,
        name: str,
        documentation: str,
        labelnames: Iterable[str] = (),
        namespace: str = "",
        subsystem: str = "",
        unit: str = "",
        registry: Optional[CollectorRegistry] = REGISTRY,
        _labelvalues: Optional[Sequence[str]] = None,
        buckets: Sequence[Union[float, str]] = DEFAULT_BUCKETS,
        *,
        native_histogram_bucket_factor: Optional[float] = None,
        native_histogram_zero_threshold: Optional[float] = None,
        native_histogram_max_bucket_number: Optional[int] = None,
        native_histogram_min_reset_duration: Optional[float] = None,
        native_histogram_max_zero_threshold: Optional[float] = None,
    ) -> None:
        native = NativeHistogramSettings.from_arguments(
            native_histogram_bucket_factor, native_histogram_zero_threshold, native_histogram_max_bucket_number,
            native_histogram_min_reset_duration, native_histogram_max_zero_threshold,
        )
        if native is not None:
            _refuse_native_in_multiprocess_mode(name)
            self._native_settings = native
        if native is not None and not isinstance(buckets, str) and len(buckets) == 0:
            self._prepare_no_buckets()
        else:
            self._prepare_buckets(buckets)
        super().__init__(
            name=name, documentation=documentation, labelnames=labelnames, namespace=namespace,
            subsystem=subsystem, unit=unit, registry=registry, _labelvalues=_labelvalues,
        )
        self._kwargs["buckets"] = buckets
        if native is not None:
            self._kwargs.update(
                native_histogram_bucket_factor=native_histogram_bucket_factor,
                native_histogram_zero_threshold=native_histogram_zero_threshold,
                native_histogram_max_bucket_number=native_histogram_max_bucket_number,
                native_histogram_min_reset_duration=native_histogram_min_reset_duration,
                native_histogram_max_zero_threshold=native_histogram_max_zero_threshold,
            )

    def _prepare_buckets(self, source_buckets: Sequence[Union[float, str]]) -> None:
        if isinstance(source_buckets, str):
            raise TypeError(f"Histogram buckets must be a sequence of numbers, not the string {source_buckets!r}")
        buckets = [float(b) for b in source_buckets]  # float()'s own errors, as the official client
        if any(b != b for b in buckets):
            raise ValueError(f"Histogram buckets must not contain NaN: {list(source_buckets)!r}")
        if buckets != sorted(buckets):
            raise ValueError(f"Buckets not in sorted order: {list(source_buckets)!r}")
        if len(buckets) != len(set(buckets)):
            raise ValueError(f"Histogram buckets contain duplicates: {list(source_buckets)!r}")
        if not buckets or buckets[-1] != INF:
            buckets.append(INF)
        if len(buckets) < 2:
            raise ValueError("Must have at least two buckets (one besides +Inf)")
        # Every histogram with these bounds (all children of one, and most histograms of an
        # application) shares one read-only copy of what is derived from them.
        key = tuple(buckets)
        shared = _SHARED_BUCKETS.get(key)
        if shared is None:
            le_labels = tuple(("le", floatToGoString(b)) for b in buckets)
            shared = _SHARED_BUCKETS.setdefault(
                key, (buckets, le_labels, tuple(("_bucket", le) for le in le_labels), (None,) * len(buckets))
            )
        self._upper_bounds = shared[0]
        self._le_labels = shared[1]
        self._bucket_slots = shared[2]
        self._no_exemplars = shared[3]

    def _prepare_no_buckets(self) -> None:
        """Native buckets only (``buckets=()``): no classic bucket, count or sum samples."""
        self._upper_bounds = []
        self._le_labels = ()
        self._bucket_slots = ()
        self._no_exemplars = ()

    def _metric_init(self) -> None:
        self._created = time.time()
        if self._native_settings is not None:
            self._native = NativeBuckets(self._native_settings, self, self._on_native_reset)
        value_class = value_class_for_new_metric()
        if value_class is None:
            # Non-cumulative bucket counts followed by the sum.
            self._cells: Optional[Box] = self._new_cell()
        else:
            self._cells = None
            self._buckets = [
                value_class(
                    self._type, self._name, self._name + "_bucket", self._labelnames + ("le",),
                    self._labelvalues + (le,), self._documentation,
                )
                for _, le in self._le_labels
            ]
            self._sum = value_class(
                self._type, self._name, self._name + "_sum", self._labelnames, self._labelvalues, self._documentation
            )

    def observe(self, amount: float, exemplar: Optional[Dict[str, str]] = None) -> None:
        """Record one observation (for durations: seconds); ``exemplar`` labels link to a trace."""
        # The settings are read from the family directly: the property would cost a sixth of the call.
        bounds = self._family._upper_bounds
        native = self._native
        if native is not None:
            native.observe(amount)
            if not bounds:
                if exemplar is not None:
                    native.exemplar = _exemplar_of(exemplar, amount)
                return
        # NaN compares false with every bound; it belongs in +Inf, not the first bucket.
        index = bisect_left(bounds, amount) if amount == amount else len(bounds) - 1
        box = self._cells
        if box is not None:
            thread = get_ident()
            cell: Optional[Box]
            if box[0] == thread:
                cell = box
            else:
                # Another thread owns the box: this thread's own cell (see Counter.inc).
                others = box[1]
                cell = others.get(thread) if others is not None else None
                if cell is None:
                    cell = cell_elsewhere(self, box, self._new_cell)
            cell[index + 2] += 1
            cell[-1] += amount
            if exemplar is not None:
                exemplars = self._bucket_exemplars
                if exemplars is None:
                    exemplars = self._bucket_exemplars = [None] * len(self._upper_bounds)
                made = exemplars[index] = _exemplar_of(exemplar, amount)
                if native is not None:
                    native.exemplar = made  # The native sample carries the latest exemplar too.
        else:
            self._sum.inc(amount)
            self._buckets[index].inc(1)
            if exemplar is not None:
                self._buckets[index].set_exemplar(_exemplar_of(exemplar, amount))

    def time(self) -> Timer:
        """Observe the duration, in seconds, of a block or decorated function."""
        return Timer(self, "observe")

    def _new_cell(self) -> Box:
        return new_boxes([0.0] * (len(self._upper_bounds) + 1))

    def _on_native_reset(self) -> None:
        """The native buckets were reset (over budget, see NativeBuckets): the classic ones start over too."""
        if self._cells is not None:
            self._cells = self._new_cell()  # A new box: an observation racing with this lands before the reset.
        self._created = time.time()

    def _fold_thread_cell(self, thread: int) -> None:
        super()._fold_thread_cell(thread)
        native = self._native
        if native is not None:
            native.fold_thread(thread)

    def _stored_values(self) -> List[Any]:
        return [] if self._cells is not None else [*self._buckets, self._sum]

    def _buckets_and_sum(self) -> Tuple[List[float], float, Sequence[Optional[Exemplar]]]:
        native = self._native
        if native is not None and not self._upper_bounds:
            return [], native.snapshot().sum_value, ()
        cells_by_thread = self._cells
        if cells_by_thread is None:
            counts = [float(v.get()) for v in self._buckets]
            exemplars = [v.get_exemplar() for v in self._buckets]
            return counts, float(self._sum.get()), exemplars
        # Column sums over the threads' cells; the last column is the sum of observations.
        columns = column_sums(cells_by_thread)
        return columns[:-1], columns[-1], self._bucket_exemplars or self._family._no_exemplars

    def _layout(self, created: bool) -> Tuple[Slot, ...]:
        if self._native_settings is not None:
            # The native sample first, named as the family; then the classic samples, if kept.
            if not self._upper_bounds:
                return _NATIVE_LAYOUT
            return _NATIVE_LAYOUT + self._classic_layout(created)
        return self._classic_layout(created)

    def _classic_layout(self, created: bool) -> Tuple[Slot, ...]:
        if self._upper_bounds[0] < 0:
            # With negative buckets the sum can go down, which Prometheus does not expect of a _sum:
            # the official client leaves it out.
            return self._bucket_slots + (_COUNT_CREATED_LAYOUT if created else _COUNT_LAYOUT)
        return self._bucket_slots + (_SUMMARY_LAYOUT_CREATED if created else _SUMMARY_LAYOUT)

    def _entry(self, created: bool) -> SeriesEntry:
        native = self._native
        if native is None:
            return self._classic_entry(created)
        # The values list carries the NativeHistogram itself in the native slot (see metrics_core).
        native_value: Any = native.sample_value()
        if not self._upper_bounds:
            return (self._labelset, [native_value], None)
        labels, values, exemplars = self._classic_entry(created)
        values.insert(0, native_value)
        if exemplars is not None:
            exemplars.insert(0, None)
        return (labels, values, exemplars)

    def _classic_entry(self, created: bool) -> SeriesEntry:
        counts, total, exemplars = self._buckets_and_sum()
        values = list(accumulate(counts))
        values.append(values[-1])
        if self._family._upper_bounds[0] >= 0:
            values.append(total)
        if created:
            values.append(self._created)
        if not any(exemplars):
            return (self._labelset, values, None)
        padded: List[Optional[Exemplar]] = list(exemplars)
        padded.extend([None] * (len(values) - len(padded)))
        return (self._labelset, values, padded)


class Info(MetricWrapperBase):
    """Constant key-value information, exposed as ``<name>_info{...} 1``: ``info({'version': '1.2'})``."""

    _type = "info"

    def _metric_init(self) -> None:
        _warn_in_multiprocess_mode(self)
        self._labelname_set = set(self._labelnames)
        self._info_labels: Mapping[str, str] = self._labelset
        self._value: Dict[str, str] = {}

    def info(self, val: Dict[str, str]) -> None:
        """Replace the information with the ``val`` mapping of str to str."""
        self._raise_if_not_observable()
        if self._labelname_set.intersection(val.keys()):
            raise ValueError(f"Overlapping labels for Info metric, metric: {self._labelnames} child: {val}")
        for key, value in val.items():
            if value is None:
                raise ValueError(f"Label value cannot be None (Info {self._name!r}, key {key!r})")
            if not isinstance(value, str):
                raise ValueError(f"Info {self._name!r}: value of {key!r} must be a str, got {value!r}")
        merged = dict(self._labelset)
        merged.update(val)
        self._info_labels = LabelSet(merged)
        self._value = dict(val)  # the official client's attribute: the last mapping set

    def _layout(self, created: bool) -> Tuple[Slot, ...]:
        return _INFO_LAYOUT

    def _entry(self, created: bool) -> SeriesEntry:
        return (self._info_labels, [1.0], None)


class Enum(MetricWrapperBase):
    """Which one of a fixed set of states holds: ``Enum('state', 'help', states=['a', 'b'])``."""

    _type = "stateset"
    _states: List[str] = shared_setting("_states")

    def __init__(
        self,
        name: str,
        documentation: str,
        labelnames: Sequence[str] = (),
        namespace: str = "",
        subsystem: str = "",
        unit: str = "",
        registry: Optional[CollectorRegistry] = REGISTRY,
        _labelvalues: Optional[Sequence[str]] = None,
        states: Optional[Sequence[str]] = None,
    ) -> None:
        full_name = _build_full_name(self._type, name, namespace, subsystem, unit)
        if name in labelnames or full_name in labelnames:  # the full name too: the state label is named so
            raise ValueError(f"Overlapping labels for Enum metric: {name}")
        if not states:
            raise ValueError(f"No states provided for Enum metric: {name}")
        states = [str(state) for state in states]
        if len(set(states)) != len(states):
            raise ValueError(f"Enum {full_name!r}: duplicate states in {states!r}")
        self._states = states
        super().__init__(
            name=name, documentation=documentation, labelnames=labelnames, namespace=namespace,
            subsystem=subsystem, unit=unit, registry=registry, _labelvalues=_labelvalues,
        )
        self._kwargs["states"] = self._states

    def _metric_init(self) -> None:
        _warn_in_multiprocess_mode(self)
        self._value = 0

    def state(self, state: str) -> None:
        """Make ``state`` the one that holds."""
        self._raise_if_not_observable()
        try:
            self._value = self._states.index(state)
        except ValueError:
            raise ValueError(
                f"{state!r} is not in list (Enum {self._name!r} has states {self._states!r})"
            ) from None

    def _layout(self, created: bool) -> Tuple[Slot, ...]:
        return tuple(("", (self._name, state)) for state in self._states)

    def _entry(self, created: bool) -> SeriesEntry:
        current = self._value
        return (self._labelset, [1 if i == current else 0 for i in range(len(self._states))], None)


# Instruments whose __init__ is one of these build children from a copy of the parent's settings.
_OWN_INITS = frozenset(
    (MetricWrapperBase.__init__, Gauge.__init__, Summary.__init__, Histogram.__init__, Enum.__init__)
)
# What a parent stores that its children must not copy (everything else is its _family, and anything
# a subclass stored on it).
_PARENT_ONLY = frozenset(("_metrics", "_cells"))


def _child_maker(
    cls: type, settings: Dict[str, Any], parent_only: AbstractSet[str]
) -> Callable[[Tuple[str, ...]], Any]:
    """A function making a child of ``cls`` with the parent's ``settings`` and the given label values.

    The attributes are stored one by one by generated code (as dataclasses generate ``__init__``), not
    copied into the child's ``__dict__``: CPython then keeps them in the instance's compact shared-key
    values, with no dict object per child (a third of the memory, and less for the collector to scan).
    """
    names = [name for name in settings if name not in parent_only and name != "_labelvalues"]
    values = [settings[name] for name in names]
    if not all(name.isidentifier() for name in names):  # set by a subclass through setattr(): rare

        def make_by_setattr(key: Tuple[str, ...]) -> Any:
            child: Any = object.__new__(cls)
            for name, value in zip(names, values):
                setattr(child, name, value)
            child._labelvalues = key
            return child

        return make_by_setattr
    parameters = "".join(f", v{index}=v{index}" for index in range(len(names)))
    body = "".join(f"    child.{name} = v{index}\n" for index, name in enumerate(names))
    source = (
        f"def make(key, _new=_new, _cls=_cls{parameters}):\n    child = _new(_cls)\n{body}"
        "    child._labelvalues = key\n    return child\n"
    )
    namespace: Dict[str, Any] = {"_new": object.__new__, "_cls": cls}
    namespace.update((f"v{index}", value) for index, value in enumerate(values))
    exec(compile(source, f"<child maker of {cls.__qualname__}>", "exec"), namespace)  # noqa: S102
    return namespace["make"]  # type: ignore[no-any-return]
