from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.db.models import QuerySet
from django.http import HttpRequest

from .models import Agency, Area, User
from .services import user_second_factor_reset


class AreaInline(admin.TabularInline):
    model = Area
    extra = 0
    fields = ("name",)


# Role groups are defined in code (dacrre/accounts/roles.py, kept in step on every migrate) and
# agency groups carry per-case grants given by referrals and meetings: neither is edited by hand.
admin.site.unregister(Group)


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "side", "is_active")
    list_filter = ("kind", "side", "is_active")
    search_fields = ("name",)
    readonly_fields = ("public_id", "group")
    inlines = [AreaInline]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.group = Group.objects.create(name=f"agency:{obj.name}")
        super().save_model(request, obj, form, change)


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ("name", "agency")
    list_filter = ("agency",)
    search_fields = ("name", "agency__name")


@admin.action(description="Reset second factor (the user enrols again at next sign-in)")
def reset_second_factor(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[User]) -> None:
    for user in queryset:
        user_second_factor_reset(actor=request.user, user=user)  # type: ignore[arg-type]
    modeladmin.message_user(request, f"Second factor reset for {queryset.count()} user(s).")


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    """Users, their agency, area, role and scope. A scope the role may not hold is refused with a
    message (User.clean, ROLE_SCOPES); what a user may do comes from their role and scope alone, so
    there are no group or permission fields to edit here."""

    actions = [reset_second_factor]
    list_display = ("username", "first_name", "last_name", "agency", "area", "role", "scope", "is_active")
    list_filter = ("role", "scope", "agency", "is_active")
    list_select_related = ("agency", "area")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("Personal info", {"fields": ("first_name", "last_name", "email")}),
        ("Status", {"fields": ("is_active", "is_staff", "is_superuser")}),
        ("Important dates", {"fields": ("last_login", "date_joined")}),
        ("Agency membership", {"fields": ("agency", "area", "role", "scope", "job_title")}),
    )
    add_fieldsets = (
        *BaseUserAdmin.add_fieldsets,
        ("Agency membership", {"fields": ("agency", "area", "role", "scope")}),
    )
