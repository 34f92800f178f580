"""Exception types and messages for bad arguments."""

from __future__ import annotations

from typing import Dict

from tests.compat.scenarios import add

SCENARIOS: Dict[str, str] = {}

BAD_NAMES = {
    "empty": "''", "leading_digit": "'1abc'", "dash": "'a-b'", "space": "'a b'", "dot": "'a.b'",
    "colon": "'a:b'", "unicode": "'caf\\u00e9'", "none": "None", "int": "5",
}
for name_id, expr in BAD_NAMES.items():
    for cls in ("Counter", "Gauge", "Histogram"):
        add(SCENARIOS, f"name.{name_id}.{cls.lower()}", f"""
            r = CollectorRegistry()
            catch(lambda: ({cls}({expr}, 'h', registry=r), text(r))[1])
        """)

BAD_LABELS = {
    "empty": "['']", "leading_digit": "['1a']", "dash": "['a-b']", "reserved_dunder": "['__x']",
    "dot": "['a.b']", "duplicate": "['a', 'a']", "none": "[None]", "int": "[1]",
}
for label_id, expr in BAD_LABELS.items():
    for cls in ("Counter", "Summary"):
        add(SCENARIOS, f"labelname.{label_id}.{cls.lower()}", f"""
            r = CollectorRegistry()
            catch(lambda: ({cls}('m', 'h', {expr}, registry=r), text(r))[1])
        """)

add(SCENARIOS, "counter.negative_inc", """
r = CollectorRegistry(); c = Counter('c', 'h', registry=r)
catch(c.inc, -1), catch(c.inc, -0.0001), c._value.get()
""")
add(SCENARIOS, "counter.negative_inc_labelled", """
r = CollectorRegistry(); c = Counter('c', 'h', ['l'], registry=r)
catch(c.labels('a').inc, -5)
""")
add(SCENARIOS, "counter.inc_nan_inf", """
r = CollectorRegistry(); c = Counter('c', 'h', registry=r)
catch(c.inc, float('inf')), catch(c.inc, float('nan')), text(r)
""")
add(SCENARIOS, "counter.inc_string", """
r = CollectorRegistry(); c = Counter('c', 'h', registry=r)
catch(c.inc, 'abc'), catch(c.inc, None)
""")
BUCKETS = {
    "unsorted": "[2, 1]", "duplicate": "[1, 1, 2]", "empty": "[]", "inf_only": "['+Inf']",
    "nan": "[float('nan'), 1]", "strings_unsorted": "['5', '1']", "inf_not_last": "[float('inf'), 1]",
    "none": "[None]",
}
for bucket_id, expr in BUCKETS.items():
    add(SCENARIOS, f"buckets.{bucket_id}", f"""
        catch(Histogram, 'h', 'h', registry=None, buckets={expr})
    """)
UNITS = {
    "counter_unit_mismatch": "Counter('x_seconds', 'h', unit='bytes', registry=None)",
    "gauge_unit_already_in_name": "Gauge('x_bytes', 'h', unit='bytes', registry=None)",
    "bad_unit_chars": "Gauge('x', 'h', unit='by-tes', registry=None)",
    "info_unit": "Info('x', 'h', unit='bytes', registry=None)",
    "enum_unit": "Enum('x', 'h', unit='bytes', states=['a'], registry=None)",
    "unit_with_total": "Counter('x', 'h', unit='total', registry=None)",
}
for unit_id, expr in UNITS.items():
    add(SCENARIOS, f"unit.{unit_id}", f"""
        m = catch(lambda: {expr})
        m if isinstance(m, Exception) else (m._name, m._unit, list(m.describe()))
    """)
add(SCENARIOS, "enum.bad_state", """
r = CollectorRegistry(); e = Enum('e', 'h', states=['a', 'b'], registry=r)
catch(e.state, 'c'), catch(e.state, None), text(r)
""")
add(SCENARIOS, "enum.no_states", """
catch(Enum, 'e', 'h', registry=None), catch(Enum, 'e', 'h', states=[], registry=None)
""")
add(SCENARIOS, "enum.name_as_label", """
catch(Enum, 'e', 'h', ['e'], states=['a'], registry=None)
""")
add(SCENARIOS, "info.bad_values", """
r = CollectorRegistry(); i = Info('i', 'h', ['l'], registry=r)
c = i.labels('x')
(catch(c.info, {'l': 'y'}), catch(c.info, {'1bad': 'y'}), catch(c.info, 'notadict'),
 catch(c.info, {'a': 1}), catch(c.info, {'__a': 'x'}), text(r))
""")
add(SCENARIOS, "info.int_value", """
r = CollectorRegistry(); i = Info('i', 'h', registry=r)
catch(lambda: (i.info({'a': 1}), text(r))[1])
""")
add(SCENARIOS, "info.name_with_info_suffix", """
r = CollectorRegistry()
catch(lambda: (Info('x_info', 'h', registry=r).info({'a': 'b'}), text(r))[1])
""")
add(SCENARIOS, "summary.time_non_callable", """
r = CollectorRegistry(); s = Summary('s', 'h', registry=r)
catch(s.time(), 5)
""")
add(SCENARIOS, "exemplar.too_long", """
r = CollectorRegistry(); c = Counter('c', 'h', registry=r)
catch(c.inc, 1, {'a': 'x' * 200}), c._value.get()
""")
add(SCENARIOS, "exemplar.bad_label", """
r = CollectorRegistry(); c = Counter('c', 'h', registry=r)
catch(c.inc, 1, {'1a': 'x'})
""")
add(SCENARIOS, "exemplar.histogram_too_long", """
r = CollectorRegistry(); h = Histogram('h', 'h', registry=r)
catch(h.observe, 1, {'a' * 60: 'b' * 80})
""")
add(SCENARIOS, "documentation.none", """
r = CollectorRegistry()
catch(lambda: (Counter('c', None, registry=r), text(r))[1])
""")
add(SCENARIOS, "documentation.escapes", """
r = CollectorRegistry(); Counter('c', 'a\\\\b\\nc"d', registry=r)
text(r), om(r)
""")
add(SCENARIOS, "labelvalues_private_arg", """
catch(Counter, 'c', 'h', ['a'], registry=None, _labelvalues=['x'])
""")

# Custom collectors yielding bad values: the failure is at encode time.
BAD_COLLECTED = {
    "string_value": "GaugeMetricFamily('g', 'h', value='abc')",
    "none_value": "Metric('g', 'h', 'gauge')",
    "bad_type": "Metric('g', 'h', 'nonsense')",
    "sample_none_value": "CounterMetricFamily('c', 'h', labels=['a'])",
}
for coll_id, expr in BAD_COLLECTED.items():
    for fmt in ("text", "om"):
        add(SCENARIOS, f"collector.{coll_id}.{fmt}", f"""
            from prometheus_client.samples import Sample
            class C(Collector):
                def collect(self):
                    m = catch(lambda: {expr})
                    if isinstance(m, Exception):
                        raise m
                    if m.type == 'gauge' and not m.samples:
                        m.samples.append(Sample('g', {{}}, None))
                    if m.type == 'counter':
                        m.samples.append(Sample('c_total', {{'a': None}}, 1))
                    yield m
            r = CollectorRegistry(); r.register(C())
            catch({fmt}, r)
        """)
for fmt in ("text", "om"):
    add(SCENARIOS, f"collector.non_metric.{fmt}", f"""
        class C(Collector):
            def collect(self):
                yield 'not a metric'
        r = CollectorRegistry(); r.register(C())
        catch({fmt}, r)
    """)
    add(SCENARIOS, f"collector.raises.{fmt}", f"""
        class C(Collector):
            def collect(self):
                raise KeyError('inner')
                yield
        r = CollectorRegistry(); r.register(C())
        catch({fmt}, r)
    """)
    add(SCENARIOS, f"collector.label_value_int.{fmt}", f"""
        from prometheus_client.samples import Sample
        class C(Collector):
            def collect(self):
                m = Metric('g', 'h', 'gauge'); m.samples.append(Sample('g', {{'a': 1}}, 1.0)); yield m
        r = CollectorRegistry(); r.register(C())
        catch({fmt}, r)
    """)
    add(SCENARIOS, f"collector.value_string_number.{fmt}", f"""
        from prometheus_client.samples import Sample
        class C(Collector):
            def collect(self):
                m = Metric('g', 'h', 'gauge'); m.samples.append(Sample('g', {{}}, '1.5')); yield m
        r = CollectorRegistry(); r.register(C())
        catch({fmt}, r)
    """)
    add(SCENARIOS, f"collector.value_int_bool.{fmt}", f"""
        from prometheus_client.samples import Sample
        class C(Collector):
            def collect(self):
                m = Metric('g', 'h', 'gauge')
                m.samples.append(Sample('g', {{'x': 'a'}}, 3)); m.samples.append(Sample('g', {{'x': 'b'}}, True))
                m.samples.append(Sample('g', {{'x': 'c'}}, 10**30))
                yield m
        r = CollectorRegistry(); r.register(C())
        catch({fmt}, r)
    """)
