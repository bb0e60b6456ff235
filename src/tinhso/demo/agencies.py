"""The demo province's agencies: the city People's Committee, its departments, the public
administration service center whose one-stop desk serves the departments, and a few ward
People's Committees (each its own desk).

Agency codes follow the shape of QCVN 102:2016 (``<level 4>.<level 3>.<level 2>.<province>``):
``000.00.00.H13`` is the city People's Committee, ``000.00.NN.H13`` the units directly under it
(the service center is 01, departments 02–12) and ``000.NN.30.H13`` the ward People's Committees.
The province letter code (H13) and every unit number here are illustrative: the real codes must
be checked against the province's published QCVN 102 code table before production use.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings

from tinhso.org.models import Agency, Ward

PROVINCE_SUFFIX = "H13"
# Since 1 July 2025 the merged city (two-level local government) is in force.
REFORM_DATE = dt.date(2025, 7, 1)

# key, code, name, short name, kind
CITY = ("ubnd", "000.00.00", "Ủy ban nhân dân {province}", "UBND thành phố", "ubnd")
CENTER = (
    "center",
    "000.00.01",
    "Trung tâm Phục vụ hành chính công {province}",
    "TTPVHCC",
    "center",
)
DEPARTMENTS = [
    ("stp", "000.00.02", "Sở Tư pháp", "STP"),
    ("sxd", "000.00.03", "Sở Xây dựng", "SXD"),
    ("snnmt", "000.00.04", "Sở Nông nghiệp và Môi trường", "SNNMT"),
    ("stc", "000.00.05", "Sở Tài chính", "STC"),
    ("sct", "000.00.06", "Sở Công Thương", "SCT"),
    ("sgd", "000.00.07", "Sở Giáo dục và Đào tạo", "SGDĐT"),
    ("syt", "000.00.08", "Sở Y tế", "SYT"),
    ("snv", "000.00.09", "Sở Nội vụ", "SNV"),
    ("svh", "000.00.10", "Sở Văn hóa, Thể thao và Du lịch", "SVHTTDL"),
    ("skhcn", "000.00.11", "Sở Khoa học và Công nghệ", "SKHCN"),
    ("ca", "000.00.12", "Công an {province}", "Công an thành phố"),
]
# Wards given their own People's Committee in the demo (taken in this order when present in
# the configured province, otherwise the first wards by code).
PREFERRED_WARDS = [
    "Phường Ninh Kiều",
    "Phường Cái Khế",
    "Phường Vị Thanh",
    "Phường Sóc Trăng",
    "Xã Phong Điền",
]
WARD_COUNT = len(PREFERRED_WARDS)


def _code(prefix: str) -> str:
    return f"{prefix}.{PROVINCE_SUFFIX}"


def _upsert(code: str, **fields) -> Agency:
    agency, created = Agency.objects.get_or_create(code=code, defaults=fields)
    if not created:
        changed = [name for name, value in fields.items() if getattr(agency, name) != value]
        if changed:
            for name in changed:
                setattr(agency, name, fields[name])
            agency.save(update_fields=[*changed, "updated_at"])
    return agency


def demo_wards() -> list[Ward]:
    wards = Ward.objects.filter(province_code=settings.PROVINCE_CODE)
    by_name = {ward.name: ward for ward in wards}
    chosen = [by_name[name] for name in PREFERRED_WARDS if name in by_name]
    for ward in wards.order_by("code"):
        if len(chosen) >= WARD_COUNT:
            break
        if ward not in chosen:
            chosen.append(ward)
    return chosen


def ward_agency_name(ward: Ward) -> tuple[str, str]:
    kind, _, rest = ward.name.partition(" ")
    lowered = f"{kind.lower()} {rest}" if rest else ward.name
    return f"Ủy ban nhân dân {lowered}", f"UBND {lowered}"


def agencies_seed() -> dict[str, Agency]:
    """Create or update the demo agencies; return them by key (wards as ``ward1``…)."""
    province = settings.PROVINCE_NAME
    key, code, name, short, kind = CITY
    city = _upsert(
        _code(code),
        name=name.format(province=province),
        short_name=short,
        kind=kind,
        parent=None,
        valid_from=REFORM_DATE,
    )
    agencies = {key: city}
    key, code, name, short, kind = CENTER
    center = _upsert(
        _code(code),
        name=name.format(province=province),
        short_name=short,
        kind=kind,
        parent=city,
        valid_from=REFORM_DATE,
    )
    agencies[key] = center
    for key, code, name, short in DEPARTMENTS:
        agencies[key] = _upsert(
            _code(code),
            name=name.format(province=province),
            short_name=short,
            kind=Agency.Kind.DEPARTMENT,
            parent=city,
            served_by=center,
            valid_from=REFORM_DATE,
        )
    for number, ward in enumerate(demo_wards(), start=1):
        name, short = ward_agency_name(ward)
        agencies[f"ward{number}"] = _upsert(
            _code(f"000.{number:02d}.30"),
            name=name,
            short_name=short,
            kind=Agency.Kind.WARD_COMMITTEE,
            parent=city,
            ward=ward,
            valid_from=REFORM_DATE,
        )
    return agencies


def ward_keys(agencies: dict[str, Agency]) -> list[str]:
    return sorted((key for key in agencies if key.startswith("ward")), key=lambda k: int(k[4:]))
