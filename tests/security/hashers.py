"""A password hasher whose slowness the test controls exactly, instead of measuring time."""

import threading

from django.contrib.auth.hashers import MD5PasswordHasher


class GatedHasher(MD5PasswordHasher):
    """Checking a password waits until the test opens the gate, like a hasher at a million
    iterations would keep a thread busy; the test counts how many checks were started."""

    algorithm = "gated_md5"
    gate = threading.Semaphore(0)
    started = 0
    _count = threading.Lock()

    @classmethod
    def reset(cls) -> None:
        cls.gate = threading.Semaphore(0)
        cls.started = 0

    def verify(self, password: str, encoded: str) -> bool:
        with self._count:
            type(self).started += 1
        # A bound, so a broken test fails instead of hanging the server thread for ever.
        type(self).gate.acquire(timeout=30)
        return super().verify(password, encoded)
