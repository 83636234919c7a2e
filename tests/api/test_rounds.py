from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from secondround.accounts.models import User
from secondround.demo import DECIDED_ROUND_ONE
from secondround.hiring.models import Position
from secondround.loops.models import ClarificationItem, Seat
from tests.api.test_hiring import Api
from tests.demo_cache import load_demo

pytestmark = pytest.mark.django_db


@pytest.fixture
def engineering() -> Position:
    load_demo()
    return Position.objects.get(title="Senior software engineer")


def test_round_one_ratings_items_and_loop_for_the_hiring_manager(engineering: Position) -> None:
    api = Api(engineering.hiring_manager)
    ratings = api.get(f"/positions/{engineering.pk}/round-one/ratings").json()
    # The demo's CSV (23 rows) and the decided finalist's round one, entered by hand.
    by_hand = sum(len(marks) for marks in DECIDED_ROUND_ONE.values())
    assert len(ratings) == 23 + by_hand
    items = api.get(f"/positions/{engineering.pk}/clarification-items").json()
    assert {"split", "concern", "not_assessed"} <= {r for i in items for r in i["reasons"]}
    loop = api.get(f"/positions/{engineering.pk}/loop").json()
    assert len(loop["sessions"]) == 8
    assert [c for c in loop["checks"] if c["severity"] == "error"] == []


def test_import_through_the_api_names_every_bad_row(engineering: Position) -> None:
    api = Api(engineering.hiring_manager)
    bad = b"candidate_email,interviewer_email,competency,rating\njordan.ellis@mail.example,priya@kestrel.example,System design,9\n"
    response = api.client.post(
        f"/api/v1/positions/{engineering.pk}/round-one/import",
        {"file": SimpleUploadedFile("r1.csv", bad)},
    )
    assert response.status_code == 422
    assert (
        response.json()["detail"][0]["msg"] == "line 2, column rating: 9 is outside the 1–5 scale"
    )


def test_patching_an_item_marks_it_edited(engineering: Position) -> None:
    item = ClarificationItem.objects.filter(application__position=engineering).first()
    assert item is not None
    api = Api(engineering.hiring_manager)
    response = api.patch(f"/clarification-items/{item.pk}", {"status": "dismissed"})
    assert response.status_code == 200 and response.json()["status"] == "dismissed"
    bad = api.patch(f"/clarification-items/{item.pk}", {"status": "forgotten"})
    assert bad.status_code == 422
    item.refresh_from_db()
    assert item.edited and item.status == "dismissed"


def test_question_bank_search_and_create(engineering: Position) -> None:
    api = Api(engineering.hiring_manager)
    found = api.get("/questions?kind=stress&role_family=registered-nurse").json()
    assert found and all(q["kind"] == "stress" for q in found)
    assert all(not q["role_families"] or "registered-nurse" in q["role_families"] for q in found)
    assert len(api.get("/scenarios?role_family=software-engineer").json()) >= 1
    created = api.post(
        "/questions",
        {"text": "How do you keep on-call sustainable?", "type": "behavioural", "kind": "stress",
         "follow_ups": ["What did you change?", "What did it cost?"],
         "answer_1": "Vague.", "answer_3": "One example.", "answer_5": "Measured change."},
    )  # fmt: skip
    assert created.status_code == 201
    one_probe = api.post(
        "/questions",
        {"text": "How do you cope?", "type": "behavioural", "kind": "stress",
         "follow_ups": ["Why?"], "answer_1": "a", "answer_3": "b", "answer_5": "c"},
    )  # fmt: skip
    assert one_probe.status_code == 422 and "follow_ups" in str(one_probe.json())


def test_kits_and_loops_refuse_outsiders(engineering: Position) -> None:
    seat = Seat.objects.filter(
        session__plan__position=engineering, session__kind="deep_dive"
    ).first()
    assert seat is not None
    finalist = engineering.applications.filter(stage="second_round").first()
    assert finalist is not None
    mine = Api(seat.interviewer).get(f"/kits/{seat.pk}/{finalist.pk}")
    assert mine.status_code == 200 and mine.json()["candidate"] == finalist.candidate.full_name
    outsider = Api(User.objects.get(email="ben@kestrel.example"))
    assert outsider.get(f"/kits/{seat.pk}/{finalist.pk}").status_code == 404
    assert outsider.get(f"/positions/{engineering.pk}/loop").status_code == 404
    assert Api(seat.interviewer).get(f"/positions/{engineering.pk}/loop").status_code == 403


def test_an_import_with_a_nul_in_a_note_is_refused_naming_line_and_column(
    engineering: Position,
) -> None:
    """Trial r8, staff #9: the note read back as "a\\u0000b", which PostgreSQL cannot store."""
    api = Api(engineering.hiring_manager)
    row = "jordan.ellis@mail.example,priya@kestrel.example,System design,4,a\x00b\n"
    content = ("candidate_email,interviewer_email,competency,rating,notes\n" + row).encode()
    response = api.client.post(
        f"/api/v1/positions/{engineering.pk}/round-one/import",
        {"file": SimpleUploadedFile("r1.csv", content)},
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["msg"] == (
        "line 2, column notes: contains a NUL character, which is not allowed in text"
    )
