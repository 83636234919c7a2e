"""The demo's survey answers, so the results page shows both sides of the five-response rule.

Last year's position ("Backend engineer (2025)", every decision made): all twelve past
candidates answered after the interviews (shown, and per interviewer some shown and some
"fewer than 5"), four answered after the outcome ("fewer than 5"). Mateo García answered
after his loop on the current engineering position, whose results stay hidden from its
hiring team until every finalist's decision is recorded.

Mateo's answer goes through the real service. Last year's answers are history written as
rows: that position's round two ran before secondround kept its conversations (the demo
holds only its round-one scorecards, for the leniency history), and the service opens the
survey only once a round-two conversation here took place (``open_moments``).
"""

from __future__ import annotations

from secondround.hiring.models import Application
from secondround.surveys.models import STATEMENT_KEYS, SurveyMoment, SurveyResponse
from secondround.surveys.services import submit_survey

PAST_POSITION = "Backend engineer (2025)"
COMMENTS = {
    1: "Clear questions and a friendly panel; the day ran late in the afternoon.",
    4: "I would have liked to hear sooner how the process continues.",
    7: "The scenario was realistic and the interviewers knew my CV.",
}


def _answers(number: int) -> dict[str, object]:
    # A fixed spread instead of randomness: the same demo every time.
    return {key: 2 + (number * 3 + offset) % 4 for offset, key in enumerate(STATEMENT_KEYS)}


def load_demo() -> None:
    past = Application.objects.filter(position__title=PAST_POSITION).order_by("pk")
    for number, application in enumerate(past, start=1):
        moments = [SurveyMoment.AFTER_LOOP] + ([SurveyMoment.AFTER_OUTCOME] if number <= 4 else [])
        for moment in moments:
            SurveyResponse.objects.create(
                application=application, moment=moment, recommend=4 + number % 7,
                comment=COMMENTS.get(number, ""), **_answers(number),
            )  # fmt: skip
    mateo = Application.objects.get(candidate__full_name="Mateo García")
    submit_survey(
        application=mateo, moment=SurveyMoment.AFTER_LOOP, answers=_answers(0), recommend=7,
        comment="Well organised; one interviewer had not read my round-one notes.",
    )  # fmt: skip
