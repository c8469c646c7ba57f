from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html

from dacrre.accounts.roles import has_role_permission
from dacrre.audit.admin import LoggedReadOnlyAdmin
from dacrre.core.exceptions import ApplicationError

from .merging import person_merge_reverse
from .models import PersonMerge

# People and possible duplicates are not in the admin: people are read on the app's pages (logged,
# within the rules of docs/permissions.md) and pairs are decided in the duplicate review queue. The
# admin keeps the one thing only an administrator does: reversing a merge.


class ReverseMergeForm(forms.Form):
    reason = forms.CharField(
        label="Why is this merge being reversed?", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


@admin.register(PersonMerge)
class PersonMergeAdmin(LoggedReadOnlyAdmin):
    """Merges are made in the duplicate review queue; here an administrator can reverse one. The two
    people's names are shown, so every read is logged against both."""

    list_display = ("merged", "kept", "merged_by", "created_at", "reversed_at", "reverse_link")
    list_select_related = ("merged", "kept", "merged_by")
    readonly_fields = ("changes",)

    def people_of(self, obj: PersonMerge) -> list[tuple[str, object]]:
        return [("Merged person", obj.merged), ("Kept person", obj.kept)]

    @admin.display(description="Reverse")
    def reverse_link(self, merge: PersonMerge) -> str:
        if merge.reversed_at:
            return "Reversed"
        return format_html(
            '<a href="{}">Reverse this merge</a>', reverse("admin:people_personmerge_reverse", args=[merge.pk])
        )

    def get_urls(self) -> list[URLPattern]:
        reverse_view = self.admin_site.admin_view(self.reverse_view)
        return [path("<int:pk>/reverse/", reverse_view, name="people_personmerge_reverse"), *super().get_urls()]

    def reverse_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        user = request.user
        if not (user.is_superuser or has_role_permission(user, "people.change_personmerge")):  # type: ignore[arg-type]
            raise PermissionDenied
        merge = get_object_or_404(PersonMerge.objects.select_related("kept", "merged"), pk=pk)
        self.log_record_view(request, merge)
        form = ReverseMergeForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                left = person_merge_reverse(actor=request.user, merge=merge, reason=form.cleaned_data["reason"])  # type: ignore[arg-type]
            except ApplicationError as exc:
                messages.error(request, exc.message)
            else:
                if left:
                    messages.warning(request, f"Reversed, except rows changed since the merge: {', '.join(left)}")
                else:
                    messages.success(request, f"Reversed: {merge.merged} and {merge.kept} are separate records again.")
                return redirect("admin:people_personmerge_changelist")
        context = {**self.admin_site.each_context(request), "merge": merge, "form": form, "title": "Reverse merge"}
        return TemplateResponse(request, "admin/people/reverse_merge.html", context)
