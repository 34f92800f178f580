"""The transport-neutral response module on its own, and who may import what among the HTTP modules."""

from __future__ import annotations

import ast
import functools
import gzip
from pathlib import Path
from typing import Iterator, List, Set

import pytest

from prometheus_client._http_response import (
    Request,
    ResponseSettings,
    _bake_output,
    gzip_accepted,
    respond,
    respond_with_metrics,
)
from prometheus_client.metrics import Gauge
from prometheus_client.registry import CollectorRegistry

PACKAGE = Path(__file__).resolve().parents[2] / "prometheus_client"
KEPT = b"# HELP kept Kept\n# TYPE kept gauge\nkept 1.0\n"
TEXT_0_0_4 = "text/plain; version=0.0.4; charset=utf-8"


@pytest.fixture
def kept_registry() -> CollectorRegistry:
    registry = CollectorRegistry()
    Gauge("kept", "Kept", registry=registry).set(1)
    Gauge("dropped", "Dropped", registry=registry).set(2)
    return registry


def test_gzip_accepted_reads_codings_and_weights() -> None:
    assert gzip_accepted("gzip")
    assert gzip_accepted("deflate, GZIP;q=0.5")
    assert gzip_accepted("x-gzip")
    assert not gzip_accepted("gzip;q=0")
    assert not gzip_accepted("gzip;q=nonsense")
    assert not gzip_accepted("deflate, br")
    assert not gzip_accepted("")


def test_bake_output_filters_by_name_like_the_official(kept_registry: CollectorRegistry) -> None:
    plain = [("Content-Type", TEXT_0_0_4)]
    assert _bake_output(kept_registry, "", "", {"name[]": ["kept"]}, False) == ("200 OK", plain, KEPT)
    # Present but empty still filters: to nothing.
    assert _bake_output(kept_registry, None, None, {"name[]": []}, False) == ("200 OK", plain, b"")


def test_bake_output_takes_the_official_keywords_and_gzips(kept_registry: CollectorRegistry) -> None:
    status, headers, body = _bake_output(
        registry=kept_registry,
        accept_header="",
        accept_encoding_header="gzip",
        params={"name[]": ["kept"]},
        disable_compression=False,
    )
    assert (status, headers) == ("200 OK", [("Content-Type", TEXT_0_0_4), ("Content-Encoding", "gzip")])
    assert gzip.decompress(body) == KEPT


def test_respond_is_the_official_wsgi_contract(kept_registry: CollectorRegistry) -> None:
    settings = ResponseSettings(kept_registry)
    assert respond(Request(query_string="name[]=kept"), settings) == ("200 OK", [("Content-Type", TEXT_0_0_4)], KEPT)
    assert respond(Request(method="OPTIONS"), settings) == ("200 OK", [("Allow", "OPTIONS,GET")], b"")
    assert respond(Request(path="/favicon.ico"), settings) == ("200 OK", [], b"")
    assert respond(Request(method="HEAD"), settings)[:2] == ("405 Method Not Allowed", [("Allow", "OPTIONS,GET")])


def test_respond_with_metrics_ignores_method_and_path(kept_registry: CollectorRegistry) -> None:
    settings = ResponseSettings(kept_registry)
    answer = respond_with_metrics(Request(method="POST", path="/favicon.ico", query_string="name[]=kept"), settings)
    assert answer == ("200 OK", [("Content-Type", TEXT_0_0_4)], KEPT)


def test_response_settings_check_basic_auth_and_keep_the_password_out_of_repr() -> None:
    settings = ResponseSettings(basic_auth=("scraper", "s3cret"))
    assert settings.auth_token == b"Basic c2NyYXBlcjpzM2NyZXQ="
    assert "s3cret" not in repr(settings) and "c2Ny" not in repr(settings)
    assert ResponseSettings().auth_token is None
    with pytest.raises(ValueError, match=r"^basic_auth user 'a:b' must not contain ':'$"):
        ResponseSettings(basic_auth=("a:b", "pw"))


# --- the import graph ------------------------------------------------------------------------------

# Standard-library modules of serving that a backend needing only the response function must not pull in.
SERVER_MACHINERY = {"http.server", "socketserver", "wsgiref", "select", "selectors"}
# This package's modules that only the built-in servers (and the public exposition module) need.
SERVER_MODULES = {
    "prometheus_client._http",
    "prometheus_client._http_server",
    "prometheus_client._deadline_io",
    "prometheus_client._http_tls",
    "prometheus_client.exposition",
}
RESPONSE_USERS = [
    "prometheus_client._http_response",
    "prometheus_client._http_types",
    "prometheus_client._wsgi",
    "prometheus_client.asgi",
    "prometheus_client.twisted._exposition",
    "prometheus_client.aiohttp.exposition",
    "prometheus_client.django.exposition",
]


def _source_of(module: str) -> Path:
    relative = Path(*module.split(".")[1:])
    candidate = PACKAGE / relative.with_suffix(".py")
    return candidate if candidate.exists() else PACKAGE / relative / "__init__.py"


def _is_module(module: str) -> bool:
    return module.startswith("prometheus_client.") and _source_of(module).exists()


@functools.cache
def _module_level_imports(module: str) -> List[str]:
    """Modules imported when ``module`` is (statements at module level, ``if``/``try`` included; not in functions).

    Cached: the walks of the eight tests below share most modules, and each would parse them again.
    """
    return list(_read_module_level_imports(module))


def _read_module_level_imports(module: str) -> Iterator[str]:
    path = _source_of(module)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    pending = list(ast.parse(path.read_text()).body)
    while pending:
        node = pending.pop()
        if isinstance(node, ast.If) and "TYPE_CHECKING" not in ast.dump(node.test):
            pending.extend(node.body + node.orelse)
        elif isinstance(node, ast.Try):
            pending.extend(node.body + node.orelse + node.finalbody)
            for handler in node.handlers:
                pending.extend(handler.body)
        elif isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{parent}.{base}" if base else parent
            yield base
            for alias in node.names:  # from package import submodule
                if _is_module(f"{base}.{alias.name}"):
                    yield f"{base}.{alias.name}"


def _imported_when_loading(module: str) -> Set[str]:
    """Everything ``module`` imports, following this package's submodules (the package root is loaded first anyway)."""
    seen: Set[str] = set()
    pending = [module]
    while pending:
        for imported in _module_level_imports(pending.pop()):
            if imported not in seen:
                seen.add(imported)
                if _is_module(imported):
                    pending.append(imported)
    return seen


@pytest.mark.parametrize("module", RESPONSE_USERS)
def test_backends_needing_only_the_response_import_no_server_machinery(module: str) -> None:
    imported = _imported_when_loading(module)
    assert sorted(name for name in imported if name in SERVER_MACHINERY or name.split(".")[0] == "wsgiref") == []
    assert sorted(imported & SERVER_MODULES) == []


def test_the_graph_walk_sees_the_server_machinery() -> None:
    """The check above would be empty praise if the walk missed imports: the server module has them all."""
    imported = _imported_when_loading("prometheus_client._http_server")
    assert {"http.server", "socketserver", "selectors", "wsgiref.simple_server"} <= imported
    assert {"prometheus_client._deadline_io", "prometheus_client._http_tls", "prometheus_client._wsgi"} <= imported
