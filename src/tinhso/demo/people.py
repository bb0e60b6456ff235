"""Demo officers (every role at the center, every department and every ward), a province
administrator and citizens. Every demo user's password is ``demo12345``; every officer's
authenticator (the second sign-in step) holds the published ``DEMO_TOTP_SECRET``, so one entry
in an authenticator app, or ``manage.py otp_code USERNAME``, gives the code for any of them.
"""

from __future__ import annotations

import random
from base64 import b32decode

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db.models import Q
from django_otp.plugins.otp_totp.models import TOTPDevice

from tinhso.accounts.models import User
from tinhso.demo.agencies import PREFERRED_WARDS
from tinhso.org import roles
from tinhso.org.models import Agency, Officer

PASSWORD = "demo12345"  # noqa: S105 - published demo password
# The published key of every demo officer's authenticator (base32, as authenticator apps take it).
DEMO_TOTP_SECRET = "TINHSODEMOCANTHOTINHSODEMOCANTHO"  # noqa: S105 - published demo key
DEMO_TOTP_KEY = b32decode(DEMO_TOTP_SECRET).hex()
DEMO_DEVICE_NAME = "demo"

# The personas people sign in with: username, role, agency key, full name, title.
PERSONAS = [
    ("motcua", roles.ONE_STOP_CLERK, "center", "Trần Thị Thu Hà", "Công chức một cửa"),
    ("chuyenvien", roles.SPECIALIST, "stp", "Lê Minh Tuấn", "Chuyên viên"),
    ("truongphong", roles.DEPARTMENT_HEAD, "stp", "Phạm Thị Lan", "Trưởng phòng"),
    ("lanhdao", roles.AGENCY_LEADER, "stp", "Nguyễn Hoàng Nam", "Giám đốc Sở"),
    ("vanthu", roles.DOCUMENT_CLERK, "stp", "Võ Thị Ngọc Trâm", "Văn thư"),
    ("quantri", roles.PROVINCE_ADMIN, "ubnd", "Đặng Quốc Bảo", "Quản trị hệ thống"),
]
CITIZEN = ("congdan", "Nguyễn Văn Dân", "0900000001", "congdan@example.vn", "092090000001")
CITIZEN_COUNT = 30

OFFICE_ROLES = [
    roles.ONE_STOP_CLERK,
    roles.SPECIALIST,
    roles.DEPARTMENT_HEAD,
    roles.AGENCY_LEADER,
    roles.DOCUMENT_CLERK,
]
ROLE_SLUGS = {
    roles.ONE_STOP_CLERK: "motcua",
    roles.SPECIALIST: "chuyenvien",
    roles.DEPARTMENT_HEAD: "truongphong",
    roles.AGENCY_LEADER: "lanhdao",
    roles.DOCUMENT_CLERK: "vanthu",
}
TITLES = {
    roles.ONE_STOP_CLERK: "Công chức tiếp nhận và trả kết quả",
    roles.SPECIALIST: "Chuyên viên",
    roles.DEPARTMENT_HEAD: "Trưởng phòng",
    roles.AGENCY_LEADER: "Phó Giám đốc",
    roles.DOCUMENT_CLERK: "Văn thư",
}
WARD_TITLES = {
    roles.SPECIALIST: "Công chức Tư pháp - Hộ tịch",
    roles.DEPARTMENT_HEAD: "Trưởng phòng Văn hóa - Xã hội",
    roles.AGENCY_LEADER: "Phó Chủ tịch UBND",
}

SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Hoàng", "Võ", "Phan", "Trương", "Bùi"]
SURNAMES += ["Đặng", "Đỗ", "Ngô", "Hồ", "Dương", "Lâm", "Thạch", "Lý", "Châu", "Tô"]
MIDDLE_MALE = ["Văn", "Minh", "Quốc", "Hoàng", "Thanh", "Đức", "Hữu", "Công", "Tấn", "Gia"]
MIDDLE_FEMALE = ["Thị", "Ngọc", "Thu", "Kim", "Bích", "Thanh", "Mỹ", "Diễm", "Hồng", "Thùy"]
GIVEN_MALE = ["An", "Bình", "Cường", "Dũng", "Hải", "Hùng", "Khang", "Long", "Phúc", "Quân"]
GIVEN_MALE += ["Sơn", "Tài", "Thắng", "Trí", "Vinh", "Tâm", "Khoa", "Nhân", "Phát", "Lộc"]
GIVEN_FEMALE = ["Anh", "Châu", "Dung", "Giang", "Hạnh", "Hương", "Linh", "Mai", "Ngân", "Nhung"]
GIVEN_FEMALE += ["Oanh", "Phương", "Quyên", "Thảo", "Trang", "Uyên", "Vy", "Yến", "Xuân", "Loan"]


def person_name(rng: random.Random) -> str:
    if rng.random() < 0.5:
        parts = [rng.choice(SURNAMES), rng.choice(MIDDLE_MALE), rng.choice(GIVEN_MALE)]
    else:
        parts = [rng.choice(SURNAMES), rng.choice(MIDDLE_FEMALE), rng.choice(GIVEN_FEMALE)]
    return " ".join(parts)


def _user(username: str, password_hash: str, **fields) -> User:
    user, created = User.objects.get_or_create(
        username=username, defaults={"password": password_hash, **fields}
    )
    return user


def _officer(user: User, agency: Agency, role: str, title: str, groups: dict[str, Group]) -> None:
    Officer.objects.get_or_create(user=user, defaults={"agency": agency, "title": title})
    user.groups.add(groups[role])


def people_seed(agencies: dict[str, Agency]) -> dict[str, list[User]]:
    """Create the officers and citizens (idempotent by username).

    Returns ``{"<agency id>:<role>": [users…], "citizens": [users…]}``, personas first.
    """
    # One hash for every demo account: hashing ~100 passwords would take most of a minute.
    password_hash = make_password(PASSWORD)
    groups = {group.name: group for group in Group.objects.filter(name__in=roles.ROLE_LABELS)}
    rng = random.Random("tinhso-demo-people")
    for username, role, key, full_name, title in PERSONAS:
        extra = {"is_staff": True, "is_superuser": True} if role == roles.PROVINCE_ADMIN else {}
        user = _user(
            username,
            password_hash,
            full_name=full_name,
            email=f"{username}@demo.tinhso.vn",
            **extra,
        )
        _officer(user, agencies[key], role, title, groups)
    for key, agency in agencies.items():
        if key == "ubnd":
            continue
        is_ward = agency.kind == Agency.Kind.WARD_COMMITTEE
        for role in OFFICE_ROLES:
            count = 2 if role == roles.SPECIALIST and not is_ward else 1
            for number in range(1, count + 1):
                username = f"{key}.{ROLE_SLUGS[role]}{number if number > 1 else ''}"
                title = (WARD_TITLES if is_ward else TITLES).get(role, TITLES[role])
                user = _user(
                    username,
                    password_hash,
                    full_name=person_name(rng),
                    email=f"{username}@demo.tinhso.vn",
                )
                _officer(user, agency, role, title, groups)
    # Citizens.
    username, full_name, phone, email, national_id = CITIZEN
    _user(
        username,
        password_hash,
        full_name=full_name,
        phone=phone,
        email=email,
        national_id=national_id,
    )
    for number in range(2, CITIZEN_COUNT + 1):
        _user(
            f"congdan{number:02d}",
            password_hash,
            full_name=person_name(rng),
            phone=f"09000000{number:02d}",
            email=f"congdan{number:02d}@example.vn",
            national_id=f"0920900000{number:02d}",
        )
    demo_authenticators_seed()
    return people_index(agencies)


def demo_authenticators_seed() -> int:
    """Give every officer and administrator without an authenticator the demo one (the key
    ``DEMO_TOTP_SECRET``); returns how many were added."""
    users = User.objects.filter(
        Q(officer__isnull=False) | Q(is_staff=True) | Q(is_superuser=True)
    ).exclude(totpdevice__confirmed=True)
    devices = [
        TOTPDevice(user=user, name=DEMO_DEVICE_NAME, key=DEMO_TOTP_KEY, confirmed=True)
        for user in users.distinct()
    ]
    TOTPDevice.objects.bulk_create(devices)
    return len(devices)


def people_index(agencies: dict[str, Agency]) -> dict[str, list[User]]:
    index: dict[str, list[User]] = {}
    officers = (
        Officer.objects.select_related("user")
        .prefetch_related("user__groups")
        .filter(agency__in=agencies.values(), user__is_active=True)
        .order_by("pk")
    )
    for officer in officers:
        for group in officer.user.groups.all():
            index.setdefault(f"{officer.agency_id}:{group.name}", []).append(officer.user)
    index["citizens"] = list(
        User.objects.filter(username__startswith="congdan", officer__isnull=True).order_by(
            "username"
        )
    )
    return index


# The agencies whose officers carry out the demo catalogue's processes (demo.procedures), as
# listed by logins_table: no database read, so `seed_demo --print-logins` stays instant.
SIGN_IN_AGENCIES = [
    ("stp", "Sở Tư pháp"),
    ("sxd", "Sở Xây dựng"),
    ("snnmt", "Sở Nông nghiệp và Môi trường"),
    ("stc", "Sở Tài chính"),
    ("ca", "Công an thành phố"),
    ("ward", "UBND phường, xã"),
]
WARD_SIGN_INS = 5  # demo.agencies.WARD_COUNT


def demo_username(key: str, role: str) -> str:
    """The first demo officer's username with ``role`` at the agency ``key`` (``ward1``…)."""
    return f"{key}.{ROLE_SLUGS[role]}"


def logins_table() -> str:
    """The table of demo sign-ins that scripts/serve.sh prints."""
    places = {
        "center": "Trung tâm Phục vụ hành chính công",
        "stp": "Sở Tư pháp",
        "ubnd": "UBND thành phố (quản trị, Django admin)",
    }
    rows = [
        (username, str(roles.ROLE_LABELS[role]), places[key])
        for username, role, key, *_ in PERSONAS
    ]
    rows.append((CITIZEN[0], "Công dân", f"{CITIZEN[2]} / {CITIZEN[3]}"))
    width = max(len(row[0]) for row in rows) + 2
    role_width = max(len(row[1]) for row in rows) + 2
    lines = [
        f"    {username:<{width}}{role:<{role_width}}{where}" for username, role, where in rows
    ]
    lines.append(
        "    Mỗi cơ quan có thủ tục trong danh mục mẫu có đủ cán bộ cho mọi bước của quy trình "
        "(<mã cơ quan>.<vai trò>, vai trò: "
        + ", ".join(ROLE_SLUGS[role] for role in OFFICE_ROLES)
        + "; các Sở nhận hồ sơ tại một cửa của Trung tâm: center.motcua hoặc motcua):"
    )
    for key, name in SIGN_IN_AGENCIES:
        slugs = [
            ROLE_SLUGS[role]
            for role in OFFICE_ROLES
            if not (key != "ward" and role == roles.ONE_STOP_CLERK)
        ]
        if key == "ward":
            for number, ward_name in enumerate(PREFERRED_WARDS[:WARD_SIGN_INS], start=1):
                users = ", ".join(f"ward{number}.{slug}" for slug in slugs)
                kind, _, rest = ward_name.partition(" ")
                lines.append(f"      UBND {kind.lower()} {rest}: {users}")
        else:
            lines.append(f"      {name}: " + ", ".join(f"{key}.{slug}" for slug in slugs))
    secret = " ".join(DEMO_TOTP_SECRET[i : i + 4] for i in range(0, len(DEMO_TOTP_SECRET), 4))
    lines.append(
        "    Cán bộ và quản trị nhập thêm mã xác thực 6 số sau mật khẩu: thêm khóa "
        f"{secret} (theo thời gian) vào ứng dụng xác thực (Google Authenticator, FreeOTP…), "
        "hoặc chạy: .venv/bin/python manage.py otp_code motcua"
    )
    return "\n".join(lines)
