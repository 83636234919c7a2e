"""Round one is one user action: ratings stored and clarification items refreshed together,
by the same service from the page, the API and the CLI (and only for the positions touched)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from typer.testing import CliRunner

from secondround.accounts.models import User
from secondround.cli import app
from secondround.hiring.models import Application, Position, Stage
from secondround.loops.models import ClarificationItem
from secondround.scorecards.services import import_first_round, save_round_one_scorecard
from tests.conftest import client_for
from tests.factories import make_application, make_position

pytestmark = pytest.mark.django_db

HEADER = "candidate_email,interviewer_email,competency,rating,confidence,notes,concern\n"


def finalist(position: Position, name: str) -> Application:
    application = make_application(position, name=name)
    Application.objects.filter(pk=application.pk).update(stage=Stage.SECOND_ROUND)
    application.refresh_from_db()
    return application


def one_rating_file(application: Application, interviewer: User) -> str:
    # A single low-confidence rating with a concern leaves the competency open.
    return (
        HEADER + f"{application.candidate.email},{interviewer.email},System design,2,1,Vague,yes\n"
    )


def items_of(application: Application) -> set[str]:
    return set(
        ClarificationItem.objects.filter(application=application).values_list(
            "competency__name", flat=True
        )
    )


def test_import_service_refreshes_the_items_of_the_imported_position(
    position: Position, panel_interviewer: User
) -> None:
    ada = finalist(position, "Ada Byron")
    import_first_round(
        actor=position.hiring_manager, filename="r1.csv",
        content=one_rating_file(ada, panel_interviewer).encode(), position=position,
    )  # fmt: skip
    assert "System design" in items_of(ada)


def test_hand_entry_service_refreshes_the_items(
    position: Position, panel_interviewer: User
) -> None:
    ada = finalist(position, "Ada Byron")
    design = position.competencies.get(name="System design")
    save_round_one_scorecard(
        actor=position.hiring_manager, application=ada, interviewer=panel_interviewer,
        ratings={design.pk: {"rating": 2, "confidence": 1, "notes": "Vague", "concern": True}},
    )  # fmt: skip
    assert "System design" in items_of(ada)


def test_page_import_refreshes_items_through_the_service(
    position: Position, panel_interviewer: User
) -> None:
    ada = finalist(position, "Ada Byron")
    upload = SimpleUploadedFile("r1.csv", one_rating_file(ada, panel_interviewer).encode())
    response = client_for(position.hiring_manager).post(
        reverse("round-one-import", args=[position.pk]), {"file": upload}
    )
    assert response.status_code == 302
    assert "System design" in items_of(ada)


def test_cli_refreshes_only_the_positions_in_the_file(
    position: Position, panel_interviewer: User, tmp_path: Path
) -> None:
    ada = finalist(position, "Ada Byron")
    other = make_position(position.hiring_manager, interviewers=[panel_interviewer])
    bystander = finalist(other, "Grace Hopper")
    design = other.competencies.get(name="System design")
    save_round_one_scorecard(
        actor=other.hiring_manager, application=bystander, interviewer=panel_interviewer,
        ratings={design.pk: {"rating": 2, "confidence": 1, "notes": "Vague", "concern": True}},
    )  # fmt: skip
    # Marked behind the service's back: a refresh of this position would rewrite it.
    assert ClarificationItem.objects.filter(application=bystander).update(summary="Untouched")
    file = tmp_path / "r1.csv"
    file.write_text(one_rating_file(ada, panel_interviewer))
    result = CliRunner().invoke(
        app, ["import-first-round", str(file), "--as", position.hiring_manager.email]
    )
    assert result.exit_code == 0, result.output
    assert "System design" in items_of(ada)
    summaries = set(
        ClarificationItem.objects.filter(application=bystander).values_list("summary", flat=True)
    )
    assert summaries == {"Untouched"}
