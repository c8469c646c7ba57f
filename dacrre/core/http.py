from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from dacrre.accounts.models import User


class AuthenticatedHttpRequest(HttpRequest):
    """The request of a view behind login_required: `user` is a real, signed-in User."""

    user: "User"
