"""Reading a pasted job posting: sections, values words, seniority and the closest role family.

Pure Python (no Django), so it can be tested alone. Everything is rule-based and offline:

* **sections** -- a line that looks like a heading ("What you'll do", "Requirements:",
  "## About us") starts a section; bullet or short lines under it are its items. Headings
  are matched against a small vocabulary (:data:`SECTION_HEADINGS`).
* **values words** -- words from a fixed lexicon (:data:`VALUES_LEXICON`) found in the
  posting or in what the job seeker knows of the company, reported once each, in the
  order of the lexicon.
* **seniority** -- the title's words first ("Senior", "Lead", "Junior" ...), then the
  years of experience asked for; "mid" when nothing says otherwise.
* **role family** -- each family is described by its name, summary, responsibilities and
  competencies; the posting's words are compared with each description, weighting rare
  words more (inverse document frequency) and the title three times. The best family
  wins; its score is reported so a caller can say how sure the match is.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

__all__ = [
    "SECTION_HEADINGS",
    "SENIORITY_LEVELS",
    "VALUES_LEXICON",
    "FamilyProfile",
    "ParsedPosting",
    "PostingError",
    "match_role_family",
    "parse_posting",
]

MAX_CHARACTERS = 30_000
OTHER = "other"
SENIORITY_LEVELS = ("junior", "mid", "senior", "lead", "principal")

#: Section name -> heading phrases that start it (lower case, compared without punctuation).
SECTION_HEADINGS: dict[str, tuple[str, ...]] = {
    "responsibilities": (
        "responsibilities", "key responsibilities", "your responsibilities", "the role",
        "about the role", "what you will do", "what you'll do", "what youll do",
        "what you will be doing", "what you'll be doing", "in this role you will",
        "your day to day", "day to day", "your impact", "the job", "duties", "main duties",
        "what the job involves", "you will",
    ),
    "requirements": (
        "requirements", "qualifications", "what you will bring", "what you'll bring",
        "what youll bring", "what we are looking for", "what we're looking for",
        "who you are", "about you", "you have", "you are", "skills", "experience",
        "must have", "must haves", "essential", "essential criteria", "minimum qualifications",
        "required skills", "skills and experience", "what you need",
    ),
    "nice_to_have": (
        "nice to have", "nice to haves", "bonus points", "bonus", "preferred qualifications",
        "desirable", "desirable criteria", "it would be great if", "plus",
    ),
    "company": (
        "about us", "who we are", "about the company", "our mission", "the company",
        "why join us", "why us", "our story",
    ),
    "values": ("our values", "values", "how we work", "our culture", "culture"),
    "benefits": (
        "benefits", "what we offer", "perks", "perks and benefits", "compensation",
        "salary and benefits", "we offer",
    ),
}  # fmt: skip

#: Words that name a value, mapped to the value as people say it.
VALUES_LEXICON: dict[str, str] = {
    "integrity": "integrity", "honest": "honesty", "honesty": "honesty",
    "transparency": "transparency", "transparent": "transparency",
    "ownership": "ownership", "accountability": "accountability", "accountable": "accountability",
    "curiosity": "curiosity", "curious": "curiosity", "learning": "learning",
    "collaboration": "collaboration", "collaborative": "collaboration", "teamwork": "teamwork",
    "respect": "respect", "kindness": "kindness", "kind": "kindness", "empathy": "empathy",
    "inclusion": "inclusion", "inclusive": "inclusion", "diversity": "diversity",
    "diverse": "diversity", "trust": "trust", "excellence": "excellence",
    "quality": "quality", "craft": "craft", "innovation": "innovation", "innovative": "innovation",
    "customer": "customers first", "customers": "customers first", "patient": "patient care",
    "patients": "patient care", "safety": "safety", "candour": "candour", "candor": "candour",
    "humility": "humility", "humble": "humility", "courage": "courage",
    "sustainability": "sustainability", "autonomy": "autonomy",
    "care": "care", "fairness": "fairness", "simplicity": "simplicity",
}  # fmt: skip

_TITLE_SENIORITY = (
    ("principal", ("principal", "distinguished", "fellow")),
    ("lead", ("lead", "staff", "head", "director", "manager of", "chief")),
    ("senior", ("senior", "sr", "experienced")),
    ("junior", ("junior", "jr", "graduate", "entry", "entry level", "intern", "trainee",
                "apprentice", "associate")),
)  # fmt: skip
_BULLET = re.compile(r"^\s*(?:[-*•·▪◦‣–]|\d{1,2}[.)]|[a-z][.)])\s+", re.IGNORECASE)
_MARKDOWN_HEADING = re.compile(r"^\s*#{1,6}\s+")
_YEARS = re.compile(
    r"(\d{1,2})\s*(?:\+|plus)?\s*(?:-|–|to)?\s*(?:\d{1,2})?\s*\+?\s*years?", re.IGNORECASE
)
_WORD = re.compile(r"[a-z][a-z'’]+")
STOPWORDS = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "again",
        "against",
        "all",
        "also",
        "am",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "down",
        "during",
        "each",
        "few",
        "for",
        "from",
        "further",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "him",
        "his",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "itself",
        "just",
        "me",
        "more",
        "most",
        "my",
        "no",
        "nor",
        "not",
        "of",
        "off",
        "on",
        "once",
        "only",
        "or",
        "other",
        "our",
        "ours",
        "out",
        "over",
        "own",
        "same",
        "she",
        "should",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "theirs",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "too",
        "under",
        "until",
        "up",
        "very",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
        "yours",
        "yourself",
        "us",
        "per",
        "via",
        "etc",
        "role",
        "team",
        "work",
        "working",
        "job",
        "company",
        "new",
        "including",
        "using",
        "use",
        "across",
        "within",
        "strong",
        "good",
        "great",
        "looking",
        "able",
        "ability",
        "help",
        "helping",
        "make",
        "making",
        "well",
        "based",
        "every",
        "day",
        "other",
        "years",
        "year",
        "experience",
        "skills",
        "people",
        "build",
        "building",
        "ensure",
        "support",
    ]
)


class PostingError(ValueError):
    """The posting cannot be read (empty, not text, or too long)."""


@dataclass(frozen=True)
class FamilyProfile:
    """What a role family is about, in words the matcher compares a posting with."""

    slug: str
    name: str
    text: str


@dataclass(frozen=True)
class ParsedPosting:
    """What a job posting says, read into parts.

    Attributes
    ----------
    title : str
        The job title ("" when none is found).
    responsibilities, requirements, nice_to_have, benefits : tuple of str
        The items listed under each kind of heading, in the posting's order.
    company_lines : tuple of str
        Lines under "About us" and similar headings.
    values_words : tuple of str
        Values named in the posting or the company text, once each.
    seniority : str
        One of :data:`SENIORITY_LEVELS`.
    years : int or None
        The fewest years of experience asked for, when the posting says.
    role_family : str
        The slug of the closest role family ("" when none was given or none matches).
    role_family_score : float
        0..1; how much of the posting's weighted vocabulary the family shares.
    mission : str
        A sentence about the company's mission or purpose, when one is found.
    """

    title: str
    responsibilities: tuple[str, ...]
    requirements: tuple[str, ...]
    nice_to_have: tuple[str, ...]
    benefits: tuple[str, ...]
    company_lines: tuple[str, ...]
    values_words: tuple[str, ...]
    seniority: str
    years: int | None
    role_family: str
    role_family_score: float
    mission: str
    family_scores: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, object]:
        return {
            "title": self.title,
            "responsibilities": list(self.responsibilities),
            "requirements": list(self.requirements),
            "nice_to_have": list(self.nice_to_have),
            "benefits": list(self.benefits),
            "company_lines": list(self.company_lines),
            "values_words": list(self.values_words),
            "seniority": self.seniority,
            "years": self.years,
            "role_family": self.role_family,
            "role_family_score": round(self.role_family_score, 3),
            "mission": self.mission,
        }


def _plain(line: str) -> str:
    """A line lower-cased without markdown, bullets and trailing punctuation."""
    line = _MARKDOWN_HEADING.sub("", line)
    line = line.replace("’", "'").replace("*", "").replace("_", " ").strip()
    return re.sub(r"[\s:.!?\-–]+$", "", line).lower().strip()


def _heading_section(line: str) -> str | None:
    """The section a line starts, when the line is a heading."""
    if _BULLET.match(line) and not _MARKDOWN_HEADING.match(line):
        return None
    plain = _plain(line)
    if not plain or len(plain) > 60:
        return None
    for section, phrases in SECTION_HEADINGS.items():
        if plain in phrases:
            return section
    # Longer headings that start with a known phrase: "About the role at Acme", "Requirements
    # for this role". Only short lines ending with a colon or in markdown count here.
    looks_like_heading = line.rstrip().endswith(":") or bool(_MARKDOWN_HEADING.match(line))
    if plain.startswith(("about ", "why ", "life at ")) and len(plain.split()) <= 4:
        return "company"  # "About Brightcart", "Why Lumen Pay", "Life at Kestrel"
    if looks_like_heading:
        for section, phrases in SECTION_HEADINGS.items():
            if any(plain.startswith(p + " ") for p in phrases if len(p) > 5):
                return section
        if _MARKDOWN_HEADING.match(line):
            return OTHER  # a heading we do not know ends the section before it
    return None


def _item(line: str) -> str:
    return _BULLET.sub("", line).strip().rstrip(";").strip()


def _validate(text: object, name: str, *, required: bool) -> str:
    if not isinstance(text, str):
        raise PostingError(f"{name} must be text.")
    if required and not text.strip():
        raise PostingError(f"{name} is empty.")
    if len(text) > MAX_CHARACTERS:
        raise PostingError(f"{name} is longer than {MAX_CHARACTERS} characters.")
    if "\x00" in text:
        raise PostingError(f"{name} does not look like text.")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _title(lines: list[str]) -> str:
    for line in lines[:8]:
        match = re.match(r"^\s*(?:job\s+)?(?:title|position|role)\s*:\s*(.+)$", line, re.I)
        if match:
            return match.group(1).strip()
    for line in lines[:5]:
        stripped = _MARKDOWN_HEADING.sub("", line).strip().strip("*").strip()
        if stripped and len(stripped) <= 80 and _heading_section(line) in (None, OTHER):
            if stripped.endswith(".") or stripped.count(" ") > 10:
                continue
            return re.split(r"\s+[|–—]\s+|\s+-\s+", stripped)[0].strip()
    return ""


def _sections(lines: list[str]) -> dict[str, list[str]]:
    sections: dict[str, list[str]] = {name: [] for name in (*SECTION_HEADINGS, OTHER)}
    current: str | None = None
    for line in lines:
        if not line.strip():
            continue
        heading = _heading_section(line)
        if heading is not None:
            current = heading
            continue
        if current is None:
            continue
        item = _item(line)
        if item:
            sections[current].append(item)
    return sections


def _seniority(title: str, text: str) -> tuple[str, int | None]:
    years_found = [int(m.group(1)) for m in _YEARS.finditer(text) if int(m.group(1)) <= 30]
    years = min(years_found) if years_found else None
    title_words = " " + re.sub(r"[^a-z ]+", " ", title.lower()) + " "
    for level, cues in _TITLE_SENIORITY:
        if any(f" {cue} " in title_words for cue in cues):
            return level, years
    if years is None:
        return "mid", None
    if years >= 8:
        return "lead", years
    if years >= 5:
        return "senior", years
    if years >= 2:
        return "mid", years
    return "junior", years


def _values_words(*texts: str) -> tuple[str, ...]:
    words = set(_WORD.findall(" ".join(texts).lower()))
    found: list[str] = []
    for word, value in VALUES_LEXICON.items():
        if word in words and value not in found:
            found.append(value)
    return tuple(found)


def _mission(*texts: str) -> str:
    for text in texts:
        for sentence in re.split(r"(?<=[.!?])\s+|\n+", text):
            low = sentence.lower()
            if any(
                cue in low
                for cue in ("our mission", "mission is", "we exist", "our purpose", "we believe")
            ):
                return _item(sentence).strip()
    return ""


def _stem(word: str) -> str:
    word = word.replace("’", "'").split("'")[0]
    for suffix in ("ations", "ation", "ments", "ment", "ings", "ing", "ies", "es", "ed", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def terms(text: str) -> list[str]:
    return [_stem(w) for w in _WORD.findall(text.lower()) if w not in STOPWORDS and len(w) > 2]


def match_role_family(
    title: str, body: str, families: Iterable[FamilyProfile]
) -> tuple[str, float, dict[str, float]]:
    """The closest role family to a posting, its score (0..1), and every family's score.

    Each family's words are weighted by how rare they are across families (idf); a
    posting's score for a family is the weighted share of the family's vocabulary it uses,
    with the title's words counted three times. Returns ``("", 0.0, {})`` without families.
    """
    families = list(families)
    if not families:
        return "", 0.0, {}
    vocab = {f.slug: set(terms(f.name + " " + f.name + " " + f.text)) for f in families}
    document_frequency: Counter[str] = Counter()
    for words in vocab.values():
        document_frequency.update(words)
    n = len(families)
    idf = {w: math.log((n + 1) / (c + 0.5)) for w, c in document_frequency.items()}
    posting = Counter(terms(body))
    for word in terms(title):
        posting[word] += 3
    scores: dict[str, float] = {}
    for family in families:
        words = vocab[family.slug]
        total = sum(idf[w] for w in words) or 1.0
        hit = sum(idf[w] * min(posting[w], 3) / 3 for w in words if w in posting)
        name_hit = sum(1 for w in terms(family.name) if w in set(terms(title)))
        scores[family.slug] = min(1.0, hit / total * 4 + 0.15 * name_hit)
    best = max(scores, key=lambda slug: scores[slug])
    if scores[best] <= 0.0:
        return "", 0.0, scores
    return best, scores[best], scores


def parse_posting(
    posting: str, *, company: str = "", families: Iterable[FamilyProfile] = ()
) -> ParsedPosting:
    """Read a pasted job posting (and, optionally, what is known of the company).

    Parameters
    ----------
    posting : str
        The posting as pasted, headings and bullets included.
    company : str, optional
        What the job seeker knows of the company (its About page, values, news).
    families : iterable of FamilyProfile, optional
        The role families to match against; without them no family is chosen.

    Raises
    ------
    PostingError
        If the posting is empty, not text, contains NUL bytes or is over 30,000 characters.
    """
    text = _validate(posting, "The job posting", required=True)
    company = _validate(company, "The company text", required=False)
    lines = text.split("\n")
    title = _title(lines)
    sections = _sections(lines)
    if not sections["responsibilities"] and not sections["requirements"]:
        # No headings we know: every bullet line is a responsibility.
        sections["responsibilities"] = [_item(line) for line in lines if _BULLET.match(line)]
    seniority, years = _seniority(title, text)
    body = (
        " ".join(
            [*sections["responsibilities"], *sections["requirements"], *sections["nice_to_have"]]
        )
        or text
    )
    family, score, scores = match_role_family(title, body, families)
    return ParsedPosting(
        title=title,
        responsibilities=tuple(sections["responsibilities"]),
        requirements=tuple(sections["requirements"]),
        nice_to_have=tuple(sections["nice_to_have"]),
        benefits=tuple(sections["benefits"]),
        company_lines=tuple(sections["company"] + sections["values"]),
        values_words=(
            _values_words(" ".join(sections["company"] + sections["values"]), company)
            or _values_words(text)
        ),
        seniority=seniority,
        years=years,
        role_family=family,
        role_family_score=score,
        mission=_mission(company, " ".join(sections["company"]), text),
        family_scores=scores,
    )


def family_profiles(templates: Mapping[str, object]) -> list[FamilyProfile]:
    """Family profiles from role templates (anything with name, summary, responsibilities
    and competencies that have a name and description)."""
    profiles = []
    for slug, t in templates.items():
        parts = [t.name, t.summary, *t.responsibilities]  # type: ignore[attr-defined]
        for c in t.competencies:  # type: ignore[attr-defined]
            parts += [c.name, c.description]
        profiles.append(FamilyProfile(slug=slug, name=t.name, text=" ".join(parts)))  # type: ignore[attr-defined]
    return profiles
