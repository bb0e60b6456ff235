from django.db import migrations


def create_templates(apps, schema_editor):
    from tinhso.notify.defaults import DEFAULT_TEMPLATES

    NotificationTemplate = apps.get_model("notify", "NotificationTemplate")
    for values in DEFAULT_TEMPLATES:
        values = dict(values)
        NotificationTemplate.objects.get_or_create(event=values.pop("event"), defaults=values)


class Migration(migrations.Migration):
    dependencies = [("notify", "0001_initial")]

    operations = [migrations.RunPython(create_templates, migrations.RunPython.noop)]
