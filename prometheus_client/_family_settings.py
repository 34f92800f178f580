"""The settings a parent metric and its children share, held once per family.

A child reads its name, documentation, label names, buckets and the rest as its own attributes
(``child._name``, as libraries written against the official client do), but holds none of them: it
holds one reference to its parent's :class:`FamilySettings` under ``_family``, and each setting is a
property of the metric class reading it from there.

Why: on CPython 3.11+ every attribute name ever stored on an instance of a class widens the attribute
values of every instance of that class (they share one key table). A child that stores four names
(``_family``, ``_labelvalues``, its numbers, its ``_created``) instead of eleven to fifteen is about 100
bytes smaller, on each of what may be a million children. For the same reason the parent stores as
little as it can: what hot paths read (label names, bucket bounds, the keyword key getter) sits in
slots of :class:`FamilySettings`, not on the parent.

Writing a setting through a child (rare: the official client's children each have a copy of their
own) first gives that child a copy of the family's settings, so the write reaches neither the parent
nor its siblings.
"""

from __future__ import annotations

from operator import attrgetter
from typing import Any, List, Optional, Tuple


class FamilySettings:
    """One parent's settings (attributes named as on the metric: ``_name``, ``_labelnames``...).

    ``owner`` is the metric whose settings these are; children of that metric read them too. A
    setting no instrument stored reads as the class default here (the optional ones below).
    """

    # Slots for what hot paths read directly (labels(), observe(), a scrape's labels), not through the
    # metric's property: a slot read is specialised by CPython whatever else a family holds. The rest
    # (name, documentation, kwargs... named as on the metric) goes in the instance dict.
    __slots__ = ("owner", "make_child", "key_of_keywords", "_labelnames", "_upper_bounds", "_no_exemplars",
                 "__dict__")
    _SLOTS = __slots__[:-1]

    _labelnames: Tuple[str, ...]
    _upper_bounds: List[float]
    _no_exemplars: Tuple[None, ...]
    _native_settings: Any = None
    _quantile_settings: Any = None

    def __init__(self, owner: Any) -> None:
        self.owner = owner
        self.make_child: Any = None  # the parent's maker of children (see metrics._child_maker)
        self.key_of_keywords: Any = None  # the parent's key getter of labels(**keywords)

    def copy_for(self, owner: Any) -> "FamilySettings":
        """These settings, as ``owner``'s own."""
        copied = FamilySettings(owner)
        for name in self._SLOTS[1:]:
            if hasattr(self, name):
                setattr(copied, name, getattr(self, name))
        copied.__dict__.update(self.__dict__)
        return copied


def _settings_to_write(metric: Any) -> FamilySettings:
    """The settings ``metric`` may change: its own, made (or copied from a parent's) on first write."""
    try:
        settings: Optional[FamilySettings] = metric._family
    except AttributeError:  # the first setting an instrument's __init__ stores
        settings = None
    if settings is None:
        metric._family = settings = FamilySettings(metric)
    elif settings.owner is not metric:
        metric._family = settings = settings.copy_for(metric)
    return settings


def shared_setting(name: str) -> Any:
    """A property reading ``name`` from the metric's family settings, and writing its own copy."""

    def write(metric: Any, value: Any) -> None:
        setattr(_settings_to_write(metric), name, value)

    def delete(metric: Any) -> None:
        delattr(_settings_to_write(metric), name)

    # attrgetter: the read is one C call, no Python frame (children's settings are read on scrapes).
    return property(attrgetter("_family." + name), write, delete, f"The family's {name} (shared with its children).")


def parent_only_setting(name: str) -> Any:
    """A setting only the parent has (``_lock``): children raise ``AttributeError``, as the official's do."""

    def read(metric: Any) -> Any:
        settings = metric._family
        if settings.owner is not metric or metric._labelvalues:
            raise AttributeError(f"{type(metric).__name__!r} child has no attribute {name!r} (its parent has)")
        return getattr(settings, name)

    def write(metric: Any, value: Any) -> None:
        setattr(_settings_to_write(metric), name, value)

    return property(read, write, None, f"The parent's {name}.")
