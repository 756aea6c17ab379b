"""Kizuki served over HTTPS on loopback, for clients that refuse plain HTTP (PagerDuty's
client library accepts only https:// base URLs). The certificate is a self-signed one for
127.0.0.1, made by openssl once per test process (no key is kept in the repository); clients
trust exactly it."""

import functools
import ssl
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from socket import socket
from typing import Any

from django.core.servers.basehttp import ThreadedWSGIServer
from django.test.testcases import LiveServerThread
from pytest_django.live_server_helper import LiveServer

HOST = "127.0.0.1"


@functools.cache
def _certificate() -> str:
    """A PEM file holding a fresh key and its self-signed certificate for 127.0.0.1."""
    path = Path(tempfile.mkdtemp(prefix="kizuki-tls-")) / "loopback.pem"
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2"),
            *("-subj", f"/CN={HOST}", "-addext", f"subjectAltName=IP:{HOST}"),
            *("-keyout", str(path), "-out", str(path)),
        ],
        check=True,
        capture_output=True,
    )
    return str(path)


def client_context() -> ssl.SSLContext:
    return ssl.create_default_context(cafile=_certificate())


class _TlsServer(ThreadedWSGIServer):
    # Stopping waits for the request threads: none may touch the shared database connection
    # after the test has taken it back.
    daemon_threads = False
    block_on_close = True

    def get_request(self) -> tuple[socket, Any]:
        connection, address = super().get_request()
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(_certificate())
        return context.wrap_socket(connection, server_side=True), address


class _TlsServerThread(LiveServerThread):
    server_class = _TlsServer


def serve_https(settings: Any) -> Iterator[str]:
    """For a fixture (with transactional_db): yields the base URL of a live Kizuki on
    https://127.0.0.1:<a free port>, and stops it after."""
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, HOST]
    server = LiveServer(HOST, start=False)  # shares in-memory SQLite with the server thread
    plain = server.thread
    server.thread = _TlsServerThread(
        HOST, plain.static_handler, connections_override=plain.connections_override
    )
    server.thread.daemon = True
    server.start()
    yield f"https://{HOST}:{server.thread.port}"
    server.stop()
