"""Domain errors. Entry points map them to HTTP statuses or CLI exit codes."""


class DomainError(Exception):
    code = "error"
    status = 400

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class InvalidInput(DomainError):
    code = "invalid"
    status = 400


class NotAllowed(DomainError):
    code = "forbidden"
    status = 403


class NotFound(DomainError):
    code = "not_found"
    status = 404


class Conflict(DomainError):
    code = "conflict"
    status = 409


class RateLimited(DomainError):
    """Over a limit until `retry_after` seconds from now (entry points send Retry-After)."""

    code = "rate_limited"
    status = 429

    def __init__(self, detail: str, retry_after: int) -> None:
        super().__init__(detail)
        self.retry_after = retry_after


# What a person can correct and send again: a page shows these beside the form. NotAllowed and
# RateLimited are not among them: they get their own page (403, 429) from the middleware.
CORRECTABLE = (InvalidInput, NotFound, Conflict)
