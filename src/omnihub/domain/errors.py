"""Errors the services raise; adapters turn them into protocol answers (HTTP 404, 409, 422 ...)."""


class DomainError(Exception):
    """Base of every error a service raises on purpose."""


class NotFound(DomainError):
    """The thing does not exist, or the caller may not know that it does."""

    def __init__(self, what: str) -> None:
        super().__init__(f"{what} not found")
        self.what = what


class Forbidden(DomainError):
    """The caller may see the thing but not change it this way."""


class InvalidInput(DomainError):
    """A value breaks a rule of the model; ``field`` names the offending input (dotted for nested
    fields) and ``location`` where it came from: ``body`` or ``query``."""

    def __init__(self, field: str, message: str, *, location: str = "body") -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message
        self.location = location


class Conflict(DomainError):
    """The change contradicts the current state (e.g. merging a contact into itself)."""


class NotAuthenticated(DomainError):
    """The caller's credentials are wrong (a sign-in with a wrong password)."""


class TooManyAttempts(DomainError):
    """Refused for now (too many failed sign-ins); may be tried again after ``retry_after_seconds``."""

    def __init__(self, message: str, *, retry_after_seconds: int) -> None:
        super().__init__(message)
        self.retry_after_seconds = retry_after_seconds
