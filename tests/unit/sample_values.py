"""Every sample of one collect, by name and labels: for tests that check many samples of a large registry.

``registry.get_sample_value`` collects the whole registry on each call, so a test checking each of 300
children that way collects 300 times (most of a second on PyPy). One collect read into a dictionary
checks the same values, all from the same moment.
"""

from __future__ import annotations

from typing import Dict, Tuple

from prometheus_client.registry import Collector

Labels = Tuple[Tuple[str, str], ...]
Samples = Dict[Tuple[str, Labels], float]


def sample_values(collector: Collector) -> Samples:
    """(sample name, sorted label pairs) -> value of every sample ``collector`` yields now."""
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in collector.collect()
        for sample in family.samples
    }


def sample_key(name: str, **labels: str) -> Tuple[str, Labels]:
    """The ``sample_values`` key of sample ``name`` with ``labels``."""
    return name, tuple(sorted(labels.items()))
