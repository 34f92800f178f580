"""CollectorRegistry: register/unregister, duplicates, get_sample_value, restricted_registry, target info."""

from __future__ import annotations

from typing import Dict

from tests.compat.scenarios import add

SCENARIOS: Dict[str, str] = {}

DUPLICATES = {
    "same_name": "Counter('a', 'h', registry=r); Counter('a', 'h', registry=r)",
    "total_vs_plain": "Counter('a', 'h', registry=r); Gauge('a_total', 'h', registry=r)",
    "created_clash": "Counter('a', 'h', registry=r); Gauge('a_created', 'h', registry=r)",
    "histogram_bucket": "Histogram('h', 'h', registry=r); Gauge('h_bucket', 'h', registry=r)",
    "histogram_sum": "Histogram('h', 'h', registry=r); Gauge('h_sum', 'h', registry=r)",
    "summary_count": "Summary('s', 'h', registry=r); Counter('s_count', 'h', registry=r)",
    "info_clash": "Info('i', 'h', registry=r); Gauge('i_info', 'h', registry=r)",
    "enum_same": "Enum('e', 'h', states=['a'], registry=r); Gauge('e', 'h', registry=r)",
    "gauge_vs_counter_base": "Gauge('a', 'h', registry=r); Counter('a', 'h', registry=r)",
    "different_types_same_base": "Summary('a', 'h', registry=r); Histogram('a', 'h', registry=r)",
}
for dup_id, code in DUPLICATES.items():
    first, second = code.split("; ")
    add(SCENARIOS, f"duplicate.{dup_id}", f"""
        r = CollectorRegistry()
        {first}
        e = catch(lambda: {second})
        e, text(r)
    """)
add(SCENARIOS, "duplicate.same_collector_twice", """
r = CollectorRegistry(); c = Counter('a', 'h', registry=None)
r.register(c); catch(r.register, c)
""")
add(SCENARIOS, "duplicate.custom_collectors", """
class C(Collector):
    def collect(self):
        yield GaugeMetricFamily('x', 'h', value=1)
r = CollectorRegistry(); r.register(C())
catch(r.register, C()), text(r)
""")
add(SCENARIOS, "unregister", """
r = CollectorRegistry(); c = Counter('a', 'h', registry=r); g = Gauge('b', 'h', registry=r)
r.unregister(c)
a = text(r)
c2 = Counter('a', 'h', registry=r)
a, text(r), catch(r.unregister, Gauge('zz', 'h', registry=None))
""")
add(SCENARIOS, "unregister_twice", """
r = CollectorRegistry(); c = Counter('a', 'h', registry=r)
r.unregister(c); catch(r.unregister, c)
""")
add(SCENARIOS, "get_sample_value", """
r = CollectorRegistry(); c = Counter('a', 'h', ['l'], registry=r); c.labels('x').inc(4)
h = Histogram('h', 'h', registry=r, buckets=(1,)); h.observe(0.5)
(r.get_sample_value('a_total', {'l': 'x'}), r.get_sample_value('a_total', {'l': 'y'}),
 r.get_sample_value('a_total'), r.get_sample_value('nope'), r.get_sample_value('h_bucket', {'le': '1.0'}),
 r.get_sample_value('h_count'), catch(r.get_sample_value, 'a_total', {'l': 5}))
""")
add(SCENARIOS, "get_sample_value_default_registry", """
c = Counter('gsv_default', 'h'); c.inc(2)
v = REGISTRY.get_sample_value('gsv_default_total')
REGISTRY.unregister(c)
v, REGISTRY.get_sample_value('gsv_default_total')
""")
add(SCENARIOS, "restricted_registry", """
r = CollectorRegistry(); Counter('a', 'h', registry=r).inc(); Gauge('b', 'h', registry=r).set(2)
Histogram('h', 'h', registry=r, buckets=(1,)).observe(2)
# Several names: the official client walks the matching collectors in set order (by id), so the
# family order varies from run to run; the lines are compared sorted.
(text(r.restricted_registry(['a_total'])), sorted(text(r.restricted_registry(['b', 'h_count'])).splitlines()),
 text(r.restricted_registry([])), text(r.restricted_registry(['zz'])), text(r.restricted_registry(['a'])),
 type(r.restricted_registry(['b'])).__name__)
""")
add(SCENARIOS, "restricted_registry_custom_no_describe", """
class C(Collector):
    def collect(self):
        yield GaugeMetricFamily('x', 'h', value=1)
        yield GaugeMetricFamily('y', 'h', value=2)
r = CollectorRegistry(); r.register(C())
text(r.restricted_registry(['x']))
""")
add(SCENARIOS, "restricted_registry_auto_describe", """
class C(Collector):
    def collect(self):
        yield GaugeMetricFamily('x', 'h', value=1)
        yield GaugeMetricFamily('y', 'h', value=2)
r = CollectorRegistry(auto_describe=True); r.register(C())
text(r.restricted_registry(['x']))
""")
add(SCENARIOS, "restricted_registry_target_info", """
r = CollectorRegistry(target_info={'env': 'prod'}); Gauge('b', 'h', registry=r).set(2)
text(r.restricted_registry(['target_info'])), text(r.restricted_registry(['b']))
""")
add(SCENARIOS, "target_info", """
r = CollectorRegistry(target_info={'service': 'x', 'version': '1'})
Gauge('g', 'h', registry=r)
a = (r.get_target_info(), text(r), om(r))
r.set_target_info({'a': 'b'})
b = (r.get_target_info(), text(r))
r.set_target_info(None)
a, b, r.get_target_info(), text(r)
""")
add(SCENARIOS, "target_info_clash", """
r = CollectorRegistry(); Info('target', 'h', registry=r)
catch(r.set_target_info, {'a': 'b'}), catch(CollectorRegistry, target_info={'1bad': 'x'})
""")
add(SCENARIOS, "target_info_then_metric", """
r = CollectorRegistry(target_info={'a': 'b'})
catch(Info, 'target', 'h', registry=r)
""")
add(SCENARIOS, "collect_order", """
r = CollectorRegistry()
for n in ('z', 'a', 'm'):
    Gauge(n, 'h', registry=r)
[m.name for m in r.collect()]
""")
add(SCENARIOS, "describe_collector_with_describe", """
class C(Collector):
    def collect(self):
        yield GaugeMetricFamily('late', 'h', value=1)
    def describe(self):
        return [GaugeMetricFamily('early', 'h')]
r = CollectorRegistry(); r.register(C())
catch(Gauge, 'early', 'h', registry=r), text(r)
""")
add(SCENARIOS, "auto_describe", """
class C(Collector):
    def collect(self):
        yield GaugeMetricFamily('x', 'h', value=1)
r = CollectorRegistry(auto_describe=True); r.register(C())
catch(Gauge, 'x', 'h', registry=r)
""")
add(SCENARIOS, "no_auto_describe", """
class C(Collector):
    def collect(self):
        yield GaugeMetricFamily('x', 'h', value=1)
r = CollectorRegistry(); r.register(C())
g = catch(Gauge, 'x', 'h', registry=r)
type(g).__name__, catch(text, r)
""")
add(SCENARIOS, "global_registry_register_unregister", """
c = Counter('global_scenario_counter', 'h')
names = [m.name for m in REGISTRY.collect() if m.name == 'global_scenario_counter']
REGISTRY.unregister(c)
after = [m.name for m in REGISTRY.collect() if m.name == 'global_scenario_counter']
names, after
""")
add(SCENARIOS, "default_registry_collectors", """
sorted({m.name for m in REGISTRY.collect()} & {'python_info', 'process_cpu_seconds', 'python_gc_objects_collected'})
""")
add(SCENARIOS, "duplicate_timeseries_class", """
from prometheus_client.registry import DuplicateTimeseries
r = CollectorRegistry(); Counter('a', 'h', registry=r)
e = catch(Counter, 'a', 'h', registry=r)
issubclass(DuplicateTimeseries, ValueError), isinstance(e, DuplicateTimeseries), type(e).__name__
""")
add(SCENARIOS, "registry_is_collector", """
r = CollectorRegistry(); isinstance(r, Collector), hasattr(r, 'collect'), callable(r.restricted_registry)
""")

# Multiprocess mode in one process: PROMETHEUS_MULTIPROC_DIR set in the scenario's own forked child, the
# value class chosen again (both clients read the directory when a metric is made through values.ValueClass),
# the directory read back by MultiProcessCollector. The pid in file names and `pid` labels is masked.
MP = """
import re, tempfile
d = tempfile.mkdtemp(); os.environ['PROMETHEUS_MULTIPROC_DIR'] = d
values.ValueClass = values.get_value_class()
from prometheus_client.multiprocess import MultiProcessCollector, mark_process_dead
r = CollectorRegistry()
def scrape(escaping=None):
    mr = CollectorRegistry(); MultiProcessCollector(mr, path=d)
    out = (text(mr) if escaping is None else om(mr)).replace(str(os.getpid()).encode(), b'PID')
    # Families come in the order the collector finds files (glob order, which varies): sort them by name.
    eof = b'# EOF\\n' if out.endswith(b'# EOF\\n') else b''
    blocks = re.split(rb'(?m)^(?=# HELP )', out[:len(out) - len(eof)])
    return b''.join(sorted(blocks)) + eof
def files():
    return sorted(re.sub(str(os.getpid()), 'PID', n) for n in os.listdir(d))
"""
MP_CASES = {
    "counter": "c = Counter('c', 'h', ['l'], registry=r); c.labels('a').inc(2); c.labels('b').inc()",
    "histogram": "h = Histogram('hh', 'h', registry=r, buckets=(1, 5)); h.observe(0.5); h.observe(3)",
    "summary": "s = Summary('s', 'h', registry=r); s.observe(2); s.observe(4)",
    "gauge_all": "g = Gauge('g', 'h', registry=r); g.set(3)",
    "gauge_liveall": "g = Gauge('g', 'h', registry=r, multiprocess_mode='liveall'); g.set(3)",
    "gauge_livesum": "g = Gauge('g', 'h', registry=r, multiprocess_mode='livesum'); g.set(3)",
    "gauge_max": "g = Gauge('g', 'h', ['l'], registry=r, multiprocess_mode='max'); g.labels('x').set(-3)",
    "gauge_min": "g = Gauge('g', 'h', registry=r, multiprocess_mode='min'); g.set(7)",
    "gauge_sum": "g = Gauge('g', 'h', registry=r, multiprocess_mode='sum'); g.inc(2); g.dec(0.5)",
    "gauge_mostrecent": "g = Gauge('g', 'h', registry=r, multiprocess_mode='mostrecent'); g.set(1); g.set(9)",
    "gauge_livemostrecent": "g = Gauge('g', 'h', registry=r, multiprocess_mode='livemostrecent'); g.set(4)",
    "mixed": ("Counter('c', 'h', registry=r).inc(); Gauge('g', 'h', registry=r, multiprocess_mode='max').set(2); "
              "Histogram('hh', 'h', registry=r, buckets=(1,)).observe(2)"),
}
for case_id, code in MP_CASES.items():
    add(SCENARIOS, f"multiprocess.{case_id}", MP + code + "\nscrape(), scrape('om'), files()\n")
add(SCENARIOS, "multiprocess.mark_process_dead", MP + """
Gauge('g', 'h', registry=r, multiprocess_mode='livesum').set(3)
Gauge('a', 'h', registry=r, multiprocess_mode='liveall').set(1)
Counter('c', 'h', registry=r).inc()
before = files()
mark_process_dead(os.getpid(), d)
before, scrape()
""")
add(SCENARIOS, "multiprocess.info_enum", MP + """
i = catch(Info, 'i', 'h', registry=r)
e = catch(Enum, 'e', 'h', states=['a'], registry=r)
type(i).__name__, type(e).__name__, scrape()
""")
add(SCENARIOS, "multiprocess.no_directory", """
from prometheus_client.multiprocess import MultiProcessCollector
catch(MultiProcessCollector, CollectorRegistry(), path='/nonexistent/dir')
""")

# ASGI: the app driven by hand with asyncio.
ASGI = """
import asyncio
r = CollectorRegistry(); Counter('a', 'h', registry=r).inc(); Gauge('b', 'h', registry=r).set(2)
app = make_asgi_app(r)
def call(scope):
    sent = []
    async def receive():
        return {'type': 'http.request', 'body': b'', 'more_body': False}
    async def send(message):
        sent.append(message)
    asyncio.run(app(scope, receive, send))
    return sent
"""
ASGI_SCOPES = {
    "get": {"type": "http", "method": "GET", "path": "/metrics", "headers": [], "query_string": b""},
    "om": {"type": "http", "method": "GET", "path": "/metrics", "query_string": b"",
           "headers": [(b"accept", b"application/openmetrics-text")]},
    "name_filter": {"type": "http", "method": "GET", "path": "/metrics", "headers": [], "query_string": b"name[]=b"},
    "post": {"type": "http", "method": "POST", "path": "/metrics", "headers": [], "query_string": b""},
}
for scope_id, scope in ASGI_SCOPES.items():
    add(SCENARIOS, f"asgi.{scope_id}", ASGI + f"catch(call, {scope!r})\n")
