"""Who sees what through the API: the permission matrix, public tracking, throttling, tokens."""

import datetime as dt
import json

import pytest
import time_machine
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse

from tinhso.accounts.models import ApiToken
from tinhso.accounts.tokens import token_for_key
from tinhso.dossiers import services
from tinhso.dossiers.constants import Status
from tinhso.dossiers.tests.api_helpers import api_client
from tinhso.dossiers.tests.helpers import checklist, submit_online
from tinhso.testing.factories import PASSWORD

pytestmark = pytest.mark.django_db

PERSONAL = ["Nguyễn Văn An", "092090001234", "0912345678", "an@example.vn"]


@pytest.fixture(autouse=True)
def _fresh_throttles():
    cache.clear()  # throttling counts live in the cache: start and leave it empty
    yield
    cache.clear()


@pytest.fixture
def dossiers(world):
    """One justice dossier of the citizen, one building dossier of the other citizen."""
    justice = submit_online(world)
    building = submit_online(world, procedure=world.building_procedure, actor=world.other_citizen)
    return justice, building


def listed(user, **params) -> set[str]:
    response = api_client(user).get("/api/v1/dossiers/", params)
    assert response.status_code == 200, response.content
    return {d["code"] for d in response.json()["results"]}


def test_list_matrix(world, dossiers):
    justice, building = dossiers
    both = {justice.code, building.code}
    assert listed(world.citizen) == {justice.code}
    assert listed(world.other_citizen) == {building.code}
    assert listed(world.clerk) == both  # the shared one-stop desk receives both
    assert listed(world.admin) == both
    for officer in [world.specialist, world.head, world.leader, world.doc_clerk]:
        assert listed(officer) == {justice.code}
    assert listed(world.other_specialist) == {building.code}
    assert listed(world.ward_clerk) == set()


def test_detail_matrix(world, dossiers):
    justice, building = dossiers
    allowed = [world.citizen, world.clerk, world.admin, world.specialist, world.leader]
    for user in allowed:
        response = api_client(user).get(f"/api/v1/dossiers/{justice.code}/")
        assert response.status_code == 200, user
        assert response.json()["applicant"]["name"] == "Nguyễn Văn An"
    for user in [world.other_citizen, world.other_specialist, world.ward_clerk]:
        response = api_client(user, "en").get(f"/api/v1/dossiers/{justice.code}/")
        assert response.status_code == 404, user
        assert response.json()["error"]["code"] == "not_found"
        assert not any(value in response.content.decode() for value in PERSONAL)
    assert api_client(world.specialist).get(f"/api/v1/dossiers/{building.code}/").status_code == 404


def test_anonymous_sees_no_dossier_and_no_personal_data(world, dossiers):
    justice, _building = dossiers
    client = api_client()
    for url in [
        "/api/v1/dossiers/",
        f"/api/v1/dossiers/{justice.code}/",
        f"/api/v1/dossiers/{justice.code}/actions/",
    ]:
        response = client.get(url)
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "not_authenticated"
        assert not any(value in response.content.decode() for value in PERSONAL)
    response = client.post(
        f"/api/v1/dossiers/{justice.code}/actions/withdraw/", {"expected_version": 1}
    )
    assert response.status_code == 401
    justice.refresh_from_db()
    assert justice.status == Status.NEW


def test_officers_of_another_agency_cannot_act(world, dossiers):
    justice, _building = dossiers
    justice = services.dossier_receive(
        dossier=justice, actor=world.clerk, checklist=checklist(justice)
    )
    justice = services.dossier_forward(dossier=justice, actor=world.clerk)  # now at Justice
    for user, action in [
        (world.other_specialist, "forward"),
        (world.other_specialist, "request_supplement"),
        (world.ward_clerk, "stop"),
        (world.other_citizen, "withdraw"),
    ]:
        response = api_client(user).post(
            f"/api/v1/dossiers/{justice.code}/actions/{action}/",
            {"expected_version": justice.version, "reason": "x", "comment": "x"},
            format="json",
        )
        assert response.status_code == 404, (user, action)
        assert api_client(user).get(f"/api/v1/dossiers/{justice.code}/actions/").status_code == 404
    # Visible but not theirs to do: 403, and nothing changes.
    for user, action in [(world.citizen, "forward"), (world.leader, "forward")]:
        response = api_client(user, "en").post(
            f"/api/v1/dossiers/{justice.code}/actions/{action}/",
            {"expected_version": justice.version},
            format="json",
        )
        assert response.status_code == 403, (user, action)
        assert response.json()["error"]["code"] == "permission_denied"
    justice.refresh_from_db()
    assert (justice.status, justice.step_index) == (Status.PROCESSING, 1)
    assert list(justice.events.values_list("action", flat=True)) == ["submit", "receive", "forward"]


def test_allowed_actions_depend_on_the_caller(world, dossiers):
    justice, _building = dossiers

    def actions(user):
        response = api_client(user).get(f"/api/v1/dossiers/{justice.code}/actions/")
        assert response.status_code == 200
        body = response.json()
        assert body["version"] == justice.version and body["status"] == Status.NEW
        return {a["action"]: a for a in body["actions"]}

    clerk = actions(world.clerk)
    assert {"receive", "refuse"} <= set(clerk)
    assert clerk["refuse"]["required"] == ["expected_version", "reason"]
    assert clerk["receive"]["label"] == "Tiếp nhận"
    assert set(actions(world.citizen)) == {"withdraw"}
    assert "receive" not in actions(world.specialist)


def test_list_filters(world, dossiers):
    justice, building = dossiers
    services.dossier_receive(dossier=justice, actor=world.clerk, checklist=checklist(justice))
    clerk = world.clerk
    assert listed(clerk, status=Status.RECEIVED) == {justice.code}
    assert listed(clerk, status=[Status.RECEIVED, Status.NEW]) == {justice.code, building.code}
    assert listed(clerk, procedure=world.building_procedure.code) == {building.code}
    today = dt.date.today().isoformat()
    assert listed(clerk, received_from=today, received_to=today) == {justice.code}
    assert listed(clerk, received_to="2000-01-01") == set()
    assert listed(clerk, overdue="true") == set()
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(days=40)):
        assert listed(clerk, overdue="true") == {justice.code}
        assert listed(clerk, overdue="false") == {building.code}
    later = submit_online(world)
    response = api_client(clerk).get("/api/v1/dossiers/", {"ordering": "submitted_at"})
    assert response.json()["results"][-1]["code"] == later.code
    response = api_client(clerk).get("/api/v1/dossiers/")
    assert response.json()["results"][0]["code"] == later.code
    for bad in [
        {"status": 99},
        {"received_from": "yesterday"},
        {"overdue": "perhaps"},
        {"ordering": "applicant_name"},
    ]:
        response = api_client(clerk, "en").get("/api/v1/dossiers/", bad)
        assert response.status_code == 400, bad
        assert set(response.json()["error"]["fields"]) == set(bad)


def test_detail_has_history_and_file_metadata_with_download_urls(world, dossiers):
    justice, _building = dossiers
    response = api_client(world.citizen).get(f"/api/v1/dossiers/{justice.code}/")
    body = response.json()
    assert body["procedure"] == {"code": world.procedure.code, "name": world.procedure.name}
    assert body["procedure_version"] == 1
    assert body["history"][0]["action"] == "submit"
    assert body["history"][0]["actor_name"] == world.citizen.display_name
    file = justice.files.order_by("pk").first()
    meta = next(f for f in body["files"] if f["id"] == file.pk)
    assert meta["size"] == file.size and meta["sha256"] == file.sha256
    assert meta["content_type"] == "application/pdf"
    expected = reverse("dossiers:file", args=[justice.pk, file.pk])
    assert meta["download_url"] == f"http://testserver{expected}"


# --- public tracking -----------------------------------------------------------------------------
def test_tracking_shows_progress_and_nothing_personal(world, dossiers):
    justice, _building = dossiers
    justice = services.dossier_receive(
        dossier=justice, actor=world.clerk, checklist=checklist(justice)
    )
    response = api_client().get(f"/api/v1/tracking/{justice.code}/")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {
        "code",
        "procedure",
        "status",
        "status_label",
        "submitted_at",
        "received_at",
        "due_at",
        "new_due_at",
        "finished_at",
        "returned_at",
        "closed_at",
        "receiving_agency",
        "handling_agency",
        "payment_request",
    }
    assert body["payment_request"] is None
    assert body["status"] == Status.RECEIVED and body["status_label"] == "Được tiếp nhận"
    assert body["receiving_agency"] == world.center.name
    assert body["procedure"]["code"] == world.procedure.code
    text = json.dumps(body, ensure_ascii=False)
    assert not any(value in text for value in PERSONAL + ["Hòa Bình", "citizen"])


def test_tracking_an_unknown_code_is_a_plain_404(world):
    response = api_client().get("/api/v1/tracking/000.00.01.H30-200101-9999/")
    assert response.status_code == 404
    assert response.json()["error"] == {
        "code": "not_found",
        "message": "Không tìm thấy.",
        "fields": None,
    }


def test_tracking_allows_60_requests_a_minute(world, dossiers):
    justice, _building = dossiers
    client = api_client()
    url = f"/api/v1/tracking/{justice.code}/"
    codes = [client.get(url).status_code for _ in range(61)]
    assert codes[:60] == [200] * 60
    assert codes[60] == 429
    body = client.get(url).json()
    assert body["error"]["code"] == "throttled"
    message = body["error"]["message"]  # in Vietnamese, with the wait
    assert ("giây" in message or "phút" in message) and "Expected" not in message
    assert "throttled" not in message
    assert not any(value in json.dumps(body, ensure_ascii=False) for value in PERSONAL)


def test_tracking_rate_comes_from_settings(world, dossiers, settings):
    justice, _building = dossiers
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "tracking": "3/min",
        },
    }
    client = api_client()
    codes = [client.get(f"/api/v1/tracking/{justice.code}/").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    response = client.get(f"/api/v1/tracking/{justice.code}/")
    assert int(response["Retry-After"]) > 0


# --- tokens --------------------------------------------------------------------------------------
@pytest.mark.parametrize("login", ["citizen", "0912345678", "CITIZEN@example.vn"])
def test_token_for_username_phone_or_email(world, dossiers, login):
    response = api_client().post("/api/v1/auth/token/", {"username": login, "password": PASSWORD})
    assert response.status_code == 200
    token = response.json()["token"]
    assert token_for_key(token).user == world.citizen
    client = api_client()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert {d["code"] for d in client.get("/api/v1/dossiers/").json()["results"]} == {
        dossiers[0].code
    }


def test_token_refused_for_a_wrong_password(world):
    response = api_client(language="en").post(
        "/api/v1/auth/token/", {"username": "citizen", "password": "wrong"}
    )
    assert response.status_code == 400
    assert response.json()["error"]["message"] == "Unable to log in with provided credentials."
    assert not ApiToken.objects.exists()
    missing = api_client(language="en").post("/api/v1/auth/token/", {}, format="json")
    assert set(missing.json()["error"]["fields"]) == {"username", "password"}


def test_a_bad_token_is_401(world):
    client = api_client()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    assert client.get("/api/v1/dossiers/").status_code == 401
    assert client.get("/api/v1/procedures/").status_code == 200  # the catalogue ignores it


def test_token_login_is_throttled(world, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "auth": "2/min",
        },
    }
    client = api_client()
    codes = [
        client.post("/api/v1/auth/token/", {"username": "citizen", "password": "x"}).status_code
        for _ in range(3)
    ]
    assert codes == [400, 400, 429]


def test_api_token_create_command(world, capsys):
    call_command("api_token_create", "clerk", "--scope", "dossiers:read", verbosity=0)
    key = capsys.readouterr().out.strip()
    assert token_for_key(key).scopes == ["dossiers:read"]
    client = api_client()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get("/api/v1/dossiers/").status_code == 200


def test_lists_and_details_do_not_query_per_row(world, django_assert_max_num_queries):
    for _ in range(6):
        submit_online(world)
    dossier = submit_online(world)
    client = api_client(world.clerk)
    with django_assert_max_num_queries(6):
        assert client.get("/api/v1/dossiers/").json()["count"] == 7
    with django_assert_max_num_queries(4):
        assert client.get(f"/api/v1/dossiers/{dossier.code}/").status_code == 200
    with django_assert_max_num_queries(4):
        assert len(api_client().get("/api/v1/procedures/").json()["results"]) == 2
