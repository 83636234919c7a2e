"""The goal shapes the labelling guide names since the label audit (issue #14):
own deadlines, requirements, time given, self-set goals, someone's want for the
speaker's work, explicit responsibility; and the guide's negatives that must not
take them on."""

from __future__ import annotations

import pytest

from secondround.engines.answers import analyze_answer, task_frames


def _frames(sentence: str) -> set[str]:
    return {name.removeprefix("frame:") for name in task_frames(sentence)}


@pytest.mark.parametrize(
    ("sentence", "frame", "family"),
    [
        ("The board pack was due Thursday.", "own_deadline", "bound"),
        ("Payroll file, due on the 28th", "own_deadline", "bound"),
        ("We were working to a Wednesday deadline.", "own_deadline", "bound"),
        ("The quote had to go out by 4 p.m.", "own_deadline", "bound"),
        ("The go-live date was fixed by the client.", "own_deadline", "bound"),
        ("The new policy required a risk check on every order.", "requirement", "obligation"),
        ("Python was a must for the role.", "requirement", "obligation"),
        ("A decision was needed before the audit.", "requirement", "obligation"),
        ("The contract says we must reply inside a day.", "requirement", "obligation"),
        ("We were given three days to move the whole archive.", "time_to_do", "obligation"),
        ("The exhibition moved at two weeks' notice.", "time_to_do", "obligation"),
        ("In my thirties I decided to learn Spanish properly.", "self_set_goal", "goal"),
        ("We set out to win back the council contract.", "self_set_goal", "goal"),
        ("I, um, wanted to pass the exam first time.", "self_set_goal", "goal"),
        ("My manager wanted the rota done by Friday.", "want_for_work", "assignment"),
        ("The landlord wants the flat ready in ten days.", "want_for_work", "assignment"),
        ("Operations expected it under two minutes.", "want_for_work", "assignment"),
        ("At the shop I was the one who counts the till.", "the_one_who", "ownership"),
        ("I was the only person left running payroll.", "the_one_who", "ownership"),
        (
            "After the merger I assumed responsibility for both warehouses.",
            "the_one_who",
            "ownership",
        ),
        ("I was invited to chair the safety group.", "requested", "assignment"),
    ],
)
def test_the_guides_goal_shapes_are_frames_of_their_family(
    sentence: str, frame: str, family: str
) -> None:
    frames = _frames(sentence)
    assert frame in frames
    assert f"family_{family}" in frames


@pytest.mark.parametrize(
    ("sentence", "frame"),
    [
        # a reduction by a share is a change, not a deadline
        ("We cut the waiting list by 30%.", "own_deadline"),
        # a person's need is the situation (the guide), not a requirement
        ("The customer needed a refund before the weekend.", "requirement"),
        ("It met the required standard.", "requirement"),
        # a decision that is a step, not a goal ("decided to" + a verb of doing)
        ("I decided to call the customer back.", "self_set_goal"),
        ("We decided to phone every supplier.", "self_set_goal"),
        # someone else's want that is not for the speaker's work
        ("The customer wanted to speak to a manager.", "want_for_work"),
        # a job that only places the speaker, and a responsibility only implied
        ("I was one of five nurses on the ward.", "the_one_who"),
        ("I took over the team in May.", "the_one_who"),
    ],
)
def test_the_new_shapes_do_not_fire_on_the_guides_negatives(sentence: str, frame: str) -> None:
    assert frame not in _frames(sentence)


def test_a_background_obligation_of_others_takes_no_new_shape() -> None:
    new = {"own_deadline", "requirement", "time_to_do", "self_set_goal"}
    new |= {"want_for_work", "the_one_who"}
    assert not new & _frames("Customers had to go through four menus to reach anyone.")
    assert not new & _frames("I was asked to backdate the invoices, and I said no.")
    assert not new & _frames("I always plan my week on a Sunday evening.")


@pytest.mark.parametrize(
    ("answer", "has_task"),
    [
        # an own deadline and an explicit responsibility: task (the guide's resolutions)
        (
            "Last March our quarterly safety report was due to the board on the 31st. I "
            "collected the incident logs, wrote the summary and checked it with the ward "
            "managers. The board signed it off on time.",
            True,
        ),
        (
            "At my last shop I was the one who counted the till at closing. One night it was "
            "200 euros short. I went through the receipts and found a refund rung up twice. "
            "The manager corrected it the next day.",
            True,
        ),
        # a customer's need is the situation; a habit is no story at all
        (
            "Last summer a customer needed a refund before her flight. I checked the booking, "
            "found the double charge and issued the refund within the hour. She thanked us "
            "in a review.",
            False,
        ),
        (
            "I always plan my week on a Sunday evening and I keep a list of every deadline. "
            "I usually finish my reports a day early.",
            False,
        ),
    ],
)
def test_the_shipped_model_follows_the_guide_on_deadlines_needs_and_habits(
    answer: str, has_task: bool
) -> None:
    assert analyze_answer(answer).star["task"].present is has_task
