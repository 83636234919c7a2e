"""Text with NUL characters is refused by name before a query (PostgreSQL cannot hold it)."""

from __future__ import annotations

import pytest

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
