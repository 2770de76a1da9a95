from django.conf import settings
from django.db import migrations, models
from django.utils import timezone

# Stored text that learners read in either language, so both are written.
DECLARED_TWICE = "重复申报，以首次申报为准。Declared twice: the first declaration of this training stands."


def settle_declarations_sent_twice(apps, schema_editor):
    """Before the constraint: of the declarations of one training (same person, course name and
    dates) still pending or approved, the first stands (an approved one before a pending one); the
    others are rejected with the reason, and the hours an approved copy earned are revoked, so that
    no training counts twice."""
    OfflineTraining = apps.get_model("hours", "OfflineTraining")
    HourEntry = apps.get_model("hours", "HourEntry")
    now = timezone.now()
    seen = set()
    rows = OfflineTraining.objects.filter(status__in=["pending", "approved"]).order_by(
        "user_id", "course_name", "start_date", "end_date", "status", "created_at", "pk"
    )  # "approved" sorts before "pending"
    for declaration in rows.iterator():
        key = (declaration.user_id, declaration.course_name, declaration.start_date, declaration.end_date)
        if key not in seen:
            seen.add(key)
            continue
        HourEntry.objects.filter(offline_id=declaration.pk, revoked_at__isnull=True).update(
            revoked_at=now, revoke_reason=DECLARED_TWICE
        )
        declaration.status, declaration.reason, declaration.decided_at = "rejected", DECLARED_TWICE, now
        declaration.save(update_fields=["status", "reason", "decided_at"])


class Migration(migrations.Migration):
    dependencies = [
        ("hours", "0007_integrity_overlap_regular"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(settle_declarations_sent_twice, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="offlinetraining",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status__in", ["pending", "approved"])),
                fields=("user", "course_name", "start_date", "end_date"),
                name="offline_declared_once",
                violation_error_message=(
                    "You have already declared this training for these dates; it is waiting for a decision or was "
                    "approved."
                ),
            ),
        ),
    ]
