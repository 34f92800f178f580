"""Content negotiation: which encoder and content type answer an Accept header."""

from __future__ import annotations

from typing import Optional

import pytest

from prometheus_client._encoding import (
    CONTENT_TYPE_LATEST,
    CONTENT_TYPE_PLAIN_0_0_4,
    CONTENT_TYPE_PLAIN_1_0_0,
    encode_text,
)
from prometheus_client._negotiation import choose_encoder
from prometheus_client.metrics_core import GaugeMetricFamily
from prometheus_client.registry import CollectorRegistry

OM_1 = "application/openmetrics-text; version=1.0.0; charset=utf-8"


def _registry() -> CollectorRegistry:
    registry = CollectorRegistry()

    class Dotted:
        def collect(self):  # type: ignore[no-untyped-def]
            yield GaugeMetricFamily("my.gauge", "G.", value=1)

    registry.register(Dotted())
    return registry


def test_text_content_types_match_the_official_client() -> None:
    assert CONTENT_TYPE_PLAIN_0_0_4 == "text/plain; version=0.0.4; charset=utf-8"
    assert CONTENT_TYPE_PLAIN_1_0_0 == "text/plain; version=1.0.0; charset=utf-8"
    assert CONTENT_TYPE_LATEST == CONTENT_TYPE_PLAIN_1_0_0


@pytest.mark.parametrize("header", ["", None, "text/html", "application/json;q=1", "*/*", "text/plain"])
def test_default_is_text_0_0_4(header: Optional[str]) -> None:
    encoder, content_type = choose_encoder(header)  # type: ignore[arg-type]
    assert encoder is encode_text  # the encoder itself: call it with the registry
    assert content_type == CONTENT_TYPE_PLAIN_0_0_4


@pytest.mark.parametrize(
    "header,content_type",
    [
        ("application/openmetrics-text", OM_1),
        ("application/openmetrics-text;escaping=allow-utf-8", OM_1),  # no version: legacy names, as official
        ("application/openmetrics-text; version=1.0.0", OM_1 + "; escaping=underscores"),
        ("application/openmetrics-text;version=1.0.0;escaping=allow-utf-8", OM_1 + "; escaping=allow-utf-8"),
        ("application/openmetrics-text;version=1.0.0;escaping=bogus", OM_1 + "; escaping=underscores"),
        (
            "application/openmetrics-text;version=0.0.1",
            "application/openmetrics-text; version=0.0.1; charset=utf-8; escaping=underscores",
        ),
        ("text/plain;version=1.0.0;escaping=dots", CONTENT_TYPE_PLAIN_1_0_0 + "; escaping=dots"),
        ("text/plain;version=0.0.4", CONTENT_TYPE_PLAIN_0_0_4),
        # Without weights the first OpenMetrics / text 1.0.0 range wins over plain 0.0.4 text (official order).
        ("text/plain;version=0.0.4,application/openmetrics-text;version=1.0.0", OM_1 + "; escaping=underscores"),
        ("text/plain;version=1.0.0,application/openmetrics-text;version=1.0.0", CONTENT_TYPE_PLAIN_1_0_0
         + "; escaping=underscores"),
    ],
)
def test_content_type_without_weights(header: str, content_type: str) -> None:
    assert choose_encoder(header)[1] == content_type


@pytest.mark.parametrize(
    "header,content_type",
    [
        # Prometheus 3's default scrape Accept header.
        (
            "application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.6,"
            "application/openmetrics-text;version=0.0.1;q=0.5,text/plain;version=1.0.0;escaping=allow-utf-8;q=0.4,"
            "text/plain;version=0.0.4;q=0.3,*/*;q=0.2",
            OM_1 + "; escaping=allow-utf-8",
        ),
        ("application/openmetrics-text;version=1.0.0;q=0.2,text/plain;version=0.0.4;q=0.9", CONTENT_TYPE_PLAIN_0_0_4),
        (
            "application/openmetrics-text;version=1.0.0;q=0.5,text/plain;version=1.0.0;escaping=values;q=0.8",
            CONTENT_TYPE_PLAIN_1_0_0 + "; escaping=values",
        ),
        ("application/openmetrics-text;q=0,text/plain;version=0.0.4;q=0.1", CONTENT_TYPE_PLAIN_0_0_4),
        ("text/plain;q=0, application/openmetrics-text;q=0.001", OM_1),
        ("application/openmetrics-text;version=1.0.0;q=0", CONTENT_TYPE_PLAIN_0_0_4),  # nothing acceptable
        ("application/openmetrics-text;version=1.0.0;q=abc,text/plain;version=1.0.0", CONTENT_TYPE_PLAIN_1_0_0
         + "; escaping=underscores"),
        ("application/openmetrics-text;version=9.9.9,text/plain;version=0.0.4", CONTENT_TYPE_PLAIN_0_0_4),
        ("APPLICATION/OpenMetrics-Text ; Version=1.0.0 ; Q=0.9", OM_1 + "; escaping=underscores"),
        (
            'application/openmetrics-text;version="1.0.0";escaping="allow-utf-8"',
            OM_1 + "; escaping=allow-utf-8",
        ),
    ],
)
def test_q_weights_pick_the_most_preferred_acceptable_type(header: str, content_type: str) -> None:
    assert choose_encoder(header)[1] == content_type


def test_chosen_encoder_uses_the_chosen_escaping() -> None:
    registry = _registry()
    encoder, _ = choose_encoder("application/openmetrics-text;version=1.0.0;escaping=allow-utf-8")
    assert encoder(registry) == b'# HELP "my.gauge" G.\n# TYPE "my.gauge" gauge\n{"my.gauge"} 1.0\n# EOF\n'
    encoder, _ = choose_encoder("text/plain;version=1.0.0;escaping=underscores")
    assert encoder(registry) == b"# HELP my_gauge G.\n# TYPE my_gauge gauge\nmy_gauge 1.0\n"
    encoder, _ = choose_encoder("text/plain")
    assert encoder(registry) == b"# HELP my_gauge G.\n# TYPE my_gauge gauge\nmy_gauge 1.0\n"


def test_choose_encoder_is_importable_from_its_official_path() -> None:
    from prometheus_client import exposition

    assert exposition.choose_encoder is choose_encoder


def test_chosen_encoder_writes_what_generate_latest_writes() -> None:
    from prometheus_client.exposition import generate_latest

    registry = _registry()
    encoder, _ = choose_encoder("text/plain")
    assert encoder(registry) == generate_latest(registry)
