"""``Dossier.original_due_at``: the appointment of form 01, kept for the statistics, while
``due_at`` becomes the appointment in force (the new date of an apology letter, form 04)."""

from django.db import migrations, models
from django.db.models import F


def forwards(apps, schema_editor):
    Dossier = apps.get_model("dossiers", "Dossier")
    Dossier.objects.filter(due_at__isnull=False).update(original_due_at=F("due_at"))
    Dossier.objects.filter(new_due_at__isnull=False).update(due_at=F("new_due_at"))


def backwards(apps, schema_editor):
    Dossier = apps.get_model("dossiers", "Dossier")
    Dossier.objects.filter(original_due_at__isnull=False).update(due_at=F("original_due_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("dossiers", "0009_dossier_search_text"),
    ]

    operations = [
        migrations.AddField(
            model_name="dossier",
            name="original_due_at",
            field=models.DateTimeField(
                blank=True, editable=False, null=True, verbose_name="original appointment"
            ),
        ),
        migrations.RunPython(forwards, backwards),
    ]
