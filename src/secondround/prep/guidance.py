"""What a candidate is told, written for the candidate: research prompts, what each kind of
session is like, and questions worth asking. No Django models here; plain data and rules.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

# --- research checklist -----------------------------------------------------------------------

RESEARCH_ITEMS: tuple[tuple[str, object, object], ...] = (
    ("mission", _("The mission, in your own words"),
     _("Why does the company exist? Write one sentence you could say out loud, and one way your work connects to it.")),
    ("values", _("The values, and how they show day to day"),
     _("If the posting does not state them, look them up on the employer's website or careers page. For each value, note a moment from your own work that shows it. Interviewers often ask about values with “tell me about a time…”.")),
    ("products", _("What it offers, and to whom"),
     _("Who does the organisation serve (customers, patients, pupils, clients), and what does it offer them? Use its services or read its website if you can.")),
    ("news", _("Recent news to look up"),
     _("Search for the last six months: launches, funding, partnerships, leadership changes, press about its customers. Note one thing to ask about.")),
    ("people", _("The team and the people you will meet"),
     _("Look up the people you will meet and what the team has done recently. Note what you would like to learn from each.")),
    ("role", _("How you fit the role"),
     _("Go through the responsibilities and note which you have done before, with a specific example for each.")),
)  # fmt: skip
RESEARCH_KEYS = tuple(key for key, _label, _prompt in RESEARCH_ITEMS)

# --- what each kind of session is like (never the interviewers' own purpose text) -------------

SESSION_EXPECTATIONS: dict[str, object] = {
    "welcome": _(
        "A short welcome: the plan for the day, who you will meet, and practical questions."
    ),
    "deep_dive": _(
        "A conversation about your past work in depth: decisions you made, trade-offs, and how you think through a hard problem. Bring specific examples."
    ),
    "scenario": _(
        "A practical exercise built for this role. Every finalist gets the same brief; think out loud, and ask questions when something is unclear."
    ),
    "cross_department": _(
        "Colleagues from other departments ask how you work with people whose goals and language differ from yours."
    ),
    "values": _(
        "Future teammates talk about the company's mission and values and how they show day to day, and ask for examples from your past."
    ),
    "manager": _(
        "The hiring manager talks about leadership, handling pressure and what the first months in the role look like, and how success is measured."
    ),
    "candidate_questions": _(
        "Your time: ask your own questions about the role, the team, career progression and the company."
    ),
    "wrap_up": _(
        "A close: what happens next, when you will hear back, and how the day felt for you."
    ),
}

# --- questions to ask ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Suggestion:
    topic: str
    topic_label: str
    text: str
    why: str
    rank: float


TOPIC_LABELS: dict[str, object] = {
    "first_90_days": _("Success in the first 90 days"),
    "team": _("The team"),
    "values_day_to_day": _("Values in day-to-day work"),
    "challenges": _("The role's challenges"),
    "career_progression": _("Career progression"),
    "professional_development": _("Professional development"),
    "onboarding": _("How the company supports new people"),
    "leadership": _("Shaping direction"),
    "great_vs_good": _("What great looks like"),
    "next_steps": _("Next steps"),
}

# Words that show a company text already answers a topic.
ANSWER_CUES: dict[str, tuple[str, ...]] = {
    "career_progression": ("promotion", "career path", "career progression", "career ladder",
                           "progression", "levels", "track"),
    "professional_development": ("learning budget", "training budget", "conference",
                                 "professional development", "learning days", "courses"),
    "onboarding": ("onboarding", "buddy", "30-60-90", "mentor"),
}  # fmt: skip


def _sentence_with(text: str, cues: Sequence[str]) -> str:
    for sentence in re.split(r"(?<=[.!?])\s+|\n+", text):
        if any(cue in sentence.lower() for cue in cues):
            return sentence.strip(" -•*")
    return ""


def answered_topics(profile_answers: Mapping[str, str], company_text: str = "") -> dict[str, str]:
    """Topics the company has already answered, with what it said.

    ``profile_answers`` maps a topic to the company profile's own text on it (empty when the
    profile says nothing); ``company_text`` is free text (a job seeker's notes, a posting's
    benefits) searched for cue words.
    """
    answered = {topic: text.strip() for topic, text in profile_answers.items() if text.strip()}
    for topic, cues in ANSWER_CUES.items():
        if topic not in answered and company_text:
            sentence = _sentence_with(company_text, cues)
            if sentence:
                answered[topic] = sentence
    return answered


def suggested_questions(
    *,
    role_title: str,
    seniority: str,
    values: Sequence[str],
    answered: Mapping[str, str],
    already_listed: Sequence[str] = (),
) -> list[Suggestion]:
    """Questions worth asking, best first, minus topics the company already answered and
    questions the candidate already keeps in their list."""
    senior = seniority in ("senior", "lead", "principal")
    junior = seniority == "junior"
    value = values[0] if values else ""
    raw: list[tuple[str, str, str, float]] = [
        ("first_90_days",
         (str(_("What would success look like in the first 90 days as %(role)s, and how would we both know?")) % {"role": role_title}) if role_title else str(_("What would success look like in the first 90 days, and how would we both know?")),
         str(_("Shows you are already thinking about delivering, and tells you what they really expect.")), 0.95),
        ("team",
         str(_("Who would I work with most closely day to day, and how does the team decide what to work on next?")),
         str(_("You will spend most of your time with these people; their way of deciding shapes your work.")), 0.88),
        ("challenges",
         str(_("What is the biggest challenge the team faces this year, and how would this role help with it?")),
         str(_("Tells you what the job is really about, and lets you connect your stories to it.")), 0.84),
        ("values_day_to_day",
         (str(_("Can you give me an example of how “%(value)s” showed up in a recent decision the team made?")) % {"value": value})
         if value else str(_("Which of the company's values is hardest to live by day to day, and what does the team do about it?")),
         str(_("Values are easy to write down; an example shows whether they are lived.")), 0.82),
        ("career_progression",
         str(_("What does career progression look like from this role, and how are promotions decided?")),
         str(_("Tells you whether the path is written down and fair, and how people grow here.")), 0.76),
        ("professional_development",
         str(_("How does the company support professional development: time, budget, mentoring?")),
         str(_("Support for learning is a good sign of how the company invests in people.")), 0.74 + (0.15 if junior else 0)),
        ("onboarding",
         str(_("How do new people get up to speed here? Is there a plan for the first weeks?")),
         str(_("A clear start makes the first months much easier.")), 0.6 + (0.2 if junior else 0)),
        ("great_vs_good",
         str(_("What distinguishes someone who is good in this role from someone who is great?")),
         str(_("Tells you where the bar is and what they value most.")), 0.66),
        ("next_steps",
         str(_("What are the next steps after today, and when can I expect to hear back?")),
         str(_("So you are not left waiting and wondering.")), 0.5),
    ]  # fmt: skip
    if senior:
        raw.append(
            ("leadership",
             str(_("How much room would this role have to shape the team's direction and grow other people?")),
             str(_("At this level you will be expected to lead; ask how much room there is.")), 0.8 + (0.1 if seniority != "senior" else 0)),
        )  # fmt: skip
    listed = {q.strip().lower() for q in already_listed}
    suggestions = [
        Suggestion(topic, str(TOPIC_LABELS[topic]), text, why, rank)
        for topic, text, why, rank in raw
        if topic not in answered and text.strip().lower() not in listed
    ]
    return sorted(suggestions, key=lambda s: -s.rank)
