"""Process, platform and GC collectors."""

from __future__ import annotations

import gc
import platform

import pytest

from prometheus_client.gc_collector import GCCollector
from prometheus_client.platform_collector import PlatformCollector
from prometheus_client.process_collector import ProcessCollector
from prometheus_client.registry import CollectorRegistry

STAT = (
    "26231 (vim with spaces) R 5392 7446 5392 34835 7446 4218880 32533 309516 26 82 1677 44 158 99 20 0 1 0 "
    "82375 56274944 1981 18446744073709551615 4194304 6294284 140736914091744 140736914087944 139965136429984 "
    "0 0 12288 1870679807 0 0 0 17 0 0 0 31 0 0 8391624 8481048 16420864 140736914093252 140736914093279 "
    "140736914093279 140736914096107 0\n"
)
LIMITS = (
    "Limit                     Soft Limit           Hard Limit           Units\n"
    "Max cpu time              unlimited            unlimited            seconds\n"
    "Max open files            2048                 4096                 files\n"
)


@pytest.fixture
def proc(tmp_path):
    pid_dir = tmp_path / "26231"
    (pid_dir / "fd").mkdir(parents=True)
    (pid_dir / "stat").write_text(STAT)
    (pid_dir / "limits").write_text(LIMITS)
    for fd in range(5):
        (pid_dir / "fd" / str(fd)).write_text("")
    (tmp_path / "stat").write_text("cpu 1 2 3\nbtime 1418184099\n")
    return tmp_path


def test_process_collector_reads_proc(proc):
    registry = CollectorRegistry()
    collector = ProcessCollector(proc=str(proc), pid=lambda: 26231, registry=registry)
    collector._ticks = 100
    collector._pagesize = 4096
    assert registry.get_sample_value("process_cpu_seconds_total") == 17.21
    assert registry.get_sample_value("process_virtual_memory_bytes") == 56274944
    assert registry.get_sample_value("process_resident_memory_bytes") == 1981 * 4096
    assert registry.get_sample_value("process_start_time_seconds") == 1418184922.75
    assert registry.get_sample_value("process_open_fds") == 5
    assert registry.get_sample_value("process_max_fds") == 2048


def test_process_collector_namespace_prefixes_names(proc):
    registry = CollectorRegistry()
    ProcessCollector(proc=str(proc), pid=lambda: "26231", namespace="n", registry=registry)
    assert registry.get_sample_value("n_process_open_fds") == 5
    assert registry.get_sample_value("process_open_fds") is None


def test_process_collector_yields_what_is_available_when_files_are_missing(proc):
    (proc / "26231" / "limits").unlink()
    (proc / "stat").unlink()
    registry = CollectorRegistry()
    ProcessCollector(proc=str(proc), pid=lambda: 26231, registry=registry)
    assert registry.get_sample_value("process_max_fds") is None
    assert registry.get_sample_value("process_start_time_seconds") is None
    assert registry.get_sample_value("process_open_fds") == 5
    assert registry.get_sample_value("process_virtual_memory_bytes") == 56274944


def test_process_collector_survives_a_vanished_process(proc):
    collector = ProcessCollector(proc=str(proc), pid=lambda: 99999, registry=None)
    assert list(collector.collect()) == []


def test_process_collector_survives_garbage_in_stat(proc):
    (proc / "26231" / "stat").write_text("nonsense")
    collector = ProcessCollector(proc=str(proc), pid=lambda: 26231, registry=None)
    assert {m.name for m in collector.collect()} == {"process_open_fds", "process_max_fds"}


def test_process_collector_without_proc_uses_resource_for_self(tmp_path):
    collector = ProcessCollector(proc=str(tmp_path / "missing"), registry=None)
    names = {m.name for m in collector.collect()}
    assert names == {"process_cpu_seconds", "process_max_fds"}


class FakePlatform:
    def python_version_tuple(self):
        return "3", "5", "10"

    def python_version(self):
        return "3.5.10"

    def python_implementation(self):
        return "CPython"

    def system(self):
        return "Linux"


class FakeJython(FakePlatform):
    def python_implementation(self):
        return "Jython"

    def system(self):
        return "Java"

    def java_ver(self):
        vm = ("Java HotSpot(TM) 64-Bit Server VM", "25.102-b14", "Oracle")
        return ("1.8.0_102", "Oracle Corporation", vm, ("", "", ""))


def test_platform_collector_reports_python_info():
    registry = CollectorRegistry()
    PlatformCollector(registry=registry, platform=FakePlatform())
    labels = {"version": "3.5.10", "implementation": "CPython", "major": "3", "minor": "5", "patchlevel": "10"}
    assert registry.get_sample_value("python_info", labels) == 1


def test_platform_collector_adds_jvm_details_on_java():
    registry = CollectorRegistry()
    PlatformCollector(registry=registry, platform=FakeJython())
    [family] = registry.collect()
    assert family.samples[0].labels["jvm_version"] == "1.8.0_102"
    assert family.samples[0].labels["jvm_vendor"] == "Oracle"


# gc.get_stats() is CPython's per-generation list; PyPy has a different GcStats object (no generations),
# so the collector only registers itself on CPython, as the official client does.
ON_CPYTHON = platform.python_implementation() == "CPython"


@pytest.mark.skipif(not ON_CPYTHON, reason="per-generation gc.get_stats() is CPython only")
def test_gc_collector_counts_per_generation():
    registry = CollectorRegistry()
    GCCollector(registry=registry)
    gc.collect()
    generations = len(gc.get_stats())
    assert registry.get_sample_value("python_gc_collections_total", {"generation": "2"}) >= 1
    names = {(m.name, len(m.samples)) for m in registry.collect()}
    assert names == {
        ("python_gc_objects_collected", generations),
        ("python_gc_objects_uncollectable", generations),
        ("python_gc_collections", generations),
    }


@pytest.mark.skipif(ON_CPYTHON, reason="checks the non-CPython behaviour")
def test_gc_collector_registers_nothing_off_cpython():
    registry = CollectorRegistry()
    GCCollector(registry=registry)
    assert registry.collectors() == []
    assert list(registry.collect()) == []


def test_default_collectors_are_registered_on_the_default_registry():
    from prometheus_client import gc_collector, platform_collector, process_collector
    from prometheus_client.registry import REGISTRY

    registered = REGISTRY.collectors()
    assert process_collector.PROCESS_COLLECTOR in registered
    assert platform_collector.PLATFORM_COLLECTOR in registered
    assert (gc_collector.GC_COLLECTOR in registered) == ON_CPYTHON
