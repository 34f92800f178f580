# ruff: noqa: E501  (long reason strings and one-line scenarios read better unwrapped)
"""Deliberate differences from the official client 0.26.0: scenario id -> why ours differs.

Only differences that are on purpose and better belong here; anything else that differs is a bug. Each
entry: ``reason`` (one sentence, shown in docs/compatibility.md) and ``kind``:

- ``stricter``: ours rejects input that the official client accepts silently and then gets wrong;
- ``safer``: ours does something less surprising where the official behaviour is a bug or a hazard;
- ``faster``: a side effect of a faster design, documented;
- ``extension``: ours has something the official client lacks.

tests/compat/test_scenarios.py fails on an entry whose scenario no longer differs (stale), and
tests/compat/test_docs.py checks that docs/compatibility.md lists exactly these entries
(``python -m tests.compat.gen_docs`` rewrites that section).
"""

from __future__ import annotations

from typing import Dict

KINDS = ("stricter", "safer", "faster", "extension")

ALLOWLIST: Dict[str, Dict[str, str]] = {
    'errors.buckets.duplicate': {
        "kind": 'stricter',
        "reason": 'Duplicate bucket bounds raise ValueError; the official accepts them and exposes two series with the same `le`.',
    },
    'errors.buckets.nan': {
        "kind": 'stricter',
        "reason": 'A NaN bucket bound raises ValueError; the official accepts it and exposes `le="NaN"`.',
    },
    'errors.documentation.none': {
        "kind": 'stricter',
        "reason": '`documentation=None` raises TypeError when the metric is made; the official accepts it and every scrape then fails with AttributeError.',
    },
    'errors.info.bad_values': {
        "kind": 'stricter',
        "reason": 'Same as `errors.info.int_value` (the fourth of its checks).',
    },
    'errors.info.int_value': {
        "kind": 'stricter',
        "reason": 'A non-str Info value raises ValueError at `info()`; the official accepts it and every scrape then fails with AttributeError.',
    },
    'errors.labelname.duplicate.counter': {
        "kind": 'stricter',
        "reason": 'A label name given twice raises ValueError; the official accepts it, and its children then have fewer labels than names.',
    },
    'errors.labelname.duplicate.summary': {
        "kind": 'stricter',
        "reason": 'A label name given twice raises ValueError (as for Counter).',
    },
    'errors.labelname.empty.counter': {
        "kind": 'stricter',
        "reason": 'An empty label name raises ValueError; the official accepts it and exposes an empty label name, which Prometheus rejects.',
    },
    'errors.labelname.empty.summary': {
        "kind": 'stricter',
        "reason": 'An empty label name raises ValueError (as for Counter).',
    },
    'errors.labelname.int.counter': {
        "kind": 'safer',
        "reason": 'A name that is not a str raises `validation._NotAStrError`, a subclass of both AttributeError (what the official raises, with its message first) and TypeError, so either `except` catches it.',
    },
    'errors.labelname.int.summary': {
        "kind": 'safer',
        "reason": 'A name that is not a str raises `validation._NotAStrError`, a subclass of both AttributeError (what the official raises, with its message first) and TypeError, so either `except` catches it.',
    },
    'errors.labelname.none.counter': {
        "kind": 'safer',
        "reason": 'A name that is not a str raises `validation._NotAStrError`, a subclass of both AttributeError (what the official raises, with its message first) and TypeError, so either `except` catches it.',
    },
    'errors.labelname.none.summary': {
        "kind": 'safer',
        "reason": 'A name that is not a str raises `validation._NotAStrError`, a subclass of both AttributeError (what the official raises, with its message first) and TypeError, so either `except` catches it.',
    },
    'exposition.choose_encoder.om_bad_version': {
        "kind": 'safer',
        "reason": 'An unparsable `version=` in `Accept` falls back to the text format; the official raises TypeError (a 500 for the scrape).',
    },
    'exposition.choose_encoder.q_weights_text_first': {
        "kind": 'safer',
        "reason": '`q=` weights in `Accept` are honoured: the acceptable type with the highest weight wins; the official picks OpenMetrics whenever it is listed.',
    },
    'exposition.choose_encoder.upper': {
        "kind": 'safer',
        "reason": 'Media types in `Accept` are matched case-insensitively (RFC 9110); the official serves the text format for `APPLICATION/OPENMETRICS-TEXT`.',
    },
    'exposition.gzip_accepted.q0': {
        "kind": 'safer',
        "reason": '`Accept-Encoding: gzip;q=0` means gzip is not acceptable (RFC 9110), so the body is not compressed; the official compresses.',
    },
    'exposition.gzip_accepted.x_gzip': {
        "kind": 'safer',
        "reason": '`x-gzip` is accepted as gzip (RFC 9110 says to treat it as `gzip`).',
    },
    'exposition.native_histogram.text': {
        "kind": 'safer',
        "reason": 'A native histogram sample is left out of the text format (which cannot express it) and the rest of the scrape is served; the official raises TypeError, failing the whole scrape.',
    },
    'families.core.gauge-name-int': {
        "kind": 'safer',
        "reason": 'A name that is not a str raises `validation._NotAStrError`, a subclass of both AttributeError (what the official raises, with its message first) and TypeError, so either `except` catches it.',
    },
    'families.core.gaugehistogram-name-int': {
        "kind": 'safer',
        "reason": 'A name that is not a str raises `validation._NotAStrError`, a subclass of both AttributeError (what the official raises, with its message first) and TypeError, so either `except` catches it.',
    },
    'families.core.histogram-name-int': {
        "kind": 'safer',
        "reason": 'A name that is not a str raises `validation._NotAStrError`, a subclass of both AttributeError (what the official raises, with its message first) and TypeError, so either `except` catches it.',
    },
    'families.core.info-name-int': {
        "kind": 'safer',
        "reason": 'A name that is not a str raises `validation._NotAStrError`, a subclass of both AttributeError (what the official raises, with its message first) and TypeError, so either `except` catches it.',
    },
    'families.core.stateset-name-int': {
        "kind": 'safer',
        "reason": 'A name that is not a str raises `validation._NotAStrError`, a subclass of both AttributeError (what the official raises, with its message first) and TypeError, so either `except` catches it.',
    },
    'families.core.summary-name-int': {
        "kind": 'safer',
        "reason": 'A name that is not a str raises `validation._NotAStrError`, a subclass of both AttributeError (what the official raises, with its message first) and TypeError, so either `except` catches it.',
    },
    'families.core.timestamp-neg': {
        "kind": 'safer',
        "reason": 'Same as `samples.timestamp_str`: negative timestamps are written as a number.',
    },
    'families.core.unknown-name-int': {
        "kind": 'safer',
        "reason": 'A name that is not a str raises `validation._NotAStrError`, a subclass of both AttributeError (what the official raises, with its message first) and TypeError, so either `except` catches it.',
    },
    'instruments.counter.countExceptions_alias': {
        "kind": 'extension',
        "reason": "`Counter.countExceptions` is kept as an alias of `count_exceptions` (the camelCase name of the client's first releases); the official 0.26 raises AttributeError.",
    },
    'instruments.gauge.dev_alias': {
        "kind": 'extension',
        "reason": "`Gauge.dev(amount)`, the first README's misspelling of `dec`, works (with a DeprecationWarning); the official 0.26 raises AttributeError.",
    },
    'instruments.gauge.setToCurrentTime_alias': {
        "kind": 'extension',
        "reason": '`Gauge.setToCurrentTime` is kept as an alias of `set_to_current_time`; the official 0.26 raises AttributeError.',
    },
    'instruments.gauge.trackInprogress_alias': {
        "kind": 'extension',
        "reason": '`Gauge.trackInprogress` is kept as an alias of `track_inprogress`; the official 0.26 raises AttributeError.',
    },
    'instruments.histogram.nan_observation': {
        "kind": 'safer',
        "reason": "A NaN observation is counted in the `+Inf` bucket (as Go's client does), so `_count` equals the `+Inf` bucket; the official counts it in no bucket and not in `_count`.",
    },
    'labels.info.update_parent_with_labels': {
        "kind": 'safer',
        "reason": "`info()` on a labelled Info without `labels()` raises the ValueError every other type raises (`info metric is missing label values...`); the official fails with an internal AttributeError (`'Info' object has no attribute '_labelname_set'`).",
    },
    'labels.labelnames.string_is_iterable': {
        "kind": 'stricter',
        "reason": "`labelnames` given as one string (`'method'`) raises TypeError; the official silently makes one label per character.",
    },
    'misc.context_managers.async_timer': {
        "kind": 'safer',
        "reason": '`@metric.time()` on an `async def` keeps it a coroutine function and times the awaited call; the official times only the creation of the coroutine.',
    },
    'misc.context_managers.count_exceptions_async': {
        "kind": 'safer',
        "reason": '`@counter.count_exceptions()` on an `async def` counts exceptions raised while it is awaited; the official counts none.',
    },
    'misc.module.all': {
        "kind": 'extension',
        "reason": '`__all__` also lists `start_textfile_writer`, our periodic textfile writer.',
    },
    'misc.validation.legacy_env': {
        "kind": 'safer',
        "reason": '`PROMETHEUS_LEGACY_NAME_VALIDATION` is read when a name is checked, not once at import, so setting it after import takes effect.',
    },
    'parsers.saved.om.200': {
        "kind": 'safer',
        "reason": 'A parse error the official reports as a bare KeyError is a private subclass of KeyError and ValueError (the type every other parse error has), with the official message first and the line number after.',
    },
    'parsers.saved.om.260': {
        "kind": 'safer',
        "reason": 'A parse error the official reports as a bare AttributeError is a private subclass of AttributeError and ValueError (the type every other parse error has), with the official message first and the line number after.',
    },
    'parsers.saved.om.297': {
        "kind": 'safer',
        "reason": 'A parse error the official reports as a bare KeyError is a private subclass of KeyError and ValueError (the type every other parse error has), with the official message first and the line number after.',
    },
    'registry.registry_is_collector': {
        "kind": 'extension',
        "reason": '`registry.Collector` is a runtime-checkable protocol, so `isinstance(obj, Collector)` works; the official raises TypeError.',
    },
    'samples.family_samples_snapshot': {
        "kind": 'faster',
        "reason": "A family collected from an instrument reads its children's values when its samples are first read, not at `collect()`; `generate_latest` reads them at once, so a scrape is unchanged.",
    },
    'samples.instrument_family_type': {
        "kind": 'faster',
        "reason": 'Families collected from instruments are of a private `Metric` subclass (`isinstance(family, Metric)` holds) whose samples are read as they are walked.',
    },
    'samples.instrument_sample_labels_mutable': {
        "kind": 'faster',
        "reason": 'Changing a `LabelSet` raises TypeError; copy it with `dict(sample.labels)` first.',
    },
    'samples.instrument_sample_labels_type': {
        "kind": 'faster',
        "reason": 'Label dicts in samples from instruments are `LabelSet` objects (a read-only `dict` subclass shared between scrapes, so each label set is rendered once).',
    },
    'samples.timestamp_hash': {
        "kind": 'extension',
        "reason": '`Timestamp` is hashable (it defines `__eq__`, so the official one is not), so it can key a dict or go in a set.',
    },
    'samples.timestamp_str': {
        "kind": 'safer',
        "reason": '`str(Timestamp(-1, 5))` is `-1.000000005`; the official writes `-1.-00000005`.',
    },
}
