"""The registry: gathers metric families from every registered collector."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Dict, Iterable, List, Optional, Set

from ._forksafe import ForkSafeLock
from .metrics_core import Metric

# Sample-name suffixes each family type may produce, for duplicate detection and restriction.
# The family's own name is always claimed too (so Counter('x') and Gauge('x') clash), as officially.
_TYPE_SUFFIXES: Dict[str, tuple] = {
    "counter": ("_total", "_created"),
    "summary": ("_sum", "_count", "_created"),
    "histogram": ("_bucket", "_sum", "_count", "_created"),
    "gaugehistogram": ("_bucket", "_gsum", "_gcount"),
    "info": ("_info",),
}


class Collector(ABC):
    """Anything with ``collect()`` yielding metric families can be registered.

    ``describe()`` is optional: when present it returns the families (samples
    may be empty) so the registry can detect clashing names without collecting.
    """

    @abstractmethod
    def collect(self) -> Iterable[Metric]:
        pass

    @classmethod
    def __subclasshook__(cls, other: type) -> bool:
        if cls is Collector:
            return callable(getattr(other, "collect", None))
        return NotImplemented


class DuplicateTimeseries(ValueError):
    """Registering a collector would make two collectors export the same sample name."""

    def __init__(self, duplicates: Set[str], new: object = None, existing: Iterable[object] = ()) -> None:
        self.duplicates = set(duplicates)
        owners = ", ".join(sorted({repr(o) for o in existing}))
        # The official text shows the set; sorted here so that the message is stable.
        shown = "{" + ", ".join(repr(name) for name in sorted(self.duplicates)) + "}"
        message = f"Duplicated timeseries in CollectorRegistry: {shown}"
        if new is not None:
            message += f"; {new!r} clashes with {owners or 'an existing collector'}"
        super().__init__(message)


def _family_sample_names(family: Metric) -> List[str]:
    names = [family.name]
    names.extend(family.name + suffix for suffix in _TYPE_SUFFIXES.get(family.type, ()))
    return names


class CollectorRegistry(Collector):
    """Holds collectors; ``collect()`` yields the families of all of them.

    ``auto_describe=True`` calls ``collect()`` to learn the names of collectors
    that have no ``describe()``. ``target_info`` adds a ``target_info`` family.
    """

    def __init__(
        self,
        auto_describe: bool = False,
        target_info: Optional[Dict[str, str]] = None,
        support_collectors_without_names: bool = False,
    ) -> None:
        self._collector_to_names: Dict[object, List[str]] = {}
        self._names_to_collectors: Dict[str, object] = {}
        self._auto_describe = auto_describe
        self._support_collectors_without_names = support_collectors_without_names
        self._lock = ForkSafeLock()
        self._target_info: Optional[Dict[str, str]] = None
        self.set_target_info(target_info)

    def register(self, collector: object) -> None:
        """Add a collector; raises :class:`DuplicateTimeseries` if its names are taken."""
        if not callable(getattr(collector, "collect", None)):
            raise TypeError(f"Cannot register {collector!r}: it has no collect() method")
        with self._lock:
            names = self._get_names(collector)
            # A collector registered twice clashes with itself on its names, as officially;
            # one without names can be registered again (it stays listed once).
            duplicates = set(self._names_to_collectors).intersection(names)
            if duplicates:
                owners = [self._names_to_collectors[name] for name in duplicates]
                raise DuplicateTimeseries(duplicates, collector, owners)
            for name in names:
                self._names_to_collectors[name] = collector
            self._collector_to_names[collector] = names

    def unregister(self, collector: object) -> None:
        """Remove a collector; raises KeyError if it was not registered."""
        with self._lock:
            try:
                names = self._collector_to_names.pop(collector)
            except KeyError:
                # As officially: the key is the collector itself.
                raise KeyError(collector) from None
            for name in names:
                self._names_to_collectors.pop(name, None)

    def collectors(self) -> List[object]:
        """The registered collectors, in registration order (not the official client's API)."""
        with self._lock:
            return list(self._collector_to_names)

    def clear(self) -> None:
        """Unregister every collector (not the official client's API; for tests and reloads)."""
        with self._lock:
            self._collector_to_names.clear()
            self._names_to_collectors.clear()

    def _get_names(self, collector: object) -> List[str]:
        describe = getattr(collector, "describe", None)
        if describe is None and self._auto_describe:
            describe = collector.collect  # type: ignore[attr-defined]
        if describe is None:
            return []
        names: List[str] = []
        for family in describe():
            names.extend(_family_sample_names(family))
        return names

    def collect(self) -> Iterable[Metric]:
        """Yield the metric families of every registered collector."""
        with self._lock:
            collectors = list(self._collector_to_names)
            target_info = self._target_info
        if target_info:
            yield self._target_info_metric()
        for collector in collectors:
            yield from collector.collect()  # type: ignore[attr-defined]

    def restricted_registry(self, names: Iterable[str]) -> "RestrictedRegistry":
        """A view that collects only the given sample names (as ``?name[]=`` asks)."""
        return RestrictedRegistry(names, self)

    def set_target_info(self, labels: Optional[Dict[str, str]]) -> None:
        """Set (or, with None, remove) the ``target_info`` labels of this registry."""
        with self._lock:
            if labels:
                if not self._target_info and "target_info" in self._names_to_collectors:
                    raise ValueError("CollectorRegistry already contains a target_info metric")
                self._names_to_collectors["target_info"] = _TARGET_INFO_OWNER
            elif self._target_info:
                self._names_to_collectors.pop("target_info", None)
            # A copy; None and {} are told apart, as officially (both mean "no target_info").
            self._target_info = dict(labels) if labels is not None else None

    def get_target_info(self) -> Optional[Dict[str, str]]:
        with self._lock:
            return dict(self._target_info) if self._target_info is not None else None

    def _target_info_metric(self) -> Metric:
        metric = Metric("target", "Target metadata", "info")
        metric.add_sample("target_info", dict(self._target_info or {}), 1)
        return metric

    def get_sample_value(self, name: str, labels: Optional[Dict[str, str]] = None) -> Optional[float]:
        """The value of one sample by full name and labels, or None (for unit tests)."""
        if labels is None:
            labels = {}
        for family in self.collect():
            for sample in family.samples:
                if sample.name == name and sample.labels == labels:
                    return sample.value
        return None


class _TargetInfoOwner:
    def __repr__(self) -> str:
        return "<target_info of the registry>"


_TARGET_INFO_OWNER = _TargetInfoOwner()


class RestrictedRegistry(Collector):
    """Collects only the families holding one of the named samples."""

    def __init__(self, names: Iterable[str], registry: CollectorRegistry) -> None:
        self._name_set = frozenset(names)
        self._registry = registry

    def collect(self) -> Iterable[Metric]:
        target_info_metric = None
        registry = self._registry
        with registry._lock:
            if "target_info" in self._name_set and registry._target_info:
                target_info_metric = registry._target_info_metric()
            wanted = {registry._names_to_collectors.get(name) for name in self._name_set}
            # Collectors without names are asked too (then filtered by sample name) only when the registry
            # was made with support_collectors_without_names=True, as officially; otherwise they are left out.
            nameless = registry._support_collectors_without_names
            collectors = [
                collector
                for collector, names in registry._collector_to_names.items()
                if collector in wanted or (nameless and not names)
            ]
        if target_info_metric:
            yield target_info_metric
        for collector in collectors:
            for family in collector.collect():  # type: ignore[attr-defined]
                restricted = family._restricted_metric(self._name_set)
                if restricted is not None:
                    yield restricted


REGISTRY = CollectorRegistry(auto_describe=True)
