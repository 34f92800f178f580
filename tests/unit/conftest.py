"""Fixtures shared by the unit tests."""

from __future__ import annotations

import os
import shutil
import subprocess
from typing import Iterator, Tuple

import pytest

from prometheus_client.values import close_all_multiprocess_files


@pytest.fixture
def mp_dir(tmp_path, monkeypatch) -> Iterator[str]:
    """An empty PROMETHEUS_MULTIPROC_DIR for this test; this process's files are closed afterwards."""
    directory = str(tmp_path / "mp")
    os.mkdir(directory)
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", directory)
    yield directory
    close_all_multiprocess_files()


@pytest.fixture(scope="session")
def self_signed_cert(tmp_path_factory: pytest.TempPathFactory) -> Tuple[str, str]:
    """A certificate for 127.0.0.1 and its key, made by the openssl CLI (Debian's ``openssl``).

    An EC P-256 key: made in a few milliseconds, where an RSA 2048 one takes a tenth of a second or more;
    the tests need a certificate the client trusts, not a key of any particular kind.
    """
    openssl = shutil.which("openssl")
    if openssl is None:
        if os.environ.get("CI") == "true":
            pytest.fail("openssl CLI is needed for the TLS tests on CI")
        pytest.skip("openssl CLI not installed")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
         "-days", "1", "-subj", "/CN=localhost",
         "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    return str(cert), str(key)
