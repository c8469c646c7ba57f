"""Logging filters (settings.LOGGING)."""

import logging


class RefusalWithoutTraceback(logging.Filter):
    """A refused request (403) is expected behaviour, not a fault: Django logs it with the exception's
    traceback, which buries real errors. Keep one line with the path, the reason the view gave and
    who asked, and drop the traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) != 403 or not record.exc_info:
            return True
        exception = record.exc_info[1]
        request = getattr(record, "request", None)
        user = getattr(request, "user", None)
        username = getattr(user, "username", "") if getattr(user, "is_authenticated", False) else "anonymous"
        record.msg = f"{record.msg} (user %s: %s)"
        record.args = (*(record.args or ()), username, str(exception) or "no reason given")
        record.exc_info, record.exc_text = None, None
        return True
