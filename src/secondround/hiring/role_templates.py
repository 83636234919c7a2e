"""Role families shipped with secondround: a starting set of competencies for a new position.

The same families are what the posting reader (``engines/posting.py``) recognises: each names
the job titles it is advertised under and the skills typical of it."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

TEMPLATES_FILE = Path(__file__).with_name("role_templates.json")


@dataclass(frozen=True)
class CompetencyTemplate:
    name: str
    kind: str
    description: str
    weight: int
    must_have: bool
    anchors: tuple[str, str, str, str, str]


@dataclass(frozen=True)
class RoleTemplate:
    slug: str
    name: str
    department: str
    summary: str
    #: Job titles people advertise this family under (lower case), read by the posting reader.
    titles: tuple[str, ...]
    #: Skills and tools typical of the family (lower case), found in postings by the reader.
    skills: tuple[str, ...]
    responsibilities: tuple[str, ...]
    expectations: tuple[str, ...]
    competencies: tuple[CompetencyTemplate, ...]
    #: Titles of other jobs that look like this family's ("veterinary nurse", "barista" for
    #: a restaurant manager): the reader names the family as near but does not choose it.
    look_alike_titles: tuple[str, ...] = ()


@cache
def role_templates() -> dict[str, RoleTemplate]:
    """All role families by slug, in the order they are shipped."""
    raw = json.loads(TEMPLATES_FILE.read_text(encoding="utf-8"))
    return {item["slug"]: _role_template(item) for item in raw}


def _role_template(item: dict[str, Any]) -> RoleTemplate:
    return RoleTemplate(
        slug=item["slug"],
        name=item["name"],
        department=item["department"],
        summary=item["summary"],
        titles=tuple(item["titles"]),
        look_alike_titles=tuple(item.get("look_alike_titles", ())),
        skills=tuple(item["skills"]),
        responsibilities=tuple(item["responsibilities"]),
        expectations=tuple(item["expectations"]),
        competencies=tuple(
            CompetencyTemplate(
                name=c["name"],
                kind=c["kind"],
                description=c["description"],
                weight=c["weight"],
                must_have=c["must_have"],
                anchors=tuple(c["anchors"]),
            )
            for c in item["competencies"]
        ),
    )
