"""Reads for the candidate's side. Every read is scoped to the person holding the kit.

Who sees a kit:
- a posting kit: its owner (a signed-in user), or whoever holds its secret key in their
  browser session (a job seeker without an account);
- an invitation kit: whoever opened a still-active invitation link for its application (the
  link is checked again on every request, so revoking or expiry takes effect at once).
Anyone else gets 404. The hiring team manages links for positions they manage.

What a candidate sees of the real position is assembled here, field by field, from a short
allow-list: never ratings, scorecards, clarification items, notes, rubrics, "watch for"
lists, scoring anchors as a scale, weights, or the interviewers' own session purposes.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from secondround.accounts.models import User
from secondround.engines.answers import OFF_TOPIC_RELEVANCE, spoken_duration
from secondround.engines.posting import parse_posting, terms
from secondround.hiring.models import Application, CompetencyKind, Position, Stage
from secondround.hiring.role_templates import role_templates
from secondround.hiring.selectors import company_profile, require_manager
from secondround.loops.models import (
    ClarificationItem,
    LoopPlan,
    PlanStatus,
    Seat,
    SessionQuestion,
)
from secondround.prep import guidance
from secondround.prep.models import (
    InviteLink,
    KitSource,
    PracticeAttempt,
    PrepKit,
    Story,
    StoryKind,
)
from secondround.prep.posting_kit import (
    SKILLS_COMPETENCY,
    posting_competencies,
    step_minutes,
    step_title,
)
from secondround.questions.models import Question, QuestionType
from secondround.questions.selectors import scenarios_for, search_questions

# Applications whose candidate may still use a link (the name is kept for other apps).
LINK_STAGES = Stage.past_round_one()


def token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class LinkRefused(Exception):
    """An invitation link that exists but may not be used (expired, revoked, closed)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason  # "expired", "revoked" or "closed"


def link_refusal(link: InviteLink) -> str | None:
    """Why a link may not be used now, or None when it may."""
    if link.revoked_at is not None:
        return "revoked"
    if link.expires_at <= timezone.now():
        return "expired"
    if link.application.stage not in LINK_STAGES:
        return "closed"
    return None


def link_for_token(token: str) -> InviteLink:
    """The link a token opens; InviteLink.DoesNotExist for an unknown token."""
    return InviteLink.objects.select_related("application__position").get(
        token_hash=token_hash(token)
    )


# --- access -----------------------------------------------------------------------------------

Grants = Mapping[str, Mapping[str, Any]]  # {kit public id: {"key": secret} or {"link": pk}}


def kit_for(*, user: User | None, grants: Grants, public_id: str) -> PrepKit:
    """The kit, if this person may open it.

    Raises PrepKit.DoesNotExist when they may not (or it does not exist), and LinkRefused
    when the invitation link that gave access has since expired or been revoked.
    """
    kit = PrepKit.objects.select_related("application__position__department", "owner").get(
        public_id=public_id
    )
    if user is not None and kit.owner_id is not None and kit.owner_id == user.pk:
        return kit
    grant = grants.get(str(kit.public_id)) or {}
    if kit.source == KitSource.POSTING:
        key = grant.get("key")
        if isinstance(key, str) and kit.access_hash and token_hash(key) == kit.access_hash:
            return kit
        raise PrepKit.DoesNotExist
    link_pk = grant.get("link")
    link = (
        InviteLink.objects.select_related("application")
        .filter(pk=link_pk, application_id=kit.application_id)
        .first()
        if isinstance(link_pk, int) and kit.application_id is not None
        else None
    )
    if link is None:
        raise PrepKit.DoesNotExist
    reason = link_refusal(link)
    if reason:
        raise LinkRefused(reason)
    return kit


def my_kits(*, user: User | None, grants: Grants) -> list[PrepKit]:
    """Kits this person can open now: their own, and those held in their session."""
    kits: dict[int, PrepKit] = {}
    if user is not None:
        for kit in PrepKit.objects.filter(owner=user).select_related("application__position"):
            kits[kit.pk] = kit
    for public_id in grants:
        try:
            kit = kit_for(user=user, grants=grants, public_id=public_id)
        except (PrepKit.DoesNotExist, LinkRefused, ValueError):
            continue
        kits[kit.pk] = kit
    return sorted(kits.values(), key=lambda k: k.created_at, reverse=True)


def links_for(user: User, application: Application) -> QuerySet[InviteLink]:
    """An application's links, for its hiring team only (PermissionDenied otherwise)."""
    require_manager(user, application.position)
    return application.prep_links.select_related("created_by", "revoked_by")


# --- what the kit shows -----------------------------------------------------------------------


@dataclass(frozen=True)
class QuestionBrief:
    pk: int
    text: str
    type_label: str


@dataclass(frozen=True)
class CompetencyBrief:
    name: str
    kind: str
    kind_label: str
    description: str
    good_looks_like: str
    questions: tuple[QuestionBrief, ...] = ()


@dataclass(frozen=True)
class PersonBrief:
    name: str
    title: str
    department: str


@dataclass(frozen=True)
class ScenarioBrief:
    title: str
    brief: str
    materials: tuple[str, ...]
    timebox_minutes: int


@dataclass(frozen=True)
class SessionBrief:
    title: str
    what_to_expect: str
    duration_minutes: int
    explores: tuple[str, ...]
    people: tuple[PersonBrief, ...]
    scenario: ScenarioBrief | None


@dataclass(frozen=True)
class ValueBrief:
    name: str
    description: str
    behaviours: tuple[str, ...]


@dataclass(frozen=True)
class ResearchItem:
    key: str
    label: str
    prompt: str
    known: tuple[str, ...]
    done: bool
    notes: str


@dataclass(frozen=True)
class KitContent:
    """Everything the candidate is shown about the job, in plain data."""

    kit: PrepKit
    title: str
    company_name: str
    department: str
    summary: str
    seniority: str
    role_family: str
    responsibilities: tuple[str, ...]
    expectations: tuple[str, ...]
    requirements: tuple[str, ...]
    competencies: tuple[CompetencyBrief, ...]
    sessions: tuple[SessionBrief, ...]
    plan_is_final: bool
    total_minutes: int
    values: tuple[ValueBrief, ...]
    mission: str
    company_expectations: str
    answered: dict[str, str]
    research: tuple[ResearchItem, ...]
    scenario: ScenarioBrief | None
    matched_family_name: str = ""
    #: What such a role usually involves (the family's template), shown apart from the
    #: posting's own responsibilities so template text is never presented as the posting's.
    typical_responsibilities: tuple[str, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def competency_names(self) -> list[str]:
        return [c.name for c in self.competencies]

    @property
    def value_names(self) -> list[str]:
        return [v.name for v in self.values]

    @property
    def people(self) -> list[PersonBrief]:
        seen: dict[str, PersonBrief] = {}
        for session in self.sessions:
            for person in session.people:
                seen.setdefault(person.name, person)
        return list(seen.values())


KIND_LABELS = dict(CompetencyKind.choices)
QUESTION_TYPE_LABELS = dict(QuestionType.choices)


def _likely_questions(
    role_family: str,
    competencies: list[tuple[str, str, str]],
    per_competency: int = 3,
    *,
    builtin_only: bool = False,
    withheld: frozenset[int] = frozenset(),
) -> dict[str, tuple[QuestionBrief, ...]]:
    """Bank questions for each competency (name, kind, description), the same for every
    candidate of the role: questions of the competency's kind, role-specific ones first, then
    those sharing most words with the competency. Competencies of one kind share that kind's
    questions fairly (one to three each). Clarification templates never appear: they are
    about one finalist's round-one gaps and written for interviewers. `withheld` questions
    (the ones the loop will ask) never appear; when they were all the role had for a kind,
    questions of that kind from other roles stand in if they share words with the
    competency."""
    # One read of the bank, the role filtered in Python as search_questions does (JSON
    # containment is not portable), and only what ranking and the brief read: every
    # candidate's kit page runs this, and the answer guides are long and unused here.
    questions = search_questions().exclude(type=QuestionType.CLARIFICATION).exclude(pk__in=withheld)
    if builtin_only:
        questions = questions.filter(builtin=True)
    pool = [q for q in _bank_rows(questions) if _suits(q, role_family)]
    if not role_family:  # no family fits: only the questions written for every role
        pool = [q for q in pool if not q.role_families]
    by_kind: dict[str, list[Any]] = defaultdict(list)
    for q in pool:
        by_kind[q.kind].append(q)
    borrowed = {kind for _name, kind, _description in competencies} - set(by_kind)
    for kind in borrowed:
        by_kind[kind] = _any_role_questions(kind, withheld)
    per_kind: dict[str, int] = defaultdict(int)
    for _name, kind, _description in competencies:
        per_kind[kind] += 1
    used: set[int] = set()
    result: dict[str, tuple[QuestionBrief, ...]] = {}
    for name, kind, description in competencies:
        words = _stems(f"{name} {description}")
        share = max(1, min(per_competency, len(by_kind[kind]) // max(1, per_kind[kind])))
        ranked = sorted(
            by_kind[kind],
            key=lambda q: (q.pk in used, not q.role_families, -len(words & _stems(q.text)), q.pk),
        )
        if kind in borrowed:  # another role's question only when it is about this competency
            ranked = [q for q in ranked if words & _stems(q.text)]
        chosen = ranked[:share]
        used.update(q.pk for q in chosen)
        result[name] = tuple(
            QuestionBrief(q.pk, q.text, str(QUESTION_TYPE_LABELS.get(q.type, q.type)))
            for q in chosen
        )
    return result


def _any_role_questions(kind: str, withheld: frozenset[int]) -> list[Any]:
    """Practice questions of a kind from every role family, general ones first."""
    questions = (
        search_questions(kind=kind)
        .exclude(type=QuestionType.CLARIFICATION)
        .exclude(pk__in=withheld)
    )
    return sorted(_bank_rows(questions), key=lambda q: bool(q.role_families))


@dataclass(frozen=True)
class _BankQuestion:
    """What ranking a question and briefing on it read (several hundred rows a kit page)."""

    pk: int
    text: str
    type: str
    kind: str
    role_families: list[str]


def _bank_rows(questions: QuerySet[Question]) -> list[_BankQuestion]:
    # Plain rows, not model instances: building hundreds of those was most of the page's work.
    fields = ("pk", "text", "type", "kind", "role_families")
    return [_BankQuestion(*row) for row in questions.order_by("id").values_list(*fields)]


def _suits(question: _BankQuestion, role_family: str) -> bool:
    """Question.suits, on a plain row."""
    return not question.role_families or role_family in question.role_families


def planned_question_ids(application: Application) -> frozenset[int]:
    """Every bank question the loop will put to this finalist: the sessions' questions and
    those quoted in their clarification items. The candidate never sees these in advance."""
    position = application.position
    planned = set(
        SessionQuestion.objects.filter(session__plan__position=position).values_list(
            "question_id", flat=True
        )
    )
    item_lines = {
        line.strip()
        for item in ClarificationItem.objects.filter(application=application)
        for line in item.question_list
    }
    if item_lines:
        planned.update(Question.objects.filter(text__in=item_lines).values_list("pk", flat=True))
    return frozenset(planned)


@lru_cache(maxsize=4096)
def _stems(text: str) -> frozenset[str]:
    """A question's words, worked out once per process: every kit page ranks the same bank."""
    return frozenset(terms(text))


def _scenario_brief(scenario: Any) -> ScenarioBrief:
    return ScenarioBrief(
        title=scenario.title,
        brief=scenario.brief,
        materials=tuple(scenario.materials),
        timebox_minutes=scenario.timebox_minutes,
    )


def _research(kit: PrepKit, known: Mapping[str, tuple[str, ...]]) -> tuple[ResearchItem, ...]:
    saved = kit.research or {}
    return tuple(
        ResearchItem(
            key=key,
            label=str(label),
            prompt=str(prompt),
            known=known.get(key, ()),
            done=bool(saved.get(key, {}).get("done")),
            notes=str(saved.get(key, {}).get("notes", "")),
        )
        for key, label, prompt in guidance.RESEARCH_ITEMS
    )


def kit_content(kit: PrepKit) -> KitContent:
    if kit.source == KitSource.INVITATION:
        assert kit.application is not None
        return _invitation_content(kit, kit.application.position)
    return _posting_content(kit)


def _sessions(
    position: Position, *, share_scenario: bool
) -> tuple[tuple[SessionBrief, ...], bool, int]:
    plan = (  # the people and their departments in one query; no one's competencies
        LoopPlan.objects.filter(position=position)
        .prefetch_related(
            Prefetch("sessions__seats", Seat.objects.select_related("interviewer__department"))
        )
        .first()
    )
    if plan is None:
        return (), False, 0
    sessions = []
    for s in plan.sessions.all():
        people = tuple(
            PersonBrief(
                name=seat.interviewer.full_name,
                title=seat.interviewer.title,
                department=seat.interviewer.department.name if seat.interviewer.department else "",
            )
            for seat in s.seats.all()
        )
        sessions.append(
            SessionBrief(
                title=s.title,
                what_to_expect=str(guidance.SESSION_EXPECTATIONS.get(s.kind, "")),
                duration_minutes=s.duration_minutes,
                explores=tuple(str(KIND_LABELS.get(k, k)) for k in s.competency_kinds),
                people=people,
                # The brief is the exercise itself: shown only when the team chose to share it.
                scenario=_scenario_brief(s.scenario) if s.scenario_id and share_scenario else None,
            )
        )
    total = sum(s.duration_minutes for s in sessions)
    return tuple(sessions), plan.status == PlanStatus.ACCEPTED, total


def _invitation_content(kit: PrepKit, position: Position) -> KitContent:
    profile = company_profile()
    competencies = list(position.competencies.all())
    assert kit.application is not None
    # A structured interview asks every finalist the same unseen questions: practice questions
    # leave out the loop's own, and the position's scoring anchors stay with the interviewers.
    questions = _likely_questions(
        position.role_family,
        [(c.name, c.kind, c.description) for c in competencies],
        withheld=planned_question_ids(kit.application),
    )
    briefs = tuple(
        CompetencyBrief(
            name=c.name,
            kind=c.kind,
            kind_label=str(KIND_LABELS.get(c.kind, c.kind)),
            description=c.description,
            good_looks_like="",
            questions=questions.get(c.name, ()),
        )
        for c in competencies
    )
    sessions, final, total = _sessions(position, share_scenario=position.share_scenario_brief)
    values = tuple(
        ValueBrief(v.name, v.description, tuple(v.behaviour_list))
        for v in (profile.values.all() if profile else [])
    )
    answered = guidance.answered_topics(
        {
            "career_progression": profile.career_progression if profile else "",
            "professional_development": profile.professional_development if profile else "",
            "onboarding": profile.growth_support if profile else "",
        }
    )
    people = tuple(
        dict.fromkeys(
            f"{p.name} — {p.title}, {p.department}" if p.title else p.name
            for s in sessions
            for p in s.people
        )
    )
    known = {
        "mission": (profile.mission,) if profile and profile.mission else (),
        "values": tuple(v.name for v in values),
        "people": people,
        "role": tuple(position.responsibility_list[:3]),
    }
    scenario = next((s.scenario for s in sessions if s.scenario), None)
    return KitContent(
        kit=kit,
        title=position.title,
        company_name=profile.name if profile else "",
        department=position.department.name,
        summary=position.summary,
        seniority=_seniority_of(position.title),
        role_family=position.role_family,
        responsibilities=tuple(position.responsibility_list),
        expectations=tuple(position.expectation_list),
        requirements=(),
        competencies=briefs,
        sessions=sessions,
        plan_is_final=final,
        total_minutes=total,
        values=values,
        mission=profile.mission if profile else "",
        company_expectations=profile.expectations if profile else "",
        answered=answered,
        research=_research(kit, known),
        scenario=scenario,
    )


@lru_cache(maxsize=1024)
def _seniority_of(title: str) -> str:  # the posting reader is pure: read each title once
    return parse_posting(title or "role").seniority


def _posting_content(kit: PrepKit) -> KitContent:
    parsed = kit.parsed or {}
    family = parsed.get("role_family", "")
    template = role_templates().get(family)
    competencies = posting_competencies(parsed, template)
    # A job seeker on their own is no one's candidate: only the built-in bank, never an
    # organisation's own questions or scenarios.
    # The posting's own skills get no bank questions: none was written for them.
    questions = _likely_questions(
        family,
        [(c.name, c.kind, c.description) for c in competencies if c.name != SKILLS_COMPETENCY],
        builtin_only=True,
    )
    briefs = tuple(
        CompetencyBrief(
            name=c.name,
            kind=c.kind,
            kind_label=str(KIND_LABELS.get(c.kind, c.kind)),
            description=c.description,
            good_looks_like=c.anchors[3],
            questions=questions.get(c.name, ()),
        )
        for c in competencies
    )
    values = tuple(ValueBrief(str(w).capitalize(), "", ()) for w in parsed.get("values_words", []))
    responsibilities = tuple(parsed.get("responsibilities") or ())
    answered = guidance.answered_topics(
        {},
        "\n".join(
            [kit.company_text, *parsed.get("benefits", []), *parsed.get("company_lines", [])]
        ),
    )
    scenario = scenarios_for(family).filter(builtin=True).first() if family else None
    known = {
        "mission": (parsed["mission"],) if parsed.get("mission") else (),
        "values": tuple(v.name for v in values),
        "role": responsibilities[:3],
    }
    return KitContent(
        kit=kit,
        title=str(parsed.get("title") or _("The role you are applying for")),
        company_name=kit.company_name,
        department=template.department if template else "",
        summary=template.summary if template else "",
        seniority=str(parsed.get("seniority") or "mid"),
        role_family=family,
        responsibilities=responsibilities,
        typical_responsibilities=(
            tuple(template.responsibilities) if template and not responsibilities else ()
        ),
        expectations=tuple(template.expectations) if template else (),
        requirements=tuple(parsed.get("requirements") or ()),
        competencies=briefs,
        sessions=_posting_steps(parsed),
        plan_is_final=False,
        total_minutes=sum(step_minutes(str(s)) for s in parsed.get("interview_steps") or ()),
        values=values,
        mission=str(parsed.get("mission") or ""),
        company_expectations="",
        answered=answered,
        research=_research(kit, known),
        scenario=_scenario_brief(scenario) if scenario else None,
        matched_family_name=template.name if template else "",
    )


def _posting_steps(parsed: Mapping[str, Any]) -> tuple[SessionBrief, ...]:
    """The interview steps the posting lists, as sessions with what is known of them."""
    return tuple(
        SessionBrief(step_title(str(step)), "", step_minutes(str(step)), (), (), None)
        for step in parsed.get("interview_steps") or ()
    )


def suggested_questions(content: KitContent, listed: list[str]) -> list[guidance.Suggestion]:
    """Questions worth asking for this role and company, best first (see guidance)."""
    return guidance.suggested_questions(
        role_title=content.title,
        seniority=content.seniority,
        values=content.value_names,
        answered=content.answered,
        already_listed=listed,
    )


def competency_brief(content: KitContent, name: str) -> CompetencyBrief | None:
    return next((c for c in content.competencies if c.name == name), None)


def kit_question(content: KitContent, question_pk: int) -> tuple[QuestionBrief, str] | None:
    """A likely question of this kit and its competency's name, or None."""
    for c in content.competencies:
        for q in c.questions:
            if q.pk == question_pk:
                return q, c.name
    return None


# --- story coverage ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CoverageRow:
    competency: CompetencyBrief
    complete: tuple[Story, ...]
    drafts: tuple[Story, ...]

    @property
    def status(self) -> str:
        """covered (a complete story), draft (only unfinished ones) or missing."""
        return "covered" if self.complete else "draft" if self.drafts else "missing"


@dataclass(frozen=True)
class KindCount:
    kind: str
    label: str
    count: int


@dataclass(frozen=True)
class Coverage:
    rows: tuple[CoverageRow, ...]
    kinds: tuple[KindCount, ...]
    stories: tuple[Story, ...]

    @property
    def uncovered(self) -> list[str]:
        return [r.competency.name for r in self.rows if r.status != "covered"]

    @property
    def missing_kinds(self) -> list[KindCount]:
        return [k for k in self.kinds if k.count == 0]


def story_coverage(kit: PrepKit, content: KitContent) -> Coverage:
    stories = tuple(kit.stories.all())
    rows = tuple(
        CoverageRow(
            competency=c,
            complete=tuple(s for s in stories if c.name in s.competencies and s.is_complete),
            drafts=tuple(s for s in stories if c.name in s.competencies and not s.is_complete),
        )
        for c in content.competencies
    )
    kinds = tuple(
        KindCount(value, str(label), sum(1 for s in stories if s.kind == value))
        for value, label in StoryKind.choices
    )
    return Coverage(rows=rows, kinds=kinds, stories=stories)


# --- practice progress and readiness -----------------------------------------------------------


@dataclass(frozen=True)
class Progress:
    label: str
    attempts: int
    first: float
    latest: float
    best: float
    latest_star: int

    @property
    def trend(self) -> str:
        if self.attempts < 2:
            return "new"
        delta = self.latest - self.first
        return "up" if delta > 0.05 else "down" if delta < -0.05 else "steady"


def _progress(label: str, attempts: list[PracticeAttempt]) -> Progress:
    ordered = sorted(attempts, key=lambda a: (a.created_at, a.pk))
    return Progress(
        label=label,
        attempts=len(ordered),
        first=ordered[0].score,
        latest=ordered[-1].score,
        best=max(a.score for a in ordered),
        latest_star=ordered[-1].star_parts,
    )


def progress_by_question(kit: PrepKit) -> list[Progress]:
    groups: dict[str, list[PracticeAttempt]] = defaultdict(list)
    for a in kit.attempts.all():
        groups[a.question].append(a)
    return [_progress(q, attempts) for q, attempts in groups.items()]


@dataclass(frozen=True)
class Readiness:
    competency: str
    has_story: bool
    attempts: int
    recent_best: float
    level: str  # ready, almost, started, not_started

    @property
    def level_label(self) -> str:
        return str(READINESS_LABELS[self.level])


READINESS_LABELS = {
    "ready": _("Ready"),
    "almost": _("Almost there"),
    "started": _("Started"),
    "not_started": _("Not started"),
}
READY_SCORE = 0.7
ALMOST_SCORE = 0.55


def readiness(kit: PrepKit, content: KitContent) -> list[Readiness]:
    """Per competency of the role: a complete story and the best of the last three attempts.

    Ready: a complete story and a recent answer scoring at least 0.7. Almost there: a
    complete story and some practice, or a recent answer of at least 0.55. Started: any
    story or attempt. The score is :func:`secondround.prep.services.attempt_score`.
    """
    coverage = {r.competency.name: r for r in story_coverage(kit, content).rows}
    attempts: dict[str, list[PracticeAttempt]] = defaultdict(list)
    for a in kit.attempts.all():  # newest first
        attempts[a.competency].append(a)
    result = []
    for c in content.competencies:
        row = coverage[c.name]
        mine = attempts.get(c.name, [])
        recent = max((a.score for a in mine[:3]), default=0.0)
        has_story = row.status == "covered"
        if has_story and recent >= READY_SCORE:
            level = "ready"
        elif (has_story and mine) or recent >= ALMOST_SCORE:
            level = "almost"
        elif mine or row.status != "missing":
            level = "started"
        else:
            level = "not_started"
        result.append(Readiness(c.name, has_story, len(mine), recent, level))
    return result


def progress_by_competency(kit: PrepKit) -> list[Progress]:
    groups: dict[str, list[PracticeAttempt]] = defaultdict(list)
    for a in kit.attempts.all():
        groups[a.competency or _("No competency chosen")].append(a)
    return [_progress(name, attempts) for name, attempts in groups.items()]


# --- feedback on one attempt ------------------------------------------------------------------

STAR_LABELS = {
    "situation": _("Situation"),
    "task": _("Task"),
    "action": _("Action"),
    "result": _("Result"),
}


@dataclass(frozen=True)
class StarFeedback:
    part: str
    label: str
    present: bool
    sentences: tuple[str, ...]


@dataclass(frozen=True)
class ScoreFeedback:
    name: str
    label: str
    value: float
    percent: int
    hint: str


@dataclass(frozen=True)
class Feedback:
    attempt: PracticeAttempt
    parts: tuple[StarFeedback, ...]
    scores: tuple[ScoreFeedback, ...]
    word_count: int
    speaking_seconds: int
    fillers: tuple[tuple[str, int], ...]
    suggestions: tuple[str, ...]
    score_percent: int

    relevance_measured: bool = False
    relevance: float = 0.0

    @property
    def parts_present(self) -> int:
        return sum(1 for p in self.parts if p.present)

    @property
    def off_topic(self) -> bool:
        """The story does not answer the question: its STAR parts are not credited (the
        score is gated the same way, see engines.answers)."""
        return self.relevance_measured and self.relevance < OFF_TOPIC_RELEVANCE

    @property
    def spoken(self) -> str:
        """ "75 seconds", or in minutes beyond 90 seconds ("39 minutes")."""
        return spoken_duration(self.speaking_seconds)


def feedback(attempt: PracticeAttempt) -> Feedback:
    """The stored analysis of an attempt, in STAR order with labels, for the page."""
    analysis = attempt.analysis
    star = analysis.get("star", {})
    parts = tuple(
        StarFeedback(
            part=part,
            label=str(label),
            present=bool(star.get(part, {}).get("present")),
            sentences=tuple(star.get(part, {}).get("sentences", ())),
        )
        for part, label in STAR_LABELS.items()
    )
    hints = {
        "specificity": _("Numbers, names and a concrete outcome."),
        "ownership": _("How much of the action is told with “I” rather than “we”."),
        "relevance": _("How closely the answer speaks to the question and competency."),
    }
    labels = {
        "specificity": _("Specificity"),
        "ownership": _("Ownership"),
        "relevance": _("Relevance"),
    }
    scores = tuple(
        ScoreFeedback(
            name=name,
            label=str(labels[name]),
            value=float(analysis.get(name, 0.0)),
            percent=round(100 * float(analysis.get(name, 0.0))),
            hint=str(hints[name]),
        )
        for name in ("specificity", "ownership", "relevance")
    )
    return Feedback(
        attempt=attempt,
        parts=parts,
        scores=scores,
        word_count=int(analysis.get("word_count", 0)),
        speaking_seconds=int(analysis.get("speaking_seconds", 0)),
        fillers=tuple(sorted(analysis.get("filler_words", {}).items(), key=lambda kv: -kv[1])),
        suggestions=tuple(analysis.get("suggestions", ())),
        score_percent=round(100 * attempt.score),
        relevance_measured=bool(attempt.question or attempt.competency),
        relevance=float(analysis.get("relevance", 0.0)),
    )
