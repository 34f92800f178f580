"""The native histogram bucket math and state (prometheus_client._native_histogram), without the instrument."""

from __future__ import annotations

import math
import sys
from typing import Dict, Optional, Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from prometheus_client._native_histogram import (
    DEFAULT_ZERO_THRESHOLD,
    MAX_SCHEMA,
    MIN_SCHEMA,
    NativeBuckets,
    NativeHistogramSettings,
    bucket_key,
    bucket_upper_bound,
    schema_for_factor,
    spans_and_deltas,
)
from prometheus_client.samples import BucketSpan, NativeHistogram

SCHEMAS = range(MIN_SCHEMA, MAX_SCHEMA + 1)
MAX = sys.float_info.max


def decode(spans: Optional[Sequence[BucketSpan]], deltas: Optional[Sequence[int]]) -> Dict[int, int]:
    """Bucket key -> count from spans and delta-encoded counts (empty buckets left out)."""
    buckets: Dict[int, int] = {}
    key = 0
    count = 0
    position = 0
    for index, (offset, length) in enumerate(spans or ()):
        key = offset if index == 0 else key + offset
        for _ in range(length):
            count += (deltas or ())[position]
            position += 1
            if count:
                buckets[key] = count
            key += 1
    assert position == len(deltas or ())
    return buckets


def buckets_of(buckets: NativeBuckets) -> NativeHistogram:
    return buckets.sample_value()


def settings_for(**arguments: object) -> NativeHistogramSettings:
    defaults = dict(bucket_factor=None, zero_threshold=None, max_bucket_number=None,
                    min_reset_duration=None, max_zero_threshold=None)
    defaults.update(arguments)
    found = NativeHistogramSettings.from_arguments(**defaults)  # type: ignore[arg-type]
    assert found is not None
    return found


class _Owner:
    """Stands in for the instrument child the cells belong to (told when a thread makes a cell)."""

    def _fold_thread_cell(self, thread: int) -> None:
        pass


def new_buckets(**arguments: object) -> NativeBuckets:
    arguments.setdefault("bucket_factor", 1.1)
    return NativeBuckets(settings_for(**arguments), _Owner())


# -- schema ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("factor", "schema"),
    [(1.1, 3), (2.0, 0), (4.0, -1), (1.5, 1), (1.2, 2), (1.0001, 8), (1.003, 8), (1.006, 7),
     (65536.0, -4), (1e9, -4), (2 ** 0.125, 3), (1.0905, 4), (3.9, 0)],
)
def test_schema_is_the_coarsest_whose_growth_factor_is_not_above_the_factor(factor: float, schema: int) -> None:
    assert schema_for_factor(factor) == schema


# -- bucket keys -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "schema", "key"),
    [
        (1.0, 0, 0), (2.0, 0, 1), (3.0, 0, 2), (4.0, 0, 2), (0.5, 0, -1), (0.75, 0, 0), (1.0000001, 0, 1),
        (1.0, -1, 0), (2.0, -1, 1), (4.0, -1, 1), (4.0000001, -1, 2), (16.0, -1, 2), (0.25, -1, -1), (0.3, -1, 0),
        (65536.0, -4, 1), (65537.0, -4, 2), (1.0, -4, 0), (2.0 ** -16, -4, -1),
        (1.0, 3, 0), (2 ** 0.125, 3, 1), (math.nextafter(2 ** 0.125, 2), 3, 2), (2.0, 3, 8), (0.5, 3, -8),
        (1.0, 8, 0), (2.0, 8, 256), (0.005, 3, -61), (0.1, 3, -26), (10.0, 3, 27),
        (MAX, 0, 1024), (math.inf, 0, 1025), (MAX, -4, 64), (math.inf, -4, 65), (MAX, 8, 262144),
        (sys.float_info.min, 0, -1022), (5e-324, 0, -1074), (3 * 2.0 ** -1074, 0, -1072),
    ],
)
def test_bucket_key_of_known_values(value: float, schema: int, key: int) -> None:
    assert bucket_key(value, schema) == key


@pytest.mark.parametrize("schema", SCHEMAS)
def test_bucket_keys_are_exact_at_and_around_every_boundary(schema: int) -> None:
    # Keys around 1, around the tiny and the huge ends: each float bound closes its bucket, the next
    # float up opens the following one, the one below is still inside.
    per_power = 1 << max(schema, 0)
    keys = list(range(-3 * per_power, 3 * per_power + 1))
    if schema <= 0:
        last = 1024 >> -schema
    else:
        last = 1024 * per_power
    # Near the smallest normal floats too (below them a bound rounds to a subnormal and loses digits).
    smallest = bucket_key(sys.float_info.min * 4, schema)
    keys += [last - 1, smallest, smallest + 1]
    for key in keys:
        bound = bucket_upper_bound(key, schema)
        assert bucket_key(bound, schema) == key, (key, bound)
        assert bucket_key(math.nextafter(bound, math.inf), schema) == key + 1, (key, bound)
        below = math.nextafter(bound, 0.0)
        if below > bucket_upper_bound(key - 1, schema):
            assert bucket_key(below, schema) == key, (key, bound)
    # The last finite bucket ends at the largest float; +Inf has the bucket after it.
    assert bucket_upper_bound(last, schema) == MAX
    assert bucket_key(MAX, schema) == last
    assert bucket_key(math.inf, schema) == last + 1
    assert bucket_upper_bound(last + 1, schema) == math.inf


@pytest.mark.parametrize("schema", SCHEMAS)
def test_bounds_of_schemas_at_or_below_zero_are_powers_of_two(schema: int) -> None:
    for key in range(-10, 11):
        assert bucket_upper_bound(key, schema) == 2.0 ** (key * 2 ** -schema)


def test_bounds_are_the_nearest_floats_to_the_powers_of_two() -> None:
    from decimal import Decimal, localcontext

    # 2**(i / 2**schema) is 2**(j / 2**MAX_SCHEMA) for j = i * 2**(MAX_SCHEMA - schema): the finest schema's
    # exact powers serve every schema (Decimal's fractional powers are slow, pure Python on PyPy).
    finest = 1 << MAX_SCHEMA
    with localcontext() as context:
        context.prec = 80
        exact_powers = [Decimal(2) ** (Decimal(j) / Decimal(finest)) for j in range(finest)]
    for schema in range(1, MAX_SCHEMA + 1):
        n = 1 << schema
        for i in range(n):
            exact = exact_powers[i * (finest // n)]
            bound = bucket_upper_bound(i, schema)
            # No float is nearer to the exact bound than ours.
            error = abs(Decimal(bound) - exact)
            for neighbour in (math.nextafter(bound, 0.0), math.nextafter(bound, 4.0)):
                assert error <= abs(Decimal(neighbour) - exact), (schema, i)
    assert bucket_upper_bound(4, 3) == 2 ** 0.5


# From the smallest normal floats up: below them a bound, rounded to a subnormal, loses digits (as in
# Prometheus); such values are in the zero bucket unless its threshold is set below 2**-1022.
@given(st.floats(min_value=4 * sys.float_info.min, allow_infinity=False), st.integers(MIN_SCHEMA, MAX_SCHEMA))
def test_every_value_falls_in_the_bucket_whose_bounds_contain_it(value: float, schema: int) -> None:
    key = bucket_key(value, schema)
    assert bucket_upper_bound(key - 1, schema) < value <= bucket_upper_bound(key, schema)


# -- spans and deltas --------------------------------------------------------------------------


def test_spans_and_deltas_fill_gaps_of_up_to_two_buckets_and_split_wider_ones() -> None:
    spans, deltas = spans_and_deltas({-3: 1, 0: 2, 1: 2, 3: 1, 10: 5})
    assert spans == (BucketSpan(-3, 7), BucketSpan(6, 1))
    assert deltas == (1, -1, 0, 2, 0, -2, 1, 4)
    assert decode(spans, deltas) == {-3: 1, 0: 2, 1: 2, 3: 1, 10: 5}


def test_spans_and_deltas_of_nothing_are_none() -> None:
    assert spans_and_deltas({}) == (None, None)


@given(st.dictionaries(st.integers(-3000, 3000), st.integers(1, 10**6), max_size=60))
def test_spans_and_deltas_decode_to_the_buckets(buckets: Dict[int, int]) -> None:
    spans, deltas = spans_and_deltas(buckets)
    assert decode(spans, deltas) == buckets
    for index, span in enumerate(spans or ()):
        assert span.length >= 1
        if index:
            assert span.offset > 2  # narrower gaps are filled with zero counts


# -- settings ----------------------------------------------------------------------------------


def test_no_native_argument_means_no_native_buckets() -> None:
    assert NativeHistogramSettings.from_arguments(None, None, None, None, None) is None


def test_settings_defaults_are_client_golangs() -> None:
    found = settings_for(bucket_factor=1.1)
    assert found == NativeHistogramSettings(3, DEFAULT_ZERO_THRESHOLD, 0, 0.0, 0.0)
    assert DEFAULT_ZERO_THRESHOLD == 2.938735877055719e-39


@pytest.mark.parametrize(
    ("argument", "value"),
    [("bucket_factor", 1), ("bucket_factor", 0.5), ("bucket_factor", math.nan), ("bucket_factor", "1.1"),
     ("zero_threshold", -1.0), ("zero_threshold", math.inf), ("zero_threshold", math.nan),
     ("max_bucket_number", -1), ("max_bucket_number", 1.5), ("max_bucket_number", True),
     ("min_reset_duration", -1), ("max_zero_threshold", -0.5), ("max_zero_threshold", math.inf)],
)
def test_bad_settings_raise_value_error_naming_the_value(argument: str, value: object) -> None:
    with pytest.raises(ValueError, match=f"native_histogram_{argument}.*{value!r}".replace("(", r"\(")):
        settings_for(**{argument: value})


# -- observing ---------------------------------------------------------------------------------


def test_zero_bucket_holds_values_up_to_the_threshold_inclusive() -> None:
    buckets = new_buckets(bucket_factor=2, zero_threshold=0.01)
    for value in (0.0, -0.0, 0.01, -0.01, 0.005):
        buckets.observe(value)
    buckets.observe(0.010000001)
    buckets.observe(-0.02)
    nh = buckets_of(buckets)
    assert (nh.count_value, nh.zero_count, nh.zero_threshold, nh.schema) == (7, 5, 0.01, 0)
    assert decode(nh.pos_spans, nh.pos_deltas) == {bucket_key(0.010000001, 0): 1}
    assert decode(nh.neg_spans, nh.neg_deltas) == {bucket_key(0.02, 0): 1}


def test_zero_threshold_zero_keeps_only_zeros_in_the_zero_bucket() -> None:
    buckets = new_buckets(zero_threshold=0)
    buckets.observe(0.0)
    buckets.observe(5e-324)
    nh = buckets_of(buckets)
    assert nh.zero_count == 1
    assert decode(nh.pos_spans, nh.pos_deltas) == {bucket_key(5e-324, 3): 1}


def test_nan_is_counted_in_no_bucket_and_makes_the_sum_nan() -> None:
    buckets = new_buckets()
    buckets.observe(1.0)
    buckets.observe(math.nan)
    nh = buckets_of(buckets)
    assert nh.count_value == 2
    assert math.isnan(nh.sum_value)
    assert decode(nh.pos_spans, nh.pos_deltas) == {0: 1}
    assert nh.zero_count == 0 and nh.neg_spans is None


def test_infinities_land_one_bucket_past_the_largest_float() -> None:
    buckets = new_buckets(bucket_factor=2)
    buckets.observe(math.inf)
    buckets.observe(-math.inf)
    buckets.observe(MAX)
    nh = buckets_of(buckets)
    assert decode(nh.pos_spans, nh.pos_deltas) == {1024: 1, 1025: 1}
    assert decode(nh.neg_spans, nh.neg_deltas) == {1025: 1}
    assert nh.count_value == 3 and math.isnan(nh.sum_value)


def test_negative_values_use_the_same_keys_as_their_magnitude() -> None:
    buckets = new_buckets(bucket_factor=1.1)
    for value in (-1.0, -1.5, -1.5, -1000.0, 3.0):
        buckets.observe(value)
    nh = buckets_of(buckets)
    assert decode(nh.neg_spans, nh.neg_deltas) == {0: 1, bucket_key(1.5, 3): 2, bucket_key(1000.0, 3): 1}
    assert decode(nh.pos_spans, nh.pos_deltas) == {bucket_key(3.0, 3): 1}
    assert nh.sum_value == -1000.0 - 1.0 - 3.0 + 3.0


def test_over_budget_halves_the_resolution_merging_bucket_pairs() -> None:
    buckets = new_buckets(bucket_factor=1.1, max_bucket_number=4)
    values = [1.0, 1.1, 1.2, 1.3, 1.5, 1.7, 2.0, 3.0, 4.0, 7.0]
    for value in values:
        buckets.observe(value)
    nh = buckets_of(buckets)
    counts = decode(nh.pos_spans, nh.pos_deltas)
    assert nh.schema < 3
    assert len(counts) <= 4
    assert nh.count_value == sum(counts.values()) == len(values)
    expected: Dict[int, int] = {}
    for value in values:
        key = bucket_key(value, nh.schema)
        expected[key] = expected.get(key, 0) + 1
    assert counts == expected


def test_resolution_stops_at_schema_minus_four() -> None:
    buckets = new_buckets(bucket_factor=1.1, max_bucket_number=1)
    for exponent in range(-300, 300, 10):
        buckets.observe(2.0 ** exponent)
    nh = buckets_of(buckets)
    assert nh.schema == MIN_SCHEMA
    # 2**-300 ... 2**-130 are within the default zero threshold 2**-128.
    assert nh.zero_count == 18
    assert nh.count_value == 60 == nh.zero_count + sum(decode(nh.pos_spans, nh.pos_deltas).values())


def test_over_budget_widens_the_zero_bucket_first_when_allowed() -> None:
    buckets = new_buckets(bucket_factor=2, max_bucket_number=2, max_zero_threshold=0.5)
    for value in (0.1, -0.3, 3.0):
        buckets.observe(value)
    nh = buckets_of(buckets)
    # The bucket nearest zero ((0.0625, 0.125], key -3) went into the zero bucket: threshold 0.125.
    assert (nh.schema, nh.zero_threshold, nh.zero_count) == (0, 0.125, 1)
    buckets.observe(0.12)  # now in the zero bucket
    buckets.observe(10.0)  # over budget again: (0.25, 0.5] is within 0.5, so it goes too
    nh = buckets_of(buckets)
    assert (nh.schema, nh.zero_threshold, nh.zero_count) == (0, 0.5, 3)
    assert decode(nh.neg_spans, nh.neg_deltas) == {}
    assert decode(nh.pos_spans, nh.pos_deltas) == {2: 1, 4: 1}
    buckets.observe(100.0)  # widening would pass 0.5: the resolution is halved instead
    nh = buckets_of(buckets)
    assert (nh.schema, nh.zero_threshold) == (-1, 0.5)
    assert nh.count_value == 6


def test_over_budget_resets_once_the_minimum_reset_duration_has_passed() -> None:
    reset = []
    buckets = NativeBuckets(settings_for(bucket_factor=2, max_bucket_number=2, min_reset_duration=1e-9),
                            _Owner(), lambda: reset.append(True))
    for value in (1.0, 2.0):
        buckets.observe(value)
    buckets.observe(4.0)  # third bucket: over budget, and the reset duration has passed
    nh = buckets_of(buckets)
    assert reset == [True]
    # Only the observation that caused the reset remains, at the configured schema.
    assert (nh.count_value, nh.sum_value, nh.schema) == (1, 4.0, 0)
    assert decode(nh.pos_spans, nh.pos_deltas) == {2: 1}


def test_no_reset_before_the_minimum_reset_duration() -> None:
    buckets = new_buckets(bucket_factor=2, max_bucket_number=2, min_reset_duration=3600)
    for value in (1.0, 2.0, 4.0):
        buckets.observe(value)
    nh = buckets_of(buckets)
    assert (nh.count_value, nh.schema) == (3, -1)


def test_an_ended_threads_cell_is_folded_into_the_base_cell() -> None:
    import threading

    buckets = new_buckets(bucket_factor=2)
    workers = [threading.Thread(target=lambda: [buckets.observe(v) for v in (1.0, 3.0, -2.0)]) for _ in range(4)]
    idents = []
    for worker in workers:
        worker.start()
        worker.join()
        idents.append(worker.ident)
    for ident in set(idents):
        buckets.fold_thread(ident)  # what the thread-end hook does (idempotent once folded)
    nh = buckets_of(buckets)
    assert nh.count_value == 12
    assert decode(nh.pos_spans, nh.pos_deltas) == {0: 4, 2: 4}
    assert decode(nh.neg_spans, nh.neg_deltas) == {1: 4}


# Half again the profile's budget (tests/conftest.py): 150 examples on CPython, 52 on PyPy.
@settings(max_examples=3 * settings.default.max_examples // 2, deadline=None)
@given(
    st.lists(st.floats(allow_nan=False, allow_infinity=True), max_size=80),
    st.sampled_from([1.0001, 1.01, 1.1, 2.0, 100.0]),
    st.sampled_from([0, 3, 10]),
    st.sampled_from([0.0, 1e-3]),
)
def test_bucket_counts_sum_to_the_count_and_hold_each_observation(
    values: Sequence[float], factor: float, limit: int, widest: float
) -> None:
    buckets = new_buckets(bucket_factor=factor, max_bucket_number=limit, max_zero_threshold=widest)
    for value in values:
        buckets.observe(value)
    nh = buckets_of(buckets)
    positive = decode(nh.pos_spans, nh.pos_deltas)
    negative = decode(nh.neg_spans, nh.neg_deltas)
    assert nh.count_value == len(values) == nh.zero_count + sum(positive.values()) + sum(negative.values())
    expected_positive: Dict[int, int] = {}
    expected_negative: Dict[int, int] = {}
    zero = 0
    for value in values:
        if abs(value) <= nh.zero_threshold:
            zero += 1
            continue
        target = expected_positive if value > 0 else expected_negative
        key = bucket_key(abs(value), nh.schema)
        target[key] = target.get(key, 0) + 1
    # Buckets moved into a widened zero bucket lie wholly within its threshold, so each observation is
    # either where its value says at the final schema, or in the zero bucket.
    assert zero <= nh.zero_count
    for observed, expected in ((positive, expected_positive), (negative, expected_negative)):
        for key, count in observed.items():
            assert expected.get(key, 0) == count
