# Snapshot of /work/compare_families/scenarios_registry.py (the families/encoder engineer's scenarios), adapted by
# tests/compat/scenarios/families.py. Refresh by copying the file again; do not edit here.
# ruff: noqa
"""Pairs of registrations: does the second clash (and on which names), as in the official client?"""
S = []
INSTR = {
    "C": "Counter('{n}', 'h', registry=R)",
    "Cl": "Counter('{n}', 'h', ['l'], registry=R)",
    "Ct": "Counter('{n}_total', 'h', registry=R)",
    "G": "Gauge('{n}', 'h', registry=R)",
    "S": "Summary('{n}', 'h', registry=R)",
    "H": "Histogram('{n}', 'h', registry=R)",
    "I": "Info('{n}', 'h', registry=R)",
    "E": "Enum('{n}', 'h', states=['a'], registry=R)",
    "Cu": "Counter('{n}', 'h', unit='seconds', registry=R)",
    "Gu": "Gauge('{n}', 'h', unit='seconds', registry=R)",
}
NAMES = {
    "C": ["x", "x_total", "x_created"], "G": ["x", "x_total", "x_created", "x_bucket", "x_count", "x_sum", "x_info",
                                              "x_seconds", "x_seconds_total"],
}
pairs = []
for a in INSTR:
    for b in INSTR:
        pairs.append((INSTR[a].format(n="x"), INSTR[b].format(n="x")))
for suffix in ["_total", "_created", "_bucket", "_count", "_sum", "_info", "_gsum", "_gcount", "_seconds"]:
    for a in ["C", "S", "H", "I", "Cu"]:
        pairs.append((INSTR[a].format(n="x"), INSTR["G"].format(n="x" + suffix)))
        pairs.append((INSTR["G"].format(n="x" + suffix), INSTR[a].format(n="x")))

for i, (a, b) in enumerate(pairs):
    code = f"""
a = {a}
try:
    b = {b}
    out = 'ok'
except ValueError as e:
    out = (type(e).__name__, str(e).startswith('Duplicated timeseries in CollectorRegistry: '), sorted(getattr(e, 'duplicates', [])))
"""
    S.append((f"pair-{i}: {a} + {b}", code))

FAM_COLLECTOR = '''
class Col:
    def __init__(self, fams, describe=True):
        self.fams = fams
        if describe:
            self.describe = lambda: self.fams
    def collect(self):
        return self.fams
'''
FAMS = {
    "counter": "CounterMetricFamily('x', 'h', value=1)",
    "counter_total": "CounterMetricFamily('x_total', 'h', value=1)",
    "gauge": "GaugeMetricFamily('x', 'h', value=1)",
    "gauge_total": "GaugeMetricFamily('x_total', 'h', value=1)",
    "gauge_created": "GaugeMetricFamily('x_created', 'h', value=1)",
    "gauge_bucket": "GaugeMetricFamily('x_bucket', 'h', value=1)",
    "gauge_gsum": "GaugeMetricFamily('x_gsum', 'h', value=1)",
    "gauge_info": "GaugeMetricFamily('x_info', 'h', value=1)",
    "summary": "SummaryMetricFamily('x', 'h', count_value=1, sum_value=1)",
    "histogram": "HistogramMetricFamily('x', 'h', buckets=[('+Inf', 1)], sum_value=1)",
    "gaugehistogram": "GaugeHistogramMetricFamily('x', 'h', buckets=[('+Inf', 1)], gsum_value=1)",
    "info": "InfoMetricFamily('x', 'h', value={'a': 'b'})",
    "stateset": "StateSetMetricFamily('x', 'h', value={'a': True})",
    "unknown": "UnknownMetricFamily('x', 'h', value=1)",
    "empty_gauge": "GaugeMetricFamily('x', 'h')",
}
for ka, a in FAMS.items():
    for kb, b in FAMS.items():
        for mode in ["describe", "auto", "none"]:
            desc = "True" if mode == "describe" else "False"
            reg = "CollectorRegistry(auto_describe=True)" if mode == "auto" else "CollectorRegistry()"
            code = FAM_COLLECTOR + f"""
R = {reg}
R.register(Col([{a}], {desc}))
try:
    R.register(Col([{b}], {desc}))
    out = 'ok'
except ValueError as e:
    out = (type(e).__name__, str(e).startswith('Duplicated timeseries in CollectorRegistry: '), sorted(getattr(e, 'duplicates', [])))
"""
            S.append((f"fam-{mode}: {ka} + {kb}", code))

S.append(("same-collector-twice-described", FAM_COLLECTOR + """
c = Col([GaugeMetricFamily('x', 'h')])
R.register(c)
try:
    R.register(c); out = 'ok'
except ValueError as e:
    out = (type(e).__name__, str(e)[:44])
"""))
S.append(("same-collector-twice-undescribed", FAM_COLLECTOR + """
c = Col([GaugeMetricFamily('x', 'h')], False)
R.register(c); R.register(c)
out = [f.name for f in R.collect()]
"""))
S.append(("same-collector-twice-empty-describe", FAM_COLLECTOR + """
c = Col([])
R.register(c); R.register(c)
out = [f.name for f in R.collect()]
"""))
S.append(("unregister-unknown", FAM_COLLECTOR + "R.unregister(Col([]))"))
S.append(("target-info-clash", "R.set_target_info({'a': 'b'}); Gauge('target_info', 'h', registry=R)"))
S.append(("target-info-after", "Gauge('target_info', 'h', registry=R); R.set_target_info({'a': 'b'})"))
S.append(("target-info-info-clash", "R.set_target_info({'a': 'b'}); Info('target', 'h', registry=R)"))
S.append(("target-info-gen", "R.set_target_info({'a': 'b'}); out = gl(R)"))
S.append(("target-info-get", "R.set_target_info({'a': 'b'}); out = R.get_target_info()"))
S.append(("target-info-none", "out = R.get_target_info()"))
S.append(("target-info-empty", "R.set_target_info({}); out = R.get_target_info()"))
S.append(("dup-message", "Counter('x', 'h', registry=R)\ntry:\n    Counter('x', 'h', registry=R)\nexcept ValueError as e:\n    out = str(e)"))
S.append(("dup-message-one", "Gauge('x_total', 'h', registry=R)\ntry:\n    Counter('x', 'h', registry=R)\nexcept ValueError as e:\n    out = str(e)"))
S.append(("dup-type", "Counter('x', 'h', registry=R)\ntry:\n    Counter('x', 'h', registry=R)\nexcept Exception as e:\n    out = (type(e).__name__, type(e).__mro__[1].__name__, isinstance(e, pc.registry.DuplicateTimeseries))"))
S.append(("restricted", "c = Counter('x', 'h', registry=R); c.inc(); g = Gauge('y', 'h', registry=R); out = [l for l in gl(R.restricted_registry(['x_total', 'y'])).split(b'\\n') if b'created' not in l]"))
S.append(("restricted-name", "c = Counter('x', 'h', registry=R); c.inc(); out = [l for l in gl(R.restricted_registry(['x'])).split(b'\\n') if b'created' not in l]"))
SCENARIOS = S
for flag in (False, True):
    for auto in (False, True):
        S.append((f"restricted-nameless-flag={flag}-auto={auto}", FAM_COLLECTOR + f"""
R = CollectorRegistry(auto_describe={auto}, support_collectors_without_names={flag})
R.register(Col([GaugeMetricFamily('nameless', 'h', value=1)], False))
R.register(Col([GaugeMetricFamily('named', 'h', value=2)]))
R.register(Col([], True))
out = [gl(R.restricted_registry(n)) for n in (['nameless'], ['named'], ['named', 'nameless'], [])]
"""))
SCENARIOS = S
