"""Errors raised by services, translated into HTTP by the web layer."""


class ServiceError(Exception):
    """Base class: a domain rule refused the operation."""


class NotFound(ServiceError):
    """The object does not exist or is not visible to the actor."""


class Forbidden(ServiceError):
    """The actor's role does not allow the operation."""


class InvalidInput(ServiceError):
    """Input broke a rule; ``fields`` maps field names to messages."""

    def __init__(self, message: str, fields: dict[str, str] | None = None):
        super().__init__(message)
        self.fields = fields or {}


class Conflict(ServiceError):
    """The operation clashes with the current state (e.g. a duplicate)."""
