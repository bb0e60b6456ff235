from django.db import migrations


def create_templates(apps, schema_editor):
    from tinhso.notify.defaults import DEFAULT_TEMPLATES

    NotificationTemplate = apps.get_model("notify", "NotificationTemplate")
    # Today's defaults may name fields added by later migrations: leave those to them.
    known = {field.name for field in NotificationTemplate._meta.get_fields()}
    for values in DEFAULT_TEMPLATES:
        values = {name: value for name, value in values.items() if name in known}
        NotificationTemplate.objects.get_or_create(event=values.pop("event"), defaults=values)


class Migration(migrations.Migration):
    dependencies = [("notify", "0001_initial")]

    operations = [migrations.RunPython(create_templates, migrations.RunPython.noop)]
