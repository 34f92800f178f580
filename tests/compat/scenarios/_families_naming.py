# Snapshot of /work/compare_families/scenarios_naming.py (the families/encoder engineer's scenarios), adapted by
# tests/compat/scenarios/families.py. Refresh by copying the file again; do not edit here.
# ruff: noqa
"""Instrument names: every type x name x unit x namespace/subsystem; the full name and samples, or the error."""
S = []
TYPES = {
    "Counter": "Counter({a}, registry=R)",
    "Gauge": "Gauge({a}, registry=R)",
    "Summary": "Summary({a}, registry=R)",
    "Histogram": "Histogram({a}, registry=R)",
    "Info": "Info({a}, registry=R)",
    "Enum": "Enum({a}, states=['s'], registry=R)",
}
NAMES = ["requests", "requests_total", "requests_total_total", "x_seconds", "x_seconds_total", "x_total_seconds",
         "x_info", "x_created", "x_bucket", "_total", "total", "x_bytes_total", "a.b", ""]
UNITS = ["", "total", "seconds", "info", "bytes", "created", "s.x", None]
for t, tmpl in TYPES.items():
    for n in NAMES:
        for u in UNITS:
            a = f"{n!r}, 'h', unit={u!r}" if u is not None else f"{n!r}, 'h'"
            code = f"m = {tmpl.format(a=a)}\nout = (m._name, [(f.name, f.unit, f.type, sorted({{s.name for s in f.samples}})) for f in R.collect()])"
            S.append((f"{t}({a})", code))
    for ns, ss in [("ns", ""), ("", "sub"), ("ns", "sub"), ("ns", "total")]:
        a = f"'total', 'h', namespace={ns!r}, subsystem={ss!r}, unit='total'"
        S.append((f"{t}({a})", f"m = {tmpl.format(a=a)}\nout = m._name"))
        a = f"'x', 'h', namespace={ns!r}, subsystem={ss!r}"
        S.append((f"{t}({a})", f"m = {tmpl.format(a=a)}\nout = m._name"))
S.append(("name-None", "out = Counter(None, 'h', registry=R)"))
S.append(("name-int", "out = Counter(5, 'h', registry=R)"))
S.append(("unit-int", "out = Counter('x', 'h', unit=5, registry=R)"))
SCENARIOS = S
