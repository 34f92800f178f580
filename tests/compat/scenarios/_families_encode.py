# Snapshot of /work/compare_families/scenarios_encode.py (the families/encoder engineer's scenarios), adapted by
# tests/compat/scenarios/families.py. Refresh by copying the file again; do not edit here.
# ruff: noqa
"""Encoder scenarios: families -> bytes in text (gl) and OpenMetrics (ogl), every escaping."""
S = []
ESC = ["underscores", "dots", "values", "allow-utf-8"]


def both(name, setup):
    """setup defines `fams` (a list of families); encode in every format and escaping."""
    for esc in ESC:
        S.append((f"{name}|text|{esc}", setup + f"\nout = gl(reg(*fams), escaping={esc!r})"))
        S.append((f"{name}|om|{esc}", setup + f"\nout = ogl(reg(*fams), escaping={esc!r})"))
    S.append((f"{name}|text|default", setup + "\nout = gl(reg(*fams))"))
    S.append((f"{name}|om|default", setup + "\nout = ogl(reg(*fams))"))
    S.append((f"{name}|om2", setup + "\nout = ogl(reg(*fams), version='2.0.0')"))


# Values that must fail (or not) at encode time.
for label, v in [("None", "None"), ("list", "[1]"), ("dict", "{}"), ("empty-str", "''"), ("x-str", "'x'"),
                 ("num-str", "'1.5'"), ("bytes", "b'2'"), ("bool", "True"), ("int", "3"), ("bigint", "10**400"),
                 ("decimal", "__import__('decimal').Decimal('1.1')"), ("nan", "float('nan')"),
                 ("inf", "float('inf')"), ("ninf", "float('-inf')"), ("complex", "1j"),
                 ("obj", "object()")]:
    both(f"value-{label}", f"m = GaugeMetricFamily('g', 'h'); m.add_metric([], {v}); fams = [m]")
    both(f"countervalue-{label}", f"m = CounterMetricFamily('c', 'h'); m.add_metric([], {v}); fams = [m]")
for v in ["0.0", "-0.0", "1.0", "1e6", "999999.0", "1000000.0", "1234567.0", "-1234567.0", "-1e6", "1e16", "1e22",
          "-1e22", "1e-5", "1.5e-7", "123456789.123", "-123456789.123", "5e-324", "1.7976931348623157e308",
          "0.1", "100", "-100", "2**53", "-(2**60)", "12345678", "1e300"]:
    both(f"float-{v}", f"m = GaugeMetricFamily('g', 'h'); m.add_metric([], {v}); fams = [m]")
    S.append((f"floatToGoString-{v}", f"out = om.floatToGoString({v})"))

NAMES = ["plain", "with_under", "dotted.name", "a:b", "a.b:c_d", "ünï", "1digit", "a-b", "_x", "__x", "a b", 'q"uo\\te', "a\nb"]
for n in NAMES:
    both(f"name-counter-{n!r}", f"fams = [CounterMetricFamily({n!r}, 'h', value=1, created=2, labels=None)]")
    both(f"name-gauge-{n!r}", f"m = GaugeMetricFamily({n!r}, 'h', labels=['l']); m.add_metric(['v'], 1); fams = [m]")
    both(f"labelname-{n!r}", f"m = GaugeMetricFamily('g', 'h', labels=[{n!r}, 'z']); m.add_metric(['v', 'w'], 1); fams = [m]")
    both(f"name-hist-{n!r}", f"fams = [HistogramMetricFamily({n!r}, 'h', buckets=[('1', 1), ('+Inf', 2)], sum_value=3)]")
    both(f"name-info-{n!r}", f"fams = [InfoMetricFamily({n!r}, 'h', value={{'k': 'v'}})]")
    both(f"name-ss-{n!r}", f"fams = [StateSetMetricFamily({n!r}, 'h', value={{'b': True, 'a': False}})]")
    both(f"name-gh-{n!r}", f"fams = [GaugeHistogramMetricFamily({n!r}, 'h', buckets=[('1', 1), ('+Inf', 2)], gsum_value=3)]")
    both(f"name-summary-{n!r}", f"m = SummaryMetricFamily({n!r}, 'h', count_value=1, sum_value=2); fams = [m]")
both("dotted-counter", "fams = [CounterMetricFamily('dotted.counter', 'h', value=1)]")
both("empty-family", "fams = [GaugeMetricFamily('g', 'h')]")
both("empty-counter", "fams = [CounterMetricFamily('c', 'h')]")
both("empty-registry", "fams = []")
both("unknown", "fams = [UnknownMetricFamily('u', 'h', value=1)]")
both("untyped-metric", "m = Metric('u', 'h', 'untyped'); m.add_sample('u', {}, 1); fams = [m]")
both("unit", "fams = [GaugeMetricFamily('g', 'h', value=1, unit='seconds')]")
both("unit-counter", "fams = [CounterMetricFamily('c', 'h', value=1, unit='bytes')]")
both("unit-weird", "fams = [GaugeMetricFamily('g', 'h', value=1, unit='a.b')]")
both("help-escape", "fams = [GaugeMetricFamily('g', 'a\\\\b\\nc\"d ü', value=1)]")
both("help-empty", "fams = [GaugeMetricFamily('g', '', value=1)]")
both("help-None", "fams = [GaugeMetricFamily('g', None, value=1)]")
both("help-int", "fams = [GaugeMetricFamily('g', 5, value=1)]")
both("labelvalue-escape", "m = GaugeMetricFamily('g', 'h', labels=['a', 'b']); m.add_metric(['x\\\\y\\n\"z', 'ü'], 1); fams = [m]")
both("labelvalue-None", "m = GaugeMetricFamily('g', 'h', labels=['a']); m.add_metric([None], 1); fams = [m]")
both("labelvalue-int", "m = GaugeMetricFamily('g', 'h', labels=['a']); m.add_metric([1], 1); fams = [m]")
both("labelname-int", "m = Metric('g', 'h', 'gauge'); m.add_sample('g', {1: 'a'}, 1); fams = [m]")
both("labelname-empty", "m = Metric('g', 'h', 'gauge'); m.add_sample('g', {'': 'a'}, 1); fams = [m]")
both("labels-sorted", "m = Metric('g', 'h', 'gauge'); m.add_sample('g', {'z': '1', 'a': '2', 'M': '3'}, 1); fams = [m]")
both("timestamps", "m = GaugeMetricFamily('g', 'h', labels=['a']); m.add_metric(['1'], 1, timestamp=1.5); m.add_metric(['2'], 1, timestamp=10); m.add_metric(['3'], 1, timestamp=pc.samples.Timestamp(1, 5)); m.add_metric(['4'], 1, timestamp=1e10); m.add_metric(['5'], 1, timestamp=0); fams = [m]")
both("timestamp-str", "m = GaugeMetricFamily('g', 'h'); m.add_metric([], 1, timestamp='7'); fams = [m]")
both("timestamp-bad", "m = GaugeMetricFamily('g', 'h'); m.add_metric([], 1, timestamp='x'); fams = [m]")
both("counter-exemplar", "fams = [CounterMetricFamily('c', 'h', value=1, exemplar=Exemplar({'t': 'a\"b'}, 0.5, 12))]")
both("counter-exemplar-nots", "fams = [CounterMetricFamily('c', 'h', value=1, exemplar=Exemplar({}, 2))]")
both("counter-exemplar-utf8-label", "fams = [CounterMetricFamily('c', 'h', value=1, exemplar=Exemplar({'a.b': 'x'}, 2))]")
both("counter-exemplar-value-str", "fams = [CounterMetricFamily('c', 'h', value=1, exemplar=Exemplar({}, 'x'))]")
both("counter-exemplar-ts-ns", "fams = [CounterMetricFamily('c', 'h', value=1, exemplar=Exemplar({'a': 'b'}, 1e7, pc.samples.Timestamp(3, 4)))]")
both("hist-exemplar", "fams = [HistogramMetricFamily('h', 'h', buckets=[('1', 1, Exemplar({'t': 'x'}, 0.3)), ('+Inf', 2, Exemplar({'t': 'y'}, 5, 1.0))], sum_value=3)]")
both("gh-exemplar", "m = Metric('gh', 'h', 'gaugehistogram'); m.add_sample('gh_bucket', {'le': '+Inf'}, 1, exemplar=Exemplar({'a': 'b'}, 1)); fams = [m]")
both("gauge-exemplar", "m = Metric('g', 'h', 'gauge'); m.add_sample('g', {}, 1, exemplar=Exemplar({'a': 'b'}, 1)); fams = [m]")
both("hist-sum-exemplar", "m = Metric('h', 'h', 'histogram'); m.add_sample('h_sum', {}, 1, exemplar=Exemplar({'a': 'b'}, 1)); fams = [m]")
both("hist-bare-exemplar", "m = Metric('h', 'h', 'histogram'); m.add_sample('h', {}, 1, exemplar=Exemplar({'a': 'b'}, 1)); fams = [m]")
both("counter-created-exemplar", "m = Metric('c', 'h', 'counter'); m.add_sample('c_created', {}, 1, exemplar=Exemplar({'a': 'b'}, 1)); fams = [m]")
both("counter-other-total-exemplar", "m = Metric('c', 'h', 'counter'); m.add_sample('zz_total', {}, 1, exemplar=Exemplar({'a': 'b'}, 1)); fams = [m]")
both("created-samples", "m = CounterMetricFamily('c', 'h', labels=['a']); m.add_metric(['1'], 1, created=1.7e9); m.add_metric(['2'], 2, created=1700000000.123); fams = [m]")
both("summary-created", "m = Metric('s', 'h', 'summary'); m.add_sample('s', {'quantile': '0.5'}, 1); m.add_sample('s_count', {}, 1); m.add_sample('s_sum', {}, 1); m.add_sample('s_created', {}, 1.5); fams = [m]")
both("hist-created", "m = Metric('h', 'h', 'histogram'); m.add_sample('h_bucket', {'le': '+Inf'}, 1); m.add_sample('h_created', {}, 1.5); m.add_sample('h_count', {}, 1); fams = [m]")
both("gh-nosum", "fams = [GaugeHistogramMetricFamily('gh', 'h', buckets=[('+Inf', 2)])]")
both("gh-labels", "m = GaugeHistogramMetricFamily('gh', 'h', labels=['a']); m.add_metric(['x'], [('1', 1), ('+Inf', 2)], 5); fams = [m]")
both("arbitrary-sample-names", "m = Metric('fam', 'h', 'gauge'); m.add_sample('other', {}, 1); m.add_sample('fam_total', {}, 2); m.add_sample('fam.x', {}, 3); m.add_sample('famx_created', {}, 4); m.add_sample('', {}, 5); fams = [m]")
both("arbitrary-sample-counter", "m = Metric('fam', 'h', 'counter'); m.add_sample('fam', {}, 1); m.add_sample('fam_created', {}, 2); m.add_sample('x.y_total', {}, 3); fams = [m]")
both("type-changed", "m = GaugeMetricFamily('g', 'h', value=1); m.type = 'weird'; fams = [m]")
both("type-untyped-set", "m = GaugeMetricFamily('g', 'h', value=1); m.type = 'untyped'; fams = [m]")
both("info-labels", "m = InfoMetricFamily('i', 'h', labels=['a']); m.add_metric(['1'], {'b': '2'}); fams = [m]")
both("stateset-labels", "m = StateSetMetricFamily('s', 'h', labels=['a']); m.add_metric(['1'], {'z': True, 'b': False}); fams = [m]")
both("two-families-second-bad", "a = GaugeMetricFamily('a', 'h', value=1); b = GaugeMetricFamily('b', 'h'); b.add_metric([], None); fams = [a, b]")
both("bad-then-created", "m = CounterMetricFamily('c', 'h', labels=['a']); m.add_metric(['1'], 1, created=2); m.add_metric(['2'], 'x'); fams = [m]")
both("bad-created", "m = CounterMetricFamily('c', 'h', labels=['a']); m.add_metric(['1'], 1, created='x'); fams = [m]")
both("sample-tuple", "m = Metric('g', 'h', 'gauge'); m.samples.append(pc.samples.Sample('g', {}, 1)); fams = [m]")
both("samples-not-Sample", "m = Metric('g', 'h', 'gauge'); m.samples.append(('g', {}, 1, None, None, None)); fams = [m]")
both("labels-None", "m = Metric('g', 'h', 'gauge'); m.add_sample('g', None, 1); fams = [m]")
both("hist-negative", "fams = [HistogramMetricFamily('h', 'h', buckets=[('-1', 1), ('+Inf', 2)], sum_value=3)]")
FREEZE = "import time as _t; _t.time = lambda: 1700000000.25; "
S.append(("instrument-counter-dots", FREEZE + "c = Counter('dotted.c', 'h', registry=R); c.inc(); out = gl(R, escaping='dots').replace(b'\\n', b'|')[:400]"))
S.append(("instrument-counter-dots-om", FREEZE + "c = Counter('dotted.c', 'h', registry=R); c.inc(); out = ogl(R, escaping='dots').split(b'\\n')[:4]"))
S.append(("instrument-counter-values-om", FREEZE + "c = Counter('dotted.c', 'h', ['l.x'], registry=R); c.labels('1').inc(); out = ogl(R, escaping='values').split(b'\\n')[:4]"))
S.append(("instrument-counter-values-om-legacy", FREEZE + "c = Counter('c', 'h', registry=R); c.inc(); out = ogl(R, escaping='values').split(b'\\n')[:4]"))
S.append(("instrument-counter-underscores-colon", FREEZE + "c = Counter('a:b', 'h', registry=R); c.inc(); out = ogl(R).split(b'\\n')[:4]"))
S.append(("instrument-hist-dots", FREEZE + "c = Histogram('d.h', 'h', registry=R, buckets=[1]); c.observe(0.5); out = [l for l in gl(R, escaping='dots').split(b'\\n') if not l.startswith(b'd_dot_h_created') and b'created ' not in l]"))
S.append(("instrument-hist-dots-om", FREEZE + "c = Histogram('d.h', 'h', registry=R, buckets=[1]); c.observe(0.5); out = [l for l in ogl(R, escaping='dots').split(b'\\n') if b'created' not in l]"))
S.append(("instrument-info-values", FREEZE + "c = Info('d.i', 'h', registry=R); c.info({'a': 'b'}); out = (gl(R, escaping='values'), ogl(R, escaping='values'))"))
S.append(("instrument-enum-dots", FREEZE + "c = Enum('d.e', 'h', states=['z', 'a'], registry=R); out = (gl(R, escaping='dots'), ogl(R, escaping='dots'))"))
S.append(("instrument-summary-utf8", FREEZE + "c = Summary('d.s', 'h', ['q.l'], registry=R); c.labels('1').observe(2); out = [l for l in ogl(R, escaping='allow-utf-8').split(b'\\n') if b'created' not in l]"))
S.append(("instrument-gauge-bad-label-escape", FREEZE + "c = Gauge('g', 'h', ['__a'], registry=R); c.labels('1').set(2); out = [gl(R, escaping=e) for e in ('underscores', 'dots', 'values', 'allow-utf-8')]"))
S.append(("escape-fns", "out = [(f(n, e)) for f in (om.escape_metric_name, om.escape_label_name) for e in ('underscores', 'dots', 'values', 'allow-utf-8', 'bogus') for n in ('', 'a', 'a.b', 'a:b', '__a', '1a', 'ü', 'a\"b', 'a_b', '\\ud800')]"))
S.append(("escape-default", "out = om.escape_metric_name('a.b'), om.escape_label_name('a.b')"))
S.append(("bad-escaping-text", "out = gl(reg(GaugeMetricFamily('a.b', 'h', value=1)), escaping='bogus')"))
S.append(("bad-escaping-om", "out = ogl(reg(GaugeMetricFamily('a.b', 'h', value=1)), escaping='bogus')"))
S.append(("bad-escaping-text-legacy", "out = gl(reg(GaugeMetricFamily('ab', 'h', value=1)), escaping='bogus')"))
S.append(("bad-version-om", "out = ogl(reg(GaugeMetricFamily('ab', 'h', value=1)), version='x')"))
S.append(("version-om-3", "out = ogl(reg(GaugeMetricFamily('ab', 'h', value=1)), version='3.0.0')"))
SCENARIOS = S
NH = "nh = pc.samples.NativeHistogram(3, 6, 0, 0.001, 1, (pc.samples.BucketSpan(0, 2),), (pc.samples.BucketSpan(-1, 1),), (1, 1), (2,), (Exemplar({'t': 'a'}, 1.5, 5),))\n"
both("native-histogram", NH + "m = Metric('nh', 'h', 'histogram'); m.add_sample('nh', {'a': 'b'}, None, native_histogram=nh); m.add_sample('nh_count', {}, 3); fams = [m]")
both("native-histogram-value0", NH + "m = Metric('nh', 'h', 'histogram'); m.add_sample('nh', {}, 0, native_histogram=nh); fams = [m]")
both("native-histogram-gauge", NH + "m = Metric('nh', 'h', 'gauge'); m.add_sample('nh', {}, 0, native_histogram=nh); fams = [m]")
SCENARIOS = S
