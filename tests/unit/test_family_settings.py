"""A parent's settings are held once and read by its children (prometheus_client/_family_settings.py)."""

from __future__ import annotations

import threading
from typing import Any, Callable, List

import pytest

from prometheus_client import Counter, Enum, Gauge, Histogram, Info, Summary, generate_latest

KINDS: List[Callable[[Any], Any]] = [
    lambda r: Counter("c", "help", ["a"], namespace="ns", unit="seconds", registry=r),
    lambda r: Gauge("g", "help", ["a"], multiprocess_mode="max", registry=r),
    lambda r: Summary("s", "help", ["a"], registry=r),
    lambda r: Summary("q", "help", ["a"], objectives={0.5: 0.05}, registry=r),
    lambda r: Histogram("h", "help", ["a"], buckets=(1, 2), registry=r),
    lambda r: Histogram("n", "help", ["a"], native_histogram_bucket_factor=1.1, registry=r),
    lambda r: Info("i", "help", ["a"], registry=r),
    lambda r: Enum("e", "help", ["a"], states=["x", "y"], registry=r),
]
# What a child of ours stores itself: everything else it reads from the settings of its family.
CHILD_OWN = {"_family", "_labelvalues", "_cells", "_created", "_window", "_clock", "_native", "_value",
             "_labelname_set", "_info_labels"}
SETTINGS = ("_name", "_documentation", "_labelnames", "_unit", "_namespace", "_subsystem", "_original_name",
            "_kwargs", "_upper_bounds", "_le_labels", "_multiprocess_mode", "_is_most_recent", "_states",
            "_quantile_settings", "_native_settings")


@pytest.mark.parametrize("make", KINDS)
def test_children_hold_one_reference_to_the_parents_settings(registry, make):
    parent = make(registry)
    children = [parent.labels(str(n)) for n in range(3)]
    for child in children:
        assert child._family is parent._family
        assert set(vars(child)) <= CHILD_OWN, set(vars(child)) - CHILD_OWN
        for name in SETTINGS:
            if hasattr(parent, name):
                assert getattr(child, name) is getattr(parent, name), name
    # The parent stores its children; its lock is a setting (the children read it as missing).
    assert set(vars(parent)) == {"_family", "_labelvalues", "_metrics", "_cells"}


@pytest.mark.parametrize("make", KINDS)
def test_a_setting_written_through_a_child_reaches_only_that_child(registry, make):
    parent = make(registry)
    child, sibling = parent.labels("1"), parent.labels("2")
    before = generate_latest(registry)
    child._documentation = "changed"
    child._unit = "bytes"
    assert (child._documentation, child._unit) == ("changed", "bytes")
    assert child._family is not parent._family and child._family.owner is child
    assert child._labelnames == parent._labelnames and child._name == parent._name  # the rest is copied
    for other in (parent, sibling):
        assert other._documentation == "help" and other._family is parent._family
    assert sibling._unit == parent._unit
    assert generate_latest(registry) == before  # the family's HELP and UNIT are the parent's
    del child._unit
    with pytest.raises(AttributeError):
        child._unit  # noqa: B018
    assert parent._unit in ("", "seconds")


def test_only_the_parent_has_the_lock_and_the_children(registry):
    parent = Counter("c", "help", ["a"], registry=registry)
    child = parent.labels("x")
    assert parent._lock is not None and parent._metrics == {("x",): child}
    for name in ("_lock", "_metrics"):
        assert not hasattr(child, name)
    with pytest.raises(AttributeError, match="'Counter' child has no attribute '_lock'"):
        child._lock  # noqa: B018
    unlabelled = Counter("u", "help", registry=registry)
    assert not hasattr(unlabelled, "_lock") and not hasattr(unlabelled, "_metrics")


def test_a_subclass_with_its_own_init_builds_each_child_with_it(registry):
    made: List[Any] = []

    class Tagged(Counter):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.tag = len(made)
            made.append(self)

    parent = Tagged("t", "help", ["a"], registry=registry)
    child = parent.labels("x")
    assert made == [parent, child] and (parent.tag, child.tag) == (0, 1)
    assert child._family is not parent._family and child._name == "t" and child._labelvalues == ("x",)
    child.inc(2)
    assert registry.get_sample_value("t_total", {"a": "x"}) == 2


def test_children_made_by_racing_threads_share_the_settings(registry):
    parent = Histogram("h", "help", ["a"], buckets=(1, 2), registry=registry)
    barrier = threading.Barrier(4)

    def make() -> None:
        barrier.wait()
        for n in range(200):
            parent.labels(str(n)).observe(n % 3)

    threads = [threading.Thread(target=make) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(parent._metrics) == 200
    assert all(child._family is parent._family for child in parent._metrics.values())
    assert registry.get_sample_value("h_count", {"a": "5"}) == 4


def test_children_in_multiprocess_mode_share_the_settings_too(mp_dir):
    parent = Histogram("h", "help", ["a"], buckets=(1, 2), registry=None)
    child = parent.labels("x")
    child.observe(1.5)
    assert child._family is parent._family and set(vars(child)) <= CHILD_OWN | {"_buckets", "_sum"}
    assert child._sum.get() == 1.5 and [b.get() for b in child._buckets] == [0.0, 1.0, 0.0]
    with pytest.raises(ValueError, match="missing label values"):
        parent._sum.inc(1)
