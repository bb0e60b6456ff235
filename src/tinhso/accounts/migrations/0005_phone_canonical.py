"""Store every account's phone number in its one canonical form (``0912345678``).

Numbers typed in the admin were stored as typed ("0912 345 678"); the sign-in and the
registration look numbers up in the canonical form. A number that is not valid, or whose
canonical form another account already has, is left as it is (an administrator decides)."""

from django.db import migrations


def canonical(apps, schema_editor):
    from tinhso.core.validators import normalise_phone, validate_phone

    User = apps.get_model("accounts", "User")
    taken = set(User.objects.exclude(phone="").values_list("phone", flat=True))
    for user in User.objects.exclude(phone="").only("pk", "phone").iterator():
        phone = normalise_phone(user.phone)
        if phone == user.phone or phone in taken:
            continue
        try:
            validate_phone(user.phone)
        except Exception:  # noqa: S112  (left for an administrator)
            continue
        User.objects.filter(pk=user.pk).update(phone=phone)
        taken.add(phone)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0004_verificationcode")]

    operations = [migrations.RunPython(canonical, migrations.RunPython.noop)]
