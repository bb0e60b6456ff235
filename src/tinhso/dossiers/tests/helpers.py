from tinhso.dossiers import services
from tinhso.dossiers.constants import Channel
from tinhso.testing.files import pdf_upload


def submit_online(world, procedure=None, actor=None):
    procedure = procedure or world.procedure
    docs = [(pdf_upload(), {"document_id": d["id"]}) for d in procedure.current_version.documents]
    return services.dossier_submit(
        procedure=procedure,
        channel=Channel.ONLINE,
        actor=actor or world.citizen,
        applicant_name="Nguyễn Văn An",
        applicant_id_number="092090001234",
        applicant_phone="0912345678",
        applicant_email="an@example.vn",
        documents=docs,
    )


def checklist(dossier):
    return [d["id"] for d in dossier.procedure_version.documents]


def walk_to_processing(world, dossier):
    dossier = services.dossier_receive(
        dossier=dossier, actor=world.clerk, checklist=checklist(dossier)
    )
    return services.dossier_forward(dossier=dossier, actor=world.clerk)


def payment_requested(world, **overrides):
    """A dossier at the specialist's step whose applicant is asked to pay a fee."""
    dossier = walk_to_processing(world, submit_online(world))
    params = {"amount": 150_000, "purpose": "Lệ phí đăng ký", "pay_within_days": 3, **overrides}
    return services.dossier_request_payment(dossier=dossier, actor=world.specialist, **params)


def ward_create():
    """A ward of the province (the test database loads none)."""
    from tinhso.org.models import Ward

    return Ward.objects.create(
        code=31117, name="Phường Ninh Kiều", division_type="phường", province_code=92
    )
