"""The demo catalogue: the real procedures of the national procedure database (the data pack's
``national-procedures.json.gz``, ``settings.NATIONAL_CATALOGUE_FILE``), imported with
``catalog.national`` for the demo province.

- The national agency names the demo province carries out are mapped to the demo departments
  (``NATIONAL_AGENCIES``); customs, tax, the State Bank, social insurance and the ministries are
  not the province's, so their procedures are skipped. Procedures of the provincial People's
  Committee itself are skipped too: the demo gives it no officers.
- Every commune procedure is imported once and carried out by each demo ward's committee.
- The internal processes (quy trình nội bộ) are generated, not real: a standard sequence of roles
  within the implementing agency (its one-stop desk, specialist, head, leader, document clerk),
  whose budgets sum to the processing time. Every role of every step has a demo sign-in listed by
  ``seed_demo`` (``demo.people.logins_table``).
- A procedure whose record publishes no processing time gets the import's default of one working
  day and is published anyway in the demo (a province would complete it first).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction

from tinhso.catalog.models import NationalAgency, Procedure
from tinhso.catalog.national import (
    ImportReport,
    agency_key,
    national_catalog_import,
    national_records_read,
)
from tinhso.catalog.selectors import implementing_agencies
from tinhso.core.text import fold
from tinhso.org import roles
from tinhso.org.models import Agency

# Demo agency key -> the national agency names (COQUANTHUCHIEN) it stands for.
NATIONAL_AGENCIES: dict[str, list[str]] = {
    "stp": [
        "Sở Tư pháp",
        "Sở Tư pháp Thành phố Hà Nội",
        "Giám đốc Sở Tư pháp",
        "Trung tâm trợ giúp pháp lý nhà nước",
    ],
    "sxd": [
        "Sở Xây dựng",
        "Văn phòng Sở Xây dựng",
        "Bộ phận Một cửa Sở Xây dựng",
        "Sở Giao thông công chánh - TP.HCM",
    ],
    "snnmt": [
        "Sở Nông nghiệp và Môi trường",
        "Sở Nông nghiệp và Môi trường Thành phố Hà Nội",
        "Sở Nông nghiệp và Môi trường Thành phố Hải Phòng",
        "Sở Nông nghiệp và Môi trường - tỉnh An Giang",
        "Văn phòng đăng ký đất đai",
        "Chi nhánh Văn phòng đăng ký đất đai",
        "Cơ quan có chức năng quản lý đất đai cấp tỉnh",
        "Cơ quan quản lý nhà nước về thủy sản cấp tỉnh",
        "Cơ quan chuyên môn về nông nghiệp và môi trường thuộc Ủy ban nhân dân cấp tỉnh",
        "Cơ quan quản lý chuyên ngành thú y cấp tỉnh",
        "Chi cục Kiểm lâm",
        "Chi cục Thủy sản",
    ],
    "stc": ["Sở Tài chính các tỉnh, thành phố", "Sở Tài chính", "Sở Tài chính Thành phố Hà Nội"],
    "ca": [
        "Công an tỉnh",
        "Công an cấp Tỉnh",
        "Phòng cảnh sát quản lý hành chính về trật tự xã hội",
        "Phòng quản lý xuất nhập cảnh",
    ],
}
# How common a procedure's dossiers are in the demo, by words of its folded name (default 1).
WEIGHTS = [
    ("ly lich tu phap", 12),
    ("chung thuc", 8),
    ("ho kinh doanh", 6),
    ("dang ky bien dong", 6),
    ("giay phep xay dung", 5),
    ("thanh lap doanh nghiep", 4),
    ("ho tich", 4),
    ("cap doi", 3),
]
LAND = "dat dai"

# Internal processes: (name, role, at desk, share of the processing time; None: the rest).
DEPARTMENT_STEPS = [
    ("Tiếp nhận hồ sơ, chuyển xử lý", roles.ONE_STOP_CLERK, True, 0.05),
    ("Thẩm định hồ sơ, đề xuất", roles.SPECIALIST, False, None),
    ("Xem xét, trình lãnh đạo", roles.DEPARTMENT_HEAD, False, 0.15),
    ("Phê duyệt, ký kết quả", roles.AGENCY_LEADER, False, 0.15),
    ("Vào sổ, đóng dấu, phát hành", roles.DOCUMENT_CLERK, False, 0.1),
    ("Trả kết quả", roles.ONE_STOP_CLERK, True, 0.05),
]
WARD_STEPS = [
    ("Tiếp nhận hồ sơ, chuyển xử lý", roles.ONE_STOP_CLERK, True, 0.1),
    ("Thẩm định, giải quyết hồ sơ", roles.SPECIALIST, False, None),
    ("Ký duyệt kết quả", roles.AGENCY_LEADER, False, 0.2),
    ("Vào sổ, đóng dấu", roles.DOCUMENT_CLERK, False, 0.1),
    ("Trả kết quả", roles.ONE_STOP_CLERK, True, 0.1),
]
MIN_BUDGET = Decimal("0.05")


class CatalogueFileMissing(FileNotFoundError):
    """The national catalogue file is not where ``NATIONAL_CATALOGUE_FILE`` says."""


@dataclass
class DemoSpec:
    """What the dossier simulator needs to know of a procedure."""

    nid: str
    applicants: str
    weight: int = 1
    obligation: bool = False  # may carry a financial obligation (land levy, registration fee)


@dataclass
class SeededProcedure:
    procedure: Procedure
    spec: DemoSpec
    agencies: list[Agency] = field(default_factory=list)  # where a dossier may be carried out


def _quantise(value: Decimal) -> Decimal:
    return max(MIN_BUDGET, Decimal(round(value * 20)) / 20)


def process_steps(procedure: Procedure, groups: dict[str, Group]) -> list[dict[str, Any]]:
    """The generated internal process of ``procedure``: ``ProcessStep`` field dicts, all within
    the implementing agency (``agency`` None), budgets summing to the processing time."""
    template = DEPARTMENT_STEPS if procedure.agency_id else WARD_STEPS
    days = Decimal(procedure.processing_days)
    budgets = [
        None if share is None else _quantise(days * Decimal(str(share))) for *_, share in template
    ]
    fixed = sum(b for b in budgets if b is not None)
    rest = days - fixed
    if rest < MIN_BUDGET:  # a very short procedure: equal shares
        share = _quantise(days / len(template))
        budgets = [share] * len(template)
        rest = days - share * (len(template) - 1)
        budgets[1] = max(MIN_BUDGET, rest)
    budgets = [rest if b is None else b for b in budgets]
    return [
        {
            "name": name,
            "role": groups[role],
            "at_desk": at_desk,
            "agency": None,
            "budget_days": budget,
        }
        for (name, role, at_desk, _share), budget in zip(template, budgets, strict=True)
    ]


def national_agencies_seed(agencies: dict[str, Agency]) -> None:
    """Map the national agency names to the demo agencies (leaving other mappings alone)."""
    existing = {agency_key(row.name): row for row in NationalAgency.objects.all()}
    for key, names in NATIONAL_AGENCIES.items():
        for name in names:
            row = existing.get(agency_key(name))
            if row is None:
                NationalAgency.objects.create(name=name, agency=agencies[key])
            elif row.agency_id is None:
                NationalAgency.objects.filter(pk=row.pk).update(agency=agencies[key])


def _spec(procedure: Procedure) -> DemoSpec:
    name = fold(procedure.name)
    weight = next((w for words, w in WEIGHTS if words in name), 1)
    return DemoSpec(
        nid=procedure.code,
        applicants=procedure.applicants,
        weight=weight,
        # Land procedures may end with the land levy and registration fee to pay.
        obligation=fold(procedure.field.name) == LAND,
    )


def catalogue_path() -> Path:
    path = Path(settings.NATIONAL_CATALOGUE_FILE)
    if not path.is_file():
        raise CatalogueFileMissing(
            f"The national catalogue file {path} is missing: set NATIONAL_CATALOGUE_FILE to the "
            "data pack's procedures/national-procedures.json.gz."
        )
    return path


@transaction.atomic
def procedures_seed(
    agencies: dict[str, Agency], *, progress=None
) -> tuple[list[SeededProcedure], ImportReport]:
    """Import the real catalogue for the demo province (a second run changes nothing) and
    return its published procedures with where each may be carried out."""
    records = national_records_read(catalogue_path().read_bytes())
    national_agencies_seed(agencies)
    groups = {group.name: group for group in Group.objects.filter(name__in=roles.ROLE_LABELS)}
    report = national_catalog_import(
        records, process_for=lambda p: process_steps(p, groups), progress=progress
    )
    no_time = [code for code, reason in report.unpublished if reason == "no processing time"]
    Procedure.objects.filter(national_record__code__in=no_time).update(is_active=True)
    # The invented catalogue of earlier demos: withdrawn, kept for the dossiers that name it.
    Procedure.objects.filter(national_record__isnull=True, is_active=True).update(is_active=False)
    published = (
        Procedure.objects.filter(is_active=True, current_version__isnull=False)
        .select_related("agency__served_by", "agency__ward", "field", "current_version")
        .order_by("code")
    )
    wards = [a for key, a in agencies.items() if key.startswith("ward")]
    seeded = []
    for procedure in published:
        choices = [procedure.agency] if procedure.agency else []
        if procedure.at_communes:
            choices += wards
        seeded.append(SeededProcedure(procedure, _spec(procedure), choices))
    return seeded, report


def demo_implementers(procedure: Procedure) -> list[Agency]:
    """Where a dossier of ``procedure`` may be carried out (for the checks of the demo)."""
    return list(implementing_agencies(procedure))
