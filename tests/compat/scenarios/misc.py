# ruff: noqa: E501  (long reason strings and one-line scenarios read better unwrapped)
"""utils, validation, values, context managers, module attributes."""

from __future__ import annotations

from typing import Dict

from tests.compat.scenarios import add

SCENARIOS: Dict[str, str] = {}

FLOATS = ("0", "0.0", "-0.0", "1", "1.5", "1e6", "999999.0", "1e7", "-1e7", "1234567.5", "-1234567.5", "1e-5",
          "1e-7", "float('inf')", "float('-inf')", "float('nan')", "10**20", "-10**20", "2**53", "0.1+0.2",
          "'1.5'", "'abc'", "None", "True", "123456789.0", "1e16", "5e-324")
for position, expr in enumerate(FLOATS):
    add(SCENARIOS, f"floatToGoString.{position:02d}", f"catch(utils.floatToGoString, {expr})")
add(SCENARIOS, "utils.constants", "utils.INF, utils.MINUS_INF, repr(utils.NaN)")
add(SCENARIOS, "utils.parse_version", """
[catch(utils.parse_version, v) for v in ('1.0.0', '0.0.4', '2.0', 'abc', '')]
""")
add(SCENARIOS, "validation.patterns", """
(validation.METRIC_NAME_RE.pattern, validation.METRIC_LABEL_NAME_RE.pattern,
 validation.RESERVED_METRIC_LABEL_NAME_RE.pattern)
""")
add(SCENARIOS, "validation.legacy_toggle", """
a = validation.get_legacy_validation()
validation.enable_legacy_validation()
b = validation.get_legacy_validation()
r = CollectorRegistry()
e1 = catch(Counter, 'a.b', 'h', registry=r)
e2 = catch(Counter, 'ab', 'h', ['l.x'], registry=r)
validation.disable_legacy_validation()
a, b, e1, e2, validation.get_legacy_validation()
""")
add(SCENARIOS, "validation.legacy_env", """
os.environ['PROMETHEUS_LEGACY_NAME_VALIDATION'] = 'True'
r = CollectorRegistry()
catch(Counter, 'a.b', 'h', registry=r), validation.get_legacy_validation()
""")
add(SCENARIOS, "values.mutex_value", """
v = values.MutexValue('counter', 'c', 'c_total', [], [])
v.inc(2); a = v.get(); v.set(5); b = v.get()
a, b, catch(v.set_exemplar, Exemplar({'a': 'b'}, 1)), v.get_exemplar()
""")
add(SCENARIOS, "values.value_class", "values.ValueClass is values.MutexValue, values.get_value_class() is values.MutexValue")
add(SCENARIOS, "context_managers.classes", """
from prometheus_client import context_managers as cm
r = CollectorRegistry(); g = Gauge('g', 'h', registry=r); c = Counter('c', 'h', registry=r)
(type(g.time()).__name__, type(g.track_inprogress()).__name__, type(c.count_exceptions()).__name__,
 isinstance(g.time(), cm.Timer), isinstance(c.count_exceptions(), cm.ExceptionCounter))
""")
add(SCENARIOS, "context_managers.timer_reuse", """
r = CollectorRegistry(); s = Summary('s', 'h', registry=r)
t = s.time()
with t:
    pass
with t:
    pass
r.get_sample_value('s_count')
""")
add(SCENARIOS, "context_managers.timer_decorator_preserves", """
r = CollectorRegistry(); s = Summary('s', 'h', registry=r)
@s.time()
def f(a, b=2):
    '''doc'''
    return a + b
import inspect
f(1), f.__name__, f.__doc__, str(inspect.signature(f))
""")
add(SCENARIOS, "context_managers.async_timer", """
import asyncio
r = CollectorRegistry(); s = Summary('s', 'h', registry=r)
@s.time()
async def f():
    return 3
import inspect
inspect.iscoroutinefunction(f), asyncio.run(f()), r.get_sample_value('s_count')
""")
add(SCENARIOS, "context_managers.count_exceptions_async", """
import asyncio
r = CollectorRegistry(); c = Counter('c', 'h', registry=r)
@c.count_exceptions()
async def f():
    raise ValueError('x')
catch(asyncio.run, f()), r.get_sample_value('c_total')
""")
add(SCENARIOS, "module.all", "sorted(pc.__all__)")
add(SCENARIOS, "module.core_names", "sorted(n for n in dir(core) if not n.startswith('_'))")
add(SCENARIOS, "module.exposition_constants", """
exposition.CONTENT_TYPE_LATEST, exposition.CONTENT_TYPE_PLAIN_0_0_4, exposition.CONTENT_TYPE_PLAIN_1_0_0
""")
add(SCENARIOS, "module.metric_wrapper_base", """
issubclass(Counter, metrics.MetricWrapperBase), [c.__name__ for c in Counter.__mro__]
""")
add(SCENARIOS, "module.signatures", """
import inspect
[[(p.name, str(p.kind), repr(p.default)) for p in inspect.signature(f).parameters.values()] for f in (Counter.__init__, Gauge.__init__, Summary.__init__, Histogram.__init__,
 Info.__init__, Enum.__init__, CollectorRegistry.__init__, exposition.generate_latest, om_exposition.generate_latest,
 write_to_textfile, make_wsgi_app, exposition.choose_encoder, Counter.inc, Gauge.set, Histogram.observe,
 Counter.labels, Counter.remove)]
""")
add(SCENARIOS, "module.family_signatures", """
import inspect
[[(p.name, str(p.kind), repr(p.default)) for p in inspect.signature(c.__init__).parameters.values()] for c in (Metric, CounterMetricFamily, GaugeMetricFamily, SummaryMetricFamily,
 HistogramMetricFamily, GaugeHistogramMetricFamily, InfoMetricFamily, StateSetMetricFamily, UnknownMetricFamily)]
""")
add(SCENARIOS, "module.platform_collector", """
from prometheus_client.platform_collector import PlatformCollector
r = CollectorRegistry(); PlatformCollector(registry=r)
[(m.name, sorted(m.samples[0].labels)) for m in r.collect()]
""")
add(SCENARIOS, "module.process_collector_names", """
from prometheus_client.process_collector import ProcessCollector
r = CollectorRegistry(); ProcessCollector(registry=r)
sorted(m.name for m in r.collect())
""")
add(SCENARIOS, "module.gc_collector_names", """
from prometheus_client.gc_collector import GCCollector
r = CollectorRegistry(); GCCollector(registry=r)
[(m.name, m.type, sorted({tuple(sorted(s.labels)) for s in m.samples})) for m in r.collect()]
""")
