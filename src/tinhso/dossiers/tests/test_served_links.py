"""Every link the site writes points to the running site (issue 7): served by scripts/serve.sh
on a port that is not 8000, the API's ``tracking_url`` and the receipt slip's tracking link
(the URL its QR code encodes) name that port, with no SITE_URL given."""

import http.cookiejar
import io
import json
import re
import subprocess
import urllib.parse
import urllib.request
import uuid

import pytest
from pypdf import PdfReader

from tinhso.testing.factories import PASSWORD
from tinhso.testing.files import MINIMAL_PDF
from tinhso.testing.served import ROOT, served_site

SETUP = """
import django, sys
django.setup()
from tinhso.accounts.tokens import token_issue
from tinhso.org import roles
from tinhso.org.models import Agency
from tinhso.testing.factories import UserFactory, officer_create, procedure_create
center = Agency.objects.create(code="000.00.01.H13", name="Trung tâm", kind="center")
justice = Agency.objects.create(
    code="000.00.02.H13", name="Sở Tư pháp", kind="department", served_by=center
)
officer_create(username="clerk", full_name="Lê Thị Thu", agency=center, role=roles.ONE_STOP_CLERK)
citizen = UserFactory(username="citizen", full_name="Nguyễn Văn An", phone="0912345678")
procedure = procedure_create(agency=justice)
_, key = token_issue(user=citizen, actor=citizen, name="served")
print(key, procedure.code, " ".join(str(d["id"]) for d in procedure.current_version.documents))
"""

RECEIVE = """
import django, sys
django.setup()
from tinhso.accounts.models import User
from tinhso.dossiers import services
from tinhso.dossiers.models import Dossier
from tinhso.dossiers.tests.helpers import checklist
dossier = Dossier.objects.get(code=sys.argv[1])
dossier = services.dossier_receive(
    dossier=dossier, actor=User.objects.get(username="clerk"), checklist=checklist(dossier)
)
print(dossier.pk)
"""


def _manage_python(var, script: str, *args: str) -> str:
    env = {
        "DATABASE_URL": f"sqlite:///{var / 'site.sqlite3'}",
        "TINHSO_VAR_DIR": str(var),
        "DJANGO_SETTINGS_MODULE": "tinhso.settings",
        "PATH": "/usr/bin:/bin",
    }
    out = subprocess.run(  # noqa: S603
        [str(ROOT / ".venv/bin/python"), "-c", script, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    return out.stdout.strip().splitlines()[-1]


def _multipart(fields: list[tuple[str, str]], files: list[tuple[str, str, bytes]]):
    boundary = uuid.uuid4().hex
    body = io.BytesIO()
    for name, value in fields:
        body.write(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
            f"{value}\r\n".encode()
        )
    for name, filename, data in files:
        body.write(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: application/pdf\r\n\r\n'.encode()
        )
        body.write(data + b"\r\n")
    body.write(f"--{boundary}--\r\n".encode())
    return body.getvalue(), f"multipart/form-data; boundary={boundary}"


def test_links_on_a_site_served_on_another_port_point_to_that_port(tmp_path, monkeypatch):
    monkeypatch.delenv("SITE_URL", raising=False)
    with served_site(tmp_path) as port:
        site = f"http://127.0.0.1:{port}"
        key, procedure, documents = _manage_python(tmp_path, SETUP).split(" ", 2)
        data, content_type = _multipart(
            [
                ("procedure", procedure),
                ("applicant_name", "Nguyễn Văn An"),
                ("applicant_id_number", "092090001234"),
                ("applicant_phone", "0912345678"),
                ("summary", "Đăng ký khai sinh cho con"),
                *[("document_ids", d) for d in documents.split()],
            ],
            [("documents", f"giay-{d}.pdf", MINIMAL_PDF) for d in documents.split()],
        )
        request = urllib.request.Request(  # noqa: S310 - the test's own server
            f"{site}/api/v1/dossiers/",
            data=data,
            headers={"Authorization": f"Token {key}", "Content-Type": content_type},
        )
        with urllib.request.urlopen(request, timeout=60) as answer:  # noqa: S310
            receipt = json.loads(answer.read())
        code = receipt["code"]
        assert receipt["tracking_url"] == f"{site}/tra-cuu/?code={code}"

        pk = _manage_python(tmp_path, RECEIVE, code)
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        login = f"{site}/accounts/dang-nhap/"
        page = opener.open(login, timeout=30).read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        form = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": token, "login": "0912345678", "password": PASSWORD}
        ).encode()
        opener.open(urllib.request.Request(login, data=form, headers={"Referer": login}))  # noqa: S310
        with opener.open(f"{site}/ho-so/{pk}/phieu/01/", timeout=60) as answer:
            assert answer.headers["Content-Type"] == "application/pdf"
            text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(answer.read())).pages)
        assert f"127.0.0.1:{port}/tra-cuu/?code={code}" in text.replace("\n", "")
        assert ":8000" not in text


@pytest.mark.django_db
def test_the_slips_qr_code_encodes_the_tracking_link(world, monkeypatch, settings):
    """The PDF's QR code cannot be decoded here (segno only encodes): the payload handed to it is
    the tracking link on SITE_URL, the same one printed beside it."""
    from tinhso.dossiers import services, slips
    from tinhso.dossiers.tests.helpers import checklist, submit_online

    settings.SITE_URL = "http://127.0.0.1:18701"
    encoded = []
    monkeypatch.setattr(slips, "_qr_data_uri", lambda url: encoded.append(url) or "data:,")

    dossier = submit_online(world)
    dossier = services.dossier_receive(
        dossier=dossier, actor=world.clerk, checklist=checklist(dossier)
    )
    html = slips.slip_html(dossier, "01")
    assert encoded == [f"http://127.0.0.1:18701/tra-cuu/?code={dossier.code}"]
    assert encoded[0] in html
