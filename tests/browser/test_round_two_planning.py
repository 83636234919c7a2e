"""A hiring manager plans round two from round one, clicked through in Chromium."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from secondround.loops.models import LoopPlan
from secondround.scheduling.models import ScheduledSession
from tests.browser.conftest import Shots, assert_accessible
from tests.browser.test_hiring_manager_flow import log_in
from tests.demo_cache import load_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROUND_ONE = """candidate_email,interviewer_email,competency,rating,confidence,notes,concern
chloe.martin@mail.example,mei@kestrel.example,Product metrics,4,4,"Defined activation for a scheduling product and how she'd instrument it.",no
chloe.martin@mail.example,ben@kestrel.example,Product metrics,2,3,"Could not say which metric she would trade off against bookings.",no
chloe.martin@mail.example,mei@kestrel.example,Customer discovery,5,5,"Ran 30 clinic interviews and changed the roadmap because of them.",no
kwame.mensah@mail.example,mei@kestrel.example,Trade-offs and priorities,3,1,"Ran out of time.",no
kwame.mensah@mail.example,ben@kestrel.example,Customer discovery,4,4,"Sat with front-desk staff for a week before writing a spec.",no
elena.petrova@mail.example,ben@kestrel.example,Acts on company values,3,3,"Blamed engineering for a missed launch in front of a customer.",yes
ravi.shah@mail.example,mei@kestrel.example,Product metrics,NA,,,no
"""


def test_import_plan_swap_and_open_a_kit(page: Page, shots: Shots, tmp_path: Path) -> None:
    load_demo()
    # The demo ships product's loop planned and booked (scheduling); this test plans it afresh,
    # so the bookings go first (a booked loop refuses to be deleted under them).
    product = "Product manager, scheduling"
    ScheduledSession.objects.filter(application__position__title=product).delete()
    LoopPlan.objects.filter(position__title=product).delete()
    log_in(page, "luis@kestrel.example")
    page.get_by_role("link", name="Product manager, scheduling").first.click()
    page.get_by_role("link", name="Plan round two").click()
    expect(page.get_by_role("heading", name="Round two", exact=True)).to_be_visible()

    page.get_by_role("link", name="Import round-one ratings").click()
    bad = tmp_path / "bad.csv"
    bad.write_text(ROUND_ONE.replace("Product metrics,4,4", "Product metrics,8,4"))
    page.get_by_label("Round-one ratings (CSV or JSON)").set_input_files(str(bad))
    page.get_by_role("button", name="Import").click()
    expect(page.locator("#import-problems")).to_contain_text("line 2, column rating: 8 is outside")
    assert_accessible(page)
    shots.take("import-refused")

    good = tmp_path / "round-one.csv"
    good.write_text(ROUND_ONE)
    page.get_by_label("Round-one ratings (CSV or JSON)").set_input_files(str(good))
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_text("Imported 7 ratings: 7 new")).to_be_visible()
    matrix = page.locator("#gap-matrix")
    expect(matrix).to_contain_text("Chloé Martin")
    expect(matrix.locator("td.gap-high").first).to_be_visible()
    assert_accessible(page)
    shots.take("gap-matrix")

    page.get_by_label("Time budget for the whole loop (minutes)").fill("330")
    page.get_by_role("button", name="Propose a loop").click()
    expect(page.locator("#checks-ok")).to_be_visible()
    expect(page.locator("#coverage-matrix")).to_contain_text("Product metrics")
    assert_accessible(page)
    shots.take("proposed-loop")

    # Put the hiring manager in a second session: the one-session rule must now fail.
    deep_dive = page.locator("li.session", has_text="Role deep dive")
    deep_dive.get_by_role("combobox").first.select_option(label="Luis Romero (Product)")
    deep_dive.get_by_role("button", name="Swap").first.click()
    expect(page.locator("#checks")).to_contain_text("One session each")
    expect(page.locator("#checks")).not_to_contain_text("one_session")
    shots.take("swap-rechecked")

    page.get_by_role("button", name="Propose again").click()
    expect(page.locator("#checks-ok")).to_be_visible()
    page.get_by_role("button", name="Accept this loop").click()
    expect(page.get_by_text("Loop accepted.")).to_be_visible()

    items = page.locator("#items")
    items.get_by_role("link", name="Luis · Conversation with the hiring manager").first.click()
    expect(page.get_by_role("heading", name="Open from round one for Chloé Martin")).to_be_visible()
    assert_accessible(page)
    shots.take("kit")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download PDF").click()
    pdf = tmp_path / "kit.pdf"
    download.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")


def narrow(page: Page) -> None:
    page.set_viewport_size({"width": 390, "height": 844})


def wide(page: Page) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})


def test_replanning_an_accepted_loop_shows_the_changes_and_keeps_seats_with_scorecards(
    page: Page, shots: Shots
) -> None:
    load_demo()
    log_in(page, "hana@kestrel.example")
    page.get_by_role("link", name="Senior software engineer").first.click()
    page.get_by_role("link", name="Plan round two").click()
    plan = page.locator("#plan")
    kept_seats = plan.locator(".seat-kept")
    expect(kept_seats.first).to_contain_text("the seat stays theirs")
    kept_before = kept_seats.all_inner_texts()
    assert len(kept_before) >= 5

    # A gap reason opens on click/tap (and Enter), not only on hover.
    reason = page.locator("#gap-matrix details.gap-reason").first
    reason.locator("summary").click()
    expect(reason.locator("p")).to_be_visible()
    shots.take("gap-reason-open")

    # Grace has written nothing yet: narrow her focus by hand, so proposing again has
    # something to put right besides the seats it must keep.
    plan.get_by_role("link", name="change the focus of Grace Liu").click()
    page.get_by_label("Code quality and testing").uncheck()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Focus competencies saved")).to_be_visible()

    page.get_by_label("Time budget for the whole loop (minutes)").fill("200")
    page.get_by_role("button", name="Propose again").click()
    expect(page.get_by_role("heading", name="Propose the accepted loop again?")).to_be_visible()
    expect(page.locator("#replan-changes")).to_contain_text(
        "Grace Liu in “Role deep dive” changes focus: System design → System design, "
        "Code quality and testing"
    )
    expect(page.locator("#replan-changes")).to_contain_text("The time budget becomes 200 minutes")
    expect(page.locator("#replan-kept li")).to_have_count(len(kept_before))
    expect(page.locator("#replan-kept")).to_contain_text("submitted")
    expect(page.locator("#replan-budget")).to_contain_text("cannot fit in 200 minutes")
    expect(page.get_by_role("heading", name="What would change")).to_be_visible()
    assert_accessible(page)
    shots.take("replan-confirmation")
    narrow(page)
    shots.take("replan-confirmation-390px")
    wide(page)

    # Cancelling changes nothing.
    page.get_by_role("link", name="Keep the loop as it is").click()
    expect(plan.locator(".badge").first).to_have_text("Accepted")
    assert plan.locator(".seat-kept").all_inner_texts() == kept_before

    page.get_by_label("Time budget for the whole loop (minutes)").fill("200")
    page.get_by_role("button", name="Propose again").click()
    page.get_by_role("button", name="Make these changes").click()
    expect(page.get_by_text("The changes are made; the loop stays accepted.")).to_be_visible()
    expect(plan.locator("ul.seats > li", has_text="Interviewer (Grace Liu)")).to_contain_text(
        "Code quality and testing"
    )
    expect(plan.locator(".badge").first).to_have_text("Accepted")
    assert plan.locator(".seat-kept").all_inner_texts() == kept_before
    assert_accessible(page)
    shots.take("replanned-loop")
    narrow(page)
    shots.take("replanned-loop-390px")
    assert page.locator("ul.seats select option", has_text="· recruiter").count() > 0
    assert cut_off_choices(page) == []
    wide(page)


# Each seat picker's choices, each selected in turn: those wider than the picker shows.
CUT_OFF_CHOICES = """() => Array.from(document.querySelectorAll("ul.seats select")).flatMap(s => {
  const kept = s.selectedIndex, cut = [];
  for (let i = 0; i < s.options.length; i++) {
    s.selectedIndex = i;
    if (s.scrollWidth > s.clientWidth) cut.push(s.options[i].text);
  }
  s.selectedIndex = kept;
  return cut; })"""


def cut_off_choices(page: Page) -> list[str]:
    """The seat pickers' choices cut off at the current width (a phone's, 390 px)."""
    return sorted(set(page.evaluate(CUT_OFF_CHOICES)))


def test_hiring_manager_records_who_may_rate_what(page: Page, shots: Shots) -> None:
    load_demo()
    log_in(page, "hana@kestrel.example")
    page.get_by_role("link", name="Senior software engineer").first.click()
    page.get_by_role("link", name="Plan round two").click()
    page.get_by_role("link", name="Who may rate what").click()
    matrix = page.locator("#qualified-matrix")
    nurse = matrix.locator("tr", has_text="Inês Costa")
    expect(nurse.locator("td.qualified-yes")).to_have_count(2)  # values and collaboration only
    assert_accessible(page)
    shots.take("qualifications-matrix")
    narrow(page)
    shots.take("qualifications-matrix-390px")
    wide(page)

    nurse.get_by_role("link", name="Edit what Inês may rate").click()
    page.get_by_label("Senior software engineer: Calm under incident pressure").check()
    assert_accessible(page)
    shots.take("qualifications-edit")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Saved what Inês Costa may rate.")).to_be_visible()
    expect(matrix.locator("tr", has_text="Inês Costa").locator("td.qualified-yes")).to_have_count(3)
