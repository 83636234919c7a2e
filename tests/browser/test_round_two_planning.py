"""A hiring manager plans round two from round one, clicked through in Chromium."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from secondround import demo
from tests.browser.conftest import Shots, assert_accessible
from tests.browser.test_hiring_manager_flow import log_in

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
    demo.load()
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
    expect(page.locator("#checks")).to_contain_text("one_session")
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
