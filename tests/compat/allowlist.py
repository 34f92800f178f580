# ruff: noqa: E501  (long reason strings and one-line scenarios read better unwrapped)
"""Deliberate differences from the official client 0.26.0: scenario id -> why ours differs.

Only differences that are on purpose and better belong here; anything else that differs is a bug. Each
entry: ``reason`` (one sentence, shown in docs/compatibility.md) and ``kind``:

- ``stricter``: ours rejects input that the official client accepts silently and then gets wrong;
- ``safer``: ours does something less surprising where the official behaviour is a bug or a hazard;
- ``faster``: a side effect of a faster design, documented;
- ``extension``: ours has something the official client lacks.

A key may hold ``*`` wildcards (fnmatch) to cover the variants of one scenario (formats, escapings, types);
at least one scenario it matches must still differ. tests/compat/test_scenarios.py fails on an entry (or a match of a
pattern) whose scenario no longer differs (stale), and
tests/compat/test_docs.py checks that docs/compatibility.md lists exactly these entries
(``python -m tests.compat.gen_docs`` rewrites that section).
"""

from __future__ import annotations

import fnmatch
from typing import Dict, Optional

KINDS = ("stricter", "safer", "faster", "extension")

ALLOWLIST: Dict[str, Dict[str, str]] = {
    'misc.module.signatures': {
        "kind": 'extension',
        "reason": '`make_wsgi_app` takes a keyword-only `basic_auth=None` after the official parameters (the official has no authentication), `Histogram` five keyword-only `native_histogram_*=None` (native histograms, which the official lacks), and `Summary` keyword-only `objectives=None, max_age=600.0, age_buckets=5` (quantiles over a sliding window; the official has none); every official parameter is the same.',
    },
    'misc.module.metric_wrapper_base': {
        "kind": 'safer',
        "reason": '`registry.Collector` is an abstract base class (with a subclass hook, so `isinstance(x, Collector)` holds for anything with `collect()`) rather than a `typing.Protocol`: the instruments\' class ancestry shows `ABC` where the official shows `Protocol`, `Generic`.',
    },
    'instruments.child_settings.*.instance_dict': {
        "kind": 'faster',
        "reason": 'A child stores only its own state (`_family`, `_labelvalues`, its numbers, `_created`) and reads its parent\'s settings (`_name`, `_labelnames`, `_kwargs`...) through one shared object, so `vars(child)` lists fewer names than the official child\'s `__dict__`; each of them still reads and writes as an attribute (about 100 bytes less per child).',
    },
    'registry.multiprocess.info_enum': {
        "kind": 'safer',
        "reason": 'Info and Enum made in multiprocess mode work as in the official client but warn (UserWarning, once per name) that MultiProcessCollector never exports them.',
    },
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
    'errors.labelname.duplicate.*': {
        "kind": 'stricter',
        "reason": 'A label name given twice raises ValueError; the official accepts it, and its children then have fewer labels than names.',
    },
    'errors.labelname.empty.*': {
        "kind": 'stricter',
        "reason": 'An empty label name raises ValueError; the official accepts it and exposes an empty label name, which Prometheus rejects.',
    },
    'errors.labelname.int.*': {
        "kind": 'safer',
        "reason": 'A name that is not a str raises `validation._NotAStrError`, a subclass of both AttributeError (what the official raises, with its message first) and TypeError, so either `except` catches it.',
    },
    'errors.labelname.none.*': {
        "kind": 'safer',
        "reason": 'A name that is not a str raises `validation._NotAStrError`, a subclass of both AttributeError (what the official raises, with its message first) and TypeError, so either `except` catches it.',
    },
    'exposition.choose_encoder.om_010': {
        "kind": 'safer',
        "reason": 'A client asking only for OpenMetrics 0.0.1 gets OpenMetrics (the same format bar the version line) labelled as asked; the official serves the text format 0.0.4.',
    },
    'exposition.choose_encoder.om_bad_version': {
        "kind": 'safer',
        "reason": 'An unparsable `version=` in `Accept` falls back to the text format; the official raises TypeError (a 500 for the scrape).',
    },
    'exposition.choose_encoder.protobuf': {
        "kind": 'extension',
        "reason": 'An Accept header asking for `application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited` (first in the header of a Prometheus with `--enable-feature=native-histograms`) gets the delimited protobuf format, which carries native histograms; the official client never answers protobuf and sends text 0.0.4.',
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
    'parsers.om.native_histogram_negative_offset': {
        "kind": 'safer',
        "reason": 'A native histogram span with a negative offset (any bucket below 1 at the first span, as every histogram of sub-second latencies has) is read; the official parser drops the spans and keeps their deltas.',
    },
    'families.accept.accept~20~27APPLICATION~2fOPENMETRICS-TEXT*': {
        "kind": 'safer',
        "reason": 'Same as `exposition.choose_encoder.upper` (media types match case-insensitively).',
    },
    'families.accept.accept~20~27application~2fopenmetrics-text~3bq=0.1~2ctext~2fplain~3bversion=1.0.0~27': {
        "kind": 'safer',
        "reason": 'Same as `exposition.choose_encoder.q_weights_text_first`.',
    },
    'families.accept.accept~20~27application~2fopenmetrics-text~3b~20Version=1.0.0~27': {
        "kind": 'safer',
        "reason": 'Parameter names in `Accept` match case-insensitively (RFC 9110), so `Version=1.0.0` gets the escaping parameter like `version=1.0.0`.',
    },
    'families.accept.accept~20~27application~2fopenmetrics-text~3b~20version=0.0.1*': {
        "kind": 'safer',
        "reason": 'Same as `exposition.choose_encoder.om_010`.',
    },
    'families.accept.accept~20~27application~2fopenmetrics-text~3b~20version=1.0.0~3b~20q=0~27': {
        "kind": 'safer',
        "reason": 'Same as `exposition.choose_encoder.q_weights_text_first` (`q=0` means not acceptable).',
    },
    'families.accept.accept~20~27application~2fopenmetrics-text~3b~20version=3.0.0~27': {
        "kind": 'safer',
        "reason": 'An OpenMetrics version this library cannot write (3.0.0) falls back to the text format; the official answers `version=3.0.0` with 1.0.0 output.',
    },
    'families.accept.accept~20~27application~2fopenmetrics-text~3b~20version=x~27': {
        "kind": 'safer',
        "reason": 'Same as `exposition.choose_encoder.om_bad_version`.',
    },
    'families.accept.accept~20~27application~2fopenmetrics-text~3b~20version=~221.0.0~22~27': {
        "kind": 'safer',
        "reason": 'A quoted parameter value (`version="1.0.0"`, RFC 9110) is read as the unquoted one.',
    },
    'families.accept.accept~20~27text~2fplain~3bversion=1.0.0~3bq=0.5~2c~20application~2fopenmetrics-text~3bversion=1.0.0~27': {
        "kind": 'safer',
        "reason": 'Same as `exposition.choose_encoder.q_weights_text_first` (an unweighted type has q=1).',
    },
    'families.core.*-name-int': {
        "kind": 'safer',
        "reason": 'A name that is not a str raises `validation._NotAStrError`, a subclass of both AttributeError (what the official raises, with its message first) and TypeError, so either `except` catches it.',
    },
    'families.core.timestamp-neg': {
        "kind": 'safer',
        "reason": 'Same as `samples.timestamp_str`: negative timestamps are written as a number.',
    },
    'families.encode.native-histogram?text?*': {
        "kind": 'safer',
        "reason": 'Same as `exposition.native_histogram.text`: a native histogram sample is left out of the text format instead of failing the scrape.',
    },
    'families.encode.samples-not-Sample*': {
        "kind": 'extension',
        "reason": 'A plain tuple in `family.samples` (the six fields of `Sample`, not a `Sample`) is encoded like a `Sample`; the official fails with AttributeError.',
    },
    'families.registry.dup-message*': {
        "kind": 'safer',
        "reason": 'The duplicate-timeseries message adds which two collectors clash after the official text; this scenario compares `str(exc)` as a plain value, where the prefix rule for messages does not apply.',
    },
    'families.samples.out~20=~20hash*': {
        "kind": 'extension',
        "reason": 'Same as `samples.timestamp_hash`.',
    },
    'families.samples.out~20=~20sorted~28n~20for~20n~20in~20dir~28pc.samples*': {
        "kind": 'extension',
        "reason": '`prometheus_client.samples` also has `LabelSet` (and the typing names its annotations use).',
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
        "reason": '`isinstance(obj, registry.Collector)` works; the official `Collector` is a Protocol that is not runtime-checkable, so the check raises TypeError.',
    },
    'samples.family_samples_snapshot': {
        "kind": 'faster',
        "reason": "A family collected from an instrument reads its children's values when its samples are first read, not at `collect()`; `generate_latest` reads them at once, so a scrape is unchanged.",
    },
    'samples.instrument_family_type': {
        "kind": 'faster',
        "reason": 'Families collected from instruments are of a private `Metric` subclass (`isinstance(family, Metric)` holds) whose samples are read as they are walked.',
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


def entry_for(scenario_id: str) -> Optional[Dict[str, str]]:
    """The allowlist entry covering ``scenario_id`` (exact key first, then a wildcard key), or None."""
    if scenario_id in ALLOWLIST:
        return ALLOWLIST[scenario_id]
    for key, entry in ALLOWLIST.items():
        if "*" in key and fnmatch.fnmatchcase(scenario_id, key):
            return entry
    return None


def matches(key: str, scenario_ids) -> list:
    """The scenario ids an allowlist key covers."""
    if "*" not in key:
        return [key] if key in scenario_ids else []
    return [i for i in scenario_ids if fnmatch.fnmatchcase(i, key)]
