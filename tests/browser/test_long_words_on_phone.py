"""Long unbroken words and tables with hidden labels do not push a page sideways on a phone.

A session title is free text (a German compound noun, a pasted link); the preparation links'
table scrolls inside itself, and its buttons' visually hidden labels must scroll with it.
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import Page

from secondround.hiring.models import Application
from secondround.prep import services as prep_services
from secondround.scheduling.models import ScheduledSession
from tests.browser.conftest import Shots, assert_accessible
from tests.browser.test_narrow_screens_and_csp import PHONE, WIDEST_ELEMENTS, log_in
from tests.demo_cache import load_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
LONG_WORD = "Systemarchitekturgesprächsvorbereitungsrundenabschlussbesprechung"


def page_width(page: Page) -> int:
    return int(page.evaluate("document.documentElement.scrollWidth"))


def test_long_titles_and_link_tables_fit_a_phone(page: Page, shots: Shots) -> None:
    load_demo()
    scheduled = ScheduledSession.objects.select_related("session", "application").first()
    assert scheduled is not None
    scheduled.session.title = LONG_WORD
    scheduled.session.save(update_fields=["title"])
    mateo = Application.objects.get(candidate__full_name="Mateo García")
    competency = mateo.position.competencies.first()
    assert competency is not None
    competency.description = competency.anchor_1 = LONG_WORD * 3
    competency.save(update_fields=["description", "anchor_1"])
    for _ in range(2):
        prep_services.create_invite_link(actor=mateo.position.hiring_manager, application=mateo)
    log_in(page, "hana@kestrel.example")
    page.set_viewport_size(PHONE)
    problems = []
    for name, url in [
        ("session", reverse("scheduling:session", args=[scheduled.pk])),
        ("prep-links", reverse("prep-links", args=[mateo.pk])),
        ("position", reverse("position", args=[mateo.position_id])),
    ]:
        page.goto(url)
        page.wait_for_load_state("networkidle")
        page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
        if page_width(page) > PHONE["width"]:
            problems.append(f"{url}: {page_width(page)} px by {page.evaluate(WIDEST_ELEMENTS)}")
        shots.take(f"long-words-{name}-phone")
    assert not problems, "\n".join(problems)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(reverse("scheduling:session", args=[scheduled.pk]))
    assert page.get_by_role("heading", level=1).inner_text().startswith(LONG_WORD[:20])
    assert_accessible(page)
    shots.take("long-words-session-desktop")
