"""Reads for feedback letters: the evidence a draft starts from, and who may see what.

The hiring team edits and approves a letter; under the independence rule a team member who
may not yet see round-two ratings may not see the letter built from them either. The
candidate sees only approved versions (``approved_letter``), through their private link.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from secondround.accounts.models import User
from secondround.debrief.models import Decision, DecisionKind
from secondround.feedback.drafting import Evidence, draft_sections
from secondround.feedback.models import FeedbackLetter, LetterVersion
from secondround.hiring.models import Application, Competency
from secondround.hiring.selectors import get_visible_application, require_manager
from secondround.revisions import revision_of
from secondround.scorecards.models import Rating, ScorecardStatus
from secondround.scorecards.selectors import can_see_round_two_ratings

ROUND_TWO = 2


def shareable_evidence(application: Application) -> list[Evidence]:
    """Submitted round-two notes on this finalist, as plain data: no rater, no scorecard."""
    ratings = Rating.objects.filter(
        scorecard__application=application,
        scorecard__round=ROUND_TWO,
        scorecard__status=ScorecardStatus.SUBMITTED,
        shareable=True,
    ).select_related("competency")
    return [
        Evidence(
            competency=r.competency.name,
            note=r.notes,
            shareable=r.shareable,
            rating=r.rating,
            concern=r.concern,
        )
        for r in ratings.order_by("competency__order", "competency_id", "pk")
    ]


def competencies(application: Application) -> list[Competency]:
    return list(application.position.competencies.order_by("order", "pk"))


def drafted_content(application: Application) -> dict[str, Any]:
    """A first draft: a greeting, a section per competency with shareable evidence, a close."""
    names = [c.name for c in competencies(application)]
    sections = draft_sections(names, shareable_evidence(application))
    first_name = application.candidate.full_name.split(" ")[0]
    return {
        "opening": _(
            "Dear %(name)s,\n\nThank you for the time you spent with us in the interviews for "
            "%(position)s. Here is what our interviewers observed, skill by skill: what went "
            "well, and what would have made your answers stronger."
        )
        % {"name": first_name, "position": application.position.title},
        "sections": [
            {"competency": s.competency, "went_well": s.went_well, "stronger": s.stronger}
            for s in sections
        ],
        "closing": _(
            "We hope this helps in your next steps, and we wish you all the best.\n\n"
            "Kind regards,\n%(team)s"
        )
        % {"team": application.position.title + " " + _("hiring team")},
    }


# The decisions a letter goes out with: the candidate's outcome is known. "Another
# conversation" and "on hold" are not outcomes (the candidate's page says one more
# conversation is coming, or that the team is still deciding).
FINAL_DECISIONS = (DecisionKind.HIRE, DecisionKind.REJECT)


def approval_refusal(application: Application) -> str | None:
    """Why the letter cannot be approved yet, or None: it needs a final decision recorded."""
    decided = Decision.objects.filter(application=application).first()
    if decided is None:
        return _("Record the decision first: the letter goes out with the outcome.")
    if decided.decision not in FINAL_DECISIONS:
        return _(
            "The recorded decision is “%(decision)s”: a feedback letter goes out with the "
            "final outcome, hire or reject. Record that in the debrief first."
        ) % {"decision": decided.get_decision_display()}
    return None


@dataclass(frozen=True)
class LetterEditor:
    application: Application
    content: dict[str, Any]  # the saved draft, or a fresh one from the evidence
    saved: bool  # False while the draft shown was built now and not yet saved
    versions: list[LetterVersion]
    waiting: str  # why it cannot be approved yet (no final decision), or ""
    revision: str  # what the editor was opened at (secondround.revisions)

    @property
    def approved(self) -> LetterVersion | None:
        return self.versions[0] if self.versions else None

    @property
    def draft_differs(self) -> bool:
        return self.approved is None or self.approved.content() != self.content


def require_letter_editor(user: User, application: Application) -> None:
    """The hiring team, and only once they may see the round-two ratings it rests on."""
    require_manager(user, application.position)
    if not can_see_round_two_ratings(user, application):
        raise PermissionDenied(_("Submit your own scorecard for this finalist first."))


def letter_editor(user: User, application_id: int) -> LetterEditor:
    """Application.DoesNotExist when not visible; PermissionDenied when not the team's to edit."""
    application = get_visible_application(user, application_id)
    require_letter_editor(user, application)
    letter = FeedbackLetter.objects.filter(application=application).first()
    versions = list(letter.versions.select_related("approved_by")) if letter else []
    return LetterEditor(
        application=application,
        content=letter.content() if letter else drafted_content(application),
        saved=letter is not None,
        versions=versions,
        waiting=approval_refusal(application) or "",
        revision=revision_of(letter.updated_at if letter else None),
    )


def approved_letter(application: Application) -> LetterVersion | None:
    """What the candidate reads: the newest approved version, if any."""
    return LetterVersion.objects.filter(letter__application=application).first()
