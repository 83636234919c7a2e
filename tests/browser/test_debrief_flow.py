"""Two interviewers and a hiring manager: independent scorecards, then the debrief and a decision."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from secondround.hiring.models import Application, Stage
from secondround.scorecards.models import Scorecard
from tests.browser.conftest import Shots, assert_accessible
from tests.browser.test_hiring_manager_flow import log_in
from tests.demo_cache import load_demo
from tests.factories import soon
from tests.scorecards.test_scorecards_and_debrief import pending_seat

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_independent_scorecards_then_debrief_and_decision(page: Page, shots: Shots) -> None:
    load_demo()
    from secondround.hiring.models import Position

    position = Position.objects.get(title="Senior software engineer")
    seat = pending_seat(position)  # interviewer A: has not written up yet
    colleague = (
        Scorecard.objects.filter(session=seat.session, status="submitted")
        .exclude(interviewer=seat.interviewer)
        .select_related("interviewer")
        .first()
    )
    assert colleague is not None  # interviewer B, same session, already submitted
    b_note = colleague.ratings.exclude(notes="").first().notes  # type: ignore[union-attr]

    log_in(page, seat.interviewer.email)
    page.get_by_role("link", name="My kits").click()
    page.locator("section", has_text=seat.session.title).get_by_role(
        "link", name="Jordan Ellis"
    ).first.click()
    page.get_by_role("button", name="Open my scorecard").click()
    expect(page.locator("#colleagues")).to_contain_text("Hidden until you submit yours")
    expect(page.locator("body")).not_to_contain_text(b_note)
    first = page.locator("fieldset.card").first
    first.get_by_label("4", exact=False).first.check()
    # Wait for the autosave that carries the words, not any "Draft saved" (the rating's own
    # save may answer first when the machine is slow).
    with page.expect_response(
        lambda r: r.request.method == "POST" and "bisecting" in (r.request.post_data or "")
    ):
        first.get_by_label("Evidence: what the candidate said or did").fill(
            "Walked through bisecting a leak."
        )
    expect(page.locator("#saved")).to_contain_text("Draft saved")
    page.reload()
    # The draft is on the server, not only in this browser's local copy.
    saved_rating = Scorecard.objects.get(
        interviewer=seat.interviewer,
        round=Scorecard.Round.TWO,
        application__candidate__full_name="Jordan Ellis",
    )
    assert saved_rating.ratings.filter(notes="Walked through bisecting a leak.").exists()
    expect(
        page.locator("fieldset.card").first.get_by_label("Evidence: what the candidate said or did")
    ).to_have_value("Walked through bisecting a leak.")
    assert_accessible(page)
    shots.take("interviewer-a-draft")

    for fieldset in page.locator(
        "fieldset.card", has=page.get_by_text("Evidence: what the candidate")
    ).all():
        fieldset.get_by_label("4", exact=False).first.check()
        evidence = fieldset.get_by_label("Evidence: what the candidate said or did")
        if not evidence.input_value():
            evidence.fill("Specific example with a measured result.")
    page.get_by_label("Overall recommendation").select_option(label="Yes")
    page.get_by_label("How confident are you in this scorecard?").select_option("4")
    page.get_by_role("button", name="Submit scorecard").click()
    expect(page.get_by_text("Scorecard submitted.")).to_be_visible()
    expect(page.locator("#colleagues")).to_contain_text(b_note)
    shots.take("interviewer-a-submitted-sees-b")
    page.get_by_role("button", name="Log out").click()

    log_in(page, "hana@kestrel.example")
    page.goto(f"/positions/{position.pk}/debrief/")
    table = page.locator("#finalists")
    for name in ("Aisha Bello", "Sofia Rossi", "Jordan Ellis", "Mateo García"):
        expect(table).to_contain_text(name)
    expect(page.locator("#score-chart svg")).to_be_visible()
    assert_accessible(page)
    shots.take("debrief")
    before = table.locator("tr", has_text="Jordan Ellis").locator("td.score").inner_text()
    weights = page.locator("form.weights")
    weights.get_by_label("Debugging unclear problems").fill("0")
    weights.get_by_label("System design").fill("5")
    expect(table.locator("tr", has_text="Jordan Ellis").locator("td.score")).not_to_have_text(
        before
    )
    shots.take("debrief-reweighted")
    page.locator("#competency-matrix").get_by_role("link").first.click()
    expect(page.locator("#cell-detail")).to_contain_text("round")
    shots.take("debrief-cell")

    table.locator("tr", has_text="Jordan Ellis").get_by_role("link", name="Record decision").click()
    page.get_by_role("combobox", name="Decision").select_option(label="Hire / make an offer")
    page.get_by_label("Debugging unclear problems").check()
    page.get_by_label("Reasons, tied to competencies and evidence").fill(
        "Best debugging evidence of the four; bisected a leak across releases."
    )
    page.get_by_label("Dissenting views, one per line: “Name: their view”").fill(
        "Priya Nair: system design still thin"
    )
    page.get_by_role("textbox", name="Next step:", exact=True).fill("Offer call with Hana")
    page.get_by_label("Next step by").fill(soon().isoformat())
    # Others on the loop have still to submit for Jordan: a hire is confirmed as provisional.
    page.get_by_label("Decide on provisional scores", exact=False).check()
    assert_accessible(page)
    shots.take("decision-form")
    page.get_by_role("button", name="Record decision").click()
    expect(page.get_by_text("Decision recorded for Jordan Ellis.")).to_be_visible()
    application = Application.objects.get(candidate__full_name="Jordan Ellis", position=position)
    assert application.stage == Stage.OFFER
    assert application.decision.dissent == [
        {"person": "Priya Nair", "view": "system design still thin"}
    ]


def _fits_the_width(page: Page, width: int) -> None:
    """Nothing makes the page itself scroll sideways (tables scroll inside their box)."""
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("width", [1280, 390])
def test_missing_scorecards_notice_and_a_provisional_hire(
    page: Page, shots: Shots, width: int
) -> None:
    load_demo()
    from secondround.hiring.models import Position

    position = Position.objects.get(title="Senior software engineer")
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, "hana@kestrel.example")
    page.goto(f"/positions/{position.pk}/debrief/")
    notice = page.locator("#provisional")
    expect(notice).to_contain_text("Provisional: round-two scorecards are missing")
    expect(notice.locator("li", has_text="Jordan Ellis")).to_contain_text("still to submit")
    expect(notice.locator("li", has_text="Jordan Ellis")).to_contain_text(
        "Grace Liu"
    )  # the demo's interviewer still to write up
    table = page.locator("#finalists")
    jordan = table.locator("tr", has_text="Jordan Ellis")
    chance = jordan.locator("td.p-best")
    expect(chance).to_be_visible()
    expect(chance).not_to_have_text("100%")
    box = chance.bounding_box()
    assert box is not None and box["x"] + box["width"] <= width  # P(best) in view, no scrolling
    _fits_the_width(page, width)
    assert_accessible(page)
    shots.take(f"debrief-provisional-{width}")
    page.get_by_text("Interviewer context (for you only)").click()
    expect(page.locator("#leniency")).to_contain_text("than a typical colleague")
    page.locator("#leniency").screenshot(path=shots.folder / f"leniency-{width}.png")

    page.locator("form.weights").get_by_label("System design").fill("-5")
    expect(page.locator("#weight-errors")).to_contain_text("System design")
    shots.take(f"debrief-weight-refused-{width}")
    page.locator("form.weights").get_by_label("System design").fill("3")
    expect(page.locator("#weight-errors")).to_have_count(0)

    jordan.get_by_role("link", name="Record decision").click()
    expect(page.locator("#provisional")).to_contain_text("Still to submit")
    page.get_by_role("combobox", name="Decision").select_option(label="Hire / make an offer")
    page.get_by_label("Debugging unclear problems").check()
    page.get_by_label("Reasons, tied to competencies and evidence").fill(
        "Best debugging evidence of the four."
    )
    page.get_by_role("textbox", name="Next step:", exact=True).fill("Offer call with Hana")
    page.get_by_label("Next step by").fill(soon().isoformat())
    page.get_by_role("button", name="Record decision").click()
    expect(page.get_by_text("Confirm that you hire on them anyway")).to_be_visible()
    _fits_the_width(page, width)
    assert_accessible(page)
    shots.take(f"decision-needs-confirmation-{width}")
    page.get_by_label("Decide on provisional scores", exact=False).check()
    page.get_by_role("button", name="Record decision").click()
    expect(page.get_by_text("Decision recorded for Jordan Ellis.")).to_be_visible()
    expect(page.locator("#finalists tr", has_text="Jordan Ellis")).to_contain_text("provisional")
    shots.take(f"debrief-after-provisional-hire-{width}")
    application = Application.objects.get(candidate__full_name="Jordan Ellis", position=position)
    assert (
        application.decision.provisional and "Grace Liu" in application.decision.scorecards_missing
    )

    page.locator("#competency-matrix").get_by_role("link").first.click()
    expect(page.locator("#cell-detail")).to_contain_text("round")
    href = page.locator("#competency-matrix").get_by_role("link").first.get_attribute("href")
    page.goto(str(href))  # opened on its own: a whole page, styled, with a way back
    expect(page.get_by_role("heading", name="Every rating behind one score")).to_be_visible()
    expect(page.get_by_role("link", name="Debrief", exact=False)).to_be_visible()
    _fits_the_width(page, width)
    assert_accessible(page)
    shots.take(f"debrief-cell-page-{width}")
