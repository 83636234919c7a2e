"""Defects found by a new-user trial of the posting reader (garbage, lead-in headings,
invented values, a posting pasted twice)."""

from __future__ import annotations

import random

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from secondround.engines.posting import (
    PostingError,
    family_profiles,
    parse_posting,
    require_posting_words,
)
from secondround.hiring.role_templates import role_templates
from secondround.prep import services
from secondround.prep.models import PrepKit
from tests.demo_cache import load_demo

FAMILIES = family_profiles(role_templates())
_MIXED = (
    "abcdefghijklmnopqrstuvwxyzéèàüößçñ" + "абвгдежзийклмн" + "日本語中文字漢" + "😀🎉🚀💼🔥"
    + "!?.,;:-_()[]{}#@%&*/\\\"'" + "0123456789" + "     \n"
)  # fmt: skip


def _garbage(seed: int, alphabet: str = _MIXED) -> str:
    rng = random.Random(seed)
    return "".join(rng.choice(alphabet) for _ in range(3000))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_characters_are_refused_on_the_posting_field(db: None, seed: int) -> None:
    with pytest.raises(ValidationError) as refused:
        services.create_posting_kit(posting_text=_garbage(seed), owner=None)
    assert "too few real words" in str(refused.value.message_dict["posting_text"])
    assert not PrepKit.objects.exists()


def test_random_latin_letters_and_spaces_are_refused() -> None:
    letters = "abcdefghijklmnopqrstuvwxyzéè" + "    "
    with pytest.raises(PostingError, match="too few real words"):
        require_posting_words(_garbage(4, letters), FAMILIES)


@pytest.mark.parametrize(
    "text",
    [
        "Barista wanted\nWeekends, good pay.",
        "Support hero\n- Answer tickets\n- Fix customer problems\n",
        "We are hiring a Data Engineer. You would build and run our pipelines in Python and SQL.",
    ],
)
def test_short_and_prose_postings_read_as_postings(text: str) -> None:
    require_posting_words(text, FAMILIES)  # does not raise


def test_every_corpus_posting_reads_as_a_posting() -> None:
    from benchmarks.postings import load_corpus

    for posting in load_corpus():
        require_posting_words(posting.text, FAMILIES)


TEACHER = """Teacher of Mathematics
Oakfield Academy

The successful candidate will:
- Plan and teach engaging maths lessons across Key Stages 3 and 4
- Mark work and give clear feedback to pupils
- Work with the head of department on the scheme of work

You will have:
- Qualified Teacher Status
- A degree in mathematics or a related subject

Interviews will include a 30-minute observed lesson.
"""


def test_lead_in_headings_and_interview_sentences_are_recognised() -> None:
    parsed = parse_posting(TEACHER, families=FAMILIES)
    assert parsed.responsibilities[0].startswith("Plan and teach engaging maths")
    assert len(parsed.responsibilities) == 3
    assert parsed.requirements == (
        "Qualified Teacher Status",
        "A degree in mathematics or a related subject",
    )
    assert parsed.interview_steps == ("Interviews will include a 30-minute observed lesson.",)


def test_values_words_used_in_passing_are_not_values() -> None:
    text = (
        "Staff Nurse\nResponsibilities\n- Deliver patient care on a busy ward\n"
        "- Keep quality records and support learning of students\n"
    )
    assert parse_posting(text, families=FAMILIES).values_words == ()


def test_values_the_posting_states_are_kept() -> None:
    text = "Staff Nurse\nResponsibilities\n- Deliver care\nWe value kindness and honesty."
    assert parse_posting(text, families=FAMILIES).values_words == ("honesty", "kindness")


def test_a_posting_pasted_twice_lists_each_item_once() -> None:
    once = parse_posting(TEACHER, families=FAMILIES)
    twice = parse_posting(TEACHER + "\n" + TEACHER, families=FAMILIES)
    assert twice.responsibilities == once.responsibilities
    assert len(set(twice.requirements)) == len(twice.requirements)
    assert twice.interview_steps == once.interview_steps


# --- the kit page ---------------------------------------------------------------------------


def _kit_page(text: str) -> tuple[PrepKit, str]:
    client = Client()
    response = client.post(reverse("prep-home"), {"posting_text": text})
    assert response.status_code == 302, response.content.decode()[:500]
    return PrepKit.objects.latest("created_at"), client.get(response["Location"]).content.decode()


def test_a_front_line_title_alone_gets_no_manager_family(db: None) -> None:
    kit, page = _kit_page("Barista wanted\nWeekends, good pay.")
    assert kit.parsed["role_family"] == ""
    assert "None of the role families we know fits" in page
    assert "P&amp;L" not in page and "rota" not in page.lower()


def test_template_duties_are_labelled_as_typical_not_the_postings(db: None) -> None:
    kit, page = _kit_page("Restaurant Manager\nWeekends, good pay.")
    assert kit.parsed["role_family"] == "restaurant-manager"
    assert "What this kind of role usually involves" in page
    assert ">Responsibilities<" not in page


def test_research_address_opened_by_get_goes_to_the_kit(db: None) -> None:
    client = Client()
    response = client.post(reverse("prep-home"), {"posting_text": TEACHER})
    kit = PrepKit.objects.get()
    research = client.get(reverse("prep-research", args=[kit.public_id]))
    assert research.status_code == 302
    assert research["Location"] == response["Location"] + "#research"


def test_research_checklist_is_role_neutral(db: None) -> None:
    _kit, page = _kit_page(TEACHER)
    assert "Try the product" not in page and "shipped" not in page
    assert "patients, pupils" in page


def test_without_stated_values_the_checklist_asks_to_look_them_up(db: None) -> None:
    kit, page = _kit_page(TEACHER)
    assert kit.parsed["values_words"] == []
    assert "look them up on the employer" in page


def test_the_invitation_intro_promises_no_hidden_anchors(db: None) -> None:
    from secondround.accounts.models import User
    from secondround.hiring.models import Position

    load_demo()
    position = Position.objects.get(title="Senior software engineer")
    jordan = position.applications.get(candidate__full_name="Jordan Ellis")
    rita = User.objects.get(email="rita@kestrel.example")
    _link, token = services.create_invite_link(actor=rita, application=jordan)
    candidate = Client()
    page = candidate.get(
        candidate.get(reverse("prep-invitation", args=[token]) + "?to=kit")["Location"]
    )
    about = page.content.decode().split('id="h-about"')[1].split("</section>")[0]
    assert "what good looks like" not in about
    assert "What good looks like" not in page.content.decode()  # the anchors stay hidden
