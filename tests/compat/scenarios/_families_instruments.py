# Snapshot of /work/compare_families/scenarios_instruments.py (the families/encoder engineer's scenarios), adapted by
# tests/compat/scenarios/families.py. Refresh by copying the file again; do not edit here.
# ruff: noqa
"""Built-in instruments (time frozen) encoded in both formats and every escaping."""
S = []
ESC = ["underscores", "dots", "values", "allow-utf-8"]
FREEZE = "import time as _t; _t.time = lambda: 1700000000.25\n"
SETUPS = {
    "counter-exemplar": "c = Counter('req.x', 'h', ['l.a', 'b'], registry=R); c.labels('1', 'q\"\\n\\\\').inc(2, exemplar={'trace.id': 'abc'}); c.labels('2', '').inc()",
    "counter-unit": "c = Counter('bytes', 'h', unit='bytes', registry=R); c.inc(5)",
    "counter-unit-total": "c = Counter('requests', 'h', unit='total', registry=R); c.inc(5)" ,
    "gauge": "g = Gauge('g', 'h', ['__x', 'le'], registry=R); g.labels('a', 'b').set(-1234567.0); g2 = Gauge('g2', 'h', registry=R); g2.set(float('nan'))",
    "histogram-exemplar": "h = Histogram('lat.s', 'h', ['m'], buckets=[0.1, 1, 1e7], registry=R); h.labels('GET').observe(0.05, exemplar={'t': '1'}); h.labels('GET').observe(5e6)",
    "summary": "s = Summary('s', 'h', ['quantile_x'], registry=R); s.labels('a').observe(3.5)",
    "info": "i = Info('build.x', 'h', ['k'], registry=R); i.labels('v').info({'version': '1.0', 'a.b': 'c'})",
    "enum": "e = Enum('st', 'h', states=['z', 'a', 'm'], registry=R); e.state('m')",
    "enum-labels": "e = Enum('st.x', 'h', ['inst'], states=['z', 'a'], registry=R); e.labels('i').state('a')",
    "target-info": "R.set_target_info({'service.name': 'x', 'a': 'b'}); Gauge('g', 'h', registry=R).set(1)",
    "custom-and-instrument": "Gauge('g', 'h', registry=R).set(1e22)\nclass C:\n    def collect(self):\n        yield CounterMetricFamily('cc', 'h', value=2, created=1.0)\nR.register(C())",
}
for name, setup in SETUPS.items():
    for esc in ESC:
        S.append((f"{name}|text|{esc}", FREEZE + setup + f"\nout = gl(R, escaping={esc!r})"))
        S.append((f"{name}|om|{esc}", FREEZE + setup + f"\nout = ogl(R, escaping={esc!r})"))
    S.append((f"{name}|om2", FREEZE + setup + "\nout = ogl(R, version='2.0.0')"))
    S.append((f"{name}|samples", FREEZE + setup + "\nout = [(f.name, f.type, f.unit, f.documentation, f.samples) for f in R.collect()]"))
SCENARIOS = S
