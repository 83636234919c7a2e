"""What the kit shows: the job, the loop and the company, assembled for the candidate.

What a candidate sees of the real position is assembled here, field by field, from a short
allow-list: never ratings, scorecards, clarification items, notes, rubrics, "watch for"
lists, scoring anchors as a scale, weights, or the interviewers' own session purposes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from secondround.engines.posting import parse_posting, terms
from secondround.hiring.models import Application, CompetencyKind, Position
from secondround.hiring.role_templates import role_templates
from secondround.hiring.selectors import company_profile
from secondround.loops.models import (
    ClarificationItem,
    LoopPlan,
    PlanStatus,
    Seat,
    SessionQuestion,
)
from secondround.prep import guidance
from secondround.prep.models import (
    KitSource,
    PrepKit,
)
from secondround.prep.posting_kit import (
    SKILLS_COMPETENCY,
    posting_competencies,
    step_minutes,
    step_title,
)
from secondround.questions.models import Question, QuestionType
from secondround.questions.selectors import scenarios_for, search_questions


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
