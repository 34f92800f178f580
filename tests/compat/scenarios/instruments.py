"""Instruments: every type with and without labels, every update method, attributes others read."""

from __future__ import annotations

from typing import Dict

from tests.compat.scenarios import add

SCENARIOS: Dict[str, str] = {}

# How to make and update each type, with 0, 1 or 2 label names.
MAKE = {
    "counter": ("Counter", "c.inc(); c.inc(2.5)"),
    "gauge": ("Gauge", "c.set(7); c.inc(2); c.dec(0.5)"),
    "summary": ("Summary", "c.observe(1.5); c.observe(0.25)"),
    "histogram": ("Histogram", "c.observe(0.3); c.observe(7); c.observe(100)"),
    "info": ("Info", "c.info({'version': '1.0', 'build': 'x\"y'})"),
    "enum": ("Enum", "c.state('b')"),
}
EXTRA = {"enum": ", states=['a', 'b', 'c']"}
LABELS = {"nolabels": (), "onelabel": ("method",), "twolabels": ("method", "code")}
VALUES = {"nolabels": (), "onelabel": ("get",), "twolabels": ("post", "200")}

for kind, (cls, update) in MAKE.items():
    for shape, names in LABELS.items():
        target = "m" if not names else f"m.labels({', '.join(repr(v) for v in VALUES[shape])})"
        for fmt in ("text", "om"):
            add(SCENARIOS, f"{kind}.{shape}.{fmt}", f"""
                r = CollectorRegistry()
                m = {cls}('demo_{kind}', 'Help for {kind}.', {list(names)!r}, registry=r{EXTRA.get(kind, '')})
                c = {target}
                {update}
                {fmt}(r)
            """)
        # collect(): the families and samples as objects
        add(SCENARIOS, f"{kind}.{shape}.collect", f"""
            r = CollectorRegistry()
            m = {cls}('demo_{kind}', 'Help for {kind}.', {list(names)!r}, registry=r{EXTRA.get(kind, '')})
            c = {target}
            {update}
            list(r.collect())
        """)
        add(SCENARIOS, f"{kind}.{shape}.repr", f"""
            r = CollectorRegistry()
            m = {cls}('demo_{kind}', 'Help for {kind}.', {list(names)!r}, registry=r{EXTRA.get(kind, '')})
            repr(m), str(m)
        """)
        add(SCENARIOS, f"{kind}.{shape}.describe", f"""
            r = CollectorRegistry()
            m = {cls}('demo_{kind}', 'Help for {kind}.', {list(names)!r}, registry=r{EXTRA.get(kind, '')})
            list(m.describe())
        """)
    add(SCENARIOS, f"{kind}.namespace_subsystem_unit", f"""
        r = CollectorRegistry()
        m = {cls}('x', 'Help.', namespace='ns', subsystem='sub', unit='bytes', registry=r{EXTRA.get(kind, '')})
        m._name, m._documentation, m._unit, text(r), om(r)
    """)
    add(SCENARIOS, f"{kind}.kwargs_parent_child_unlabelled", f"""
        r = CollectorRegistry()
        m = {cls}('kw', 'Help.', ['l'], registry=r{EXTRA.get(kind, '')})
        u = {cls}('kw2', 'Help.', registry=r{EXTRA.get(kind, '')})
        sorted(m._kwargs), sorted(m.labels('v')._kwargs), sorted(u._kwargs), m.labels('v')._labelvalues
    """)
    add(SCENARIOS, f"{kind}.metrics_keys", f"""
        r = CollectorRegistry()
        m = {cls}('mk', 'Help.', ['a', 'b'], registry=r{EXTRA.get(kind, '')})
        m.labels('1', '2'); m.labels(a='3', b='4'); m.labels(1, 2.5)
        list(m._metrics.keys()), m._labelnames
    """)
    add(SCENARIOS, f"{kind}.not_registered", f"""
        m = {cls}('unreg', 'Help.', registry=None{EXTRA.get(kind, '')})
        r = CollectorRegistry(); r.register(m)
        text(r)
    """)
    add(SCENARIOS, f"{kind}.collect_direct", f"""
        m = {cls}('direct', 'Help.', registry=None{EXTRA.get(kind, '')})
        list(m.collect())
    """)

add(SCENARIOS, "counter.inc_values", """
    r = CollectorRegistry(); c = Counter('c', 'h', registry=r)
    c.inc(); c.inc(0); c.inc(1e-9); c.inc(10**20)
    c._value.get(), text(r)
""")
add(SCENARIOS, "counter.total_suffix_stripped", """
    r = CollectorRegistry(); c = Counter('requests_total', 'h', registry=r)
    c.inc(); c._name, text(r), om(r)
""")
add(SCENARIOS, "counter.reset", """
    r = CollectorRegistry(); c = Counter('c', 'h', registry=r)
    c.inc(5); c.reset(); c.inc(); c._value.get()
""")
add(SCENARIOS, "counter.count_exceptions_context", """
    r = CollectorRegistry(); c = Counter('c', 'h', registry=r)
    for e in (ValueError, KeyError, None):
        try:
            with c.count_exceptions(ValueError):
                if e: raise e('x')
        except Exception:
            pass
    c._value.get()
""")
add(SCENARIOS, "counter.count_exceptions_decorator", """
    r = CollectorRegistry(); c = Counter('c', 'h', registry=r)
    @c.count_exceptions()
    def f(x):
        if x: raise RuntimeError('boom')
        return 'ok'
    a = f(0); b = catch(f, 1)
    a, b, c._value.get(), f.__name__
""")
add(SCENARIOS, "counter.count_exceptions_tuple", """
    r = CollectorRegistry(); c = Counter('c', 'h', registry=r)
    for e in (ValueError, KeyError, TypeError):
        try:
            with c.count_exceptions((ValueError, TypeError)):
                raise e('x')
        except Exception:
            pass
    c._value.get()
""")
add(SCENARIOS, "counter.countExceptions_alias", """
    r = CollectorRegistry(); c = Counter('c', 'h', registry=r)
    catch(lambda: c.countExceptions)
""")
add(SCENARIOS, "counter.exemplar_om", """
    r = CollectorRegistry(); c = Counter('c', 'h', registry=r)
    c.inc(exemplar={'trace_id': 'abc'}); c.inc(2, {'trace_id': 'def', 'span': '1'})
    om(r), text(r)
""")
add(SCENARIOS, "counter.exemplar_labelled", """
    r = CollectorRegistry(); c = Counter('c', 'h', ['l'], registry=r)
    c.labels('x').inc(exemplar={'a': 'b'})
    om(r)
""")
add(SCENARIOS, "counter.value_get_labelled", """
    r = CollectorRegistry(); c = Counter('c', 'h', ['l'], registry=r)
    c.labels('x').inc(3); c.labels('x')._value.get(), c.labels(l='x')._value.get()
""")

add(SCENARIOS, "gauge.methods", """
    r = CollectorRegistry(); g = Gauge('g', 'h', registry=r)
    out = []
    g.set(3); out.append(g._value.get())
    g.inc(); out.append(g._value.get())
    g.dec(); out.append(g._value.get())
    g.inc(-5); out.append(g._value.get())
    g.dec(-1.5); out.append(g._value.get())
    g.set(float('inf')); out.append(g._value.get())
    g.set(float('-inf')); out.append(text(r))
    g.set(float('nan')); out.append(text(r))
    out
""")
add(SCENARIOS, "gauge.set_int_and_string", """
    r = CollectorRegistry(); g = Gauge('g', 'h', registry=r)
    g.set(5); a = g._value.get(); g.set('2.5'); b = g._value.get()
    a, b, text(r)
""")
add(SCENARIOS, "gauge.dev_alias", """
    r = CollectorRegistry(); g = Gauge('g', 'h', registry=r)
    g.set(20)
    catch(lambda: g.dev(10)), g._value.get()
""")
add(SCENARIOS, "gauge.set_to_current_time", """
    r = CollectorRegistry(); g = Gauge('g', 'h', registry=r)
    g.set_to_current_time(); g._value.get(), text(r)
""")
add(SCENARIOS, "gauge.setToCurrentTime_alias", """
    r = CollectorRegistry(); g = Gauge('g', 'h', registry=r)
    catch(lambda: g.setToCurrentTime)
""")
add(SCENARIOS, "gauge.trackInprogress_alias", """
    r = CollectorRegistry(); g = Gauge('g', 'h', registry=r)
    catch(lambda: g.trackInprogress)
""")
add(SCENARIOS, "gauge.track_inprogress", """
    r = CollectorRegistry(); g = Gauge('g', 'h', registry=r)
    seen = []
    with g.track_inprogress():
        seen.append(g._value.get())
        with g.track_inprogress():
            seen.append(g._value.get())
    seen.append(g._value.get())
    @g.track_inprogress()
    def f():
        seen.append(g._value.get()); return 'r'
    seen.append(f()); seen.append(g._value.get())
    seen
""")
add(SCENARIOS, "gauge.time", """
    r = CollectorRegistry(); g = Gauge('g', 'h', registry=r)
    with g.time() as t:
        pass
    v = g._value.get()
    type(t).__name__, 0 <= v < 5, isinstance(t.duration, float) if hasattr(t, 'duration') else 'none'
""")
add(SCENARIOS, "gauge.set_function", """
    r = CollectorRegistry(); g = Gauge('g', 'h', registry=r)
    g.set_function(lambda: 42)
    a = text(r); g.set_function(lambda: 1.5); b = text(r)
    a, b
""")
add(SCENARIOS, "gauge.set_function_labelled_raises", """
    r = CollectorRegistry(); g = Gauge('g', 'h', ['l'], registry=r)
    catch(g.set_function, lambda: 1)
""")
add(SCENARIOS, "gauge.multiprocess_mode_attr", """
    r = CollectorRegistry()
    out = []
    for mode in ('all', 'liveall', 'min', 'max', 'sum', 'livesum', 'mostrecent', 'livemostrecent'):
        g = Gauge('g_' + mode, 'h', registry=r, multiprocess_mode=mode)
        out.append(g._multiprocess_mode)
    out, text(r)
""")
add(SCENARIOS, "gauge.bad_multiprocess_mode", """
    catch(Gauge, 'g', 'h', registry=None, multiprocess_mode='bogus')
""")

add(SCENARIOS, "summary.observe_values", """
    r = CollectorRegistry(); s = Summary('s', 'h', registry=r)
    for v in (1, 2.5, -1, 0, 1e300): s.observe(v)
    text(r), om(r)
""")
add(SCENARIOS, "summary.time_decorator", """
    r = CollectorRegistry(); s = Summary('s', 'h', registry=r)
    @s.time()
    def f(): return 5
    f(); f()
    out = list(r.collect())[0].samples
    [x.name for x in out], out[0].value, f.__name__
""")
add(SCENARIOS, "summary.time_context", """
    r = CollectorRegistry(); s = Summary('s', 'h', registry=r)
    with s.time() as t:
        pass
    samples = list(r.collect())[0].samples
    samples[0].value, t.duration >= 0, type(t).__name__
""")
add(SCENARIOS, "summary.timer_duration_after_exit", """
    r = CollectorRegistry(); h = Histogram('h', 'h', registry=r)
    t = h.time()
    a = getattr(t, 'duration', 'missing')
    with t:
        pass
    a, isinstance(t.duration, float), t.duration >= 0
""")
add(SCENARIOS, "summary.count_sum_attributes", """
    r = CollectorRegistry(); s = Summary('s', 'h', registry=r)
    s.observe(3); s.observe(4)
    s._count.get(), s._sum.get()
""")

add(SCENARIOS, "histogram.default_buckets", """
    r = CollectorRegistry(); h = Histogram('h', 'h', registry=r)
    h._upper_bounds, [b.get() for b in h._buckets], Histogram.DEFAULT_BUCKETS
""")
add(SCENARIOS, "histogram.buckets_after_observe", """
    r = CollectorRegistry(); h = Histogram('h', 'h', registry=r, buckets=(1, 2, 5))
    for v in (0.5, 1, 1.5, 2, 3, 10): h.observe(v)
    [b.get() for b in h._buckets], h._sum.get(), text(r)
""")
add(SCENARIOS, "histogram.buckets_inf_given", """
    r = CollectorRegistry(); h = Histogram('h', 'h', registry=r, buckets=[1, float('inf')])
    h._upper_bounds
""")
add(SCENARIOS, "histogram.buckets_strings", """
    r = CollectorRegistry(); h = Histogram('h', 'h', registry=r, buckets=['1', '2.5', '+Inf'])
    h._upper_bounds, text(r)
""")
add(SCENARIOS, "histogram.one_bucket_inf", """
    catch(Histogram, 'h', 'h', registry=None, buckets=[float('inf')])
""")
add(SCENARIOS, "histogram.labelled_buckets", """
    r = CollectorRegistry(); h = Histogram('h', 'h', ['l'], registry=r, buckets=(1, 2))
    h.labels('a').observe(1.5)
    h.labels('a')._upper_bounds, [b.get() for b in h.labels('a')._buckets], text(r)
""")
add(SCENARIOS, "histogram.exemplar", """
    r = CollectorRegistry(); h = Histogram('h', 'h', registry=r, buckets=(1, 2))
    h.observe(0.5, {'trace': 'a'}); h.observe(1.5, {'trace': 'b'}); h.observe(5, {'trace': 'c'})
    om(r), text(r)
""")
add(SCENARIOS, "histogram.time", """
    r = CollectorRegistry(); h = Histogram('h', 'h', registry=r, buckets=(1000,))
    with h.time():
        pass
    [b.get() for b in h._buckets]
""")
add(SCENARIOS, "histogram.nan_observation", """
    r = CollectorRegistry(); h = Histogram('h', 'h', registry=r, buckets=(1,))
    h.observe(float('nan'))
    text(r)
""")
add(SCENARIOS, "histogram.negative_observation", """
    r = CollectorRegistry(); h = Histogram('h', 'h', registry=r, buckets=(-1, 0, 1))
    h.observe(-5); h.observe(-0.5)
    text(r)
""")
add(SCENARIOS, "histogram.le_label_reserved", """
    catch(Histogram, 'h', 'h', ['le'], registry=None)
""")
add(SCENARIOS, "summary.quantile_label_reserved", """
    catch(Summary, 'h', 'h', ['quantile'], registry=None)
""")

add(SCENARIOS, "info.values", """
    r = CollectorRegistry(); i = Info('i', 'h', registry=r)
    i.info({'a': 'b', 'c': 'd\\ne'})
    text(r), om(r), i._value
""")
add(SCENARIOS, "info.replace", """
    r = CollectorRegistry(); i = Info('i', 'h', registry=r)
    i.info({'a': '1'}); i.info({'b': '2'})
    text(r)
""")
add(SCENARIOS, "info.empty", """
    r = CollectorRegistry(); i = Info('i', 'h', registry=r)
    a = text(r); i.info({}); b = text(r)
    a, b
""")
add(SCENARIOS, "info.labelled", """
    r = CollectorRegistry(); i = Info('i', 'h', ['l'], registry=r)
    i.labels('x').info({'a': 'b'})
    text(r), om(r)
""")
add(SCENARIOS, "enum.states", """
    r = CollectorRegistry(); e = Enum('e', 'h', states=['x', 'y'], registry=r)
    a = text(r); e.state('y'); b = text(r)
    a, b, om(r), e._states, e._value
""")
add(SCENARIOS, "enum.labelled", """
    r = CollectorRegistry(); e = Enum('e', 'h', ['l'], states=['x', 'y'], registry=r)
    e.labels('a').state('y'); e.labels('b')
    text(r)
""")

# _child_samples overrides: what a subclass yields is what the registry exposes.
add(SCENARIOS, "subclass.child_samples_override", """
    from prometheus_client.samples import Sample
    class MyCounter(Counter):
        def _child_samples(self):
            return (Sample('_total', {}, 42.0, None, None),)
    r = CollectorRegistry(); c = MyCounter('c', 'h', registry=r)
    c.inc()
    text(r), om(r)
""")
add(SCENARIOS, "subclass.child_samples_labelled", """
    from prometheus_client.samples import Sample
    class MyGauge(Gauge):
        def _child_samples(self):
            return (Sample('', {'extra': 'x'}, 7.0, None, None), Sample('_more', {}, 1.0, None, None))
    r = CollectorRegistry(); g = MyGauge('g', 'h', ['l'], registry=r)
    g.labels('a').set(1)
    text(r)
""")
add(SCENARIOS, "subclass.multiple_samples", """
    from prometheus_client.samples import Sample
    class MyGauge(Gauge):
        def _multi_samples(self):
            return ()
    r = CollectorRegistry(); g = MyGauge('g', 'h', registry=r)
    g.set(3)
    text(r)
""")
add(SCENARIOS, "subclass.type_attribute", """
    [(k.__name__, k._type) for k in (Counter, Gauge, Summary, Histogram, Info, Enum)]
""")

# Every update method on a labelled child, and the exposition after it.
CHILD_METHODS = {
    "counter_inc": ("Counter", "", "c.inc(); c.inc(4)"),
    "counter_count_exceptions": ("Counter", "", "try:\n    with c.count_exceptions():\n        raise ValueError\n"
                                                "except ValueError:\n    pass"),
    "counter_reset": ("Counter", "", "c.inc(3); c.reset()"),
    "gauge_inc_dec_set": ("Gauge", "", "c.inc(2); c.dec(5); c.set(c._value.get() * 2)"),
    "gauge_track_inprogress": ("Gauge", "", "with c.track_inprogress():\n    pass\nc.inc()"),
    "gauge_time": ("Gauge", "", "with c.time():\n    pass\nc.set(0 if c._value.get() < 5 else -1)"),
    "gauge_set_function": ("Gauge", "", "c.set_function(lambda: 12.5)"),
    "summary_observe_time": ("Summary", "", "c.observe(2)\nwith c.time():\n    pass\nc.observe(-1)\n"
                             "L = {'a': '1', 'b': '2'}\nresult = r.get_sample_value('m_count', L), "
                             "1 <= r.get_sample_value('m_sum', L) < 2"),
    "histogram_observe": ("Histogram", ", buckets=(1, 2)", "c.observe(1); c.observe(1.5); c.observe(9)"),
    "histogram_time_decorator": ("Histogram", ", buckets=(100,)", "@c.time()\ndef f():\n    return 1\nf(); f()\n"
                                 "result = [s.value for s in list(r.collect())[0].samples if 'bucket' in s.name]"),
    "info_info": ("Info", "", "c.info({'a': 'b'}); c.info({'a': 'c', 'd': 'e'})"),
    "enum_state": ("Enum", ", states=['x', 'y', 'z']", "c.state('z'); c.state('x')"),
}
for method_id, (cls, extra, code) in CHILD_METHODS.items():
    last = "" if "result =" in code else "text(r), om(r)"
    add(SCENARIOS, f"child_method.{method_id}", f"""
r = CollectorRegistry()
m = {cls}('m', 'h', ['a', 'b'], registry=r{extra})
c = m.labels(a='1', b='2')
{code}
{last}
""")

# What a parent and its children hold as attributes (libraries read them; ours share one settings object,
# see prometheus_client/_family_settings.py), and a setting written through a child reaching only that child.
CHILD_SETTINGS = {
    "counter": ("Counter", ""),
    "gauge": ("Gauge", ", multiprocess_mode='max'"),
    "summary": ("Summary", ""),
    "histogram": ("Histogram", ", buckets=(1, 2)"),
    "info": ("Info", ""),
    "enum": ("Enum", ", states=['x', 'y']"),
}
_SETTING_NAMES = (
    "_name", "_documentation", "_labelnames", "_labelvalues", "_unit", "_namespace", "_subsystem",
    "_original_name", "_kwargs", "_upper_bounds", "_multiprocess_mode", "_states", "_type",
)
for kind, (cls, extra) in CHILD_SETTINGS.items():
    add(SCENARIOS, f"child_settings.{kind}.attributes", f"""
r = CollectorRegistry()
m = {cls}('m', 'h', ['a'], namespace='ns', unit='seconds', registry=r{extra})
c = m.labels('1')
names = {_SETTING_NAMES!r}
result = [
    (name, catch(getattr, m, name), catch(getattr, c, name)) for name in names
], [(name, hasattr(m, name), hasattr(c, name)) for name in ('_lock', '_metrics')]
""")
    add(SCENARIOS, f"child_settings.{kind}.written_through_a_child", f"""
r = CollectorRegistry()
m = {cls}('m', 'h', ['a'], registry=r{extra})
c, d = m.labels('1'), m.labels('2')
c._documentation = 'changed'
c._unit = 'bytes'
result = [(x._name, x._documentation, x._unit, x._labelnames) for x in (m, c, d)], text(r)
""")
    add(SCENARIOS, f"child_settings.{kind}.instance_dict", f"""
r = CollectorRegistry()
m = {cls}('m', 'h', ['a'], registry=r{extra})
c = m.labels('1')
sorted(vars(c))
""")
