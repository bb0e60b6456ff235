import re
from base64 import b32decode
from collections import Counter
from decimal import Decimal
from io import StringIO

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from django_otp.oath import TOTP

from tinhso.accounts.models import User
from tinhso.catalog.models import Field, Procedure, ProcedureVersion
from tinhso.catalog.selectors import implementing_agencies
from tinhso.core.models import AuditLog
from tinhso.demo.people import DEMO_TOTP_SECRET, PASSWORD, logins_table
from tinhso.dossiers import services
from tinhso.dossiers.constants import Channel, Status
from tinhso.dossiers.models import Dossier, DossierCounter, DossierEvent, DossierFile
from tinhso.org import roles
from tinhso.org.models import Agency, Officer, agency_code_validator

pytestmark = pytest.mark.django_db

CODE = re.compile(r"^(?P<agency>[A-Z0-9]{2,3}\.[A-Z0-9]{2}\.[A-Z0-9]{2}\.[A-Z0-9]{3})-(?P<day>\d{6})-(?P<n>\d{4})$")  # fmt: skip
OFFICE_ROLES = [role for role in roles.ROLE_LABELS if role != roles.PROVINCE_ADMIN]


def seed(count: int) -> str:
    out = StringIO()
    call_command("seed_demo", dossiers=count, verbosity=0, stdout=out, stderr=StringIO())
    return out.getvalue()


def counts() -> dict:
    return {
        model.__name__: model.objects.count()
        for model in (
            Agency,
            Procedure,
            ProcedureVersion,
            Field,
            User,
            Officer,
            Dossier,
            DossierEvent,
            DossierFile,
            DossierCounter,
        )
    }


def assert_histories_consistent():
    now = timezone.now()
    histories = {}
    for event in DossierEvent.objects.order_by("dossier_id", "at", "pk"):
        histories.setdefault(event.dossier_id, []).append(event)
    highest = Counter()
    for dossier in Dossier.objects.select_related("receiving_agency"):
        match = CODE.match(dossier.code)
        assert match, dossier.code
        assert match["agency"] == dossier.receiving_agency.code
        assert match["day"] == f"{timezone.localtime(dossier.submitted_at):%y%m%d}"
        key = (dossier.receiving_agency_id, match["day"])
        highest[key] = max(highest[key], int(match["n"]))
        events = histories[dossier.pk]
        assert events[0].action == "submit" and events[0].from_status is None
        for before, after in zip(events, events[1:], strict=False):
            assert after.from_status == before.to_status, dossier.code
            assert before.at <= after.at
        assert events[-1].to_status == dossier.status
        assert events[-1].at <= now
        assert dossier.version == len(events)  # every transition after submit bumps it
        if dossier.status in {Status.FINISHED, Status.RETURNED}:
            assert dossier.timeliness and dossier.finished_at and dossier.decision
        if dossier.status == Status.RETURNED:
            assert dossier.returned_at >= dossier.finished_at
        if dossier.status in {Status.SUPPLEMENT_REQUESTED, Status.FINANCIAL_OBLIGATION}:
            assert dossier.paused_at and dossier.status_before_pause
        received = any(event.action == "receive" for event in events)
        assert bool(dossier.received_at) == bool(dossier.due_at) == received
    counters = {(c.agency_id, f"{c.day:%y%m%d}"): c.last for c in DossierCounter.objects.all()}
    assert counters == dict(highest)


def test_seed_demo_builds_the_province_once_and_tops_dossiers_up():
    seed(150)
    first = counts()
    seed(150)
    assert counts() == first  # idempotent: nothing duplicated, no new procedure versions

    # Agencies.
    agencies = Agency.objects.all()
    assert agencies.count() >= 12
    for agency in agencies:
        agency_code_validator(agency.code)
    center = Agency.objects.get(kind=Agency.Kind.SERVICE_CENTER)
    city = Agency.objects.get(kind=Agency.Kind.PEOPLES_COMMITTEE)
    departments = Agency.objects.filter(kind=Agency.Kind.DEPARTMENT)
    wards = Agency.objects.filter(kind=Agency.Kind.WARD_COMMITTEE)
    assert departments.count() >= 10 and wards.count() >= 3
    assert {a.served_by_id for a in departments} == {center.pk}
    assert all(a.ward_id and a.served_by_id is None for a in wards)
    assert all(a.parent_id == city.pk for a in agencies.exclude(pk=city.pk))

    # Catalogue: the real national procedures, a commune procedure once for every ward.
    procedures = Procedure.objects.select_related("current_version", "national_record")
    assert procedures.count() >= 40
    assert all(p.national_record.code + ".000.00.00.H13" == p.code for p in procedures)
    assert Field.objects.filter(procedures__isnull=False).distinct().count() >= 5
    communes = procedures.filter(at_communes=True, agency__isnull=True)
    assert communes.count() >= 10
    assert not procedures.filter(agency__kind=Agency.Kind.WARD_COMMITTEE).exists()
    assert {p.online_level for p in procedures} <= set(Procedure.OnlineLevel.values)
    for procedure in procedures:
        steps = procedure.current_version.steps
        assert sum(Decimal(s["budget_days"]) for s in steps) == procedure.processing_days
        assert steps[0]["at_desk"] and steps[-1]["at_desk"]
        assert not any(s["agency_id"] for s in steps)  # within the implementing agency
    assert sum(1 for p in procedures if p.current_version.documents) >= 0.9 * procedures.count()
    commune_dossiers = Dossier.objects.filter(procedure__at_communes=True, procedure__agency=None)
    assert commune_dossiers.exists()
    assert all(d.agency.kind == Agency.Kind.WARD_COMMITTEE for d in commune_dossiers)
    assert len({d.agency_id for d in commune_dossiers}) >= 2

    # People.
    for role in roles.ROLE_LABELS:
        assert Officer.objects.filter(user__groups__name=role).exists(), role
    for agency in [center, *departments, *wards]:
        held = set(
            Group.objects.filter(user__officer__agency=agency).values_list("name", flat=True)
        )
        assert set(OFFICE_ROLES) <= held, agency
    personas = {
        "motcua": (roles.ONE_STOP_CLERK, center),
        "chuyenvien": (roles.SPECIALIST, Agency.objects.get(name="Sở Tư pháp")),
        "truongphong": (roles.DEPARTMENT_HEAD, Agency.objects.get(name="Sở Tư pháp")),
        "lanhdao": (roles.AGENCY_LEADER, Agency.objects.get(name="Sở Tư pháp")),
        "vanthu": (roles.DOCUMENT_CLERK, Agency.objects.get(name="Sở Tư pháp")),
    }
    for username, (role, agency) in personas.items():
        user = User.objects.get(username=username)
        assert user.check_password("demo12345")
        assert user.groups.filter(name=role).exists() and user.officer.agency == agency
    admin = User.objects.get(username="quantri")
    assert admin.is_superuser and admin.is_staff and admin.check_password("demo12345")
    citizen = User.objects.get(username="congdan")
    assert (citizen.phone, citizen.email) == ("0900000001", "congdan@example.vn")
    assert not hasattr(citizen, "officer") and citizen.check_password("demo12345")

    # Dossiers.
    assert Dossier.objects.count() == 150
    assert set(Dossier.objects.values_list("status", flat=True)) == set(Status.values)
    assert set(Dossier.objects.values_list("channel", flat=True)) == set(Channel.values)
    codes = list(Dossier.objects.values_list("code", flat=True))
    assert len(codes) == len(set(codes))
    assert Dossier.objects.filter(supplement_count__gt=0).exists()
    obligations = Dossier.objects.filter(status=Status.FINANCIAL_OBLIGATION)
    assert obligations.exists()
    assert all(d.procedure.field.name == "Đất đai" for d in obligations)
    assert Dossier.objects.filter(applicant__username="congdan").exists()
    finished = Counter(Dossier.objects.exclude(timeliness="").values_list("timeliness", flat=True))
    assert finished["early"] > finished["on_time"] > 0 and finished["late"] > 0
    oldest = Dossier.objects.order_by("submitted_at").first().submitted_at
    assert (timezone.now() - oldest).days > 200  # spread over the past year
    assert_histories_consistent()
    audited = AuditLog.objects.filter(object_type="dossiers.dossier").exclude(action="dossier.rate")
    assert audited.count() == DossierEvent.objects.count()

    seed(160)  # topped up, not rebuilt
    assert Dossier.objects.count() == 160
    assert_histories_consistent()


def test_a_real_submission_after_seeding_continues_the_day_sequence():
    seed(40)
    center = Agency.objects.get(kind=Agency.Kind.SERVICE_CENTER)
    seeded = Dossier.objects.filter(receiving_agency=center).order_by("-submitted_at").first()
    day = timezone.localtime(seeded.submitted_at).date()
    last = DossierCounter.objects.get(agency=center, day=day).last
    procedure = seeded.procedure
    clerk = User.objects.get(username="motcua")
    with time_machine.travel(seeded.submitted_at, tick=False):
        dossier = services.dossier_submit(
            procedure=procedure,
            channel=Channel.IN_PERSON,
            actor=clerk,
            applicant_name="Nguyễn Văn Thử",
            checklist=[d["id"] for d in procedure.current_version.documents],
        )
    assert dossier.code == f"{center.code}-{day:%y%m%d}-{last + 1:04d}"
    assert Dossier.objects.filter(code=dossier.code).count() == 1
    assert dossier.status == Status.RECEIVED


def test_print_logins_lists_the_personas_without_touching_the_database(
    django_assert_num_queries,
):
    out = StringIO()
    with django_assert_num_queries(0):
        call_command("seed_demo", print_logins=True, stdout=out)
    text = out.getvalue()
    for username in ("motcua", "chuyenvien", "truongphong", "lanhdao", "vanthu", "quantri"):
        assert username in text
    assert "congdan" in text and "0900000001" in text
    assert not Dossier.objects.exists()


def test_demo_officers_sign_in_with_the_published_authenticator_key(client):
    """What `make demo` prints is enough to sign in as an officer: the password, then the code
    from `manage.py otp_code` (or an app holding DEMO_TOTP_SECRET)."""
    seed(0)
    assert "otp_code motcua" in logins_table()
    assert " ".join(DEMO_TOTP_SECRET[i : i + 4] for i in range(0, 32, 4)) in logins_table()
    with time_machine.travel(timezone.now(), tick=False):
        response = client.post("/accounts/dang-nhap/", {"login": "motcua", "password": PASSWORD})
        assert response["Location"] == "/accounts/xac-thuc/"
        out = StringIO()
        call_command("otp_code", "motcua", stdout=out)
        code = out.getvalue().strip()
        app = TOTP(b32decode(DEMO_TOTP_SECRET))  # what an authenticator app computes
        assert code == f"{app.token():06d}"
        # Without a ``next``, signing in lands on the page that sends officers to their queue.
        assert client.post("/accounts/xac-thuc/", {"code": code})["Location"] == "/sau-dang-nhap/"
        assert client.get("/office/").status_code == 200
    # Every officer and the administrator has one; citizens none.
    assert not User.objects.filter(officer__isnull=False, totpdevice__isnull=True).exists()
    assert User.objects.get(username="quantri").totpdevice_set.count() == 1
    assert not User.objects.filter(username="congdan", totpdevice__isnull=False).exists()
    seed(0)  # idempotent
    assert User.objects.get(username="quantri").totpdevice_set.count() == 1
    with pytest.raises(CommandError):
        call_command("otp_code", "congdan", stdout=StringIO())


def test_every_step_of_every_demo_process_has_a_listed_sign_in():
    """`make demo` prints sign-ins that can carry any demo dossier through its whole process."""
    seed(0)
    listed = logins_table()
    usernames = {u.pk: u.username for u in User.objects.all()}
    for procedure in Procedure.objects.filter(is_active=True).select_related("agency"):
        for implementer in implementing_agencies(procedure):
            for step in procedure.current_version.steps:
                agency = (
                    Agency.objects.get(pk=step["agency_id"]) if step["agency_id"] else implementer
                )
                if step["at_desk"]:
                    agency = agency.desk
                holders = Officer.objects.filter(agency=agency, user__groups__name=step["role"])
                names = {usernames[o.user_id] for o in holders}
                assert any(name in listed for name in names), (procedure.code, agency, step)


def test_seed_demo_fails_clearly_without_the_catalogue_file(settings, tmp_path):
    settings.NATIONAL_CATALOGUE_FILE = tmp_path / "missing.json.gz"
    with pytest.raises(CommandError, match="NATIONAL_CATALOGUE_FILE"):
        seed(0)
