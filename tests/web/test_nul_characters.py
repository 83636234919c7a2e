"""Text with NUL characters is refused by name before a query (PostgreSQL cannot hold it)."""

from __future__ import annotations

import pytest
from pytest_django.fixtures import Settings

from secondround.accounts.models import User
from secondround.accounts.services import create_api_token
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def test_a_nul_in_a_query_string_or_json_body_is_a_400_naming_it(manager: User) -> None:
    key = create_api_token(user=manager, name="t")[1]
    api = client_for(manager)
    answer = api.get(
        "/api/v1/questions", {"q": "abc\x00"}, headers={"Authorization": f"Bearer {key}"}
    )
    assert answer.status_code == 400 and "'q'" in answer.json()["detail"][0]["msg"]
    body = api.post("/api/v1/positions", '{"title": "a\\u0000b"}', content_type="application/json",
                    headers={"Authorization": f"Bearer {key}"})  # fmt: skip
    assert body.status_code == 400 and "JSON body" in body.json()["detail"][0]["msg"]
    page = api.get("/questions/", {"q": "x\x00"})
    assert page.status_code == 400 and b"'q'" in page.content
    assert api.get("/questions/", {"q": "plain"}).status_code == 200


@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/merge-patch+json", "application/octet-stream", ""]
)
def test_a_nul_in_a_json_body_sent_with_another_content_type_is_refused_too(
    manager: User, content_type: str
) -> None:
    """The API parses a JSON body whatever its Content-Type; the NUL check looked only at
    "application/json", so a NUL was stored (and PostgreSQL answers 500 for it)."""
    from tests.factories import make_application, make_position

    application = make_application(make_position(manager), name="Ada Byron")
    key = create_api_token(user=manager, name="t")[1]
    answer = client_for(manager).patch(
        f"/api/v1/candidates/{application.candidate.pk}", b'{"phone": "a\\u0000b"}',
        content_type=content_type, headers={"Authorization": f"Bearer {key}"},
    )  # fmt: skip
    assert answer.status_code == 400
    assert answer.json()["detail"] == [
        {
            "loc": ["body"],
            "msg": "the JSON body contains a NUL character, which is not allowed in text.",
            "type": "nul",
        }
    ]
    application.candidate.refresh_from_db()
    assert application.candidate.phone == ""


def test_an_api_body_over_the_size_limit_answers_json_413_naming_the_body(
    manager: User, settings: Settings
) -> None:
    """It answered Django's HTML "Bad Request (400)" page to an API client."""
    key = create_api_token(user=manager, name="t")[1]
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    answer = client_for(manager).post(
        "/api/v1/positions", '{"template": "' + "x" * 2000 + '"}',
        content_type="application/json", headers={"Authorization": f"Bearer {key}"},
    )  # fmt: skip
    assert answer.status_code == 413
    assert answer.json()["detail"][0]["loc"] == ["body"]
    assert answer.json()["detail"][0]["type"] == "too_large"
