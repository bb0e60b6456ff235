"""Background work for dossiers: thin tasks that call services or send messages."""

from django.core.mail import send_mail
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task


@task()
def dossier_notify(*, dossier_id: int, action: str) -> None:
    """Tell the applicant (by e-mail for now) that something happened to their dossier."""
    from tinhso.dossiers.models import Dossier
    from tinhso.dossiers.selectors import dossier_tracking_url

    dossier = Dossier.objects.filter(pk=dossier_id).first()
    if dossier is None or not dossier.applicant_email:
        return
    with translation.override("vi"):
        send_mail(
            subject=_("Dossier %(code)s: %(status)s")
            % {"code": dossier.code, "status": dossier.get_status_display()},
            message=_("Follow your dossier at %(url)s") % {"url": dossier_tracking_url(dossier)},
            from_email=None,
            recipient_list=[dossier.applicant_email],
            fail_silently=True,
        )


@task()
def apologies_draft_overdue() -> int:
    """Draft apology letters (form 04) for the overdue dossiers; run daily."""
    from tinhso.dossiers import services

    return services.apologies_draft_overdue()
