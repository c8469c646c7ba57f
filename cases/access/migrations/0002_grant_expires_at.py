from django.db import migrations, models


def end_times_from_completed_referrals(apps, schema_editor):
    """Grants of completed referrals still waiting for the hourly job end when the referral's retention
    ends; each agency's permission row ends with the latest of its grants (never, if one is open-ended)."""
    Referral = apps.get_model("referrals", "Referral")
    CaseAccessGrant = apps.get_model("permissions", "CaseAccessGrant")
    CaseGroupObjectPermission = apps.get_model("permissions", "CaseGroupObjectPermission")
    completed = Referral.objects.filter(status="completed", access_ends_at__isnull=False)
    for public_id, ends_at in completed.values_list("public_id", "access_ends_at"):
        CaseAccessGrant.objects.filter(source_kind="referral", source_id=public_id, revoked_at__isnull=True).update(
            expires_at=ends_at
        )
    for row in CaseGroupObjectPermission.objects.select_related("permission", "group__agency"):
        grants = CaseAccessGrant.objects.filter(
            case_id=row.content_object_id, agency_id=row.group.agency.pk, revoked_at__isnull=True
        )
        if row.permission.codename == "view_victim_contact":
            grants = grants.filter(shares_victim_contact=True)
        ends = list(grants.values_list("expires_at", flat=True))
        if ends and None not in ends:
            row.expires_at = max(ends)
            row.save(update_fields=["expires_at"])


class Migration(migrations.Migration):
    dependencies = [
        ("permissions", "0001_initial"),
        ("referrals", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="caseaccessgrant",
            name="expires_at",
            field=models.DateTimeField(
                blank=True, help_text="When the access ends by itself (a completed referral's retention).", null=True
            ),
        ),
        migrations.AddField(
            model_name="casegroupobjectpermission",
            name="expires_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(end_times_from_completed_referrals, migrations.RunPython.noop),
    ]
