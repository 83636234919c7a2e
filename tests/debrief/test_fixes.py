"""Issue #10 on the debrief: missing scorecards, provisional decisions, consistent chances,
refused weights, whole pages for cells, plain leniency, a complete pack, independence."""

from __future__ import annotations

import re
from datetime import date
from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from secondround.accounts.models import User
from secondround.debrief import selectors
from secondround.debrief.models import Decision
from secondround.debrief.services import record_decision
from secondround.debrief.templatetags.debrief_format import chance, leniency
from secondround.hiring.models import Application, Position, StageMove
from secondround.loops.selectors import assessing_seats
from secondround.scorecards.models import Scorecard, ScorecardStatus
from secondround.scorecards.services import (
    ScorecardInput,
    open_round_two_scorecard,
    submit_scorecard,
)
from tests.api.test_hiring import Api
from tests.conftest import client_for
from tests.demo_cache import load_demo
from tests.factories import soon

pytestmark = pytest.mark.django_db


@pytest.fixture
def engineering() -> Position:
    load_demo()
    return Position.objects.get(title="Senior software engineer")


def finalist(position: Position, name: str = "Jordan Ellis") -> Application:
    return position.applications.select_related("candidate").get(candidate__full_name=name)


def missing_for(application: Application) -> list[User]:
    """The loop's assessing interviewers without a submitted round-two scorecard for them."""
    submitted = Scorecard.objects.filter(
        application=application, round=Scorecard.Round.TWO, status=ScorecardStatus.SUBMITTED
    ).values_list("interviewer_id", flat=True)
    seats = assessing_seats(application.position).exclude(interviewer_id__in=submitted)
    return sorted({s.interviewer for s in seats}, key=lambda u: u.full_name)


def submit_everything(application: Application) -> None:
    for seat in assessing_seats(application.position).select_related("interviewer"):
        if seat.interviewer not in missing_for(application):
            continue
        card = open_round_two_scorecard(actor=seat.interviewer, seat=seat, application=application)
        submit_scorecard(
            actor=seat.interviewer, scorecard=card,
            data=ScorecardInput(
                ratings={c.pk: {"rating": 3, "notes": "Solid, specific example."}
                         for c in seat.competencies.all()},
                resolutions={}, overall={"recommendation": "yes", "confidence": 3},
            ),
        )  # fmt: skip


def decide(
    manager: User, application: Application, kind: str = "hire", **extra: object
) -> Decision:
    competencies = list(application.position.competencies.filter(must_have=True))
    return record_decision(
        actor=manager, application=application, decision=kind,
        reasons="Calibrated 4.1 on debugging; bisected a leak across releases.",
        competencies=competencies, dissent=[{"person": "Priya Nair", "view": "Design thin."}],
        next_step="Offer call", next_step_date=soon(),
        no_outcome_reason="Told by phone.", **extra,  # type: ignore[arg-type]
    )  # fmt: skip


# ---------------------------------------------------------------- 2. missing scorecards


def test_debrief_says_per_finalist_how_many_scorecards_are_in_and_who_is_missing(
    engineering: Position,
) -> None:
    jordan = finalist(engineering)
    missing = missing_for(jordan)
    assert missing, "the demo leaves round-two scorecards open"
    expected = len({s.interviewer_id for s in assessing_seats(engineering)})
    body = client_for(engineering.hiring_manager).get(reverse("debrief", args=[engineering.pk]))
    html = body.content.decode()
    notice = html.split('id="provisional"')[1].split("</section>")[0]
    assert "provisional" in notice.lower()
    line = notice.split("Jordan Ellis")[1].split("</li>")[0]
    assert f"{expected - len(missing)} of {expected} in" in line
    for person in missing:
        assert person.full_name in line
    row = html.split('data-candidate="Jordan Ellis"')[1].split("</tr>")[0]
    assert f"{expected - len(missing)} of {expected}" in row


def test_no_provisional_notice_once_every_scorecard_is_in(engineering: Position) -> None:
    for application in engineering.applications.filter(
        scorecards__round=Scorecard.Round.TWO
    ).distinct():
        submit_everything(application)
    data = selectors.debrief(engineering.hiring_manager, engineering)
    assert data is not None and not data.provisional
    assert all(row.scorecards.complete for row in data.rows)
    html = client_for(engineering.hiring_manager).get(reverse("debrief", args=[engineering.pk]))
    assert 'id="provisional"' not in html.content.decode()


def test_a_hire_while_scorecards_are_missing_needs_confirmation_and_is_recorded_provisional(
    engineering: Position,
) -> None:
    manager, jordan = engineering.hiring_manager, finalist(engineering)
    names = [u.full_name for u in missing_for(jordan)]
    with pytest.raises(ValidationError) as error:
        decide(manager, jordan)
    assert "confirm_provisional" in error.value.message_dict
    assert names[0] in error.value.message_dict["confirm_provisional"][0]
    assert not Decision.objects.filter(application=jordan).exists()
    decision = decide(manager, jordan, confirm_provisional=True)
    assert decision.provisional and decision.scorecards_missing == names


def test_other_decisions_while_scorecards_are_missing_are_recorded_provisional(
    engineering: Position,
) -> None:
    decision = decide(engineering.hiring_manager, finalist(engineering), kind="on_hold")
    assert decision.provisional


def test_a_decision_with_every_scorecard_in_is_not_provisional(engineering: Position) -> None:
    jordan = finalist(engineering)
    submit_everything(jordan)
    decision = decide(engineering.hiring_manager, jordan)
    assert not decision.provisional and decision.scorecards_missing == []


def test_the_decision_page_asks_for_the_confirmation(engineering: Position) -> None:
    manager, jordan = engineering.hiring_manager, finalist(engineering)
    client = client_for(manager)
    url = reverse("decision", args=[engineering.pk, jordan.pk])
    page = client.get(url).content.decode()
    assert 'id="provisional"' in page and 'name="confirm_provisional"' in page
    form = {
        "decision": "hire", "reasons": "Best debugging evidence.", "next_step": "Offer call",
        "next_step_date": soon().isoformat(),
        "competencies": [c.pk for c in engineering.competencies.filter(must_have=True)],
    }  # fmt: skip
    refused = client.post(url, form)
    assert refused.status_code == 400 and "Confirm that you hire" in refused.content.decode()
    assert not Decision.objects.filter(application=jordan).exists()
    assert client.post(url, {**form, "confirm_provisional": "on"}).status_code == 302
    assert Decision.objects.get(application=jordan).provisional


def test_the_api_refuses_an_unconfirmed_provisional_hire(engineering: Position) -> None:
    manager, jordan = engineering.hiring_manager, finalist(engineering)
    body = {
        "decision": "hire", "reasons": "Best debugging evidence.", "next_step": "Offer call",
        "next_step_date": soon().isoformat(),
        "competency_ids": [c.pk for c in engineering.competencies.filter(must_have=True)],
    }  # fmt: skip
    api = Api(manager)
    refused = api.client.put(
        f"/api/v1/applications/{jordan.pk}/decision", body, content_type="application/json"
    )
    assert refused.status_code == 422 and "confirm_provisional" in refused.content.decode()
    accepted = api.client.put(
        f"/api/v1/applications/{jordan.pk}/decision",
        {**body, "confirm_provisional": True}, content_type="application/json",
    )  # fmt: skip
    assert accepted.status_code == 200 and accepted.json()["provisional"] is True
    debrief = api.get(f"/positions/{engineering.pk}/debrief").json()
    row = next(f for f in debrief["finalists"] if f["application_id"] == jordan.pk)
    assert debrief["provisional"] is True
    assert row["scorecards"]["still_to_submit"] == [u.email for u in missing_for(jordan)]


@pytest.mark.parametrize(
    ("probability", "shown"),
    [(1.0, "> 99%"), (0.996, "> 99%"), (0.9951, "> 99%"), (0.99, "99%"), (0.5, "50%"),
     (0.012, "1%"), (0.004, "< 1%"), (0.0, "< 1%")],
)  # fmt: skip
def test_chances_never_claim_certainty(probability: float, shown: str) -> None:
    assert chance(probability) == shown


def test_the_page_never_shows_100_or_0_percent(engineering: Position) -> None:
    html = client_for(engineering.hiring_manager).get(reverse("debrief", args=[engineering.pk]))
    cells = re.findall(r'class="p-best">([^<]*)<', html.content.decode())
    assert cells and not {"100%", "0%"} & {c.strip() for c in cells}


def test_leader_and_runner_up_get_one_number_for_the_same_event(engineering: Position) -> None:
    data = selectors.debrief(engineering.hiring_manager, engineering)
    assert data is not None
    leader, runner_up = data.rows[0], data.rows[1]
    assert leader.swing is not None and leader.swing == runner_up.swing
    assert leader.compared_with == runner_up.application
    assert runner_up.compared_with == leader.application
    html = client_for(engineering.hiring_manager).get(reverse("debrief", args=[engineering.pk]))
    unknowns = html.content.decode().split('class="unknowns"')[1].split("</ul>")[0]
    shown = re.findall(r"(&gt; 99%|&lt; 1%|\d+%) likely", unknowns)
    assert shown[0] == shown[1] == chance(leader.swing).replace(">", "&gt;").replace("<", "&lt;")


# ---------------------------------------------------------------- 8. weights


def weights_of(position: Position, **by_name: object) -> dict[str, object]:
    competencies = list(position.competencies.all())
    chosen = {f"w{c.pk}": c.weight for c in competencies}
    for c in competencies:
        if c.name in by_name:
            chosen[f"w{c.pk}"] = by_name[c.name]
    return chosen


@pytest.mark.parametrize("htmx", [False, True])
def test_every_weight_zero_is_refused_not_a_500(engineering: Position, htmx: bool) -> None:
    all_zero = {f"w{c.pk}": 0 for c in engineering.competencies.all()}
    headers = {"HX-Request": "true"} if htmx else {}
    response = client_for(engineering.hiring_manager).get(
        reverse("debrief", args=[engineering.pk]), all_zero, headers=headers
    )
    assert response.status_code == 400
    assert "at least one competency a weight above 0" in response.content.decode()


def test_zero_weight_on_every_rated_competency_is_refused(engineering: Position) -> None:
    """A weight only on a competency nobody rated leaves nothing to score by."""
    competencies = list(engineering.competencies.all())
    unrated = competencies[-1]
    from secondround.scorecards.models import Rating

    Rating.objects.filter(competency=unrated).delete()
    from secondround.debrief import calibration

    calibration.refresh_snapshot()
    chosen = {f"w{c.pk}": 5 if c == unrated else 0 for c in competencies}
    response = client_for(engineering.hiring_manager).get(
        reverse("debrief", args=[engineering.pk]), chosen
    )
    assert response.status_code == 400
    assert "at least one competency that has ratings" in response.content.decode()


@pytest.mark.parametrize("value", ["-5", "1000000", "abc", ""])
@pytest.mark.parametrize("htmx", [False, True])
def test_bad_weights_are_refused_naming_the_competency(
    engineering: Position, value: str, htmx: bool
) -> None:
    name = "System design"
    response = client_for(engineering.hiring_manager).get(
        reverse("debrief", args=[engineering.pk]), weights_of(engineering, **{name: value}),
        headers={"HX-Request": "true"} if htmx else {},
    )  # fmt: skip
    assert response.status_code == 400
    errors = response.content.decode().split('id="weight-errors"')[1].split("</div>")[0]
    assert name in errors


def test_the_what_if_form_puts_no_csrf_token_in_the_url(engineering: Position) -> None:
    html = client_for(engineering.hiring_manager).get(reverse("debrief", args=[engineering.pk]))
    what_if = (
        html.content.decode().split('class="card weights" method="get"')[1].split("</form>")[0]
    )
    assert "csrfmiddlewaretoken" not in what_if


def test_saving_weights_is_a_post_that_refuses_bad_ones(engineering: Position) -> None:
    client = client_for(engineering.hiring_manager)
    design = engineering.competencies.get(name="System design")
    before = design.weight
    refused = client.post(
        reverse("debrief-weights", args=[engineering.pk]),
        weights_of(engineering, **{design.name: 0}),
    )
    assert refused.status_code == 400 and "System design" in refused.content.decode()
    design.refresh_from_db()
    assert design.weight == before
    what_if = client.get(
        reverse("debrief", args=[engineering.pk]), weights_of(engineering, **{design.name: 5})
    ).content.decode()
    save_form = what_if.split('class="save-weights"')[1].split("</form>")[0]
    assert "csrfmiddlewaretoken" in save_form and f'name="w{design.pk}" value="5"' in save_form
    saved = client.post(
        reverse("debrief-weights", args=[engineering.pk]),
        weights_of(engineering, **{design.name: 5}),
    )
    assert saved.status_code == 302
    design.refresh_from_db()
    assert design.weight == 5


# ---------------------------------------------------------------- smaller things


def test_a_cell_opened_directly_is_a_whole_page(engineering: Position) -> None:
    client = client_for(engineering.hiring_manager)
    competency = engineering.competencies.first()
    assert competency is not None
    url = reverse("debrief-cell", args=[engineering.pk, finalist(engineering).pk, competency.pk])
    page = client.get(url).content.decode()
    assert "<html" in page and "app.css" in page and competency.name in page
    fragment = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in fragment and competency.name in fragment


@pytest.mark.parametrize(
    ("severity", "words"),
    [(0.54, "rates 0.54 points lower than a typical colleague"),
     (-0.31, "rates 0.31 points higher than a typical colleague"),
     (0.01, "rates like a typical colleague")],
)  # fmt: skip
def test_leniency_reads_one_way_only(severity: float, words: str) -> None:
    assert leniency(severity) == words


def test_the_page_gives_leniency_in_words_not_a_signed_number(engineering: Position) -> None:
    html = client_for(engineering.hiring_manager).get(reverse("debrief", args=[engineering.pk]))
    context = html.content.decode().split('id="leniency"')[1].split("</details>")[0]
    assert "than a typical colleague" in context
    assert not re.search(r"\(-?\d\.\d\d ±", context)


def pdf_text(content: bytes) -> str:
    import pypdfium2

    pdf = pypdfium2.PdfDocument(BytesIO(content))
    return "\n".join(page.get_textpage().get_text_range() for page in pdf)


def test_the_pack_has_decisions_dissent_the_chart_and_the_weights(engineering: Position) -> None:
    manager, jordan = engineering.hiring_manager, finalist(engineering)
    decide(manager, jordan, confirm_provisional=True)
    design = engineering.competencies.get(name="System design")
    response = client_for(manager).get(
        reverse("debrief-pack", args=[engineering.pk]), weights_of(engineering, **{design.name: 5})
    )
    assert response.status_code == 200
    text = " ".join(pdf_text(response.content).split())
    assert "Hire / make an offer" in text and "bisected a leak across releases" in text
    assert "Priya Nair: Design thin." in text and "provisional" in text
    assert "Weights used" in text and "System design: 5" in text
    assert "Calibrated scores with their 95% intervals" in text
    assert "> 99%" in text or "< 1%" in text or "%" in text


def test_bad_weights_for_the_pack_are_a_400(engineering: Position) -> None:
    response = client_for(engineering.hiring_manager).get(
        reverse("debrief-pack", args=[engineering.pk]),
        weights_of(engineering, **{"System design": "abc"}),
    )
    assert response.status_code == 400 and "System design" in response.content.decode()


# ---------------------------------------------------------------- 4. independence


def bound_manager(position: Position) -> tuple[User, Application]:
    """The hiring manager opts into the rule and has not written Jordan up yet."""
    manager = position.hiring_manager
    jordan = finalist(position)
    Scorecard.objects.filter(
        interviewer=manager, round=Scorecard.Round.TWO, application=jordan
    ).delete()
    assert assessing_seats(position).filter(interviewer=manager).exists()
    manager.follows_independence = True
    manager.save()
    return manager, jordan


def test_decision_reasons_never_reach_the_stage_history(engineering: Position) -> None:
    jordan = finalist(engineering)
    decide(engineering.hiring_manager, jordan, kind="reject")
    reasons = StageMove.objects.filter(application=jordan).values_list("reason", flat=True)
    assert reasons and not any("4.1" in r or "bisected" in r for r in reasons)


def test_a_decision_is_hidden_from_a_manager_bound_by_the_rule(engineering: Position) -> None:
    decide(engineering.hiring_manager, finalist(engineering), kind="on_hold")
    manager, jordan = bound_manager(engineering)
    client = client_for(manager)
    assert client.get(reverse("decision", args=[engineering.pk, jordan.pk])).status_code == 403
    assert Api(manager).get(f"/applications/{jordan.pk}/decision").status_code == 403
    with pytest.raises(PermissionDenied):
        decide(manager, jordan, kind="reject", change_reason="Changed my mind.")
    pack = client.get(reverse("debrief-pack", args=[engineering.pk]))
    assert "bisected a leak" not in pdf_text(pack.content)


def test_chances_are_withheld_when_a_finalist_is(engineering: Position) -> None:
    """P(best) and ranks compare every finalist: with one hidden they would tell on it."""
    manager, _jordan = bound_manager(engineering)
    debrief = Api(manager).get(f"/positions/{engineering.pk}/debrief").json()
    assert debrief["withheld"] == 1
    assert all(f["p_best"] is None and f["rank"] is None for f in debrief["finalists"])
    assert all(f["swing"] is None for f in debrief["finalists"])
    html = client_for(manager).get(reverse("debrief", args=[engineering.pk])).content.decode()
    assert "Jordan Ellis" not in html.split('id="finalists"')[1].split("</table>")[0]
    assert "%" not in "".join(re.findall(r'class="p-best">([^<]*)<', html))


def test_the_pack_chart_places_each_interval_on_one_axis(engineering: Position) -> None:
    from secondround.debrief.pack import pack_chart

    data = selectors.debrief(engineering.hiring_manager, engineering)
    assert data is not None
    chart = pack_chart(data)
    span = chart.axis_high - chart.axis_low
    for row, chart_row in zip(data.rows, chart.rows, strict=True):
        assert chart_row.score_at == pytest.approx(
            100 * (row.result.score - chart.axis_low) / span, abs=0.01
        )
        assert chart_row.low_at <= chart_row.score_at <= chart_row.low_at + chart_row.width
    assert [value for value, _at in chart.ticks] == list(
        range(int(chart.axis_low), int(chart.axis_high) + 1)
    )


def test_a_decision_on_someone_not_yet_a_finalist_is_refused_naming_the_field(
    engineering: Position,
) -> None:
    early = engineering.applications.filter(stage="applied").first() or finalist(engineering)
    early.stage = "applied"
    early.save()
    with pytest.raises(ValidationError) as error:
        decide(engineering.hiring_manager, early, confirm_provisional=True)
    assert "decision" in error.value.message_dict
    assert not Decision.objects.filter(application=early).exists()
    early.refresh_from_db()
    assert early.stage == "applied"


def test_a_reject_can_be_changed_to_a_hire(engineering: Position) -> None:
    manager, jordan = engineering.hiring_manager, finalist(engineering)
    decide(manager, jordan, kind="reject")
    decide(manager, jordan, confirm_provisional=True, change_reason="Reference calls were strong.")
    jordan.refresh_from_db()
    assert jordan.stage == "offer"
    assert Decision.objects.get(application=jordan).revisions.get().before["decision"] == "reject"


def test_an_id_no_database_holds_is_refused_in_the_decision_form_and_api(
    engineering: Position,
) -> None:
    manager, jordan = engineering.hiring_manager, finalist(engineering)
    huge = "1" + "0" * 29
    response = client_for(manager).post(
        reverse("decision", args=[engineering.pk, jordan.pk]),
        {"decision": "on_hold", "reasons": "Budget.", "next_step": "Revisit",
         "next_step_date": soon().isoformat(), "competencies": [huge]},
    )  # fmt: skip
    assert response.status_code == 400
    errors = response.content.decode().split('id="id_competencies_error"')[1].split("</div>")[0]
    assert f"“{huge}” is not a valid value" in errors
    api = Api(manager).client.put(
        f"/api/v1/applications/{jordan.pk}/decision",
        {"decision": "on_hold", "reasons": "Budget.", "next_step": "Revisit",
         "next_step_date": soon().isoformat(), "competency_ids": [int(huge)]},
        content_type="application/json",
    )  # fmt: skip
    assert api.status_code == 422 and "competency_ids" in api.content.decode()
    assert not Decision.objects.filter(application=jordan).exists()


def test_a_next_step_years_away_is_refused_by_field_and_nothing_is_decided(
    engineering: Position,
) -> None:
    jordan = finalist(engineering)
    submit_everything(jordan)
    manager = engineering.hiring_manager
    competencies = list(engineering.competencies.filter(must_have=True))
    with pytest.raises(ValidationError) as refused:
        record_decision(
            actor=manager, application=jordan, decision="hire", reasons="Strong on debugging.",
            competencies=competencies, dissent=[], next_step="Offer call",
            next_step_date=date(9999, 12, 31), no_outcome_reason="Told by phone.",
        )  # fmt: skip
    assert "within a year" in refused.value.message_dict["next_step_date"][0]
    assert not Decision.objects.filter(application=jordan).exists()
