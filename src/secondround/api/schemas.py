"""The JSON shapes of the API."""

from __future__ import annotations

from datetime import datetime

from ninja import Schema
from pydantic import ConfigDict, EmailStr, Field

from secondround.ids import Id
from secondround.limits import MOVE_REASON_MAX, POSITION_TEXT_MAX


class StrictSchema(Schema):
    """The base of every input shape: a field the API does not know is refused (422 naming
    it), never silently dropped, so a typo like "titel" cannot look like a successful change."""

    model_config = ConfigDict(extra="forbid")


class CompetencyIn(StrictSchema):
    name: str = Field(min_length=1, max_length=100)
    kind: str
    description: str = ""
    weight: int = Field(default=1, ge=1, le=5)
    must_have: bool = False
    anchors: list[str] = Field(min_length=5, max_length=5, description="Anchors for 1 … 5.")


class CompetencyPatch(StrictSchema):
    name: str | None = Field(default=None, min_length=1, max_length=100)
    kind: str | None = None
    description: str | None = None
    weight: int | None = Field(default=None, ge=1, le=5)
    must_have: bool | None = None
    anchors: list[str] | None = Field(default=None, min_length=5, max_length=5)


class CompetencyOut(Schema):
    id: int
    name: str
    kind: str
    description: str
    weight: int
    must_have: bool
    anchors: list[str]


class PositionIn(StrictSchema):
    template: str = Field(description="Role template slug, e.g. software-engineer.")
    title: str = ""
    department: str = ""


class PositionPatch(StrictSchema):
    title: str | None = Field(default=None, min_length=1, max_length=150)
    summary: str | None = Field(default=None, max_length=POSITION_TEXT_MAX)
    responsibilities: str | None = Field(default=None, max_length=POSITION_TEXT_MAX)
    expectations: str | None = Field(default=None, max_length=POSITION_TEXT_MAX)
    status: str | None = None
    share_scenario_brief: bool | None = None
    revision: str | None = Field(
        default=None,
        max_length=64,
        description="The `revision` read with the position: the change is refused (409) when "
        "someone changed the position since. Left out: the last change wins.",
    )


class PositionOut(Schema):
    id: int
    title: str
    department: str
    role_family: str
    status: str
    summary: str
    share_scenario_brief: bool
    hiring_manager: str
    competencies: list[CompetencyOut]
    revision: str = Field(description="Send it back with a change to refuse overwriting another.")


class CandidateIn(StrictSchema):
    full_name: str = Field(min_length=1, max_length=150)
    email: EmailStr
    phone: str = ""
    location: str = ""
    source: str = ""


class CandidatePatch(StrictSchema):
    full_name: str | None = Field(default=None, min_length=1, max_length=150)
    email: EmailStr | None = None
    phone: str | None = None
    location: str | None = None
    source: str | None = None


class CandidateOut(Schema):
    id: int
    full_name: str
    email: str
    phone: str
    location: str
    source: str


class ApplicationIn(StrictSchema):
    position_id: Id
    candidate: CandidateIn


class MoveIn(StrictSchema):
    stage: str
    reason: str = Field(default="", max_length=MOVE_REASON_MAX)


class StageMoveOut(Schema):
    from_stage: str
    to_stage: str
    moved_by: str | None
    moved_at: datetime
    reason: str


class ApplicationOut(Schema):
    id: int
    position_id: int
    candidate: CandidateOut
    stage: str = Field(description='"hidden" while the stage would reveal a decision to you')
    stage_changed_at: datetime | None
    hidden_moves: int = Field(0, description="moves hidden until you submit your scorecard")
    history: list[StageMoveOut]
