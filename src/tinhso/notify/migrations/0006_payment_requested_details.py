"""The payment request message names what to pay for, how, where and by when. A template still
as shipped is brought up to date; one edited in the admin is left as its editor wrote it."""

from django.db import migrations

# The shipped Vietnamese body before this migration, to recognise an unedited template.
OLD_BODY_VI = (
    "Kính gửi {{ applicant_name }},\n\n"
    "Hồ sơ {{ code }} ({{ procedure }}) cần thực hiện nghĩa vụ tài chính"
    "{% if fee_amount %}: {{ fee_amount }} đồng{% endif %}."
    "{% if comment %}\nGhi chú: {{ comment }}{% endif %}\n\n"
    "Xem chi tiết tại: {{ tracking_url }}"
)
FIELDS = ("subject_vi", "body_vi", "sms_vi", "subject_en", "body_en", "sms_en")


def update(apps, schema_editor):
    from tinhso.notify.defaults import DEFAULT_TEMPLATES

    NotificationTemplate = apps.get_model("notify", "NotificationTemplate")
    new = next(t for t in DEFAULT_TEMPLATES if t["event"] == "dossier.payment_requested")
    NotificationTemplate.objects.filter(
        event="dossier.payment_requested", body_vi=OLD_BODY_VI
    ).update(**{name: new[name] for name in FIELDS})


class Migration(migrations.Migration):
    dependencies = [("notify", "0005_delivery_sensitive")]

    operations = [migrations.RunPython(update, migrations.RunPython.noop)]
