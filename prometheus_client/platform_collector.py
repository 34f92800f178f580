"""``python_info``: which Python runs this process (version and implementation)."""

from __future__ import annotations

import platform as pf
from typing import Any, Dict, Iterable, Optional

from .metrics_core import GaugeMetricFamily, Metric
from .registry import REGISTRY, Collector, CollectorRegistry


class PlatformCollector(Collector):
    """Collects ``python_info`` (and ``jvm_info`` details on Jython) as a gauge of value 1.

    ``platform`` replaces the stdlib :mod:`platform` module, so tests can pretend to be another Python.
    """

    def __init__(self, registry: Optional[CollectorRegistry] = REGISTRY, platform: Optional[Any] = None) -> None:
        self._platform = pf if platform is None else platform
        # The platform never changes while we run: describe it once.
        info = self._info()
        system = self._platform.system()
        if system == "Java":
            info.update(self._java())
        self._metrics = [self._add_metric("python_info", "Python platform information", info)]
        if registry:
            registry.register(self)

    def collect(self) -> Iterable[Metric]:
        return self._metrics

    @staticmethod
    def _add_metric(name: str, documentation: str, data: Dict[str, str]) -> GaugeMetricFamily:
        labels = sorted(data)
        family = GaugeMetricFamily(name, documentation, labels=labels)
        family.add_metric([data[label] for label in labels], 1)
        return family

    def _info(self) -> Dict[str, str]:
        major, minor, patchlevel = self._platform.python_version_tuple()
        return {
            "version": self._platform.python_version(),
            "implementation": self._platform.python_implementation(),
            "major": major,
            "minor": minor,
            "patchlevel": patchlevel,
        }

    def _java(self) -> Dict[str, str]:
        java_version, _, vminfo, osinfo = self._platform.java_ver()
        vm_name, vm_release, vm_vendor = vminfo
        return {
            "jvm_version": java_version,
            "jvm_release": vm_release,
            "jvm_vendor": vm_vendor,
            "jvm_name": vm_name,
        }


PLATFORM_COLLECTOR = PlatformCollector()
"""The collector registered on the default registry at import."""
