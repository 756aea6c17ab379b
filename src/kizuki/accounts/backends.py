"""Password logins: axes' lockout check first, then Django's check, capped per process."""

import threading
from typing import Any

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest
from django.utils.translation import gettext as _

from kizuki.accounts.models import User
from kizuki.core.errors import RateLimited


class LockoutBackend(AxesStandaloneBackend):  # type: ignore[misc]
    """Refuses a locked-out username and address before any password is hashed.

    A call without a request (the shell, the CLI, the test client) is no login from the
    network: there is no address to count failures against, so it is not checked here."""

    def authenticate(
        self, request: HttpRequest | None, username: str | None = None, **kwargs: Any
    ) -> None:
        if request is None:
            return None
        return super().authenticate(request, username, **kwargs)  # type: ignore[no-any-return]


class _Slots:
    """A counter of password checks running in this process, read against the setting on
    every claim so the cap follows configuration changes (and test settings)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._busy = 0

    def claim(self) -> bool:
        with self._lock:
            if self._busy >= settings.KIZUKI_LOGIN_CONCURRENCY:
                return False
            self._busy += 1
            return True

    def release(self) -> None:
        with self._lock:
            self._busy -= 1


_SLOTS = _Slots()


class CappedModelBackend(ModelBackend):
    """Django's password check, at most KIZUKI_LOGIN_CONCURRENCY at once in this process.

    Hashing is slow on purpose. A burst of logins beyond the cap is refused at once (429)
    instead of queueing and holding every worker thread away from pages and health checks."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        if not settings.KIZUKI_PASSWORD_LOGIN:
            return None  # single sign-on only: no password opens a session, not even admin's
        if not _SLOTS.claim():
            raise RateLimited(
                _("Too many logins at this moment. Try again in a few seconds."), retry_after=5
            )
        try:
            return super().authenticate(request, username, password, **kwargs)
        finally:
            _SLOTS.release()
