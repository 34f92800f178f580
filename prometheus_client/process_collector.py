"""Process metrics (CPU, memory, file descriptors, start time) in the standard ``process_*`` names.

On Linux they come from ``/proc``, as every Prometheus client reports them;
elsewhere the stdlib ``resource`` module gives CPU time and the file
descriptor limit. A missing or unreadable file only drops the metrics it
would have given: a scrape never fails because of this collector.
"""

from __future__ import annotations

import os
from typing import Callable, Dict, Iterable, List, Optional, Union

from .metrics_core import CounterMetricFamily, GaugeMetricFamily, Metric
from .registry import REGISTRY, Collector, CollectorRegistry

try:
    import resource

    _PAGESIZE = resource.getpagesize()
except ImportError:  # pragma: no cover - Windows has no resource module
    resource = None  # type: ignore[assignment]
    _PAGESIZE = 4096


def _clock_ticks() -> int:
    try:
        return int(os.sysconf("SC_CLK_TCK"))
    except (ValueError, OSError, AttributeError):
        return 100  # The Linux default, for systems without sysconf.


class ProcessCollector(Collector):
    """Collects ``process_*`` metrics of the process whose id ``pid()`` returns (default: this one)."""

    def __init__(
        self,
        namespace: str = "",
        pid: Callable[[], Union[int, str]] = lambda: "self",
        proc: str = "/proc",
        registry: Optional[CollectorRegistry] = REGISTRY,
    ) -> None:
        self._namespace = namespace
        self._pid = pid
        self._proc = proc
        self._prefix = namespace + "_process_" if namespace else "process_"
        self._ticks = _clock_ticks()
        self._pagesize = _PAGESIZE
        if registry:
            registry.register(self)

    def _read(self, *parts: str) -> Optional[str]:
        try:
            with open(os.path.join(self._proc, *parts), encoding="utf-8", errors="replace") as f:
                return f.read()
        except (OSError, ValueError):
            return None

    def _boot_time(self) -> Optional[float]:
        """Seconds since the epoch at which the machine booted, from ``/proc/stat``."""
        text = self._read("stat")
        if text is None:
            return None
        for line in text.splitlines():
            if line.startswith("btime "):
                try:
                    return float(line.split()[1])
                except (IndexError, ValueError):
                    return None
        return None

    def collect(self) -> Iterable[Metric]:
        """Yield whatever process metrics can be read right now."""
        families: List[Metric] = []
        pid = str(self._pid())
        has_proc = os.path.isdir(self._proc)
        if has_proc:
            families.extend(self._from_proc(pid))
        elif pid == "self" and resource is not None:
            families.extend(self._from_resource())
        return families

    def _gauge(self, name: str, documentation: str, value: float) -> GaugeMetricFamily:
        return GaugeMetricFamily(self._prefix + name, documentation, value=value)

    def _cpu(self, seconds: float) -> CounterMetricFamily:
        return CounterMetricFamily(
            self._prefix + "cpu_seconds_total", "Total user and system CPU time spent in seconds.", value=seconds
        )

    def _from_proc(self, pid: str) -> List[Metric]:
        families: List[Metric] = []
        stat = self._read(pid, "stat")
        fields: Dict[str, float] = {}
        if stat is not None and ")" in stat:
            # The command name, in parentheses, may hold spaces: split after its last ')'.
            parts = stat.rpartition(")")[2].split()
            try:
                fields = {
                    "utime": float(parts[11]),
                    "stime": float(parts[12]),
                    "starttime": float(parts[19]),
                    "vsize": float(parts[20]),
                    "rss": float(parts[21]),
                }
            except (IndexError, ValueError):
                fields = {}
        if fields:
            families.append(self._gauge("virtual_memory_bytes", "Virtual memory size in bytes.", fields["vsize"]))
            families.append(
                self._gauge("resident_memory_bytes", "Resident memory size in bytes.", fields["rss"] * self._pagesize)
            )
            boot_time = self._boot_time()
            if boot_time is not None:
                families.append(
                    self._gauge(
                        "start_time_seconds",
                        "Start time of the process since unix epoch in seconds.",
                        fields["starttime"] / self._ticks + boot_time,
                    )
                )
            families.append(self._cpu((fields["utime"] + fields["stime"]) / self._ticks))
        try:
            open_fds = len(os.listdir(os.path.join(self._proc, pid, "fd")))
        except OSError:
            open_fds = None
        if open_fds is not None:
            families.append(self._gauge("open_fds", "Number of open file descriptors.", open_fds))
        max_fds = self._max_fds_from_limits(pid)
        if max_fds is not None:
            families.append(self._gauge("max_fds", "Maximum number of open file descriptors.", max_fds))
        return families

    def _max_fds_from_limits(self, pid: str) -> Optional[float]:
        limits = self._read(pid, "limits")
        if limits is None:
            return None
        for line in limits.splitlines():
            if line.startswith("Max open files"):
                soft = line[len("Max open files") :].split()[:1]
                if not soft:
                    return None
                # "unlimited" is reported as +Inf rather than dropped.
                return float("inf") if soft[0] == "unlimited" else _to_float(soft[0])
        return None

    def _from_resource(self) -> List[Metric]:
        """Without /proc (macOS, BSD): what the resource module knows about this process."""
        families: List[Metric] = []
        try:
            usage = resource.getrusage(resource.RUSAGE_SELF)
            families.append(self._cpu(usage.ru_utime + usage.ru_stime))
        except (OSError, ValueError, AttributeError):
            pass
        try:
            soft = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
            families.append(
                self._gauge(
                    "max_fds",
                    "Maximum number of open file descriptors.",
                    float("inf") if soft == resource.RLIM_INFINITY else soft,
                )
            )
        except (OSError, ValueError, AttributeError):
            pass
        return families


def _to_float(text: str) -> Optional[float]:
    try:
        return float(text)
    except ValueError:
        return None


PROCESS_COLLECTOR = ProcessCollector()
"""The collector registered on the default registry at import."""
