# Snapshot of /work/compare_families/scenarios_accept.py (the families/encoder engineer's scenarios), adapted by
# tests/compat/scenarios/families.py. Refresh by copying the file again; do not edit here.
# ruff: noqa
"""choose_encoder: Accept header -> (content type, encoder output for a small registry)."""
S = []
HEADERS = [
    None, "", "*/*", "text/plain", "text/plain; version=0.0.4", "text/plain; version=1.0.0",
    "text/plain; version=1.0.0; escaping=allow-utf-8", "text/plain;version=1.0.0;escaping=dots",
    "text/plain; version=1.0.0; escaping=bogus", "text/plain; version=2.0.0; escaping=values",
    "application/openmetrics-text", "application/openmetrics-text; version=1.0.0",
    "application/openmetrics-text; version=0.0.1", "application/openmetrics-text; version=0.0.1; escaping=dots",
    "application/openmetrics-text; version=2.0.0; escaping=allow-utf-8",
    "application/openmetrics-text; version=1.0.0; escaping=underscores",
    "application/openmetrics-text; version=3.0.0", "application/openmetrics-text; version=x",
    "application/openmetrics-text; version=1.0.0; q=0", "application/openmetrics-text;q=0.1,text/plain;version=1.0.0",
    "text/plain;version=1.0.0;q=0.5, application/openmetrics-text;version=1.0.0",
    "text/plain, application/openmetrics-text; version=1.0.0",
    "application/json", "application/openmetrics-text ; version=1.0.0", "APPLICATION/OPENMETRICS-TEXT; version=1.0.0",
    'application/openmetrics-text; version="1.0.0"', "application/openmetrics-text; Version=1.0.0",
    "application/openmetrics-text; version=1.0.0; escaping=DOTS", "text/html,application/xhtml+xml,*/*;q=0.8",
]
for h in HEADERS:
    code = f"""
g = Gauge('d.g', 'h', ['l.x'], registry=R); g.labels('v').set(1)
enc, ct = pc.exposition.choose_encoder({h!r})
out = (ct, enc(R))
"""
    S.append((f"accept {h!r}", code))
SCENARIOS = S
