"""Exposition: generate_latest in both formats and every escaping, choose_encoder, gzip_accepted, WSGI."""

from __future__ import annotations

from typing import Dict

from tests.compat.scenarios import add

SCENARIOS: Dict[str, str] = {}

ESCAPINGS = ("underscores", "dots", "values", "allow-utf-8")
SETUP = """
r = CollectorRegistry()
c = Counter('http.requests', 'Requests.', ['my.label', 'code'], registry=r)
c.labels('a.b', '200').inc(3)
g = Gauge('plain_gauge', 'G.', ['l'], registry=r); g.labels('x\\ny').set(-1.5e7)
h = Histogram('lat_seconds', 'H.', registry=r, buckets=(0.5, 1)); h.observe(0.7)
s = Summary('sz', 'S.', registry=r); s.observe(2)
i = Info('build', 'I.', registry=r); i.info({'v': '1'})
e = Enum('st', 'E.', states=['on', 'off'], registry=r)
"""
for esc in ESCAPINGS:
    add(SCENARIOS, f"generate_latest.text.{esc}", SETUP + f"catch(text, r, escaping={esc!r})")
    add(SCENARIOS, f"generate_latest.om.{esc}", SETUP + f"catch(om, r, escaping={esc!r})")
    add(SCENARIOS, f"write_to_textfile.{esc}", SETUP + f"""
import tempfile
d = tempfile.mkdtemp(); p = os.path.join(d, 'x.prom')
write_to_textfile(p, r, escaping={esc!r})
with open(p, 'rb') as f:
    body = f.read()
body, sorted(os.listdir(d))
""")
add(SCENARIOS, "generate_latest.text.default", SETUP + "text(r)")
add(SCENARIOS, "generate_latest.om.default", SETUP + "om(r)")
add(SCENARIOS, "generate_latest.om.version2", SETUP + "catch(om, r, version='2.0.0')")
add(SCENARIOS, "generate_latest.om.version2_utf8", SETUP + "catch(om, r, escaping='allow-utf-8', version='2.0.0')")
add(SCENARIOS, "generate_latest.empty_registry", "r = CollectorRegistry(); text(r), om(r)")
add(SCENARIOS, "generate_latest.default_registry_type", "type(text()).__name__, type(om()).__name__")
add(SCENARIOS, "write_to_textfile.default", SETUP + """
import tempfile
d = tempfile.mkdtemp(); p = os.path.join(d, 'x.prom')
write_to_textfile(p, r)
with open(p, 'rb') as f:
    body = f.read()
body, sorted(os.listdir(d))
""")
add(SCENARIOS, "write_to_textfile.missing_dir", """
r = CollectorRegistry(); Counter('c', 'h', registry=r)
e = catch(write_to_textfile, '/nonexistent/dir/x.prom', r)
type(e).__name__, isinstance(e, OSError)
""")
add(SCENARIOS, "write_to_textfile.tmpdir", """
import tempfile
r = CollectorRegistry(); Counter('c', 'h', registry=r).inc()
d = tempfile.mkdtemp(); t = tempfile.mkdtemp(); p = os.path.join(d, 'x.prom')
write_to_textfile(p, r, tmpdir=t)
with open(p, 'rb') as f:
    body = f.read()
body, sorted(os.listdir(d)), sorted(os.listdir(t))
""")

ACCEPTS = {
    "none": None, "empty": "", "star": "*/*", "text_plain": "text/plain",
    "text_004": "text/plain; version=0.0.4", "text_100": "text/plain; version=1.0.0",
    "om": "application/openmetrics-text", "om_100": "application/openmetrics-text; version=1.0.0",
    "om_010": "application/openmetrics-text; version=0.0.1", "om_200": "application/openmetrics-text; version=2.0.0",
    "om_bad_version": "application/openmetrics-text; version=abc",
    "om_escaping_underscores": "application/openmetrics-text; version=1.0.0; escaping=underscores",
    "om_escaping_dots": "application/openmetrics-text; version=1.0.0; escaping=dots",
    "om_escaping_values": "application/openmetrics-text; version=1.0.0; escaping=values",
    "om_escaping_utf8": "application/openmetrics-text; version=1.0.0; escaping=allow-utf-8",
    "om2_escaping_utf8": "application/openmetrics-text; version=2.0.0; escaping=allow-utf-8",
    "om2_escaping_dots": "application/openmetrics-text; version=2.0.0; escaping=dots",
    "om_escaping_bogus": "application/openmetrics-text; version=1.0.0; escaping=bogus",
    "text_escaping_utf8": "text/plain; version=1.0.0; escaping=allow-utf-8",
    "text_escaping_dots": "text/plain; version=1.0.0; escaping=dots",
    "text_escaping_values": "text/plain; version=1.0.0; escaping=values",
    "text_004_escaping_utf8": "text/plain; version=0.0.4; escaping=allow-utf-8",
    "text_escaping_bogus": "text/plain; escaping=bogus",
    "prometheus_default": "application/openmetrics-text;version=1.0.0,application/openmetrics-text;"
                          "version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1",
    "q_weights_text_first": "text/plain;q=0.9, application/openmetrics-text;q=0.5",
    "spaces": "  application/openmetrics-text ;  version=1.0.0 ",
    "upper": "APPLICATION/OPENMETRICS-TEXT",
    "protobuf": "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited",
    "json": "application/json",
    "list_text_then_om": "text/plain, application/openmetrics-text",
}
ENC_SETUP = """
r = CollectorRegistry()
c = Counter('a.b', 'h', ['l.x'], registry=r); c.labels('v').inc()
Gauge('plain', 'h', registry=r).set(2)
"""
for accept_id, header in ACCEPTS.items():
    add(SCENARIOS, f"choose_encoder.{accept_id}", ENC_SETUP + f"""
encoder, content_type = exposition.choose_encoder({header!r})
content_type, catch(encoder, r)
""")
ENCODINGS = {
    "none": None, "empty": "", "gzip": "gzip", "gzip_deflate": "gzip, deflate, br", "upper": "GZIP",
    "q0": "gzip;q=0", "q05": "gzip;q=0.5", "star": "*", "deflate": "deflate", "x_gzip": "x-gzip",
    "spaces": " deflate , gzip ",
}
for enc_id, header in ENCODINGS.items():
    add(SCENARIOS, f"gzip_accepted.{enc_id}", f"catch(exposition.gzip_accepted, {header!r})")

ENVIRONS = {
    "get": {"REQUEST_METHOD": "GET", "PATH_INFO": "/metrics"},
    "get_root": {"REQUEST_METHOD": "GET", "PATH_INFO": "/"},
    "get_om": {"REQUEST_METHOD": "GET", "PATH_INFO": "/metrics", "HTTP_ACCEPT": "application/openmetrics-text"},
    "get_name_filter": {"REQUEST_METHOD": "GET", "PATH_INFO": "/metrics", "QUERY_STRING": "name[]=plain"},
    "get_name_filter_two": {"REQUEST_METHOD": "GET", "PATH_INFO": "/metrics",
                            "QUERY_STRING": "name[]=plain&name[]=a_b_total"},
    "get_name_filter_none": {"REQUEST_METHOD": "GET", "PATH_INFO": "/metrics", "QUERY_STRING": "name[]=zzz"},
    "favicon": {"REQUEST_METHOD": "GET", "PATH_INFO": "/favicon.ico"},
    "post": {"REQUEST_METHOD": "POST", "PATH_INFO": "/metrics"},
    "head": {"REQUEST_METHOD": "HEAD", "PATH_INFO": "/metrics"},
    "options": {"REQUEST_METHOD": "OPTIONS", "PATH_INFO": "/metrics"},
    "delete": {"REQUEST_METHOD": "DELETE", "PATH_INFO": "/metrics"},
    "gzip": {"REQUEST_METHOD": "GET", "PATH_INFO": "/metrics", "HTTP_ACCEPT_ENCODING": "gzip"},
    "escaping_utf8": {"REQUEST_METHOD": "GET", "PATH_INFO": "/metrics",
                      "HTTP_ACCEPT": "text/plain; version=1.0.0; escaping=allow-utf-8"},
}
WSGI_RUN = """
import gzip as _gzip
got = {}
def start_response(status, headers, exc_info=None):
    got['status'] = status; got['headers'] = headers
body = b''.join(app(ENVIRON, start_response))
if dict(got['headers']).get('Content-Encoding') == 'gzip':
    body = ('gunzipped', _gzip.decompress(body))
if 'name[]' in ENVIRON.get('QUERY_STRING', '') and isinstance(body, bytes):
    # The official client walks the matching collectors in set order (by id): compare lines sorted.
    body = sorted(body.splitlines())
got['status'], got['headers'], body
"""
for env_id, environ in ENVIRONS.items():
    add(SCENARIOS, f"wsgi.{env_id}", ENC_SETUP + f"app = make_wsgi_app(r)\nENVIRON = {environ!r}\n" + WSGI_RUN)
add(SCENARIOS, "wsgi.disable_compression", ENC_SETUP + """
app = make_wsgi_app(r, disable_compression=True)
ENVIRON = {'REQUEST_METHOD': 'GET', 'PATH_INFO': '/metrics', 'HTTP_ACCEPT_ENCODING': 'gzip'}
""" + WSGI_RUN)

add(SCENARIOS, "content_types", """
(pc.CONTENT_TYPE_LATEST, pc.CONTENT_TYPE_PLAIN_0_0_4, pc.CONTENT_TYPE_PLAIN_1_0_0,
 om_exposition.CONTENT_TYPE_LATEST, om_exposition.CONTENT_TYPE_LATEST_2_0, om_exposition.ESCAPING_HEADER_TAG,
 om_exposition.UNDERSCORES, om_exposition.DOTS, om_exposition.VALUES, om_exposition.ALLOWUTF8)
""")
add(SCENARIOS, "text.exemplars_not_in_text", """
r = CollectorRegistry(); h = Histogram('h', 'h', registry=r, buckets=(1,)); h.observe(0.5, {'t': '1'})
text(r)
""")
add(SCENARIOS, "text.timestamps", """
from prometheus_client.samples import Sample, Timestamp
class C(Collector):
    def collect(self):
        m = Metric('g', 'h', 'gauge')
        m.samples.append(Sample('g', {'a': '1'}, 1.0, 1234.5))
        m.samples.append(Sample('g', {'a': '2'}, 2.0, Timestamp(12, 345)))
        m.samples.append(Sample('g', {'a': '3'}, 3.0, 0))
        yield m
r = CollectorRegistry(); r.register(C())
catch(text, r), catch(om, r)
""")
add(SCENARIOS, "text.created_enabled", """
enable_created_metrics()
r = CollectorRegistry(); c = Counter('c', 'h', registry=r); c.inc()
s = Summary('s', 'h', registry=r)
text(r), om(r)
""")
add(SCENARIOS, "text.created_disabled_again", """
enable_created_metrics(); disable_created_metrics()
r = CollectorRegistry(); c = Counter('c', 'h', registry=r); c.inc()
text(r)
""")
add(SCENARIOS, "text.gauge_histogram_family", """
class C(Collector):
    def collect(self):
        yield GaugeHistogramMetricFamily('gh', 'h', buckets=[('1', 2), ('+Inf', 3)], gsum_value=7)
r = CollectorRegistry(); r.register(C())
text(r), om(r)
""")
add(SCENARIOS, "text.unknown_family", """
class C(Collector):
    def collect(self):
        yield UnknownMetricFamily('u', 'h', value=1)
        yield UntypedMetricFamily('v', 'h', value=2)
r = CollectorRegistry(); r.register(C())
text(r), om(r)
""")
add(SCENARIOS, "text.stateset_family", """
class C(Collector):
    def collect(self):
        yield StateSetMetricFamily('ss', 'h', value={'a': True, 'b': False})
r = CollectorRegistry(); r.register(C())
text(r), om(r)
""")
add(SCENARIOS, "text.big_and_small_numbers", """
r = CollectorRegistry(); g = Gauge('g', 'h', ['v'], registry=r)
for v in (1e6, -1e6, 1e7, -1e7, 1234567.5, -1234567.5, 1e-7, 123456789012345678, 0.1 + 0.2, -0.0, 2**53 + 1):
    g.labels(repr(v)).set(v)
text(r), om(r)
""")

NATIVE = """
from prometheus_client.samples import Sample, NativeHistogram, BucketSpan
class C(Collector):
    def collect(self):
        m = Metric('nh', 'h', 'histogram')
        nh = NativeHistogram(24, 100, 0, 0.001, 4, (BucketSpan(0, 2), BucketSpan(1, 2)), None, (2, 1, -2, 3))
        m.samples.append(Sample('nh', {'l': 'x'}, None, None, None, nh))
        yield m
        g = Metric('plain', 'h', 'gauge'); g.samples.append(Sample('plain', {}, 1.0)); yield g
r = CollectorRegistry(); r.register(C())
"""
for fmt, call in (("text", "text(r)"), ("om", "om(r)"), ("om2", "om(r, version='2.0.0')")):
    add(SCENARIOS, f"native_histogram.{fmt}", NATIVE + f"catch(lambda: {call})")
add(SCENARIOS, "native_histogram.parse_roundtrip", NATIVE + "catch(lambda: parse_om(om(r).decode()))")
# What our native Histogram yields, as a custom collector gives it to the official writer: the native
# sample first (with negative spans, a NaN-free float sum, its exemplar), then the classic samples.
NATIVE_AND_CLASSIC = """
from prometheus_client.samples import Sample, NativeHistogram, BucketSpan, Exemplar
class C(Collector):
    def collect(self):
        m = Metric('lat', 'h', 'histogram')
        for l in ('a', 'b'):
            nh = NativeHistogram(5, 2.75, 3, 2.0 ** -128, 1, (BucketSpan(-8, 1), BucketSpan(7, 3)),
                                 (BucketSpan(8, 1),), (1, 0, -1, 1), (1,), (Exemplar({'t': 'x'}, 0.5, 1.5),))
            m.samples.append(Sample('lat', {'l': l}, None, None, None, nh))
            m.samples.append(Sample('lat_bucket', {'l': l, 'le': '1.0'}, 3.0, None, Exemplar({'t': 'y'}, 0.5)))
            m.samples.append(Sample('lat_bucket', {'l': l, 'le': '+Inf'}, 5.0))
            m.samples.append(Sample('lat_count', {'l': l}, 5.0))
            m.samples.append(Sample('lat_sum', {'l': l}, 2.75))
        yield m
        n = Metric('only', 'h', 'histogram')
        n.samples.append(Sample('only', {}, None, None, None, NativeHistogram(0, 0.0, 0, 0.0, 0)))
        yield n
r = CollectorRegistry(); r.register(C())
"""
for fmt, call in (("om", "om(r)"), ("om2", "om(r, version='2.0.0')")):
    add(SCENARIOS, f"native_and_classic_histogram.{fmt}", NATIVE_AND_CLASSIC + f"catch(lambda: {call})")
add(SCENARIOS, "write_to_textfile.collector_fails_keeps_old_file", """
import tempfile
d = tempfile.mkdtemp(); p = os.path.join(d, 'x.prom')
with open(p, 'w') as f:
    f.write('old 1\\n')
class C(Collector):
    def collect(self):
        raise RuntimeError('collector broke')
        yield
r = CollectorRegistry(); r.register(C())
e = catch(write_to_textfile, p, r)
with open(p) as f:
    kept = f.read()
e, kept, sorted(os.listdir(d))
""")
add(SCENARIOS, "write_to_textfile.overwrites", """
import tempfile
d = tempfile.mkdtemp(); p = os.path.join(d, 'x.prom')
r = CollectorRegistry(); g = Gauge('g', 'h', registry=r)
g.set(1); write_to_textfile(p, r); g.set(2); write_to_textfile(p, r)
with open(p, 'rb') as f:
    body = f.read()
body, sorted(os.listdir(d))
""")
