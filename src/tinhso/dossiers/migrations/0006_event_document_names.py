"""A supplement request's document names were stored as ``data["documents"]``, the name that
also meant uploaded files elsewhere; they are ``data["document_names"]`` now (actions.py)."""

from django.db import migrations


def forwards(apps, schema_editor):
    DossierEvent = apps.get_model("dossiers", "DossierEvent")
    events = DossierEvent.objects.filter(action="request_supplement", data__has_key="documents")
    for event in events.iterator(chunk_size=2000):
        event.data["document_names"] = event.data.pop("documents")
        event.save(update_fields=["data"])


def backwards(apps, schema_editor):
    DossierEvent = apps.get_model("dossiers", "DossierEvent")
    events = DossierEvent.objects.filter(
        action="request_supplement", data__has_key="document_names"
    )
    for event in events.iterator(chunk_size=2000):
        event.data["documents"] = event.data.pop("document_names")
        event.save(update_fields=["data"])


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0005_actor_system")]

    operations = [migrations.RunPython(forwards, backwards)]
