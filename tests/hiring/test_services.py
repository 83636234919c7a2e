from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from secondround.accounts.models import User
from secondround.hiring import services
from secondround.hiring.models import Application, Candidate, Competency, Position, Stage, StageMove
from secondround.hiring.role_templates import role_templates
from tests.factories import make_application

pytestmark = pytest.mark.django_db


def test_position_from_template_copies_every_competency_with_its_anchors(
    position: Position,
) -> None:
    template = role_templates()["software-engineer"]
    competencies = list(position.competencies.all())
    assert [c.name for c in competencies] == [c.name for c in template.competencies]
    first = competencies[0]
    assert [text for _point, text in first.anchors] == list(template.competencies[0].anchors)
    assert position.role_family == "software-engineer"
    assert position.department.name == template.department


def test_unknown_template_is_refused_by_name(manager: User) -> None:
    with pytest.raises(ValidationError) as error:
        services.create_position_from_template(actor=manager, template_slug="astronaut")
    assert "template" in error.value.message_dict
    assert Position.objects.count() == 0


def test_interviewer_cannot_create_positions(panel_interviewer: User) -> None:
    with pytest.raises(PermissionDenied):
        services.create_position_from_template(
            actor=panel_interviewer, template_slug="software-engineer"
        )


def test_moves_are_recorded_with_who_and_why(position: Position) -> None:
    application = make_application(position)
    manager = position.hiring_manager
    services.move_application(actor=manager, application=application, to_stage=Stage.FIRST_ROUND)
    services.move_application(
        actor=manager, application=application, to_stage=Stage.SECOND_ROUND, reason="Strong R1"
    )
    application.refresh_from_db()
    assert application.stage == Stage.SECOND_ROUND
    moves = list(application.moves.values_list("from_stage", "to_stage", "moved_by", "reason"))
    assert moves == [
        ("", Stage.APPLIED, manager.pk, "Added"),
        (Stage.APPLIED, Stage.FIRST_ROUND, manager.pk, ""),
        (Stage.FIRST_ROUND, Stage.SECOND_ROUND, manager.pk, "Strong R1"),
    ]


def test_impossible_move_names_the_stage_field_and_changes_nothing(position: Position) -> None:
    application = make_application(position)
    with pytest.raises(ValidationError) as error:
        services.move_application(
            actor=position.hiring_manager, application=application, to_stage=Stage.HIRED
        )
    assert "stage" in error.value.message_dict
    application.refresh_from_db()
    assert application.stage == Stage.APPLIED
    assert StageMove.objects.filter(application=application).count() == 1


def test_rejecting_needs_a_reason(position: Position) -> None:
    application = make_application(position)
    with pytest.raises(ValidationError) as error:
        services.move_application(
            actor=position.hiring_manager, application=application, to_stage=Stage.REJECTED
        )
    assert "reason" in error.value.message_dict
    application.refresh_from_db()
    assert application.stage == Stage.APPLIED


def test_panel_interviewer_cannot_move_applications(
    position: Position, panel_interviewer: User
) -> None:
    application = make_application(position)
    with pytest.raises(PermissionDenied):
        services.move_application(
            actor=panel_interviewer, application=application, to_stage=Stage.FIRST_ROUND
        )


def test_recruiter_on_the_team_can_move_applications(position: Position, recruiter: User) -> None:
    application = make_application(position)
    services.move_application(actor=recruiter, application=application, to_stage=Stage.FIRST_ROUND)
    assert Application.objects.get(pk=application.pk).stage == Stage.FIRST_ROUND


def test_same_candidate_twice_is_refused_on_email(position: Position) -> None:
    make_application(position, name="Ada Lovelace")
    with pytest.raises(ValidationError) as error:
        make_application(position, name="Ada Lovelace")
    assert "email" in error.value.message_dict
    assert Candidate.objects.count() == 1


def test_bad_candidate_email_is_refused_and_nothing_is_stored(position: Position) -> None:
    with pytest.raises(ValidationError) as error:
        services.add_candidate_to_position(
            actor=position.hiring_manager,
            position=position,
            fields={"full_name": "No Mail", "email": "not-an-email"},
        )
    assert "email" in error.value.message_dict
    assert Candidate.objects.count() == 0
    assert Application.objects.count() == 0


def test_competency_weight_out_of_range_is_refused(position: Position) -> None:
    competency = position.competencies.first()
    assert competency is not None
    with pytest.raises(ValidationError) as error:
        services.save_competency(
            actor=position.hiring_manager,
            position=position,
            competency=competency,
            fields={"weight": 9},
        )
    assert "weight" in error.value.message_dict
    assert Competency.objects.get(pk=competency.pk).weight != 9


def test_company_profile_with_duplicate_values_is_refused_whole(admin_user: User) -> None:
    services.update_company_profile(
        actor=admin_user,
        fields={"name": "Acme"},
        values=[{"name": "Care", "description": "", "behaviours": "Listens"}],
    )
    with pytest.raises(ValidationError) as error:
        services.update_company_profile(
            actor=admin_user,
            fields={"name": "Renamed"},
            values=[
                {"name": "Speed", "description": "", "behaviours": "Ships"},
                {"name": "speed", "description": "", "behaviours": "Ships again"},
            ],
        )
    assert "values" in error.value.message_dict
    from secondround.hiring.models import CompanyProfile

    profile = CompanyProfile.objects.get()
    assert profile.name == "Acme"
    assert [v.name for v in profile.values.all()] == ["Care"]
