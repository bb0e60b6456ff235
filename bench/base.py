"""The base a benchmark database needs: agencies, procedures, officers and citizens.

Idempotent (get-or-create by code / username). Reused by ``generate.py``; the load scripts sign
in as the officers and citizens made here (password ``BENCH_PASSWORD``).
"""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction

from tinhso.accounts.models import User
from tinhso.catalog.models import Field, Procedure, ProcessStep, RequiredDocument
from tinhso.catalog.services import procedure_version_publish
from tinhso.org import roles
from tinhso.org.models import Agency, Officer

BENCH_PASSWORD = "bench-12345"  # noqa: S105 - a benchmark database only
CENTER_CODE = "000.90.00.H92"
# The agency whose work queue the load script measures (the biggest one).
BIG_AGENCY_CODE = "000.90.03.H92"

# (code suffix, name, weight of its dossiers) — departments served by the provincial centre.
DEPARTMENTS = [
    ("01", "Sở Tư pháp", 12),
    ("02", "Sở Xây dựng", 8),
    ("03", "Sở Nông nghiệp và Môi trường", 22),
    ("04", "Sở Tài chính", 6),
    ("05", "Sở Công Thương", 4),
    ("06", "Sở Y tế", 4),
    ("07", "Sở Giáo dục và Đào tạo", 3),
    ("08", "Sở Văn hóa, Thể thao và Du lịch", 2),
    ("09", "Sở Nội vụ", 3),
    ("10", "Sở Khoa học và Công nghệ", 1),
    ("11", "Sở Dân tộc và Tôn giáo", 1),
    ("12", "Sở Ngoại vụ", 1),
]
WARDS = [
    "Ninh Kiều",
    "Cái Khế",
    "Tân An",
    "An Bình",
    "Bình Thủy",
    "Long Tuyền",
    "Cái Răng",
    "Hưng Phú",
    "Ô Môn",
    "Phước Thới",
    "Thốt Nốt",
    "Trung Nhứt",
    "Vị Thanh",
    "Vị Tân",
    "Ngã Bảy",
    "Long Mỹ",
    "Phú Lợi",
    "Sóc Trăng",
    "Mỹ Xuyên",
    "Ngã Năm",
]
WARD_WEIGHT = 1.5  # each ward, in the same unit as DEPARTMENTS' weights

DEPARTMENT_STEPS = [
    ("Tiếp nhận hồ sơ", roles.ONE_STOP_CLERK, True, "0.5"),
    ("Thẩm định hồ sơ", roles.SPECIALIST, False, "2"),
    ("Xem xét, trình ký", roles.DEPARTMENT_HEAD, False, "1"),
    ("Phê duyệt", roles.AGENCY_LEADER, False, "0.5"),
    ("Vào sổ, đóng dấu", roles.DOCUMENT_CLERK, False, "0.5"),
    ("Trả kết quả", roles.ONE_STOP_CLERK, True, "0.5"),
]
WARD_STEPS = [
    ("Tiếp nhận hồ sơ", roles.ONE_STOP_CLERK, True, "0.5"),
    ("Thẩm định hồ sơ", roles.SPECIALIST, False, "1"),
    ("Phê duyệt", roles.AGENCY_LEADER, False, "0.5"),
    ("Trả kết quả", roles.ONE_STOP_CLERK, True, "0.5"),
]
# (name, processing days, online level, documents)
PROCEDURE_TEMPLATES = [
    ("Cấp bản sao trích lục", "1", "full", ["Tờ khai", "Giấy tờ tùy thân"]),
    ("Cấp giấy phép", "15", "partial", ["Đơn đề nghị", "Bản vẽ", "Giấy tờ chứng minh"]),
    ("Đăng ký", "5", "full", ["Tờ khai", "Giấy tờ chứng minh"]),
    ("Điều chỉnh thông tin", "3", "full", ["Đơn đề nghị"]),
    ("Cấp lại", "7", "partial", ["Đơn đề nghị", "Bản chính đã cấp"]),
    ("Thẩm định hồ sơ", "20", "none", ["Tờ trình", "Hồ sơ kỹ thuật", "Báo cáo"]),
]
FIELDS = [
    ("BN-HT", "Hộ tịch"),
    ("BN-DD", "Đất đai"),
    ("BN-XD", "Xây dựng"),
    ("BN-KD", "Kinh doanh"),
]


def _procedure(agency, field, number, template, steps, groups) -> Procedure:
    name, days, online, documents = template
    code = f"2.9{number:05d}.000.00.00.H92"
    procedure = Procedure.objects.filter(code=code).first()
    if procedure is None:
        procedure = Procedure.objects.create(
            code=code,
            name=f"{name} ({agency.short_name or agency.name})",
            field=field,
            agency=agency,
            processing_days=Decimal(days),
            online_level=online,
            result_description="Kết quả giải quyết",
            legal_basis="Văn bản pháp luật chuyên ngành",
        )
        for order, doc in enumerate(documents, start=1):
            RequiredDocument.objects.create(procedure=procedure, order=order, name=doc)
        for order, (step, role, at_desk, budget) in enumerate(steps, start=1):
            ProcessStep.objects.create(
                procedure=procedure,
                order=order,
                name=step,
                role=groups[role],
                at_desk=at_desk,
                budget_days=Decimal(budget),
            )
        if number % 3 == 0:
            procedure.fees.create(name="Lệ phí", amount=50_000)
    if procedure.current_version_id is None:
        procedure_version_publish(procedure=procedure)
        procedure.refresh_from_db()
    return procedure


def _officer(username, agency, role, groups, password_hash) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User.objects.create(
            username=username,
            full_name=f"Cán bộ {username}",
            email=f"{username}@bench.tinhso.invalid",
            password=password_hash,
        )
        Officer.objects.create(user=user, agency=agency, title=str(roles.ROLE_LABELS[role]))
        user.groups.add(groups[role])
    return user


@transaction.atomic
def base_ensure(*, citizens: int = 2000) -> dict:
    """Create (once) the bench agencies, procedures, officers and citizens; return a summary.

    API tokens are issued by each load run (``bench/load.py``): their keys are stored hashed."""
    groups = {name: Group.objects.get(name=name) for name in roles.ROLE_LABELS}
    password_hash = make_password(BENCH_PASSWORD)
    fields = [Field.objects.get_or_create(code=c, defaults={"name": n})[0] for c, n in FIELDS]
    center, _ = Agency.objects.get_or_create(
        code=CENTER_CODE,
        defaults={
            "name": "Trung tâm Phục vụ hành chính công (bench)",
            "short_name": "TTPVHCC",
            "kind": Agency.Kind.SERVICE_CENTER,
        },
    )
    _officer("bench_center_clerk", center, roles.ONE_STOP_CLERK, groups, password_hash)
    _officer("bench_center_clerk2", center, roles.ONE_STOP_CLERK, groups, password_hash)
    number = 0
    for suffix, name, _weight in DEPARTMENTS:
        agency, _ = Agency.objects.get_or_create(
            code=f"000.90.{suffix}.H92",
            defaults={"name": name, "kind": Agency.Kind.DEPARTMENT, "served_by": center},
        )
        for role in (
            roles.SPECIALIST,
            roles.DEPARTMENT_HEAD,
            roles.AGENCY_LEADER,
            roles.DOCUMENT_CLERK,
        ):
            _officer(f"bench_d{suffix}_{role}", agency, role, groups, password_hash)
        _officer(f"bench_d{suffix}_specialist2", agency, roles.SPECIALIST, groups, password_hash)
        for template in PROCEDURE_TEMPLATES:
            number += 1
            _procedure(agency, fields[number % 4], number, template, DEPARTMENT_STEPS, groups)
    for index, ward_name in enumerate(WARDS, start=1):
        agency, _ = Agency.objects.get_or_create(
            code=f"000.91.{index:02d}.H92",
            defaults={"name": f"UBND phường {ward_name}", "kind": Agency.Kind.WARD_COMMITTEE},
        )
        for role in (roles.ONE_STOP_CLERK, roles.SPECIALIST, roles.AGENCY_LEADER):
            _officer(f"bench_w{index:02d}_{role}", agency, role, groups, password_hash)
        for template in PROCEDURE_TEMPLATES[:4]:
            number += 1
            _procedure(agency, fields[number % 4], number, template, WARD_STEPS, groups)
    existing = set(
        User.objects.filter(username__startswith="bench_citizen_").values_list(
            "username", flat=True
        )
    )
    User.objects.bulk_create(
        [
            User(
                username=f"bench_citizen_{i:05d}",
                full_name=f"Công dân {i}",
                email=f"citizen{i:05d}@bench.tinhso.invalid",
                password=password_hash,
            )
            for i in range(citizens)
            if f"bench_citizen_{i:05d}" not in existing
        ],
        batch_size=1000,
    )
    return {
        "agencies": Agency.objects.count(),
        "procedures": Procedure.objects.filter(current_version__isnull=False).count(),
        "officers": Officer.objects.count(),
        "citizens": User.objects.filter(username__startswith="bench_citizen_").count(),
    }


def agency_weights() -> dict[str, float]:
    """Relative dossier volume by agency code (agencies not listed get weight 1)."""
    weights = {f"000.90.{suffix}.H92": float(w) for suffix, _n, w in DEPARTMENTS}
    weights.update({f"000.91.{i:02d}.H92": WARD_WEIGHT for i in range(1, len(WARDS) + 1)})
    return weights
