"""Protected downloads: a dossier's files and its printable slips.

Files never have a public URL. Whoever may not see the dossier gets 404, not 403, so that
dossier and file numbers cannot be probed.
"""

from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET
from rest_framework.exceptions import AuthenticationFailed

from tinhso.accounts.authentication import TokenAuthentication
from tinhso.accounts.scopes import DOSSIERS_READ
from tinhso.accounts.tokens import token_allows
from tinhso.core.uploads import download_name
from tinhso.dossiers.models import Dossier
from tinhso.dossiers.selectors import dossier_user_can_see, file_shown_to_applicant
from tinhso.dossiers.slips import (
    FORMS,
    OFFICER_ONLY_FORMS,
    slip_available,
    slip_pdf,
    user_is_officer_for,
)

NO_STORE = "private, no-store"


def _token_user(request) -> None:
    """Let the API's clients follow the ``download_url`` the API gives them: a request with
    ``Authorization: Token <key>`` and no session is that token's user (a bad token is
    nobody, so the answer stays 404)."""
    if request.user.is_authenticated or not request.META.get("HTTP_AUTHORIZATION"):
        return
    try:
        found = TokenAuthentication().authenticate(request)
    except AuthenticationFailed:
        return
    # An integration token reads files only with the scope the API's reads need.
    if found is not None and token_allows(found[1], DOSSIERS_READ):
        request.user = found[0]


def _dossier_for(request, pk: int) -> Dossier:
    _token_user(request)
    dossier = Dossier.objects.select_related("procedure_version").filter(pk=pk).first()
    if dossier is None or not dossier_user_can_see(request.user, dossier):
        raise Http404
    return dossier


@require_GET
def file_download(request, pk: int, file_pk: int):
    """Stream one file of the dossier as an attachment. Officers of the dossier get any; anyone
    else only those ``selectors.file_shown_to_applicant`` allows (not the officers' internal
    attachments)."""
    dossier = _dossier_for(request, pk)
    record = get_object_or_404(dossier.files, pk=file_pk)
    if not file_shown_to_applicant(record, dossier) and not user_is_officer_for(
        request.user, dossier
    ):
        raise Http404
    try:
        handle = record.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=True,
        # Named with the checked type's extension, whatever the upload was called.
        filename=download_name(record.original_name or record.sha256[:12], record.extension),
        content_type=record.content_type,
    )
    response["Cache-Control"] = NO_STORE
    return response


@require_GET
def slip(request, pk: int, form: str):
    """One of the forms 01–05 as a PDF shown in the browser."""
    if form not in FORMS:
        raise Http404
    dossier = _dossier_for(request, pk)
    officer = user_is_officer_for(request.user, dossier)
    if form in OFFICER_ONLY_FORMS and not officer:
        raise Http404
    if not slip_available(dossier, form, officer=officer):
        raise Http404
    response = HttpResponse(slip_pdf(dossier, form), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{form}-{dossier.code}.pdf"'
    response["Cache-Control"] = NO_STORE
    return response
