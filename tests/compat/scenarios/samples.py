# ruff: noqa: E501  (long reason strings and one-line scenarios read better unwrapped)
"""samples: Sample, Exemplar, Timestamp (equality, ordering, str), NativeHistogram, BucketSpan."""

from __future__ import annotations

from typing import Dict

from tests.compat.scenarios import add

SCENARIOS: Dict[str, str] = {}

S = "from prometheus_client.samples import Sample, Exemplar, Timestamp, NativeHistogram, BucketSpan\n"
CASES = {
    "sample_fields": "Sample._fields, Sample('a', {}, 1), Sample('a', {}, 1).timestamp",
    "sample_eq": "Sample('a', {'x': '1'}, 1.0) == Sample('a', {'x': '1'}, 1), Sample('a', {}, 1) == ('a', {}, 1, None, None, None)",
    "sample_repr": "repr(Sample('a', {'x': '1'}, 1.5, Timestamp(1, 2), Exemplar({'t': 'x'}, 2.0)))",
    "exemplar_fields": "Exemplar._fields, Exemplar({'a': 'b'}, 1.0), Exemplar({'a': 'b'}, 1.0, 5)",
    "exemplar_eq": "Exemplar({'a': 'b'}, 1.0) == Exemplar({'a': 'b'}, 1.0, None)",
    "timestamp_str": "str(Timestamp(1, 5)), str(Timestamp(123, 456000000)), str(Timestamp(0, 0)), str(Timestamp(-1, 5))",
    "timestamp_repr": "repr(Timestamp(1, 5))",
    "timestamp_float": "float(Timestamp(1, 500000000)), float(Timestamp(-2, 5))",
    "timestamp_eq": "Timestamp(1, 2) == Timestamp(1, 2), Timestamp(1, 2) != Timestamp(1, 3), Timestamp(1, 2) == 1",
    "timestamp_order": ("Timestamp(1, 2) < Timestamp(1, 3), Timestamp(2, 0) > Timestamp(1, 999), "
                        "Timestamp(1, 2) <= Timestamp(1, 2) if hasattr(Timestamp, '__le__') else None, "
                        "sorted([Timestamp(3, 0), Timestamp(1, 5), Timestamp(1, 2)])"),
    "timestamp_le_ge": "catch(lambda: Timestamp(1, 2) <= Timestamp(1, 2)), catch(lambda: Timestamp(1, 2) >= Timestamp(1, 3))",
    "timestamp_hash": "hash(Timestamp(1, 2)) == hash(Timestamp(1, 2)), len({Timestamp(1, 2), Timestamp(1, 2)})",
    "timestamp_bad_nsec": "catch(Timestamp, 1, 1e9), catch(Timestamp, 1, -1)",
    "timestamp_float_args": "repr(Timestamp(1.7, 2.9)), Timestamp(1.7, 2.9).sec, Timestamp(1.7, 2.9).nsec",
    "timestamp_compare_other": "catch(lambda: Timestamp(1, 2) < 5)",
    "native_histogram_fields": "NativeHistogram._fields, NativeHistogram(1, 2, 0, 0.1, 0)",
    "bucket_span": "BucketSpan._fields, BucketSpan(0, 2), BucketSpan(0, 2) == (0, 2)",
    "sample_immutable": "catch(setattr, Sample('a', {}, 1), 'value', 2)",
    "sample_replace": "Sample('a', {}, 1)._replace(value=5)",
}
for case_id, expr in CASES.items():
    add(SCENARIOS, case_id, S + expr)

add(SCENARIOS, "instrument_sample_labels_type", """
r = CollectorRegistry(); c = Counter('c', 'h', ['l'], registry=r); c.labels('x').inc()
s = list(r.collect())[0].samples[0]
isinstance(s.labels, dict), s.labels == {'l': 'x'}, type(s.labels) is dict
""")
add(SCENARIOS, "instrument_sample_labels_mutable", """
r = CollectorRegistry(); c = Counter('c', 'h', ['l'], registry=r); c.labels('x').inc()
s = list(r.collect())[0].samples[0]
catch(s.labels.__setitem__, 'y', '2'), dict(s.labels)
""")
add(SCENARIOS, "instrument_family_type", """
r = CollectorRegistry(); Counter('c', 'h', registry=r)
f = list(r.collect())[0]
type(f).__name__, isinstance(f, Metric), type(f) is Metric
""")
add(SCENARIOS, "family_samples_snapshot", """
r = CollectorRegistry(); c = Counter('c', 'h', registry=r); c.inc()
f = list(r.collect())[0]
c.inc(10)
[s.value for s in f.samples]
""")
add(SCENARIOS, "metric_eq_repr", """
a = GaugeMetricFamily('g', 'h', value=1); b = GaugeMetricFamily('g', 'h', value=1)
a == b, repr(a), a == GaugeMetricFamily('g', 'h', value=2)
""")
add(SCENARIOS, "metric_types", "sorted(metrics_core.METRIC_TYPES)")
