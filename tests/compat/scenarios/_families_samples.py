# Snapshot of /work/compare_families/scenarios_samples.py (the families/encoder engineer's scenarios), adapted by
# tests/compat/scenarios/families.py. Refresh by copying the file again; do not edit here.
# ruff: noqa
"""samples.py records: Timestamp, Exemplar, Sample, NativeHistogram, BucketSpan."""
S = []
T = "pc.samples.Timestamp"
for code in [
    f"out = {T}(1, 5) == {T}(1, 5), {T}(1, 5) != {T}(1, 6), {T}(1, 5) < {T}(2, 0), {T}(2, 0) > {T}(1, 9)",
    f"out = {T}(1.7, 5.9).sec, {T}(1.7, 5.9).nsec",
    f"out = str({T}(1, 5)), repr({T}(1, 5)), float({T}(1, 5))",
    f"out = {T}(1, -1)",
    f"out = {T}(1, 1e9)",
    f"out = {T}(1, 5) == 1",
    f"out = {T}(1, 5) < 2",
    f"out = {T}(1, 5) <= {T}(1, 5)",
    f"out = hash({T}(1, 5)) == hash({T}(1, 5))",
    f"out = sorted([{T}(2, 0), {T}(1, 5)])[0].sec",
    f"out = str({T}(0, 0)), str({T}(-0.5, 0))",
    "out = pc.samples.Sample('a', {}, 1)._fields, pc.samples.Exemplar({}, 1)._fields",
    "out = pc.samples.NativeHistogram._fields, pc.samples.NativeHistogram._field_defaults",
    "out = pc.samples.BucketSpan._fields",
    "out = repr(pc.samples.Sample('a', {}, 1, 2, None))",
    "out = pc.samples.Sample('a', {}, 1) == ('a', {}, 1, None, None, None)",
    "out = pc.samples.Exemplar({}, 1)",
    "out = pc.samples.Exemplar({})",
    "out = pc.samples.Sample('a', {})",
    "out = sorted(n for n in dir(pc.samples) if not n.startswith('__'))",
]:
    S.append((code, code))
SCENARIOS = S
