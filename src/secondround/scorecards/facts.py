"""The scorecard facts loops declares it needs (`loops/scorecard_facts.py`), answered here.

Loops sits below scorecards, so it cannot import these reads; the scorecards app plugs
this object in at start-up (`apps.py`) and each answer is one query.
"""

from __future__ import annotations

from django.db.models import Count, Q

from secondround.hiring.models import Position
from secondround.loops.models import LoopPlan
from secondround.loops.scorecard_facts import OpenDraft, RoundOneRating, Written
from secondround.scorecards.models import Scorecard, ScorecardStatus
from secondround.scorecards.selectors import round_one_ratings


class ScorecardFactsFromDatabase:
    def round_one_ratings(self, position: Position) -> list[RoundOneRating]:
        return [
            RoundOneRating(
                application_id=r.scorecard.application_id,
                candidate_email=r.scorecard.application.candidate.email,
                interviewer_id=r.scorecard.interviewer_id,
                interviewer_name=r.scorecard.interviewer.full_name,
                competency_id=r.competency_id,
                competency_name=r.competency.name,
                rating=r.rating,
                confidence=r.confidence,
                notes=r.notes,
                concern=r.concern,
            )
            for r in round_one_ratings(position).order_by("pk")
        ]

    def written_by_seat(self, plan: LoopPlan) -> dict[tuple[int, int], Written]:
        rows = (
            Scorecard.objects.filter(round=Scorecard.Round.TWO, session__plan=plan)
            .values("session_id", "interviewer_id")
            .annotate(
                total=Count("pk"),
                submitted=Count("pk", filter=Q(status=ScorecardStatus.SUBMITTED)),
            )
        )
        return {
            (r["session_id"], r["interviewer_id"]): Written(r["total"], r["submitted"])
            for r in rows
        }

    def sessions_with_scorecards(self, plan: LoopPlan) -> set[int]:
        return set(
            Scorecard.objects.filter(session__plan=plan)
            .values_list("session_id", flat=True)
            .distinct()
        )

    def open_drafts(self, interviewer_id: int) -> list[OpenDraft]:
        rows = Scorecard.objects.filter(
            round=Scorecard.Round.TWO, interviewer_id=interviewer_id, session__isnull=False
        ).exclude(status=ScorecardStatus.SUBMITTED)
        return [
            OpenDraft(pk, session_id, application_id)
            for pk, session_id, application_id in rows.values_list(
                "pk", "session_id", "application_id"
            )
        ]
