"""The access log is read, searched and exported by auditors on the app's own pages (/audit/), whose
reads are logged too. It is not in the admin: superuser status grants no role permission
(dacrre/accounts/roles.py), and the log names every person looked at.

What the admin does show of people's records is logged like the app's own pages: `LoggedReadOnlyAdmin`."""

from typing import Any

from django.contrib.admin.utils import unquote
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from dacrre.core.admin import ReadOnlyAdmin

from .models import AccessAction
from .services import access_log_record, access_log_record_people_shown


class LoggedReadOnlyAdmin(ReadOnlyAdmin):
    """Read-only, and every list and record read here goes on the access log before the page is built,
    with a row for each person the page names (`people_of`), as the app's own pages do."""

    def people_of(self, obj: Any) -> list[tuple[str, Any]]:
        """(role, person) pairs the admin shows for one record."""
        return []

    def _what(self) -> str:
        return str(self.model._meta.verbose_name_plural)

    def changelist_view(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        response = super().changelist_view(request, extra_context)
        context = response.context_data if isinstance(response, TemplateResponse) else None
        changelist = context.get("cl") if context else None
        if changelist is not None:
            rows = list(changelist.result_list)
            access_log_record(
                user=request.user,  # type: ignore[arg-type]
                action=AccessAction.LIST,
                request=request,
                object_type=f"admin {self._what()}",
                detail=f"search {changelist.query!r}, {len(rows)} listed",
            )
            access_log_record_people_shown(
                user=request.user,  # type: ignore[arg-type]
                request=request,
                action=AccessAction.LIST,
                page=f"the admin list of {self._what()}",
                people=[shown for row in rows for shown in self.people_of(row)],
            )
        return response

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        response = super().change_view(request, object_id, form_url, extra_context)
        obj = self.get_object(request, unquote(object_id)) if isinstance(response, TemplateResponse) else None
        if obj is not None:
            self.log_record_view(request, obj)
        return response

    def log_record_view(self, request: HttpRequest, obj: Any) -> None:
        access_log_record(
            user=request.user,  # type: ignore[arg-type]
            action=AccessAction.VIEW,
            request=request,
            object_type=f"admin {self.model._meta.verbose_name}",
            object_id=getattr(obj, "public_id", None) or obj.pk,
            object_label=str(obj),
        )
        access_log_record_people_shown(
            user=request.user,  # type: ignore[arg-type]
            request=request,
            page=f"the admin page of {self.model._meta.verbose_name} {obj.pk}",
            people=self.people_of(obj),
            object_id=getattr(obj, "public_id", None) or obj.pk,
        )
