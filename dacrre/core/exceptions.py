"""One exception hierarchy for domain rules; pages and the API map these to clear messages."""


class ApplicationError(Exception):
    """A domain rule refused the request. The message is safe to show to the user."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotFoundError(ApplicationError):
    """The record does not exist or the user may not see it (the two are indistinguishable)."""


class InvalidTransitionError(ApplicationError):
    """A status change that the record's current status does not allow."""


class CaseClosedError(InvalidTransitionError):
    """The case is closed: it is read only until reopened. Carries the case, so that a page can send
    the user back to it with the reason."""

    def __init__(self, message: str, *, case_public_id: object = None) -> None:
        super().__init__(message)
        self.case_public_id = case_public_id


class ConflictError(ApplicationError):
    """Someone else changed the record first; the user's input is kept and they retry."""


class PermissionDeniedError(ApplicationError):
    """The user may see the record but may not do this to it."""


# The status each refusal answers with, most specific first: the API's error handler and the pages'
# `refusal_shown` read this one table.
STATUS: list[tuple[type[ApplicationError], int]] = [
    (NotFoundError, 404),
    (PermissionDeniedError, 403),
    (InvalidTransitionError, 409),
    (ConflictError, 409),
    (ApplicationError, 400),
]


def status_of(exc: ApplicationError) -> int:
    return next(code for kind, code in STATUS if isinstance(exc, kind))
