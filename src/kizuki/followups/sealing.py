"""Secrets Kizuki must use again (an issue tracker's API token, a webhook secret), encrypted at
rest with Fernet (AES-128-CBC with HMAC-SHA256). The key is derived from SECRET_KEY with HKDF,
so the database alone does not reveal them; changing SECRET_KEY makes them unreadable, and
the trackers must then be given their tokens again (unseal raises NotReadable).

The project has no shared encryption helper yet; this one belongs in core if another app needs
it."""

import base64

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

INFO = b"kizuki followups tracker secrets v1"


class NotReadable(Exception):
    """A sealed value that this SECRET_KEY cannot open (changed key, damaged value)."""


def _fernet() -> Fernet:
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=INFO).derive(
        str(settings.SECRET_KEY).encode()
    )
    return Fernet(base64.urlsafe_b64encode(derived))


def seal(secret: str) -> str:
    """The encrypted form to store ('' stays '')."""
    if not secret:
        return ""
    return _fernet().encrypt(secret.encode()).decode()


def unseal(sealed: str) -> str:
    if not sealed:
        return ""
    try:
        return _fernet().decrypt(sealed.encode()).decode()
    except InvalidToken:
        raise NotReadable("the sealed secret cannot be read with this SECRET_KEY") from None
