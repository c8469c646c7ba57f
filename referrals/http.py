"""The one way a page reaches a referral: fetch, decide, log, in one call (cases/http.py explains the
pattern). A referral the user's agency is not party to answers as a missing one."""

import uuid

from django.http import HttpRequest

from dacrre.audit.access import record_for

from .models import Referral
from .selectors import referral_get_for


def referral_for(request: HttpRequest, public_id: uuid.UUID | str, *, what: str) -> Referral:
    """The referral for the page `what`, logged with the person it is about."""
    return record_for(request, referral_get_for, public_id, what=what)
