"""A local OpenID Connect provider for tests: discovery, authorize, token, userinfo and JWKS
on 127.0.0.1, signing RS256 id_tokens with a key made at start. The test says who signs in
next (`stub.person`) and can make the provider misbehave (wrong nonce, other audience).
Every request is recorded."""

import base64
import hashlib
import json
import secrets
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

CLIENT_ID = "kizuki-test"
CLIENT_SECRET = "stub-client-secret"
KEY_ID = "stub-key-1"


@dataclass
class OidcStub:
    url: str = ""
    # The claims of whoever "signs in" at the provider next.
    person: dict[str, Any] = field(default_factory=dict)
    # Misbehaviour on demand.
    nonce_override: str | None = None
    audience: str = CLIENT_ID
    requests: list[dict[str, Any]] = field(default_factory=list)
    key: rsa.RSAPrivateKey = field(
        default_factory=lambda: rsa.generate_private_key(public_exponent=65537, key_size=2048)
    )
    _codes: dict[str, dict[str, Any]] = field(default_factory=dict)
    _access: dict[str, dict[str, Any]] = field(default_factory=dict)

    def paths(self) -> list[str]:
        return [request["path"] for request in self.requests]

    def id_token(self, claims: dict[str, Any], nonce: str) -> str:
        now = int(time.time())
        body = {
            "iss": self.url,
            "aud": self.audience,
            "iat": now,
            "exp": now + 300,
            "nonce": self.nonce_override if self.nonce_override is not None else nonce,
            **claims,
        }
        return jwt.encode(body, self.key, algorithm="RS256", headers={"kid": KEY_ID})

    def jwks(self) -> dict[str, Any]:
        public = RSAAlgorithm.to_jwk(self.key.public_key(), as_dict=True)
        return {"keys": [{**public, "kid": KEY_ID, "alg": "RS256", "use": "sig"}]}

    def discovery(self) -> dict[str, Any]:
        return {
            "issuer": self.url,
            "authorization_endpoint": f"{self.url}/authorize",
            "token_endpoint": f"{self.url}/token",
            "userinfo_endpoint": f"{self.url}/userinfo",
            "jwks_uri": f"{self.url}/jwks",
            "end_session_endpoint": f"{self.url}/logout",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
        }

    def authorize(self, query: dict[str, str]) -> str:
        """Where the provider sends the browser back: the redirect_uri with a code."""
        code = secrets.token_urlsafe(16)
        self._codes[code] = {"claims": dict(self.person), **query}
        back = {"code": code, "state": query["state"]}
        return f"{query['redirect_uri']}?{urlencode(back)}"

    def token(self, form: dict[str, str], basic: str) -> tuple[int, dict[str, Any]]:
        client_id, client_secret = form.get("client_id"), form.get("client_secret")
        if basic:
            client_id, _, client_secret = base64.b64decode(basic).decode().partition(":")
        if (client_id, client_secret) != (CLIENT_ID, CLIENT_SECRET):
            return 401, {"error": "invalid_client"}
        grant = self._codes.pop(form.get("code", ""), None)
        if grant is None or grant["redirect_uri"] != form.get("redirect_uri"):
            return 400, {"error": "invalid_grant"}
        if "code_challenge" in grant:
            verifier = form.get("code_verifier", "")
            digest = hashlib.sha256(verifier.encode()).digest()
            if base64.urlsafe_b64encode(digest).rstrip(b"=").decode() != grant["code_challenge"]:
                return 400, {"error": "invalid_grant", "error_description": "PKCE"}
        access = secrets.token_urlsafe(16)
        self._access[access] = grant["claims"]
        return 200, {
            "access_token": access,
            "token_type": "Bearer",
            "expires_in": 300,
            "id_token": self.id_token(grant["claims"], grant.get("nonce", "")),
        }


def _handler(stub: OidcStub) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def _answer(self, status: int, body: dict[str, Any]) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _record(self, form: dict[str, str] | None = None) -> dict[str, str]:
            parts = urlsplit(self.path)
            query = {key: values[0] for key, values in parse_qs(parts.query).items()}
            stub.requests.append(
                {"method": self.command, "path": parts.path, "query": query, "form": form or {}}
            )
            return query

        def do_GET(self) -> None:
            query = self._record()
            path = urlsplit(self.path).path
            if path == "/.well-known/openid-configuration":
                self._answer(200, stub.discovery())
            elif path == "/jwks":
                self._answer(200, stub.jwks())
            elif path == "/authorize":
                self.send_response(302)
                self.send_header("Location", stub.authorize(query))
                self.send_header("Content-Length", "0")
                self.end_headers()
            elif path == "/userinfo":
                access = self.headers.get("Authorization", "").removeprefix("Bearer ")
                claims = stub._access.get(access)
                if claims is None:
                    self._answer(401, {"error": "invalid_token"})
                else:
                    self._answer(200, claims)
            else:
                self._answer(404, {"error": "not_found"})

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length).decode()
            form = {key: values[0] for key, values in parse_qs(raw).items()}
            self._record(form)
            if urlsplit(self.path).path != "/token":
                self._answer(404, {"error": "not_found"})
                return
            basic = self.headers.get("Authorization", "").removeprefix("Basic ")
            status, body = stub.token(form, basic if basic.strip() else "")
            self._answer(status, body)

        def log_message(self, *_args: Any) -> None:
            return

    return Handler


@contextmanager
def running_oidc_stub() -> Iterator[OidcStub]:
    stub = OidcStub()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(stub))
    stub.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield stub
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
