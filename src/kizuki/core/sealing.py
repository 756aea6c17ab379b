"""Secrets Kizuki must use again (Apprise URLs with their services' tokens, an issue
tracker's API token, a webhook secret), encrypted at rest.

Keys come from KIZUKI_ENCRYPTION_KEYS: secrets of at least 32 characters, newest first,
separated by commas (`kizuki secrets generate-key` makes one). New values are sealed with the
newest; a value sealed with any key on the list still opens, so a key is rotated by putting a
new one first, running `kizuki secrets rotate`, then removing the old one. Without the
variable, one key is derived from SECRET_KEY (changing SECRET_KEY then loses the secrets).

Sealing is deterministic (AES-SIV): one value under one key always seals the same way, so an
address column can keep its uniqueness and be looked up. A sealed value reads
`sealed:v1:<key id>:<base64>`; the key id is a short hash of the key, naming which key opens it.
"""

import base64
import hashlib
from dataclasses import dataclass
from functools import cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESSIV
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

PREFIX = "sealed:v1:"
KEY_ID_LENGTH = 8
_INFO = b"kizuki sealed values v1"


class NotReadable(Exception):
    """A sealed value that no configured key opens (a removed key, a damaged value)."""


@dataclass(frozen=True)
class Key:
    id: str
    cipher: AESSIV


def _key(secret: str) -> Key:
    material = HKDF(algorithm=hashes.SHA256(), length=64, salt=None, info=_INFO).derive(
        secret.encode()
    )
    return Key(hashlib.sha256(material).hexdigest()[:KEY_ID_LENGTH], AESSIV(material))


@cache
def _ring(configured: str, secret_key: str) -> tuple[Key, ...]:
    secrets = [part.strip() for part in configured.split(",") if part.strip()]
    return tuple(_key(secret) for secret in secrets) or (_key(secret_key),)


def key_ring() -> tuple[Key, ...]:
    """The key ring, newest first."""
    configured = str(getattr(settings, "KIZUKI_ENCRYPTION_KEYS", "") or "")
    return _ring(configured, str(settings.SECRET_KEY))


def is_sealed(value: str) -> bool:
    return value.startswith(PREFIX)


def key_id(value: str) -> str:
    return value[len(PREFIX) : len(PREFIX) + KEY_ID_LENGTH]


def seal(plain: str) -> str:
    """The encrypted form to store, with the newest key ('' stays '')."""
    if not plain:
        return ""
    newest = key_ring()[0]
    data = newest.cipher.encrypt(plain.encode(), None)
    return f"{PREFIX}{newest.id}:{base64.urlsafe_b64encode(data).decode()}"


def unseal(value: str) -> str:
    """The plain value ('' stays ''); NotReadable when no configured key opens it."""
    if not value:
        return ""
    if not is_sealed(value):
        raise NotReadable("the value is not sealed")
    wanted = key_id(value)
    for key in key_ring():
        if key.id == wanted:
            try:
                data = base64.urlsafe_b64decode(value[len(PREFIX) + KEY_ID_LENGTH + 1 :])
                return key.cipher.decrypt(data, None).decode()
            except (InvalidTag, ValueError):
                break
    raise NotReadable("no key in KIZUKI_ENCRYPTION_KEYS opens this sealed value")
