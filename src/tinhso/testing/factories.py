"""factory_boy factories and the fixed personas every test suite shares."""

from decimal import Decimal
from typing import cast

import factory
from django.contrib.auth.models import Group

from tinhso.accounts.models import User
from tinhso.catalog.models import Field, Procedure, ProcessStep, RequiredDocument
from tinhso.catalog.services import procedure_version_publish
from tinhso.org import roles
from tinhso.org.models import Agency, Officer

PASSWORD = "Mật-khẩu-thử-2026"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Faker("name", locale="vi_VN")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.vn")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"{n % 1000:03d}.{n // 1000 % 100:02d}.00.H30")
    name = factory.Sequence(lambda n: f"Sở thử nghiệm {n}")
    kind = Agency.Kind.DEPARTMENT


class FieldFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Field
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"F{n}")
    name = factory.Sequence(lambda n: f"Lĩnh vực {n}")


def officer_create(*, username: str, agency: Agency, role: str, **extra) -> User:
    user = cast(User, UserFactory(username=username, **extra))
    Officer.objects.create(user=user, agency=agency)
    user.groups.add(Group.objects.get(name=role))
    return User.objects.get(pk=user.pk)  # fresh permission cache


STANDARD_STEPS = [
    ("Tiếp nhận hồ sơ", roles.ONE_STOP_CLERK, True, "0.5"),
    ("Thẩm định hồ sơ", roles.SPECIALIST, False, "2"),
    ("Xem xét, trình ký", roles.DEPARTMENT_HEAD, False, "1"),
    ("Phê duyệt", roles.AGENCY_LEADER, False, "0.5"),
    ("Vào sổ, đóng dấu", roles.DOCUMENT_CLERK, False, "0.5"),
    ("Trả kết quả", roles.ONE_STOP_CLERK, True, "0.5"),
]


def procedure_create(
    *,
    agency: Agency,
    code: str = "1.000001.000.00.00.H30",
    name: str = "Đăng ký khai sinh",
    field: Field | None = None,
    processing_days: str = "5",
    steps=STANDARD_STEPS,
    documents=("Tờ khai đăng ký khai sinh", "Giấy chứng sinh"),
    online_level: str = Procedure.OnlineLevel.FULL,
    fees: tuple = (),
) -> Procedure:
    procedure = Procedure.objects.create(
        code=code,
        name=name,
        field=field or cast(Field, FieldFactory(code="HT", name="Hộ tịch")),
        agency=agency,
        processing_days=Decimal(processing_days),
        online_level=online_level,
        result_description="Giấy khai sinh",
        legal_basis="Luật Hộ tịch 2014",
    )
    for order, doc in enumerate(documents, start=1):
        RequiredDocument.objects.create(procedure=procedure, order=order, name=doc)
    for order, (name, role, at_desk, budget) in enumerate(steps, start=1):
        ProcessStep.objects.create(
            procedure=procedure,
            order=order,
            name=name,
            role=Group.objects.get(name=role),
            at_desk=at_desk,
            budget_days=Decimal(budget),
        )
    for fee_name, amount in fees:
        procedure.fees.create(name=fee_name, amount=amount)
    procedure_version_publish(procedure=procedure)
    procedure.refresh_from_db()
    return procedure
