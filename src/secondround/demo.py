"""The demo organisation: a realistic company to click through, built with the real services."""

from __future__ import annotations

import unicodedata
import zlib

from django.core.management import call_command
from django.db import transaction

from secondround.accounts.models import Role, User
from secondround.accounts.services import create_user
from secondround.bookings.demo import confirm_booked_loop
from secondround.bookings.demo import load_demo as load_bookings_demo
from secondround.debrief.calibration import refresh_snapshot
from secondround.feedback.demo import DECIDED_FINALIST, decide_demo_finalist
from secondround.feedback.demo import load_demo as load_feedback_demo
from secondround.hiring import services
from secondround.hiring.models import Position, PositionStatus, Stage
from secondround.hiring.qualifications import set_qualifications
from secondround.loops.selectors import assessing_seats
from secondround.loops.services import accept_plan, finalists, propose_loop
from secondround.messaging.demo import load as load_messaging_demo
from secondround.portal.demo import load_demo as load_portal_demo
from secondround.prep.demo import load_demo as load_prep_demo
from secondround.scheduling.demo import load_demo as load_scheduling_demo
from secondround.scheduling.demo import load_held_earlier
from secondround.scorecards.services import (
    RatingEntry,
    ResolutionEntry,
    ScorecardInput,
    import_first_round,
    open_round_two_scorecard,
    save_round_one_scorecard,
    submit_scorecard,
)
from secondround.surveys.demo import load_demo as load_survey_demo

DEMO_PASSWORD = "secondround-demo"
DOMAIN = "kestrel.example"

COMPANY = {
    "name": "Kestrel Health",
    "mission": (
        "We give clinics back the hours that scheduling, paperwork and phone tag take from "
        "patient care. Our software books, reminds and follows up, so nurses and doctors "
        "spend their day with people, not screens."
    ),
    "expectations": (
        "Everyone talks to a customer at least once a month. We write things down, we decide "
        "with data where we have it and say so when we do not, and we own what we ship "
        "until it works for the clinic using it."
    ),
    "career_progression": (
        "Two tracks with equal pay bands: an individual-contributor track up to principal, "
        "and a management track. Promotions are decided twice a year by a panel, against "
        "written level expectations that everyone can read."
    ),
    "professional_development": (
        "Each person has a yearly learning budget of 1,500 EUR and five learning days, "
        "and can spend one day a month on a project of their choice."
    ),
    "growth_support": (
        "Every new hire gets a buddy outside their team, a written 30-60-90 day plan, and "
        "a monthly career conversation with their manager that is separate from project "
        "check-ins."
    ),
}
VALUES = [
    (
        "Patients first",
        "Every decision starts from what it does for a patient's care.",
        "Asks how a change affects the clinic and its patients before shipping it\n"
        "Raises a safety or privacy concern even when it slows the team down",
    ),
    (
        "Own it end to end",
        "We finish what we start and follow it into the real world.",
        "Follows a change into production and checks it worked for the customer\n"
        "Says early when something is slipping and proposes a way out",
    ),
    (
        "Candour with care",
        "We say the hard thing, kindly and directly.",
        "Gives specific feedback in the moment, in private when it is critical\n"
        "Disagrees openly in the meeting, then commits to the decision",
    ),
    (
        "Learn in the open",
        "We share what we learn, including our mistakes.",
        "Writes up incidents blamelessly and shares the lessons\n"
        "Asks for help early and teaches what they know",
    ),
    (
        "Better together",
        "The best answer usually needs more than one department.",
        "Brings support, sales and clinical colleagues into decisions that affect them\n"
        "Shares credit by name",
    ),
]
PEOPLE = [
    # email, name, role, department, title
    ("admin", "Alex Morgan", Role.ADMIN, "People", "People operations lead"),
    ("hana", "Hana Okafor", Role.HIRING_MANAGER, "Engineering", "Engineering manager"),
    ("luis", "Luis Romero", Role.HIRING_MANAGER, "Product", "Head of product"),
    ("rita", "Rita Campbell", Role.RECRUITER, "People", "Senior recruiter"),
    ("sam", "Sam Lindqvist", Role.RECRUITER, "People", "Recruiting coordinator"),
    ("priya", "Priya Nair", Role.INTERVIEWER, "Engineering", "Staff engineer"),
    ("tom", "Tomasz Wójcik", Role.INTERVIEWER, "Engineering", "Senior engineer"),
    ("grace", "Grace Liu", Role.INTERVIEWER, "Platform", "Site reliability engineer"),
    ("omar", "Omar Haddad", Role.INTERVIEWER, "Customer Success", "Support team lead"),
    ("ines", "Inês Costa", Role.INTERVIEWER, "Clinical Operations", "Clinical lead (RN)"),
    ("ben", "Ben Adeyemi", Role.INTERVIEWER, "Sales", "Account executive"),
    ("mei", "Mei Tanaka", Role.INTERVIEWER, "Product", "Product designer"),
    ("noah", "Noah Fischer", Role.INTERVIEWER, "Finance", "Finance business partner"),
]
CANDIDATES = {
    "software-engineer": [
        ("Jordan Ellis", "Berlin", Stage.SECOND_ROUND),
        ("Aisha Bello", "Lisbon", Stage.SECOND_ROUND),
        ("Mateo García", "Madrid", Stage.SECOND_ROUND),
        ("Sofia Rossi", "Remote (Milan)", Stage.SECOND_ROUND),
        ("Daniel Kim", "Amsterdam", Stage.FIRST_ROUND),
    ],
    "product-manager": [
        ("Chloé Martin", "Paris", Stage.SECOND_ROUND),
        ("Kwame Mensah", "London", Stage.SECOND_ROUND),
        ("Elena Petrova", "Remote (Sofia)", Stage.SECOND_ROUND),
        ("Ravi Shah", "Dublin", Stage.SECOND_ROUND),
        ("Nora Berg", "Oslo", Stage.APPLIED),
    ],
}
# Round one for the engineering finalists, with the gaps real first rounds leave: one rater
# only, raters split, low confidence, a concern, thin notes, and competencies never touched.
ROUND_ONE_CSV = """candidate_email,interviewer_email,competency,rating,confidence,notes,concern
jordan.ellis@mail.example,priya@kestrel.example,System design,4,4,"Sketched a queue-based booking service, explained idempotency keys and why retries need them.",no
jordan.ellis@mail.example,priya@kestrel.example,Code quality and testing,4,4,"Walked through the tests they add before refactoring; named property-based tests for date logic.",no
jordan.ellis@mail.example,tom@kestrel.example,Code quality and testing,4,3,"Clear about test pyramid; examples from their current job were concrete.",no
jordan.ellis@mail.example,priya@kestrel.example,Debugging unclear problems,2,3,"Jumped to rewriting the module before reproducing the bug; did not mention logs.",no
jordan.ellis@mail.example,tom@kestrel.example,Debugging unclear problems,5,4,"Bisected a memory leak across three releases and explained the heap dumps they read.",no
jordan.ellis@mail.example,tom@kestrel.example,Acts on company values,3,3,"Said they would ship a fix without telling the clinic about the data issue 'to avoid noise'.",yes
aisha.bello@mail.example,priya@kestrel.example,System design,5,5,"Designed multi-clinic tenancy with clear isolation trade-offs and a migration plan.",no
aisha.bello@mail.example,grace@kestrel.example,System design,4,4,"Good capacity estimates; asked about peak Monday-morning load unprompted.",no
aisha.bello@mail.example,priya@kestrel.example,Code quality and testing,4,4,"Described contract tests between services and why they dropped flaky end-to-end tests.",no
aisha.bello@mail.example,grace@kestrel.example,Debugging unclear problems,4,4,"Reproduced first, then narrowed with feature flags; good incident timeline.",no
aisha.bello@mail.example,priya@kestrel.example,Technical leadership,3,1,"Mentioned mentoring a junior but we ran out of time to ask for detail.",no
aisha.bello@mail.example,grace@kestrel.example,Code review and pairing,4,3,"Pairs weekly with support engineers.",no
mateo.garcia@mail.example,tom@kestrel.example,System design,3,3,"Reasonable design, missed how appointments sync when a clinic goes offline.",no
mateo.garcia@mail.example,grace@kestrel.example,System design,3,3,"Solid basics; did not discuss failure modes.",no
mateo.garcia@mail.example,tom@kestrel.example,Code quality and testing,4,4,"Strong on refactoring safely; showed a before/after of a tangled module.",no
mateo.garcia@mail.example,grace@kestrel.example,Debugging unclear problems,3,4,"Methodical, slow to form a hypothesis.",no
mateo.garcia@mail.example,tom@kestrel.example,Pragmatic delivery,4,3,Good.,no
mateo.garcia@mail.example,grace@kestrel.example,Calm under incident pressure,3,2,"Has been on call for a year.",no
sofia.rossi@mail.example,priya@kestrel.example,System design,2,4,"Reached for microservices for a two-person team; could not say what they would give up.",no
sofia.rossi@mail.example,grace@kestrel.example,System design,4,4,"Chose a modular monolith and explained when she would split it.",no
sofia.rossi@mail.example,priya@kestrel.example,Code quality and testing,3,3,"Writes tests after the fact; knows it and is working on it.",no
sofia.rossi@mail.example,grace@kestrel.example,Debugging unclear problems,4,4,"Read the stack trace aloud, formed two hypotheses, tested the cheaper one first.",no
sofia.rossi@mail.example,priya@kestrel.example,Code review and pairing,4,4,"Gives reviews with questions rather than orders; example of a review she changed her mind on.",no
"""

# Who may rate what beyond values and collaboration (open to everyone): competency kinds
# for people whose whole craft is one, named competencies for people who can judge one
# thing from their own work. A finance partner reads product metrics every week; a clinical
# lead knows what clinics need; neither is asked to judge system design.
QUALIFIED_KINDS: dict[str, tuple[str, ...]] = {
    "hana": ("technical", "problem_solving", "leadership", "stress", "role_specific"),
    "luis": ("problem_solving", "leadership", "stress", "role_specific"),
}
QUALIFIED_FOR: dict[str, dict[str, tuple[str, ...]]] = {
    "priya": {"software-engineer": ("System design", "Code quality and testing",
                                    "Debugging unclear problems", "Technical leadership",
                                    "Pragmatic delivery"),
              "product-manager": ("Technical fluency", "Trade-offs and priorities")},
    "tom": {"software-engineer": ("System design", "Code quality and testing",
                                  "Debugging unclear problems", "Pragmatic delivery")},
    "grace": {"software-engineer": ("System design", "Code quality and testing",
                                    "Debugging unclear problems", "Calm under incident pressure"),
              "product-manager": ("Technical fluency",)},
    "omar": {"software-engineer": ("Debugging unclear problems", "Calm under incident pressure"),
             "product-manager": ("Trade-offs and priorities", "Customer discovery")},
    "ines": {"product-manager": ("Customer discovery",)},
    "ben": {"product-manager": ("Customer discovery", "Composure amid ambiguity")},
    "mei": {"software-engineer": ("Pragmatic delivery",),
            "product-manager": ("Product metrics", "Trade-offs and priorities",
                                "Customer discovery")},
    "noah": {"product-manager": ("Product metrics",)},
}  # fmt: skip

PATH_TO = {
    Stage.APPLIED: [],
    Stage.FIRST_ROUND: [Stage.FIRST_ROUND],
    Stage.SECOND_ROUND: [Stage.FIRST_ROUND, Stage.SECOND_ROUND],
}


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def demo_logins() -> list[tuple[str, str, str]]:
    """(email, role, password) for every demo person."""
    return [(f"{key}@{DOMAIN}", str(role.label), DEMO_PASSWORD) for key, _n, role, _d, _t in PEOPLE]


def is_empty() -> bool:
    return not User.objects.exists()


def reset() -> None:
    call_command("flush", interactive=False, verbosity=0)


@transaction.atomic
def load() -> None:
    """Create the demo organisation. Expects an empty database."""
    people = {
        key: create_user(
            email=f"{key}@{DOMAIN}",
            full_name=name,
            password=DEMO_PASSWORD,
            role=role,
            department=department,
            title=title,
            check_password=False,
        )
        for key, name, role, department, title in PEOPLE
    }
    admin = people["admin"]
    services.update_company_profile(
        actor=admin,
        fields=COMPANY,
        values=[{"name": n, "description": d, "behaviours": b} for n, d, b in VALUES],
    )
    engineer = services.create_position_from_template(
        actor=people["hana"],
        template_slug="software-engineer",
        title="Senior software engineer",
        recruiters=[people["rita"]],
        interviewers=[people[k] for k in ("priya", "tom", "grace", "omar", "ines", "mei", "noah")],
    )
    product = services.create_position_from_template(
        actor=people["luis"],
        template_slug="product-manager",
        title="Product manager, scheduling",
        recruiters=[people["sam"]],
        interviewers=[people[k] for k in ("mei", "ben", "omar", "ines", "priya", "noah", "grace")],
    )
    _qualifications(people, {"software-engineer": engineer, "product-manager": product})
    for position, slug in ((engineer, "software-engineer"), (product, "product-manager")):
        manager = position.hiring_manager
        for name, location, stage in CANDIDATES[slug]:
            email = _ascii(name).lower().replace(" ", ".") + "@mail.example"
            application = services.add_candidate_to_position(
                actor=manager,
                position=position,
                fields={
                    "full_name": name,
                    "email": email,
                    "location": location,
                    "source": "Referral",
                },
            )
            for step in PATH_TO[stage]:
                services.move_application(actor=manager, application=application, to_stage=step)
    import_first_round(
        actor=people["hana"], filename="round-one.csv", content=ROUND_ONE_CSV.encode(),
        position=engineer,
    )  # fmt: skip
    plan = propose_loop(actor=people["hana"], position=engineer, time_budget_minutes=330)
    accept_plan(actor=people["hana"], plan=plan)
    _past_hiring(people)
    load_portal_demo()  # Aisha's questions in advance, sent before her loop
    load_scheduling_demo(people, engineer, product)  # loops booked: the real Interview rows
    load_bookings_demo(people)  # the unbooked finalist's options, Inês's feed
    _decided_finalist(people, engineer)  # joins after the loop was planned: it stays the same
    _round_two_scorecards(engineer)
    decide_demo_finalist()  # rejected on her round two, before the comparison is fitted
    refresh_snapshot()
    load_prep_demo(password=DEMO_PASSWORD)
    load_messaging_demo()
    confirm_booked_loop()  # after her invitation, from her booked loop
    load_survey_demo()  # Mateo answers after his loop, before his decision
    load_feedback_demo()


def _qualifications(people: dict[str, User], positions: dict[str, Position]) -> None:
    for key in {*QUALIFIED_KINDS, *QUALIFIED_FOR}:
        competencies = [
            positions[slug].competencies.get(name=name)
            for slug, names in QUALIFIED_FOR.get(key, {}).items()
            for name in names
        ]
        set_qualifications(
            actor=people["admin"], person=people[key], kinds=QUALIFIED_KINDS.get(key, ()),
            competencies=competencies,
        )  # fmt: skip


# How each interviewer rates compared with a typical colleague (rating points; + is lenient).
# The debrief learns this from their history and takes it out of the finalists' scores.
LENIENCY = {"tom": 0.9, "noah": 0.8, "omar": 0.3, "ines": 0.0, "mei": 0.0, "grace": -0.4,
            "priya": -1.0, "hana": -0.2}  # fmt: skip
TRUE_MERIT = {
    "Jordan Ellis": 3.2,
    "Aisha Bello": 3.7,
    "Mateo García": 3.1,
    "Sofia Rossi": 3.6,
    DECIDED_FINALIST: 2.9,
}
# Sessions that did not happen for a finalist (a rescheduled slot): it is why raw averages
# mislead. Jordan missed the strict interviewers; Sofia missed the lenient ones.
MISSED = {"Jordan Ellis": ("priya", "grace"), "Sofia Rossi": ("tom", "noah")}
EVIDENCE = {
    1: "Could not give an example; stayed general when asked what they did themselves.",
    2: "Gave one example but the outcome was unclear and the reasoning thin.",
    3: "A relevant example with their own actions; the result was described only roughly.",
    4: "A specific example with trade-offs named and a measurable result they owned.",
    5: "Two strong examples, clear ownership, numbers for the result and lessons applied since.",
}


def _salt(*names: str) -> int:
    """A repeatable number from names, never from database ids (they differ between databases)."""
    return zlib.crc32("/".join(names).encode())


def _rating(merit: float, leniency: float, salt: int) -> int:
    # A fixed, repeatable wobble instead of randomness, so the demo is the same every time.
    wobble = ((salt * 7919) % 11 - 5) / 10
    return max(1, min(5, round(merit + leniency + wobble)))


def _past_hiring(people: dict[str, User]) -> None:
    """A filled position from last year: twelve candidates, so leniency has history to learn from."""
    past = services.create_position_from_template(
        actor=people["hana"], template_slug="software-engineer", title="Backend engineer (2025)",
        interviewers=[people[k] for k in LENIENCY if k != "hana"],
    )  # fmt: skip
    past.status = PositionStatus.CLOSED
    past.save(update_fields=["status"])
    competencies = list(past.competencies.all())
    raters = [k for k in LENIENCY if k != "hana"]
    for number in range(12):
        application = services.add_candidate_to_position(
            actor=people["hana"], position=past,
            fields={"full_name": f"Past candidate {number + 1}",
                    "email": f"past{number + 1}@mail.example"},
        )  # fmt: skip
        merit = 2.2 + (number * 37 % 23) / 10
        for offset in range(3):
            key = raters[(number + offset * 3) % len(raters)]
            ratings = {
                c.pk: {"rating": _rating(merit, LENIENCY[key], _salt(str(number), key, c.name)),
                       "confidence": 4, "notes": EVIDENCE[3], "concern": False}
                for c in competencies[:5]
            }  # fmt: skip
            save_round_one_scorecard(
                actor=people["hana"], application=application, interviewer=people[key],
                ratings=ratings,
            )  # fmt: skip
        services.move_application(
            actor=people["hana"], application=application, to_stage=Stage.REJECTED,
            reason="Position filled (2025).",
        )  # fmt: skip


# The decided finalist's round one (by hand, as a team without a CSV enters it).
DECIDED_ROUND_ONE = {
    "priya": {"System design": (3, "Clear layers; the data model needed prompting."),
              "Code quality and testing": (3, "Tests the happy path; edge cases when asked.")},
    "tom": {"Debugging unclear problems": (3, "Found the bug in the exercise, slowly."),
            "Pragmatic delivery": (4, "Shipped a clinic-facing change in small, safe steps.")},
}  # fmt: skip


def _decided_finalist(people: dict[str, User], position: Position) -> None:
    """A finalist whose loop was held the week before the others' and who is decided since
    (``feedback.demo``: rejected, her letter approved), so the candidate's letter can be seen.

    She is added once the loop is planned, so the plan the other finalists' stories rest on is
    the one their round one made.
    """
    manager = people["hana"]
    application = services.add_candidate_to_position(
        actor=manager, position=position,
        fields={"full_name": DECIDED_FINALIST, "email": "lena.hoffmann@mail.example",
                "location": "Hamburg", "source": "Careers page"},
    )  # fmt: skip
    services.move_application(actor=manager, application=application, to_stage=Stage.FIRST_ROUND)
    competencies = {c.name: c for c in position.competencies.all()}
    for key, marks in DECIDED_ROUND_ONE.items():
        ratings = {
            competencies[name].pk: {"rating": rating, "confidence": 4, "notes": notes,
                                    "concern": False}
            for name, (rating, notes) in marks.items()
        }  # fmt: skip
        save_round_one_scorecard(
            actor=manager, application=application, interviewer=people[key], ratings=ratings
        )
    application = services.move_application(
        actor=manager, application=application, to_stage=Stage.SECOND_ROUND
    )
    load_held_earlier(manager, position, application)


def _round_two_scorecards(position: Position) -> None:
    """Submitted round-two scorecards, except one interviewer's, still to come."""
    seats = list(
        assessing_seats(position)
        .select_related("interviewer", "session")
        .prefetch_related("competencies")
    )
    # Grace has not written up yet (the README sends people to her account to see that);
    # the first assessor stands in if a changed planner ever leaves her without a seat.
    pending = next(
        (s.interviewer_id for s in seats if s.interviewer.email == f"grace@{DOMAIN}"),
        seats[0].interviewer_id,
    )
    for application in finalists(position):
        name = application.candidate.full_name
        for seat in seats:
            key = seat.interviewer.email.split("@")[0]
            if seat.interviewer_id == pending or key in MISSED.get(name, ()):
                continue
            card = open_round_two_scorecard(
                actor=seat.interviewer, seat=seat, application=application
            )
            ratings: dict[int, RatingEntry] = {}
            for c in seat.competencies.all():
                value = _rating(TRUE_MERIT[name], LENIENCY.get(key, 0.0), _salt(name, key, c.name))
                ratings[c.pk] = {"rating": value, "notes": EVIDENCE[value], "shareable": value >= 4}
            resolutions: dict[int, ResolutionEntry] = {
                x.item_id: {"status": "resolved", "note": "Asked directly; see the evidence."}
                for x in card.resolutions.all()
            }
            submit_scorecard(
                actor=seat.interviewer, scorecard=card,
                data=ScorecardInput(
                    ratings=ratings, resolutions=resolutions,
                    overall={"recommendation": "yes" if TRUE_MERIT[name] + LENIENCY.get(key, 0) >= 3.5 else "no",
                             "confidence": 4, "takeaways": "See the evidence per competency."},
                ),
            )  # fmt: skip
